#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "test_support_facts.hpp"
#include "report/render.hpp"
#include "report/text_layout.hpp"
#include "report_fixture.hpp"
#include "util/time.hpp"

using namespace meshdoctor;
using testsupport::at;
using nlohmann::json;

namespace {

checks::RemediationPod pod(std::string name, std::string node, std::string detail) {
  checks::RemediationPod p;
  p.ns = "bookinfo";
  p.name = std::move(name);
  p.node = std::move(node);
  p.check = "MD504";
  p.ztunnel_pod = "ztunnel-9qzvd";
  p.pod_start = at("2026-11-20T11:45:21.250000Z");
  p.ztunnel_ready_at = at("2026-11-20T11:46:35Z");
  p.detail = std::move(detail);
  return p;
}

checks::PlanEntry restart_entry() {
  checks::PlanEntry e;
  e.kind = "Deployment";
  e.ns = "bookinfo";
  e.name = "details-v1";
  e.uid = "0d6c1a2e-1111-4c1e-9f00-aaaaaaaaaaaa";
  e.resource_version = "4312";
  e.api_path = "/apis/apps/v1/namespaces/bookinfo/deployments/details-v1";
  e.command = "oc rollout restart deployment/details-v1 -n bookinfo";
  e.action = checks::PlanAction::restart;
  e.reason = "2 pod(s) started before ztunnel was Ready";
  e.checks = {"MD504"};
  e.pods = {pod("details-v1-65cfcf56f9-dq2tw", "worker-1",
                "started 11:45:21, ztunnel-9qzvd Ready at 11:46:35"),
            pod("details-v1-65cfcf56f9-x7k2p", "worker-2", "")};
  e.pods[1].ztunnel_ready_at.reset();
  return e;
}

checks::Remediation sample_remediation() {
  checks::Remediation r;
  r.apply = true;
  r.max_restarts = 2;
  auto restart = restart_entry();
  auto reviews = restart_entry();
  reviews.name = "reviews-v2";
  reviews.resource_version = "5120";
  reviews.api_path = "/apis/apps/v1/namespaces/bookinfo/deployments/reviews-v2";
  reviews.command = "oc rollout restart deployment/reviews-v2 -n bookinfo";
  reviews.pods = {pod("reviews-v2-7d9f-abcde", "worker-3", "started 11:40:00, ztunnel-9qzvd Ready at 11:46:35")};
  checks::PlanEntry skip;
  skip.kind = "Deployment";
  skip.ns = "shop";
  skip.name = "checkout";
  skip.resource_version = "77";
  skip.action = checks::PlanAction::skip;
  skip.guard = "paused";
  skip.reason = "spec.paused is true";
  skip.checks = {"MD504"};
  checks::PlanEntry defer;
  defer.kind = "StatefulSet";
  defer.ns = "payments";
  defer.name = "ledger";
  defer.resource_version = "901";
  defer.api_path = "/apis/apps/v1/namespaces/payments/statefulsets/ledger";
  defer.action = checks::PlanAction::defer;
  defer.guard = "budget";
  defer.reason = "--max-restarts 2 reached";
  defer.checks = {"MD504", "MD503"};
  checks::PlanEntry bare;
  bare.kind = "Pod";
  bare.ns = "tools";
  bare.name = "debug-shell";
  bare.uid = "9a9a9a9a-2222-4c1e-9f00-bbbbbbbbbbbb";
  bare.resource_version = "333";
  bare.api_path = "/api/v1/namespaces/tools/pods/debug-shell";
  bare.command = "oc delete pod/debug-shell -n tools";
  bare.action = checks::PlanAction::remove;
  bare.reason = "bare pod started before ztunnel was Ready";
  bare.checks = {"MD504"};
  r.plan = {skip, restart, defer, bare, reviews};  // renderers group by action

  checks::AppliedAction ok;
  ok.kind = "Deployment";
  ok.ns = "bookinfo";
  ok.name = "details-v1";
  ok.action = "restart";
  ok.result = "restarted";
  ok.http_status = 200;
  ok.at = at("2026-11-20T12:31:02Z");
  ok.resource_version_before = "4312";
  ok.resource_version_after = "4313";
  ok.restarted_at = "2026-11-20T12:31:02Z";
  ok.event = "recorded";
  checks::AppliedAction conflict;
  conflict.kind = "Deployment";
  conflict.ns = "bookinfo";
  conflict.name = "reviews-v2";
  conflict.action = "restart";
  conflict.result = "conflict";
  conflict.detail = "changed since it was read; not touched";
  conflict.http_status = 409;
  conflict.at = at("2026-11-20T12:31:03Z");
  conflict.resource_version_before = "5120";
  checks::AppliedAction forbidden;
  forbidden.kind = "Pod";
  forbidden.ns = "tools";
  forbidden.name = "debug-shell";
  forbidden.action = "delete";
  forbidden.result = "forbidden";
  forbidden.detail = "delete pods in namespace tools";
  forbidden.http_status = 403;
  r.applied = {ok, conflict, forbidden};

  checks::Verification v;
  v.completed = false;
  v.waited_ms = 120000;
  checks::VerifiedWorkload done;
  done.kind = "Deployment";
  done.ns = "bookinfo";
  done.name = "details-v1";
  done.done = true;
  done.desired = 2;
  done.ready = 2;
  done.enrolled = 2;
  checks::VerifiedWorkload pending;
  pending.kind = "Deployment";
  pending.ns = "bookinfo";
  pending.name = "productpage-v1";
  pending.desired = 3;
  pending.ready = 1;
  pending.enrolled = 1;
  pending.old_pods = 2;
  pending.detail = "rollout still in progress";
  v.workloads = {done, pending};
  v.before = {{"MD504", "fail"}, {"MD503", "pass"}};
  v.after = {{"MD504", "pass"}, {"MD503", "pass"}};
  r.verify = v;
  r.notes = {"MD503 not used: --include-unenrolled was not given"};
  return r;
}

checks::Diagnosis diagnosis_with(const checks::Remediation& r) {
  auto d = testing::sample_diagnosis();
  d.findings.push_back(
      testing::finding("MD504", checks::Status::fail, "3 pods started before ztunnel was Ready"));
  d.remediation = r;
  return d;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

bool has_line(const std::string& text, const std::string& line) {
  for (const auto& l : lines_of(text)) {
    if (l == line) return true;
  }
  return false;
}

report::RenderOptions ascii() {
  report::RenderOptions o;
  o.unicode = false;
  return o;
}

void check_same_pods(const std::vector<checks::RemediationPod>& a,
                     const std::vector<checks::RemediationPod>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].ns == b[i].ns);
    CHECK(a[i].name == b[i].name);
    CHECK(a[i].node == b[i].node);
    CHECK(a[i].check == b[i].check);
    CHECK(a[i].ztunnel_pod == b[i].ztunnel_pod);
    CHECK(a[i].pod_start == b[i].pod_start);
    CHECK(a[i].ztunnel_ready_at == b[i].ztunnel_ready_at);
    CHECK(a[i].detail == b[i].detail);
  }
}

