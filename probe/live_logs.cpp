// Container logs of the node agents, read through pods/log and fed to the same scanners the
// bundle reader uses. istio-cni-node (container install-cni) is read from the head: the
// AmbientEnabled line is in the startup dump. ztunnel (container istio-proxy) is read from the
// tail: recent connection errors matter. The crashed instance (previous=true) is read too when a
// container has restarted; a 404 there just means there is no previous log.
#include <string_view>

#include "probe/live_internal.hpp"
#include "probe/log_scan.hpp"

namespace meshdoctor::probe::live {
namespace {

enum class Agent { cni, ztunnel };

const char* container_of(Agent agent) { return agent == Agent::cni ? "install-cni" : "istio-proxy"; }

std::string log_path(const LiveOptions& o, const NodeAgentPod& pod, Agent agent, bool previous) {
  std::string p = "/api/v1/namespaces/" + pod.ns + "/pods/" + pod.name + "/log?container=" + container_of(agent);
  p += agent == Agent::cni ? "&limitBytes=" + std::to_string(o.cni_log_limit_bytes)
                           : "&tailLines=" + std::to_string(o.ztunnel_tail_lines);
  return previous ? p + "&previous=true" : p;
}

template <class Scanner>
void scan_text(const std::string& text, Scanner& scanner) {
  std::string_view rest(text);
  int n = 0;
  while (!rest.empty()) {
    const auto nl = rest.find('\n');
    scanner.feed(rest.substr(0, nl), ++n);
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  // A head read cut at limitBytes, or a stream cut short, ends without a newline.
  if (!text.empty() && text.back() != '\n') scanner.result().truncated = true;
}

void scan_into(PodLog& log, Agent agent, const std::string& text) {
  const std::string file = "pods/" + log.pod + "/log";
  if (agent == Agent::cni) {
    CniLogScanner scanner(file);
    scan_text(text, scanner);
    log.cni = scanner.result();
  } else {
    ZtunnelLogScanner scanner(file);
    scan_text(text, scanner);
    log.ztunnel = scanner.result();
  }
}

util::Error error_of(const HttpResponse& response) {
  const int s = response.status;
  const char* code = s == 403 ? "kube.forbidden" : s == 404 ? "kube.not_found" : "kube.server";
  return util::make_error(code, "HTTP " + std::to_string(s) + ": " + response.body.substr(0, 200));
}

// One log; nullopt for a previous log that does not exist.
std::optional<PodLog> read_log(Run& run, const NodeAgentPod& pod, Agent agent, bool previous) {
  PodLog log{pod.ns, pod.name, container_of(agent), pod.node, previous, {}, {}, {}};
  run.progress("reading log of " + pod.ns + "/" + pod.name + "…");
  auto response = run.client.get_raw(log_path(run.options, pod, agent, previous));
  util::Expected<HttpResponse> answer = response;
  if (response && response->status >= 300) answer = error_of(*response);
  if (!answer) {
    if (previous && answer.error().code == "kube.not_found") return std::nullopt;
    log.source = subresource_failure("pods/log", pod.ns, answer.error());
    return log;
  }
  log.source = {Obtained::collected, "live: get pods/log " + pod.ns + "/" + pod.name};
  scan_into(log, agent, answer->body);
  if (run.options.sink) run.options.sink->pod_log(log, answer->body);
  return log;
}

void add_tasks(Run& run, const std::vector<NodeAgentPod>& pods, Agent agent, std::vector<Task>& tasks) {
  for (const auto& pod : pods) {
    for (bool previous : {false, true}) {
      if (previous && pod.restarts == 0) continue;
      tasks.push_back([&run, pod, agent, previous] {
        auto log = read_log(run, pod, agent, previous);
        if (!log) return;
        run.with_facts([&](Facts& f) {
          (agent == Agent::cni ? f.cni_logs : f.ztunnel_logs).items.push_back(std::move(*log));
        });
      });
    }
  }
}

// As offline: no pods means no logs to miss, so the section is as complete as the pod list.
void set_state(Section<PodLog>& logs, const Section<NodeAgentPod>& pods) {
  logs.source = pods.items.empty() ? pods.source : SourceState{Obtained::collected, "live: container logs"};
}

}  // namespace

void collect_logs(Run& run) {
  std::vector<NodeAgentPod> cni, ztunnel;
  run.with_facts([&](Facts& f) {
    cni = f.cni_pods.items;
    ztunnel = f.ztunnel_pods.items;
    set_state(f.cni_logs, f.cni_pods);
    set_state(f.ztunnel_logs, f.ztunnel_pods);
  });
  std::vector<Task> tasks;
  add_tasks(run, cni, Agent::cni, tasks);
  add_tasks(run, ztunnel, Agent::ztunnel, tasks);
  run_parallel(std::move(tasks), run.options.parallelism);
}

}  // namespace meshdoctor::probe::live
