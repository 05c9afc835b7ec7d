// KubeClient::list_filtered against real HTTP servers: the same pages, requests, 410 restart and
// errors as list(), items reduced to what the extractors read, and the next page requested
// before the current one's items are handed out.
#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>

#include "probe/kube_client.hpp"
#include "probe/object_filter.hpp"
#include "test_support_httpd.hpp"

using namespace meshdoctor;
using nlohmann::json;
using probe::KubeClient;
using probe::KubeClientOptions;

namespace {

KubeClientOptions fast_options() {
  KubeClientOptions options;
  options.request_timeout_ms = 5000;
  options.overall_timeout_ms = 20000;
  options.max_retries = 3;
  options.max_backoff_ms = 50;
  return options;
}

KubeClient client_for(const std::string& url, const KubeClientOptions& options = fast_options()) {
  probe::KubeAuth auth;
  auth.server = url;
  return KubeClient(auth, probe::make_curl_client({}), options);
}

std::string pod_page(const std::vector<std::string>& names, const std::string& next) {
  json page = {{"apiVersion", "v1"}, {"kind", "PodList"}, {"metadata", json::object()}};
  if (!next.empty()) page["metadata"]["continue"] = next;
  page["items"] = json::array();
  for (const auto& name : names) {
    page["items"].push_back({{"metadata", {{"name", name}, {"namespace", "bookinfo"},
                                           {"managedFields", json::array({{{"manager", "kubelet"}}})}}},
                             {"spec", {{"nodeName", "w1"}, {"volumes", json::array({{{"name", "v"}}})}}}});
  }
  return page.dump();
}

std::vector<json> items_of(KubeClient& client, const std::string& path, util::Status& status,
                           const probe::ListQuery& query = {}) {
  std::vector<json> items;
  status = client.list_filtered(path, query, probe::filter_for_object,
                                [&](const json& item) { items.push_back(item); });
  return items;
}

std::vector<std::string> names(const std::vector<json>& items) {
  std::vector<std::string> out;
  for (const auto& item : items) out.push_back(item.at("metadata").at("name").get<std::string>());
  return out;
}

void reply_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

json status_body(int code, const std::string& message) {
  return {{"kind", "Status"}, {"apiVersion", "v1"}, {"status", "Failure"}, {"message", message}, {"code", code}};
}

constexpr const char* k_pods = "/api/v1/namespaces/bookinfo/pods";

}  // namespace

