#pragma once
// Reads a live cluster through KubeClient into Facts, through the same extractor the bundle
// reader uses (probe/extract.hpp), so checks never know the source. Each section records how it
// was obtained: a 403 makes it `forbidden` naming the refused verb and resource, a 404 on a list
// of custom resources means the CRD is not installed (collected, empty), other failures `error`.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "probe/facts.hpp"
#include "probe/kube_client.hpp"
#include "util/expected.hpp"

namespace meshdoctor::probe {

// A Kubernetes resource as the inspect layout names it: "<group|core>/<resource>".
struct ResourceKey {
  std::string group;     // "" for the core group
  std::string resource;  // plural, e.g. "istiocnis"
  bool cluster_scoped = false;
  std::string key() const { return (group.empty() ? "core" : group) + "/" + resource; }
};

class WatchCache;

// Receives the raw objects and log text of a live run (for `meshdoctor collect`). Called from
// several threads at once: implementations synchronise themselves.
class ObjectSink {
 public:
  virtual ~ObjectSink() = default;
  // One object of `resource` read by a list or get in `listed_ns` ("" = all namespaces or
  // cluster-scoped), as the API returned it (apiVersion and kind filled in). Each object once.
  virtual void object(const ResourceKey& resource, const std::string& listed_ns,
                      const nlohmann::json& object) = 0;
  // That list or get has ended: its objects are complete when state is collected.
  virtual void finished(const ResourceKey& resource, const std::string& listed_ns,
                        const SourceState& state) = 0;
  // The text of one container log as read (head or tail).
  virtual void pod_log(const PodLog& log, const std::string& text) = 0;
  // One ztunnel pod's :15020/stats/prometheus body as scraped, with what was read from it.
  virtual void pod_metrics(const ZtunnelMetrics& metrics, const std::string& text) = 0;
};

struct LiveOptions {
  std::string context;                           // kube context name, for the report header
  std::vector<std::string> off_mesh_namespaces = {"stackrox", "industrial-edge-data-lake"};
  int parallelism = 4;                           // independent requests in flight
  long cni_log_limit_bytes = 256 * 1024;         // istio-cni: the startup dump is at the head
  int ztunnel_tail_lines = 2000;                 // ztunnel: recent connection errors
  ObjectSink* sink = nullptr;                    // keeps raw objects and logs when set
  // serve --watch: lists, gets and per-pod reads answered from watches (probe/watch_cache.hpp).
  // Not with a sink, which wants the objects whole.
  WatchCache* cache = nullptr;
  std::function<void(const std::string&)> progress;  // one-line status updates (TTY only)
  std::optional<Micros> now;                     // the run's clock read; taken at start when empty
};

// Fatal errors (exit 3) only when the first request fails with 401 (kube.unauthorized) or cannot
// reach the server (http.connect, http.dns, http.tls, http.timeout, kube.deadline: the whole
// run's time went on retrying it); everything later degrades
// the affected section.
util::Expected<Facts> collect_live(KubeClient& client, const LiveOptions& options);

// Whether an error from the first request means meshdoctor cannot run at all.
bool is_fatal_connection_error(const util::Error& error);

}  // namespace meshdoctor::probe
