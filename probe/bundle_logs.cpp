// Container logs of the node agents: namespaces/<ns>/pods/<pod>/<container>/<container>/logs/
// current.log and previous.log (the crashed instance), streamed through the log scanners.
#include "probe/bundle_internal.hpp"
#include "probe/line_reader.hpp"
#include "probe/log_scan.hpp"

namespace meshdoctor::probe::bundle {
namespace {

enum class Agent { ztunnel, cni };

// The container that logs what the scanners look for (ztunnel chart: istio-proxy; istio-cni
// chart: install-cni).
const char* main_container(Agent agent) { return agent == Agent::ztunnel ? "istio-proxy" : "install-cni"; }

fs::path log_dir(const fs::path& pod_dir, const std::string& container) {
  return pod_dir / container / container / "logs";
}

// The containers to scan: the agent's own when present, else whatever containers have logs.
std::vector<std::string> containers_with_logs(const fs::path& pod_dir, Agent agent) {
  if (is_dir(log_dir(pod_dir, main_container(agent)))) return {main_container(agent)};
  std::vector<std::string> out;
  for (const auto& dir : list_dir(pod_dir, EntryKind::dirs)) {
    const std::string name = dir.filename().string();
    if (is_dir(log_dir(pod_dir, name))) out.push_back(name);
  }
  return out;
}

template <class Scanner>
SourceState scan_file(const fs::path& file, const std::string& rel, Scanner& scanner) {
  auto read = read_lines(file.string(), [&](std::string_view line, int n) { scanner.feed(line, n); });
  if (!read) return {Obtained::error, rel + ": " + read.error().message};
  if (read->truncated) scanner.result().truncated = true;
  return {Obtained::collected, rel};
}

PodLog scan_log(const Layout& layout, const NodeAgentPod& pod, Agent agent, const std::string& container,
                const fs::path& file, bool previous) {
  PodLog log{pod.ns, pod.name, container, pod.node, previous, {}, {}, {}};
  const std::string rel = layout.relative(file);
  if (agent == Agent::ztunnel) {
    ZtunnelLogScanner scanner(rel);
    log.source = scan_file(file, rel, scanner);
    log.ztunnel = scanner.result();
  } else {
    CniLogScanner scanner(rel);
    log.source = scan_file(file, rel, scanner);
    log.cni = scanner.result();
  }
  return log;
}

// Every log of one pod, looked up in each inspect root (must-gather may split data).
std::vector<PodLog> pod_logs(const Layout& layout, const NodeAgentPod& pod, Agent agent) {
  std::vector<PodLog> logs;
  for (const auto& root : layout.roots) {
    const fs::path pod_dir = root / "namespaces" / pod.ns / "pods" / pod.name;
    for (const auto& container : containers_with_logs(pod_dir, agent)) {
      for (bool previous : {false, true}) {
        const fs::path file = log_dir(pod_dir, container) / (previous ? "previous.log" : "current.log");
        if (is_file(file)) logs.push_back(scan_log(layout, pod, agent, container, file, previous));
      }
    }
    if (!logs.empty()) break;
  }
  if (logs.empty()) {
    PodLog missing{pod.ns, pod.name, main_container(agent), pod.node, false, {}, {}, {}};
    missing.source = {Obtained::not_found, "no log for pod " + pod.ns + "/" + pod.name + " in bundle"};
    logs.push_back(std::move(missing));
  }
  return logs;
}

void load_agent_logs(const Layout& layout, const Section<NodeAgentPod>& pods, Agent agent,
                     Section<PodLog>& out) {
  for (const auto& pod : pods.items) {
    for (auto& log : pod_logs(layout, pod, agent)) out.items.push_back(std::move(log));
  }
  // No pods means no logs to miss: the section is as complete as the pod list it derives from.
  out.source = pods.items.empty() ? pods.source : SourceState{Obtained::collected, "container logs"};
}

}  // namespace

void load_logs(Facts& facts, const Layout& layout) {
  load_agent_logs(layout, facts.ztunnel_pods, Agent::ztunnel, facts.ztunnel_logs);
  load_agent_logs(layout, facts.cni_pods, Agent::cni, facts.cni_logs);
}

}  // namespace meshdoctor::probe::bundle
