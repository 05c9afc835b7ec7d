// Fleet reports: the exit code and status of a fleet run, the format dispatch, and the JSON
// document (schema meshdoctor/fleet/v1), which embeds each cluster's own meshdoctor/v1 report.
#include "report/fleet.hpp"

#include <nlohmann/json.hpp>

#include "checks/catalogue.hpp"
#include "util/version.hpp"

namespace meshdoctor::report {

namespace {

using json = nlohmann::ordered_json;

int rank(checks::Status s) {
  switch (s) {
    case checks::Status::fail: return 3;
    case checks::Status::unknown: return 2;
    case checks::Status::warn: return 1;
    default: return 0;
  }
}

// The report of render_json, as a value to embed.
json diagnosis_json(const checks::Diagnosis& d, const RenderOptions& opt, long duration_ms) {
  RenderOptions own = opt;
  own.duration_ms = duration_ms;
  return json::parse(render_json(d, own));
}

// The fleet findings in the shape of a meshdoctor/v1 report's findings.
json findings_json(const std::vector<checks::Finding>& findings, const RenderOptions& opt) {
  checks::Diagnosis only;
  only.findings = findings;
  return json::parse(render_json(only, opt)).at("findings");
}

json text_or_null(const std::string& text) { return text.empty() ? json(nullptr) : json(text); }

json summary_json(const FleetReport& r) {
  int by_status[5] = {0, 0, 0, 0, 0};
  int could_not_run = 0;
  for (const auto& c : r.clusters) {
    if (c.diagnosis) {
      ++by_status[static_cast<int>(c.diagnosis->summary.overall)];
    } else {
      ++could_not_run;
    }
  }
  return {{"status", checks::to_string(fleet_status(r))},
          {"clusters", r.clusters.size()},
          {"pass", by_status[static_cast<int>(checks::Status::pass)]},
          {"warn", by_status[static_cast<int>(checks::Status::warn)]},
          {"fail", by_status[static_cast<int>(checks::Status::fail)]},
          {"unknown", by_status[static_cast<int>(checks::Status::unknown)]},
          {"couldNotRun", could_not_run}};
}

}  // namespace

int cluster_exit_code(const FleetCluster& c, const RenderOptions& opt) {
  return c.diagnosis ? printed_exit_code(*c.diagnosis, opt) : 3;
}

int fleet_exit_code(const FleetReport& r, const RenderOptions& opt) {
  RenderOptions verdict = opt;
  verdict.exit_zero = false;
  bool fail = false, unknown = false;
  for (const auto& c : r.clusters) {
    const int code = cluster_exit_code(c, verdict);
    if (code == 3) return 3;
    fail = fail || code == 1;
    unknown = unknown || code == 2;
  }
  for (const auto& f : r.fleet_findings) {
    fail = fail || f.status == checks::Status::fail || (opt.strict && f.status == checks::Status::warn);
    unknown = unknown || f.status == checks::Status::unknown;
  }
  if (opt.exit_zero) return 0;
  return fail ? 1 : unknown ? 2 : 0;
}

checks::Status fleet_status(const FleetReport& r) {
  checks::Status worst = checks::Status::pass;
  auto consider = [&worst](checks::Status s) {
    if (rank(s) > rank(worst)) worst = s;
  };
  for (const auto& c : r.clusters) {
    consider(c.diagnosis ? c.diagnosis->summary.overall : checks::Status::unknown);
  }
  for (const auto& f : r.fleet_findings) consider(f.status);
  return worst;
}

bool fleet_format_supported(Format f) {
  return f == Format::text || f == Format::json || f == Format::markdown;
}

std::string render_fleet(Format f, const FleetReport& r, const RenderOptions& opt) {
  switch (f) {
    case Format::json:
      return render_fleet_json(r, opt);
    case Format::markdown:
      return render_fleet_markdown(r, opt);
    default:
      return render_fleet_text(r, opt);
  }
}

std::string render_fleet_json(const FleetReport& r, const RenderOptions& opt) {
  json clusters = json::array();
  for (const auto& c : r.clusters) {
    clusters.push_back({{"name", c.name},
                        {"exitCode", cluster_exit_code(c, opt)},
                        {"error", text_or_null(c.error)},
                        {"channel", text_or_null(c.channel)},
                        {"csv", text_or_null(c.csv)},
                        {"diagnosis", c.diagnosis ? diagnosis_json(*c.diagnosis, opt, c.duration_ms)
                                                  : json(nullptr)}});
  }
  json doc = {{"schemaVersion", "meshdoctor/fleet/v1"},
              {"tool", {{"version", util::k_version}}},
              {"durationMs", r.duration_ms},
              {"summary", summary_json(r)},
              {"clusters", std::move(clusters)},
              {"fleet", {{"findings", findings_json(r.fleet_findings, opt)}}},
              {"exitCode", r.exit_code}};
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace meshdoctor::report
