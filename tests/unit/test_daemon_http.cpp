// daemon::HttpServer over real HTTP: health always, readiness and reports only after the first
// good run, content types, the exposition on /metrics; and the --listen address parser.
#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
#define CPPHTTPLIB_OPENSSL_SUPPORT
#endif
#include <doctest/doctest.h>
#include <httplib.h>

#include <atomic>
#include <mutex>
#include <nlohmann/json.hpp>

#include "checks/catalogue.hpp"
#include "daemon/http_server.hpp"

namespace {

using namespace meshdoctor;

struct Fixture {
  std::mutex mutex;
  std::shared_ptr<const daemon::RunReport> latest;
  daemon::HttpServer server{{[this] {
                               std::lock_guard<std::mutex> lock(mutex);
                               return latest;
                             },
                             [] { return std::string("# TYPE x gauge\nx 1\n"); }}};
  int port = 0;

  Fixture() {
    auto bound = server.bind({"127.0.0.1", 0});
    REQUIRE(bound);
    port = *bound;
    server.start();
  }

  void publish() {
    daemon::RunReport r;
    r.diagnosis.findings.push_back(
        checks::make_finding("MD301", checks::Status::fail, "IstioCNI/default is not ambient"));
    r.diagnosis.root_causes = {"MD301"};
    checks::link_findings(r.diagnosis);
    std::lock_guard<std::mutex> lock(mutex);
    latest = std::make_shared<const daemon::RunReport>(std::move(r));
  }

  httplib::Result get(const std::string& path) {
    httplib::Client client("127.0.0.1", port);
    return client.Get(path.c_str());
  }
};

}  // namespace

TEST_SUITE("daemon::http_server") {
  TEST_CASE("before the first run: healthz ok, readyz and reports 503") {
    Fixture f;
    auto health = f.get("/healthz");
    REQUIRE(health);
    CHECK(health->status == 200);
    CHECK(health->body == "ok\n");
    for (const char* path : {"/readyz", "/report.json", "/report.md", "/"}) {
      auto res = f.get(path);
      REQUIRE(res);
      CHECK_MESSAGE(res->status == 503, path);
      CHECK(res->get_header_value("Content-Type").rfind("text/plain", 0) == 0);
    }
  }

  TEST_CASE("after a run: readyz 200 and the reports with their content types") {
    Fixture f;
    f.publish();
    CHECK(f.get("/readyz")->status == 200);
    auto json = f.get("/report.json");
    REQUIRE(json);
    CHECK(json->status == 200);
    CHECK(json->get_header_value("Content-Type") == "application/json");
    auto doc = nlohmann::json::parse(json->body);
    CHECK(doc["schemaVersion"] == "meshdoctor/v1");
    CHECK(doc["rootCauses"][0] == "MD301");
    auto md = f.get("/report.md");
    CHECK(md->status == 200);
    CHECK(md->get_header_value("Content-Type") == "text/markdown; charset=utf-8");
    CHECK(md->body.find("MD301") != std::string::npos);
    auto html = f.get("/");
    CHECK(html->status == 200);
    CHECK(html->get_header_value("Content-Type") == "text/html; charset=utf-8");
    CHECK(html->body.find("MD301") != std::string::npos);
    CHECK(f.get("/nothing-here")->status == 404);
  }

  TEST_CASE("/metrics serves the exposition as text format 0.0.4") {
    Fixture f;
    auto res = f.get("/metrics");
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->get_header_value("Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
    CHECK(res->body == "# TYPE x gauge\nx 1\n");
  }

  TEST_CASE("a port in use is an error naming the address") {
    Fixture f;
    daemon::HttpServer other(
        {[] { return std::shared_ptr<const daemon::RunReport>(); }, [] { return std::string(); }});
    auto bound = other.bind({"127.0.0.1", f.port});
    REQUIRE_FALSE(bound);
    CHECK(bound.error().code == "serve.listen");
    CHECK(bound.error().message.find("127.0.0.1:" + std::to_string(f.port)) != std::string::npos);
  }

  TEST_CASE("listen addresses: :PORT is every interface, IPv6 in brackets, port 0 allowed") {
    auto any = daemon::parse_listen_address(":9090");
    REQUIRE(any);
    CHECK(any->host == "0.0.0.0");
    CHECK(any->port == 9090);
    auto loop = daemon::parse_listen_address("127.0.0.1:0");
    REQUIRE(loop);
    CHECK(loop->host == "127.0.0.1");
    CHECK(loop->port == 0);
    auto v6 = daemon::parse_listen_address("[::1]:8080");
    REQUIRE(v6);
    CHECK(v6->host == "::1");
    for (const char* bad : {"9090", "host:", "host:http", ":70000", "::1:80", ""}) {
      auto r = daemon::parse_listen_address(bad);
      CHECK_MESSAGE(!r, bad);
      if (!r) CHECK(r.error().code == "usage.listen");
    }
  }
}
