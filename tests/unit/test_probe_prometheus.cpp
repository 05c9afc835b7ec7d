// The Prometheus client: response parsing on literal bodies, and queries and collection against a
// real HTTP server started in the test (cpp-httplib on a loopback port) through the curl client.
#include <doctest/doctest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mutex>
#include <thread>

#include "checks/catalogue.hpp"
#include "probe/prometheus.hpp"

using namespace meshdoctor;
using probe::HttpResponse;

namespace {

std::string vector_body(int n, const std::string& value = "1") {
  std::string body = R"({"status":"success","data":{"resultType":"vector","result":[)";
  for (int i = 0; i < n; ++i) {
    body += (i ? "," : "");
    body += R"({"metric":{"pod":"ztunnel-)" + std::to_string(i) +
            R"("},"value":[1714000000.123,")" + value + R"("]})";
  }
  return body + "]}}";
}

const char* k_bad_data =
    R"({"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:7: parse error"})";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_SUITE("probe::prometheus") {
  TEST_CASE("a success vector counts its series") {
    auto n = probe::parse_series_count({200, {}, vector_body(3)});
    REQUIRE(n.has_value());
    CHECK(*n == 3);
    CHECK(*probe::parse_series_count({200, {}, vector_body(0)}) == 0);
  }

  TEST_CASE("a count() vector is read by its value, empty meaning zero") {
    CHECK(*probe::parse_vector_sum({200, {}, vector_body(1, "412")}) == 412);
    CHECK(*probe::parse_vector_sum({200, {}, vector_body(0)}) == 0);
    auto bad = probe::parse_vector_sum({200, {}, vector_body(1, "many")});
    REQUIRE(!bad);
    CHECK(bad.error().code == "prometheus.parse");
  }

  TEST_CASE("status error reports errorType and error") {
    auto n = probe::parse_series_count({200, {}, k_bad_data});
    REQUIRE(!n);
    CHECK(n.error().code == "prometheus.query");
    CHECK(contains(n.error().message, "bad_data: invalid parameter"));
    auto http400 = probe::parse_series_count({400, {}, k_bad_data});
    REQUIRE(!http400);
    CHECK(http400.error().code == "prometheus.query");
    CHECK(contains(http400.error().message, "HTTP 400: bad_data"));
  }

  TEST_CASE("non-2xx statuses name the status; 401 and 403 are forbidden") {
    auto e500 = probe::parse_series_count({500, {}, "upstream exploded\n"});
    REQUIRE(!e500);
    CHECK(e500.error().code == "prometheus.http");
    CHECK(e500.error().message == "HTTP 500: upstream exploded ");
    auto e403 = probe::parse_series_count({403, {}, "Forbidden (user=system:serviceaccount:x:y)"});
    REQUIRE(!e403);
    CHECK(e403.error().code == "prometheus.forbidden");
    CHECK(contains(e403.error().message, "HTTP 403"));
    CHECK(probe::parse_series_count({401, {}, ""}).error().code == "prometheus.forbidden");
  }

  TEST_CASE("invalid JSON, a non-vector result or a missing result are parse errors") {
    auto junk = probe::parse_series_count({200, {}, "<html>login</html>"});
    REQUIRE(!junk);
    CHECK(junk.error().code == "prometheus.parse");
    CHECK(contains(junk.error().message, "<html>login</html>"));
    auto scalar = probe::parse_series_count(
        {200, {}, R"({"status":"success","data":{"resultType":"scalar","result":[1,"1"]}})"});
    REQUIRE(!scalar);
    CHECK(contains(scalar.error().message, "expected resultType \"vector\", got \"scalar\""));
    auto missing = probe::parse_series_count(
        {200, {}, R"({"status":"success","data":{"resultType":"vector"}})"});
    CHECK(!missing);
  }

  TEST_CASE("the ztunnel selector keeps to ztunnel's istio_tcp_* series") {
    auto q = probe::ztunnel_tcp_selector();
    CHECK(contains(q, "__name__=~\"istio_tcp_.+\""));
    CHECK(contains(q, "app=\"ztunnel\""));
    CHECK(contains(q, "pod=~\"ztunnel-.+\""));
    CHECK(contains(probe::waypoint_requests_selector(), "istio_requests_total"));
  }

  TEST_CASE("the OpenShift default goes through the API server service proxy") {
    CHECK(probe::openshift_thanos_url("https://api.crc.testing:6443/") ==
          "https://api.crc.testing:6443/api/v1/namespaces/openshift-monitoring/services/"
          "https:thanos-querier:9091/proxy");
  }
}

