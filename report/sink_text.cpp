// Shared text of the chat payloads (Slack, Teams).
#include "report/sink_text.hpp"

#include <algorithm>
#include <cctype>

#include "report/describe.hpp"
#include "util/version.hpp"

namespace meshdoctor::report::sink {

namespace {

std::string upper(std::string word) {
  std::transform(word.begin(), word.end(), word.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return word;
}

std::string count(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string first_line(const std::string& text) {
  auto start = text.find_first_not_of(" \t\r\n");
  if (start == std::string::npos) return "";
  auto end = text.find('\n', start);
  std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return line;
}

std::string verdict_detail(const checks::Diagnosis& d) {
  const auto& s = d.summary;
  switch (s.overall) {
    case checks::Status::fail:
      return count(d.root_causes.size(), "root cause", "root causes");
    case checks::Status::unknown:
      return count(static_cast<std::size_t>(s.unknown), "check could not be verified",
                   "checks could not be verified");
    case checks::Status::warn:
      return count(static_cast<std::size_t>(s.warn), "warning", "warnings");
    default:
      return "no problem found";
  }
}

}  // namespace

std::string headline(const checks::Diagnosis& d, const PayloadContext& ctx) {
  if (ctx.kind == "resolved") return "meshdoctor: RESOLVED · " + source_label(d);
  return "meshdoctor: " + upper(checks::to_string(d.summary.overall)) + " · " + verdict_detail(d) +
         " · " + source_label(d);
}

std::string context_line(const checks::Diagnosis& d) {
  std::string when = collected_label(d);
  return std::string("meshdoctor ") + util::k_version + " · " + source_label(d) + " · " +
         (when.empty() ? "collection time unknown" : "collected " + when) + " · " +
         std::to_string(d.nodes) + " nodes, " + std::to_string(d.pods) + " pods";
}

std::string summary_line(const checks::Diagnosis& d, const RenderOptions& opt) {
  const auto& s = d.summary;
  std::string fails = std::to_string(s.fail) + " fail";
  if (!d.root_causes.empty())
    fails += " (" + count(d.root_causes.size(), "root cause", "root causes") + ")";
  return join(
      {upper(checks::to_string(s.overall)), fails, std::to_string(s.pass) + " pass",
       std::to_string(s.warn) + " warn", std::to_string(s.unknown) + " unknown",
       std::to_string(s.skipped) + " skipped", "exit " + std::to_string(printed_exit_code(d, opt))},
      " · ");
}

std::string resolved_line(const PayloadContext& ctx) {
  if (ctx.previously_failing.empty()) return "The failures reported before have cleared.";
  return "The failures reported before have cleared: " + join(ctx.previously_failing, ", ") + ".";
}

std::vector<RootCause> root_causes(const checks::Diagnosis& d) {
  std::vector<RootCause> out;
  for (const auto& id : d.root_causes) {
    const checks::Finding* f = d.find(id);
    if (f == nullptr) continue;
    RootCause r{f->id, check_meta(f->id).name, f->message, first_line(effective_fix(*f)), {}};
    for (const auto& line : explained_tree(d, *f)) r.explains.push_back(line.finding->id);
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<std::string> labelled_ids(const checks::Diagnosis& d, checks::Status status) {
  std::vector<std::string> out;
  for (const auto& f : d.findings) {
    if (f.status == status) out.push_back(f.id + " " + check_meta(f.id).name);
  }
  return out;
}

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : sep) + item;
  return out;
}

std::string truncate(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  const std::string ellipsis = "…";
  std::size_t cut = max_bytes > ellipsis.size() ? max_bytes - ellipsis.size() : 0;
  // Never split a multi-byte character: back off over continuation bytes (10xxxxxx).
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + ellipsis;
}

}  // namespace meshdoctor::report::sink