// A plan file whose first entry is `entry` (the others valid), for the validation cases.
std::string plan_with(const json& entry) {
  json doc = json::parse(report::render_plan_file(sample_remediation(), "https://api.x:6443",
                                                  "admin", at("2026-11-20T12:30:00Z")));
  doc["entries"][1] = entry;
  return doc.dump();
}

json valid_entry() {
  return json::parse(report::render_plan_file(sample_remediation(), "", "", 0))["entries"][1];
}

std::string plan_error(const std::string& text) {
  auto r = report::parse_plan_file(text, nullptr, nullptr);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == "plan.invalid");
  return r.error().message;
}

}  // namespace

TEST_SUITE("report::remediation json") {
  TEST_CASE("without a remediation the report keeps the empty plan and applied lists") {
    json doc = json::parse(report::render_json(testing::sample_diagnosis(), {}));
    CHECK(doc["remediation"] == json::parse(R"({"plan": [], "applied": []})"));
  }

  TEST_CASE("the remediation object has the mode, budget, counts and every plan field") {
    json doc = json::parse(report::render_json(diagnosis_with(sample_remediation()), {}));
    const json& rem = doc["remediation"];
    CHECK(rem["playbook"] == "restart-stale-workloads");
    CHECK(rem["mode"] == "apply");
    CHECK(rem["fromPlan"] == false);
    CHECK(rem["maxRestarts"] == 2);
    CHECK(rem["summary"] == json::parse(R"({"restart": 2, "delete": 1, "skip": 1, "defer": 1,
                                             "applied": 1, "failed": 2})"));
    REQUIRE(rem["plan"].size() == 5);
    const json& e = rem["plan"][1];  // plan order, as the playbook produced it
    CHECK(e["kind"] == "Deployment");
    CHECK(e["namespace"] == "bookinfo");
    CHECK(e["name"] == "details-v1");
    CHECK(e["uid"] == "0d6c1a2e-1111-4c1e-9f00-aaaaaaaaaaaa");
    CHECK(e["resourceVersion"] == "4312");
    CHECK(e["apiPath"] == "/apis/apps/v1/namespaces/bookinfo/deployments/details-v1");
    CHECK(e["command"] == "oc rollout restart deployment/details-v1 -n bookinfo");
    CHECK(e["action"] == "restart");
    CHECK(e["guard"] == "");
    CHECK(e["reason"] == "2 pod(s) started before ztunnel was Ready");
    CHECK(e["checks"] == json::array({"MD504"}));
    REQUIRE(e["pods"].size() == 2);
    const json& p = e["pods"][0];
    CHECK(p["namespace"] == "bookinfo");
    CHECK(p["name"] == "details-v1-65cfcf56f9-dq2tw");
    CHECK(p["node"] == "worker-1");
    CHECK(p["check"] == "MD504");
    CHECK(p["ztunnelPod"] == "ztunnel-9qzvd");
    CHECK(p["podStart"] == "2026-11-20T11:45:21.250000Z");
    CHECK(p["ztunnelReadyAt"] == "2026-11-20T11:46:35Z");
    CHECK(p["detail"] == "started 11:45:21, ztunnel-9qzvd Ready at 11:46:35");
    CHECK(e["pods"][1]["ztunnelReadyAt"].is_null());
    CHECK(rem["plan"][0]["action"] == "skip");
    CHECK(rem["plan"][0]["guard"] == "paused");
    CHECK(rem["plan"][2]["action"] == "defer");
    CHECK(rem["plan"][2]["checks"] == json::array({"MD504", "MD503"}));
    CHECK(rem["plan"][3]["action"] == "delete");
    CHECK(rem["notes"] == json::array({"MD503 not used: --include-unenrolled was not given"}));
  }

  TEST_CASE("applied actions carry the result, HTTP status, times and resource versions") {
    json rem = json::parse(report::render_json(diagnosis_with(sample_remediation()), {}))["remediation"];
    REQUIRE(rem["applied"].size() == 3);
    CHECK(rem["applied"][0] == json::parse(R"({
      "kind": "Deployment", "namespace": "bookinfo", "name": "details-v1", "action": "restart",
      "result": "restarted", "detail": "", "httpStatus": 200, "at": "2026-11-20T12:31:02Z",
      "resourceVersionBefore": "4312", "resourceVersionAfter": "4313",
      "restartedAt": "2026-11-20T12:31:02Z", "event": "recorded"})"));
    CHECK(rem["applied"][1]["result"] == "conflict");
    CHECK(rem["applied"][1]["httpStatus"] == 409);
    CHECK(rem["applied"][2]["result"] == "forbidden");
    CHECK(rem["applied"][2]["action"] == "delete");
    CHECK(rem["applied"][2]["at"].is_null());
    CHECK(rem["applied"][2]["httpStatus"] == 403);
  }

  TEST_CASE("the verification lists workloads and the check statuses before and after") {
    json v = json::parse(report::render_json(diagnosis_with(sample_remediation()), {}))["remediation"]["verify"];
    CHECK(v["completed"] == false);
    CHECK(v["waitedMs"] == 120000);
    REQUIRE(v["workloads"].size() == 2);
    CHECK(v["workloads"][1] == json::parse(R"({"kind": "Deployment", "namespace": "bookinfo",
      "name": "productpage-v1", "done": false, "desired": 3, "ready": 1, "enrolled": 1,
      "oldPods": 2, "detail": "rollout still in progress"})"));
    CHECK(v["before"] == json::parse(R"({"MD503": "pass", "MD504": "fail"})"));
    CHECK(v["after"] == json::parse(R"({"MD503": "pass", "MD504": "pass"})"));
  }

  TEST_CASE("a dry-run says so and has no verification") {
    auto r = sample_remediation();
    r.apply = false;
    r.from_plan = true;
    r.applied.clear();
    r.verify.reset();
    json rem = json::parse(report::render_json(diagnosis_with(r), {}))["remediation"];
    CHECK(rem["mode"] == "dry-run");
    CHECK(rem["fromPlan"] == true);
    CHECK(rem["verify"].is_null());
    CHECK(rem["applied"] == json::array());
    CHECK(rem["summary"]["applied"] == 0);
    CHECK(rem["summary"]["failed"] == 0);
  }

  TEST_CASE("render_remediation in JSON is the JSON report") {
    auto d = diagnosis_with(sample_remediation());
    CHECK(report::render_remediation(report::Format::json, d, {}) == report::render_json(d, {}));
  }
}