// ---- Against a real HTTP server --------------------------------------------------------------

namespace {

// A Prometheus stand-in on a loopback port: /<mode>/api/v1/query answers as <mode> says.
class FakePrometheus {
 public:
  FakePrometheus() {
    m_server.Get(R"(/(\w+)/api/v1/query)",
                 [this](const httplib::Request& req, httplib::Response& res) { answer(req, res); });
    m_port = m_server.bind_to_any_port("127.0.0.1");
    REQUIRE(m_port > 0);
    m_thread = std::thread([this] { m_server.listen_after_bind(); });
    while (!m_server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FakePrometheus() {
    m_server.stop();
    m_thread.join();
  }
  std::string url(const std::string& mode) const {
    return "http://127.0.0.1:" + std::to_string(m_port) + "/" + mode;
  }
  std::vector<std::string> queries() {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_queries;
  }
  std::string authorization() {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_authorization;
  }

 private:
  void answer(const httplib::Request& req, httplib::Response& res) {
    const std::string mode = req.matches[1];
    const std::string query = req.get_param_value("query");
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      m_queries.push_back(query);
      m_authorization = req.get_header_value("Authorization");
    }
    if (mode == "ok") {  // count() answers: 7 ztunnel TCP series, 2 waypoint request series
      res.set_content(vector_body(1, contains(query, "istio_tcp_") ? "7" : "2"),
                      "application/json");
    } else if (mode == "series") {
      res.set_content(vector_body(5), "application/json");
    } else if (mode == "empty") {
      res.set_content(vector_body(0), "application/json");
    } else if (mode == "error") {
      res.status = 422;
      res.set_content(R"({"status":"error","errorType":"execution","error":"query timed out"})",
                      "application/json");
    } else if (mode == "boom") {
      res.status = 500;
      res.set_content("internal error", "text/plain");
    } else if (mode == "junk") {
      res.set_content("{\"status\":", "application/json");
    } else {
      res.status = 403;
      res.set_content("Forbidden (user=system:serviceaccount:mesh:meshdoctor, verb=get)",
                      "text/plain");
    }
  }

  httplib::Server m_server;
  int m_port = 0;
  std::thread m_thread;
  std::mutex m_mutex;
  std::vector<std::string> m_queries;
  std::string m_authorization;
};

// A loopback port nothing listens on (bound, then released).
int closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  ::close(fd);
  return ntohs(addr.sin_port);
}

probe::PrometheusOptions options(const std::string& url, const std::string& token = "") {
  probe::PrometheusOptions o;
  o.url = url;
  o.bearer_token = token;
  o.timeout_ms = 5000;
  return o;
}

checks::Status md603(const probe::Facts& facts) {
  return checks::find_check("MD603")->run(facts, checks::CheckContext{}).status;
}

}  // namespace

