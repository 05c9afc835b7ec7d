// The JSON report: schema meshdoctor/v1 (DESIGN.md §4). Every check appears in findings.
#include <nlohmann/json.hpp>

#include "report/describe.hpp"
#include "report/remediation_json.hpp"
#include "report/render.hpp"
#include "util/time.hpp"
#include "util/version.hpp"

namespace meshdoctor::report {

namespace {

using json = nlohmann::ordered_json;

json source_json(const checks::Diagnosis& d) {
  json s = {{"kind", d.source.kind.empty() ? "bundle" : d.source.kind}};
  if (d.source.kind == "live") {
    s["context"] = d.source.context;
  } else {
    s["path"] = d.source.path;
  }
  return s;
}

json summary_json(const checks::Summary& s) {
  return {{"status", checks::to_string(s.overall)},
          {"pass", s.pass},
          {"warn", s.warn},
          {"fail", s.fail},
          {"unknown", s.unknown},
          {"skipped", s.skipped}};
}

json evidence_json(const std::vector<checks::Evidence>& evidence) {
  json out = json::array();
  for (const auto& e : evidence) {
    json item{{"source", e.source}, {"detail", e.detail}};
    if (!e.file.empty()) item["file"] = e.file;  // a place in an input file (lint)
    if (e.line > 0) item["line"] = e.line;
    out.push_back(std::move(item));
  }
  return out;
}

json objects_json(const std::vector<checks::ObjectRef>& objects) {
  json out = json::array();
  for (const auto& o : objects) {
    out.push_back({{"kind", o.kind}, {"namespace", o.ns}, {"name", o.name}});
  }
  return out;
}

json finding_json(const checks::Finding& f) {
  CheckMeta m = check_meta(f.id);
  return {{"id", f.id},
          {"name", m.name},
          {"category", m.category},
          {"status", checks::to_string(f.status)},
          {"title", m.title},
          {"message", f.message},
          {"symptom", m.symptom},
          {"cause", m.cause},
          {"fix", effective_fix(f)},
          {"docs", m.docs},
          {"evidence", evidence_json(f.evidence)},
          {"upstream", m.upstream},
          {"explainedBy", f.explained_by},
          {"explains", f.explains},
          {"unverifiedUpstream", f.unverified_upstream},
          {"objects", objects_json(f.objects)}};
}

json collected_at_json(const checks::Diagnosis& d) {
  if (!d.collected_at) return nullptr;
  std::string text = util::format_rfc3339(*d.collected_at);
  return text.empty() ? json(nullptr) : json(text);
}

}  // namespace

std::string render_json(const checks::Diagnosis& d, const RenderOptions& opt) {
  json findings = json::array();
  for (const auto& f : d.findings) findings.push_back(finding_json(f));
  json doc = {{"schemaVersion", "meshdoctor/v1"},
              {"tool", {{"version", util::k_version}}},
              {"source", source_json(d)},
              {"collectedAt", collected_at_json(d)},
              {"durationMs", opt.duration_ms},
              {"summary", summary_json(d.summary)},
              {"rootCauses", d.root_causes},
              {"findings", std::move(findings)},
              {"warnings", d.warnings},
              {"remediation", d.remediation ? remediation_json(*d.remediation)
                                              : empty_remediation_json()}};
  // Log lines quoted in evidence may hold invalid UTF-8; replace, never throw.
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace meshdoctor::report
