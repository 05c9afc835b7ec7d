// KubeClient against real HTTP servers started in the test: pagination and 410 restarts, retries
// with backoff and Retry-After, the overall deadline, status → error mapping, truncated and
// invalid bodies, credentials (bearer, token file rotation, exec plugin, basic) and writes.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>

#include "probe/kube_client.hpp"
#include "test_support_env.hpp"
#include "test_support_httpd.hpp"
#include "test_support_log.hpp"

using namespace meshdoctor;
using nlohmann::json;
using probe::KubeClient;
using probe::KubeClientOptions;
using Clock = std::chrono::steady_clock;

namespace {

KubeClientOptions fast_options() {
  KubeClientOptions options;
  options.request_timeout_ms = 5000;
  options.overall_timeout_ms = 20000;
  options.max_retries = 3;
  options.max_backoff_ms = 50;
  return options;
}

KubeClient client_for(const std::string& url,
                      const KubeClientOptions& options = fast_options(),
                      const std::string& token = "") {
  probe::KubeAuth auth;
  auth.server = url;
  auth.token = token;
  return KubeClient(auth, probe::make_curl_client({}), options);
}

std::string pod_page(const std::vector<std::string>& names, const std::string& next) {
  json page = {{"apiVersion", "v1"}, {"kind", "PodList"}, {"metadata", json::object()}};
  if (!next.empty()) page["metadata"]["continue"] = next;
  page["items"] = json::array();
  for (const auto& name : names) page["items"].push_back({{"metadata", {{"name", name}}}});
  return page.dump();
}

std::vector<std::string> names_of(KubeClient& client,
                                  const std::string& path,
                                  util::Status& status,
                                  const probe::ListQuery& query = {}) {
  std::vector<std::string> names;
  status = client.list(path, query, [&](const json& item) {
    CHECK(item.at("apiVersion") == "v1");
    CHECK(item.at("kind") == "Pod");
    names.push_back(item.at("metadata").at("name").get<std::string>());
  });
  return names;
}

void reply_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

json status_body(int code, const std::string& message) {
  return {{"kind", "Status"}, {"apiVersion", "v1"}, {"status", "Failure"},
          {"message", message}, {"code", code}};
}

constexpr const char* k_pods = "/api/v1/namespaces/bookinfo/pods";

}  // namespace

TEST_SUITE("probe::kube_client lists") {
  TEST_CASE("a list follows continue tokens across three pages and passes selectors") {
    httplib::Server server;
    std::string seen_limit, seen_selector;
    server.Get(k_pods, [&](const httplib::Request& req, httplib::Response& res) {
      const std::string token = req.get_param_value("continue");
      seen_limit = req.get_param_value("limit");
      seen_selector = req.get_param_value("labelSelector");
      if (token.empty()) return res.set_content(pod_page({"a", "b"}, "page+2/="), "application/json");
      if (token == "page+2/=") return res.set_content(pod_page({"c", "d"}, "3"), "application/json");
      res.set_content(pod_page({"e"}, ""), "application/json");
    });
    test::ServerThread running(server);
    KubeClientOptions options = fast_options();
    options.page_size = 2;
    KubeClient client = client_for(running.url(), options);
    util::Status status = util::ok();
    probe::ListQuery query;
    query.label_selector = "app in (reviews),version=v1";
    const auto names = names_of(client, k_pods, status, query);
    REQUIRE_MESSAGE(status.has_value(), status.error().message);
    CHECK(names == std::vector<std::string>{"a", "b", "c", "d", "e"});
    CHECK(client.request_count() == 3);
    CHECK(seen_limit == "2");
    CHECK(seen_selector == "app in (reviews),version=v1");
  }

  TEST_CASE("a 410 on a continue token restarts the list once from the beginning") {
    httplib::Server server;
    int gone = 0;
    server.Get(k_pods, [&](const httplib::Request& req, httplib::Response& res) {
      const std::string token = req.get_param_value("continue");
      if (token.empty()) return res.set_content(pod_page({"a"}, "old"), "application/json");
      if (gone++ == 0) return reply_json(res, 410, status_body(410, "continue token expired"));
      res.set_content(pod_page({"b"}, ""), "application/json");
    });
    test::ServerThread running(server);
    KubeClient client = client_for(running.url());
    util::Status status = util::ok();
    const auto names = names_of(client, k_pods, status);
    REQUIRE_MESSAGE(status.has_value(), status.error().message);
    // Items of the first page come twice: the caller dedupes (documented on list()).
    CHECK(names == std::vector<std::string>{"a", "a", "b"});
    CHECK(client.request_count() == 4);
  }

  TEST_CASE("a second 410 is kube.gone") {
    httplib::Server server;
    server.Get(k_pods, [&](const httplib::Request& req, httplib::Response& res) {
      if (req.get_param_value("continue").empty())
        return res.set_content(pod_page({"a"}, "old"), "application/json");
      reply_json(res, 410, status_body(410, "continue token expired"));
    });
    test::ServerThread running(server);
    KubeClient client = client_for(running.url());
    util::Status status = util::ok();
    names_of(client, k_pods, status);
    REQUIRE_FALSE(status.has_value());
    CHECK(status.error().code == "kube.gone");
  }

  TEST_CASE("a truncated list body is an error, never an empty list") {
    httplib::Server server;
    server.Get(k_pods, [](const httplib::Request&, httplib::Response& res) {
      test::serve_truncated(res, R"({"apiVersion":"v1","kind":"PodList","items":[{"metadata":)");
    });
    test::ServerThread running(server);
    KubeClient client = client_for(running.url());
    util::Status status = util::ok();
    const auto names = names_of(client, k_pods, status);
    REQUIRE_FALSE(status.has_value());
    CHECK((status.error().code == "http.truncated" || status.error().code == "kube.decode"));
    CHECK(names.empty());
  }

  TEST_CASE("invalid JSON is kube.decode naming the path") {
    httplib::Server server;
    server.Get(k_pods, [](const httplib::Request&, httplib::Response& res) {
      res.set_content(R"({"kind":"PodList","items":[)", "application/json");
    });
    test::ServerThread running(server);
    KubeClient client = client_for(running.url());
    util::Status status = util::ok();
    names_of(client, k_pods, status);
    REQUIRE_FALSE(status.has_value());
    CHECK(status.error().code == "kube.decode");
    CHECK(status.error().message.find(k_pods) != std::string::npos);
  }
}

