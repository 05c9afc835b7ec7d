// What inspect lacks and a live run can ask for: each ztunnel pod's readiness body through the
// API server pod proxy (:15021/healthz/ready). "ready" or "not ready, pending: …" tells MD404
// which readiness task is stuck. A non-2xx answer with a body is a result, not a failure.
#include "probe/live_internal.hpp"

namespace meshdoctor::probe::live {
namespace {

std::string readiness_path(const NodeAgentPod& pod) {
  return "/api/v1/namespaces/" + pod.ns + "/pods/" + pod.name + ":15021/proxy/healthz/ready";
}

void read_readiness(Run& run, const NodeAgentPod& pod) {
  run.progress("reading readiness of " + pod.ns + "/" + pod.name + "…");
  auto response = run.client.get_raw(readiness_path(pod));
  run.with_facts([&](Facts& f) {
    auto& section = f.ztunnel_readiness;
    if (response) {
      section.items.push_back({pod.ns, pod.name, pod.node, response->status, response->body});
      return;
    }
    const SourceState failure = subresource_failure("pods/proxy", pod.ns, response.error());
    if (section.source.ok()) section.source = failure;  // the first failure names the refusal
  });
}

}  // namespace

void collect_readiness(Run& run) {
  std::vector<NodeAgentPod> pods;
  run.with_facts([&](Facts& f) {
    pods = f.ztunnel_pods.items;
    f.ztunnel_readiness.source = pods.empty() ? f.ztunnel_pods.source
                                              : SourceState{Obtained::collected, "live: pods/proxy :15021/healthz/ready"};
  });
  std::vector<Task> tasks;
  for (const auto& pod : pods) tasks.push_back([&run, pod] { read_readiness(run, pod); });
  run_parallel(std::move(tasks), run.options.parallelism);
}

}  // namespace meshdoctor::probe::live
