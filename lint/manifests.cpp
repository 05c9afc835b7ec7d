#include "lint/manifests.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace meshdoctor::lint {

namespace fs = std::filesystem;

namespace {

bool is_manifest_name(const fs::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

bool is_object(const Node& root) {
  return root.is_mapping() && text_at(root, {"kind"}) && text_at(root, {"apiVersion"});
}

bool is_values_file(const Node& root) {
  const Node* cg = root.get("clusterGroup");
  return root.is_mapping() && !root.get("kind") && cg && cg->is_mapping();
}

// `kind: List` and `kind: <Kind>List` (what `oc get -o yaml` prints): each item is an object.
void unpack_list(ManifestSet& set, Document doc) {
  const Node* items = doc.root.get("items");
  if (!items || !items->is_sequence()) return;
  for (const auto& item : items->items) {
    if (!is_object(item)) continue;
    Document d;
    d.file = doc.file;
    d.line = item.line;
    d.template_path = doc.template_path;
    d.root = item;
    set.documents.push_back(std::move(d));
  }
}

void classify(ManifestSet& set, std::vector<Document> docs) {
  for (auto& d : docs) {
    if (is_object(d.root)) {
      const std::string kind = *text_at(d.root, {"kind"});
      if (kind.size() >= 4 && kind.ends_with("List") && d.root.get("items")) {
        unpack_list(set, std::move(d));
      } else {
        set.documents.push_back(std::move(d));
      }
    } else if (is_values_file(d.root)) {
      set.values_files.push_back(std::move(d));
    }
  }
}

util::Status add_file(ManifestSet& set, const fs::path& path, const std::string& name) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) return util::make_error("lint.read", "cannot read " + name + ": " + ec.message());
  std::ifstream in(path, std::ios::binary);
  if (!in) return util::make_error("lint.read", "cannot open " + name);
  if (size > k_max_input_bytes) {
    set.files.push_back(name);
    set.problems.push_back(
        {name, 0,
         name + ": larger than " + std::to_string(k_max_input_bytes >> 20) + " MiB; not read"});
    return util::ok();
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return util::make_error("lint.read", "cannot read " + name);
  add_text(set, std::move(text).str(), name);
  return util::ok();
}

// Every manifest file under a directory, sorted so that findings come in a stable order.
util::Expected<std::vector<fs::path>> files_under(const fs::path& dir, const std::string& name) {
  std::vector<fs::path> out;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, ec), end;
  if (ec)
    return util::make_error("lint.read", "cannot read directory " + name + ": " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) break;
    std::error_code type_ec;
    if (it->is_regular_file(type_ec) && is_manifest_name(it->path())) out.push_back(it->path());
  }
  if (ec)
    return util::make_error("lint.read", "cannot read directory " + name + ": " + ec.message());
  std::sort(out.begin(), out.end());
  if (out.empty()) {
    return util::make_error("lint.read", "no manifest files (*.yaml, *.yml, *.json) under " + name);
  }
  return out;
}

}  // namespace

std::string Object::group() const {
  const auto slash = api_version.find('/');
  return slash == std::string::npos ? std::string() : api_version.substr(0, slash);
}

std::string Object::label() const { return kind + " " + (ns.empty() ? name : ns + "/" + name); }

std::vector<Object> ManifestSet::all_objects() const {
  std::vector<Object> out;
  for (const auto& d : documents) {
    Object o;
    o.doc = &d;
    o.api_version = text_at(d.root, {"apiVersion"}).value_or("");
    o.kind = text_at(d.root, {"kind"}).value_or("");
    o.name = text_at(d.root, {"metadata", "name"}).value_or("");
    o.ns = text_at(d.root, {"metadata", "namespace"}).value_or("");
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<Object> ManifestSet::objects(std::string_view kind, std::string_view group) const {
  std::vector<Object> out;
  for (auto& o : all_objects()) {
    if (o.kind == kind && (group.empty() || o.group() == group)) out.push_back(std::move(o));
  }
  return out;
}

void add_text(ManifestSet& set, std::string_view text, const std::string& name) {
  set.files.push_back(name);
  std::vector<Document> docs;
  int line = 0;
  if (auto parsed = parse_documents(text, name, docs, &line); !parsed) {
    set.problems.push_back({name, line, parsed.error().message});
  }
  classify(set, std::move(docs));
}

util::Status add_path(ManifestSet& set, const std::string& path) {
  std::error_code ec;
  const fs::path p(path);
  const auto status = fs::status(p, ec);
  if (ec || !fs::exists(status)) {
    return util::make_error("lint.read", "cannot read " + path + ": no such file or directory");
  }
  if (!fs::is_directory(status)) return add_file(set, p, path);
  auto files = files_under(p, path);
  if (!files) return files.error();
  for (const auto& f : *files) {
    if (auto added = add_file(set, f, f.string()); !added) return added;
  }
  return util::ok();
}

}  // namespace meshdoctor::lint