TEST_SUITE("probe::kube_client retries") {
  TEST_CASE("429 with Retry-After: 1 waits a second, then succeeds") {
    httplib::Server server;
    std::atomic<int> calls{0};
    server.Get("/api/v1/namespaces/bookinfo", [&](const httplib::Request&, httplib::Response& res) {
      if (calls++ == 0) {
        res.set_header("Retry-After", "1");
        return reply_json(res, 429, status_body(429, "slow down"));
      }
      reply_json(res, 200, {{"kind", "Namespace"}});
    });
    test::ServerThread running(server);
    KubeClient client = client_for(running.url());
    const auto start = Clock::now();
    auto body = client.get("/api/v1/namespaces/bookinfo");
    const auto elapsed = Clock::now() - start;
    REQUIRE_MESSAGE(body.has_value(), body.error().message);
    CHECK(elapsed >= std::chrono::milliseconds(950));
    CHECK(client.request_count() == 2);
  }

  TEST_CASE("429 without Retry-After is retried with backoff") {
    httplib::Server server;
    std::atomic<int> calls{0};
    server.Get(k_pods, [&](const httplib::Request&, httplib::Response& res) {
      if (calls++ < 2) return reply_json(res, 429, status_body(429, "slow down"));
      res.set_content(pod_page({"a"}, ""), "application/json");
    });
    test::ServerThread running(server);
    KubeClient client = client_for(running.url());
    util::Status status = util::ok();
    const auto names = names_of(client, k_pods, status);
    REQUIRE_MESSAGE(status.has_value(), status.error().message);
    CHECK(names == std::vector<std::string>{"a"});
    CHECK(client.request_count() == 3);
  }

  TEST_CASE("500 is retried max_retries times, then reported as kube.server") {
    httplib::Server server;
    server.Get(k_pods, [](const httplib::Request&, httplib::Response& res) {
      reply_json(res, 500, status_body(500, "etcd leader changed"));
    });
    test::ServerThread running(server);
    KubeClientOptions options = fast_options();
    options.max_retries = 2;
    KubeClient client = client_for(running.url(), options);
    util::Status status = util::ok();
    names_of(client, k_pods, status);
    REQUIRE_FALSE(status.has_value());
    CHECK(status.error().code == "kube.server");
    CHECK(status.error().message.find("etcd leader changed") != std::string::npos);
    CHECK(client.request_count() == 3);
  }

  TEST_CASE("the overall deadline stops retries early") {
    httplib::Server server;
    server.Get(k_pods, [](const httplib::Request&, httplib::Response& res) {
      res.set_header("Retry-After", "5");
      reply_json(res, 503, status_body(503, "unavailable"));
    });
    test::ServerThread running(server);
    KubeClientOptions options = fast_options();
    options.max_retries = 10;
    options.overall_timeout_ms = 1500;
    KubeClient client = client_for(running.url(), options);
    const auto start = Clock::now();
    util::Status status = util::ok();
    names_of(client, k_pods, status);
    REQUIRE_FALSE(status.has_value());
    CHECK(Clock::now() - start < std::chrono::milliseconds(1400));
    CHECK(status.error().code == "kube.server");
    CHECK(client.request_count() == 1);
  }

  TEST_CASE("after the overall deadline no request starts: kube.deadline") {
    httplib::Server server;
    server.Get(k_pods, [](const httplib::Request&, httplib::Response& res) {
      reply_json(res, 503, status_body(503, "unavailable"));
    });
    test::ServerThread running(server);
    KubeClientOptions options = fast_options();
    options.max_retries = 1000;
    options.max_backoff_ms = 100;
    options.overall_timeout_ms = 600;
    KubeClient client = client_for(running.url(), options);
    util::Status status = util::ok();
    names_of(client, k_pods, status);
    REQUIRE_FALSE(status.has_value());
    CHECK((status.error().code == "kube.server" || status.error().code == "kube.deadline"));
    std::this_thread::sleep_for(std::chrono::milliseconds(650));  // surely past the deadline now
    auto late = client.get("/api/v1/namespaces/bookinfo");
    REQUIRE_FALSE(late.has_value());
    CHECK(late.error().code == "kube.deadline");
    CHECK(client.request_count() < 100);
  }

  TEST_CASE("a refused connection is retried, then http.connect") {
    const std::string url = "http://127.0.0.1:" + std::to_string(test::closed_port());
    KubeClientOptions options = fast_options();
    options.max_retries = 2;
    KubeClient client = client_for(url, options);
    auto body = client.get("/api/v1/namespaces/bookinfo");
    REQUIRE_FALSE(body.has_value());
    CHECK(body.error().code == "http.connect");
    CHECK(client.request_count() == 3);
  }
}

