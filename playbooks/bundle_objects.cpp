// An ObjectReader over an offline bundle directory, so that `meshdoctor restart --bundle` and
// `check --bundle --fix` can resolve owners and read guards from what `oc adm inspect` saved.
#include <filesystem>

#include "playbooks/restart.hpp"
#include "playbooks/restart_internal.hpp"
#include "probe/bundle_reader.hpp"
#include "probe/yaml_stream.hpp"

namespace meshdoctor::playbooks {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    if (j > i) parts.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return parts;
}

struct Where {
  std::vector<fs::path> files;  // candidate files, relative to a root
  std::string name;
};

// "/apis/apps/v1/namespaces/ns/replicasets/x" → namespaces/ns/apps/replicasets.yaml (or the
// per-object folder form); "/api/v1/namespaces/ns" → namespaces/ns/ns.yaml.
std::optional<Where> locate(const std::string& api_path) {
  auto p = split(api_path);
  std::string group;
  size_t i = 0;
  if (p.size() >= 2 && p[0] == "api") {
    group = "core";
    i = 2;
  } else if (p.size() >= 3 && p[0] == "apis") {
    group = p[1];
    i = 3;
  } else {
    return std::nullopt;
  }
  if (p.size() == i + 2 && p[i] == "namespaces") {
    return Where{{fs::path("namespaces") / p[i + 1] / (p[i + 1] + ".yaml")}, p[i + 1]};
  }
  if (p.size() != i + 4 || p[i] != "namespaces") return std::nullopt;
  const fs::path dir = fs::path("namespaces") / p[i + 1] / group;
  return Where{{dir / (p[i + 2] + ".yaml"), dir / p[i + 2] / (p[i + 3] + ".yaml")}, p[i + 3]};
}

}  // namespace

ObjectReader bundle_reader(const std::string& bundle_path) {
  std::vector<std::string> roots = probe::bundle_roots(bundle_path);
  return [roots, bundle_path](const std::string& api_path) -> util::Expected<json> {
    if (roots.empty()) {
      return util::make_error("bundle.not_collected",
                              bundle_path + " is not a bundle directory: objects are looked up only in unpacked bundles");
    }
    auto where = locate(api_path);
    if (!where) return util::make_error("bundle.not_collected", api_path + " has no place in a bundle");
    bool seen_file = false;
    for (const auto& root : roots) {
      for (const auto& rel : where->files) {
        std::error_code ec;
        const fs::path file = fs::path(root) / rel;
        if (!fs::is_regular_file(file, ec)) continue;
        seen_file = true;
        std::optional<json> found;
        auto read = probe::stream_yaml_file(file.string(), rel.string(), [&](json& obj, int) {
          const json* name = json_at(obj, {"metadata", "name"});
          if (!found && name && name->is_string() && name->get<std::string>() == where->name) found = std::move(obj);
        });
        if (found) return std::move(*found);
        if (!read) return util::make_error("bundle.parse", read.error().message);
      }
    }
    if (seen_file) return util::make_error("kube.not_found", api_path + ": not found in the bundle");
    return util::make_error("bundle.not_collected",
                            "not in the bundle (" + where->files.front().string() + " was not collected)");
  };
}

}  // namespace meshdoctor::playbooks
