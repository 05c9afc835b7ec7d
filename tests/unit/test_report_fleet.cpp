// The fleet report: exit code over the clusters and the fleet findings, the JSON document
// (meshdoctor/fleet/v1 embedding each cluster's meshdoctor/v1 report), text grouped by cluster.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "checks/catalogue.hpp"
#include "report/fleet.hpp"

using namespace meshdoctor;
using checks::Status;

namespace {

checks::Diagnosis diagnosis_with(Status status, const std::string& context) {
  checks::Diagnosis d;
  d.source.kind = "live";
  d.source.context = context;
  d.findings = {checks::make_finding("MD101", Status::pass, "Succeeded"),
                checks::make_finding("MD301", status, "IstioCNI/default: " + std::string(checks::to_string(status)))};
  checks::link_findings(d);
  return d;
}

report::FleetCluster cluster(const std::string& name, std::optional<Status> status) {
  report::FleetCluster c;
  c.name = name;
  if (status) {
    c.diagnosis = diagnosis_with(*status, name);
    c.channel = "stable-3.2";
    c.csv = "servicemeshoperator3.v3.2.1";
  } else {
    c.error = "cannot connect to https://api." + name + ":6443";
  }
  return c;
}

report::FleetReport fleet(std::vector<report::FleetCluster> clusters, Status md901) {
  report::FleetReport r;
  r.clusters = std::move(clusters);
  r.fleet_findings = {checks::make_finding("MD901", md901, "compared")};
  return r;
}

report::RenderOptions plain() {
  report::RenderOptions o;
  o.unicode = false;
  return o;
}

}  // namespace

TEST_SUITE("report::fleet") {
  TEST_CASE("the exit code reads DESIGN's table over the whole fleet") {
    const auto opt = plain();
    CHECK(report::fleet_exit_code(fleet({cluster("a", Status::pass), cluster("b", Status::pass)}, Status::pass), opt) == 0);
    CHECK(report::fleet_exit_code(fleet({cluster("a", Status::pass), cluster("b", Status::pass)}, Status::fail), opt) == 1);
    CHECK(report::fleet_exit_code(fleet({cluster("a", Status::unknown), cluster("b", Status::pass)}, Status::pass), opt) == 2);
    // A failure anywhere is exit 1 even when another cluster is incomplete: 2 promises "no fail".
    CHECK(report::fleet_exit_code(fleet({cluster("a", Status::unknown), cluster("b", Status::fail)}, Status::pass), opt) == 1);
    CHECK(report::fleet_exit_code(fleet({cluster("a", Status::fail), cluster("b", std::nullopt)}, Status::unknown), opt) == 3);
    CHECK(report::fleet_exit_code(fleet({cluster("a", Status::pass), cluster("b", Status::pass)}, Status::unknown), opt) == 2);
  }

  TEST_CASE("--exit-zero silences verdicts but not a cluster that could not be read") {
    auto opt = plain();
    opt.exit_zero = true;
    CHECK(report::fleet_exit_code(fleet({cluster("a", Status::fail), cluster("b", Status::pass)}, Status::fail), opt) == 0);
    CHECK(report::fleet_exit_code(fleet({cluster("a", Status::pass), cluster("b", std::nullopt)}, Status::unknown), opt) == 3);
  }

  TEST_CASE("--strict turns a warning into exit 1") {
    auto opt = plain();
    auto r = fleet({cluster("a", Status::warn), cluster("b", Status::pass)}, Status::pass);
    CHECK(report::fleet_exit_code(r, opt) == 0);
    opt.strict = true;
    CHECK(report::fleet_exit_code(r, opt) == 1);
  }

  TEST_CASE("JSON embeds each cluster's report and names an unreadable cluster's error") {
    auto r = fleet({cluster("hub", Status::pass), cluster("east", Status::fail), cluster("gone", std::nullopt)},
                   Status::unknown);
    r.exit_code = report::fleet_exit_code(r, plain());
    auto doc = nlohmann::json::parse(report::render_fleet(report::Format::json, r, plain()));
    CHECK(doc["schemaVersion"] == "meshdoctor/fleet/v1");
    REQUIRE(doc["clusters"].size() == 3);
    CHECK(doc["clusters"][0]["name"] == "hub");
    CHECK(doc["clusters"][0]["diagnosis"]["schemaVersion"] == "meshdoctor/v1");
    CHECK(doc["clusters"][0]["diagnosis"]["source"]["context"] == "hub");
    CHECK(doc["clusters"][0]["error"].is_null());
    CHECK(doc["clusters"][0]["channel"] == "stable-3.2");
    CHECK(doc["clusters"][1]["exitCode"] == 1);
    CHECK(doc["clusters"][1]["diagnosis"]["rootCauses"] == nlohmann::json::array({"MD301"}));
    CHECK(doc["clusters"][2]["diagnosis"].is_null());
    CHECK(doc["clusters"][2]["exitCode"] == 3);
    CHECK(doc["clusters"][2]["error"] == "cannot connect to https://api.gone:6443");
    CHECK(doc["clusters"][2]["csv"].is_null());
    CHECK(doc["fleet"]["findings"][0]["id"] == "MD901");
    CHECK(doc["fleet"]["findings"][0]["name"] == "channel-consistency");
    CHECK(doc["fleet"]["findings"][0]["status"] == "unknown");
    CHECK(doc["summary"]["couldNotRun"] == 1);
    CHECK(doc["summary"]["status"] == "fail");
    CHECK(doc["exitCode"] == 3);
  }

  TEST_CASE("text groups by cluster, then the table and the fleet findings") {
    auto r = fleet({cluster("hub", Status::pass), cluster("east", Status::fail)}, Status::fail);
    r.exit_code = report::fleet_exit_code(r, plain());
    std::string text = report::render_fleet(report::Format::text, r, plain());
    auto hub = text.find("CLUSTER     ok hub");
    auto east = text.find("CLUSTER     XX east");
    auto table = text.find("FLEET SUMMARY");
    auto md901 = text.find("FLEET       XX MD901 channel-consistency");
    REQUIRE(hub != std::string::npos);
    REQUIRE(east != std::string::npos);
    REQUIRE(table != std::string::npos);
    REQUIRE(md901 != std::string::npos);
    CHECK(hub < east);
    CHECK(east < table);
    CHECK(table < md901);
    CHECK(text.find("ROOT CAUSE  XX MD301") > east);
    CHECK(text.find("  east     FAIL    MD301        stable-3.2  servicemeshoperator3.v3.2.1  1") != std::string::npos);
    CHECK(text.substr(text.rfind('\n', text.size() - 2) + 1) == "FAIL - 2 clusters: 1 pass, 1 fail - MD901 fail - exit 1\n");
  }

  TEST_CASE("only text, json and markdown render a fleet") {
    CHECK(report::fleet_format_supported(report::Format::markdown));
    CHECK_FALSE(report::fleet_format_supported(report::Format::html));
    CHECK_FALSE(report::fleet_format_supported(report::Format::sarif));
    CHECK_FALSE(report::fleet_format_supported(report::Format::junit));
  }
}
