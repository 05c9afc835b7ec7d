// Pods: the node agents (ztunnel, istio-cni-node) become NodeAgentPod, everything else a
// WorkloadPod with the enrollment and timing fields MD503/MD504 need.
#include <nlohmann/json.hpp>

#include "probe/extract_internal.hpp"

namespace meshdoctor::probe {
namespace {

using nlohmann::json;

enum class PodRole { ztunnel, cni, workload };

struct Owner {
  std::string kind, name;
};

// The first ownerReference with controller=true.
Owner controller_owner(const json& o, Fields& f) {
  for (const json* ref : f.objects(o, {"metadata", "ownerReferences"})) {
    if (f.opt_bool(*ref, {"controller"}).value_or(false)) {
      return {f.str(*ref, {"kind"}), f.str(*ref, {"name"})};
    }
  }
  return {};
}

PodRole role_of(const Owner& owner, const std::map<std::string, std::string>& labels) {
  const bool ds = owner.kind == "DaemonSet";
  auto label = [&](const char* key) {
    auto it = labels.find(key);
    return it == labels.end() ? std::string() : it->second;
  };
  if ((ds && owner.name == "ztunnel") || label("app") == "ztunnel") return PodRole::ztunnel;
  if ((ds && owner.name == "istio-cni-node") || label("k8s-app") == "istio-cni-node")
    return PodRole::cni;
  return PodRole::workload;
}

// Fields both pod kinds share, read once.
struct PodStatus {
  std::string phase, waiting_reason;
  bool ready = false;
  std::optional<Micros> ready_since, not_ready_since, container_start;
  int restarts = 0;
};

void read_container_statuses(const json& o, Fields& f, PodStatus& s) {
  for (const json* cs : f.objects(o, {"status", "containerStatuses"})) {
    s.restarts += f.integer(*cs, {"restartCount"});
    auto started = f.time(*cs, {"state", "running", "startedAt"});
    if (started && (!s.container_start || *started > *s.container_start)) s.container_start = started;
    const std::string waiting = f.str(*cs, {"state", "waiting", "reason"});
    if (s.waiting_reason.empty()) s.waiting_reason = waiting;
  }
}

PodStatus read_status(const json& o, Fields& f) {
  PodStatus s;
  s.phase = f.str(o, {"status", "phase"});
  const auto conditions = f.conditions(o, {"status", "conditions"});
  if (const Condition* ready = find_condition(conditions, "Ready")) {
    s.ready = ready->status == "True";
    (s.ready ? s.ready_since : s.not_ready_since) = ready->last_transition;
  }
  read_container_statuses(o, f, s);
  return s;
}

// Native sidecars (Kubernetes 1.29+) put istio-proxy among the init containers.
bool has_container(const json& o, Fields& f, const char* name) {
  for (const json* c : f.objects(o, {"spec", "containers"})) {
    if (f.str(*c, {"name"}) == name) return true;
  }
  for (const json* c : f.objects(o, {"spec", "initContainers"})) {
    if (f.str(*c, {"name"}) == name) return true;
  }
  return false;
}

void add_node_agent(Facts& facts, PodRole role, const json& o, const Meta& m, Fields& f) {
  const PodStatus s = read_status(o, f);
  NodeAgentPod p;
  p.ns = m.ns;
  p.name = m.name;
  p.uid = m.uid;
  p.node = f.str(o, {"spec", "nodeName"});
  p.phase = s.phase;
  p.ready = s.ready;
  p.created = f.time(o, {"metadata", "creationTimestamp"});
  p.start_time = f.time(o, {"status", "startTime"});
  p.ready_since = s.ready_since;
  p.not_ready_since = s.not_ready_since;
  p.container_start = s.container_start;
  p.restarts = s.restarts;
  p.waiting_reason = s.waiting_reason;
  p.origin = m.origin;
  (role == PodRole::ztunnel ? facts.ztunnel_pods : facts.cni_pods).items.push_back(std::move(p));
}

void add_workload(Facts& facts, const Owner& owner, const std::map<std::string, std::string>& labels,
                  const json& o, const Meta& m, Fields& f) {
  const PodStatus s = read_status(o, f);
  WorkloadPod p;
  p.ns = m.ns;
  p.name = m.name;
  p.uid = m.uid;
  p.node = f.str(o, {"spec", "nodeName"});
  p.phase = s.phase;
  p.ready = s.ready;
  p.owner_kind = owner.kind;
  p.owner_name = owner.name;
  p.created = f.time(o, {"metadata", "creationTimestamp"});
  p.start_time = f.time(o, {"status", "startTime"});
  p.container_start = s.container_start;
  const auto annotations = f.string_map(o, {"metadata", "annotations"});
  if (auto it = annotations.find("ambient.istio.io/redirection"); it != annotations.end())
    p.redirection = it->second;
  p.has_sidecar_status = annotations.count("sidecar.istio.io/status") > 0;
  p.static_pod = annotations.count("kubernetes.io/config.mirror") > 0;
  p.has_istio_proxy_container = has_container(o, f, "istio-proxy");
  if (auto it = labels.find("istio.io/dataplane-mode"); it != labels.end()) p.dataplane_mode = it->second;
  if (auto it = labels.find("istio.io/use-waypoint"); it != labels.end()) p.use_waypoint = it->second;
  if (auto it = labels.find("istio.io/use-waypoint-namespace"); it != labels.end())
    p.use_waypoint_namespace = it->second;
  p.host_network = f.opt_bool(o, {"spec", "hostNetwork"}).value_or(false);
  p.terminating = f.at(o, {"metadata", "deletionTimestamp"}) != nullptr;
  p.origin = m.origin;
  facts.pods.items.push_back(std::move(p));
}

}  // namespace

const std::string_view k_pod_fields =
    "metadata{creationTimestamp deletionTimestamp ownerReferences[controller kind name] "
    "labels<app k8s-app istio.io/dataplane-mode istio.io/use-waypoint istio.io/use-waypoint-namespace> "
    "annotations<ambient.istio.io/redirection sidecar.istio.io/status kubernetes.io/config.mirror>} "
    "spec{nodeName hostNetwork containers[name] initContainers[name]} "
    "status{phase startTime conditions[type status reason message lastTransitionTime] "
    "containerStatuses[restartCount state{running{startedAt} waiting{reason}}]}";

bool extract_pod(Facts& facts, const json& o, const Meta& m, Fields& f) {
  const Owner owner = controller_owner(o, f);
  const auto labels = f.string_map(o, {"metadata", "labels"});
  const PodRole role = role_of(owner, labels);
  if (role == PodRole::workload) add_workload(facts, owner, labels, o, m, f);
  else add_node_agent(facts, role, o, m, f);
  return true;
}

}  // namespace meshdoctor::probe
