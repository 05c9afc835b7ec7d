#include "probe/bundle_reader.hpp"

#include "probe/archive.hpp"
#include "probe/bundle_internal.hpp"

namespace meshdoctor::probe {
namespace {

namespace fs = std::filesystem;

util::Error no_layout(const std::string& path) {
  return util::make_error("bundle.layout", path +
                                               ": no namespaces/ or cluster-scoped-resources/ folder: "
                                               "not an oc adm inspect or must-gather bundle");
}

std::string join_relative(const bundle::Layout& layout) {
  std::string out;
  for (const auto& root : layout.roots) {
    if (!out.empty()) out += ", ";
    out += root == layout.top ? "." : layout.relative(root);
  }
  return out;
}

// The reading passes, in order: objects, section states, extras (which may mark resources
// collected), logs of the node agent pods found, and the collection time.
Facts read_layout(const std::string& path, const bundle::Layout& layout) {
  Facts facts;
  facts.source.kind = "bundle";
  facts.source.path = path;
  facts.source.root = join_relative(layout);
  bundle::LoadState state;
  bundle::load_objects(facts, layout, state);
  bundle::load_extras(facts, layout, state);
  bundle::apply_section_states(facts, state);
  bundle::load_logs(facts, layout);
  bundle::set_collected_at(facts, layout);
  facts.socket = {Obtained::not_found, "offline bundle: not running on a node"};
  return facts;
}

util::Expected<Facts> read_directory(const std::string& path, const fs::path& dir) {
  bundle::Layout layout{dir, bundle::find_roots(dir)};
  if (layout.roots.empty()) return no_layout(path);
  return read_layout(path, layout);
}

util::Expected<Facts> read_archive(const std::string& path) {
  auto temp = TempDir::create("meshdoctor-bundle-");
  if (!temp) return temp.error();
  auto extracted = extract_archive(path, temp->path());
  if (!extracted) return extracted.error();
  return read_directory(path, temp->path());  // the temporary copy goes when `temp` does
}

}  // namespace

std::vector<std::string> bundle_roots(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (const auto& root : bundle::find_roots(dir)) out.push_back(root.string());
  return out;
}

util::Expected<Facts> read_bundle(const std::string& path) {
  try {
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) return util::make_error("bundle.not_found", "bundle not found: " + path);
    if (fs::is_directory(status)) return read_directory(path, fs::path(path));
    if (fs::is_regular_file(status)) return read_archive(path);
    return util::make_error("bundle.unreadable", path + ": not a directory or a .tar/.tar.gz archive");
  } catch (const std::exception& e) {
    // Filesystem and allocation failures only; every parser below reports through Expected.
    return util::make_error("bundle.unreadable", path + ": " + e.what());
  }
}

}  // namespace meshdoctor::probe
