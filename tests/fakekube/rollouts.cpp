// The controllers' part of a rollout, played on the loaded bundle.
#include "rollouts.hpp"

#include <set>
#include <tuple>
#include <vector>

#include "object_meta.hpp"
#include "watch.hpp"

namespace meshdoctor::fakekube {
namespace {

using nlohmann::json;
using Key = std::pair<std::string, std::string>;
using Clock = std::chrono::system_clock;

constexpr const char* k_dataplane_mode = "istio.io/dataplane-mode";
constexpr const char* k_redirection = "ambient.istio.io/redirection";

const json* child(const json& o, const char* key) {
  if (!o.is_object()) return nullptr;
  auto it = o.find(key);
  return it == o.end() ? nullptr : &*it;
}

std::string str(const json& o, const char* key) {
  const json* v = child(o, key);
  return v && v->is_string() ? v->get<std::string>() : "";
}

// parent[key] as an object, replacing whatever else it held.
json& object_at(json& parent, const char* key) {
  json& v = parent[key];
  if (!v.is_object()) v = json::object();
  return v;
}

std::string label(const json& object, const char* key) {
  const json* meta = child(object, "metadata");
  const json* labels = meta ? child(*meta, "labels") : nullptr;
  return labels ? str(*labels, key) : "";
}

std::string kind_of(const std::string& plural) {
  if (plural == "deployments") return "Deployment";
  if (plural == "statefulsets") return "StatefulSet";
  return "DaemonSet";
}

long long epoch_ms(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// The ownerReference naming the object's controller.
const json* controller_ref(const json& object) {
  const json* meta = child(object, "metadata");
  const json* refs = meta ? child(*meta, "ownerReferences") : nullptr;
  if (!refs || !refs->is_array()) return nullptr;
  for (const auto& ref : *refs) {
    const json* controller = child(ref, "controller");
    if (controller && controller->is_boolean() && controller->get<bool>()) return &ref;
  }
  return nullptr;
}

// A ReplicaSet the bundle lacks is recognised by its name, <deployment>-<pod-template-hash>:
// the hash has no dash, so "reviews" does not claim the ReplicaSets of "reviews-v2".
bool replica_set_of(const Bundle& bundle, const std::string& ns, const std::string& rs, const std::string& deployment) {
  if (const StoredObject* held = bundle.find_object("apps", "replicasets", ns, rs)) {
    const json set = held->value();
    const json* ref = controller_ref(set);
    return ref && str(*ref, "kind") == "Deployment" && str(*ref, "name") == deployment;
  }
  const std::string prefix = deployment + "-";
  return rs.size() > prefix.size() && rs.starts_with(prefix) && rs.find('-', prefix.size()) == std::string::npos;
}

bool owned_by(const Bundle& bundle, const json& pod, const std::string& kind, const Key& workload) {
  const json* ref = controller_ref(pod);
  if (!ref) return false;
  if (kind == "Deployment") {
    return str(*ref, "kind") == "ReplicaSet" && replica_set_of(bundle, workload.first, str(*ref, "name"), workload.second);
  }
  return str(*ref, "kind") == kind && str(*ref, "name") == workload.second;
}

std::vector<Key> owned_pods(const Bundle& bundle, const std::string& kind, const Key& workload) {
  std::vector<Key> out;
  const ResourceEntry* pods = bundle.find("", "pods");
  if (!pods) return out;
  for (auto it = pods->objects.lower_bound({workload.first, ""}); it != pods->objects.end(); ++it) {
    if (it->first.first != workload.first) break;
    if (owned_by(bundle, it->second.value(), kind, workload)) out.push_back(it->first);
  }
  return out;
}

bool pod_ready(const json& pod) {
  const json* status = child(pod, "status");
  const json* conditions = status ? child(*status, "conditions") : nullptr;
  if (!conditions || !conditions->is_array()) return false;
  for (const auto& c : *conditions) {
    if (str(c, "type") == "Ready") return str(c, "status") == "True";
  }
  return false;
}

// As istio-cni marks the pods it captured: the pod or its namespace opts into ambient, and the
// pod does not opt out.
bool enrolled(const Bundle& bundle, const json& pod, const std::string& ns) {
  const std::string own = label(pod, k_dataplane_mode);
  if (own == "none") return false;
  if (own == "ambient") return true;
  const StoredObject* namespace_object = bundle.find_object("", "namespaces", "", ns);
  const std::string* mode = namespace_object ? namespace_object->label(k_dataplane_mode) : nullptr;
  return mode && *mode == "ambient";
}

// New pods carry the template's labels and annotations (e.g. kubectl's restartedAt).
void apply_template_metadata(json& meta, const json& workload) {
  const json* spec = child(workload, "spec");
  const json* tmpl = spec ? child(*spec, "template") : nullptr;
  const json* tmeta = tmpl ? child(*tmpl, "metadata") : nullptr;
  if (!tmeta) return;
  for (const char* key : {"labels", "annotations"}) {
    const json* values = child(*tmeta, key);
    if (!values || !values->is_object()) continue;
    json& target = object_at(meta, key);
    for (const auto& [k, v] : values->items()) target[k] = v;
  }
}

void set_condition(json& status, const std::string& type, bool value, const std::string& at) {
  json& conditions = status["conditions"];
  if (!conditions.is_array()) conditions = json::array();
  json* found = nullptr;
  for (auto& c : conditions) {
    if (str(c, "type") == type) found = &c;
  }
  if (!found) found = &conditions.emplace_back(json{{"type", type}});
  if (!found->is_object()) *found = json{{"type", type}};
  (*found)["status"] = value ? "True" : "False";
  (*found)["lastTransitionTime"] = at;
  if (value) found->erase("reason");
  else (*found)["reason"] = "ContainersNotReady";
}

void set_ready(json& pod, bool ready, const std::string& at) {
  json& status = object_at(pod, "status");
  if (auto it = status.find("containerStatuses"); it != status.end() && it->is_array()) {
    for (auto& cs : *it) {
      if (cs.is_object()) cs["ready"] = ready;
    }
  }
  set_condition(status, "Ready", ready, at);
  set_condition(status, "ContainersReady", ready, at);
}

// Every container just started: running since now, no restart, no previous state.
void restart_containers(json& status, const std::string& now) {
  for (const char* list : {"containerStatuses", "initContainerStatuses"}) {
    auto it = status.find(list);
    if (it == status.end() || !it->is_array()) continue;
    for (auto& cs : *it) {
      if (!cs.is_object()) continue;
      cs["restartCount"] = 0;
      cs.erase("lastState");
      cs.erase("containerID");
      if (std::string(list) == "initContainerStatuses") continue;
      cs["state"] = {{"running", {{"startedAt", now}}}};
      cs["started"] = true;
    }
  }
  if (auto it = status.find("conditions"); it != status.end() && it->is_array()) {
    for (auto& c : *it) {
      if (c.is_object()) c["lastTransitionTime"] = now;
    }
  }
}

// Deployment and DaemonSet pods get a new random suffix; a StatefulSet's keep their ordinal name.
std::string replacement_name(const ResourceEntry& pods, const Key& old, bool keep) {
  if (keep) return old.second;
  const auto dash = old.second.rfind('-');
  const std::string stem = dash == std::string::npos ? old.second + "-" : old.second.substr(0, dash + 1);
  std::string name = stem + random_suffix();
  for (int i = 0; i < 20 && pods.objects.count({old.first, name}); ++i) name = stem + random_suffix();
  return name;
}

json fresh_pod(Bundle& bundle, const json& old, const json& workload, const Key& key, bool ready,
               const std::string& now) {
  json pod = old;
  json& meta = object_at(pod, "metadata");
  meta["name"] = key.second;
  meta["uid"] = new_uid();
  meta["creationTimestamp"] = now;
  meta["resourceVersion"] = next_resource_version(bundle);
  meta.erase("deletionTimestamp");
  meta.erase("deletionGracePeriodSeconds");
  apply_template_metadata(meta, workload);
  json& annotations = object_at(meta, "annotations");
  if (enrolled(bundle, pod, key.first)) annotations[k_redirection] = "enabled";
  else annotations.erase(k_redirection);
  if (annotations.empty()) meta.erase("annotations");
  json& status = object_at(pod, "status");
  status["phase"] = "Running";
  status["startTime"] = now;
  restart_containers(status, now);
  set_ready(pod, ready, now);
  return pod;
}

// The new pod answers readiness probes as the one it replaces did (ztunnel rollouts).
void move_readiness(Bundle& bundle, const Key& from, const Key& to) {
  if (!bundle.readiness || from == to) return;
  auto node = bundle.readiness->extract(from);
  if (node.empty()) return;
  node.key() = to;
  bundle.readiness->insert(std::move(node));
}

long long integer_at(const json& o, const char* a, const char* b, long long fallback) {
  const json* first = child(o, a);
  const json* v = first ? child(*first, b) : nullptr;
  return v && v->is_number_integer() ? v->get<long long>() : fallback;
}

void set_or_erase(json& status, const char* key, long long value) {
  if (value > 0) status[key] = value;
  else status.erase(key);
}

// What the controller reports once the pods are replaced: observedGeneration caught up, every
// pod updated, ready counts from the pods themselves. Without the namespace's pods collected,
// only observedGeneration moves (counts of pods nobody sees would be invented).
void refresh_status(const Bundle& bundle, json& workload, const std::string& kind, const Key& ref) {
  json& status = object_at(workload, "status");
  const long long generation = integer_at(workload, "metadata", "generation", 0);
  if (generation > 0) status["observedGeneration"] = generation;
  const ResourceEntry* pods = bundle.find("", "pods");
  if (!pods || !pods->collected_in(ref.first)) return;
  long long total = 0, ready = 0;
  for (const Key& key : owned_pods(bundle, kind, ref)) {
    ++total;
    if (pod_ready(pods->objects.at(key).value())) ++ready;
  }
  if (kind == "DaemonSet") {
    status["updatedNumberScheduled"] = total;
    status["numberReady"] = ready;
    status["numberAvailable"] = ready;
    set_or_erase(status, "numberUnavailable", integer_at(workload, "status", "desiredNumberScheduled", total) - ready);
    return;
  }
  status["replicas"] = total;
  status["updatedReplicas"] = total;
  status["readyReplicas"] = ready;
  status["availableReplicas"] = ready;
  if (kind == "StatefulSet") {
    status["currentReplicas"] = total;
    if (const json* revision = child(status, "updateRevision")) status["currentRevision"] = *revision;
    return;
  }
  set_or_erase(status, "unavailableReplicas", integer_at(workload, "spec", "replicas", 1) - ready);
}

void bump(Bundle& bundle, json& object) {
  object_at(object, "metadata")["resourceVersion"] = next_resource_version(bundle);
}

void note_next_due(Bundle& bundle) {
  long long next = 0;
  for (const auto& p : bundle.writes.pending) {
    const long long due = epoch_ms(p.due);
    if (next == 0 || due < next) next = due;
  }
  bundle.writes.next_due = next;
}

void replace_pods(Bundle& bundle, const WorkloadRef& ref, const json& workload, int delay_ms) {
  ResourceEntry* pods = bundle.find("", "pods");
  if (!pods) return;
  const std::string kind = kind_of(ref.plural);
  const auto now = Clock::now();
  const std::string stamp = rfc3339(now);
  for (const Key& old : owned_pods(bundle, kind, {ref.ns, ref.name})) {
    auto it = pods->objects.find(old);
    if (it == pods->objects.end()) continue;
    const Key key{old.first, replacement_name(*pods, old, kind == "StatefulSet")};
    // The old pod goes first (watchers see DELETED, then ADDED for its replacement).
    json gone = it->second.value();
    pods->objects.erase(it);
    bump(bundle, gone);
    record_event(bundle, *pods, EventType::deleted, StoredObject(gone));
    json pod = fresh_pod(bundle, gone, workload, key, delay_ms <= 0, stamp);
    if (delay_ms > 0) {
      bundle.writes.pending.push_back({key, meta_text(pod, "uid"), ref.plural, ref.name,
                                       now + std::chrono::milliseconds(delay_ms)});
    }
    move_readiness(bundle, old, key);
    auto stored = pods->objects.insert_or_assign(key, StoredObject(pod)).first;
    record_event(bundle, *pods, EventType::added, stored->second);
  }
  note_next_due(bundle);
}

}  // namespace

bool is_workload(const std::string& group, const std::string& plural) {
  return group == "apps" && (plural == "deployments" || plural == "statefulsets" || plural == "daemonsets");
}

void simulate_rollout(Bundle& bundle, const WorkloadRef& ref, json& workload, int delay_ms) {
  replace_pods(bundle, ref, workload, delay_ms);
  refresh_status(bundle, workload, kind_of(ref.plural), {ref.ns, ref.name});
  bump(bundle, workload);
}

bool pods_due(const Bundle& bundle) {
  const long long next = bundle.writes.next_due.load();
  return next != 0 && epoch_ms(Clock::now()) >= next;
}

void settle_ready_pods(Bundle& bundle) {
  const auto now = Clock::now();
  std::vector<PendingReady> waiting;
  std::set<std::tuple<std::string, std::string, std::string>> touched;  // (plural, ns, name)
  for (auto& p : bundle.writes.pending) {
    if (p.due > now) {
      waiting.push_back(std::move(p));
      continue;
    }
    StoredObject* held = bundle.find_object("", "pods", p.pod.first, p.pod.second);
    if (!held || held->uid() != p.uid) continue;  // deleted or replaced meanwhile
    json pod = held->value();
    set_ready(pod, true, rfc3339(p.due));
    bump(bundle, pod);
    const StoredObject before = *held;
    held->assign(pod);
    record_event(bundle, *bundle.find("", "pods"), EventType::modified, *held, &before);
    touched.insert({p.workload_plural, p.pod.first, p.workload_name});
  }
  bundle.writes.pending = std::move(waiting);
  note_next_due(bundle);
  for (const auto& [plural, ns, name] : touched) {
    StoredObject* held = bundle.find_object("apps", plural, ns, name);
    if (!held) continue;
    json workload = held->value();
    refresh_status(bundle, workload, kind_of(plural), {ns, name});
    bump(bundle, workload);
    const StoredObject before = *held;
    held->assign(workload);
    record_event(bundle, *bundle.find("apps", plural), EventType::modified, *held, &before);
  }
}

}  // namespace meshdoctor::fakekube