TEST_SUITE("report::remediation plan file") {
  TEST_CASE("the plan file has the schema, cluster, budget and entries, pretty-printed") {
    std::string text = report::render_plan_file(sample_remediation(), "https://api.x:6443",
                                                "admin/api-x", at("2026-11-20T12:30:00Z"));
    CHECK(text.back() == '\n');
    CHECK(text.find("\n  \"schemaVersion\": \"meshdoctor/restart-plan/v1\"") != std::string::npos);
    json doc = json::parse(text);
    CHECK(doc["createdAt"] == "2026-11-20T12:30:00Z");
    CHECK(doc["cluster"] == json::parse(R"({"server": "https://api.x:6443", "context": "admin/api-x"})"));
    CHECK(doc["maxRestarts"] == 2);
    REQUIRE(doc["entries"].size() == 5);
    json report_plan =
        json::parse(report::render_json(diagnosis_with(sample_remediation()), {}))["remediation"]["plan"];
    CHECK(doc["entries"] == report_plan);  // the same entry objects as the report
  }

  TEST_CASE("a plan file reads back losslessly, field by field") {
    auto original = sample_remediation();
    std::string server, context;
    auto parsed = report::parse_plan_file(
        report::render_plan_file(original, "https://api.x:6443", "admin/api-x", at("2026-11-20T12:30:00Z")),
        &server, &context);
    REQUIRE(parsed.has_value());
    CHECK(server == "https://api.x:6443");
    CHECK(context == "admin/api-x");
    CHECK(parsed->max_restarts == 2);
    CHECK(parsed->from_plan);
    CHECK_FALSE(parsed->apply);
    CHECK(parsed->applied.empty());
    REQUIRE(parsed->plan.size() == original.plan.size());
    for (std::size_t i = 0; i < original.plan.size(); ++i) {
      CAPTURE(i);
      const auto& a = original.plan[i];
      const auto& b = parsed->plan[i];
      CHECK(a.kind == b.kind);
      CHECK(a.ns == b.ns);
      CHECK(a.name == b.name);
      CHECK(a.uid == b.uid);
      CHECK(a.resource_version == b.resource_version);
      CHECK(a.api_path == b.api_path);
      CHECK(a.command == b.command);
      CHECK(a.action == b.action);
      CHECK(a.guard == b.guard);
      CHECK(a.reason == b.reason);
      CHECK(a.checks == b.checks);
      check_same_pods(a.pods, b.pods);
    }
    // Sub-second times survive: the pod start carries .25 s.
    CHECK(*parsed->plan[1].pods[0].pod_start == at("2026-11-20T11:45:21.250000Z"));
    CHECK_FALSE(parsed->plan[1].pods[1].ztunnel_ready_at.has_value());
  }

  TEST_CASE("an empty plan round-trips") {
    checks::Remediation r;
    r.max_restarts = 0;
    auto parsed = report::parse_plan_file(report::render_plan_file(r, "", "", 0), nullptr, nullptr);
    REQUIRE(parsed.has_value());
    CHECK(parsed->plan.empty());
    CHECK(parsed->max_restarts == 0);
  }

  TEST_CASE("entries missing a required field are refused, naming the index and the field") {
    for (const char* field : {"kind", "namespace", "name", "action"}) {
      CAPTURE(field);
      json e = valid_entry();
      e.erase(field);
      CHECK(plan_error(plan_with(e)) == std::string("entries[1]: missing ") + field);
      e = valid_entry();
      e[field] = "";
      CHECK(plan_error(plan_with(e)) == std::string("entries[1]: missing ") + field);
    }
    json e = valid_entry();
    e.erase("resourceVersion");
    CHECK(plan_error(plan_with(e)) == "entries[1]: missing resourceVersion");
    e = valid_entry();
    e["apiPath"] = "";
    CHECK(plan_error(plan_with(e)) == "entries[1]: missing apiPath");
    e = valid_entry();
    e["action"] = "delete";
    e["uid"] = "";
    CHECK(plan_error(plan_with(e)) == "entries[1]: missing uid");
  }

  TEST_CASE("a skip entry needs no resourceVersion or apiPath") {
    json e = valid_entry();
    e["action"] = "skip";
    e.erase("resourceVersion");
    e.erase("apiPath");
    auto parsed = report::parse_plan_file(plan_with(e), nullptr, nullptr);
    REQUIRE(parsed.has_value());
    CHECK(parsed->plan[1].action == checks::PlanAction::skip);
    CHECK(parsed->plan[1].resource_version.empty());
  }

  TEST_CASE("unknown actions, wrong types and bad times are refused") {
    json e = valid_entry();
    e["action"] = "reboot";
    CHECK(plan_error(plan_with(e)) ==
          "entries[1]: unknown action \"reboot\" (restart, delete, skip or defer)");
    e = valid_entry();
    e["resourceVersion"] = 4312;
    CHECK(plan_error(plan_with(e)) == "entries[1]: resourceVersion is not a string");
    e = valid_entry();
    e["checks"] = "MD504";
    CHECK(plan_error(plan_with(e)) == "entries[1]: checks is not an array of strings");
    e = valid_entry();
    e["pods"][1]["podStart"] = "yesterday";
    CHECK(plan_error(plan_with(e)) == "entries[1].pods[1]: podStart is not an RFC3339 time");
    e = valid_entry();
    e["pods"] = json::object();
    CHECK(plan_error(plan_with(e)) == "entries[1]: pods is not an array");
    CHECK(plan_error(plan_with(json::array())) == "entries[1]: not an object");
  }

  TEST_CASE("the envelope is validated: schema, entries, cluster, budget") {
    json doc = json::parse(report::render_plan_file(sample_remediation(), "s", "c", 0));
    json bad = doc;
    bad.erase("schemaVersion");
    CHECK(plan_error(bad.dump()) == "missing schemaVersion");
    bad = doc;
    bad["schemaVersion"] = "meshdoctor/v1";
    CHECK(plan_error(bad.dump()) == "schemaVersion \"meshdoctor/v1\" is not meshdoctor/restart-plan/v1");
    bad = doc;
    bad["entries"] = json::object();
    CHECK(plan_error(bad.dump()) == "entries is not an array");
    bad = doc;
    bad.erase("entries");
    CHECK(plan_error(bad.dump()) == "missing entries");
    bad = doc;
    bad["maxRestarts"] = -1;
    CHECK(plan_error(bad.dump()) == "maxRestarts is not a non-negative integer");
    bad = doc;
    bad.erase("cluster");
    CHECK(plan_error(bad.dump()) == "missing cluster");
    bad = doc;
    bad["createdAt"] = "soon";
    CHECK(plan_error(bad.dump()) == "createdAt is not an RFC3339 time");
    CHECK(plan_error("[1, 2]") == "not a JSON object");
  }

  TEST_CASE("invalid JSON names the parser's position") {
    std::string msg = plan_error("{\n  \"schemaVersion\": \"meshdoctor/restart-plan/v1\",\n  \"entries\": [,]\n}");
    CHECK(msg.rfind("not valid JSON: parse error at line 3, column 15", 0) == 0);
  }
}

TEST_SUITE("report::remediation text") {
  TEST_CASE("the check report shows the section after the checklist and before the summary") {
    auto d = diagnosis_with(sample_remediation());
    std::string t = report::render_text(d, ascii());
    auto section = t.find("REMEDIATION  restart-stale-workloads - apply - --max-restarts 2");
    REQUIRE(section != std::string::npos);
    CHECK(t.find("install ") < section);
    auto lines = lines_of(t);
    CHECK(lines.back().rfind("FAIL - ", 0) == 0);  // the diagnosis' summary still ends it
  }

  TEST_CASE("entries are grouped by action with pods, command, guards and results (ASCII)") {
    std::string t = report::render_text(diagnosis_with(sample_remediation()), ascii());
    for (unsigned char c : t) CHECK(c < 0x80);
    CHECK(t.find("\033[") == std::string::npos);
    CHECK(has_line(t, "  restart   Deployment bookinfo/details-v1 - rv 4312 - 2 pod(s) started before ztunnel was Ready"));
    CHECK(has_line(t, "            (MD504)"));  // wrapped under the gutter
    CHECK(has_line(t, "            details-v1-65cfcf56f9-dq2tw on worker-1: started 11:45:21, ztunnel-9qzvd Ready at"));
    CHECK(has_line(t, "            11:46:35"));
    // No detail: the times are written from the timestamps.
    CHECK(has_line(t, "            details-v1-65cfcf56f9-x7k2p on worker-2: started 11:45:21"));
    CHECK(has_line(t, "            oc rollout restart deployment/details-v1 -n bookinfo"));
    CHECK(has_line(t, "  delete    Pod tools/debug-shell - rv 333 - bare pod started before ztunnel was Ready (MD504)"));
    CHECK(has_line(t, "            oc delete pod/debug-shell -n tools"));
    CHECK(has_line(t, "  skip      Deployment shop/checkout - paused: spec.paused is true"));
    CHECK(has_line(t, "  defer     StatefulSet payments/ledger - budget: --max-restarts 2 reached"));
    CHECK(has_line(t, "  applied   ok restarted Deployment bookinfo/details-v1 (rv 4312 -> 4313), event recorded"));
    CHECK(has_line(t, "            XX conflict Deployment bookinfo/reviews-v2: changed since it was read; not touched"));
    CHECK(has_line(t, "            XX forbidden Pod tools/debug-shell: delete pods in namespace tools"));
    CHECK(has_line(t, "  verify    !! not settled after 2m: 1 of 2 workloads done"));
    CHECK(has_line(t, "            ok Deployment bookinfo/details-v1 2/2 Ready, 2/2 enrolled"));
    CHECK(has_line(t, "            XX Deployment bookinfo/productpage-v1 1/3 Ready, 1/3 enrolled, 2 old pods left: rollout"));
    CHECK(has_line(t, "               still in progress"));  // wrapped to hang after the symbol
    CHECK(has_line(t, "            MD503 pass -> pass"));
    CHECK(has_line(t, "            MD504 fail -> pass"));
    CHECK(has_line(t, "  note      MD503 not used: --include-unenrolled was not given"));
    // restart before delete before skip before defer, whatever the plan order.
    CHECK(t.find("  restart   Deployment bookinfo/details-v1") < t.find("  restart   Deployment bookinfo/reviews-v2"));
    CHECK(t.find("  restart   Deployment bookinfo/reviews-v2") < t.find("  delete    Pod"));
    CHECK(t.find("  delete    Pod") < t.find("  skip      "));
    CHECK(t.find("  skip      ") < t.find("  defer     "));
    for (const auto& l : lines_of(t)) CHECK(report::display_width(l) <= 100);
  }

  TEST_CASE("unicode and colour follow the options") {
    auto d = diagnosis_with(sample_remediation());
    std::string t = report::render_text(d, {});
    CHECK(t.find("  applied   ✔ restarted Deployment bookinfo/details-v1 (rv 4312 → 4313)") != std::string::npos);
    CHECK(t.find("✖ conflict Deployment bookinfo/reviews-v2") != std::string::npos);
    CHECK(t.find("MD504 fail → pass") != std::string::npos);
    CHECK(t.find("\033[") == std::string::npos);
    report::RenderOptions color;
    color.color = true;
    std::string c = report::render_remediation(report::Format::text, d, color);
    CHECK(c.find("\033[32m✔\033[0m restarted") != std::string::npos);
    CHECK(c.find("\033[31m✖\033[0m conflict") != std::string::npos);
  }

  TEST_CASE("the restart report: header, flagging checks, the section, a restart summary") {
    auto r = sample_remediation();
    r.apply = false;
    r.applied.clear();
    r.verify.reset();
    std::string t = report::render_remediation(report::Format::text, diagnosis_with(r), ascii());
    auto lines = lines_of(t);
    REQUIRE(lines.size() > 5);
    CHECK(lines.front().rfind("meshdoctor 0.1.0 - bundle must-gather.local.5538", 0) == 0);
    CHECK(has_line(t, "  checks    XX MD503 pods-enrolled - 0/5 pods enrolled"));
    CHECK(has_line(t, "            XX MD504 pods-started-before-ztunnel - 3 pods started before ztunnel was Ready"));
    CHECK(t.find("MD301") == std::string::npos);    // no root-cause block
    CHECK(t.find("install ") == std::string::npos);  // no checklist
    CHECK(has_line(t, "REMEDIATION  restart-stale-workloads - dry-run: nothing was written (--apply to restart) -"));
    CHECK(has_line(t, "             --max-restarts 2"));
    CHECK(t.find("  applied") == std::string::npos);
    CHECK(lines.back() == "DRY-RUN - 2 to restart - 1 to delete - 1 skipped - 1 deferred - nothing written");
  }

  TEST_CASE("an applied restart report counts restarts and failures") {
    auto r = sample_remediation();
    r.from_plan = true;
    auto lines = lines_of(report::render_remediation(report::Format::text, diagnosis_with(r), {}));
    CHECK(lines.back() ==
          "APPLIED · 1 restarted · 0 deleted · 2 failed · 1 skipped · 1 deferred · not verified after 2m");
    CHECK(has_line(report::render_remediation(report::Format::text, diagnosis_with(r), {}),
                   "REMEDIATION  restart-stale-workloads · apply · from plan · --max-restarts 2"));
  }

  TEST_CASE("an empty plan says nothing to restart, with the notes") {
    checks::Remediation r;
    r.notes = {"MD504 unknown: ztunnel pods not collected; nothing planned"};
    std::string t = report::render_remediation(report::Format::text, diagnosis_with(r), ascii());
    CHECK(has_line(t, "REMEDIATION  restart-stale-workloads - nothing to restart"));
    CHECK(has_line(t, "  note      MD504 unknown: ztunnel pods not collected; nothing planned"));
    CHECK(lines_of(t).back() == "DRY-RUN - nothing to restart - nothing written");
  }

  TEST_CASE("a workload with many flagged pods lists three and counts the rest") {
    auto r = sample_remediation();
    auto& e = r.plan[1];
    for (int i = 0; i < 3; ++i) e.pods.push_back(pod("details-v1-extra-" + std::to_string(i), "worker-4", "x"));
    std::string t = report::render_remediation(report::Format::text, diagnosis_with(r), ascii());
    CHECK(t.find("details-v1-extra-0 on worker-4: x") != std::string::npos);
    CHECK(t.find("details-v1-extra-1") == std::string::npos);
    CHECK(has_line(t, "            +2 more pods (-o json lists all)"));
    CHECK(report::render_markdown(diagnosis_with(r), {}).find("details-v1-extra-0 on worker-4: x; +2 more |") !=
          std::string::npos);
  }

  TEST_CASE("skipped entries beyond ten are counted, not listed") {
    auto r = sample_remediation();
    checks::PlanEntry skip = r.plan[0];
    r.plan.clear();
    for (int i = 0; i < 14; ++i) {
      skip.name = "svc-" + std::to_string(i);
      r.plan.push_back(skip);
    }
    std::string t = report::render_remediation(report::Format::text, diagnosis_with(r), ascii());
    CHECK(t.find("Deployment shop/svc-9 ") != std::string::npos);
    CHECK(t.find("Deployment shop/svc-10 ") == std::string::npos);
    CHECK(has_line(t, "            +4 more (-o json lists all)"));
  }
}

TEST_SUITE("report::remediation markdown") {
  TEST_CASE("the check report gets a Remediation section with the plan table") {
    std::string md = report::render_markdown(diagnosis_with(sample_remediation()), {});
    auto at_section = md.find("## Remediation\n\n`restart-stale-workloads` · apply · --max-restarts 2\n\n");
    REQUIRE(at_section != std::string::npos);
    CHECK(md.find("## All checks") < at_section);
    CHECK(at_section < md.find("**Summary:** "));
    CHECK(md.find("| action | workload | reason | pods |\n|---|---|---|---|\n", at_section) != std::string::npos);
    CHECK(md.find("| restart | Deployment bookinfo/details-v1 | rv 4312 · 2 pod(s) started before ztunnel "
                  "was Ready (MD504) | details-v1-65cfcf56f9-dq2tw on worker-1: started 11:45:21, "
                  "ztunnel-9qzvd Ready at 11:46:35; details-v1-65cfcf56f9-x7k2p on worker-2: started "
                  "11:45:21 |\n") != std::string::npos);
    CHECK(md.find("| skip | Deployment shop/checkout | paused: spec.paused is true |  |\n") != std::string::npos);
    CHECK(md.find("| defer | StatefulSet payments/ledger | budget: --max-restarts 2 reached |  |\n") !=
          std::string::npos);
    CHECK(md.find("- **restarted** Deployment bookinfo/details-v1 (rv 4312 → 4313), event recorded\n") !=
          std::string::npos);
    CHECK(md.find("- **conflict** Deployment bookinfo/reviews-v2: changed since it was read; not touched\n") !=
          std::string::npos);
    CHECK(md.find("**Verification:** not settled after 2m: 1 of 2 workloads done\n") != std::string::npos);
    CHECK(md.find("- done: Deployment bookinfo/details-v1 2/2 Ready, 2/2 enrolled\n") != std::string::npos);
    CHECK(md.find("- MD504 fail → pass\n") != std::string::npos);
    CHECK(md.find("- MD503 not used: --include-unenrolled was not given\n") != std::string::npos);
    CHECK(md.find("```sh") == md.find("```sh\noc patch istiocni"));  // applied: no commands block
  }

  TEST_CASE("a dry-run lists the equivalent commands in a sh fence") {
    auto r = sample_remediation();
    r.apply = false;
    r.applied.clear();
    r.verify.reset();
    std::string md = report::render_remediation(report::Format::markdown, diagnosis_with(r), {});
    CHECK(md.rfind("# meshdoctor restart: DRY-RUN\n\n", 0) == 0);
    CHECK(md.find("## Flagging checks\n\n- **MD503** pods-enrolled — fail: 0/5 pods enrolled\n"
                  "- **MD504** pods-started-before-ztunnel — fail: 3 pods started before ztunnel was Ready\n") !=
          std::string::npos);
    CHECK(md.find("## All checks") == std::string::npos);
    CHECK(md.find("**Equivalent commands**\n\n```sh\n"
                  "oc rollout restart deployment/details-v1 -n bookinfo\n"
                  "oc rollout restart deployment/reviews-v2 -n bookinfo\n"
                  "oc delete pod/debug-shell -n tools\n```\n") != std::string::npos);
    CHECK(md.find("**Applied**") == std::string::npos);
    CHECK(md.substr(md.size() - 100).find(
              "**Summary:** DRY-RUN · 2 to restart · 1 to delete · 1 skipped · 1 deferred · nothing written\n") !=
          std::string::npos);
  }

  TEST_CASE("table cells escape pipes and markup from cluster data") {
    auto r = sample_remediation();
    r.plan[0].reason = "label a|b *x*";
    std::string md = report::render_markdown(diagnosis_with(r), {});
    CHECK(md.find("| skip | Deployment shop/checkout | paused: label a\\|b \\*x\\* |  |\n") != std::string::npos);
  }

  TEST_CASE("an empty plan says nothing to restart") {
    checks::Remediation r;
    r.notes = {"nothing flagged"};
    std::string md = report::render_remediation(report::Format::markdown, diagnosis_with(r), {});
    CHECK(md.find("## Remediation\n\n`restart-stale-workloads` · nothing to restart\n\n**Notes**\n\n- nothing flagged\n") !=
          std::string::npos);
    CHECK(md.find("| action |") == std::string::npos);
    CHECK(md.find("**Summary:** DRY-RUN · nothing to restart · nothing written\n") != std::string::npos);
  }
}
