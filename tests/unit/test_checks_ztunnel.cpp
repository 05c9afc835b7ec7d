// ztunnel checks MD401–MD405 on hand-built facts.
#include <doctest/doctest.h>

#include "checks/catalogue.hpp"
#include "check_test_support.hpp"

using namespace meshdoctor;
using checks::Status;

using namespace meshdoctor::testsupport;

namespace {

constexpr probe::Micros k_second = 1000000;
constexpr probe::Micros k_t0 = 1767225600LL * k_second;  // 2026-01-01T00:00:00Z

probe::SailCr ztunnel_cr(const std::string& api, const std::string& ready) {
  probe::SailCr cr;
  cr.kind = "ZTunnel";
  cr.api_version = api;
  cr.name = "default";
  cr.target_namespace = "ztunnel";
  cr.conditions.push_back({"Ready", ready, "", "", {}});
  return cr;
}

probe::NodeAgentPod zpod(const std::string& name, const std::string& node, bool ready) {
  probe::NodeAgentPod p;
  p.ns = "ztunnel";
  p.name = name;
  p.node = node;
  p.phase = "Running";
  p.ready = ready;
  return p;
}

probe::PodLog zlog(const std::string& pod, bool previous = false) {
  probe::PodLog l;
  l.ns = "ztunnel";
  l.pod = pod;
  l.container = "istio-proxy";
  l.previous = previous;
  collected(l.source);
  l.ztunnel.lines = 120;
  return l;
}

void add_zds_failures(probe::PodLog& l, int n, probe::ZdsErrorKind kind, probe::Micros last) {
  l.ztunnel.zds_failures = n;
  l.ztunnel.last_zds_kind = kind;
  l.ztunnel.last_zds_time = last;
  l.ztunnel.last_zds_line = probe::LogLine{
      "namespaces/ztunnel/pods/" + l.pod + "/istio-proxy/istio-proxy/logs/current.log", 88,
      "warn\tinpod::workloadmanager\tfailed to connect to the Istio CNI node agent over "
      "\"/var/run/ztunnel/ztunnel.sock\", is the node agent healthy? details: Os { code: 2, kind: "
      "NotFound, "
      "message: \"No such file or directory\" }. retrying in 15s"};
}

// One ztunnel pod on worker-1 with its current log.
probe::Facts one_ztunnel(bool ready) {
  probe::Facts f;
  collected(f.ztunnel_pods.source);
  collected(f.ztunnel_logs.source);
  f.ztunnel_pods.items.push_back(zpod("ztunnel-abc", "worker-1", ready));
  f.ztunnel_logs.items.push_back(zlog("ztunnel-abc"));
  return f;
}

probe::ZtunnelReadiness readiness(const std::string& pod, int status, const std::string& body) {
  return {"ztunnel", pod, "worker-1", status, body};
}

probe::ZtunnelMetrics scrape(const std::string& pod, double pending, double active) {
  probe::ZtunnelMetrics m;
  m.ns = "ztunnel";
  m.pod = pod;
  m.node = "worker-1";
  m.pending_proxies = pending;
  m.active_proxies = active;
  m.samples = 12;
  m.http_status = 200;
  return m;
}

}  // namespace

