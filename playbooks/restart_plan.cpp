// Planning restart-stale-workloads: flagged pods → owning workloads → guards → ordered plan.
// Reads the cluster only through ObjectReader (GETs); writes nothing.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "checks/enrollment_rules.hpp"
#include "playbooks/restart.hpp"
#include "playbooks/restart_internal.hpp"
#include "util/time.hpp"

namespace meshdoctor::playbooks {

using checks::PlanAction;
using checks::PlanEntry;
using checks::RemediationPod;
using nlohmann::json;

namespace {

const char* k_optout = "meshdoctor.io/restart";

struct Flagged {
  const probe::WorkloadPod* pod = nullptr;
  const probe::NodeAgentPod* ztunnel = nullptr;  // the node's current ztunnel (may be null)
  RemediationPod info;
};

std::string hhmmss(std::optional<util::Micros> t) {
  if (!t) return "?";
  std::string s = util::format_rfc3339(*t);
  return s.size() >= 19 ? s.substr(11, 8) : s;
}

// MD504's pods: the same rules the check applies, with the times kept for the plan.
void flag_stale(const probe::Facts& facts, const checks::AmbientPodSet& set,
                std::vector<Flagged>& out) {
  auto zt = checks::ztunnel_by_node(facts);
  for (const auto* p : set.should) {
    auto it = zt.find(p->node);
    if (it == zt.end()) continue;
    checks::StartVerdict v = checks::classify_pod_start(*p, *it->second);
    if (!v.stale()) continue;
    Flagged f{p, it->second, {}};
    f.info = {p->ns, p->name, p->node, "MD504", it->second->name, v.pod_start, v.ready_at, ""};
    f.info.detail = "started " + hhmmss(v.pod_start) + ", " + it->second->name +
                    (v.ready_at ? " Ready at " + hhmmss(v.ready_at) : std::string(" not Ready"));
    out.push_back(f);
  }
}

// MD503's pods (--include-unenrolled): selected for ambient, not redirection=enabled.
void flag_unenrolled(const probe::Facts& facts, const checks::AmbientPodSet& set,
                     std::vector<Flagged>& out) {
  auto zt = checks::ztunnel_by_node(facts);
  for (const auto* p : set.should) {
    if (p->redirection == "enabled") continue;
    auto it = zt.find(p->node);
    const probe::NodeAgentPod* z = it == zt.end() ? nullptr : it->second;
    Flagged f{p, z, {}};
    f.info = {p->ns, p->name, p->node, "MD503", z ? z->name : "", p->container_start,
              z ? z->ready_since : std::nullopt, ""};
    f.info.detail = (p->redirection ? "ambient.istio.io/redirection=" + *p->redirection
                                    : std::string("no ambient.istio.io/redirection annotation"));
    out.push_back(f);
  }
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// The namespace guards, which need no API call: nullopt when the namespace may be touched.
std::optional<std::pair<std::string, std::string>> namespace_guard(const std::string& ns,
                                                                   const probe::Facts& facts,
                                                                   const PlanOptions& o) {
  if (!o.namespaces.empty() && !contains(o.namespaces, ns))
    return std::make_pair(std::string("namespace-filter"), "namespace " + ns + " is not among --namespace");
  if (contains(o.exclude_namespaces, ns))
    return std::make_pair(std::string("excluded-namespace"), "namespace " + ns + " is excluded (--exclude-namespace)");
  if (contains(o.off_mesh_namespaces, ns))
    return std::make_pair(std::string("excluded-namespace"),
                          "namespace " + ns + " is off-mesh by policy (--off-mesh-namespaces); see MD502");
  if (is_protected_namespace(ns, facts))
    return std::make_pair(std::string("excluded-namespace"),
                          "namespace " + ns + " belongs to the platform or the mesh itself");
  return std::nullopt;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string workload_path(const std::string& kind, const std::string& ns, const std::string& name) {
  if (kind == "Pod") return "/api/v1/namespaces/" + ns + "/pods/" + name;
  return "/apis/apps/v1/namespaces/" + ns + "/" + lower(kind) + "s/" + name;
}

const json* controller_owner(const json& obj) {
  const json* refs = json_at(obj, {"metadata", "ownerReferences"});
  if (!refs || !refs->is_array()) return nullptr;
  for (const auto& r : *refs) {
    if (r.is_object() && r.value("controller", false)) return &r;
  }
  return nullptr;
}

std::string annotation(const json& obj, std::initializer_list<const char*> path, const std::string& key) {
  const json* a = json_at(obj, path);
  if (!a || !a->is_object()) return "";
  auto it = a->find(key);
  return it != a->end() && it->is_string() ? it->get<std::string>() : "";
}

long long number(const json& obj, std::initializer_list<const char*> path, long long fallback) {
  const json* v = json_at(obj, path);
  return v && v->is_number_integer() ? v->get<long long>() : fallback;
}

std::string text(const json& obj, std::initializer_list<const char*> path) {
  const json* v = json_at(obj, path);
  return v && v->is_string() ? v->get<std::string>() : "";
}

// Resolves pods to owning workloads, caching ReplicaSet lookups.
class OwnerResolver {
 public:
  OwnerResolver(const ObjectReader& read, bool delete_bare) : m_read(read), m_delete_bare(delete_bare) {}

  // The entry the pod belongs to: kind/ns/name always set; action skip with guard when the owner
  // cannot be restarted (or could not be read).
  PlanEntry resolve(const probe::WorkloadPod& p) {
    PlanEntry e;
    e.ns = p.ns;
    if (p.static_pod || p.owner_kind == "Node") {
      return skipped("Pod", p.ns, p.name, "static-pod",
                     "static pod (kubelet manifest on " + p.node + "): restart it on the node");
    }
    if (p.owner_kind.empty()) return bare_pod(p);
    if (p.owner_kind == "Job") {
      return skipped("Job", p.ns, p.owner_name, "job-owned",
                     "owned by Job " + p.owner_name +
                         ": a restart would rerun its work; delete pod " + p.name + " once the job allows it");
    }
    if (p.owner_kind == "StatefulSet" || p.owner_kind == "DaemonSet") {
      return target(p.owner_kind, p.ns, p.owner_name);
    }
    if (p.owner_kind == "ReplicaSet") return from_replicaset(p);
    return skipped(p.owner_kind, p.ns, p.owner_name, "unsupported-owner",
                   "owned by " + p.owner_kind + "/" + p.owner_name +
                       ": kubectl rollout restart does not apply; restart it through its controller");
  }

 private:
  static PlanEntry skipped(const std::string& kind, const std::string& ns, const std::string& name,
                           const std::string& guard, const std::string& reason) {
    PlanEntry e;
    e.kind = kind;
    e.ns = ns;
    e.name = name;
    e.action = PlanAction::skip;
    e.guard = guard;
    e.reason = reason;
    return e;
  }

  static PlanEntry target(const std::string& kind, const std::string& ns, const std::string& name) {
    PlanEntry e;
    e.kind = kind;
    e.ns = ns;
    e.name = name;
    e.action = PlanAction::restart;
    e.api_path = workload_path(kind, ns, name);
    e.command = checks::restart_command({kind, ns, name});
    return e;
  }

  PlanEntry bare_pod(const probe::WorkloadPod& p) const {
    if (!m_delete_bare) {
      return skipped("Pod", p.ns, p.name, "bare-pod",
                     "bare pod (no controller owner): nothing would recreate it; --delete-bare-pods deletes it");
    }
    PlanEntry e = target("Pod", p.ns, p.name);
    e.action = PlanAction::remove;
    e.uid = p.uid;
    e.command = "oc delete pod " + p.name + " -n " + p.ns;
    return e;
  }

  PlanEntry from_replicaset(const probe::WorkloadPod& p) {
    const std::string path = "/apis/apps/v1/namespaces/" + p.ns + "/replicasets/" + p.owner_name;
    auto it = m_replicasets.find(path);
    if (it == m_replicasets.end()) it = m_replicasets.emplace(path, m_read(path)).first;
    const auto& rs = it->second;
    if (!rs) {
      if (rs.error().code == "kube.not_found") {
        return skipped("ReplicaSet", p.ns, p.owner_name, "owner-not-found",
                       "ReplicaSet " + p.owner_name + " no longer exists");
      }
      return skipped("ReplicaSet", p.ns, p.owner_name, "lookup-failed",
                     "cannot read ReplicaSet " + p.owner_name + ": " + rs.error().message);
    }
    const json* owner = controller_owner(*rs);
    if (!owner) {
      return skipped("ReplicaSet", p.ns, p.owner_name, "unsupported-owner",
                     "ReplicaSet " + p.owner_name + " has no Deployment; delete its pods instead");
    }
    const std::string kind = owner->value("kind", "");
    const std::string name = owner->value("name", "");
    if (kind != "Deployment") {
      return skipped(kind, p.ns, name, "unsupported-owner",
                     "ReplicaSet " + p.owner_name + " is owned by " + kind + "/" + name +
                         ": restart it through its controller");
    }
    return target("Deployment", p.ns, name);
  }

  const ObjectReader& m_read;
  bool m_delete_bare;
  std::map<std::string, util::Expected<json>> m_replicasets;
};

// Guards that need the workload object: opt-out, paused, already restarted, mid-rollout.
std::optional<std::pair<std::string, std::string>> workload_guard(const json& w, const PlanEntry& e) {
  if (annotation(w, {"metadata", "annotations"}, k_optout) == "false")
    return std::make_pair(std::string("opted-out"), e.kind + " " + e.name + " is annotated " + k_optout + "=\"false\"");
  if (e.kind == "Deployment") {
    const json* paused = json_at(w, {"spec", "paused"});
    if (paused && paused->is_boolean() && paused->get<bool>())
      return std::make_pair(std::string("paused"), "spec.paused is true (oc rollout resume first)");
  }
  // Already restarted after the ztunnel became Ready: its new pods are not stale.
  std::string restarted = annotation(w, {"spec", "template", "metadata", "annotations"}, "kubectl.kubernetes.io/restartedAt");
  auto restarted_at = util::parse_rfc3339(restarted);
  std::optional<util::Micros> ready;
  for (const auto& p : e.pods) {
    if (p.ztunnel_ready_at && (!ready || *p.ztunnel_ready_at > *ready)) ready = p.ztunnel_ready_at;
  }
  if (restarted_at && ready && *restarted_at >= *ready) {
    return std::make_pair(std::string("already-restarted"),
                          "restartedAt " + util::format_rfc3339(*restarted_at) +
                              " is after ztunnel became Ready at " + util::format_rfc3339(*ready));
  }
  const long long generation = number(w, {"metadata", "generation"}, 0);
  const long long observed = number(w, {"status", "observedGeneration"}, generation);
  if (observed < generation)
    return std::make_pair(std::string("rollout-in-progress"),
                          "status.observedGeneration " + std::to_string(observed) +
                              " < metadata.generation " + std::to_string(generation));
  if (e.kind == "DaemonSet") {
    long long desired = number(w, {"status", "desiredNumberScheduled"}, 0);
    long long updated = number(w, {"status", "updatedNumberScheduled"}, desired);
    if (updated < desired)
      return std::make_pair(std::string("rollout-in-progress"),
                            std::to_string(updated) + " of " + std::to_string(desired) +
                                " pods updated");
    return std::nullopt;
  }
  long long replicas = number(w, {"spec", "replicas"}, 1);
  long long updated = number(w, {"status", "updatedReplicas"}, replicas);
  long long current = number(w, {"status", "replicas"}, replicas);
  if (updated < replicas || current > replicas)
    return std::make_pair(std::string("rollout-in-progress"),
                          std::to_string(updated) + " of " + std::to_string(replicas) +
                              " replicas updated, " + std::to_string(current) + " running");
  if (e.kind == "StatefulSet") {
    std::string cur = text(w, {"status", "currentRevision"}), upd = text(w, {"status", "updateRevision"});
    if (!cur.empty() && !upd.empty() && cur != upd)
      return std::make_pair(std::string("rollout-in-progress"),
                            "currentRevision " + cur + " != updateRevision " + upd);
  }
  return std::nullopt;
}

std::string restart_reason(const PlanEntry& e) {
  int stale = 0, unenrolled = 0;
  for (const auto& p : e.pods) (p.check == "MD504" ? stale : unenrolled)++;
  std::string r;
  if (stale) r = std::to_string(stale) + " pod(s) started before ztunnel on their node was Ready (MD504)";
  if (unenrolled) {
    if (!r.empty()) r += "; ";
    r += std::to_string(unenrolled) + " pod(s) not enrolled in ambient (MD503)";
  }
  return r;
}

void skip(PlanEntry& e, const std::string& guard, const std::string& reason) {
  e.action = PlanAction::skip;
  e.guard = guard;
  e.reason = reason;
}

// Reads the namespace once for its opt-out annotation.
class NamespaceOptOut {
 public:
  explicit NamespaceOptOut(const ObjectReader& read) : m_read(read) {}
  // nullopt: may be touched; else (guard, reason).
  std::optional<std::pair<std::string, std::string>> check(const std::string& ns) {
    auto it = m_cache.find(ns);
    if (it == m_cache.end()) it = m_cache.emplace(ns, m_read("/api/v1/namespaces/" + ns)).first;
    const auto& obj = it->second;
    if (!obj) {
      return std::make_pair(std::string("lookup-failed"),
                            "cannot read namespace " + ns + " for its " + k_optout + " annotation: " +
                                obj.error().message);
    }
    if (annotation(*obj, {"metadata", "annotations"}, k_optout) == "false")
      return std::make_pair(std::string("opted-out"), "namespace " + ns + " is annotated " + k_optout + "=\"false\"");
    return std::nullopt;
  }

 private:
  const ObjectReader& m_read;
  std::map<std::string, util::Expected<json>> m_cache;
};

void add_note_for(const checks::Diagnosis& d, const std::string& id, PlanResult& out) {
  const checks::Finding* f = d.find(id);
  if (!f) {
    out.remediation.notes.push_back(id + " did not run (--only/--skip): its pods are not planned");
    out.incomplete = true;
    return;
  }
  if (f->status == checks::Status::unknown) {
    out.remediation.notes.push_back(id + " unknown: " + f->message + "; its pods cannot be listed");
    out.incomplete = true;
  } else if (f->status == checks::Status::pass || f->status == checks::Status::skipped) {
    out.remediation.notes.push_back(id + " " + checks::to_string(f->status) + ": " + f->message);
  }
}

}  // namespace

ObjectReader live_reader(probe::KubeClient& client) {
  return [&client](const std::string& path) -> util::Expected<json> {
    auto body = client.get(path);
    if (!body) return body.error();
    json obj = json::parse(*body, nullptr, false);
    if (!obj.is_object()) return util::make_error("kube.decode", "GET " + path + ": the answer is not a JSON object");
    return obj;
  };
}

bool is_protected_namespace(const std::string& ns, const probe::Facts& facts) {
  if (starts_with(ns, "openshift-") || ns == "openshift" || starts_with(ns, "kube-") || ns == "default")
    return true;
  static const std::set<std::string> mesh{"istio-system", "istio-cni", "ztunnel", "openshift-operators",
                                          "sail-operator"};
  if (mesh.count(ns)) return true;
  for (const auto* section : {&facts.istios, &facts.istio_cnis, &facts.ztunnels}) {
    for (const auto& cr : section->items) {
      if (cr.target_namespace == ns) return true;
    }
  }
  for (const auto& z : facts.ztunnel_pods.items) {
    if (z.ns == ns) return true;
  }
  return false;
}

PlanResult plan_restarts(const probe::Facts& facts, const checks::Diagnosis& diagnosis,
                         const PlanOptions& options, const ObjectReader& read) {
  PlanResult out;
  out.remediation.max_restarts = options.max_restarts;
  add_note_for(diagnosis, "MD504", out);
  if (options.include_unenrolled) add_note_for(diagnosis, "MD503", out);
  std::vector<Flagged> flagged;
  if (facts.namespaces.source.ok() && facts.pods.source.ok()) {
    checks::AmbientPodSet set = checks::select_ambient_pods(facts);
    if (facts.ztunnel_pods.source.ok()) flag_stale(facts, set, flagged);
    if (options.include_unenrolled) flag_unenrolled(facts, set, flagged);
  }

  // Group by the owning workload; the key keeps the plan ordered by namespace, kind, name.
  std::map<std::tuple<std::string, std::string, std::string>, PlanEntry> entries;
  OwnerResolver owners(read, options.delete_bare_pods);
  for (const auto& f : flagged) {
    PlanEntry e;
    if (auto g = namespace_guard(f.pod->ns, facts, options)) {
      checks::Workload w = checks::owning_workload(*f.pod);
      e.kind = w.kind;
      e.ns = w.ns;
      e.name = w.name;
      e.command = checks::restart_command(w);
      skip(e, g->first, g->second);
    } else {
      e = owners.resolve(*f.pod);
    }
    auto key = std::make_tuple(e.ns, e.kind, e.name);
    auto [it, fresh] = entries.emplace(key, e);
    PlanEntry& slot = it->second;
    // A pod already listed (MD503 and MD504 both) is not counted twice.
    bool seen = std::any_of(slot.pods.begin(), slot.pods.end(),
                            [&](const RemediationPod& p) { return p.name == f.info.name && p.check == f.info.check; });
    if (!seen) slot.pods.push_back(f.info);
    if (!contains(slot.checks, f.info.check)) slot.checks.push_back(f.info.check);
    (void)fresh;
  }

  // Node and workload guards, then the budget.
  auto zt = checks::ztunnel_by_node(facts);
  NamespaceOptOut ns_optout(read);
  int budget = options.max_restarts;
  for (auto& [key, e] : entries) {
    std::sort(e.checks.begin(), e.checks.end(), std::greater<>());  // MD504 first
    if (e.action == PlanAction::skip) {
      if (e.guard == "lookup-failed") out.incomplete = true;
      continue;
    }
    const bool any_ready_node = std::any_of(e.pods.begin(), e.pods.end(), [&](const RemediationPod& p) {
      auto z = zt.find(p.node);
      return z != zt.end() && z->second->ready;
    });
    if (!any_ready_node) {
      skip(e, "ztunnel-not-ready",
           "ztunnel on " + e.pods.front().node + " is not Ready now: restarted pods would not be captured (fix MD402 first)");
      continue;
    }
    if (auto g = ns_optout.check(e.ns)) {
      skip(e, g->first, g->second);
      if (g->first == "lookup-failed") out.incomplete = true;
      continue;
    }
    if (e.action == PlanAction::restart) {
      auto w = read(e.api_path);
      if (!w) {
        const bool gone = w.error().code == "kube.not_found";
        skip(e, gone ? "owner-not-found" : "lookup-failed",
             gone ? e.kind + " " + e.name + " no longer exists" : "cannot read " + e.kind + " " + e.name + ": " + w.error().message);
        if (!gone) out.incomplete = true;
        continue;
      }
      e.uid = text(*w, {"metadata", "uid"});
      e.resource_version = text(*w, {"metadata", "resourceVersion"});
      if (e.resource_version.empty()) {  // the PATCH's precondition: never restart without it
        skip(e, "lookup-failed",
             e.kind + " " + e.name + " has no readable metadata.resourceVersion (missing or not a string): "
             "a restart without its precondition is not sent");
        out.incomplete = true;
        continue;
      }
      if (auto g = workload_guard(*w, e)) {
        skip(e, g->first, g->second);
        continue;
      }
    }
    e.reason = restart_reason(e);
    if (budget <= 0) {
      e.action = PlanAction::defer;
      e.guard = "budget";
      e.reason = "--max-restarts " + std::to_string(options.max_restarts) + " reached; " + e.reason;
      continue;
    }
    --budget;
  }
  for (auto& [key, e] : entries) out.remediation.plan.push_back(std::move(e));
  return out;
}

}  // namespace meshdoctor::playbooks
