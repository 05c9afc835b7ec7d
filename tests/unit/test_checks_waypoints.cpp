// Waypoint checks MD701–MD703.
#include <doctest/doctest.h>

#include <algorithm>

#include "checks/catalogue.hpp"
#include "check_test_support.hpp"

using namespace meshdoctor;
using checks::Status;

using namespace meshdoctor::testsupport;

namespace {

probe::Gateway waypoint(const std::string& ns, const std::string& name, bool programmed = true) {
  probe::Gateway g;
  g.ns = ns;
  g.name = name;
  g.gateway_class = "istio-waypoint";
  g.listeners = {{"mesh", "HBONE", 15008}};
  probe::Condition c;
  c.type = "Programmed";
  c.status = programmed ? "True" : "False";
  c.reason = programmed ? "Programmed" : "AddressNotUsable";
  c.message = programmed ? "Resource programmed, assigned to service(s) waypoint.bookinfo.svc.cluster.local:15008"
                         : "Failed to assign to any requested addresses: hostname \"waypoint.bookinfo.svc.cluster.local\" not found";
  g.conditions = {c};
  return g;
}

probe::Namespace ns(const std::string& name, std::map<std::string, std::string> labels = {}) {
  probe::Namespace n;
  n.name = name;
  n.labels = std::move(labels);
  n.pods.state = probe::Obtained::collected;
  return n;
}

probe::Facts collected_facts() {
  probe::Facts f;
  f.gateways.source.state = probe::Obtained::collected;
  f.namespaces.source.state = probe::Obtained::collected;
  f.pods.source.state = probe::Obtained::collected;
  f.prometheus.source.state = probe::Obtained::collected;
  return f;
}

}  // namespace

TEST_SUITE("checks::waypoints") {
  TEST_CASE("MD701 passes for a programmed waypoint with the mesh HBONE listener") {
    auto f = collected_facts();
    f.gateways.items = {waypoint("bookinfo", "waypoint")};
    auto r = run("MD701", f);
    CHECK(r.status == Status::pass);
    CHECK(has_evidence(r, "listener mesh 15008/HBONE; Programmed=True"));
  }

  TEST_CASE("MD701 fails quoting the Programmed reason and message") {
    auto f = collected_facts();
    f.gateways.items = {waypoint("bookinfo", "waypoint", false), waypoint("shop", "waypoint")};
    auto r = run("MD701", f);
    CHECK(r.status == Status::fail);
    CHECK(r.message == "1 of 2 waypoint(s) not programmed");
    CHECK(has_evidence(r, "Programmed=False (AddressNotUsable: Failed to assign"));
    CHECK(has_evidence(r, "hostname \"waypoint.bookinfo.svc.cluster.local\" not found"));
    REQUIRE(r.objects.size() == 1);
    CHECK(r.objects[0].kind == "Gateway");
    CHECK(r.objects[0].ns == "bookinfo");
  }

  TEST_CASE("MD701 fails a waypoint whose listener is not mesh 15008 HBONE") {
    auto f = collected_facts();
    auto g = waypoint("bookinfo", "waypoint");
    g.listeners = {{"mesh", "HTTP", 80}};
    f.gateways.items = {g};
    auto r = run("MD701", f);
    CHECK(r.status == Status::fail);
    CHECK(has_evidence(r, "listener mesh is 80/HTTP, expected 15008/HBONE"));
  }

  TEST_CASE("MD701 ignores other Gateways, skips without waypoints and is unknown without Gateway data") {
    auto f = collected_facts();
    auto ingress = waypoint("istio-ingress", "gateway", false);
    ingress.gateway_class = "istio";
    f.gateways.items = {ingress};
    auto r = run("MD701", f);
    CHECK(r.status == Status::skipped);
    CHECK(r.message == "no waypoints");
    f.gateways.source = {probe::Obtained::not_found, "Gateway API CRDs not in bundle"};
    CHECK(run("MD701", f).status == Status::unknown);
  }

  TEST_CASE("MD702 passes when use-waypoint labels name existing waypoints, across namespaces too") {
    auto f = collected_facts();
    f.gateways.items = {waypoint("bookinfo", "waypoint"), waypoint("shared", "egress-wp")};
    f.namespaces.items = {ns("bookinfo", {{"istio.io/use-waypoint", "waypoint"}}),
                          ns("shop", {{"istio.io/use-waypoint", "egress-wp"},
                                      {"istio.io/use-waypoint-namespace", "shared"}})};
    auto r = run("MD702", f);
    CHECK(r.status == Status::pass);
    CHECK(has_evidence(r, "waypoint shared/egress-wp exists"));
  }

  TEST_CASE("MD702 fails for a missing waypoint and for a Gateway of another class") {
    auto f = collected_facts();
    auto ingress = waypoint("shop", "gw");
    ingress.gateway_class = "istio";
    f.gateways.items = {ingress};
    f.namespaces.items = {ns("bookinfo", {{"istio.io/use-waypoint", "waypoint"}}), ns("shop")};
    probe::WorkloadPod p;
    p.ns = "shop";
    p.name = "cart-1-x";
    p.use_waypoint = "gw";
    auto q = p;
    q.name = "cart-1-y";
    f.pods.items = {p, q};
    auto r = run("MD702", f);
    CHECK(r.status == Status::fail);
    CHECK(has_evidence(r, "no waypoint Gateway bookinfo/waypoint"));
    CHECK(has_evidence(r, "gatewayClassName istio, not istio-waypoint"));
    CHECK(has_evidence(r, "2 pod(s) in shop"));
    CHECK(r.objects.size() == 2);
  }

  TEST_CASE("MD702 treats none and #none as opt-out and skips when nothing uses a waypoint") {
    auto f = collected_facts();
    f.namespaces.items = {ns("bookinfo", {{"istio.io/use-waypoint", "none"}})};
    probe::WorkloadPod p;
    p.ns = "bookinfo";
    p.name = "db-1-x";
    p.use_waypoint = "#none";
    f.pods.items = {p};
    auto r = run("MD702", f);
    CHECK(r.status == Status::skipped);
    f.pods.source.state = probe::Obtained::forbidden;
    CHECK(run("MD702", f).status == Status::unknown);
  }

  TEST_CASE("MD703 warns without istio_requests_total where waypoints exist") {
    auto f = collected_facts();
    f.gateways.items = {waypoint("bookinfo", "waypoint")};
    f.prometheus.items = {{"sum(istio_requests_total{reporter=\"waypoint\"})", 0}};
    auto r = run("MD703", f);
    CHECK(r.status == Status::warn);
    f.prometheus.items[0].series = 4;
    CHECK(run("MD703", f).status == Status::pass);
  }

  TEST_CASE("MD703 is skipped without waypoints and unknown without Prometheus") {
    auto f = collected_facts();
    CHECK(run("MD703", f).status == Status::skipped);
    f.gateways.items = {waypoint("bookinfo", "waypoint")};
    f.prometheus.source.state = probe::Obtained::not_found;
    CHECK(run("MD703", f).status == Status::unknown);
    f.prometheus.source.state = probe::Obtained::collected;
    CHECK(run("MD703", f).status == Status::unknown);  // no istio_requests_total query run
  }
}