TEST_SUITE("probe::kube_client errors") {
  TEST_CASE("401 is kube.unauthorized with a hint to log in again") {
    httplib::Server server;
    server.Get(k_pods, [](const httplib::Request&, httplib::Response& res) {
      reply_json(res, 401, status_body(401, "Unauthorized"));
    });
    test::ServerThread running(server);
    KubeClient client = client_for(running.url(), fast_options(), "expired-token");
    util::Status status = util::ok();
    names_of(client, k_pods, status);
    REQUIRE_FALSE(status.has_value());
    CHECK(status.error().code == "kube.unauthorized");
    CHECK(status.error().message.find("oc login") != std::string::npos);
    CHECK(client.request_count() == 1);  // nothing to refresh: no token file, no plugin
  }

  TEST_CASE("403 names the verb, the resource and the server's message") {
    httplib::Server server;
    server.Get(R"(/api/.*)", [](const httplib::Request&, httplib::Response& res) {
      reply_json(res, 403, status_body(403, "User \"dev\" cannot do that"));
    });
    test::ServerThread running(server);
    KubeClient client = client_for(running.url());
    util::Status status = util::ok();
    names_of(client, k_pods, status);
    REQUIRE_FALSE(status.has_value());
    CHECK(status.error().code == "kube.forbidden");
    CHECK(status.error().message.find("list pods in namespace bookinfo") != std::string::npos);
    CHECK(status.error().message.find("User \"dev\" cannot do that") != std::string::npos);
    auto log = client.get_raw("/api/v1/namespaces/istio-cni/pods/istio-cni-node-x/log?limitBytes=100");
    REQUIRE_FALSE(log.has_value());
    CHECK(log.error().code == "kube.forbidden");
    CHECK(log.error().message.find("get pods/log in namespace istio-cni") != std::string::npos);
    auto proxied = client.get_raw("/api/v1/namespaces/istio-system/pods/ztunnel-1:15021/proxy/healthz/ready");
    REQUIRE_FALSE(proxied.has_value());
    CHECK(proxied.error().message.find("get pods/proxy in namespace istio-system") != std::string::npos);
  }

  TEST_CASE("404 is kube.not_found") {
    httplib::Server server;
    test::ServerThread running(server);
    KubeClient client = client_for(running.url());
    auto body = client.get("/apis/sailoperator.io/v1/istios/default");
    REQUIRE_FALSE(body.has_value());
    CHECK(body.error().code == "kube.not_found");
  }

  TEST_CASE("a proxied non-2xx answer with a body is a response, not retried") {
    httplib::Server server;
    server.Get(R"(/api/v1/namespaces/istio-system/pods/.*/proxy/healthz/ready)",
               [](const httplib::Request&, httplib::Response& res) {
                 res.status = 503;
                 res.set_content("not ready: 2 of 3 proxies", "text/plain");
               });
    test::ServerThread running(server);
    KubeClient client = client_for(running.url());
    auto response = client.get_raw("/api/v1/namespaces/istio-system/pods/ztunnel-1:15021/proxy/healthz/ready");
    REQUIRE_MESSAGE(response.has_value(), response.error().message);
    CHECK(response->status == 503);
    CHECK(response->body == "not ready: 2 of 3 proxies");
    CHECK(client.request_count() == 1);
  }
}