TEST_SUITE("probe::prometheus over HTTP") {
  TEST_CASE("a query is URL-encoded, carries the bearer token and counts the result") {
    FakePrometheus prom;
    auto client = probe::make_curl_client({});
    const std::string promql = R"({__name__=~"istio_tcp_.+",app="ztunnel"} or up{a="b c&d"})";
    auto n =
        probe::query_series_count(*client, options(prom.url("series") + "/", "s3cr3t"), promql);
    REQUIRE(n.has_value());
    CHECK(*n == 5);
    REQUIRE(prom.queries().size() == 1);
    CHECK(prom.queries()[0] == promql);
    CHECK(prom.authorization() == "Bearer s3cr3t");
    CHECK(*probe::query_series_count(*client, options(prom.url("series")), "up") == 5);
    CHECK(prom.authorization().empty());
  }

  TEST_CASE("server answers become errors naming the endpoint and the status") {
    FakePrometheus prom;
    auto client = probe::make_curl_client({});
    auto query_error = probe::query_series_count(*client, options(prom.url("error")), "up");
    REQUIRE(!query_error);
    CHECK(query_error.error().code == "prometheus.query");
    CHECK(query_error.error().message ==
          prom.url("error") + "/api/v1/query: HTTP 422: execution: query timed out");
    auto e500 = probe::query_series_count(*client, options(prom.url("boom")), "up");
    CHECK(e500.error().code == "prometheus.http");
    CHECK(contains(e500.error().message, "HTTP 500: internal error"));
    auto junk = probe::query_series_count(*client, options(prom.url("junk")), "up");
    CHECK(junk.error().code == "prometheus.parse");
    auto e403 = probe::query_series_count(*client, options(prom.url("forbidden")), "up");
    CHECK(e403.error().code == "prometheus.forbidden");
  }

  TEST_CASE("collection records both counts and MD603 passes on ztunnel series") {
    FakePrometheus prom;
    auto client = probe::make_curl_client({});
    probe::Facts facts;
    probe::collect_prometheus(*client, options(prom.url("ok")), facts);
    REQUIRE(facts.prometheus.source.ok());
    REQUIRE(facts.prometheus.items.size() == 2);
    CHECK(facts.prometheus.items[0].query == "count(" + probe::ztunnel_tcp_selector() + ")");
    CHECK(facts.prometheus.items[0].series == 7);
    CHECK(facts.prometheus.items[1].series == 2);
    auto f = checks::find_check("MD603")->run(facts, {});
    CHECK(f.status == checks::Status::pass);
    CHECK(f.message == "Prometheus returns 7 istio_tcp_* series");
  }

  TEST_CASE("no matching series is collected as zero and MD603 fails") {
    FakePrometheus prom;
    auto client = probe::make_curl_client({});
    probe::Facts facts;
    probe::collect_prometheus(*client, options(prom.url("empty")), facts);
    REQUIRE(facts.prometheus.source.ok());
    CHECK(facts.prometheus.items[0].series == 0);
    CHECK(md603(facts) == checks::Status::fail);
  }

  TEST_CASE("403 is forbidden, errors and refused connections are error; MD603 is unknown") {
    FakePrometheus prom;
    auto client = probe::make_curl_client({});
    probe::Facts facts;
    probe::collect_prometheus(*client, options(prom.url("forbidden"), "tok"), facts);
    CHECK(facts.prometheus.source.state == probe::Obtained::forbidden);
    CHECK(contains(facts.prometheus.source.detail, "HTTP 403"));
    CHECK(md603(facts) == checks::Status::unknown);
    probe::collect_prometheus(*client, options(prom.url("boom")), facts);
    CHECK(facts.prometheus.source.state == probe::Obtained::error);
    CHECK(md603(facts) == checks::Status::unknown);
    auto down = "http://127.0.0.1:" + std::to_string(closed_port());
    probe::collect_prometheus(*client, options(down), facts);
    CHECK(facts.prometheus.source.state == probe::Obtained::error);
    CHECK(contains(facts.prometheus.source.detail, "query count("));
    CHECK(md603(facts) == checks::Status::unknown);
  }

  TEST_CASE("without a URL the section is not found") {
    auto client = probe::make_curl_client({});
    probe::Facts facts;
    probe::collect_prometheus(*client, options(""), facts);
    CHECK(facts.prometheus.source.state == probe::Obtained::not_found);
    CHECK(md603(facts) == checks::Status::unknown);
  }
}
