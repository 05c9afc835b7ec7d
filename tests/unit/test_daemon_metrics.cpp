// daemon::run_gauges and daemon::Exporter: the values /metrics exports for a hand-built diagnosis
// and facts, and the exposition prometheus-cpp renders from them (read back with the project's
// own Prometheus text parser).
#include <doctest/doctest.h>

#include <algorithm>

#include "checks/catalogue.hpp"
#include "daemon/exporter.hpp"
#include "daemon/metrics.hpp"
#include "probe/prom_text.hpp"

namespace {

using namespace meshdoctor;
using checks::Status;

checks::Diagnosis diagnosis(std::vector<std::pair<std::string, Status>> statuses) {
  checks::Diagnosis d;
  for (const auto& [id, s] : statuses) d.findings.push_back(checks::make_finding(id, s, ""));
  return d;
}

probe::WorkloadPod pod(const std::string& name,
                       const std::string& node,
                       std::optional<std::string> redirection) {
  probe::WorkloadPod p;
  p.ns = "bookinfo";
  p.name = name;
  p.uid = "uid-" + name;
  p.node = node;
  p.phase = "Running";
  p.ready = true;
  p.redirection = std::move(redirection);
  return p;
}

probe::NodeAgentPod ztunnel(const std::string& node) {
  probe::NodeAgentPod z;
  z.ns = "ztunnel";
  z.name = "ztunnel-" + node;
  z.node = node;
  z.ready = true;
  return z;
}

// bookinfo labelled ambient; pods and namespaces collected; ztunnel pods on n1..n3.
probe::Facts ambient_facts() {
  probe::Facts f;
  f.namespaces.source.state = probe::Obtained::collected;
  f.pods.source.state = probe::Obtained::collected;
  probe::Namespace ns;
  ns.name = "bookinfo";
  ns.labels["istio.io/dataplane-mode"] = "ambient";
  ns.pods.state = probe::Obtained::collected;
  f.namespaces.items.push_back(ns);
  for (const char* node : {"n1", "n2", "n3"}) f.ztunnel_pods.items.push_back(ztunnel(node));
  return f;
}

// Facts whose n1 and n2 carry `per_node` pods each, in every redirection state in turn.
probe::Facts facts_with_pods(int per_node) {
  probe::Facts f = ambient_facts();
  const std::optional<std::string> states[] = {"enabled", "pending", std::nullopt};
  for (const char* node : {"n1", "n2"}) {
    for (int i = 0; i < per_node; ++i) {
      f.pods.items.push_back(
          pod(std::string(node) + "-p" + std::to_string(i), node, states[i % 3]));
    }
  }
  return f;
}

double gauge(const std::vector<daemon::Sample>& samples, const daemon::Labels& labels) {
  for (const auto& s : samples) {
    if (s.labels == labels) return s.value;
  }
  FAIL("no series with those labels");
  return -1;
}

std::optional<double> value(const probe::PromText& text,
                            const std::string& name,
                            const std::map<std::string, std::string>& labels = {}) {
  for (const auto& s : text.samples) {
    if (s.name == name && s.labels == labels) return s.value;
  }
  return std::nullopt;
}

int series_named(const probe::PromText& text, const std::string& name) {
  return static_cast<int>(
      std::count_if(text.samples.begin(), text.samples.end(),
                    [&](const probe::PromSample& s) { return s.name == name; }));
}

daemon::RunOutcome good_run(const checks::Diagnosis& d, const probe::Facts& f) {
  daemon::RunReport r;
  r.diagnosis = d;
  r.gauges = daemon::run_gauges(d, f);
  r.api_requests = 42;
  r.duration_ms = 1500;
  r.finished_at = 1'700'000'000'000'000;
  daemon::RunOutcome o;
  o.report = std::make_shared<const daemon::RunReport>(std::move(r));
  return o;
}

daemon::RunOutcome failed_run() {
  daemon::RunOutcome o;
  o.error = util::make_error("kube.unauthorized", "authentication failed");
  return o;
}

probe::PromText scrape(const daemon::Exporter& e) {
  auto text = probe::parse_prom_text(e.text());
  REQUIRE(text.malformed == 0);
  return text;
}

}  // namespace