TEST_SUITE("probe::kube_client credentials") {
  TEST_CASE("the bearer token is sent and never appears in errors or logs") {
    const std::string token = "sha256~Zm9vYmFyLXNlY3JldC10b2tlbg";
    httplib::Server server;
    std::string seen_auth, seen_agent, seen_accept;
    server.Get(k_pods, [&](const httplib::Request& req, httplib::Response& res) {
      seen_auth = req.get_header_value("Authorization");
      seen_agent = req.get_header_value("User-Agent");
      seen_accept = req.get_header_value("Accept");
      reply_json(res, 403, status_body(403, "forbidden"));
    });
    test::ServerThread running(server);
    test::LogCapture logs;
    KubeClient client = client_for(running.url(), fast_options(), token);
    util::Status status = util::ok();
    names_of(client, k_pods, status);
    REQUIRE_FALSE(status.has_value());
    CHECK(seen_auth == "Bearer " + token);
    CHECK(seen_agent.rfind("meshdoctor/", 0) == 0);
    CHECK(seen_accept == "application/json");
    CHECK(status.error().message.find(token) == std::string::npos);
    const std::string text = logs.text();
    CHECK(text.find(k_pods) != std::string::npos);  // the logs did capture the request
    CHECK(text.find(token) == std::string::npos);
    CHECK(text.find("Bearer <redacted>") != std::string::npos);
  }

  TEST_CASE("after a 401 the token file is re-read and the request retried once") {
    test::TempDir dir;
    test::write_file(dir.file("token"), "rotated-token\n");
    httplib::Server server;
    server.Get(k_pods, [](const httplib::Request& req, httplib::Response& res) {
      if (req.get_header_value("Authorization") != "Bearer rotated-token")
        return reply_json(res, 401, status_body(401, "Unauthorized"));
      res.set_content(pod_page({"a"}, ""), "application/json");
    });
    test::ServerThread running(server);
    probe::KubeAuth auth;
    auth.server = running.url();
    auth.token = "stale-token";
    auth.token_file = dir.file("token");
    KubeClient client(auth, probe::make_curl_client({}), fast_options());
    util::Status status = util::ok();
    const auto names = names_of(client, k_pods, status);
    REQUIRE_MESSAGE(status.has_value(), status.error().message);
    CHECK(names == std::vector<std::string>{"a"});
    CHECK(client.request_count() == 2);
  }

  TEST_CASE("an exec plugin's token is the bearer, run once and cached") {
    test::TempDir dir;
    const std::string script = dir.file("login.sh");
    test::write_file(script, "#!/bin/sh\necho run >> '" + dir.file("runs") + "'\n" +
                                 R"(echo '{"kind":"ExecCredential","status":{"token":"plugin-token"}}')" "\n",
                     true);
    httplib::Server server;
    server.Get("/api/v1/namespaces/bookinfo", [](const httplib::Request& req, httplib::Response& res) {
      if (req.get_header_value("Authorization") != "Bearer plugin-token")
        return reply_json(res, 401, status_body(401, "Unauthorized"));
      reply_json(res, 200, {{"kind", "Namespace"}});
    });
    test::ServerThread running(server);
    probe::KubeAuth auth;
    auth.server = running.url();
    auth.exec = probe::ExecCredential{"client.authentication.k8s.io/v1", script, {}, {}};
    KubeClient client(auth, probe::make_curl_client({}), fast_options());
    REQUIRE(client.get("/api/v1/namespaces/bookinfo").has_value());
    REQUIRE(client.get("/api/v1/namespaces/bookinfo").has_value());
    CHECK(test::read_file(dir.file("runs")) == "run\n");
  }

  TEST_CASE("a failing exec plugin stops the request with kubeconfig.exec") {
    test::TempDir dir;
    const std::string script = dir.file("login.sh");
    test::write_file(script, "#!/bin/sh\necho 'token expired for hunter2' >&2\nexit 1\n", true);
    httplib::Server server;
    test::ServerThread running(server);
    probe::KubeAuth auth;
    auth.server = running.url();
    auth.exec = probe::ExecCredential{"", script, {}, {}};
    KubeClient client(auth, probe::make_curl_client({}), fast_options());
    auto body = client.get("/api/v1/namespaces/bookinfo");
    REQUIRE_FALSE(body.has_value());
    CHECK(body.error().code == "kubeconfig.exec");
    CHECK(body.error().message.find("hunter2") == std::string::npos);
    CHECK(client.request_count() == 0);
  }

  TEST_CASE("username and password go as basic auth") {
    httplib::Server server;
    std::string seen_auth;
    server.Get("/version", [&](const httplib::Request& req, httplib::Response& res) {
      seen_auth = req.get_header_value("Authorization");
      reply_json(res, 200, {{"major", "1"}});
    });
    test::ServerThread running(server);
    probe::KubeAuth auth;
    auth.server = running.url();
    auth.username = "admin";
    auth.password = "pass";
    KubeClient client(auth, probe::make_curl_client({}), fast_options());
    REQUIRE(client.get("/version").has_value());
    CHECK(seen_auth == "Basic YWRtaW46cGFzcw==");
  }
}

