// Kiali checks MD801–MD803 and the fleet placeholder MD901.
#include <doctest/doctest.h>

#include <algorithm>

#include "checks/catalogue.hpp"
#include "check_test_support.hpp"

using namespace meshdoctor;
using checks::Status;

using namespace meshdoctor::testsupport;

namespace {

probe::Kiali good_kiali(const std::string& ns = "istio-system") {
  probe::Kiali k;
  k.ns = ns;
  k.name = "kiali";
  k.prometheus_auth_type = "bearer";
  k.use_kiali_token = true;
  k.thanos_proxy_enabled = true;
  k.prometheus_url = "https://thanos-querier.openshift-monitoring.svc.cluster.local:9091";
  return k;
}

probe::ClusterRoleBinding binding(const std::string& sa_ns) {
  probe::ClusterRoleBinding b;
  b.name = "kiali-monitoring-rbac";
  b.role_kind = "ClusterRole";
  b.role_name = "cluster-monitoring-view";
  b.subjects = {{"ServiceAccount", "kiali-service-account", sa_ns}};
  return b;
}

probe::Facts healthy_facts() {
  probe::Facts f;
  f.kialis.source.state = probe::Obtained::collected;
  f.kialis.items = {good_kiali()};
  f.cluster_role_bindings.source.state = probe::Obtained::collected;
  f.cluster_role_bindings.items = {binding("istio-system")};
  f.prometheus.source.state = probe::Obtained::collected;
  f.prometheus.items = {{"sum(istio_tcp_received_bytes_total)", 8}};
  return f;
}

}  // namespace

TEST_SUITE("checks::kiali") {
  TEST_CASE("MD801 passes when cluster-monitoring-view is bound to the Kiali service account") {
    auto r = run("MD801", healthy_facts());
    CHECK(r.status == Status::pass);
    CHECK(has_evidence(r, "ClusterRoleBinding kiali-monitoring-rbac"));
  }

  TEST_CASE("MD801 fails when the binding names the service account of another namespace") {
    auto f = healthy_facts();
    f.cluster_role_bindings.items = {binding("kiali")};
    auto r = run("MD801", f);
    CHECK(r.status == Status::fail);
    CHECK(r.fix.find("name: cluster-monitoring-view") != std::string::npos);
    CHECK(r.fix.find("namespace: istio-system") != std::string::npos);
    REQUIRE(r.objects.size() == 1);
    CHECK(r.objects[0].kind == "ServiceAccount");
  }

  TEST_CASE("MD801 is skipped without Kiali and unknown when bindings were not read") {
    auto f = healthy_facts();
    f.cluster_role_bindings.source = {probe::Obtained::forbidden, "list clusterrolebindings"};
    CHECK(run("MD801", f).status == Status::unknown);
    f.kialis.items.clear();
    auto r = run("MD801", f);
    CHECK(r.status == Status::skipped);
    CHECK(r.message == "Kiali not installed");
    f.kialis.source.state = probe::Obtained::error;
    CHECK(run("MD801", f).status == Status::unknown);
  }

  TEST_CASE("MD802 passes for bearer + use_kiali_token + thanos_proxy and shows each field") {
    auto r = run("MD802", healthy_facts());
    CHECK(r.status == Status::pass);
    CHECK(has_evidence(r, "auth.type: bearer"));
    CHECK(has_evidence(r, "use_kiali_token: true"));
    CHECK(has_evidence(r, "thanos_proxy.enabled: true"));
  }

  TEST_CASE("MD802 fails on operator defaults and gives a patch") {
    auto f = healthy_facts();
    probe::Kiali k;
    k.ns = "istio-system";
    k.name = "kiali";
    f.kialis.items = {k};
    auto r = run("MD802", f);
    CHECK(r.status == Status::fail);
    CHECK(has_evidence(r, "use_kiali_token: not set (default false)"));
    CHECK(has_evidence(r, "auth.type: not set (default none)"));
    CHECK(r.fix.find("oc patch kiali kiali -n istio-system --type merge") == 0);
    CHECK(r.fix.find("\"use_kiali_token\":true") != std::string::npos);
  }

  TEST_CASE("MD803 passes with ztunnel metrics and a working Kiali configuration") {
    auto r = run("MD803", healthy_facts());
    CHECK(r.status == Status::pass);
    CHECK(has_evidence(r, "8 series"));
  }

  TEST_CASE("MD803 fails without istio_tcp series or when Kiali cannot read them") {
    auto f = healthy_facts();
    f.prometheus.items = {{"istio_tcp_received_bytes_total", 0}};
    CHECK(run("MD803", f).status == Status::fail);
    f = healthy_facts();
    f.kialis.items[0].thanos_proxy_enabled = false;
    auto r = run("MD803", f);
    CHECK(r.status == Status::fail);
    CHECK(has_evidence(r, "MD802"));
  }

  TEST_CASE("MD803 is unknown without Prometheus and skipped without Kiali") {
    auto f = healthy_facts();
    f.prometheus.source = {probe::Obtained::not_found, ""};
    CHECK(run("MD803", f).status == Status::unknown);
    f.kialis.items.clear();
    CHECK(run("MD803", f).status == Status::skipped);
  }

  TEST_CASE("MD803 is explained by MD802 in the decision tree") {
    auto f = healthy_facts();
    f.kialis.items[0].use_kiali_token = false;
    auto d = checks::diagnose(f, {}, checks::Selection{{"MD801", "MD802", "MD803"}, {}});
    const auto* md803 = d.find("MD803");
    REQUIRE(md803 != nullptr);
    CHECK(md803->status == Status::fail);
    CHECK(md803->explained_by == std::vector<std::string>{"MD802"});
    CHECK(d.root_causes == std::vector<std::string>{"MD802"});
  }

  TEST_CASE("MD901 is skipped in a single-cluster run") {
    auto r = run("MD901", healthy_facts());
    CHECK(r.status == Status::skipped);
    CHECK(r.message == "single cluster: nothing to compare");
  }
}
