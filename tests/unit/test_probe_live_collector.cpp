// The live collector against a real HTTP server started in the test: how each API answer becomes
// a section state (collected / CRD not installed / absent / forbidden / error), the ZTunnel
// v1 → v1alpha1 fallback, per-namespace pod states, fatal first-request errors, and the bundle
// that `collect` writes read back by the bundle reader.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "probe/bundle_reader.hpp"
#include "probe/bundle_writer.hpp"
#include "probe/live_collector.hpp"
#include "test_support_httpd.hpp"

using namespace meshdoctor;
using nlohmann::json;
using probe::Obtained;
namespace fs = std::filesystem;

namespace {

json status_body(int code, const std::string& message) {
  return {{"kind", "Status"}, {"apiVersion", "v1"}, {"status", "Failure"}, {"code", code}, {"message", message}};
}

json list_of(const std::string& api_version, const std::string& kind, json items) {
  return {{"apiVersion", api_version}, {"kind", kind + "List"}, {"metadata", json::object()}, {"items", items}};
}

json object(const std::string& api_version, const std::string& kind, const std::string& ns, const std::string& name,
            json labels = json::object()) {
  json meta = {{"name", name}, {"labels", labels}, {"managedFields", json::array({{{"manager", "x"}}})}};
  if (!ns.empty()) meta["namespace"] = ns;
  return {{"apiVersion", api_version}, {"kind", kind}, {"metadata", meta}};
}

// A small cluster: answers by exact path; anything else is 404.
class FakeCluster {
 public:
  FakeCluster() {
    answer("/api/v1/namespaces", 200,
           list_of("v1", "Namespace",
                   {object("v1", "Namespace", "", "bookinfo", {{"istio.io/dataplane-mode", "ambient"}}),
                    object("v1", "Namespace", "", "reviews", {{"istio.io/dataplane-mode", "ambient"}}),
                    object("v1", "Namespace", "", "default")}));
    answer("/apis/sailoperator.io/v1alpha1/ztunnels", 200,
           list_of("sailoperator.io/v1alpha1", "ZTunnel",
                   {object("sailoperator.io/v1alpha1", "ZTunnel", "", "default")}));
    answer("/apis/operators.coreos.com/v1alpha1/subscriptions", 403,
           status_body(403, "subscriptions is forbidden"));
    answer("/apis/gateway.networking.k8s.io/v1/gateways", 500, status_body(500, "etcd is sad"));
    answer("/api/v1/namespaces/bookinfo/pods", 403, status_body(403, "pods is forbidden"));
    answer("/api/v1/namespaces/reviews/pods", 200,
           list_of("v1", "Pod", {object("v1", "Pod", "reviews", "reviews-v1-abc")}));
    answer("/apis/operator.openshift.io/v1/networks/cluster", 200,
           object("operator.openshift.io/v1", "Network", "", "cluster"));
    m_server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      if (!m_token.empty() && req.get_header_value("Authorization") != "Bearer " + m_token) {
        res.status = 401;
        res.set_content(status_body(401, "Unauthorized").dump(), "application/json");
        return httplib::Server::HandlerResponse::Handled;
      }
      auto it = m_answers.find(req.path);
      res.status = it == m_answers.end() ? 404 : it->second.first;
      res.set_content(it == m_answers.end() ? status_body(404, "not found").dump() : it->second.second,
                      "application/json");
      return httplib::Server::HandlerResponse::Handled;
    });
  }
  void answer(const std::string& path, int status, const json& body) { m_answers[path] = {status, body.dump()}; }
  void answer_text(const std::string& path, int status, const std::string& text) { m_answers[path] = {status, text}; }
  void require_token(const std::string& token) { m_token = token; }
  httplib::Server& server() { return m_server; }

 private:
  httplib::Server m_server;
  std::map<std::string, std::pair<int, std::string>> m_answers;
  std::string m_token;
};

probe::KubeClient client_for(const std::string& url, const std::string& token = "") {
  probe::KubeAuth auth;
  auth.server = url;
  auth.context = "test";
  auth.token = token;
  probe::KubeClientOptions options;
  options.max_retries = 0;
  options.request_timeout_ms = 5000;
  options.overall_timeout_ms = 20000;
  return probe::KubeClient(auth, probe::make_curl_client({}), options);
}

probe::LiveOptions fixed_time() {
  probe::LiveOptions options;
  options.now = 1'800'000'000'000'000;
  return options;
}

