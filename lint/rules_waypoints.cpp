// Waypoint rules: ML008 every istio-waypoint Gateway has the listener {mesh, 15008, HBONE};
// ML009 every istio.io/use-waypoint label names a waypoint Gateway of the manifests.
#include "lint/rule_util.hpp"

namespace meshdoctor::lint {

using checks::Finding;
using checks::Status;

namespace {

bool is_waypoint(const Object& o) {
  return text_at(o.root(), {"spec", "gatewayClassName"}) == k_waypoint_class;
}

std::vector<Object> gateways(const ManifestSet& set) {
  return set.objects("Gateway", k_gateway_group);
}

bool is_hbone_listener(const Node& l) {
  return text_at(l, {"name"}) == "mesh" && text_at(l, {"port"}) == "15008" &&
         text_at(l, {"protocol"}) == "HBONE";
}

// Where a pod-carrying object keeps its labels: the object itself, or its pod template.
const Node* pod_template_owner(const Object& o) {
  static const char* k_workloads[] = {"Deployment", "StatefulSet",      "DaemonSet", "ReplicaSet",
                                      "Job",        "DeploymentConfig", "Rollout"};
  for (const char* kind : k_workloads) {
    if (o.kind == kind) {
      const Node* tmpl = find(o.root(), {"spec", "template"});
      return tmpl && tmpl->is_mapping() ? tmpl : nullptr;
    }
  }
  return nullptr;
}

// One istio.io/use-waypoint label of the manifests.
struct WaypointUse {
  Object holder;
  std::string where;      // "metadata.labels" or "spec.template.metadata.labels"
  std::string target_ns;  // empty: the holder's namespace is not in the manifest
  std::string target;
  int line = 0;
};

void add_use(const Object& o,
             const Node& owner,
             const std::string& where,
             std::vector<WaypointUse>& uses) {
  const Node* label = label_node(owner, "istio.io/use-waypoint");
  if (!label || !label->is_scalar() || label->text == "none" || label->text == "#none") return;
  const Node* other_ns = label_node(owner, "istio.io/use-waypoint-namespace");
  std::string ns = o.kind == "Namespace" ? o.name : o.ns;
  if (other_ns && other_ns->is_scalar()) ns = other_ns->text;
  uses.push_back({o, where, ns, label->text, label->line});
}

std::vector<WaypointUse> waypoint_uses(const ManifestSet& set) {
  std::vector<WaypointUse> uses;
  for (const auto& o : set.all_objects()) {
    add_use(o, o.root(), "metadata.labels", uses);
    if (const Node* tmpl = pod_template_owner(o)) {
      add_use(o, *tmpl, "spec.template.metadata.labels", uses);
    }
  }
  return uses;
}

// Helm output often leaves metadata.namespace to the Argo CD Application: an unknown namespace
// on either side matches any.
bool same_namespace(const std::string& a, const std::string& b) {
  return a.empty() || b.empty() || a == b;
}

}  // namespace

// ---- ML008 waypoint-listener -------------------------------------------------------------------

Finding rule_waypoint_listener(const ManifestSet& set, const LintContext&) {
  Verdict v("ML008");
  int waypoints = 0;
  for (const auto& o : gateways(set)) {
    if (!is_waypoint(o)) continue;
    ++waypoints;
    const Node* listeners = find(o.root(), {"spec", "listeners"});
    bool found = false;
    int line = nearest_line(o.root(), {"spec", "listeners"});
    if (listeners && listeners->is_sequence()) {
      for (const auto& l : listeners->items) {
        if (is_hbone_listener(l)) {
          found = true;
          line = l.line;
        }
      }
    }
    if (found) {
      v.ok(hit(o, line, "listener mesh 15008 HBONE"));
      continue;
    }
    v.problem(hit(o, line,
                  listeners ? "no listener {name: mesh, port: 15008, protocol: HBONE}; "
                              "istiod rejects the waypoint"
                            : "spec.listeners is not set; a waypoint needs "
                              "{name: mesh, port: 15008, protocol: HBONE}"));
  }
  if (waypoints == 0) return skipped("ML008", "no istio-waypoint Gateway in the manifests");
  return v.finish("every waypoint has the mesh 15008 HBONE listener",
                  v.count("waypoint(s) without the mesh 15008 HBONE listener"));
}

// ---- ML009 use-waypoint-target -----------------------------------------------------------------

Finding rule_use_waypoint(const ManifestSet& set, const LintContext&) {
  auto uses = waypoint_uses(set);
  if (uses.empty()) return skipped("ML009", "no istio.io/use-waypoint label in the manifests");
  const auto gws = gateways(set);
  Verdict v("ML009");
  for (const auto& u : uses) {
    const std::string label = u.where + " istio.io/use-waypoint: " + u.target;
    const Object* match = nullptr;
    const Object* other_class = nullptr;
    for (const auto& g : gws) {
      if (g.name != u.target || !same_namespace(g.ns, u.target_ns)) continue;
      (is_waypoint(g) ? match : other_class) = &g;
    }
    if (match) {
      v.ok(hit(u.holder, u.line,
               label + " → " + match->label() + " (" + place(*match, match->doc->line) + ")"));
    } else if (other_class) {
      v.problem(hit(u.holder, u.line,
                    label + ": " + other_class->label() + " (" +
                        place(*other_class, other_class->doc->line) +
                        ") is not of gatewayClassName istio-waypoint"));
    } else {
      const std::string ns = u.target_ns.empty() ? "" : " in namespace " + u.target_ns;
      v.problem(hit(u.holder, u.line,
                    label + ": no waypoint Gateway " + u.target + ns + " in the manifests"));
    }
  }
  return v.finish("every istio.io/use-waypoint label names a waypoint of the manifests",
                  v.count("istio.io/use-waypoint label(s) name no waypoint"));
}

}  // namespace meshdoctor::lint
