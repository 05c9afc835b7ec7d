// Enrollment checks MD501–MD505: which namespaces and pods are in ambient mode, whether the
// istio-cni agent actually enrolled them, and whether they started while ztunnel was not serving.
#include <algorithm>
#include <map>
#include <set>

#include "checks/catalogue.hpp"
#include "checks/check_util.hpp"
#include "checks/enrollment_rules.hpp"

namespace meshdoctor::checks {

namespace {

using probe::Facts;
using probe::WorkloadPod;

const char* k_mode = "istio.io/dataplane-mode";
const char* k_docs_add = "https://istio.io/latest/docs/ambient/usage/add-workloads/";
const char* k_docs_redirect =
    "https://istio.io/latest/docs/ambient/architecture/traffic-redirection/";

std::string pod_source(const WorkloadPod& p) {
  return object_source("v1", "Pod", p.ns, p.name, p.origin);
}

std::string ns_source(const probe::Namespace& ns) {
  return object_source("v1", "Namespace", "", ns.name, ns.origin);
}

std::string label_of(const probe::Namespace& ns, const std::string& key) {
  auto it = ns.labels.find(key);
  return it == ns.labels.end() ? "" : it->second;
}

bool has_label(const probe::Namespace& ns, const std::string& key) {
  return ns.labels.count(key) > 0;
}

std::string time_text(std::optional<probe::Micros> t) {
  return t ? util::format_rfc3339(*t) : std::string("unknown");
}

std::string names(const std::vector<std::string>& v, size_t max = 10) {
  std::string out;
  for (size_t i = 0; i < v.size() && i < max; ++i) out += (i ? ", " : "") + v[i];
  if (v.size() > max) out += ", … (" + std::to_string(v.size() - max) + " more)";
  return out;
}

// Unknown evidence for ambient namespaces whose pods were not read.
void add_uncollected(Finding& f, const AmbientPodSet& set) {
  for (const auto& [ns, why] : set.uncollected) {
    f.evidence.push_back(
        {"v1 Namespace " + ns, "labelled ambient but its pods were not collected (" + why + ")"});
  }
}

std::vector<std::string> uncollected_names(const AmbientPodSet& set) {
  std::vector<std::string> v;
  for (const auto& [ns, why] : set.uncollected) v.push_back(ns);
  return v;
}

// One restart command per affected workload, deduplicated.
std::string restart_lines(const std::vector<const WorkloadPod*>& pods) {
  std::set<Workload> owners;
  for (const auto* p : pods) owners.insert(owning_workload(*p));
  std::string out;
  for (const auto& w : owners) out += "  " + restart_command(w) + "\n";
  return out;
}

void add_pod_objects(Finding& f, const std::vector<const WorkloadPod*>& pods) {
  for (const auto* p : pods) f.objects.push_back({"Pod", p->ns, p->name});
}

// ---- MD501 ------------------------------------------------------------------------------------

Finding run_ambient_namespaces(const Facts& facts, const CheckContext&) {
  if (!facts.namespaces.source.ok())
    return unknown_from_source("MD501", "namespaces", facts.namespaces.source);
  std::vector<std::string> ambient;
  for (const auto& ns : facts.namespaces.items) {
    if (label_of(ns, k_mode) == "ambient") ambient.push_back(ns.name);
  }
  if (!ambient.empty()) {
    Finding f = make_finding(
        "MD501", Status::pass,
        std::to_string(ambient.size()) +
            " namespace(s) labelled istio.io/dataplane-mode=ambient: " + names(ambient));
    f.evidence.push_back(
        {"v1 Namespace list", "label istio.io/dataplane-mode=ambient on " + names(ambient, 50)});
    return f;
  }
  std::vector<std::string> pods;
  for (const auto& p : facts.pods.items) {
    if (p.dataplane_mode == "ambient") pods.push_back(p.ns + "/" + p.name);
  }
  if (facts.pods.source.ok() && !pods.empty()) {
    Finding f = make_finding("MD501", Status::pass,
                             "no namespace is ambient, but " + std::to_string(pods.size()) +
                                 " pod(s) are labelled ambient");
    f.evidence.push_back(
        {"v1 Pod list", "label istio.io/dataplane-mode=ambient on " + names(pods)});
    return f;
  }
  Finding f = make_finding("MD501", Status::warn,
                           "no namespace is labelled istio.io/dataplane-mode=ambient");
  f.evidence.push_back(
      {"v1 Namespace list", std::to_string(facts.namespaces.items.size()) +
                                " namespaces read, none labelled istio.io/dataplane-mode=ambient"});
  if (!facts.pods.source.ok()) {
    f.evidence.push_back({"v1 Pod list", std::string("pod labels not checked: ") +
                                             probe::to_string(facts.pods.source.state) + " " +
                                             facts.pods.source.detail});
  }
  return f;
}

// ---- MD502 ------------------------------------------------------------------------------------

// Empty when the namespace is explicitly off-mesh; otherwise what is wrong with its label.
std::string off_mesh_problem(const probe::Namespace& ns) {
  std::string mode = label_of(ns, k_mode);
  if (mode == "none") return "";
  if (mode == "ambient") return "labelled istio.io/dataplane-mode=ambient although off-mesh";
  if (has_label(ns, k_mode))
    return "label istio.io/dataplane-mode=" + mode + " is not none (not explicitly opted out)";
  return "no istio.io/dataplane-mode label (not explicitly opted out)";
}

Finding run_off_mesh_namespaces(const Facts& facts, const CheckContext& ctx) {
  const auto& wanted = ctx.off_mesh_namespaces;
  if (wanted.empty())
    return make_finding("MD502", Status::skipped, "no off-mesh namespaces configured");
  if (!facts.namespaces.source.ok())
    return unknown_from_source("MD502", "namespaces", facts.namespaces.source);
  Finding f = make_finding("MD502", Status::pass, "");
  std::vector<std::string> bad, present;
  for (const auto& ns : facts.namespaces.items) {
    if (std::find(wanted.begin(), wanted.end(), ns.name) == wanted.end()) continue;
    present.push_back(ns.name);
    std::string problem = off_mesh_problem(ns);
    f.evidence.push_back(
        {ns_source(ns),
         problem.empty() ? "label istio.io/dataplane-mode=none (explicitly off-mesh)" : problem});
    if (problem.empty()) continue;
    bad.push_back(ns.name);
    f.objects.push_back({"Namespace", "", ns.name});
    f.fix += "oc label namespace " + ns.name + " istio.io/dataplane-mode=none --overwrite\n";
  }
  if (present.empty()) {
    f.message = "none of the off-mesh namespaces exist";
    f.evidence.push_back({"v1 Namespace list", "no namespace named " + names(wanted) + " among " +
                                                   std::to_string(facts.namespaces.items.size()) +
                                                   " namespaces"});
  } else if (bad.empty()) {
    f.message = "off-mesh namespaces are labelled istio.io/dataplane-mode=none: " + names(present);
  } else {
    f.status = Status::warn;
    f.message = "off-mesh namespace(s) not opted out of ambient: " + names(bad);
  }
  return f;
}

// ---- MD503 ------------------------------------------------------------------------------------

struct Coverage {
  int enrolled = 0, total = 0;
};

struct EnrollmentTally {
  std::map<std::string, Coverage> nodes;
  std::vector<const WorkloadPod*> pending, absent, other;
  std::vector<const WorkloadPod*> failed() const {
    auto all = pending;
    all.insert(all.end(), absent.begin(), absent.end());
    all.insert(all.end(), other.begin(), other.end());
    return all;
  }
};

EnrollmentTally tally(const AmbientPodSet& set) {
  EnrollmentTally t;
  for (const auto* p : set.should) {
    auto& c = t.nodes[p->node];
    ++c.total;
    if (p->redirection == "enabled") {
      ++c.enrolled;
    } else if (p->redirection == "pending") {
      t.pending.push_back(p);
    } else if (!p->redirection) {
      t.absent.push_back(p);
    } else {
      t.other.push_back(p);
    }
  }
  return t;
}

std::string not_enrolled_detail(const WorkloadPod& p) {
  std::string state =
      !p.redirection ? "no ambient.istio.io/redirection annotation"
      : *p.redirection == "pending"
          ? "ambient.istio.io/redirection=pending (captured, but no ztunnel accepted it yet)"
          : "ambient.istio.io/redirection=" + *p.redirection;
  return "on " + p.node + " (phase " + p.phase + "): " + state + "; " + owner_text(p);
}

std::string enrollment_message(const EnrollmentTally& t, size_t total) {
  std::string msg = std::to_string(t.failed().size()) + " of " + std::to_string(total) +
                    " ambient pods not enrolled: " + std::to_string(t.pending.size()) +
                    " pending, " + std::to_string(t.absent.size()) + " unannotated";
  if (!t.other.empty()) msg += ", " + std::to_string(t.other.size()) + " with another value";
  return msg;
}

void add_coverage(Finding& f, const EnrollmentTally& t) {
  for (const auto& [node, c] : t.nodes) {
    f.evidence.push_back({"node " + node, node + ": " + std::to_string(c.enrolled) + "/" +
                                              std::to_string(c.total) + " enrolled"});
  }
}

Finding run_pods_enrolled(const Facts& facts, const CheckContext&) {
  if (!facts.namespaces.source.ok())
    return unknown_from_source("MD503", "namespaces", facts.namespaces.source);
  if (!facts.pods.source.ok())
    return unknown_from_source("MD503", "workload pods", facts.pods.source);
  AmbientPodSet set = select_ambient_pods(facts);
  EnrollmentTally t = tally(set);
  auto failed = t.failed();
  Finding f = make_finding("MD503", Status::pass, "");
  add_coverage(f, t);
  for (const auto* p : failed) f.evidence.push_back({pod_source(*p), not_enrolled_detail(*p)});
  for (const auto* p : set.stale) {
    f.evidence.push_back(
        {pod_source(*p), "stale enrollment: ambient.istio.io/redirection=" + *p->redirection +
                             " but the pod is not selected for ambient (" + owner_text(*p) + ")"});
  }
  f.evidence.push_back(
      {"sailoperator.io IstioCNI default",
       "excludeNamespaces [" + names(set.exclude_namespaces) + "] (" + set.exclude_origin + ")"});
  add_uncollected(f, set);
  if (!failed.empty()) {
    f.status = Status::fail;
    f.message = enrollment_message(t, set.should.size());
    add_pod_objects(f, failed);
    f.fix =
        "Pods stay pending until ztunnel on their node accepts them: make ztunnel and "
        "istio-cni-node "
        "Ready on those nodes first (see MD402, MD303). If a pod stays un-enrolled once both are "
        "Ready, restart its workload so the CNI plugin runs again:\n" +
        restart_lines(failed) + "or run the playbook: meshdoctor restart (restart-stale-workloads)";
  } else if (!set.uncollected.empty()) {
    f.status = Status::unknown;
    f.message =
        "pods of ambient namespace(s) " + names(uncollected_names(set)) + " were not collected";
  } else if (set.should.empty()) {
    f.status = Status::skipped;
    f.message = "no pods selected for ambient";
  } else {
    f.message = "all " + std::to_string(set.should.size()) + " ambient pods enrolled on " +
                std::to_string(t.nodes.size()) + " node(s)";
  }
  return f;
}

// ---- MD504 ------------------------------------------------------------------------------------

std::string stale_detail(const WorkloadPod& p,
                         const probe::NodeAgentPod& z,
                         const StartVerdict& v) {
  std::string d = "on " + p.node + " started " + time_text(v.pod_start) + ", " + z.name +
                  (v.timing == StartTiming::not_ready
                       ? " ((re)started " + time_text(v.window_start) + ") not Ready"
                       : " Ready at " + time_text(v.ready_at));
  if (p.start_time && p.start_time != v.pod_start) {
    d += " (latest container start; pod startTime " + time_text(p.start_time) + ")";
  }
  return d + "; " + owner_text(p);
}

struct TimingScan {
  std::vector<const WorkloadPod*> stale;
  std::vector<Evidence> stale_evidence, unknown_evidence;
  std::map<std::string, std::pair<int, int>> per_node;  // node → (after Ready, handed over)
};

TimingScan scan_timing(const Facts& facts, const AmbientPodSet& set) {
  TimingScan s;
  auto zt = ztunnel_by_node(facts);
  for (const auto* p : set.should) {
    auto it = zt.find(p->node);
    if (it == zt.end()) {
      s.unknown_evidence.push_back({pod_source(*p), "no ztunnel pod on node " + p->node});
      continue;
    }
    StartVerdict v = classify_pod_start(*p, *it->second);
    if (v.stale()) {
      s.stale.push_back(p);
      s.stale_evidence.push_back({pod_source(*p), stale_detail(*p, *it->second, v)});
    } else if (v.timing == StartTiming::unknown) {
      s.unknown_evidence.push_back({pod_source(*p), "start time not comparable: " + v.missing});
    } else {
      auto& n = s.per_node[p->node];
      (v.timing == StartTiming::after_ready ? n.first : n.second)++;
    }
  }
  return s;
}

void add_node_windows(Finding& f, const Facts& facts, const TimingScan& s) {
  auto zt = ztunnel_by_node(facts);
  for (const auto& [node, counts] : s.per_node) {
    const auto* z = zt[node];
    f.evidence.push_back(
        {object_source("v1", "Pod", z->ns, z->name, z->origin),
         "on " + node + ": created " + time_text(z->created ? z->created : z->start_time) +
             (z->ready ? ", Ready since " + time_text(z->ready_since)
                       : std::string(", not Ready")) +
             "; " + std::to_string(counts.first) + " ambient pod(s) started after Ready, " +
             std::to_string(counts.second) + " handed over from before"});
  }
}

std::string stale_fix(const TimingScan& s) {
  return "Restart the affected workloads so that their new pods are captured by the CNI plugin and "
         "handed to a Ready ztunnel (reconcileIptablesOnStartup does not fix pods that ztunnel "
         "never "
         "accepted). If ztunnel on the node is not Ready yet, fix that first (see MD402).\n" +
         restart_lines(s.stale) +
         "or run the playbook: meshdoctor restart (restart-stale-workloads)";
}

Finding run_started_before_ztunnel(const Facts& facts, const CheckContext&) {
  const char* id = "MD504";
  if (!facts.namespaces.source.ok())
    return unknown_from_source(id, "namespaces", facts.namespaces.source);
  if (!facts.pods.source.ok()) return unknown_from_source(id, "workload pods", facts.pods.source);
  if (!facts.ztunnel_pods.source.ok())
    return unknown_from_source(id, "ztunnel pods", facts.ztunnel_pods.source);
  AmbientPodSet set = select_ambient_pods(facts);
  TimingScan s = scan_timing(facts, set);
  Finding f = make_finding(id, Status::pass, "");
  f.evidence = s.stale_evidence;
  f.evidence.insert(f.evidence.end(), s.unknown_evidence.begin(), s.unknown_evidence.end());
  add_node_windows(f, facts, s);
  add_uncollected(f, set);
  if (!s.stale.empty()) {
    f.status = Status::fail;
    std::set<Workload> owners;
    for (const auto* p : s.stale) owners.insert(owning_workload(*p));
    f.message = std::to_string(s.stale.size()) +
                " ambient pod(s) started while ztunnel on their node was not Ready (" +
                std::to_string(owners.size()) + " workload(s) to restart)";
    add_pod_objects(f, s.stale);
    f.fix = stale_fix(s);
  } else if (!s.unknown_evidence.empty() || !set.uncollected.empty()) {
    f.status = Status::unknown;
    f.message =
        std::to_string(s.unknown_evidence.size()) +
        " ambient pod(s) could not be compared with their "
        "node's ztunnel" +
        (set.uncollected.empty() ? "" : "; some ambient namespaces' pods were not collected");
  } else if (set.should.empty()) {
    f.status = Status::skipped;
    f.message = "no pods selected for ambient";
  } else {
    f.message = "none of " + std::to_string(set.should.size()) +
                " ambient pods started before ztunnel was Ready";
  }
  return f;
}

// ---- MD505 ------------------------------------------------------------------------------------

void find_mixed_namespaces(const Facts& facts, Finding& f) {
  for (const auto& ns : facts.namespaces.items) {
    if (!has_label(ns, k_mode)) continue;
    bool injection = label_of(ns, "istio-injection") == "enabled";
    if (!injection && !has_label(ns, "istio.io/rev")) continue;
    f.objects.push_back({"Namespace", "", ns.name});
    f.evidence.push_back(
        {ns_source(ns), std::string("labels istio.io/dataplane-mode=") + label_of(ns, k_mode) +
                            " and " +
                            (injection ? "istio-injection=enabled"
                                       : "istio.io/rev=" + label_of(ns, "istio.io/rev"))});
  }
}

void find_sidecars_in_ambient(const Facts& facts, Finding& f) {
  std::set<std::string> ambient;
  for (const auto& ns : facts.namespaces.items) {
    if (label_of(ns, k_mode) == "ambient") ambient.insert(ns.name);
  }
  for (const auto& p : facts.pods.items) {
    if (!ambient.count(p.ns) || !(p.has_sidecar_status || p.has_istio_proxy_container)) continue;
    if (p.dataplane_mode == "none") continue;  // waypoints and gateways opt out explicitly
    f.objects.push_back({"Pod", p.ns, p.name});
    f.evidence.push_back(
        {pod_source(p), std::string("has a sidecar (") +
                            (p.has_sidecar_status ? "sidecar.istio.io/status annotation"
                                                  : "istio-proxy container") +
                            ") in ambient namespace " + p.ns + "; " + owner_text(p)});
  }
}

Finding run_sidecar_and_ambient(const Facts& facts, const CheckContext&) {
  if (!facts.namespaces.source.ok())
    return unknown_from_source("MD505", "namespaces", facts.namespaces.source);
  Finding f = make_finding("MD505", Status::pass, "");
  find_mixed_namespaces(facts, f);
  if (facts.pods.source.ok()) find_sidecars_in_ambient(facts, f);
  if (!f.evidence.empty()) {
    f.status = Status::warn;
    f.message = std::to_string(f.objects.size()) + " object(s) mix sidecar injection and ambient";
    return f;
  }
  if (!facts.pods.source.ok()) {
    Finding u = unknown_from_source("MD505", "workload pods", facts.pods.source);
    u.evidence.push_back(
        {"v1 Namespace list", "no namespace has both injection and dataplane-mode labels"});
    return u;
  }
  f.message = "no sidecar pods in ambient namespaces and no namespace labelled for both modes";
  f.evidence.push_back(
      {"v1 Namespace list", std::to_string(facts.namespaces.items.size()) + " namespaces and " +
                                std::to_string(facts.pods.items.size()) + " pods checked"});
  return f;
}

}  // namespace

std::vector<CheckInfo> enrollment_checks() {
  std::vector<CheckInfo> v;
  v.push_back(
      {"MD501",
       "ambient-namespaces",
       "enrollment",
       Severity::warn,
       {},
       "At least one namespace is labelled istio.io/dataplane-mode=ambient",
       "ztunnel runs but no workload traffic goes through it; istioctl ztunnel-config workloads "
       "shows only TCP",
       "Ambient enrollment is opt-in: without the label on a namespace (or pod) no pod is captured",
       "oc label namespace <namespace> istio.io/dataplane-mode=ambient",
       k_docs_add,
       run_ambient_namespaces});
  v.push_back(
      {"MD502",
       "off-mesh-namespaces",
       "enrollment",
       Severity::warn,
       {},
       "Namespaces meant to stay off the mesh are explicitly opted out of ambient",
       "Security or data workloads (e.g. stackrox) get captured by ztunnel and lose connectivity",
       "A namespace that must not be meshed is either labelled ambient or relies on not being "
       "labelled; "
       "an explicit istio.io/dataplane-mode=none protects it from later mesh-wide selectors",
       "oc label namespace <namespace> istio.io/dataplane-mode=none --overwrite",
       k_docs_add,
       run_off_mesh_namespaces});
  v.push_back({"MD503",
               "pods-enrolled",
               "enrollment",
               Severity::fail,
               {"MD402", "MD303"},
               "Every pod selected for ambient carries ambient.istio.io/redirection=enabled",
               "Pods in ambient namespaces are not in the mesh (istioctl ztunnel-config workloads "
               "shows TCP, not "
               "HBONE) or their traffic is black-holed while they are pending",
               "The istio-cni agent could not enroll them: no ztunnel connected on the node "
               "(pending), the CNI "
               "plugin or agent did not run for them (no annotation), or they started before "
               "ambient was ready",
               "Make ztunnel and istio-cni-node Ready on the affected nodes; then restart the "
               "workloads whose pods "
               "stay un-enrolled: oc rollout restart deployment/<name> -n <namespace>",
               k_docs_redirect,
               run_pods_enrolled});
  v.push_back(
      {"MD504",
       "pods-started-before-ztunnel",
       "enrollment",
       Severity::fail,
       {"MD402"},
       "No ambient pod started while its node had no Ready ztunnel",
       "Requests to these pods fail with 'upstream connect error' / 503 although they look Running",
       "The pod sandbox was created after the node's ztunnel pod (re)started and before it became "
       "Ready, "
       "so its redirection was set up without a ztunnel to accept it; reconcileIptablesOnStartup "
       "does not "
       "fix it",
       "Restart the owning workloads: oc rollout restart deployment/<name> -n <namespace> (or the "
       "playbook "
       "meshdoctor restart, restart-stale-workloads)",
       k_docs_redirect,
       run_started_before_ztunnel});
  v.push_back(
      {"MD505",
       "sidecar-and-ambient",
       "enrollment",
       Severity::warn,
       {},
       "No sidecar pods in ambient namespaces and no namespace labelled for both modes",
       "Pods keep their sidecars in an ambient namespace, or istioctl analyze reports IST0123 "
       "NamespaceMultipleInjectionLabels",
       "A namespace carries istio-injection/istio.io/rev together with istio.io/dataplane-mode, or "
       "sidecar "
       "pods were not restarted after the namespace moved to ambient (sidecar pods are never "
       "captured)",
       "oc label namespace <namespace> istio-injection- istio.io/rev-\n"
       "oc rollout restart deployment -n <namespace>",
       k_docs_add,
       run_sidecar_and_ambient});
  return v;
}

}  // namespace meshdoctor::checks
