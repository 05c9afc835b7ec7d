#pragma once
// Internals of the live collector (live_*.cpp), split by concern: the run's shared state and the
// mapping of API answers to section states (live_run.cpp), what is listed (live_resources.cpp),
// container logs (live_logs.cpp) and ztunnel readiness and metrics (live_extras.cpp).
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "probe/live_collector.hpp"
#include "probe/object_dedupe.hpp"
#include "probe/section_spool.hpp"

namespace meshdoctor::probe::live {

// One request target: a collection (list) or, with `name`, a single object (get).
struct Target {
  ResourceKey resource;
  std::string version;  // "v1", "v1alpha1"
  std::string ns;       // "" = all namespaces, or cluster-scoped
  std::string name;     // a single object
  ListQuery query;
  bool custom = false;  // defined by a CRD: a 404 on the list means the CRD is not installed
  std::string fallback_version;  // tried when `version` answers 404 (ZTunnel v1 → v1alpha1)
  std::string path() const;
  // "list pods in namespace bookinfo", "get clusterversions.config.openshift.io version".
  std::string describe() const;
};

// How one request turned out, as a section state.
SourceState success_state(const Target& target);
SourceState failure_state(const Target& target, const util::Error& error);
// 403 on a subresource read: "get pods/log in namespace istio-cni".
SourceState subresource_failure(const std::string& subresource, const std::string& ns,
                                const util::Error& error);

// The shared state of one live run. Facts are only touched under the lock.
class Run {
 public:
  Run(KubeClient& client, const LiveOptions& options, Facts& facts)
      : client(client), options(options), m_facts(facts) {}

  KubeClient& client;
  const LiveOptions& options;

  // Feeds one object to the extractor once (deduplicated by uid/identity) and to the sink.
  void add(const Target& source, const nlohmann::json& object);
  // Merges a request outcome into a section state: the first failure wins over successes.
  void record(SourceState& section, const SourceState& outcome);
  // Runs f(facts) under the lock.
  template <class F>
  decltype(auto) with_facts(F&& f) {
    std::lock_guard<std::mutex> lock(m_mutex);
    return f(m_facts);
  }
  void progress(const std::string& line) const;
  // A pod subresource (log, proxy), through the watch cache when the run has one.
  util::Expected<HttpResponse> get_raw(const std::string& path, BodyLimit limit = {});
  // Puts the workload pods spooled away while lists ran back into the facts (after the lists).
  void settle();

 private:
  Facts& m_facts;
  std::mutex m_mutex;
  ObjectDedupe m_seen;  // agent pods arrive twice; 410 restarts repeat items
  SectionSpool<WorkloadPod> m_pods;  // workload pods in chunks while they arrive
  std::set<const SourceState*> m_recorded;
};

// Lists a collection into the facts; returns how it went (also told to the sink). `failure`
// receives the client's error, if any.
SourceState list_into(Run& run, const Target& target, util::Error* failure = nullptr);
// Gets one object into the facts; a 404 is collected (the object does not exist).
SourceState get_into(Run& run, const Target& target);

using Task = std::function<void()>;
// Runs the tasks with at most `width` in flight; returns when all are done.
void run_parallel(std::vector<Task> tasks, int width);
// The width for the per-node requests (container logs, pod proxies): small answers that mostly
// wait on the kubelet behind the API server, one to four per node, so more of them fly at once.
inline int per_node_width(const LiveOptions& options) { return 2 * options.parallelism; }

// The phases of a run, in order; each reads what the previous ones found.
void collect_cluster(Run& run);      // live_resources.cpp: CRs, OLM, namespaces, platform
void collect_workloads(Run& run);    // live_resources.cpp: DaemonSets, pods, istiod, CSVs
void collect_logs(Run& run);         // live_logs.cpp
void collect_readiness(Run& run);    // live_extras.cpp: readiness bodies and metrics

// The first request, run alone: a 401 or an unreachable server stops the run here.
util::Status collect_namespaces(Run& run);

}  // namespace meshdoctor::probe::live
