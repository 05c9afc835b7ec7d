// Enrollment checks MD501–MD505 and the pure rules behind them (selector, started-before-ztunnel).
#include <doctest/doctest.h>

#include <algorithm>

#include "test_support_facts.hpp"
#include "checks/catalogue.hpp"
#include "check_test_support.hpp"
#include "checks/enrollment_rules.hpp"
#include "util/time.hpp"

using namespace meshdoctor;
using checks::Status;

using namespace meshdoctor::testsupport;

namespace {

probe::Namespace ns(const std::string& name, std::map<std::string, std::string> labels = {}) {
  probe::Namespace n;
  n.name = name;
  n.labels = std::move(labels);
  n.phase = "Active";
  n.pods.state = probe::Obtained::collected;
  return n;
}

probe::Namespace ambient_ns(const std::string& name) { return ns(name, {{"istio.io/dataplane-mode", "ambient"}}); }

probe::WorkloadPod pod(const std::string& nsname, const std::string& name, const std::string& node = "worker-1") {
  probe::WorkloadPod p;
  p.ns = nsname;
  p.name = name;
  p.node = node;
  p.phase = "Running";
  p.ready = true;
  p.owner_kind = "ReplicaSet";
  p.owner_name = name.substr(0, name.rfind('-'));
  p.start_time = at("2025-09-02T09:00:00Z");
  p.created = p.start_time;
  p.redirection = "enabled";
  return p;
}

probe::NodeAgentPod ztunnel(const std::string& name, const std::string& node, const char* created,
                            const char* ready_since) {
  return agent_pod("ztunnel", name, node, created, ready_since);
}

probe::Facts base_facts() {
  probe::Facts f;
  f.namespaces.source.state = probe::Obtained::collected;
  f.pods.source.state = probe::Obtained::collected;
  f.ztunnel_pods.source.state = probe::Obtained::collected;
  f.istio_cnis.source.state = probe::Obtained::collected;
  return f;
}

bool has_object(const checks::Finding& f, const std::string& kind, const std::string& nsname, const std::string& name) {
  return std::any_of(f.objects.begin(), f.objects.end(), [&](const checks::ObjectRef& o) {
    return o.kind == kind && o.ns == nsname && o.name == name;
  });
}

const std::vector<std::string> k_default_exclude{"kube-system"};

}  // namespace

