// Report sinks: the Slack/Teams/JSON payloads, the fingerprint, the --post-on decision, the
// URL and state helpers, and ReportPoster against a real HTTP server on loopback.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <vector>

#include "probe/http.hpp"
#include "report/sink.hpp"
#include "report_fixture.hpp"
#include "test_support_env.hpp"
#include "test_support_httpd.hpp"

using namespace meshdoctor;
using nlohmann::json;

namespace {

checks::Diagnosis healthy() {
  checks::Diagnosis d;
  d.source.kind = "live";
  d.source.context = "prod-east";
  d.findings = {testing::finding("MD101", checks::Status::pass, "Succeeded"),
                testing::finding("MD301", checks::Status::pass, "profile ambient"),
                testing::finding("MD305", checks::Status::skipped, "not on a node")};
  checks::link_findings(d);
  return d;
}

checks::Diagnosis unknown_only() {
  auto d = healthy();
  d.findings.push_back(testing::finding("MD603", checks::Status::unknown, "no Prometheus"));
  checks::link_findings(d);
  return d;
}

checks::Finding* find(checks::Diagnosis& d, const std::string& id) {
  for (auto& f : d.findings) {
    if (f.id == id) return &f;
  }
  FAIL("no finding " << id);
  return nullptr;
}

std::vector<std::string> section_texts(const json& slack) {
  std::vector<std::string> out;
  for (const auto& b : slack["blocks"]) {
    if (b["type"] == "section") out.push_back(b["text"]["text"].get<std::string>());
  }
  return out;
}

bool any_contains(const std::vector<std::string>& texts, const std::string& needle) {
  for (const auto& t : texts) {
    if (t.find(needle) != std::string::npos) return true;
  }
  return false;
}

report::PostState state_of(const checks::Diagnosis& d) {
  return {report::fingerprint(d), report::failing_ids(d)};
}

// A webhook receiver: records bodies, answers from a script of statuses (then 200).
struct Receiver {
  struct Answer {
    int status;
    std::string retry_after;
  };
  httplib::Server server;
  std::mutex mutex;
  std::vector<std::string> bodies;
  std::vector<std::string> content_types;
  std::vector<Answer> script;
  std::unique_ptr<test::ServerThread> thread;

  Receiver() {
    server.Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mutex);
      bodies.push_back(req.body);
      content_types.push_back(req.get_header_value("Content-Type"));
      Answer a{200, ""};
      if (!script.empty()) {
        a = script.front();
        script.erase(script.begin());
      }
      res.status = a.status;
      if (!a.retry_after.empty()) res.set_header("Retry-After", a.retry_after);
      res.set_content(a.status == 200 ? "ok" : "Server Error", "text/plain");
    });
    thread = std::make_unique<test::ServerThread>(server);
  }
  std::string url() const { return thread->url() + "/services/T000/B000/SECRETTOKEN"; }
};

report::PostOptions options_for(const std::string& url, report::PostOn on) {
  report::PostOptions o;
  o.url = url;
  o.on = on;
  o.format = report::PostFormat::slack;
  o.timeout_ms = 5000;
  o.max_retries = 2;
  return o;
}

}  // namespace

