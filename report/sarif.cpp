// The SARIF 2.1.0 report (-o sarif): one run whose rules are the catalogue entries of the
// findings' checks and whose results are the findings that did not pass, so that code-scanning
// dashboards and CI annotations show meshdoctor's diagnosis (lint results on their file lines).
#include <map>
#include <nlohmann/json.hpp>

#include "report/describe.hpp"
#include "report/markdown_text.hpp"
#include "report/remediation_json.hpp"
#include "report/render.hpp"
#include "report/sarif_location.hpp"
#include "util/time.hpp"
#include "util/version.hpp"

namespace meshdoctor::report {

namespace {

using json = nlohmann::ordered_json;

constexpr const char* k_schema = "https://json.schemastore.org/sarif-2.1.0.json";
constexpr const char* k_information_uri = "https://github.com/meshdoctor/meshdoctor";
constexpr const char* k_fingerprint_key = "meshdoctorResult/v1";

// helpUri must be an absolute URI; catalogue docs that are paths stay in the help text only.
bool web_uri(const std::string& s) {
  if (s.rfind("https://", 0) != 0 && s.rfind("http://", 0) != 0) return false;
  for (unsigned char c : s) {
    if (c <= ' ' || c >= 0x7f || c == '<' || c == '>' || c == '"') return false;
  }
  return true;
}

json message(const std::string& text) { return {{"text", text}}; }

std::string first_set(std::initializer_list<std::string> texts) {
  for (const auto& t : texts) {
    if (!t.empty()) return t;
  }
  return "";
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string help_markdown(const CheckMeta& m) {
  std::string out;
  if (!m.symptom.empty()) out += "**Symptom** " + markdown::inline_text(m.symptom) + "\n\n";
  if (!m.cause.empty()) out += "**Cause** " + markdown::inline_text(m.cause) + "\n\n";
  if (!m.fix.empty()) out += "**Fix**\n\n" + markdown::fenced("sh", m.fix) + "\n";
  if (web_uri(m.docs)) {
    out += "**Docs** <" + m.docs + ">\n\n";
  } else if (!m.docs.empty()) {
    out += "**Docs** " + markdown::inline_text(m.docs) + "\n\n";
  }
  return out + "More: " + markdown::code_span("meshdoctor explain " + m.id) + "\n";
}

// A reportingDescriptor: the catalogue entry of one check (or lint rule).
json rule(const std::string& id) {
  CheckMeta m = check_meta(id);
  json r = {{"id", id},
            {"name", m.name},
            {"shortDescription", message(first_set({m.title, m.name}))},
            {"fullDescription", message(first_set({m.cause, m.symptom, m.title, m.name}))},
            {"help",
             {{"text", first_set({m.fix, "Run: meshdoctor explain " + id})},
              {"markdown", help_markdown(m)}}}};
  if (web_uri(m.docs)) r["helpUri"] = m.docs;
  r["defaultConfiguration"] = {
      {"level", m.severity == checks::Severity::warn ? "warning" : "error"}};
  r["properties"] = {{"category", m.category},
                     {"tags", json::array({"meshdoctor", m.category})},
                     {"severity", m.severity == checks::Severity::warn ? "warn" : "fail"},
                     {"upstream", m.upstream}};
  return r;
}

// kind and level (SARIF §3.27.9–10): a problem found is kind "fail" with a level; a verdict that
// could not be reached for want of evidence is "open", a check that did not apply
// "notApplicable", and any kind but "fail" must have level "none".
std::pair<const char*, const char*> kind_and_level(checks::Status s) {
  switch (s) {
    case checks::Status::fail:
      return {"fail", "error"};
    case checks::Status::warn:
      return {"fail", "warning"};
    case checks::Status::unknown:
      return {"open", "none"};
    case checks::Status::skipped:
      return {"notApplicable", "none"};
    case checks::Status::pass:
      break;
  }
  return {"pass", "none"};
}

bool is_root_cause(const checks::Diagnosis& d, const std::string& id) {
  for (const auto& r : d.root_causes) {
    if (r == id) return true;
  }
  return false;
}

// The one-line outcome, with where the failure sits in the decision tree.
std::string result_text(const checks::Diagnosis& d,
                        const checks::Finding& f,
                        const checks::Evidence* at) {
  std::string text = first_set({f.message, check_meta(f.id).title, f.id});
  if (at != nullptr && !at->detail.empty()) text += ": " + at->detail;
  if (!f.explained_by.empty()) {
    text += " (explained by " + join(f.explained_by) + ")";
  } else if (is_root_cause(d, f.id) && !f.explains.empty()) {
    text += " (root cause of " + join(f.explains) + ")";
  }
  return text;
}

json evidence_json(const std::vector<checks::Evidence>& evidence) {
  json out = json::array();
  for (const auto& e : evidence) {
    json item = {{"source", e.source}, {"detail", e.detail}};
    if (!e.file.empty()) item["file"] = e.file;
    if (e.line > 0) item["line"] = e.line;
    out.push_back(std::move(item));
  }
  return out;
}

json result(const checks::Diagnosis& d,
            const checks::Finding& f,
            int rule_index,
            const checks::Evidence* at) {
  auto [kind, level] = kind_and_level(f.status);
  json r = {{"ruleId", f.id},
            {"ruleIndex", rule_index},
            {"kind", kind},
            {"level", level},
            {"message", message(result_text(d, f, at))}};
  json locations = json::array();
  if (at != nullptr) {
    locations.push_back(sarif::file_location(*at));
  } else {
    for (auto& l : sarif::logical_locations(f)) locations.push_back(std::move(l));
  }
  if (!locations.empty()) r["locations"] = std::move(locations);
  const std::string key = at != nullptr ? sarif::file_key(*at) : sarif::logical_key(f);
  r["partialFingerprints"] = {{k_fingerprint_key, sarif::fingerprint(f.id, key)}};
  r["properties"] = {{"status", checks::to_string(f.status)},
                     {"rootCause", is_root_cause(d, f.id)},
                     {"explainedBy", f.explained_by},
                     {"explains", f.explains},
                     {"unverifiedUpstream", f.unverified_upstream},
                     {"fix", effective_fix(f)},
                     {"evidence", evidence_json(f.evidence)}};
  return r;
}

// Evidence that points into a file, once per file and line: each becomes its own result.
std::vector<const checks::Evidence*> file_evidence(const checks::Finding& f) {
  std::vector<const checks::Evidence*> out;
  for (const auto& e : f.evidence) {
    if (e.file.empty()) continue;
    bool seen = false;
    for (const auto* o : out) seen = seen || (o->file == e.file && o->line == e.line);
    if (!seen) out.push_back(&e);
  }
  return out;
}

struct Results {
  json results = json::array();
  bool relative_files = false;  // some artifact URI needs the SRCROOT base
};

Results results(const checks::Diagnosis& d, const std::map<std::string, int>& rule_index) {
  Results out;
  for (const auto& f : d.findings) {
    if (f.status == checks::Status::pass) continue;
    const int index = rule_index.at(f.id);
    auto files = file_evidence(f);
    if (files.empty()) {
      out.results.push_back(result(d, f, index, nullptr));
      continue;
    }
    for (const auto* e : files) {
      bool relative = false;
      sarif::file_uri(e->file, &relative);
      out.relative_files = out.relative_files || relative;
      out.results.push_back(result(d, f, index, e));
    }
  }
  return out;
}

json invocation(const checks::Diagnosis& d, const RenderOptions& opt) {
  json inv = {{"executionSuccessful", true}, {"exitCode", printed_exit_code(d, opt)}};
  if (!d.warnings.empty()) {
    json notes = json::array();
    for (const auto& w : d.warnings)
      notes.push_back({{"level", "warning"}, {"message", message(w)}});
    inv["toolExecutionNotifications"] = std::move(notes);
  }
  return inv;
}

json run_properties(const checks::Diagnosis& d, const RenderOptions& opt) {
  json source = {{"kind", d.source.kind.empty() ? "bundle" : d.source.kind}};
  if (d.source.kind == "live") {
    source["context"] = d.source.context;
  } else {
    source["path"] = d.source.path;
  }
  json props = {{"source", std::move(source)}};
  if (d.collected_at) {
    if (std::string at = util::format_rfc3339(*d.collected_at); !at.empty())
      props["collectedAt"] = at;
  }
  const auto& s = d.summary;
  props["durationMs"] = opt.duration_ms;
  props["summary"] = {{"status", checks::to_string(s.overall)},
                      {"pass", s.pass},
                      {"warn", s.warn},
                      {"fail", s.fail},
                      {"unknown", s.unknown},
                      {"skipped", s.skipped}};
  props["rootCauses"] = d.root_causes;
  props["nodes"] = d.nodes;
  props["pods"] = d.pods;
  if (d.remediation) props["remediation"] = remediation_json(*d.remediation);
  return props;
}

}  // namespace

std::string render_sarif(const checks::Diagnosis& d, const RenderOptions& opt) {
  // Rules: every check the diagnosis ran, passes included, so a dashboard knows what was checked.
  json rules = json::array();
  std::map<std::string, int> rule_index;
  for (const auto& f : d.findings) {
    if (rule_index.count(f.id)) continue;
    rule_index[f.id] = static_cast<int>(rules.size());
    rules.push_back(rule(f.id));
  }
  Results found = results(d, rule_index);
  json driver = {{"name", "meshdoctor"},
                 {"version", util::k_version},
                 {"informationUri", k_information_uri},
                 {"rules", std::move(rules)}};
  json run = {{"tool", {{"driver", std::move(driver)}}},
              {"invocations", json::array({invocation(d, opt)})}};
  if (found.relative_files) {
    run["originalUriBaseIds"] = {
        {sarif::k_src_root,
         {{"description",
           message("The directory meshdoctor was run in: relative paths are as given")}}}};
  }
  run["results"] = std::move(found.results);
  run["properties"] = run_properties(d, opt);
  json doc = {{"$schema", k_schema}, {"version", "2.1.0"}, {"runs", json::array({std::move(run)})}};
  // Log lines quoted in evidence may hold invalid UTF-8; replace, never throw.
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace meshdoctor::report
