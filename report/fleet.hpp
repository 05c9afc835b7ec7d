#pragma once
// The report of a fleet run (`check` with several --context, --all-contexts or several --bundle):
// one diagnosis per cluster, the fleet findings (MD901) and one exit code. Text and Markdown group
// by cluster and end with a fleet summary table; JSON is schema meshdoctor/fleet/v1, embedding
// each cluster's meshdoctor/v1 report. HTML, SARIF and JUnit are single-cluster formats.
#include <optional>
#include <string>
#include <vector>

#include "checks/finding.hpp"
#include "report/render.hpp"

namespace meshdoctor::report {

struct FleetCluster {
  std::string name;                            // kubeconfig context, or the bundle's directory
  std::optional<checks::Diagnosis> diagnosis;  // empty when the cluster could not be read
  std::string error;                           // why not (unreachable, 401, unreadable bundle)
  int exit_code = 0;                           // this cluster's own: 0, 1, 2; 3 when not read
  std::string channel, csv;  // servicemeshoperator3 Subscription, "" when unknown (table, JSON)
  long duration_ms = 0;
};

struct FleetReport {
  std::vector<FleetCluster> clusters;
  std::vector<checks::Finding> fleet_findings;
  int exit_code = 0;  // fleet_exit_code
  long duration_ms = 0;
};

// A cluster's exit code: printed_exit_code of its diagnosis, 3 when it could not be read.
int cluster_exit_code(const FleetCluster& c, const RenderOptions& opt);

// The fleet's exit code, read as DESIGN.md §4 reads one cluster's: 3 when any cluster could not
// be read; else 1 when any cluster or fleet finding fails (warns too with --strict); else 2 when
// anything is unknown; else 0. --exit-zero makes the verdicts 0 but keeps 3.
int fleet_exit_code(const FleetReport& r, const RenderOptions& opt);

// Worst of the clusters' overall statuses and the fleet findings (fail > unknown > warn > pass);
// a cluster that could not be read counts as unknown.
checks::Status fleet_status(const FleetReport& r);

// text, json and markdown; the others are refused by the CLI (exit 64) before anything is read.
bool fleet_format_supported(Format f);
std::string render_fleet(Format f, const FleetReport& r, const RenderOptions& opt);

std::string render_fleet_text(const FleetReport& r, const RenderOptions& opt);      // fleet_text.cpp
std::string render_fleet_markdown(const FleetReport& r, const RenderOptions& opt);  // fleet_markdown.cpp
std::string render_fleet_json(const FleetReport& r, const RenderOptions& opt);
// {"schemaVersion": "meshdoctor/fleet/v1", "tool": {"version"}, "durationMs",
//  "summary": {"status", "clusters", "pass", "warn", "fail", "unknown", "couldNotRun"},
//  "clusters": [{"name", "exitCode", "error": null|"...", "channel", "csv",
//                "diagnosis": <the meshdoctor/v1 report of render_json>|null}],
//  "fleet": {"findings": [<findings as in meshdoctor/v1>]}, "exitCode"}

}  // namespace meshdoctor::report