TEST_SUITE("daemon::metrics") {
  TEST_CASE("statuses map to 0 pass, 1 warn, 2 fail, 3 unknown, 4 skipped") {
    CHECK(daemon::status_value(Status::pass) == 0);
    CHECK(daemon::status_value(Status::warn) == 1);
    CHECK(daemon::status_value(Status::fail) == 2);
    CHECK(daemon::status_value(Status::unknown) == 3);
    CHECK(daemon::status_value(Status::skipped) == 4);
  }

  TEST_CASE("one check_status series per finding, labelled with its catalogue name and category") {
    auto d = diagnosis({{"MD101", Status::pass},
                        {"MD301", Status::fail},
                        {"MD302", Status::warn},
                        {"MD404", Status::unknown},
                        {"MD305", Status::skipped}});
    auto g = daemon::run_gauges(d, probe::Facts{});
    REQUIRE(g.check_status.size() == 5);
    CHECK(gauge(g.check_status,
                {{"id", "MD101"}, {"name", "operator-subscription"}, {"category", "install"}}) ==
          0);
    CHECK(gauge(g.check_status,
                {{"id", "MD301"}, {"name", "istiocni-profile"}, {"category", "cni"}}) == 2);
    CHECK(gauge(g.check_status,
                {{"id", "MD302"}, {"name", "cni-reconcile-iptables"}, {"category", "cni"}}) == 1);
    CHECK(gauge(g.check_status,
                {{"id", "MD404"}, {"name", "ztunnel-readiness"}, {"category", "ztunnel"}}) == 3);
    CHECK(gauge(g.check_status,
                {{"id", "MD305"}, {"name", "ztunnel-socket"}, {"category", "cni"}}) == 4);
  }

  TEST_CASE("root_cause has a series at 1 for each current root cause only") {
    auto d = diagnosis({{"MD301", Status::fail}, {"MD304", Status::fail}, {"MD402", Status::fail}});
    d.root_causes = {"MD301"};
    auto g = daemon::run_gauges(d, probe::Facts{});
    REQUIRE(g.root_causes.size() == 1);
    CHECK(g.root_causes[0].labels == daemon::Labels{{"id", "MD301"}});
    CHECK(g.root_causes[0].value == 1);
  }

  TEST_CASE("ambient pods are counted per node and redirection state; ztunnel-only nodes read 0") {
    auto f = ambient_facts();
    f.pods.items = {pod("a", "n1", "enabled"), pod("b", "n1", "enabled"), pod("c", "n1", "pending"),
                    pod("d", "n2", std::nullopt), pod("e", "n2", "bogus")};
    auto off = pod("off", "n1", std::nullopt);  // not selected: opted out
    off.dataplane_mode = "none";
    f.pods.items.push_back(off);
    auto g = daemon::run_gauges(checks::Diagnosis{}, f);
    CHECK(g.ambient_pods.size() == 9);  // 3 nodes × 3 states
    CHECK(gauge(g.ambient_pods, {{"node", "n1"}, {"state", "enabled"}}) == 2);
    CHECK(gauge(g.ambient_pods, {{"node", "n1"}, {"state", "pending"}}) == 1);
    CHECK(gauge(g.ambient_pods, {{"node", "n1"}, {"state", "missing"}}) == 0);
    CHECK(gauge(g.ambient_pods, {{"node", "n2"}, {"state", "missing"}}) == 2);
    CHECK(gauge(g.ambient_pods, {{"node", "n3"}, {"state", "enabled"}}) == 0);
  }

  TEST_CASE("no ambient pod series when pods were not collected (unknown is not zero)") {
    auto f = facts_with_pods(3);
    f.pods.source = {probe::Obtained::forbidden, "list pods in all namespaces"};
    CHECK(daemon::run_gauges(checks::Diagnosis{}, f).ambient_pods.empty());
  }

  TEST_CASE("the number of series does not grow with the number of pods") {
    auto d = diagnosis({{"MD503", Status::fail}});
    d.root_causes = {"MD503"};
    auto few = daemon::run_gauges(d, facts_with_pods(3));
    auto many = daemon::run_gauges(d, facts_with_pods(1000));
    CHECK(few.ambient_pods.size() == many.ambient_pods.size());
    CHECK(gauge(many.ambient_pods, {{"node", "n2"}, {"state", "enabled"}}) == 334);

    daemon::Exporter small({"0.1.0", false}), large({"0.1.0", false});
    small.record(good_run(d, facts_with_pods(3)));
    large.record(good_run(d, facts_with_pods(1000)));
    CHECK(scrape(small).samples.size() == scrape(large).samples.size());
    CHECK(scrape(large).samples.size() < 60);
  }

  TEST_CASE("ztunnel ready and desired come from the ztunnel DaemonSet of the ZTunnel namespace") {
    probe::Facts f;
    f.daemonsets.source.state = probe::Obtained::collected;
    probe::SailCr zt;
    zt.kind = "ZTunnel";
    zt.name = "default";
    zt.target_namespace = "ztunnel";
    f.ztunnels.items.push_back(zt);
    probe::DaemonSet cni{"istio-cni", "istio-cni-node", 3, 3, 3, 3, 3, 0, {}};
    probe::DaemonSet stray{"old", "ztunnel", 5, 5, 5, 5, 5, 0, {}};
    probe::DaemonSet ds{"ztunnel", "ztunnel", 3, 3, 1, 3, 1, 2, {}};
    f.daemonsets.items = {cni, stray, ds};
    auto g = daemon::run_gauges(checks::Diagnosis{}, f);
    CHECK(g.ztunnel_ready == 1);
    CHECK(g.ztunnel_desired == 3);

    f.daemonsets.items = {cni};
    g = daemon::run_gauges(checks::Diagnosis{}, f);
    CHECK(g.ztunnel_ready == 0);
    CHECK(g.ztunnel_desired == 0);

    f.daemonsets.source = {probe::Obtained::forbidden, "list daemonsets"};
    g = daemon::run_gauges(checks::Diagnosis{}, f);
    CHECK_FALSE(g.ztunnel_ready.has_value());
    CHECK_FALSE(g.ztunnel_desired.has_value());
  }

  TEST_CASE("socket state: 1 for the probe's outcome, 0 for the others, only node-local") {
    probe::Facts f;
    CHECK(daemon::run_gauges(checks::Diagnosis{}, f).socket_state.empty());
    f.node_local = true;
    f.socket_state = probe::SocketState::absent;
    auto g = daemon::run_gauges(checks::Diagnosis{}, f);
    CHECK(g.socket_state.size() == 6);
    CHECK(gauge(g.socket_state, {{"state", "absent"}}) == 1);
    CHECK(gauge(g.socket_state, {{"state", "accepted"}}) == 0);
    CHECK(gauge(g.socket_state, {{"state", "refused"}}) == 0);
  }
}

