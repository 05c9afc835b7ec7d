// The Microsoft Teams payload: a legacy MessageCard (Office 365 connector / incoming webhook),
// coloured by the verdict, one section per root cause with its facts, then the summary.
#include <nlohmann/json.hpp>

#include "report/sink.hpp"
#include "report/sink_text.hpp"

namespace meshdoctor::report {

namespace {

using json = nlohmann::ordered_json;

constexpr std::size_t k_value_max = 1000;

std::string theme_color(const checks::Diagnosis& d, const PayloadContext& ctx) {
  if (ctx.kind == "resolved") return "2E7D32";
  switch (d.summary.overall) {
    case checks::Status::fail:
      return "D32F2F";  // red
    case checks::Status::warn:
    case checks::Status::unknown:
      return "FFA000";  // amber
    default:
      return "2E7D32";  // green
  }
}

json fact(const std::string& name, const std::string& value) {
  return {{"name", name}, {"value", sink::truncate(value, k_value_max)}};
}

// "markdown": false: fixes and messages hold *, _ and quotes that must show as typed.
json root_cause_section(const sink::RootCause& r) {
  json facts = json::array();
  facts.push_back(fact("Status", "fail (root cause)"));
  if (!r.fix.empty()) facts.push_back(fact("Fix", r.fix));
  if (!r.explains.empty()) facts.push_back(fact("Explains", sink::join(r.explains, ", ")));
  return {{"activityTitle", r.id + " " + r.name},
          {"activitySubtitle", sink::truncate(r.message, k_value_max)},
          {"facts", std::move(facts)},
          {"markdown", false}};
}

json summary_section(const checks::Diagnosis& d, const PayloadContext& ctx) {
  json facts = json::array();
  auto unknown = sink::labelled_ids(d, checks::Status::unknown);
  if (!unknown.empty()) facts.push_back(fact("Could not verify", sink::join(unknown, ", ")));
  auto warn = sink::labelled_ids(d, checks::Status::warn);
  if (!warn.empty()) facts.push_back(fact("Warnings", sink::join(warn, ", ")));
  facts.push_back(fact("Source", sink::context_line(d)));
  return {{"activityTitle", "Summary"},
          {"text", sink::summary_line(d, ctx.render)},
          {"facts", std::move(facts)},
          {"markdown", false}};
}

}  // namespace

std::string teams_payload(const checks::Diagnosis& d, const PayloadContext& ctx) {
  const auto roots = sink::root_causes(d);
  json sections = json::array();
  if (ctx.kind == "resolved") {
    sections.push_back(
        {{"activityTitle", "Resolved"}, {"text", sink::resolved_line(ctx)}, {"markdown", false}});
  }
  for (std::size_t i = 0; i < roots.size() && i < sink::k_max_sections; ++i) {
    sections.push_back(root_cause_section(roots[i]));
  }
  if (roots.size() > sink::k_max_sections) {
    sections.push_back({{"text", "… and " + std::to_string(roots.size() - sink::k_max_sections) +
                                     " more root causes (meshdoctor check -o json lists all)"},
                        {"markdown", false}});
  }
  sections.push_back(summary_section(d, ctx));
  const std::string title = sink::headline(d, ctx);
  json doc = {{"@type", "MessageCard"},
              {"@context", "https://schema.org/extensions"},
              {"themeColor", theme_color(d, ctx)},
              {"summary", title},
              {"title", title},
              {"sections", std::move(sections)}};
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string teams_payload(const checks::Diagnosis& d, const std::string& kind) {
  PayloadContext ctx;
  ctx.kind = kind;
  return teams_payload(d, ctx);
}

}  // namespace meshdoctor::report
