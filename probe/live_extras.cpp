// What inspect lacks and a live run can ask for, per ztunnel pod through the API server pod
// proxy: the readiness body (:15021/healthz/ready) — "ready" or "not ready, pending: …" tells
// MD404 which readiness task is stuck — and the metrics (:15020/stats/prometheus), whose pod
// proxy counts tell a proxy that cannot start from a missing CNI connection. A non-2xx answer
// with a body is a result, not a failure.
#include <algorithm>
#include <tuple>

#include "probe/live_internal.hpp"
#include "probe/ztunnel_metrics.hpp"

namespace meshdoctor::probe::live {
namespace {

std::string proxy_path(const NodeAgentPod& pod, const std::string& port_and_path) {
  return "/api/v1/namespaces/" + pod.ns + "/pods/" + pod.name + ":" + port_and_path;
}

// A refusal is recorded once per section: the first failure names the missing permission.
void record_failure(SourceState& section, const NodeAgentPod& pod, const util::Error& error) {
  const SourceState failure = subresource_failure("pods/proxy", pod.ns, error);
  if (section.ok()) section = failure;
}

void read_readiness(Run& run, const NodeAgentPod& pod) {
  run.progress("reading readiness of " + pod.ns + "/" + pod.name + "…");
  auto response = run.get_raw(proxy_path(pod, "15021/proxy/healthz/ready"));
  run.with_facts([&](Facts& f) {
    auto& section = f.ztunnel_readiness;
    if (!response) return record_failure(section.source, pod, response.error());
    section.items.push_back({pod.ns, pod.name, pod.node, response->status, response->body});
  });
}

// Only a 2xx body is a scrape; another answer (503: no endpoints) is kept as the pod's status so
// that evidence can say why its values are missing.
void read_metrics(Run& run, const NodeAgentPod& pod) {
  run.progress("reading metrics of " + pod.ns + "/" + pod.name + "…");
  auto response = run.get_raw(proxy_path(pod, "15020/proxy/stats/prometheus"));
  const bool scraped = response && response->status >= 200 && response->status < 300;
  ZtunnelMetrics m = scraped ? summarize_ztunnel_metrics(response->body) : ZtunnelMetrics{};
  m.ns = pod.ns;
  m.pod = pod.name;
  m.node = pod.node;
  if (response) m.http_status = response->status;
  if (scraped && run.options.sink) run.options.sink->pod_metrics(m, response->body);
  run.with_facts([&](Facts& f) {
    auto& section = f.ztunnel_metrics;
    if (!response) return record_failure(section.source, pod, response.error());
    section.items.push_back(std::move(m));
  });
}

// Both sections start from the ztunnel pods: with none (or none readable) there is nothing to
// ask, and the pods' own state says why. A pod list that failed after delivering some pods leaves
// the others unasked: the sections carry the list's failure, not a complete "collected".
std::vector<NodeAgentPod> start_sections(Run& run) {
  std::vector<NodeAgentPod> pods;
  run.with_facts([&](Facts& f) {
    pods = f.ztunnel_pods.items;
    const bool none = pods.empty() || !f.ztunnel_pods.source.ok();
    f.ztunnel_readiness.source = none ? f.ztunnel_pods.source
                                      : SourceState{Obtained::collected, "live: pods/proxy :15021/healthz/ready"};
    f.ztunnel_metrics.source = none ? f.ztunnel_pods.source
                                    : SourceState{Obtained::collected, "live: pods/proxy :15020/stats/prometheus"};
  });
  return pods;
}

}  // namespace

void collect_readiness(Run& run) {
  std::vector<Task> tasks;
  for (const auto& pod : start_sections(run)) {
    tasks.push_back([&run, pod] { read_readiness(run, pod); });
    tasks.push_back([&run, pod] { read_metrics(run, pod); });
  }
  run_parallel(std::move(tasks), per_node_width(run.options));
  // Answers arrive in any order; sorted, two runs of the same cluster read alike.
  run.with_facts([](Facts& f) {
    std::sort(f.ztunnel_metrics.items.begin(), f.ztunnel_metrics.items.end(),
              [](const ZtunnelMetrics& a, const ZtunnelMetrics& b) { return std::tie(a.ns, a.pod) < std::tie(b.ns, b.pod); });
  });
}

}  // namespace meshdoctor::probe::live