TEST_SUITE("daemon::exporter") {
  TEST_CASE("before any run: build info and zeroed run counters, no check series") {
    daemon::Exporter e({"9.9.9", false});
    auto text = scrape(e);
    CHECK(value(text, "meshdoctor_build_info", {{"version", "9.9.9"}}) == 1);
    CHECK(value(text, "meshdoctor_runs_total") == 0);
    CHECK(value(text, "meshdoctor_run_errors_total") == 0);
    CHECK(series_named(text, "meshdoctor_check_status") == 0);
    CHECK(e.text().find("# TYPE meshdoctor_runs_total counter") != std::string::npos);
  }

  TEST_CASE("a good run exports its gauges and run statistics") {
    daemon::Exporter e({"0.1.0", false});
    auto f = facts_with_pods(3);
    f.daemonsets.source.state = probe::Obtained::collected;
    f.daemonsets.items.push_back({"ztunnel", "ztunnel", 3, 3, 3, 3, 3, 0, {}});
    auto d = diagnosis({{"MD301", Status::fail}, {"MD101", Status::pass}});
    d.root_causes = {"MD301"};
    e.record(good_run(d, f));
    auto text = scrape(e);
    CHECK(e.text().find("# TYPE meshdoctor_check_status gauge") != std::string::npos);
    CHECK(value(text, "meshdoctor_check_status",
                {{"id", "MD301"}, {"name", "istiocni-profile"}, {"category", "cni"}}) == 2);
    CHECK(value(text, "meshdoctor_root_cause", {{"id", "MD301"}}) == 1);
    CHECK(value(text, "meshdoctor_ambient_pods", {{"node", "n1"}, {"state", "enabled"}}) == 1);
    CHECK(value(text, "meshdoctor_ztunnel_ready_pods") == 3);
    CHECK(value(text, "meshdoctor_ztunnel_desired_pods") == 3);
    CHECK(value(text, "meshdoctor_api_requests_last_run") == 42);
    CHECK(value(text, "meshdoctor_run_duration_seconds") == doctest::Approx(1.5));
    CHECK(value(text, "meshdoctor_last_run_timestamp_seconds") == doctest::Approx(1.7e9));
    CHECK(value(text, "meshdoctor_runs_total") == 1);
    CHECK(series_named(text, "meshdoctor_ztunnel_socket_state") == 0);
  }

  TEST_CASE("a check that stops being a root cause loses its series") {
    daemon::Exporter e({"0.1.0", false});
    auto broken = diagnosis({{"MD301", Status::fail}});
    broken.root_causes = {"MD301"};
    e.record(good_run(broken, probe::Facts{}));
    REQUIRE(value(scrape(e), "meshdoctor_root_cause", {{"id", "MD301"}}) == 1);
    e.record(good_run(diagnosis({{"MD301", Status::pass}}), probe::Facts{}));
    auto text = scrape(e);
    CHECK(series_named(text, "meshdoctor_root_cause") == 0);
    CHECK(value(text, "meshdoctor_check_status",
                {{"id", "MD301"}, {"name", "istiocni-profile"}, {"category", "cni"}}) == 0);
  }

  TEST_CASE("a failed run counts an error and keeps the last good values") {
    daemon::Exporter e({"0.1.0", false});
    auto broken = diagnosis({{"MD301", Status::fail}});
    broken.root_causes = {"MD301"};
    e.record(good_run(broken, probe::Facts{}));
    e.record(failed_run());
    e.record(failed_run());
    auto text = scrape(e);
    CHECK(value(text, "meshdoctor_runs_total") == 3);
    CHECK(value(text, "meshdoctor_run_errors_total") == 2);
    CHECK(value(text, "meshdoctor_check_status",
                {{"id", "MD301"}, {"name", "istiocni-profile"}, {"category", "cni"}}) == 2);
    CHECK(value(text, "meshdoctor_root_cause", {{"id", "MD301"}}) == 1);
    CHECK(value(text, "meshdoctor_api_requests_last_run") == 42);
  }

  TEST_CASE("--fix counts each plan entry as planned, by action") {
    daemon::Exporter e({"0.1.0", true});
    CHECK(value(scrape(e), "meshdoctor_remediations_total",
                {{"action", "restart"}, {"result", "planned"}}) == 0);
    auto d = diagnosis({{"MD504", Status::fail}});
    checks::Remediation r;
    r.plan.resize(3);
    r.plan[0].action = checks::PlanAction::restart;
    r.plan[1].action = checks::PlanAction::restart;
    r.plan[2].action = checks::PlanAction::skip;
    d.remediation = r;
    e.record(good_run(d, probe::Facts{}));
    e.record(good_run(d, probe::Facts{}));
    auto text = scrape(e);
    CHECK(value(text, "meshdoctor_remediations_total",
                {{"action", "restart"}, {"result", "planned"}}) == 4);
    CHECK(value(text, "meshdoctor_remediations_total",
                {{"action", "skip"}, {"result", "planned"}}) == 2);
  }

  TEST_CASE("node-local socket state replaces the previous state") {
    daemon::Exporter e({"0.1.0", false});
    probe::Facts f;
    f.node_local = true;
    f.socket_state = probe::SocketState::refused;
    e.record(good_run(checks::Diagnosis{}, f));
    f.socket_state = probe::SocketState::accepted;
    e.record(good_run(checks::Diagnosis{}, f));
    auto text = scrape(e);
    CHECK(value(text, "meshdoctor_ztunnel_socket_state", {{"state", "accepted"}}) == 1);
    CHECK(value(text, "meshdoctor_ztunnel_socket_state", {{"state", "refused"}}) == 0);
    CHECK(series_named(text, "meshdoctor_ztunnel_socket_state") == 6);
  }
}