const probe::Namespace* find_namespace(const probe::Facts& f, const std::string& name) {
  for (const auto& ns : f.namespaces.items) {
    if (ns.name == name) return &ns;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("live: API answers become section states") {
  FakeCluster cluster;
  test::ServerThread thread(cluster.server());
  auto client = client_for(thread.url());
  auto facts = probe::collect_live(client, fixed_time());
  REQUIRE(facts);
  const auto& f = *facts;
  CHECK(f.source.kind == "live");
  CHECK(f.source.context == "test");
  CHECK(f.collected_at == 1'800'000'000'000'000);

  // 404 on a list of custom resources: the CRD is not installed, so none exist.
  CHECK(f.istio_cnis.source.state == Obtained::collected);
  CHECK(f.istio_cnis.items.empty());
  CHECK(f.istio_cnis.source.detail == "CRD istiocnis.sailoperator.io not installed");
  // ZTunnel: v1 answered 404, v1alpha1 holds the CR.
  REQUIRE(f.ztunnels.items.size() == 1);
  CHECK(f.ztunnels.items[0].api_version == "sailoperator.io/v1alpha1");
  CHECK(f.ztunnels.source.ok());
  // 404 on a single object: collected, absent; 200: present.
  CHECK(f.cluster_version.source.ok());
  CHECK_FALSE(f.cluster_version.value.has_value());
  CHECK(f.network.value.has_value());
  // 403 names verb, resource and scope; 500 is an error with the reason.
  CHECK(f.subscriptions.source.state == Obtained::forbidden);
  CHECK(f.subscriptions.source.detail == "list subscriptions.operators.coreos.com in all namespaces");
  CHECK(f.gateways.source.state == Obtained::error);
  CHECK(f.gateways.source.detail.find("etcd is sad") != std::string::npos);
}

TEST_CASE("live: pods are read per ambient namespace, each with its own state") {
  FakeCluster cluster;
  test::ServerThread thread(cluster.server());
  auto client = client_for(thread.url());
  auto facts = probe::collect_live(client, fixed_time());
  REQUIRE(facts);
  const auto* bookinfo = find_namespace(*facts, "bookinfo");
  const auto* reviews = find_namespace(*facts, "reviews");
  const auto* other = find_namespace(*facts, "default");
  REQUIRE((bookinfo && reviews && other));
  CHECK(bookinfo->pods.state == Obtained::forbidden);
  CHECK(bookinfo->pods.detail == "list pods in namespace bookinfo");
  CHECK(reviews->pods.ok());
  CHECK(other->pods.state == Obtained::not_found);  // not ambient-relevant: never listed
  // One refused namespace makes the whole section incomplete, as a broken file does offline.
  CHECK(facts->pods.source.state == Obtained::forbidden);
  REQUIRE(facts->pods.items.size() == 1);
  CHECK(facts->pods.items[0].name == "reviews-v1-abc");
  // No node agent pods found: their logs are as complete as the pod lists.
  CHECK(facts->cni_logs.source.state == facts->cni_pods.source.state);
}

TEST_CASE("live: 401 and an unreachable server on the first request are fatal") {
  FakeCluster cluster;
  cluster.require_token("right");
  test::ServerThread thread(cluster.server());
  auto wrong = client_for(thread.url(), "wrong");
  auto denied = probe::collect_live(wrong, fixed_time());
  REQUIRE_FALSE(denied);
  CHECK(denied.error().code == "kube.unauthorized");
  CHECK(probe::is_fatal_connection_error(denied.error()));

  auto nowhere = client_for("http://127.0.0.1:" + std::to_string(test::closed_port()));
  auto refused = probe::collect_live(nowhere, fixed_time());
  REQUIRE_FALSE(refused);
  CHECK(probe::is_fatal_connection_error(refused.error()));

  auto right = client_for(thread.url(), "right");
  CHECK(probe::collect_live(right, fixed_time()));
}

TEST_CASE("live: collect writes a bundle the bundle reader reads back the same way") {
  FakeCluster cluster;
  test::ServerThread thread(cluster.server());
  auto client = client_for(thread.url());
  const fs::path dir = fs::temp_directory_path() / ("md-live-collect-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  auto writer = probe::BundleWriter::create(dir.string(), false);
  REQUIRE(writer);
  auto options = fixed_time();
  options.sink = writer->get();
  auto facts = probe::collect_live(client, options);
  REQUIRE(facts);
  REQUIRE((*writer)->commit(*facts));
  CHECK(fs::is_regular_file(dir / "namespaces/reviews/core/pods.yaml"));
  CHECK_FALSE(fs::exists(dir / "namespaces/bookinfo/core/pods.yaml"));  // refused: not written

  auto offline = probe::read_bundle(dir.string());
  REQUIRE(offline);
  CHECK(offline->collected_at == facts->collected_at);
  CHECK(offline->ztunnels.items.size() == 1);
  CHECK(offline->istio_cnis.source.ok());      // listed: the CRD is not installed
  CHECK_FALSE(offline->subscriptions.source.ok());  // refused live, missing offline
  CHECK(find_namespace(*offline, "reviews")->pods.ok());
  CHECK_FALSE(find_namespace(*offline, "bookinfo")->pods.ok());

  // Without --force an existing bundle is never overwritten.
  CHECK_FALSE(probe::BundleWriter::create(dir.string(), false));
  fs::remove_all(dir);
}

namespace {

// One ztunnel pod whose readiness and metrics the pod proxy serves.
void add_ztunnel_pod(FakeCluster& cluster) {
  json pod = object("v1", "Pod", "ztunnel", "ztunnel-abc", {{"app", "ztunnel"}});
  pod["spec"] = {{"nodeName", "worker-0"}};
  cluster.answer("/api/v1/namespaces/ztunnel/pods", 200, list_of("v1", "Pod", {pod}));
  cluster.answer_text("/api/v1/namespaces/ztunnel/pods/ztunnel-abc:15021/proxy/healthz/ready", 500,
                      "not ready, pending: workload proxy manager\n");
}

const char* k_scrape =
    "# TYPE workload_manager_pending_proxy_count gauge\n"
    "workload_manager_pending_proxy_count 2\n"
    "workload_manager_active_proxy_count 1\n"
    "# EOF\n";

}  // namespace

TEST_CASE("live: ztunnel metrics come through the pod proxy and round-trip through collect") {
  FakeCluster cluster;
  add_ztunnel_pod(cluster);
  cluster.answer_text("/api/v1/namespaces/ztunnel/pods/ztunnel-abc:15020/proxy/stats/prometheus", 200, k_scrape);
  test::ServerThread thread(cluster.server());
  auto client = client_for(thread.url());
  const fs::path dir = fs::temp_directory_path() / ("md-live-metrics-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  auto writer = probe::BundleWriter::create(dir.string(), false);
  REQUIRE(writer);
  auto options = fixed_time();
  options.sink = writer->get();
  auto facts = probe::collect_live(client, options);
  REQUIRE(facts);
  CHECK(facts->ztunnel_metrics.source.ok());
  REQUIRE(facts->ztunnel_metrics.items.size() == 1);
  const auto& m = facts->ztunnel_metrics.items[0];
  CHECK(m.pod == "ztunnel-abc");
  CHECK(m.node == "worker-0");
  CHECK(m.http_status == 200);
  CHECK(m.pending_proxies == 2.0);
  REQUIRE((*writer)->commit(*facts));
  CHECK(fs::is_regular_file(dir / "meshdoctor/ztunnel-metrics/ztunnel-abc.txt"));

  auto offline = probe::read_bundle(dir.string());
  REQUIRE(offline);
  CHECK(offline->ztunnel_metrics.source.ok());
  REQUIRE(offline->ztunnel_metrics.items.size() == 1);
  CHECK(offline->ztunnel_metrics.items[0].ns == "ztunnel");
  CHECK(offline->ztunnel_metrics.items[0].node == "worker-0");
  CHECK(offline->ztunnel_metrics.items[0].pending_proxies == 2.0);
  CHECK(offline->ztunnel_metrics.items[0].active_proxies == 1.0);
  fs::remove_all(dir);
}

TEST_CASE("live: a refused metrics scrape is forbidden naming pods/proxy") {
  FakeCluster cluster;
  add_ztunnel_pod(cluster);
  cluster.answer("/api/v1/namespaces/ztunnel/pods/ztunnel-abc:15020/proxy/stats/prometheus", 403,
                 status_body(403, "pods \"ztunnel-abc\" is forbidden"));
  test::ServerThread thread(cluster.server());
  auto client = client_for(thread.url());
  auto facts = probe::collect_live(client, fixed_time());
  REQUIRE(facts);
  CHECK(facts->ztunnel_metrics.source.state == Obtained::forbidden);
  CHECK(facts->ztunnel_metrics.source.detail == "get pods/proxy in namespace ztunnel");
  CHECK(facts->ztunnel_metrics.items.empty());
  CHECK(facts->ztunnel_readiness.source.ok());  // the readiness body was still read
}
