// The remediation section of the text report and the plan-focused report of `meshdoctor restart`.
//
//   REMEDIATION  restart-stale-workloads · dry-run: nothing was written (--apply to restart)
//     restart   Deployment bookinfo/details-v1 · rv 4312 · 2 pods started before ztunnel ... (MD504)
//               details-v1-65cfcf56f9-dq2tw on worker-1: started 11:45:21, ztunnel-9qzvd Ready at ...
//               oc rollout restart deployment/details-v1 -n bookinfo
//     skip      Deployment shop/checkout · paused: spec.paused is true
//     applied   ✔ restarted Deployment bookinfo/details-v1 (rv 4312 → 4313), event recorded
//     verify    ✔ all 1 restarted workload Ready and enrolled after 45s
//               MD504 fail → pass
#include <algorithm>

#include "report/describe.hpp"
#include "report/remediation_describe.hpp"
#include "report/render.hpp"
#include "report/text_sections.hpp"

namespace meshdoctor::report {

namespace text {

namespace {

constexpr std::size_t k_pods_per_entry = 3;
constexpr std::size_t k_refusals_per_action = 10;  // skip and defer lines; writes are all listed

void heading(TextWriter& w, const checks::Remediation& r) {
  const Style& s = w.style();
  std::string first = s.paint(Tone::bold, "REMEDIATION") + "  ";
  int hang = display_width(first);
  std::string text = r.playbook + " · ";
  text += r.plan.empty() ? "nothing to restart" : remedy::mode_text(r);
  if (!r.plan.empty()) text += " · --max-restarts " + std::to_string(r.max_restarts);
  auto lines = wrap(text, w.width() - hang);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    w.line((i == 0 ? first : std::string(static_cast<std::size_t>(hang), ' ')) + lines[i]);
  }
}

void entry(TextWriter& w, const checks::PlanEntry& e) {
  std::string text = remedy::workload(e.kind, e.ns, e.name);
  std::string why = remedy::entry_reason(e);
  if (!why.empty()) text += " · " + why;
  w.labelled(checks::to_string(e.action), text);
  bool writes = e.action == checks::PlanAction::restart || e.action == checks::PlanAction::remove;
  if (!writes) return;
  std::size_t shown = std::min(k_pods_per_entry, e.pods.size());
  for (std::size_t i = 0; i < shown; ++i) w.labelled("", remedy::pod_text(e, e.pods[i]));
  if (e.pods.size() > shown) {
    w.labelled("", "+" + std::to_string(e.pods.size() - shown) + " more pods (-o json lists all)");
  }
  if (!e.command.empty()) w.labelled_verbatim("", e.command);
}

void plan(TextWriter& w, const checks::Remediation& r) {
  std::size_t listed = 0;
  checks::PlanAction group = checks::PlanAction::restart;
  auto more = [&](std::size_t total) {
    if (total > listed) {
      w.labelled("", "+" + std::to_string(total - listed) + " more (-o json lists all)");
    }
  };
  for (const auto* e : remedy::entries_in_order(r)) {
    if (e->action != group) {
      more(static_cast<std::size_t>(r.count(group)));
      group = e->action;
      listed = 0;
    }
    bool refusal = group == checks::PlanAction::skip || group == checks::PlanAction::defer;
    if (refusal && listed >= k_refusals_per_action) continue;
    entry(w, *e);
    ++listed;
  }
  more(static_cast<std::size_t>(r.count(group)));
}

void applied(TextWriter& w, const checks::Remediation& r) {
  const Style& s = w.style();
  for (std::size_t i = 0; i < r.applied.size(); ++i) {
    const auto& a = r.applied[i];
    w.marked(i == 0 ? "applied" : "", s.symbol(a.ok() ? checks::Status::pass : checks::Status::fail),
             remedy::applied_text(a));
  }
}

void verification(TextWriter& w, const checks::Verification& v) {
  const Style& s = w.style();
  w.marked("verify", s.symbol(v.completed ? checks::Status::pass : checks::Status::warn),
           remedy::verify_headline(v));
  for (const auto& wl : v.workloads) {
    w.marked("", s.symbol(wl.done ? checks::Status::pass : checks::Status::fail),
             remedy::verified_text(wl));
  }
  for (const auto& change : remedy::status_changes(v)) w.labelled("", change);
}

// "MD504 stale-pods — 3 pods started before ztunnel was Ready"
std::string finding_line(const checks::Finding& f, const Style& s) {
  CheckMeta m = check_meta(f.id);
  std::string out = f.id;
  if (m.name != f.id) out += " " + m.name;
  if (!f.message.empty()) out += s.dash() + f.message;
  return out;
}

}  // namespace

void remediation(TextWriter& w, const checks::Remediation& r) {
  w.blank();
  heading(w, r);
  plan(w, r);
  applied(w, r);
  if (r.verify) verification(w, *r.verify);
  for (std::size_t i = 0; i < r.notes.size(); ++i) w.labelled(i == 0 ? "note" : "", r.notes[i]);
}

void flagging_checks(TextWriter& w, const checks::Diagnosis& d) {
  auto found = remedy::flagging_findings(d);
  if (found.empty()) return;
  w.blank();
  for (std::size_t i = 0; i < found.size(); ++i) {
    w.marked(i == 0 ? "checks" : "", w.style().symbol(found[i]->status),
             finding_line(*found[i], w.style()));
  }
}

void remediation_summary(TextWriter& w, const checks::Remediation& r) {
  const Style& s = w.style();
  std::string word = s.paint(Tone::bold, remedy::summary_word(r));
  if (r.apply) word = s.paint(Tone::bold, s.paint(remedy::any_failed(r) ? Tone::bad : Tone::good,
                                                  remedy::summary_word(r)));
  std::vector<std::string> parts{word};
  for (auto& p : remedy::summary_parts(r)) parts.push_back(std::move(p));
  w.blank();
  w.line(remedy::join(parts, s.dot()));
}

std::string restart_report(const checks::Diagnosis& d, const RenderOptions& opt) {
  TextWriter w(opt);
  text::header(w, d);
  text::flagging_checks(w, d);
  checks::Remediation none;
  const checks::Remediation& r = d.remediation ? *d.remediation : none;
  text::remediation(w, r);
  text::bundle_warnings(w, d);
  text::remediation_summary(w, r);
  return opt.unicode ? w.take() : to_ascii(w.take());
}

}  // namespace text

}  // namespace meshdoctor::report
