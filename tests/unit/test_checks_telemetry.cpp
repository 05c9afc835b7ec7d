// Telemetry checks MD601–MD604.
#include <doctest/doctest.h>

#include <algorithm>

#include "checks/catalogue.hpp"
#include "check_test_support.hpp"

using namespace meshdoctor;
using checks::Status;

using namespace meshdoctor::testsupport;

namespace {

probe::Facts collected_facts() {
  probe::Facts f;
  f.telemetries.source.state = probe::Obtained::collected;
  f.pod_monitors.source.state = probe::Obtained::collected;
  f.prometheus.source.state = probe::Obtained::collected;
  f.monitoring_config.source.state = probe::Obtained::collected;
  f.istios.source.state = probe::Obtained::collected;
  f.ztunnels.source.state = probe::Obtained::collected;
  return f;
}

probe::Telemetry telemetry(const std::string& ns, const std::string& name, std::vector<std::string> providers,
                           bool scoped = false) {
  probe::Telemetry t;
  t.ns = ns;
  t.name = name;
  t.metrics_providers = std::move(providers);
  t.has_selector_or_target = scoped;
  return t;
}

}  // namespace

TEST_SUITE("checks::telemetry") {
  TEST_CASE("MD601 passes on a mesh-wide Telemetry enabling prometheus, preferring mesh-default") {
    auto f = collected_facts();
    f.telemetries.items = {telemetry("istio-system", "enable-prometheus-metrics", {"prometheus"}),
                           telemetry("istio-system", "mesh-default", {"prometheus", "otel"})};
    auto r = run("MD601", f);
    CHECK(r.status == Status::pass);
    CHECK(r.message.find("istio-system/mesh-default") != std::string::npos);
    CHECK(has_evidence(r, "no selector or targetRefs"));
  }

  TEST_CASE("MD601 fails when the only prometheus Telemetry is scoped or elsewhere") {
    auto f = collected_facts();
    f.telemetries.items = {telemetry("istio-system", "waypoint-metrics", {"prometheus"}, true),
                           telemetry("bookinfo", "mesh-default", {"prometheus"})};
    auto r = run("MD601", f);
    CHECK(r.status == Status::fail);
    CHECK(has_evidence(r, "scoped by selector/targetRefs"));
    CHECK(r.fix.find("name: enable-prometheus-metrics") != std::string::npos);
    CHECK(r.fix.find("namespace: istio-system") != std::string::npos);
    CHECK(r.fix.find("oc apply -f - <<'EOF'") == 0);
  }

  TEST_CASE("MD601 follows the Istio CR's target namespace and is unknown without Telemetry data") {
    auto f = collected_facts();
    probe::SailCr istio;
    istio.kind = "Istio";
    istio.name = "default";
    istio.target_namespace = "istio-cp";
    f.istios.items = {istio};
    f.telemetries.items = {telemetry("istio-cp", "mesh-default", {"prometheus"})};
    CHECK(run("MD601", f).status == Status::pass);
    f.telemetries.source = {probe::Obtained::forbidden, "list telemetries.telemetry.istio.io"};
    auto r = run("MD601", f);
    CHECK(r.status == Status::unknown);
    CHECK(has_evidence(r, "list telemetries"));
  }

  TEST_CASE("MD602 passes with a PodMonitor in the ztunnel namespace and fails without") {
    auto f = collected_facts();
    f.pod_monitors.items = {{"ztunnel", "istio-ztunnel-monitor", {}}};
    auto r = run("MD602", f);
    CHECK(r.status == Status::pass);
    CHECK(has_evidence(r, "ztunnel/istio-ztunnel-monitor"));

    f.pod_monitors.items = {{"istio-system", "istio-proxies-monitor", {}}};
    r = run("MD602", f);
    CHECK(r.status == Status::fail);
    CHECK(r.fix.find("name: istio-ztunnel-monitor") != std::string::npos);
    CHECK(r.fix.find("path: /stats/prometheus") != std::string::npos);
  }

  TEST_CASE("MD602 uses the ZTunnel CR namespace and is unknown when PodMonitors were not read") {
    auto f = collected_facts();
    probe::SailCr zt;
    zt.kind = "ZTunnel";
    zt.name = "default";
    zt.target_namespace = "kube-system";
    f.ztunnels.items = {zt};
    f.pod_monitors.items = {{"ztunnel", "istio-ztunnel-monitor", {}}};
    auto r = run("MD602", f);
    CHECK(r.status == Status::fail);
    CHECK(r.message.find("kube-system") != std::string::npos);
    f.pod_monitors.source.state = probe::Obtained::not_found;
    CHECK(run("MD602", f).status == Status::unknown);
  }

  TEST_CASE("MD603 reads istio_tcp_ series counts") {
    auto f = collected_facts();
    f.prometheus.items = {{"sum(istio_tcp_received_bytes_total)", 12}, {"istio_requests_total", 0}};
    auto r = run("MD603", f);
    CHECK(r.status == Status::pass);
    CHECK(has_evidence(r, "12 series"));

    f.prometheus.items = {{"istio_tcp_connections_opened_total", 0}};
    CHECK(run("MD603", f).status == Status::fail);

    f.prometheus.items = {{"istio_build", 3}};
    CHECK(run("MD603", f).status == Status::unknown);
  }

  TEST_CASE("MD603 is unknown when no Prometheus was reachable") {
    auto f = collected_facts();
    f.prometheus.source = {probe::Obtained::not_found, "meshdoctor/prometheus.json absent"};
    auto r = run("MD603", f);
    CHECK(r.status == Status::unknown);
    CHECK(r.message == "no Prometheus reachable / not in a plain inspect bundle");
  }

  TEST_CASE("MD604 passes only when enableUserWorkload is true") {
    auto f = collected_facts();
    f.monitoring_config.value = probe::MonitoringConfig{true, {}};
    CHECK(run("MD604", f).status == Status::pass);

    f.monitoring_config.value = probe::MonitoringConfig{false, {}};
    auto r = run("MD604", f);
    CHECK(r.status == Status::fail);
    CHECK(has_evidence(r, "enableUserWorkload: false"));

    f.monitoring_config.value = probe::MonitoringConfig{std::nullopt, {}};
    CHECK(run("MD604", f).status == Status::fail);

    f.monitoring_config.value.reset();
    r = run("MD604", f);
    CHECK(r.status == Status::fail);
    CHECK(r.fix.find("enableUserWorkload: true") != std::string::npos);
  }

  TEST_CASE("MD604 is unknown when the ConfigMap could not be read and skipped off OpenShift") {
    auto f = collected_facts();
    f.monitoring_config.source = {probe::Obtained::forbidden, "get configmaps in openshift-monitoring"};
    CHECK(run("MD604", f).status == Status::unknown);
    f.monitoring_config.source.state = probe::Obtained::collected;
    f.cluster_version.source.state = probe::Obtained::collected;
    CHECK(run("MD604", f).status == Status::skipped);
  }

  TEST_CASE("MD603 is a consequence of a failing MD602 in the decision tree") {
    auto f = collected_facts();
    f.prometheus.items = {{"istio_tcp_received_bytes_total", 0}};
    auto d = checks::diagnose(f, {}, checks::Selection{{"MD602", "MD603"}, {}});
    const auto* md603 = d.find("MD603");
    REQUIRE(md603 != nullptr);
    CHECK(md603->status == Status::fail);
    CHECK(md603->explained_by == std::vector<std::string>{"MD602"});
    CHECK(std::find(d.root_causes.begin(), d.root_causes.end(), "MD602") != d.root_causes.end());
  }
}
