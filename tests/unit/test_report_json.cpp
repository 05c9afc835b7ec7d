#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "report/render.hpp"
#include "report_fixture.hpp"

using namespace meshdoctor;
using nlohmann::json;

namespace {

json rendered(const checks::Diagnosis& d, long duration_ms = 0) {
  report::RenderOptions o;
  o.duration_ms = duration_ms;
  return json::parse(report::render_json(d, o));
}

const json& by_id(const json& doc, const std::string& id) {
  for (const auto& f : doc["findings"]) {
    if (f["id"] == id) return f;
  }
  FAIL("finding not found: " << id);
  return doc;
}

void check_camel_case(const json& j) {
  static const std::regex k_camel("^[a-z][a-zA-Z0-9]*$");
  if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      CHECK_MESSAGE(std::regex_match(key, k_camel), "key: " << key);
      check_camel_case(value);
    }
  } else if (j.is_array()) {
    for (const auto& v : j) check_camel_case(v);
  }
}

}  // namespace

TEST_SUITE("report::json") {
  TEST_CASE("the document has the meshdoctor/v1 envelope") {
    std::string text = report::render_json(testing::sample_diagnosis(), {});
    CHECK(text.back() == '\n');
    CHECK(text.find("\n  \"schemaVersion\"") != std::string::npos);  // 2-space indent
    json doc = json::parse(text);
    CHECK(doc["schemaVersion"] == "meshdoctor/v1");
    CHECK(doc["tool"]["version"] == "0.1.0");
    CHECK(doc["source"]["kind"] == "bundle");
    CHECK(doc["source"]["path"] == "/tmp/must-gather.local.5538/");
    CHECK(doc["collectedAt"].is_null());
    CHECK(doc["remediation"]["plan"].is_array());
    CHECK(doc["remediation"]["applied"].is_array());
    CHECK(doc["warnings"].is_array());
  }

  TEST_CASE("every finding appears, passes included, with camelCase keys") {
    auto d = testing::sample_diagnosis();
    json doc = rendered(d);
    REQUIRE(doc["findings"].size() == d.findings.size());
    for (std::size_t i = 0; i < d.findings.size(); ++i) {
      CHECK(doc["findings"][i]["id"] == d.findings[i].id);
    }
    check_camel_case(doc);
    for (const char* key :
         {"id", "name", "category", "status", "title", "message", "symptom", "cause", "fix", "docs",
          "evidence", "upstream", "explainedBy", "explains", "unverifiedUpstream", "objects"}) {
      CHECK_MESSAGE(by_id(doc, "MD101").contains(key), key);
    }
  }

  TEST_CASE("summary, root causes and the decision tree are carried over") {
    json doc = rendered(testing::sample_diagnosis(), 1234);
    CHECK(doc["durationMs"] == 1234);
    CHECK(doc["summary"] == json{{"status", "fail"},
                                 {"pass", 1},
                                 {"warn", 1},
                                 {"fail", 6},
                                 {"unknown", 1},
                                 {"skipped", 1}});
    CHECK(doc["rootCauses"] == json{"MD301"});
    const json& root = by_id(doc, "MD301");
    CHECK(root["status"] == "fail");
    CHECK(root["explains"] == json{"MD304", "MD403"});
    CHECK(root["evidence"][0] == json{{"source", "sailoperator.io/v1 IstioCNI default"},
                                      {"detail", "spec.profile is not set"}});
    CHECK(by_id(doc, "MD403")["explainedBy"] == json{"MD301", "MD304"});
  }

  TEST_CASE("objects use kind, namespace and name") {
    auto d = testing::sample_diagnosis();
    d.findings[9].objects = {{"Pod", "bookinfo", "productpage-1"}};
    json doc = rendered(d);
    CHECK(by_id(doc, "MD503")["objects"][0] ==
          json{{"kind", "Pod"}, {"namespace", "bookinfo"}, {"name", "productpage-1"}});
  }

  TEST_CASE("invalid UTF-8 from logs is replaced, never thrown") {
    auto d = testing::sample_diagnosis();
    d.findings[2].evidence.push_back({"log", "bad \xFF\xFE bytes"});
    std::string text;
    CHECK_NOTHROW(text = report::render_json(d, {}));
    CHECK_NOTHROW(json::parse(text));
  }

  TEST_CASE("an unknown ID keeps its ID as name and category other") {
    auto d = testing::sample_diagnosis();
    d.findings.push_back(testing::finding("ZZ999", checks::Status::pass, ""));
    json doc = rendered(d);
    const json& f = by_id(doc, "ZZ999");
    CHECK(f["name"] == "ZZ999");
    CHECK(f["category"] == "other");
  }

  TEST_CASE("the source of a live run names its context") {
    auto d = testing::sample_diagnosis();
    d.source.kind = "live";
    d.source.context = "prod-east";
    json doc = rendered(d);
    CHECK(doc["source"] == json{{"kind", "live"}, {"context", "prod-east"}});
  }
}