TEST_SUITE("checks::enrollment_rules") {
  TEST_CASE("a pod in an ambient namespace is selected unless it opts out") {
    auto n = ambient_ns("bookinfo");
    auto p = pod("bookinfo", "reviews-v1-abc");
    auto d = checks::should_be_enrolled(p, &n, k_default_exclude);
    CHECK(d.should);
    CHECK(d.selection == checks::SelectionReason::namespace_label_ambient);

    p.dataplane_mode = "none";
    d = checks::should_be_enrolled(p, &n, k_default_exclude);
    CHECK_FALSE(d.should);
    CHECK(d.selection == checks::SelectionReason::pod_opted_out);
  }

  TEST_CASE("the pod label takes precedence over the namespace label") {
    auto unlabelled = ns("default");
    auto opted_out = ns("legacy", {{"istio.io/dataplane-mode", "none"}});
    auto p = pod("default", "curl-1-x");
    p.dataplane_mode = "ambient";
    CHECK(checks::should_be_enrolled(p, &unlabelled, k_default_exclude).selection ==
          checks::SelectionReason::pod_label_ambient);
    p.ns = "legacy";
    CHECK(checks::should_be_enrolled(p, &opted_out, k_default_exclude).should);
  }

  TEST_CASE("a pod with no ambient label in a plain namespace is not selected") {
    auto n = ns("default");
    auto p = pod("default", "web-1-x");
    CHECK(checks::should_be_enrolled(p, &n, k_default_exclude).selection == checks::SelectionReason::not_labelled);
    CHECK(checks::should_be_enrolled(p, nullptr, k_default_exclude).selection ==
          checks::SelectionReason::not_labelled);
  }

  TEST_CASE("hostNetwork and sidecar pods are never selected") {
    auto n = ambient_ns("bookinfo");
    auto p = pod("bookinfo", "agent-1-x");
    p.host_network = true;
    CHECK(checks::should_be_enrolled(p, &n, k_default_exclude).selection == checks::SelectionReason::host_network);
    p.host_network = false;
    p.has_sidecar_status = true;
    CHECK(checks::should_be_enrolled(p, &n, k_default_exclude).selection == checks::SelectionReason::sidecar);
    p.has_sidecar_status = false;
    p.has_istio_proxy_container = true;
    p.dataplane_mode = "ambient";
    CHECK(checks::should_be_enrolled(p, &n, k_default_exclude).selection == checks::SelectionReason::sidecar);
  }

  TEST_CASE("pods in excludeNamespaces are not selected even when labelled") {
    auto n = ambient_ns("kube-system");
    auto p = pod("kube-system", "dns-1-x");
    p.dataplane_mode = "ambient";
    auto d = checks::should_be_enrolled(p, &n, k_default_exclude);
    CHECK_FALSE(d.should);
    CHECK(d.selection == checks::SelectionReason::excluded_namespace);
    CHECK(checks::should_be_enrolled(p, &n, {"other"}).should);
  }

  TEST_CASE("finished, terminating and unscheduled pods are skipped; scheduled Pending pods count") {
    auto n = ambient_ns("bookinfo");
    auto p = pod("bookinfo", "job-1-x");
    p.phase = "Succeeded";
    CHECK(checks::should_be_enrolled(p, &n, k_default_exclude).selection == checks::SelectionReason::not_live);
    p.phase = "Running";
    p.terminating = true;
    CHECK(checks::should_be_enrolled(p, &n, k_default_exclude).selection == checks::SelectionReason::not_live);
    p.terminating = false;
    p.phase = "Pending";
    p.node = "";
    CHECK(checks::should_be_enrolled(p, &n, k_default_exclude).selection == checks::SelectionReason::not_live);
    p.node = "worker-1";
    CHECK(checks::should_be_enrolled(p, &n, k_default_exclude).should);
  }

  TEST_CASE("a pod started between ztunnel's (re)start and its Ready transition is stale") {
    auto z = ztunnel("ztunnel-abcd", "worker-1", "2025-09-02T08:14:00Z", "2025-09-02T08:15:40.250000Z");
    auto p = pod("bookinfo", "reviews-v2-xyz");
    p.start_time = at("2025-09-02T08:14:05Z");
    auto v = checks::classify_pod_start(p, z);
    CHECK(v.timing == checks::StartTiming::before_ready);
    CHECK(v.stale());
    p.start_time = at("2025-09-02T08:15:40.250001Z");
    CHECK(checks::classify_pod_start(p, z).timing == checks::StartTiming::after_ready);
  }

  TEST_CASE("timestamps with time-zone offsets compare as UTC") {
    auto z = ztunnel("ztunnel-abcd", "worker-1", "2025-09-02T08:14:00.5Z", "2025-09-02T10:15:40+02:00");
    auto p = pod("bookinfo", "reviews-v2-xyz");
    p.start_time = at("2025-09-02T10:14:05+02:00");  // 08:14:05Z
    CHECK(checks::classify_pod_start(p, z).timing == checks::StartTiming::before_ready);
    p.start_time = at("2025-09-02T03:14:00-05:00");  // 08:14:00Z, before ztunnel was created
    CHECK(checks::classify_pod_start(p, z).timing == checks::StartTiming::handed_over);
  }

  TEST_CASE("a pod already running before the current ztunnel pod is handed over, not stale") {
    auto z = ztunnel("ztunnel-abcd", "worker-1", "2025-09-02T08:14:00Z", "2025-09-02T08:15:40Z");
    auto p = pod("bookinfo", "reviews-v1-abc");
    p.start_time = at("2025-09-01T12:00:00Z");
    auto v = checks::classify_pod_start(p, z);
    CHECK(v.timing == checks::StartTiming::handed_over);
    CHECK_FALSE(v.stale());
  }

  TEST_CASE("a pod started after a not-Ready ztunnel was created is stale") {
    auto z = ztunnel("ztunnel-abcd", "worker-1", "2025-09-02T08:14:00Z", nullptr);
    auto p = pod("bookinfo", "reviews-v1-abc");
    p.start_time = at("2025-09-02T08:20:00Z");
    CHECK(checks::classify_pod_start(p, z).timing == checks::StartTiming::not_ready);
  }

  TEST_CASE("after a ztunnel container restart the window starts at the new container") {
    auto z = ztunnel("ztunnel-abcd", "worker-1", "2025-09-02T08:14:00Z", "2025-09-02T11:00:30Z");
    z.container_start = at("2025-09-02T11:00:00Z");  // restarted; Ready again 30 s later
    auto p = pod("bookinfo", "reviews-v1-abc");
    p.start_time = at("2025-09-02T09:00:00Z");  // started while the first container served
    CHECK(checks::classify_pod_start(p, z).timing == checks::StartTiming::handed_over);
    p.start_time = at("2025-09-02T11:00:10Z");  // started during the restart
    CHECK(checks::classify_pod_start(p, z).timing == checks::StartTiming::before_ready);
  }

  TEST_CASE("a ztunnel that went not Ready later only makes pods started after that stale") {
    auto z = ztunnel("ztunnel-abcd", "worker-1", "2025-11-19T08:00:00Z", nullptr);
    z.not_ready_since = at("2025-11-20T12:22:31Z");  // was Ready, fell to Ready=False then
    auto p = pod("bookinfo", "reviews-v1-abc");
    p.start_time = at("2025-11-19T09:12:00Z");
    auto v = checks::classify_pod_start(p, z);
    CHECK(v.timing == checks::StartTiming::unknown);
    CHECK_FALSE(v.stale());
    CHECK(v.missing.find("not Ready since 2025-11-20T12:22:31Z") != std::string::npos);
    p.start_time = at("2025-11-20T12:25:00.5Z");
    CHECK(checks::classify_pod_start(p, z).timing == checks::StartTiming::not_ready);
  }

  TEST_CASE("the latest container start decides: a node reboot re-creates the sandbox") {
    auto z = ztunnel("ztunnel-abcd", "worker-1", "2025-09-02T08:14:00Z", "2025-09-02T08:15:40Z");
    auto p = pod("bookinfo", "reviews-v2-xyz");
    p.start_time = at("2025-09-01T08:00:00Z");       // first sandbox, long before
    p.container_start = at("2025-09-02T08:14:30Z");  // after the reboot, inside the window
    CHECK(checks::classify_pod_start(p, z).stale());
    p.container_start = at("2025-09-02T09:00:00Z");  // restarted after ztunnel was Ready
    CHECK(checks::classify_pod_start(p, z).timing == checks::StartTiming::after_ready);
  }

  TEST_CASE("missing timestamps give an unknown timing, and start time falls back to creation") {
    auto z = ztunnel("ztunnel-abcd", "worker-1", "2025-09-02T08:14:00Z", "2025-09-02T08:15:40Z");
    auto p = pod("bookinfo", "reviews-v2-xyz");
    p.start_time.reset();
    p.created = at("2025-09-02T08:14:30Z");
    CHECK(checks::classify_pod_start(p, z).timing == checks::StartTiming::before_ready);
    p.created.reset();
    auto v = checks::classify_pod_start(p, z);
    CHECK(v.timing == checks::StartTiming::unknown);
    CHECK(v.missing.find("startTime") != std::string::npos);
    p.start_time = at("2025-09-02T08:20:00Z");
    z.ready_since.reset();
    CHECK(checks::classify_pod_start(p, z).timing == checks::StartTiming::unknown);
  }

  TEST_CASE("owners map to restart commands") {
    auto p = pod("bookinfo", "reviews-v2-5d8f9c7b6-xk2lp");
    p.owner_name = "reviews-v2-5d8f9c7b6";
    CHECK(checks::restart_command(checks::owning_workload(p)) == "oc rollout restart deployment/reviews-v2 -n bookinfo");
    p.owner_kind = "StatefulSet";
    p.owner_name = "db";
    CHECK(checks::restart_command(checks::owning_workload(p)) == "oc rollout restart statefulset/db -n bookinfo");
    p.owner_kind = "";
    CHECK(checks::restart_command(checks::owning_workload(p)) ==
          "oc delete pod reviews-v2-5d8f9c7b6-xk2lp -n bookinfo");
  }
}

