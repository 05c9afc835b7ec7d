#include "checks/enrollment_rules.hpp"

#include "util/time.hpp"

#include <algorithm>
#include <cctype>
#include <tuple>

namespace meshdoctor::checks {

namespace {

const char* k_dataplane_label = "istio.io/dataplane-mode";

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::optional<std::string> label(const probe::Namespace* ns, const std::string& key) {
  if (!ns) return std::nullopt;
  auto it = ns->labels.find(key);
  if (it == ns->labels.end()) return std::nullopt;
  return it->second;
}

// Label part of the selector; nullopt when the labels select the pod.
std::optional<EnrollmentDecision> label_rejection(const probe::WorkloadPod& pod,
                                                  const probe::Namespace* ns) {
  if (pod.dataplane_mode == "ambient") return std::nullopt;
  if (pod.dataplane_mode == "none") {
    return EnrollmentDecision{false, SelectionReason::pod_opted_out,
                              "pod label istio.io/dataplane-mode=none opts it out"};
  }
  if (label(ns, k_dataplane_label) == "ambient") return std::nullopt;
  return EnrollmentDecision{false, SelectionReason::not_labelled,
                            "neither the pod nor namespace " + pod.ns + " is labelled ambient"};
}

// Exclusions that apply even to selected pods.
std::optional<EnrollmentDecision> exclusion(const probe::WorkloadPod& pod,
                                            const std::vector<std::string>& exclude_namespaces) {
  if (contains(exclude_namespaces, pod.ns)) {
    return EnrollmentDecision{false, SelectionReason::excluded_namespace,
                              "namespace " + pod.ns + " is in IstioCNI excludeNamespaces"};
  }
  if (pod.host_network) {
    return EnrollmentDecision{false, SelectionReason::host_network, "pod uses hostNetwork"};
  }
  if (pod.has_sidecar_status || pod.has_istio_proxy_container) {
    return EnrollmentDecision{false, SelectionReason::sidecar,
                              "pod has an Istio sidecar (sidecar.istio.io/status or istio-proxy)"};
  }
  return std::nullopt;
}

// The IstioCNI exclude list (chart default when unset or when IstioCNI could not be read).
void read_exclude_list(const probe::Facts& facts, AmbientPodSet& set) {
  set.exclude_namespaces = default_cni_exclude_namespaces();
  if (!facts.istio_cnis.source.ok()) {
    set.exclude_origin = std::string("IstioCNI not readable (") +
                         probe::to_string(facts.istio_cnis.source.state) +
                         "); chart default assumed";
    return;
  }
  set.exclude_origin = "no IstioCNI default; chart default assumed";
  for (const auto& cni : facts.istio_cnis.items) {
    if (cni.name != "default") continue;
    set.exclude_origin = "spec.values.cni.excludeNamespaces not set; chart default";
    if (cni.cni_exclude_namespaces.empty()) return;
    set.exclude_namespaces = cni.cni_exclude_namespaces;
    set.exclude_origin = "spec.values.cni.excludeNamespaces";
  }
}

// Only ambient-labelled namespaces must have their pods collected: elsewhere just pods labelled
// ambient themselves would be selected, and the collector reads pods where ambient is in use.
void find_uncollected(const probe::Facts& facts, AmbientPodSet& set) {
  for (const auto& ns : facts.namespaces.items) {
    auto it = ns.labels.find(k_dataplane_label);
    if (it == ns.labels.end() || it->second != "ambient") continue;
    if (contains(set.exclude_namespaces, ns.name) || ns.pods.ok()) continue;
    std::string why = probe::to_string(ns.pods.state);
    if (!ns.pods.detail.empty()) why += ": " + ns.pods.detail;
    set.uncollected[ns.name] = why;
  }
}

}  // namespace

std::vector<std::string> default_cni_exclude_namespaces() { return {"kube-system"}; }

bool is_live_pod(const probe::WorkloadPod& pod) {
  if (pod.terminating) return false;
  if (pod.phase == "Running") return true;
  return pod.phase == "Pending" && !pod.node.empty();
}

EnrollmentDecision should_be_enrolled(const probe::WorkloadPod& pod,
                                      const probe::Namespace* ns,
                                      const std::vector<std::string>& exclude_namespaces) {
  if (!is_live_pod(pod)) {
    std::string phase =
        pod.terminating ? "terminating" : (pod.phase.empty() ? "no phase" : pod.phase);
    if (pod.phase == "Pending" && pod.node.empty()) phase = "Pending and not scheduled";
    return {false, SelectionReason::not_live, "pod is " + phase};
  }
  if (auto rejected = label_rejection(pod, ns)) return *rejected;
  if (auto excluded = exclusion(pod, exclude_namespaces)) return *excluded;
  if (pod.dataplane_mode == "ambient") {
    return {true, SelectionReason::pod_label_ambient, "pod label istio.io/dataplane-mode=ambient"};
  }
  return {true, SelectionReason::namespace_label_ambient,
          "namespace " + pod.ns + " is labelled istio.io/dataplane-mode=ambient"};
}

namespace {

StartTiming classify_not_ready(const probe::NodeAgentPod& z, probe::Micros pod_start,
                               std::string& missing) {
  // Ready=False since t: the pod started after t met no Ready ztunnel. Before t the ztunnel may
  // have been Ready for a while (it went Ready→False at t); the facts cannot tell, so no verdict.
  if (!z.not_ready_since || pod_start >= *z.not_ready_since) return StartTiming::not_ready;
  missing = "ztunnel pod " + z.name + " is not Ready since " +
            util::format_rfc3339(*z.not_ready_since) +
            "; whether it was Ready when this pod started is not recorded";
  return StartTiming::unknown;
}

}  // namespace

// The current ztunnel incarnation started when the pod was created or, after a container
// restart, when the running container started; pods enrolled before that are handed over by the
// CNI agent's snapshot when the new ztunnel connects.
std::optional<probe::Micros> agent_restart(const probe::NodeAgentPod& z) {
  std::optional<probe::Micros> t = z.created ? z.created : z.start_time;
  if (z.container_start && (!t || *z.container_start > *t)) t = z.container_start;
  return t;
}

StartVerdict classify_pod_start(const probe::WorkloadPod& pod, const probe::NodeAgentPod& ztunnel) {
  StartVerdict v;
  // The CNI plugin runs when a pod sandbox is created. status.startTime keeps the first sandbox's
  // time, but after a node reboot the kubelet builds a new sandbox (CNI runs again) and only the
  // containers' startedAt move; so the latest container start decides (DESIGN MD504). A plain
  // container crash inside the window is flagged too: restarting it is harmless, missing a
  // rebooted pod is not.
  v.pod_start = pod.start_time ? pod.start_time : pod.created;
  if (pod.container_start && (!v.pod_start || *pod.container_start > *v.pod_start)) {
    v.pod_start = pod.container_start;
  }
  v.window_start = agent_restart(ztunnel);
  v.ready_at = ztunnel.ready ? ztunnel.ready_since : std::nullopt;
  if (!v.pod_start) {
    v.missing = "pod has neither status.startTime nor creationTimestamp";
  } else if (!v.window_start) {
    v.missing = "ztunnel pod " + ztunnel.name + " has no creation or start time";
  } else if (*v.pod_start < *v.window_start) {
    v.timing = StartTiming::handed_over;
  } else if (!ztunnel.ready) {
    v.timing = classify_not_ready(ztunnel, *v.pod_start, v.missing);
  } else if (!v.ready_at) {
    v.missing =
        "ztunnel pod " + ztunnel.name + " is Ready but its Ready transition time is unknown";
  } else {
    v.timing = *v.pod_start < *v.ready_at ? StartTiming::before_ready : StartTiming::after_ready;
  }
  return v;
}

bool Workload::operator<(const Workload& o) const {
  return std::tie(ns, kind, name) < std::tie(o.ns, o.kind, o.name);
}

std::map<std::string, const probe::NodeAgentPod*> newest_by_node(
    const std::vector<probe::NodeAgentPod>& pods) {
  std::map<std::string, const probe::NodeAgentPod*> out;
  for (const auto& z : pods) {
    auto& slot = out[z.node];
    if (!slot || z.created.value_or(0) > slot->created.value_or(0)) slot = &z;
  }
  return out;
}

std::map<std::string, const probe::NodeAgentPod*> ztunnel_by_node(const probe::Facts& facts) {
  return newest_by_node(facts.ztunnel_pods.items);
}

Workload owning_workload(const probe::WorkloadPod& pod) {
  if (pod.owner_kind == "ReplicaSet") {
    auto dash = pod.owner_name.rfind('-');
    if (dash != std::string::npos && dash > 0) {
      return {"Deployment", pod.ns, pod.owner_name.substr(0, dash)};
    }
  }
  if (pod.owner_kind == "StatefulSet" || pod.owner_kind == "DaemonSet") {
    return {pod.owner_kind, pod.ns, pod.owner_name};
  }
  return {"Pod", pod.ns, pod.name};
}

std::string restart_command(const Workload& w) {
  if (w.kind == "Pod") return "oc delete pod " + w.name + " -n " + w.ns;
  std::string kind = w.kind;
  std::transform(kind.begin(), kind.end(), kind.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return "oc rollout restart " + kind + "/" + w.name + " -n " + w.ns;
}

std::string owner_text(const probe::WorkloadPod& pod) {
  if (pod.owner_kind.empty()) return "no controller owner";
  return "owner " + pod.owner_kind + "/" + pod.owner_name;
}

AmbientPodSet select_ambient_pods(const probe::Facts& facts) {
  AmbientPodSet set;
  read_exclude_list(facts, set);
  find_uncollected(facts, set);
  std::map<std::string, const probe::Namespace*> by_name;
  for (const auto& ns : facts.namespaces.items) by_name[ns.name] = &ns;
  for (const auto& pod : facts.pods.items) {
    auto it = by_name.find(pod.ns);
    const probe::Namespace* ns = it == by_name.end() ? nullptr : it->second;
    if (should_be_enrolled(pod, ns, set.exclude_namespaces).should) {
      set.should.push_back(&pod);
    } else if (pod.redirection && is_live_pod(pod)) {
      set.stale.push_back(&pod);
    }
  }
  return set;
}

}  // namespace meshdoctor::checks