TEST_SUITE("probe::kube_client writes") {
  TEST_CASE("a PATCH sends its content type and a 409 comes back as a response") {
    httplib::Server server;
    std::string seen_type, seen_body;
    server.Patch("/apis/apps/v1/namespaces/bookinfo/deployments/reviews",
                 [&](const httplib::Request& req, httplib::Response& res) {
                   seen_type = req.get_header_value("Content-Type");
                   seen_body = req.body;
                   reply_json(res, 409, status_body(409, "conflict"));
                 });
    test::ServerThread running(server);
    KubeClient client = client_for(running.url());
    auto response = client.send("PATCH", "/apis/apps/v1/namespaces/bookinfo/deployments/reviews",
                                "application/strategic-merge-patch+json", R"({"spec":{}})");
    REQUIRE_MESSAGE(response.has_value(), response.error().message);
    CHECK(response->status == 409);
    CHECK(seen_type == "application/strategic-merge-patch+json");
    CHECK(seen_body == R"({"spec":{}})");
  }

  TEST_CASE("a write answered with 500 is not retried") {
    httplib::Server server;
    server.Post("/api/v1/namespaces/bookinfo/events", [](const httplib::Request&, httplib::Response& res) {
      reply_json(res, 500, status_body(500, "boom"));
    });
    test::ServerThread running(server);
    KubeClient client = client_for(running.url());
    auto response = client.send("POST", "/api/v1/namespaces/bookinfo/events", "application/json", "{}");
    REQUIRE_FALSE(response.has_value());
    CHECK(response.error().code == "kube.server");
    CHECK(client.request_count() == 1);
  }

  TEST_CASE("a 403 on a write names the verb") {
    httplib::Server server;
    server.Patch(R"(/apis/apps/v1/namespaces/bookinfo/deployments/.*)",
                 [](const httplib::Request&, httplib::Response& res) {
                   reply_json(res, 403, status_body(403, "no"));
                 });
    test::ServerThread running(server);
    KubeClient client = client_for(running.url());
    auto response = client.send("PATCH", "/apis/apps/v1/namespaces/bookinfo/deployments/reviews",
                                "application/merge-patch+json", "{}");
    REQUIRE_FALSE(response.has_value());
    CHECK(response.error().message.find("patch deployments.apps in namespace bookinfo") !=
          std::string::npos);
  }
}