TEST_SUITE("report::sink") {
  TEST_CASE("the Slack payload has a fallback text, a header and a section per root cause") {
    auto d = testing::sample_diagnosis();
    json p = json::parse(report::slack_payload(d, "report"));
    CHECK(p["text"].get<std::string>().find("MD301 istiocni-profile") != std::string::npos);
    REQUIRE(p["blocks"].is_array());
    CHECK(p["blocks"][0]["type"] == "header");
    CHECK(p["blocks"][0]["text"]["type"] == "plain_text");
    CHECK(p["blocks"][0]["text"]["text"].get<std::string>().find("FAIL") != std::string::npos);
    auto sections = section_texts(p);
    CHECK(any_contains(
        sections, "*MD301* istiocni-profile — IstioCNI/default is not in the ambient profile"));
    CHECK(any_contains(sections, "*Fix:* `oc patch istiocni default --type merge"));
    CHECK(any_contains(sections, "_Explains:_ MD304, MD403"));
    CHECK(any_contains(sections, "exit 1"));
    CHECK(any_contains(sections, "*Could not verify:* MD404"));
    CHECK(any_contains(sections, "*Warnings:* MD302"));
    // Only root causes get their own section; consequences appear in its Explains line.
    CHECK_FALSE(any_contains(sections, "*MD402*"));
  }

  TEST_CASE("Slack text escapes mrkdwn markup and shows the fix's first line only") {
    auto d = testing::sample_diagnosis();
    find(d, "MD301")->message = "profile <default> & more";
    find(d, "MD301")->fix = "oc patch istiocni default\noc rollout status ds/istio-cni-node";
    auto sections = section_texts(json::parse(report::slack_payload(d, "report")));
    CHECK(any_contains(sections, "profile &lt;default&gt; &amp; more"));
    CHECK(any_contains(sections, "`oc patch istiocni default`"));
    CHECK_FALSE(any_contains(sections, "rollout status"));
  }

  TEST_CASE("a resolved Slack post says what was failing before") {
    report::PayloadContext ctx;
    ctx.kind = "resolved";
    ctx.previously_failing = {"MD301", "MD304"};
    json p = json::parse(report::slack_payload(healthy(), ctx));
    CHECK(p["blocks"][0]["text"]["text"].get<std::string>().find("RESOLVED") != std::string::npos);
    CHECK(p["text"].get<std::string>().find("MD301, MD304") != std::string::npos);
    CHECK(
        any_contains(section_texts(p), "The failures reported before have cleared: MD301, MD304."));
  }

  TEST_CASE("the Teams payload is a MessageCard coloured by the verdict") {
    json p = json::parse(report::teams_payload(testing::sample_diagnosis(), "report"));
    CHECK(p["@type"] == "MessageCard");
    CHECK(p["@context"] == "https://schema.org/extensions");
    CHECK(p["themeColor"] == "D32F2F");
    CHECK(p["summary"].get<std::string>().find("FAIL") != std::string::npos);
    CHECK(p["title"] == p["summary"]);
    REQUIRE(p["sections"].size() >= 2);
    const json& root = p["sections"][0];
    CHECK(root["activityTitle"] == "MD301 istiocni-profile");
    CHECK(root["activitySubtitle"] == "IstioCNI/default is not in the ambient profile");
    bool fix = false;
    for (const auto& f : root["facts"]) {
      CHECK(f.contains("name"));
      CHECK(f.contains("value"));
      if (f["name"] == "Fix")
        fix = f["value"].get<std::string>().rfind("oc patch istiocni", 0) == 0;
    }
    CHECK(fix);
    const json& summary = p["sections"].back();
    CHECK(summary["activityTitle"] == "Summary");
    CHECK(summary["text"].get<std::string>().find("exit 1") != std::string::npos);

    CHECK(json::parse(report::teams_payload(healthy(), "report"))["themeColor"] == "2E7D32");
    CHECK(json::parse(report::teams_payload(unknown_only(), "report"))["themeColor"] == "FFA000");
    json resolved = json::parse(report::teams_payload(healthy(), "resolved"));
    CHECK(resolved["sections"][0]["activityTitle"] == "Resolved");
    CHECK(resolved["title"].get<std::string>().find("RESOLVED") != std::string::npos);
  }

  TEST_CASE("the JSON payload is the report with what the post is about") {
    report::PayloadContext ctx;
    ctx.kind = "resolved";
    ctx.previously_failing = {"MD301"};
    json p = json::parse(report::render_payload(report::PostFormat::json, healthy(), ctx));
    CHECK(p["schemaVersion"] == "meshdoctor/v1");
    CHECK(p["findings"].size() == 3);
    CHECK(p["post"]["kind"] == "resolved");
    CHECK(p["post"]["previouslyFailing"] == json::array({"MD301"}));
    json slack = json::parse(report::render_payload(report::PostFormat::slack, healthy(), ctx));
    CHECK(slack.contains("blocks"));
  }

  TEST_CASE("the fingerprint is stable for the same verdict") {
    auto a = testing::sample_diagnosis();
    auto b = testing::sample_diagnosis();
    find(b, "MD301")->message = "a different wording";
    find(b, "MD301")->evidence.push_back({"log", "line 99"});
    find(b, "MD101")->message = "another pass";
    std::string fp = report::fingerprint(a);
    CHECK(fp.size() == 64);
    CHECK(fp.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(report::fingerprint(b) == fp);
  }

  TEST_CASE("the fingerprint ignores the order of affected objects") {
    auto a = testing::sample_diagnosis();
    auto b = testing::sample_diagnosis();
    find(a, "MD503")->objects = {{"Pod", "shop", "cart-1"}, {"Pod", "shop", "cart-2"}};
    find(b, "MD503")->objects = {{"Pod", "shop", "cart-2"}, {"Pod", "shop", "cart-1"}};
    CHECK(report::fingerprint(a) == report::fingerprint(b));
  }

  TEST_CASE("the fingerprint changes with a status or an affected object") {
    auto base = testing::sample_diagnosis();
    find(base, "MD503")->objects = {{"Pod", "shop", "cart-1"}};
    const std::string fp = report::fingerprint(base);

    auto status = base;
    find(status, "MD302")->status = checks::Status::fail;
    CHECK(report::fingerprint(status) != fp);

    auto object = base;
    find(object, "MD503")->objects.push_back({"Pod", "shop", "cart-2"});
    CHECK(report::fingerprint(object) != fp);

    auto renamed = base;
    find(renamed, "MD503")->objects = {{"Pod", "shop", "cart-9"}};
    CHECK(report::fingerprint(renamed) != fp);

    CHECK(report::fingerprint(healthy()) != fp);
  }

  TEST_CASE("--post-on always and fail") {
    auto broken = testing::sample_diagnosis();
    auto always = report::decide_post(report::PostOn::always, healthy(), std::nullopt);
    CHECK(always.post);
    CHECK(always.kind == "report");
    CHECK(report::decide_post(report::PostOn::fail, broken, std::nullopt).post);
    auto quiet = report::decide_post(report::PostOn::fail, healthy(), std::nullopt);
    CHECK_FALSE(quiet.post);
    CHECK(quiet.skipped == "no failure");
    // unknown alone (exit 2) is not a failure: fail does not post it.
    CHECK_FALSE(report::decide_post(report::PostOn::fail, unknown_only(), std::nullopt).post);
  }

  TEST_CASE("--post-on change: first, unchanged, changed, resolved") {
    using report::PostOn;
    auto broken = testing::sample_diagnosis();
    auto first = report::decide_post(PostOn::change, broken, std::nullopt);
    CHECK(first.post);
    CHECK(first.kind == "report");

    auto same = report::decide_post(PostOn::change, broken, state_of(broken));
    CHECK_FALSE(same.post);
    CHECK(same.skipped == "unchanged since last post");

    auto worse = broken;
    find(worse, "MD302")->status = checks::Status::fail;
    auto changed = report::decide_post(PostOn::change, worse, state_of(broken));
    CHECK(changed.post);
    CHECK(changed.kind == "report");

    auto resolved = report::decide_post(PostOn::change, healthy(), state_of(broken));
    CHECK(resolved.post);
    CHECK(resolved.kind == "resolved");

    // No failure before or now, but the verdict moved (an unknown appeared): a plain report.
    auto moved = report::decide_post(PostOn::change, unknown_only(), state_of(healthy()));
    CHECK(moved.post);
    CHECK(moved.kind == "report");
    CHECK_FALSE(report::decide_post(PostOn::change, healthy(), state_of(healthy())).post);
  }

  TEST_CASE("messages name the endpoint's host only") {
    CHECK(report::endpoint_host("https://hooks.slack.com/services/T000/B000/XXXX") ==
          "hooks.slack.com");
    CHECK(report::endpoint_host("http://user:pw@127.0.0.1:8080/hook?token=x") == "127.0.0.1:8080");
    CHECK(report::endpoint_host("https://example.com?sig=abc") == "example.com");
    CHECK(report::valid_post_url("https://outlook.office.com/webhook/abc"));
    CHECK(report::valid_post_url("HTTP://127.0.0.1:1/x"));
    CHECK_FALSE(report::valid_post_url("ftp://host/x"));
    CHECK_FALSE(report::valid_post_url("hooks.slack.com/services/x"));
    CHECK_FALSE(report::valid_post_url("https:///path"));
    CHECK_FALSE(report::valid_post_url("https://host/a b"));
  }

  TEST_CASE("Retry-After is honoured in seconds, capped at 30 s") {
    CHECK(report::retry_after_ms("1") == 1000);
    CHECK(report::retry_after_ms(" 0 ") == 0);
    CHECK(report::retry_after_ms("120") == 30000);
    CHECK(report::retry_after_ms("99999999999") == 30000);
    CHECK_FALSE(report::retry_after_ms("Wed, 21 Oct 2015 07:28:00 GMT").has_value());
    CHECK_FALSE(report::retry_after_ms("-1").has_value());
  }

  TEST_CASE("the URL comes from --post, else the file, else $MESHDOCTOR_POST_URL") {
    test::TempDir dir;
    test::EnvGuard env;
    env.set("MESHDOCTOR_POST_URL", "https://env.example/hook/ENVSECRET");
    report::PostOptions given;
    given.url = "https://flag.example/x";
    REQUIRE(report::resolve_post_url(given));
    CHECK(given.url == "https://flag.example/x");

    test::write_file(dir.file("url"), "https://file.example/hook/FILESECRET\n");
    report::PostOptions from_file;
    from_file.url_file = dir.file("url");
    REQUIRE(report::resolve_post_url(from_file));
    CHECK(from_file.url == "https://file.example/hook/FILESECRET");

    report::PostOptions from_env;
    REQUIRE(report::resolve_post_url(from_env));
    CHECK(from_env.url == "https://env.example/hook/ENVSECRET");

    env.unset("MESHDOCTOR_POST_URL");
    report::PostOptions none;
    REQUIRE(report::resolve_post_url(none));
    CHECK_FALSE(none.enabled());
  }

  TEST_CASE("a bad URL file is named, its content never") {
    test::TempDir dir;
    report::PostOptions missing;
    missing.url_file = dir.file("absent");
    auto r = report::resolve_post_url(missing);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == "post.url_file");
    CHECK(r.error().message.find(dir.file("absent")) != std::string::npos);

    test::write_file(dir.file("bad"), "hooks.example/FILESECRET");
    report::PostOptions bad;
    bad.url_file = dir.file("bad");
    auto b = report::resolve_post_url(bad);
    REQUIRE_FALSE(b);
    CHECK(b.error().message.find("FILESECRET") == std::string::npos);

    test::write_file(dir.file("empty"), "\n");
    report::PostOptions empty;
    empty.url_file = dir.file("empty");
    CHECK_FALSE(report::resolve_post_url(empty));
  }

  TEST_CASE("the state ConfigMap: reference, object, patch and parse") {
    std::string ns, name;
    CHECK(report::split_configmap_ref("openshift-monitoring/meshdoctor-post", &ns, &name));
    CHECK(ns == "openshift-monitoring");
    CHECK(name == "meshdoctor-post");
    CHECK_FALSE(report::split_configmap_ref("noslash", &ns, &name));
    CHECK_FALSE(report::split_configmap_ref("Bad/Name", &ns, &name));
    CHECK_FALSE(report::split_configmap_ref("ns/", &ns, &name));

    report::PostState s{"abc123", {"MD301", "MD304"}};
    json cm =
        json::parse(report::state_configmap("ns1", "state", s, "report", "2026-01-02T03:04:05Z"));
    CHECK(cm["kind"] == "ConfigMap");
    CHECK(cm["metadata"]["namespace"] == "ns1");
    CHECK(cm["data"]["fingerprint"] == "abc123");
    CHECK(cm["data"]["failing"] == "MD301,MD304");
    CHECK(cm["data"]["postedAt"] == "2026-01-02T03:04:05Z");
    cm["metadata"]["resourceVersion"] = "17";
    std::string rv;
    auto parsed = report::parse_state_configmap(cm.dump(), &rv);
    REQUIRE(parsed);
    CHECK(parsed->fingerprint == "abc123");
    CHECK(parsed->failing == std::vector<std::string>{"MD301", "MD304"});
    CHECK(rv == "17");

    json patch = json::parse(report::state_patch({"f2", {}}, "resolved", "t", "17"));
    CHECK(patch["metadata"]["resourceVersion"] == "17");
    CHECK(patch["data"]["fingerprint"] == "f2");
    CHECK(patch["data"]["failing"] == "");
    CHECK_FALSE(
        json::parse(report::state_patch({"f2", {}}, "report", "t", "")).contains("metadata"));

    CHECK_FALSE(report::parse_state_configmap(R"({"data":{}})", &rv));
    CHECK_FALSE(report::parse_state_configmap("not json", &rv));
  }

  TEST_CASE("a post retries 429 after Retry-After and sends JSON") {
    Receiver r;
    r.script = {{429, "0"}};
    report::ReportPoster poster(options_for(r.url(), report::PostOn::always),
                                probe::make_curl_client({}), nullptr);
    auto out = poster.post(testing::sample_diagnosis(), {});
    REQUIRE(out);
    CHECK(out->posted);
    CHECK(out->kind == "report");
    CHECK(out->attempts == 2);
    CHECK(out->http_status == 200);
    REQUIRE(r.bodies.size() == 2);
    CHECK(r.content_types[1] == "application/json");
    CHECK(json::parse(r.bodies[1])["blocks"].is_array());
  }

  TEST_CASE("a failed post names the host, never the path") {
    Receiver r;
    r.script = {{500, ""}, {503, ""}, {500, ""}, {500, ""}};
    report::ReportPoster poster(options_for(r.url(), report::PostOn::always), nullptr, nullptr);
    auto out = poster.post(testing::sample_diagnosis(), {});
    REQUIRE_FALSE(out);
    CHECK(out.error().code == "post.http");
    CHECK(out.error().message == "post to 127.0.0.1:" + std::to_string(r.thread->port()) +
                                     " failed: 500 after 3 attempts");
    CHECK(r.bodies.size() == 3);

    const std::string dead = "http://127.0.0.1:" + std::to_string(test::closed_port()) +
                             "/services/T000/B000/SECRETTOKEN";
    auto opts = options_for(dead, report::PostOn::always);
    opts.max_retries = 1;
    report::ReportPoster nobody(opts, nullptr, nullptr);
    auto refused = nobody.post(testing::sample_diagnosis(), {});
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == "post.connect");
    CHECK(refused.error().message.find("connection refused") != std::string::npos);
    CHECK(refused.error().message.find("SECRETTOKEN") == std::string::npos);
    CHECK(refused.error().message.find("/services") == std::string::npos);
  }

  TEST_CASE("a Retry-After longer than the time left ends the post at once") {
    Receiver r;
    r.script = {{429, "20"}};
    auto opts = options_for(r.url(), report::PostOn::always);
    opts.timeout_ms = 1000;
    report::ReportPoster poster(opts, nullptr, nullptr);
    auto start = std::chrono::steady_clock::now();
    auto out = poster.post(testing::sample_diagnosis(), {});
    REQUIRE_FALSE(out);
    CHECK(out.error().code == "post.timeout");
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  }

  TEST_CASE("ReportPoster remembers the last post in memory for --post-on change") {
    Receiver r;
    auto opts = options_for(r.url(), report::PostOn::change);
    opts.format = report::PostFormat::json;
    report::ReportPoster poster(opts, nullptr, nullptr);
    auto broken = testing::sample_diagnosis();
    REQUIRE(poster.post(broken, {})->posted);
    auto again = poster.post(broken, {});
    REQUIRE(again);
    CHECK_FALSE(again->posted);
    CHECK(again->skipped == "unchanged since last post");
    auto cleared = poster.post(healthy(), {});
    REQUIRE(cleared);
    CHECK(cleared->kind == "resolved");
    REQUIRE(r.bodies.size() == 2);
    json last = json::parse(r.bodies[1]);
    CHECK(last["post"]["kind"] == "resolved");
    CHECK(last["post"]["previouslyFailing"] ==
          json::array({"MD203", "MD301", "MD304", "MD402", "MD403", "MD503"}));
  }

  TEST_CASE("a failed post leaves the state: the next run posts again") {
    Receiver r;
    r.script = {{400, ""}};
    auto opts = options_for(r.url(), report::PostOn::change);
    report::ReportPoster poster(opts, nullptr, nullptr);
    CHECK_FALSE(poster.post(testing::sample_diagnosis(), {}));
    auto retry = poster.post(testing::sample_diagnosis(), {});
    REQUIRE(retry);
    CHECK(retry->posted);
  }
}
