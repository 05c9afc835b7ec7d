// Object files of an inspect root (DESIGN.md §5): which resources are read, how each file's
// objects reach the extractor exactly once, and what each Facts section's state becomes.
#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "probe/bundle_internal.hpp"
#include "probe/extract_fields.hpp"
#include "probe/malloc_arenas.hpp"
#include "probe/object_dedupe.hpp"
#include "probe/section_spool.hpp"
#include "probe/extract.hpp"
#include "probe/yaml_stream.hpp"

namespace meshdoctor::probe::bundle {
namespace {

using nlohmann::json;

using StateOf = SourceState& (*)(Facts&);

struct Binding {
  std::string_view key;  // "<group|core>/<resource>" as inspect names folders
  bool cluster_scoped;
  StateOf state;
};

#define MD_STATE(member) [](Facts& f) -> SourceState& { return f.member.source; }

// Every resource a check reads, and the Facts section(s) it fills. Other folders are never
// parsed: must-gather bundles hold far more than meshdoctor needs.
const std::array k_bindings = {
    Binding{"operators.coreos.com/subscriptions", false, MD_STATE(subscriptions)},
    Binding{"operators.coreos.com/installplans", false, MD_STATE(install_plans)},
    Binding{"operators.coreos.com/clusterserviceversions", false, MD_STATE(csvs)},
    Binding{"apiextensions.k8s.io/customresourcedefinitions", true, MD_STATE(sail_crds)},
    Binding{"sailoperator.io/istios", true, MD_STATE(istios)},
    Binding{"sailoperator.io/istiocnis", true, MD_STATE(istio_cnis)},
    Binding{"sailoperator.io/ztunnels", true, MD_STATE(ztunnels)},
    Binding{"apps/daemonsets", false, MD_STATE(daemonsets)},
    Binding{"core/pods", false, MD_STATE(cni_pods)},
    Binding{"core/pods", false, MD_STATE(ztunnel_pods)},
    Binding{"core/pods", false, MD_STATE(pods)},
    Binding{"apps/deployments", false, MD_STATE(istiod)},
    Binding{"core/namespaces", true, MD_STATE(namespaces)},
    Binding{"telemetry.istio.io/telemetries", false, MD_STATE(telemetries)},
    Binding{"monitoring.coreos.com/podmonitors", false, MD_STATE(pod_monitors)},
    Binding{"gateway.networking.k8s.io/gateways", false, MD_STATE(gateways)},
    Binding{"kiali.io/kialis", false, MD_STATE(kialis)},
    Binding{"rbac.authorization.k8s.io/clusterrolebindings", true, MD_STATE(cluster_role_bindings)},
    Binding{"config.openshift.io/clusterversions", true, MD_STATE(cluster_version)},
    Binding{"operator.openshift.io/networks", true, MD_STATE(network)},
    Binding{"core/configmaps", false, MD_STATE(monitoring_config)},
};

#undef MD_STATE

constexpr std::string_view k_pods = "core/pods";
constexpr std::string_view k_namespaces = "core/namespaces";
constexpr std::string_view k_configmaps = "core/configmaps";
constexpr std::string_view k_monitoring_ns = "openshift-monitoring";

// ConfigMaps are read only where cluster-monitoring-config lives; everything else by key.
bool wanted(const std::string& key, const std::string& ns) {
  if (key == k_configmaps) return ns == k_monitoring_ns;
  for (const auto& b : k_bindings) {
    if (b.key == key) return true;
  }
  return false;
}

bool is_object_file(const fs::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

// One file's objects on their way from the thread that parses it to the loader, which takes
// them strictly in file order. The buffer is bounded: a 150,000-pod file costs a few hundred
// objects of memory however far ahead its reader is.
struct FileRead {
  static constexpr std::size_t k_buffered = 512;
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<std::pair<json, int>> objects;
  bool done = false;
  bool abandoned = false;  // the loader stopped: the reader drops what it parses
  std::optional<util::Error> error;
};

// Walks the inspect roots in order, noting every file to parse and every folder found (Steps),
// then runs them: files are parsed on several threads (libfyaml runs at tens of MB/s, and a
// 150,000-pod bundle is half a GB of YAML), while every object, mark and error is applied here
// in the walk's order, so the facts are those of a sequential read.
class ObjectLoader {
 public:
  ObjectLoader(Facts& facts, const Layout& layout, LoadState& state)
      : m_facts(facts), m_layout(layout), m_state(state) {}

  void load_root(const fs::path& root) {
    load_cluster_scoped(root / "cluster-scoped-resources");
    for (const auto& ns_dir : list_dir(root / "namespaces", EntryKind::dirs)) load_namespace(ns_dir);
  }

  // After the last root: reads what the walk found; the workload pods spooled away while files
  // were read come back.
  void finish() {
    run_steps();
    m_pods.restore(m_facts.pods.items);
  }

 private:
  struct Step {
    bool parse = false;
    fs::path file;          // parse: the file
    std::string key, ns;
    std::string where;      // mark: the folder; parse: the bundle-relative file
  };

  void load_cluster_scoped(const fs::path& dir) {
    for (const auto& group_dir : list_dir(dir, EntryKind::dirs)) load_group(group_dir, "");
  }

  void load_namespace(const fs::path& ns_dir) {
    const std::string ns = ns_dir.filename().string();
    const fs::path ns_file = ns_dir / (ns + ".yaml");
    if (is_file(ns_file)) parse_file(ns_file, std::string(k_namespaces), "");
    for (const auto& group_dir : list_dir(ns_dir, EntryKind::dirs)) {
      if (group_dir.filename() == "pods") load_pod_folders(group_dir, ns);
      else load_group(group_dir, ns);
    }
  }

  // <group>/<resource>.yaml (a List) and <group>/<resource>/<name>.yaml (single objects).
  void load_group(const fs::path& group_dir, const std::string& ns) {
    const std::string group = group_dir.filename().string();
    for (const auto& file : list_dir(group_dir, EntryKind::files)) {
      const std::string key = group + "/" + file.stem().string();
      if (is_object_file(file) && wanted(key, ns)) parse_file(file, key, ns);
    }
    for (const auto& resource_dir : list_dir(group_dir, EntryKind::dirs)) {
      const std::string key = group + "/" + resource_dir.filename().string();
      if (!wanted(key, ns)) continue;
      // An existing folder means the resource was collected, even when it holds no file.
      mark_present(key, ns, m_layout.relative(resource_dir) + "/");
      for (const auto& file : list_dir(resource_dir, EntryKind::files)) {
        if (is_object_file(file)) parse_file(file, key, ns);
      }
    }
  }

  // namespaces/<ns>/pods/<pod>/<pod>.yaml, written by inspect for running pods.
  void load_pod_folders(const fs::path& pods_dir, const std::string& ns) {
    mark_present(std::string(k_pods), ns, m_layout.relative(pods_dir) + "/");
    for (const auto& pod_dir : list_dir(pods_dir, EntryKind::dirs)) {
      const fs::path file = pod_dir / (pod_dir.filename().string() + ".yaml");
      if (is_file(file)) parse_file(file, std::string(k_pods), ns);
    }
  }

  void mark_present(const std::string& key, const std::string& ns, const std::string& where) {
    m_steps.push_back(Step{false, {}, key, ns, where});
  }

  void parse_file(const fs::path& file, const std::string& key, const std::string& ns) {
    m_steps.push_back(Step{true, file, key, ns, m_layout.relative(file)});
  }

  void apply_mark(const std::string& key, const std::string& ns, const std::string& where) {
    mark_collected(m_state.resources, key, where);
    if (key == k_pods && !ns.empty()) mark_collected(m_state.namespace_pods, ns, where);
  }

  void apply_object(json& object, const std::string& rel, int line) {
    if (!m_dedupe.first_time(object)) return;
    add_object(m_facts, object, Origin{"", rel, line});
    m_pods.take(m_facts.pods.items);
  }

  void apply_result(const Step& step, const std::optional<util::Error>& error) {
    if (!error) return apply_mark(step.key, step.ns, step.where);
    mark_error(m_facts, m_state.resources, step.key, error->message);
    if (step.key == k_pods && !step.ns.empty()) {
      m_state.namespace_pods[step.ns] = {Obtained::error, error->message};
    }
  }

  static void read_file(const Step& step, FileRead& read) {
    util::Status status = util::ok();
    try {
      status = stream_yaml_file(
          step.file.string(), step.where,
          [&](json& object, int line) {
            std::unique_lock<std::mutex> lock(read.mutex);
            read.changed.wait(lock, [&] { return read.objects.size() < FileRead::k_buffered || read.abandoned; });
            if (read.abandoned) return;
            read.objects.emplace_back(std::move(object), line);
            read.changed.notify_all();
          },
          YamlObjects::for_facts);
    } catch (const std::exception& e) {
      status = util::make_error("yaml.parse", step.where + ": " + e.what());
    }
    std::lock_guard<std::mutex> lock(read.mutex);
    if (!status) read.error = status.error();
    read.done = true;
    read.changed.notify_all();
  }

  // Takes a file's objects as its reader hands them over, until the file is done.
  void consume(const Step& step, FileRead& read) {
    std::deque<std::pair<json, int>> batch;
    while (true) {
      bool done = false;
      {
        std::unique_lock<std::mutex> lock(read.mutex);
        read.changed.wait(lock, [&] { return !read.objects.empty() || read.done; });
        batch.swap(read.objects);
        done = read.done;
        read.changed.notify_all();
      }
      for (auto& [object, line] : batch) apply_object(object, step.where, line);
      batch.clear();
      if (done) return apply_result(step, read.error);
    }
  }

  void run_steps() {
    std::vector<const Step*> files;
    for (const Step& step : m_steps) {
      if (step.parse) files.push_back(&step);
    }
    std::vector<std::unique_ptr<FileRead>> reads;
    for (std::size_t i = 0; i < files.size(); ++i) reads.push_back(std::make_unique<FileRead>());
    std::atomic<std::size_t> next{0};
    auto reader = [&] {
      for (std::size_t i = next++; i < files.size(); i = next++) read_file(*files[i], *reads[i]);
    };
    const unsigned cores = std::max(1U, std::thread::hardware_concurrency());
    std::vector<std::thread> readers;
    for (unsigned i = 0; i < std::min(cores, 4U) && i < files.size(); ++i) readers.emplace_back(reader);
    try {
      std::size_t file = 0;
      for (const Step& step : m_steps) {
        if (step.parse) consume(step, *reads[file++]);
        else apply_mark(step.key, step.ns, step.where);
      }
    } catch (...) {
      for (auto& read : reads) {
        std::lock_guard<std::mutex> lock(read->mutex);
        read->abandoned = true;
        read->changed.notify_all();
      }
      next = files.size();
      for (auto& t : readers) t.join();
      throw;
    }
    for (auto& t : readers) t.join();
  }

  Facts& m_facts;
  const Layout& m_layout;
  LoadState& m_state;
  std::vector<Step> m_steps;
  ObjectDedupe m_dedupe;
  SectionSpool<WorkloadPod> m_pods;
};

std::string expected_path(const Binding& b) {
  if (b.key == k_configmaps) return "namespaces/openshift-monitoring/core/configmaps";
  return (b.cluster_scoped ? "cluster-scoped-resources/" : "namespaces/*/") + std::string(b.key) +
         (b.cluster_scoped ? "/" : "");
}

void apply_namespace_pods(Facts& facts, const LoadState& state) {
  for (auto& ns : facts.namespaces.items) {
    auto it = state.namespace_pods.find(ns.name);
    if (it != state.namespace_pods.end()) ns.pods = it->second;
    else if (state.all_pods_collected) ns.pods = {Obtained::collected, "meshdoctor/collection.json"};
    else ns.pods = {Obtained::not_found, "namespaces/" + ns.name + "/core/pods.yaml not in bundle"};
  }
}

}  // namespace

void mark_collected(std::map<std::string, SourceState>& states, const std::string& key,
                    const std::string& detail) {
  auto [it, inserted] = states.try_emplace(key, SourceState{Obtained::collected, detail});
  if (!inserted && it->second.state == Obtained::not_found) it->second = {Obtained::collected, detail};
}

void mark_error(Facts& facts, std::map<std::string, SourceState>& states, const std::string& key,
                const std::string& message) {
  facts.warnings.push_back(message);
  auto& s = states[key];
  if (s.state != Obtained::error) s = {Obtained::error, message};  // the first error names the file
}

void load_objects(Facts& facts, const Layout& layout, LoadState& state) {
  limit_malloc_arenas();
  ObjectLoader loader(facts, layout, state);
  for (const auto& root : layout.roots) loader.load_root(root);
  loader.finish();
}

void apply_section_states(Facts& facts, const LoadState& state) {
  for (const auto& b : k_bindings) {
    auto it = state.resources.find(std::string(b.key));
    b.state(facts) = it != state.resources.end()
                         ? it->second
                         : SourceState{Obtained::not_found, expected_path(b) + " not in bundle"};
  }
  apply_namespace_pods(facts, state);
}

}  // namespace meshdoctor::probe::bundle
