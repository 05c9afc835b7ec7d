// Container logs of the node agents, read through pods/log and fed to the same scanners the
// bundle reader uses. istio-cni-node (container install-cni) is read from the head: the
// AmbientEnabled line is in the startup dump. ztunnel (container istio-proxy) is read from the
// tail: recent connection errors matter. The crashed instance (previous=true) is read too when a
// container has restarted; a 404 there just means there is no previous log.
#include <algorithm>
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

// What is kept of a log answer larger than asked for (a "last 2000 lines" that is one 200 MB line,
// a server that ignores limitBytes): the head of istio-cni's, the tail of ztunnel's. The rest is
// dropped as it arrives, so a huge log costs time on the wire, never memory.
constexpr std::size_t k_ztunnel_log_max_bytes = std::size_t{4} << 20;

BodyLimit log_limit(const LiveOptions& o, Agent agent) {
  if (agent == Agent::cni) return {static_cast<std::size_t>(std::max(o.cni_log_limit_bytes, 1L)), BodyKeep::head};
  return {k_ztunnel_log_max_bytes, BodyKeep::tail};
}

// A tail cut inside a line starts with the end of that line: not a line of the log.
void drop_partial_first_line(HttpResponse& r) {
  if (!r.body_cut || r.body.empty()) return;
  const auto nl = r.body.find('\n');
  r.body.erase(0, nl == std::string::npos ? r.body.size() : nl + 1);
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
  auto response = run.get_raw(log_path(run.options, pod, agent, previous), log_limit(run.options, agent));
  if (response && agent == Agent::ztunnel) drop_partial_first_line(*response);
  util::Expected<HttpResponse> answer = response;
  if (response && response->status >= 300) answer = error_of(*response);
  if (!answer) {
    if (previous && answer.error().code == "kube.not_found") return std::nullopt;
    log.source = subresource_failure("pods/log", pod.ns, answer.error());
    return log;
  }
  log.source = {Obtained::collected, "live: get pods/log " + pod.ns + "/" + pod.name};
  if (answer->body_cut)
    log.source.detail += agent == Agent::cni ? " (first " + std::to_string(log_limit(run.options, agent).max_bytes) + " bytes)"
                                             : " (last " + std::to_string(k_ztunnel_log_max_bytes >> 20) + " MiB of a larger answer)";
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

// As offline: no pods means no logs to miss, so the section is as complete as the pod list. A
// list cut short after its first pages (410 twice, a dropped connection) delivered some pods but
// not all: the logs of the unseen ones were never read, so the logs are as incomplete as the list.
void set_state(Section<PodLog>& logs, const Section<NodeAgentPod>& pods) {
  const bool complete = pods.source.ok() && !pods.items.empty();
  logs.source = complete ? SourceState{Obtained::collected, "live: container logs"} : pods.source;
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
  run_parallel(std::move(tasks), per_node_width(run.options));
}

}  // namespace meshdoctor::probe::live