TEST_SUITE("checks::enrollment") {
  TEST_CASE("MD501 passes when a namespace is labelled ambient and warns when none is") {
    auto f = base_facts();
    f.namespaces.items = {ns("default"), ambient_ns("bookinfo")};
    auto r = run("MD501", f);
    CHECK(r.status == Status::pass);
    CHECK(has_evidence(r, "bookinfo"));

    f.namespaces.items = {ns("default")};
    r = run("MD501", f);
    CHECK(r.status == Status::warn);
    CHECK(has_evidence(r, "none labelled"));

    f.pods.items = {pod("default", "curl-1-x")};
    f.pods.items[0].dataplane_mode = "ambient";
    CHECK(run("MD501", f).status == Status::pass);
  }

  TEST_CASE("MD501 is unknown when namespaces were not collected") {
    auto f = base_facts();
    f.namespaces.source = {probe::Obtained::forbidden, "list namespaces"};
    auto r = run("MD501", f);
    CHECK(r.status == Status::unknown);
    CHECK(has_evidence(r, "list namespaces"));
  }

  TEST_CASE("MD502 warns for off-mesh namespaces that are ambient or not opted out") {
    auto f = base_facts();
    f.namespaces.items = {ambient_ns("stackrox"), ns("industrial-edge-data-lake")};
    auto r = run("MD502", f);
    CHECK(r.status == Status::warn);
    CHECK(has_evidence(r, "labelled istio.io/dataplane-mode=ambient"));
    CHECK(has_evidence(r, "not explicitly opted out"));
    CHECK(r.fix.find("oc label namespace stackrox istio.io/dataplane-mode=none --overwrite") != std::string::npos);
  }

  TEST_CASE("MD502 passes when off-mesh namespaces are labelled none or do not exist") {
    auto f = base_facts();
    f.namespaces.items = {ns("stackrox", {{"istio.io/dataplane-mode", "none"}}), ns("default")};
    CHECK(run("MD502", f).status == Status::pass);

    f.namespaces.items = {ns("default")};
    auto r = run("MD502", f);
    CHECK(r.status == Status::pass);
    CHECK(has_evidence(r, "no namespace named stackrox"));

    f.namespaces.source.state = probe::Obtained::not_found;
    CHECK(run("MD502", f).status == Status::unknown);
    checks::CheckContext none;
    none.off_mesh_namespaces.clear();
    CHECK(run("MD502", f, none).status == Status::skipped);
  }

  TEST_CASE("MD503 fails listing pending and unannotated pods with per-node coverage") {
    auto f = base_facts();
    f.namespaces.items = {ambient_ns("bookinfo"), ns("default")};
    auto pending = pod("bookinfo", "reviews-v2-xyz", "worker-1");
    pending.redirection = "pending";
    auto absent = pod("bookinfo", "ratings-v1-abc", "worker-2");
    absent.redirection.reset();
    auto stale = pod("default", "old-1-x", "worker-2");
    f.pods.items = {pod("bookinfo", "productpage-v1-a", "worker-1"), pending, absent,
                    pod("bookinfo", "details-v1-b", "worker-2"), stale};
    auto r = run("MD503", f);
    CHECK(r.status == Status::fail);
    CHECK(r.message == "2 of 4 ambient pods not enrolled: 1 pending, 1 unannotated");
    CHECK(has_evidence(r, "worker-1: 1/2 enrolled"));
    CHECK(has_evidence(r, "worker-2: 1/2 enrolled"));
    CHECK(has_object(r, "Pod", "bookinfo", "reviews-v2-xyz"));
    CHECK(has_object(r, "Pod", "bookinfo", "ratings-v1-abc"));
    CHECK(r.objects.size() == 2);
    CHECK(has_evidence(r, "owner ReplicaSet/reviews-v2"));
    CHECK(has_evidence(r, "stale enrollment"));
    CHECK(r.fix.find("oc rollout restart deployment/ratings -n bookinfo") != std::string::npos);
  }

  TEST_CASE("MD503 passes when every selected pod is enrolled and skips when none is selected") {
    auto f = base_facts();
    f.namespaces.items = {ambient_ns("bookinfo")};
    f.pods.items = {pod("bookinfo", "productpage-v1-a"), pod("bookinfo", "details-v1-b", "worker-2")};
    auto r = run("MD503", f);
    CHECK(r.status == Status::pass);
    CHECK(has_evidence(r, "worker-1: 1/1 enrolled"));

    f.namespaces.items = {ns("bookinfo")};
    r = run("MD503", f);
    CHECK(r.status == Status::skipped);
    CHECK(r.message == "no pods selected for ambient");
  }

  TEST_CASE("MD503 uses the IstioCNI excludeNamespaces list") {
    auto f = base_facts();
    f.namespaces.items = {ambient_ns("bookinfo")};
    auto p = pod("bookinfo", "productpage-v1-a");
    p.redirection.reset();
    f.pods.items = {p};
    probe::SailCr cni;
    cni.kind = "IstioCNI";
    cni.name = "default";
    cni.cni_exclude_namespaces = {"bookinfo"};
    f.istio_cnis.items = {cni};
    auto r = run("MD503", f);
    CHECK(r.status == Status::skipped);
    CHECK(has_evidence(r, "excludeNamespaces"));
  }

  TEST_CASE("MD503 is unknown when ambient namespaces' pods were not collected") {
    auto f = base_facts();
    auto hidden = ambient_ns("payments");
    hidden.pods = {probe::Obtained::forbidden, "list pods in payments"};
    f.namespaces.items = {ambient_ns("bookinfo"), hidden};
    f.pods.items = {pod("bookinfo", "productpage-v1-a")};
    auto r = run("MD503", f);
    CHECK(r.status == Status::unknown);
    CHECK(has_evidence(r, "list pods in payments"));

    f.pods.items[0].redirection = "pending";
    CHECK(run("MD503", f).status == Status::fail);

    f.pods.source = {probe::Obtained::error, "core/pods.yaml:3: bad"};
    CHECK(run("MD503", f).status == Status::unknown);
  }

  TEST_CASE("MD504 fails for pods started before their node's ztunnel was Ready") {
    auto f = base_facts();
    f.namespaces.items = {ambient_ns("bookinfo")};
    f.ztunnel_pods.items = {ztunnel("ztunnel-abcd", "worker-1", "2025-09-02T08:14:00Z", "2025-09-02T08:15:40Z"),
                            ztunnel("ztunnel-efgh", "worker-2", "2025-09-01T00:00:00Z", "2025-09-01T00:01:00Z")};
    auto a = pod("bookinfo", "reviews-v2-5d8f-aaa", "worker-1");
    a.owner_name = "reviews-v2-5d8f";
    a.start_time = at("2025-09-02T08:14:05Z");
    auto b = a;
    b.name = "reviews-v2-5d8f-bbb";
    b.start_time = at("2025-09-01T10:00:00Z");         // first sandbox, before the reboot
    b.container_start = at("2025-09-02T08:15:00.5Z");  // re-created inside the window
    auto ok = pod("bookinfo", "details-v1-b", "worker-2");
    f.pods.items = {a, b, ok};
    auto r = run("MD504", f);
    CHECK(r.status == Status::fail);
    CHECK(has_object(r, "Pod", "bookinfo", "reviews-v2-5d8f-aaa"));
    CHECK(has_object(r, "Pod", "bookinfo", "reviews-v2-5d8f-bbb"));
    CHECK(has_evidence(r, "on worker-1 started 2025-09-02T08:14:05Z, ztunnel-abcd Ready at 2025-09-02T08:15:40Z"));
    CHECK(has_evidence(r, "started 2025-09-02T08:15:00.500000Z, ztunnel-abcd Ready at 2025-09-02T08:15:40Z "
                          "(latest container start; pod startTime 2025-09-01T10:00:00Z)"));
    CHECK(has_evidence(r, "owner ReplicaSet/reviews-v2-5d8f"));
    auto cmd = std::string("oc rollout restart deployment/reviews-v2 -n bookinfo");
    auto first = r.fix.find(cmd);
    REQUIRE(first != std::string::npos);
    CHECK(r.fix.find(cmd, first + 1) == std::string::npos);  // one line per workload
    CHECK(r.fix.find("meshdoctor restart") != std::string::npos);
    CHECK(r.fix.find("reconcileIptablesOnStartup") != std::string::npos);
  }

  TEST_CASE("MD504 passes when pods started after Ready or were handed over") {
    auto f = base_facts();
    f.namespaces.items = {ambient_ns("bookinfo")};
    f.ztunnel_pods.items = {ztunnel("ztunnel-abcd", "worker-1", "2025-09-02T08:14:00Z", "2025-09-02T08:15:40Z")};
    auto early = pod("bookinfo", "details-v1-b");
    early.start_time = at("2025-09-01T00:00:00Z");
    f.pods.items = {pod("bookinfo", "productpage-v1-a"), early};
    auto r = run("MD504", f);
    CHECK(r.status == Status::pass);
    CHECK(has_evidence(r, "1 ambient pod(s) started after Ready, 1 handed over"));
  }

  TEST_CASE("MD504 is unknown without a ztunnel pod on the node or without ztunnel pods at all") {
    auto f = base_facts();
    f.namespaces.items = {ambient_ns("bookinfo")};
    f.pods.items = {pod("bookinfo", "productpage-v1-a", "worker-9")};
    auto r = run("MD504", f);
    CHECK(r.status == Status::unknown);
    CHECK(has_evidence(r, "no ztunnel pod on node worker-9"));

    f.ztunnel_pods.source = {probe::Obtained::not_found, "namespaces/ztunnel/core/pods.yaml"};
    r = run("MD504", f);
    CHECK(r.status == Status::unknown);
    CHECK(has_evidence(r, "namespaces/ztunnel/core/pods.yaml"));

    f.ztunnel_pods.source.state = probe::Obtained::collected;
    f.namespaces.items = {ns("bookinfo")};
    CHECK(run("MD504", f).status == Status::skipped);
  }

  TEST_CASE("MD505 warns about sidecars in ambient namespaces and mixed namespace labels") {
    auto f = base_facts();
    auto mixed = ambient_ns("shop");
    mixed.labels["istio-injection"] = "enabled";
    f.namespaces.items = {ambient_ns("bookinfo"), mixed};
    auto side = pod("bookinfo", "legacy-1-x");
    side.has_sidecar_status = true;
    auto waypoint = pod("bookinfo", "waypoint-1-x");
    waypoint.has_istio_proxy_container = true;
    waypoint.dataplane_mode = "none";
    f.pods.items = {side, waypoint};
    auto r = run("MD505", f);
    CHECK(r.status == Status::warn);
    CHECK(has_object(r, "Pod", "bookinfo", "legacy-1-x"));
    CHECK(has_object(r, "Namespace", "", "shop"));
    CHECK_FALSE(has_object(r, "Pod", "bookinfo", "waypoint-1-x"));
  }

  TEST_CASE("MD505 passes on a clean mesh and is unknown without namespaces") {
    auto f = base_facts();
    f.namespaces.items = {ambient_ns("bookinfo"), ns("legacy", {{"istio-injection", "enabled"}})};
    f.pods.items = {pod("bookinfo", "productpage-v1-a")};
    CHECK(run("MD505", f).status == Status::pass);
    f.namespaces.source.state = probe::Obtained::error;
    CHECK(run("MD505", f).status == Status::unknown);
  }

  TEST_CASE("the catalogue entries carry the DESIGN names, severities and upstreams") {
    const auto* md503 = checks::find_check("MD503");
    REQUIRE(md503 != nullptr);
    CHECK(md503->name == "pods-enrolled");
    CHECK(md503->category == "enrollment");
    CHECK(md503->upstream == std::vector<std::string>{"MD402", "MD303"});
    CHECK(checks::find_check("MD504")->upstream == std::vector<std::string>{"MD402"});
    CHECK(checks::find_check("MD501")->severity == checks::Severity::warn);
    CHECK(checks::find_check("MD505")->severity == checks::Severity::warn);
    CHECK(checks::find_check("MD504")->severity == checks::Severity::fail);
  }
}
