// ML006 sync-wave-order: Argo CD must create the ambient pieces in four phases, each after the
// previous one is healthy:
//   1 the mesh namespaces (istio-system, istio-cni, ztunnel) and IstioCNI,
//   2 Istio and ZTunnel (istiod needs the CNI; ztunnel needs the CNI socket),
//   3 the namespace labels istio.io/dataplane-mode: ambient (pods started before ztunnel is ready
//     are never captured: MD504),
//   4 waypoint Gateways (the istio-waypoint class exists only once istiod runs in ambient mode).
// Each resource's wave is its argocd.argoproj.io/sync-wave annotation (0 when absent).
#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <set>

#include "lint/rule_util.hpp"

namespace meshdoctor::lint {

using checks::Finding;
using checks::Status;

namespace {

constexpr const char* k_wave_annotation = "argocd.argoproj.io/sync-wave";

struct Member {
  Object o;
  int phase = 0;
  int wave = 0;
  int line = 0;  // the annotation, or where it would go
};

const char* phase_name(int phase) {
  switch (phase) {
    case 1:
      return "phase 1, mesh namespaces and IstioCNI";
    case 2:
      return "phase 2, Istio and ZTunnel";
    case 3:
      return "phase 3, ambient namespace label";
    default:
      return "phase 4, waypoint Gateway";
  }
}

std::optional<int> parse_wave(const std::string& text) {
  int v = 0;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  if (first != last && *first == '+') ++first;
  auto [ptr, ec] = std::from_chars(first, last, v);
  if (ec != std::errc() || ptr != last || first == last) return std::nullopt;
  return v;
}

std::set<std::string> mesh_namespaces(const ManifestSet& set) {
  std::set<std::string> out{"istio-system", "istio-cni", "ztunnel"};
  for (const char* kind : {"Istio", "IstioCNI", "ZTunnel"}) {
    for (const auto& o : set.objects(kind, k_sail_group)) out.insert(sail_target_namespace(o));
  }
  return out;
}

// An off-mesh namespace labelled ambient is ML007's finding, not a phase of the rollout.
int phase_of(const Object& o, const std::set<std::string>& mesh_ns, const LintContext& ctx) {
  if (o.kind == "Namespace" && o.group().empty()) {
    if (mesh_ns.count(o.name)) return 1;
    const auto& off = ctx.off_mesh_namespaces;
    if (std::find(off.begin(), off.end(), o.name) != off.end()) return 0;
    const Node* mode = label_node(o.root(), k_mode_label);
    return mode && mode->is_scalar() && mode->text == "ambient" ? 3 : 0;
  }
  if (o.group() == k_sail_group) {
    if (o.kind == "IstioCNI") return 1;
    if (o.kind == "Istio" || o.kind == "ZTunnel") return 2;
  }
  if (o.kind == "Gateway" && o.group() == k_gateway_group &&
      text_at(o.root(), {"spec", "gatewayClassName"}) == k_waypoint_class) {
    return 4;
  }
  return 0;
}

// The wave most members of a phase share (ties: the lowest): the one a stray member leaves.
std::map<int, int> consensus(const std::vector<Member>& members) {
  std::map<int, std::map<int, int>> counts;
  for (const auto& m : members) ++counts[m.phase][m.wave];
  std::map<int, int> out;
  for (const auto& [phase, waves] : counts) {
    int best = waves.begin()->first, n = 0;
    for (const auto& [wave, count] : waves) {
      if (count > n) best = wave, n = count;
    }
    out[phase] = best;
  }
  return out;
}

// A member placed in the wrong wave and the resource of another phase it collides with.
struct Misplaced {
  const Member* blamed = nullptr;
  const Member* other = nullptr;
};

// For each conflicting pair (earlier phase not in an earlier wave), the member whose wave differs
// from its phase's consensus is blamed; otherwise the later-phase one. One hit per blamed member,
// naming the most constraining counterpart.
std::vector<Misplaced> misplaced(const std::vector<Member>& members) {
  const auto cons = consensus(members);
  std::map<const Member*, const Member*> worst;
  std::vector<const Member*> order;
  for (const auto& a : members) {
    for (const auto& b : members) {
      if (a.phase >= b.phase || a.wave < b.wave) continue;
      const bool blame_a = a.wave != cons.at(a.phase) && b.wave == cons.at(b.phase);
      const Member* blamed = blame_a ? &a : &b;
      const Member* other = blame_a ? &b : &a;
      auto it = worst.find(blamed);
      if (it == worst.end()) {
        worst[blamed] = other;
        order.push_back(blamed);
      } else if (blame_a ? other->wave < it->second->wave : other->wave > it->second->wave) {
        it->second = other;
      }
    }
  }
  std::sort(order.begin(), order.end());  // members are stored in input order
  std::vector<Misplaced> out;
  for (const auto* m : order) out.push_back({m, worst[m]});
  return out;
}

std::string describe(const Member& m) {
  return m.o.label() + " (" + phase_name(m.phase) + ") at sync-wave " + std::to_string(m.wave);
}

checks::Evidence misplaced_evidence(const Misplaced& x) {
  const Member& m = *x.blamed;
  const Member& o = *x.other;
  const bool earlier = m.phase < o.phase;
  return hit(m.o, m.line,
             "sync-wave " + std::to_string(m.wave) + " (" + phase_name(m.phase) + ") is not " +
                 (earlier ? "before " : "after ") + describe(o) + " (" + place(o.o, o.line) + ")");
}

}  // namespace

Finding rule_sync_waves(const ManifestSet& set, const LintContext& ctx) {
  const auto mesh_ns = mesh_namespaces(set);
  std::vector<Member> members;
  Verdict v("ML006");
  for (auto& o : set.all_objects()) {
    const int phase = phase_of(o, mesh_ns, ctx);
    if (phase == 0) continue;
    Member m{o, phase, 0, nearest_line(o.root(), {"metadata", "annotations", k_wave_annotation})};
    if (const Node* wave = annotation_node(o.root(), k_wave_annotation)) {
      auto parsed = wave->is_scalar() ? parse_wave(wave->text) : std::nullopt;
      if (!parsed) {
        v.problem(hit(
            o, m.line,
            std::string(k_wave_annotation) + " is " + describe_value(wave) + ", not an integer"));
        continue;
      }
      m.wave = *parsed;
    }
    members.push_back(std::move(m));
  }
  std::set<int> phases;
  for (const auto& m : members) phases.insert(m.phase);
  if (phases.size() < 2 && v.problems() == 0) {
    return skipped("ML006", phases.empty()
                                ? "no ambient resources with a sync order in the manifests"
                                : "only one ambient phase in the manifests: nothing to order");
  }
  for (const auto& x : misplaced(members)) v.problem(misplaced_evidence(x));
  for (const auto& m : members) {
    v.ok(
        hit(m.o, m.line, "sync-wave " + std::to_string(m.wave) + " (" + phase_name(m.phase) + ")"));
  }
  return v.finish(
      "the ambient phases sync in order (" + std::to_string(members.size()) + " resources)",
      v.count("resource(s) in the wrong sync wave"));
}

}  // namespace meshdoctor::lint
