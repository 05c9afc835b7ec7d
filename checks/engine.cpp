// The catalogue registry and the decision tree (DESIGN.md §1.4).
#include <algorithm>
#include <map>
#include <set>

#include "checks/catalogue.hpp"

namespace meshdoctor::checks {

namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::vector<CheckInfo> build_catalogue() {
  std::vector<CheckInfo> all;
  for (auto* area : {install_checks, control_plane_checks, cni_checks, ztunnel_checks,
                     enrollment_checks, telemetry_checks, waypoint_checks, kiali_checks,
                     fleet_checks}) {
    for (auto& c : area()) all.push_back(std::move(c));
  }
  std::sort(all.begin(), all.end(),
            [](const CheckInfo& a, const CheckInfo& b) { return a.id < b.id; });
  return all;
}

}  // namespace

bool depends_on(const std::string& id, const std::string& ancestor) {
  // Walks the static upstream links; a dynamic link that would close a cycle is refused.
  std::vector<std::string> todo{id};
  std::set<std::string> seen;
  while (!todo.empty()) {
    std::string cur = todo.back();
    todo.pop_back();
    if (cur == ancestor) return true;
    if (!seen.insert(cur).second) continue;
    if (const CheckInfo* info = find_check(cur)) {
      todo.insert(todo.end(), info->upstream.begin(), info->upstream.end());
    }
  }
  return false;
}

const std::vector<CheckInfo>& catalogue() {
  static const std::vector<CheckInfo> k_catalogue = build_catalogue();
  return k_catalogue;
}

const CheckInfo* find_check(const std::string& id) {
  for (const auto& c : catalogue()) {
    if (c.id == id) return &c;
  }
  for (const auto& c : lint_catalogue()) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

Diagnosis diagnose(const probe::Facts& facts, const CheckContext& ctx, const Selection& sel) {
  Diagnosis d;
  d.source = facts.source;
  d.collected_at = facts.collected_at;
  d.warnings = facts.warnings;
  std::set<std::string> nodes;
  for (const auto& p : facts.ztunnel_pods.items) nodes.insert(p.node);
  for (const auto& p : facts.cni_pods.items) nodes.insert(p.node);
  for (const auto& p : facts.pods.items) {
    if (!p.node.empty()) nodes.insert(p.node);
  }
  nodes.erase("");
  d.nodes = static_cast<int>(nodes.size());
  d.pods = static_cast<int>(facts.pods.items.size());
  d.timeline = build_timeline(facts);

  for (const auto& info : catalogue()) {
    Finding f;
    bool selected = (sel.only.empty() || contains(sel.only, info.id)) && !contains(sel.skip, info.id);
    if (!selected) {
      f = make_finding(info.id, Status::skipped,
                       sel.only.empty() ? "skipped (--skip)" : "not selected (--only)");
    } else if (!info.run) {
      f = make_finding(info.id, Status::skipped, "not implemented for this source");
    } else {
      try {
        f = info.run(facts, ctx);
      } catch (const std::exception& e) {
        // A check must never take the run down; an internal error is an unknown verdict.
        f = make_finding(info.id, Status::unknown, std::string("internal error: ") + e.what());
      }
      f.id = info.id;
      // Advisory checks never fail.
      if (info.severity == Severity::warn && f.status == Status::fail) f.status = Status::warn;
    }
    d.findings.push_back(std::move(f));
  }
  link_findings(d);
  return d;
}

void link_findings(Diagnosis& d) {
  std::map<std::string, Finding*> by_id;
  for (auto& f : d.findings) {
    f.explained_by.clear();
    f.explains.clear();
    f.unverified_upstream.clear();
    by_id[f.id] = &f;
  }
  d.root_causes.clear();
  d.summary = Summary{};
  for (auto& f : d.findings) {
    const CheckInfo* info = find_check(f.id);
    if (info && f.status == Status::fail) {
      std::vector<std::string> upstream = info->upstream;
      for (const auto& extra : f.consequence_of) {
        if (!contains(upstream, extra) && !depends_on(extra, f.id)) upstream.push_back(extra);
      }
      for (const auto& up : upstream) {
        auto it = by_id.find(up);
        if (it == by_id.end()) continue;
        if (it->second->status == Status::fail) {
          f.explained_by.push_back(up);
          it->second->explains.push_back(f.id);
        } else if (it->second->status == Status::unknown) {
          f.unverified_upstream.push_back(up);
        }
      }
      if (f.explained_by.empty()) d.root_causes.push_back(f.id);
    }
    switch (f.status) {
      case Status::pass: ++d.summary.pass; break;
      case Status::warn: ++d.summary.warn; break;
      case Status::fail: ++d.summary.fail; break;
      case Status::unknown: ++d.summary.unknown; break;
      case Status::skipped: ++d.summary.skipped; break;
    }
  }
  if (d.summary.fail > 0) {
    d.summary.overall = Status::fail;
  } else if (d.summary.unknown > 0) {
    d.summary.overall = Status::unknown;
  } else if (d.summary.warn > 0) {
    d.summary.overall = Status::warn;
  } else {
    d.summary.overall = Status::pass;
  }
}

int exit_code(const Diagnosis& d, bool strict) {
  if (d.summary.fail > 0) return 1;
  if (strict && d.summary.warn > 0) return 1;
  if (d.summary.unknown > 0) return 2;
  return 0;
}

}  // namespace meshdoctor::checks