TEST_SUITE("probe::kube_client filtered lists") {
  TEST_CASE("pages are followed and passed selectors; items keep only what the extractors read") {
    httplib::Server server;
    std::string seen_limit, seen_selector;
    server.Get(k_pods, [&](const httplib::Request& req, httplib::Response& res) {
      const std::string token = req.get_param_value("continue");
      seen_limit = req.get_param_value("limit");
      seen_selector = req.get_param_value("fieldSelector");
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
    query.field_selector = "spec.nodeName=w1";
    const auto items = items_of(client, k_pods, status, query);
    REQUIRE_MESSAGE(status.has_value(), status.error().message);
    CHECK(names(items) == std::vector<std::string>{"a", "b", "c", "d", "e"});
    CHECK(client.request_count() == 3);
    CHECK(seen_limit == "2");
    CHECK(seen_selector == "spec.nodeName=w1");
    CHECK(items[0] == json::parse(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","namespace":"bookinfo"},
                                      "spec":{"nodeName":"w1"}})"));
  }

  TEST_CASE("the next page is requested before the current page's items are handed out") {
    httplib::Server server;
    std::mutex mutex;
    std::condition_variable second_asked;
    bool asked = false;
    server.Get(k_pods, [&](const httplib::Request& req, httplib::Response& res) {
      if (req.get_param_value("continue").empty()) return res.set_content(pod_page({"a"}, "2"), "application/json");
      {
        std::lock_guard<std::mutex> lock(mutex);
        asked = true;
      }
      second_asked.notify_all();
      res.set_content(pod_page({"b"}, ""), "application/json");
    });
    test::ServerThread running(server);
    KubeClient client = client_for(running.url());
    bool prefetched = false;
    std::vector<std::string> seen;
    auto status = client.list_filtered(k_pods, {}, probe::filter_for_object, [&](const json& item) {
      const std::string name = item.at("metadata").at("name").get<std::string>();
      if (name == "a") {
        std::unique_lock<std::mutex> lock(mutex);
        prefetched = second_asked.wait_for(lock, std::chrono::seconds(5), [&] { return asked; });
      }
      seen.push_back(name);
    });
    REQUIRE_MESSAGE(status.has_value(), status.error().message);
    CHECK(prefetched);
    CHECK(seen == std::vector<std::string>{"a", "b"});
  }

  TEST_CASE("a 410 on a continue token restarts the list once from the beginning") {
    httplib::Server server;
    std::atomic<int> gone{0};
    server.Get(k_pods, [&](const httplib::Request& req, httplib::Response& res) {
      const std::string token = req.get_param_value("continue");
      if (token.empty()) return res.set_content(pod_page({"a"}, "old"), "application/json");
      if (gone++ == 0) return reply_json(res, 410, status_body(410, "continue token expired"));
      res.set_content(pod_page({"b"}, ""), "application/json");
    });
    test::ServerThread running(server);
    KubeClient client = client_for(running.url());
    util::Status status = util::ok();
    const auto items = items_of(client, k_pods, status);
    REQUIRE_MESSAGE(status.has_value(), status.error().message);
    CHECK(names(items) == std::vector<std::string>{"a", "a", "b"});
    CHECK(client.request_count() == 4);
  }

  TEST_CASE("a second 410 is kube.gone") {
    httplib::Server server;
    server.Get(k_pods, [&](const httplib::Request& req, httplib::Response& res) {
      if (req.get_param_value("continue").empty()) return res.set_content(pod_page({"a"}, "old"), "application/json");
      reply_json(res, 410, status_body(410, "continue token expired"));
    });
    test::ServerThread running(server);
    KubeClient client = client_for(running.url());
    util::Status status = util::ok();
    items_of(client, k_pods, status);
    REQUIRE_FALSE(status.has_value());
    CHECK(status.error().code == "kube.gone");
  }

  TEST_CASE("a truncated page is an error, never an empty list") {
    httplib::Server server;
    server.Get(k_pods, [](const httplib::Request&, httplib::Response& res) {
      test::serve_truncated(res, R"({"apiVersion":"v1","kind":"PodList","items":[{"metadata":)");
    });
    test::ServerThread running(server);
    KubeClient client = client_for(running.url());
    util::Status status = util::ok();
    const auto items = items_of(client, k_pods, status);
    REQUIRE_FALSE(status.has_value());
    CHECK((status.error().code == "http.truncated" || status.error().code == "kube.decode"));
    CHECK(items.empty());
  }

  TEST_CASE("an invalid second page is kube.decode, and no page after it is asked for") {
    httplib::Server server;
    std::atomic<int> requests{0};
    server.Get(k_pods, [&](const httplib::Request& req, httplib::Response& res) {
      ++requests;
      if (req.get_param_value("continue").empty()) return res.set_content(pod_page({"a"}, "2"), "application/json");
      res.set_content(R"({"kind":"PodList","metadata":{"continue":"3"},"items":[{"metadata":{"name":"b"}},)",
                      "application/json");
    });
    test::ServerThread running(server);
    KubeClient client = client_for(running.url());
    util::Status status = util::ok();
    items_of(client, k_pods, status);
    REQUIRE_FALSE(status.has_value());
    CHECK(status.error().code == "kube.decode");
    CHECK(status.error().message.find(k_pods) != std::string::npos);
    CHECK(requests == 2);
  }

  TEST_CASE("a 403 names the verb and the resource") {
    httplib::Server server;
    server.Get(k_pods, [](const httplib::Request&, httplib::Response& res) {
      reply_json(res, 403, status_body(403, "pods is forbidden"));
    });
    test::ServerThread running(server);
    KubeClient client = client_for(running.url());
    util::Status status = util::ok();
    items_of(client, k_pods, status);
    REQUIRE_FALSE(status.has_value());
    CHECK(status.error().code == "kube.forbidden");
    CHECK(status.error().message.find("list pods in namespace bookinfo") != std::string::npos);
  }
}
