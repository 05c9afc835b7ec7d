// Reads every object file of a bundle into the index, by the inspect layout (DESIGN.md §5):
//   cluster-scoped-resources/<group|core>/<resource>/<name>.yaml (or <resource>.yaml, a List)
//   namespaces/<ns>/<ns>.yaml                                    → namespaces
//   namespaces/<ns>/<group|core>/<resource>.yaml | <resource>/<name>.yaml
//   namespaces/<ns>/pods/<pod>/<pod>.yaml                        → pods, plus container logs
// Inspect roots are found as the bundle reader finds them (must-gather image folders too).
#include <filesystem>
#include <nlohmann/json.hpp>

#include "bundle_load_internal.hpp"
#include "probe/extract_fields.hpp"
#include "probe/archive.hpp"
#include "probe/yaml_stream.hpp"
#include "resource_kinds.hpp"

namespace meshdoctor::fakekube {

using probe::text_at;
namespace {

namespace fs = std::filesystem;
using probe::bundle::EntryKind;
using probe::bundle::list_dir;

bool is_object_file(const fs::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

// List items may lack apiVersion and kind; an API server always sends them for our resources.
void complete_type(nlohmann::json& object, ResourceEntry& entry) {
  if (!object.contains("kind") && !entry.kind.empty()) object["kind"] = entry.kind;
  if (!object.contains("apiVersion")) object["apiVersion"] = group_version(entry.group, entry.preferred_version());
  const auto& api_version = object["apiVersion"];
  if (!api_version.is_string()) return;
  const std::string av = api_version.get<std::string>();
  entry.versions.insert(av.substr(av.find('/') + 1));
  if (entry.kind.empty() && object["kind"].is_string()) entry.kind = object["kind"].get<std::string>();
}

class Loader {
 public:
  Loader(Bundle& bundle, const probe::bundle::Layout& layout) : m_bundle(bundle), m_layout(layout) {}

  void load_root(const fs::path& root) {
    for (const auto& group_dir : list_dir(root / "cluster-scoped-resources", EntryKind::dirs)) {
      load_group(group_dir, "");
    }
    for (const auto& ns_dir : list_dir(root / "namespaces", EntryKind::dirs)) load_namespace(ns_dir);
  }

 private:
  void load_namespace(const fs::path& ns_dir) {
    const std::string ns = ns_dir.filename().string();
    const fs::path ns_file = ns_dir / (ns + ".yaml");
    if (probe::bundle::is_file(ns_file)) parse(ns_file, entry_for(m_bundle, "", "namespaces", true), "");
    for (const auto& group_dir : list_dir(ns_dir, EntryKind::dirs)) {
      if (group_dir.filename() == "pods") load_pod_folders(group_dir, ns);
      else load_group(group_dir, ns);
    }
  }

  // <group>/<resource>.yaml and <group>/<resource>/<name>.yaml; ns "" = cluster scope.
  void load_group(const fs::path& group_dir, const std::string& ns) {
    const std::string group = api_group(group_dir.filename().string());
    for (const auto& file : list_dir(group_dir, EntryKind::files)) {
      if (is_object_file(file)) parse(file, present(group, file.stem().string(), ns), ns);
    }
    for (const auto& resource_dir : list_dir(group_dir, EntryKind::dirs)) {
      ResourceEntry& entry = present(group, resource_dir.filename().string(), ns);
      for (const auto& file : list_dir(resource_dir, EntryKind::files)) {
        if (is_object_file(file)) parse(file, entry, ns);
      }
    }
  }

  void load_pod_folders(const fs::path& pods_dir, const std::string& ns) {
    ResourceEntry& pods = present("", "pods", ns);
    for (const auto& pod_dir : list_dir(pods_dir, EntryKind::dirs)) {
      const std::string pod = pod_dir.filename().string();
      const fs::path file = pod_dir / (pod + ".yaml");
      if (probe::bundle::is_file(file)) parse(file, pods, ns);
      load_logs(pod_dir, ns, pod);
    }
  }

  // <pod>/<container>/<container>/logs/{current,previous}.log
  void load_logs(const fs::path& pod_dir, const std::string& ns, const std::string& pod) {
    for (const auto& container_dir : list_dir(pod_dir, EntryKind::dirs)) {
      const std::string container = container_dir.filename().string();
      const fs::path logs = container_dir / container / "logs";
      const fs::path current = logs / "current.log", previous = logs / "previous.log";
      const bool has_current = probe::bundle::is_file(current), has_previous = probe::bundle::is_file(previous);
      if (!has_current && !has_previous) continue;
      auto& files = m_bundle.logs[{ns, pod}].containers[container];
      if (files.first.empty() && has_current) files.first = current.string();
      if (files.second.empty() && has_previous) files.second = previous.string();
    }
  }

  // Marks the resource collected (in ns, or everywhere for cluster scope) and returns it.
  ResourceEntry& present(const std::string& group, const std::string& plural, const std::string& ns) {
    ResourceEntry& entry = entry_for(m_bundle, group, plural, ns.empty());
    if (ns.empty()) entry.collected_everywhere = true;
    else entry.namespaces.insert(ns);
    return entry;
  }

  void parse(const fs::path& file, ResourceEntry& entry, const std::string& ns) {
    if (ns.empty()) entry.collected_everywhere = true;
    const std::string rel = m_layout.relative(file);
    auto status = probe::stream_yaml_file(file.string(), rel, [&](nlohmann::json& object, int) {
      add(entry, object, ns);
    });
    if (!status) {
      m_bundle.warnings.push_back(status.error().message);
      entry.unreadable.try_emplace(entry.cluster_scoped ? "" : ns, status.error().message);
    }
  }

  // The first copy of an object wins (a List file and a single-object file may both hold it).
  void add(ResourceEntry& entry, nlohmann::json& object, const std::string& ns) {
    if (!object.is_object()) return;
    const std::string name = text_at(object, "metadata", "name");
    if (name.empty()) return;
    std::string object_ns = entry.cluster_scoped ? "" : text_at(object, "metadata", "namespace");
    if (!entry.cluster_scoped && object_ns.empty()) object_ns = ns;
    complete_type(object, entry);
    entry.objects.try_emplace({object_ns, name}, object);
  }

  Bundle& m_bundle;
  const probe::bundle::Layout& m_layout;
};

util::Expected<std::shared_ptr<Bundle>> load_directory(const fs::path& dir, int generation,
                                                       std::shared_ptr<void> keep_alive) {
  probe::bundle::Layout layout{dir, probe::bundle::find_roots(dir)};
  if (layout.roots.empty()) {
    return util::make_error("bundle.layout", dir.string() + ": no namespaces/ or cluster-scoped-resources/ folder");
  }
  auto bundle = std::make_shared<Bundle>();
  bundle->generation = generation;
  bundle->source = dir.string();
  bundle->keep_alive = std::move(keep_alive);
  Loader loader(*bundle, layout);
  for (const auto& root : layout.roots) loader.load_root(root);
  load_extras(*bundle, layout);
  return bundle;
}

}  // namespace

ResourceEntry& entry_for(Bundle& bundle, const std::string& group, const std::string& plural,
                         bool cluster_scoped) {
  auto [it, inserted] = bundle.resources.try_emplace(resource_key(group, plural));
  ResourceEntry& entry = it->second;
  if (!inserted) return entry;
  entry.group = group;
  entry.plural = plural;
  const ResourceType* type = known_resource(group, plural);
  entry.kind = type ? type->kind : "";
  entry.cluster_scoped = type ? !type->namespaced : cluster_scoped;
  return entry;
}

util::Expected<std::shared_ptr<Bundle>> load_bundle(const std::string& path, int generation) {
  std::error_code ec;
  const fs::path resolved = fs::canonical(path, ec);
  if (ec) return util::make_error("bundle.not_found", path + ": " + ec.message());
  if (fs::is_directory(resolved, ec)) return load_directory(resolved, generation, nullptr);
  auto temp = probe::TempDir::create("fakekube-bundle-");
  if (!temp) return temp.error();
  auto holder = std::make_shared<probe::TempDir>(std::move(*temp));
  auto extracted = probe::extract_archive(resolved.string(), holder->path());
  if (!extracted) return extracted.error();
  return load_directory(holder->path(), generation, holder);
}

}  // namespace meshdoctor::fakekube
