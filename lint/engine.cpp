// The rule table and the run: selected rules in ID order, parse problems turning silence into
// unknown, and the summary the renderers and exit code read.
#include <algorithm>

#include "lint/rule_util.hpp"

namespace meshdoctor::lint {

using checks::Finding;
using checks::Status;

namespace {

bool contains(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

Finding run_one(const Rule& rule, const ManifestSet& set, const LintContext& ctx) {
  Finding f;
  try {
    f = rule.run(set, ctx);
  } catch (const std::exception& e) {
    // A rule must never take the run down; an internal error is an unknown verdict.
    f = make(rule.id, Status::unknown, std::string("internal error: ") + e.what());
  }
  f.id = rule.id;
  const checks::CheckInfo* info = checks::find_check(rule.id);
  if (info && info->severity == checks::Severity::warn && f.status == Status::fail) {
    f.status = Status::warn;
  }
  return f;
}

// A rule that found nothing cannot vouch for files it could not read: the problem (or the object
// that makes it pass) may be in them. What it did find stays a finding.
void unknown_when_unparsed(Finding& f, const ManifestSet& set) {
  if (set.problems.empty() || (f.status != Status::pass && f.status != Status::skipped)) return;
  const std::string before = f.message;
  f.status = Status::unknown;
  const std::size_t more = set.problems.size() - 1;
  f.message = "could not parse " + set.problems.front().message +
              (more > 0 ? " (+" + std::to_string(more) + " more)" : "") +
              (before.empty() ? "" : "; in the rest: " + before);
  f.evidence.clear();
  for (const auto& p : set.problems) {
    checks::Evidence e;
    e.file = p.file;
    e.line = p.line;
    e.source = p.line > 0 ? p.file + ":" + std::to_string(p.line) : p.file;
    e.detail = p.message;
    f.evidence.push_back(std::move(e));
  }
}

}  // namespace

const std::vector<Rule>& rules() {
  static const std::vector<Rule> k_rules{
      {"ML001", rule_cni_profile},
      {"ML002", rule_cni_reconcile},
      {"ML003", rule_istio_profile},
      {"ML004", rule_trusted_ztunnel},
      {"ML005", rule_sail_names},
      {"ML006", rule_sync_waves},
      {"ML007", rule_off_mesh},
      {"ML008", rule_waypoint_listener},
      {"ML009", rule_use_waypoint},
      {"ML010", rule_telemetry},
      {"ML011", rule_ztunnel_podmonitor},
      {"ML012", rule_kiali_auth},
      {"ML013", rule_kiali_rbac},
      {"ML014", rule_operator_channel},
      {"ML015", rule_channel_consistency},
  };
  return k_rules;
}

checks::Diagnosis lint(const ManifestSet& set,
                       const LintContext& ctx,
                       const checks::Selection& selection,
                       const std::vector<std::string>& paths) {
  checks::Diagnosis d;
  d.source.kind = "manifests";
  d.source.path = join(paths, ", ");
  for (const auto& rule : rules()) {
    const bool selected = (selection.only.empty() || contains(selection.only, rule.id)) &&
                          !contains(selection.skip, rule.id);
    if (!selected) {
      d.findings.push_back(
          make(rule.id, Status::skipped,
               selection.only.empty() ? "skipped (--skip)" : "not selected (--only)"));
      continue;
    }
    Finding f = run_one(rule, set, ctx);
    unknown_when_unparsed(f, set);
    d.findings.push_back(std::move(f));
  }
  checks::link_findings(d);
  return d;
}

}  // namespace meshdoctor::lint
