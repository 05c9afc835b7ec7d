#pragma once
// What `serve --watch` keeps between runs: every list a run makes is listed once, then kept
// current from a Kubernetes watch of the same collection and selectors (resourceVersion
// bookmarks; a 410 or any broken stream makes the next run list it again), so a run over an
// unchanged cluster reads its lists from memory. Per-pod reads (container logs, the ztunnel
// readiness and metrics through the pod proxy) are reused while their pod is unchanged, as far
// as the facts see it, and younger than evidence_max_age; a get of one object is a watch of its
// collection by metadata.name; the pods of single namespaces come from one cluster-wide list and
// watch of pods. Items are kept as the compact JSON text of what the extractors
// read (probe/object_filter.hpp), so a run feeds the extractor exactly what a fresh list would.
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "probe/http.hpp"
#include "probe/kube_client.hpp"
#include "util/expected.hpp"

namespace meshdoctor::probe {

struct WatchCacheOptions {
  // Each watch request asks the server to end it after between half of this and this (spread,
  // so watches do not reconnect together); it then resumes from its last resourceVersion.
  long watch_timeout_s = 600;
  // A per-pod read (log, readiness, metrics) of an unchanged pod is reused at most this long
  // (each entry expires between half of it and all of it, so refreshes spread over runs); so is
  // a 404 on a list (a CRD that is not installed).
  long evidence_max_age_ms = 10L * 60 * 1000;
  // A list no run asked for in this many runs (a namespace no longer ambient) is not watched.
  int idle_runs = 3;
};

class WatchCache {
 public:
  // `watcher` is the client of the watch streams: long-lived, without an overall deadline. Lists
  // made on a run's behalf use that run's client (and its deadline).
  explicit WatchCache(std::unique_ptr<KubeClient> watcher, WatchCacheOptions options = {});
  ~WatchCache();  // ends every watch (within about a second)
  WatchCache(const WatchCache&) = delete;
  WatchCache& operator=(const WatchCache&) = delete;

  // KubeClient::list_filtered with filter_for_object, from memory while the list's watch is
  // current; otherwise listed with `client` and watched from the list's resourceVersion.
  util::Status list(KubeClient& client, const std::string& path, const ListQuery& query,
                    const std::function<void(const nlohmann::json& item)>& on_item);
  // KubeClient::get of one object path, from a watch of its collection by metadata.name (the
  // object as the extractors read it). Where that list is refused, a plain get every time.
  util::Expected<std::string> get(KubeClient& client, const std::string& path);
  // KubeClient::get_raw; pod subresources are reused as described above.
  util::Expected<HttpResponse> get_raw(KubeClient& client, const std::string& path, BodyLimit limit = {});

  // After each run: stops the watches of lists no longer asked for, drops stale per-pod reads.
  void end_run();

  struct Stats {
    std::size_t lists = 0;     // collections kept
    std::size_t watching = 0;  // of which the watch is current
    std::size_t objects = 0;
    std::size_t pod_reads = 0;  // per-pod answers kept
    long long events = 0;       // watch events applied so far (bookmarks aside)
    long long relists = 0;      // lists made again after a broken or expired watch
  };
  Stats stats() const;
  // Requests the watch streams have sent so far (each (re)connection is one).
  int watch_requests() const { return m_watcher->request_count(); }

 private:
  struct Entry;
  struct PodRead;
  std::shared_ptr<Entry> entry_for(const std::string& path, const ListQuery& query);
  // A kept list, delivering only the items whose "namespace/name" key starts with `prefix`.
  util::Status serve(KubeClient& client, const std::string& path, const ListQuery& query,
                     const std::string& prefix, const std::function<void(const nlohmann::json& item)>& on_item);
  util::Status refill(KubeClient& client, Entry& entry, const std::string& prefix,
                      const std::function<void(const nlohmann::json& item)>& on_item);
  void watch_loop(Entry& entry);
  std::optional<std::uint64_t> pod_version(const std::string& pod) const;

  std::unique_ptr<KubeClient> m_watcher;
  WatchCacheOptions m_options;
  mutable std::mutex m_mutex;  // guards the maps and the run counter
  std::map<std::string, std::shared_ptr<Entry>> m_entries;
  std::map<std::string, std::shared_ptr<PodRead>> m_pod_reads;
  std::set<std::string> m_direct_gets;  // object paths whose collection cannot be listed
  int m_run = 0;
  std::atomic<long long> m_events{0}, m_relists{0};
  std::atomic<bool> m_no_cluster_pods{false};  // listing pods cluster-wide was refused
};

}  // namespace meshdoctor::probe
