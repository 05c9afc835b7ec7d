#pragma once
// A bundle held in memory as an API server would hold it: objects per resource, ordered by
// namespace and name, with the record of which resources (and in which namespaces) the bundle
// collected at all — the difference between "none exist" and "not collected".
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include "stored_object.hpp"
#include "util/expected.hpp"

namespace meshdoctor::fakekube {

class EventLog;

struct ResourceEntry {
  std::string group;  // "" = core
  std::string plural;
  std::string kind;
  std::set<std::string> versions;      // from the objects' apiVersion (or the table)
  bool cluster_scoped = false;
  bool collected_everywhere = false;   // cluster-scoped folder, or listed in collection.json
  std::set<std::string> namespaces;    // namespaces whose list the bundle holds
  std::map<std::pair<std::string, std::string>, StoredObject> objects;  // (namespace, name)
  // Files of this resource that failed to parse, by namespace ("" = cluster scope): served as a
  // 500 so a live read of the same bundle is as incomplete as the offline one.
  std::map<std::string, std::string> unreadable;

  // The bundle answers for this namespace ("" = every namespace / cluster scope).
  bool collected_in(const std::string& ns) const;
  std::string preferred_version() const;
};

// Container logs of one pod: container → {current.log, previous.log} paths ("" = absent).
struct PodLogFiles {
  std::map<std::string, std::pair<std::string, std::string>> containers;
};

struct ReadinessAnswer {
  int status = 0;
  std::string body;
};

struct PromAnswer {
  std::string query;
  int series = 0;
};

// --rollout-delay-ms: a pod a simulated rollout created, reported NotReady until `due`.
struct PendingReady {
  std::pair<std::string, std::string> pod;   // (namespace, name)
  std::string uid;                           // the pod created: a later replacement is not it
  std::string workload_plural, workload_name;  // its apps/v1 owner, whose ready counts follow
  std::chrono::system_clock::time_point due;
};

// What writes added to the loaded state (writes.cpp, rollouts.cpp). Guarded by Bundle::mutex
// but for next_due, read without it so that most requests skip settling altogether.
struct WriteState {
  std::vector<PendingReady> pending;         // pods still NotReady
  std::atomic<long long> next_due{0};        // earliest pending due time, epoch ms; 0 = none
};

struct Bundle {
  int generation = 1;                 // bumped on every reload; part of continue tokens
  std::string source;                 // the resolved path that was read
  std::map<std::string, ResourceEntry> resources;                   // key: resource_key()
  std::map<std::pair<std::string, std::string>, PodLogFiles> logs;  // (namespace, pod)
  std::optional<std::map<std::pair<std::string, std::string>, ReadinessAnswer>> readiness;
  std::optional<std::vector<PromAnswer>> prometheus;
  std::string metrics_dir;            // meshdoctor/ztunnel-metrics, "" when absent
  std::string collected_at;           // from collection.json, "" when absent
  std::vector<std::string> warnings;  // files that could not be parsed
  std::shared_ptr<void> keep_alive;   // the temporary copy of an unpacked archive
  // Writes change the objects in place: readers share this lock, a write holds it alone
  // (router.cpp, serve_request). A reload builds a new Bundle: the writes are gone.
  mutable std::shared_mutex mutex;
  WriteState writes;
  // The resourceVersion counter and the events of the writes (watch.hpp), shared by every
  // generation of the served bundle; set by BundleSource.
  std::shared_ptr<EventLog> events;

  const ResourceEntry* find(const std::string& group, const std::string& plural) const;
  const StoredObject* find_object(const std::string& group, const std::string& plural,
                                  const std::string& ns, const std::string& name) const;
  // For writes (the caller holds `mutex` alone).
  ResourceEntry* find(const std::string& group, const std::string& plural);
  StoredObject* find_object(const std::string& group, const std::string& plural, const std::string& ns,
                            const std::string& name);
};

// Reads a bundle directory (inspect, must-gather, or a `meshdoctor collect` output) or archive.
util::Expected<std::shared_ptr<Bundle>> load_bundle(const std::string& path, int generation);

}  // namespace meshdoctor::fakekube