TEST_SUITE("checks::ztunnel") {
  TEST_CASE("the ztunnel area registers MD401-MD405 with upstreams from the design") {
    CHECK(checks::find_check("MD402")->upstream == std::vector<std::string>{"MD403", "MD404"});
    CHECK(checks::find_check("MD403")->upstream ==
          std::vector<std::string>{"MD301", "MD303", "MD304"});
    CHECK(checks::find_check("MD405")->upstream == std::vector<std::string>{"MD201", "MD202"});
    for (const char* id : {"MD401", "MD402", "MD403", "MD404", "MD405"}) {
      CHECK(checks::find_check(id)->category == "ztunnel");
      CHECK(checks::find_check(id)->docs.rfind("https://", 0) == 0);
    }
  }

  TEST_CASE("a Ready v1 ZTunnel passes with its apiVersion in the evidence") {
    probe::Facts facts;
    collected(facts.ztunnels.source);
    facts.ztunnels.items.push_back(ztunnel_cr("sailoperator.io/v1", "True"));
    auto f = run("MD401", facts);
    CHECK(f.status == Status::pass);
    CHECK(has_evidence(f, "sailoperator.io/v1 ZTunnel default", "apiVersion sailoperator.io/v1"));
  }

  TEST_CASE("a v1alpha1 ZTunnel passes and notes the v1 migration") {
    probe::Facts facts;
    collected(facts.ztunnels.source);
    facts.ztunnels.items.push_back(ztunnel_cr("sailoperator.io/v1alpha1", "True"));
    auto f = run("MD401", facts);
    CHECK(f.status == Status::pass);
    CHECK(has_evidence(f, "ZTunnel default", "profile field was removed in v1"));
  }

  TEST_CASE("a ZTunnel not Ready only from its rollout fails as a consequence of MD402") {
    probe::Facts facts;
    collected(facts.ztunnels.source);
    auto cr = ztunnel_cr("sailoperator.io/v1", "False");
    cr.conditions[0].reason = "DaemonSetNotReady";
    cr.conditions[0].message = "not all ztunnel pods are ready";
    facts.ztunnels.items.push_back(cr);
    auto f = run("MD401", facts);
    CHECK(f.status == Status::fail);
    CHECK(f.message.find("(Ready=False (DaemonSetNotReady: not all ztunnel pods are ready))") !=
          std::string::npos);
    CHECK(f.consequence_of == std::vector<std::string>{"MD402"});
    facts.ztunnels.items[0].conditions.push_back(
        {"Reconciled", "False", "ReconcileError", "error reconciling resource", {}});
    auto reconcile = run("MD401", facts);
    CHECK(reconcile.status == Status::fail);
    CHECK(reconcile.consequence_of.empty());
  }

  TEST_CASE("the decision tree explains MD401 by a failing MD402 and keeps it root otherwise") {
    checks::Diagnosis d;
    checks::Finding md401 = checks::make_finding("MD401", Status::fail, "ZTunnel/default is not Ready");
    md401.consequence_of = {"MD402"};
    d.findings = {checks::make_finding("MD101", Status::pass, ""), md401,
                  checks::make_finding("MD402", Status::fail, "0/3 ready")};
    checks::link_findings(d);
    CHECK(d.find("MD401")->explained_by == std::vector<std::string>{"MD402"});
    CHECK(d.root_causes == std::vector<std::string>{"MD402"});
    d.findings[2].status = Status::pass;
    checks::link_findings(d);
    CHECK(d.root_causes == std::vector<std::string>{"MD401"});
  }

  TEST_CASE("a ZTunnel not Ready for its own reasons fails; missing fails; uncollected unknown") {
    probe::Facts facts;
    collected(facts.ztunnels.source);
    auto cr = ztunnel_cr("sailoperator.io/v1", "False");
    cr.conditions[0].reason = "ReadinessCheckFailed";
    cr.conditions[0].message = "failed to get readiness: timeout";
    facts.ztunnels.items.push_back(cr);
    auto f = run("MD401", facts);
    CHECK(f.status == Status::fail);
    CHECK(f.message ==
          "ZTunnel/default is not Ready (Ready=False (ReadinessCheckFailed: failed to get "
          "readiness: timeout))");
    facts.ztunnels.items.clear();
    CHECK(run("MD401", facts).message == "ZTunnel/default does not exist");
    facts.ztunnels.source = {probe::Obtained::not_found, ""};
    CHECK(run("MD401", facts).status == Status::unknown);
  }

  TEST_CASE("0/3 ztunnel pods ready fails and lists the not-ready pods") {
    auto facts = one_ztunnel(false);
    facts.ztunnel_pods.items[0].restarts = 2;
    collected(facts.daemonsets.source);
    collected(facts.ztunnels.source);
    facts.ztunnels.items.push_back(ztunnel_cr("sailoperator.io/v1", "False"));
    facts.daemonsets.items = {daemonset("istio-cni", "istio-cni-node", 3, 3),
                              daemonset("ztunnel", "ztunnel", 3, 0)};
    auto f = run("MD402", facts);
    CHECK(f.status == Status::fail);
    CHECK(f.message == "not all ztunnel pods are ready: 0/3 ready");
    CHECK(has_evidence(f, "DaemonSet ztunnel/ztunnel", "0/3 ready"));
    CHECK(has_evidence(f, "Pod ztunnel/ztunnel-abc", "node worker-1: not ready, 2 restarts"));
  }

  TEST_CASE("a fully ready ztunnel DaemonSet passes; a missing one fails; no ZTunnel skips") {
    probe::Facts facts;
    collected(facts.daemonsets.source);
    collected(facts.ztunnels.source);
    facts.ztunnels.items.push_back(ztunnel_cr("sailoperator.io/v1", "True"));
    facts.daemonsets.items = {daemonset("ztunnel", "ztunnel", 3, 3)};
    CHECK(run("MD402", facts).status == Status::pass);
    facts.daemonsets.items.clear();
    CHECK(run("MD402", facts).message == "ztunnel DaemonSet not found in ztunnel");
    facts.ztunnels.items.clear();
    CHECK(run("MD402", facts).status == Status::skipped);
  }

  TEST_CASE(
      "with ZTunnel CRs uncollected the DaemonSet is still judged, saying where the namespace came "
      "from") {
    probe::Facts facts;
    collected(facts.daemonsets.source);
    facts.ztunnels.source = {probe::Obtained::forbidden, "list ztunnels.sailoperator.io"};
    facts.daemonsets.items = {daemonset("kube-system", "ztunnel", 2, 2)};
    auto f = run("MD402", facts);
    CHECK(f.status == Status::pass);
    CHECK(has_evidence(f, "ZTunnel default", "namespace taken from the DaemonSet"));
    facts.daemonsets.items.clear();
    CHECK(run("MD402", facts).status == Status::unknown);
    facts.daemonsets.source = {probe::Obtained::not_found, ""};
    CHECK(run("MD402", facts).status == Status::unknown);
  }

  TEST_CASE("NotFound ZDS failures fail as an absent socket on that node") {
    auto facts = one_ztunnel(false);
    add_zds_failures(facts.ztunnel_logs.items[0], 42, probe::ZdsErrorKind::not_found, k_t0);
    auto f = run("MD403", facts);
    CHECK(f.status == Status::fail);
    CHECK(f.message.find("socket absent: the istio-cni agent is not in ambient mode or not running "
                         "on worker-1") != std::string::npos);
    CHECK(has_evidence(f, "ztunnel/ztunnel-abc log (current.log:88)",
                       "42 ZDS connect failures (NotFound)"));
    CHECK(f.fix.find("\"profile\":\"ambient\"") != std::string::npos);
  }

  TEST_CASE("ConnectionRefused fails as a stale socket and the fix restarts that node's agent") {
    auto facts = one_ztunnel(false);
    add_zds_failures(facts.ztunnel_logs.items[0], 3, probe::ZdsErrorKind::connection_refused, k_t0);
    auto f = run("MD403", facts);
    CHECK(f.status == Status::fail);
    CHECK(f.message.find("stale socket: the istio-cni agent on worker-1 is dead/restarting") !=
          std::string::npos);
    CHECK(f.fix.find("--field-selector spec.nodeName=worker-1") != std::string::npos);
  }

  TEST_CASE("a connection after the last failure counts as recovered") {
    auto facts = one_ztunnel(true);
    auto& log = facts.ztunnel_logs.items[0];
    add_zds_failures(log, 5, probe::ZdsErrorKind::connection_refused, k_t0);
    log.ztunnel.zds_connected = true;
    log.ztunnel.last_connected_time = k_t0 + 3 * k_second;
    auto f = run("MD403", facts);
    CHECK(f.status == Status::pass);
    CHECK(has_evidence(f, "ztunnel-abc", "recovered"));
  }

  TEST_CASE("becoming Ready after the last failure counts as recovered") {
    auto facts = one_ztunnel(true);
    facts.ztunnel_pods.items[0].ready_since = k_t0 + 10 * k_second;
    add_zds_failures(facts.ztunnel_logs.items[0], 5, probe::ZdsErrorKind::not_found, k_t0);
    CHECK(run("MD403", facts).status == Status::pass);
  }

  TEST_CASE("a connection marker without timestamps cannot be ordered and is unknown") {
    auto facts = one_ztunnel(false);
    auto& log = facts.ztunnel_logs.items[0];
    add_zds_failures(log, 5, probe::ZdsErrorKind::not_found, k_t0);
    log.ztunnel.last_zds_time.reset();
    log.ztunnel.zds_connected = true;
    CHECK(run("MD403", facts).status == Status::unknown);
  }

  TEST_CASE("failures only in the previous container pass with a note") {
    auto facts = one_ztunnel(true);
    auto prev = zlog("ztunnel-abc", true);
    add_zds_failures(prev, 9, probe::ZdsErrorKind::not_found, k_t0);
    facts.ztunnel_logs.items.push_back(prev);
    auto f = run("MD403", facts);
    CHECK(f.status == Status::pass);
    CHECK(has_evidence(f, "ztunnel-abc", "9 failures in the previous container"));
  }

  TEST_CASE("a ztunnel pod without a collected log makes MD403 unknown") {
    auto facts = one_ztunnel(true);
    facts.ztunnel_pods.items.push_back(zpod("ztunnel-def", "worker-2", true));
    auto f = run("MD403", facts);
    CHECK(f.status == Status::unknown);
    CHECK(has_evidence(f, "ztunnel/ztunnel-def log", "current log not collected"));
    facts.ztunnel_logs.source = {probe::Obtained::forbidden, "get pods/log in ztunnel"};
    CHECK(run("MD403", facts).status == Status::unknown);
  }

  TEST_CASE("readiness bodies missing from a plain bundle are unknown with a hint") {
    probe::Facts facts;
    auto f = run("MD404", facts);
    CHECK(f.status == Status::unknown);
    CHECK(f.message ==
          "readiness bodies are not in a plain inspect bundle; use meshdoctor collect or a live "
          "check");
  }

  TEST_CASE("all ztunnel pods answering ready pass") {
    probe::Facts facts;
    collected(facts.ztunnel_readiness.source);
    facts.ztunnel_readiness.items = {readiness("ztunnel-a", 200, "ready\n"),
                                     readiness("ztunnel-b", 200, "ready\n")};
    auto f = run("MD404", facts);
    CHECK(f.status == Status::pass);
    CHECK(has_evidence(f, "ztunnel/ztunnel-a :15021/healthz/ready", "HTTP 200: ready"));
  }

  TEST_CASE("pending state manager fails pointing at xDS and istiod") {
    probe::Facts facts;
    collected(facts.ztunnel_readiness.source);
    facts.ztunnel_readiness.items = {
        readiness("ztunnel-a", 500, "not ready, pending: state manager, workload proxy manager\n"),
        readiness("ztunnel-b", 200, "ready\n")};
    auto f = run("MD404", facts);
    CHECK(f.status == Status::fail);
    CHECK(f.message.find("1 of 2 ztunnel pods are not ready: pending state manager (xDS") !=
          std::string::npos);
    CHECK(has_evidence(f, "ztunnel-a", "HTTP 500: not ready, pending: state manager"));
  }

  TEST_CASE("pending workload proxy manager alone fails pointing at CNI/ZDS") {
    probe::Facts facts;
    collected(facts.ztunnel_readiness.source);
    facts.ztunnel_readiness.items = {
        readiness("ztunnel-a", 500, "not ready, pending: workload proxy manager\n")};
    auto f = run("MD404", facts);
    CHECK(f.status == Status::fail);
    CHECK(f.message.find("pending workload proxy manager (no ZDS connection") != std::string::npos);
  }

  TEST_CASE("pending pod proxies behind a pending workload proxy manager point at a proxy that cannot start") {
    probe::Facts facts;
    collected(facts.ztunnel_readiness.source);
    collected(facts.ztunnel_metrics.source);
    facts.ztunnel_readiness.items = {
        readiness("ztunnel-a", 500, "not ready, pending: workload proxy manager\n")};
    facts.ztunnel_metrics.items = {scrape("ztunnel-a", 2, 5)};
    auto f = run("MD404", facts);
    CHECK(f.status == Status::fail);
    CHECK(f.message.find("pod proxies that cannot start on ztunnel-a "
                         "(workload_manager_pending_proxy_count 2)") != std::string::npos);
    CHECK(f.message.find("[::1]:15053") != std::string::npos);
    CHECK(f.message.find("rather than the CNI socket") != std::string::npos);
    CHECK(has_evidence(f, "ztunnel/ztunnel-a :15020/stats/prometheus (node worker-1)",
                       "workload_manager_pending_proxy_count 2, workload_manager_active_proxy_count 5"));
  }

  TEST_CASE("no pending pod proxies keep the CNI/ZDS reading and show the counts") {
    probe::Facts facts;
    collected(facts.ztunnel_readiness.source);
    collected(facts.ztunnel_metrics.source);
    facts.ztunnel_readiness.items = {
        readiness("ztunnel-a", 500, "not ready, pending: workload proxy manager\n"),
        readiness("ztunnel-b", 500, "not ready, pending: workload proxy manager\n")};
    facts.ztunnel_metrics.items = {scrape("ztunnel-a", 0, 0), scrape("ztunnel-b", 3, 1)};
    auto f = run("MD404", facts);
    CHECK(f.status == Status::fail);
    CHECK(f.message.find("ztunnel-b (workload_manager_pending_proxy_count 3)") != std::string::npos);
    CHECK(f.message.find("1 other pods have no ZDS connection") != std::string::npos);
    CHECK(has_evidence(f, "ztunnel-a :15020", "workload_manager_pending_proxy_count 0"));
  }

  TEST_CASE("pending state manager stays an xDS verdict even with pending pod proxies") {
    probe::Facts facts;
    collected(facts.ztunnel_readiness.source);
    collected(facts.ztunnel_metrics.source);
    facts.ztunnel_readiness.items = {
        readiness("ztunnel-a", 500, "not ready, pending: state manager, workload proxy manager\n")};
    facts.ztunnel_metrics.items = {scrape("ztunnel-a", 4, 0)};
    auto f = run("MD404", facts);
    CHECK(f.status == Status::fail);
    CHECK(f.message.find("pending state manager (xDS") != std::string::npos);
    CHECK(f.message.find("cannot start") == std::string::npos);
  }

  TEST_CASE("metrics without readiness bodies leave MD404 unknown but show the metrics") {
    probe::Facts facts;
    collected(facts.ztunnel_metrics.source);
    facts.ztunnel_metrics.items = {scrape("ztunnel-a", 2, 0)};
    auto f = run("MD404", facts);
    CHECK(f.status == Status::unknown);
    CHECK(f.message.find("readiness bodies are not in a plain inspect bundle") != std::string::npos);
    CHECK(has_evidence(f, "ztunnel/ztunnel-a :15020/stats/prometheus", "workload_manager_pending_proxy_count 2"));
  }

  TEST_CASE("metrics that were not collected add no evidence; a failed scrape names its status") {
    probe::Facts facts;
    collected(facts.ztunnel_readiness.source);
    facts.ztunnel_readiness.items = {readiness("ztunnel-a", 200, "ready\n")};
    facts.ztunnel_metrics.items = {scrape("ztunnel-a", 0, 3)};  // section left not_found
    auto f = run("MD404", facts);
    CHECK(f.status == Status::pass);
    CHECK_FALSE(has_evidence(f, ":15020", ""));
    collected(facts.ztunnel_metrics.source);
    facts.ztunnel_metrics.items[0] = probe::ZtunnelMetrics{"ztunnel", "ztunnel-a", "worker-1", {}, {}, {}, 0, 0, 503};
    f = run("MD404", facts);
    CHECK(f.status == Status::pass);
    CHECK(has_evidence(f, "ztunnel-a :15020", "HTTP 503: no metrics"));
  }

  TEST_CASE("XDS client connection errors fail; none pass; a later Ready recovers") {
    auto facts = one_ztunnel(false);
    CHECK(run("MD405", facts).status == Status::pass);
    auto& s = facts.ztunnel_logs.items[0].ztunnel;
    s.xds_errors = 12;
    s.last_xds_time = k_t0;
    s.last_xds_line =
        probe::LogLine{"current.log", 40,
                       "XDS client connection error: gRPC connection error connecting to "
                       "https://istiod.istio-system.svc:15012, retrying in 5s"};
    auto f = run("MD405", facts);
    CHECK(f.status == Status::fail);
    CHECK(
        f.message.find(
            "1 of 1 ztunnel pods log \"XDS client connection error\" (ztunnel-abc on worker-1)") !=
        std::string::npos);
    CHECK(has_evidence(f, "ztunnel/ztunnel-abc log (current.log:40)", "12 XDS client errors"));

    facts.ztunnel_pods.items[0].ready = true;
    facts.ztunnel_pods.items[0].ready_since = k_t0 + k_second;
    CHECK(run("MD405", facts).status == Status::pass);
  }

  TEST_CASE("MD405 is unknown when ztunnel logs are missing") {
    probe::Facts facts;
    CHECK(run("MD405", facts).status == Status::unknown);
    collected(facts.ztunnel_logs.source);
    CHECK(run("MD405", facts).status == Status::unknown);  // no pods to read
  }
}
