// The Slack incoming-webhook payload: "text" (notifications and clients without blocks) and
// "blocks": a header with the verdict, the context, one section per root cause, the summary.
#include <nlohmann/json.hpp>

#include "report/sink.hpp"
#include "report/sink_text.hpp"

namespace meshdoctor::report {

namespace {

using json = nlohmann::ordered_json;

// Slack's limits: header text 150 characters, section text 3000, 50 blocks.
constexpr std::size_t k_header_max = 150;
constexpr std::size_t k_section_max = 2900;

// mrkdwn treats &, < and > as markup (links, mentions); everything else is shown as typed.
std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else
      out += c;
  }
  return out;
}

std::string code(const std::string& text) {
  if (text.find('`') != std::string::npos) return escape(text);
  return "`" + escape(text) + "`";
}

json section(const std::string& mrkdwn) {
  return {{"type", "section"},
          {"text", {{"type", "mrkdwn"}, {"text", sink::truncate(mrkdwn, k_section_max)}}}};
}

json context(const std::string& mrkdwn) {
  return {{"type", "context"}, {"elements", json::array({{{"type", "mrkdwn"}, {"text", mrkdwn}}})}};
}

std::string root_cause_text(const sink::RootCause& r) {
  std::string out = "*" + r.id + "* " + escape(r.name);
  if (!r.message.empty()) out += " — " + escape(r.message);
  if (!r.fix.empty()) out += "\n*Fix:* " + code(r.fix);
  if (!r.explains.empty()) out += "\n_Explains:_ " + sink::join(r.explains, ", ");
  return out;
}

// Besides the root causes: what else needs a look (warnings, unverified checks).
void add_other_findings(json& blocks, const checks::Diagnosis& d) {
  auto unknown = sink::labelled_ids(d, checks::Status::unknown);
  if (!unknown.empty())
    blocks.push_back(section("*Could not verify:* " + escape(sink::join(unknown, ", "))));
  auto warn = sink::labelled_ids(d, checks::Status::warn);
  if (!warn.empty()) blocks.push_back(section("*Warnings:* " + escape(sink::join(warn, ", "))));
}

std::string fallback_text(const checks::Diagnosis& d,
                          const PayloadContext& ctx,
                          const std::vector<sink::RootCause>& roots) {
  std::string out = sink::headline(d, ctx);
  if (ctx.kind == "resolved") return out + ". " + sink::resolved_line(ctx);
  std::vector<std::string> ids;
  for (const auto& r : roots) ids.push_back(r.id + " " + r.name);
  if (!ids.empty()) out += ": " + sink::join(ids, ", ");
  return escape(sink::truncate(out, k_section_max));
}

}  // namespace

std::string slack_payload(const checks::Diagnosis& d, const PayloadContext& ctx) {
  const auto roots = sink::root_causes(d);
  json blocks = json::array();
  blocks.push_back({{"type", "header"},
                    {"text",
                     {{"type", "plain_text"},
                      {"text", sink::truncate(sink::headline(d, ctx), k_header_max)},
                      {"emoji", true}}}});
  blocks.push_back(context(escape(sink::context_line(d))));
  if (ctx.kind == "resolved") blocks.push_back(section(escape(sink::resolved_line(ctx))));
  for (std::size_t i = 0; i < roots.size() && i < sink::k_max_sections; ++i) {
    blocks.push_back(section(root_cause_text(roots[i])));
  }
  if (roots.size() > sink::k_max_sections) {
    blocks.push_back(section("… and " + std::to_string(roots.size() - sink::k_max_sections) +
                             " more root causes (meshdoctor check -o json lists all)"));
  }
  add_other_findings(blocks, d);
  blocks.push_back(section(escape(sink::summary_line(d, ctx.render))));
  json doc = {{"text", fallback_text(d, ctx, roots)}, {"blocks", std::move(blocks)}};
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string slack_payload(const checks::Diagnosis& d, const std::string& kind) {
  PayloadContext ctx;
  ctx.kind = kind;
  return slack_payload(d, ctx);
}

}  // namespace meshdoctor::report
