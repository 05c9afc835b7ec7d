// restart-stale-workloads planning: owners, guards, dedupe, order and budget. The cluster is a
// map of API paths to objects (what a GET would answer); the acceptance tests against the test
// API server (tests/cli/test_restart_*.sh) cover the same plan end to end over HTTP.
#include <doctest/doctest.h>

#include <map>

#include "test_support_facts.hpp"
#include "checks/catalogue.hpp"
#include "playbooks/restart.hpp"
#include "util/time.hpp"

using namespace meshdoctor;
using testsupport::at;
using checks::PlanAction;
using nlohmann::json;

namespace {

// worker-1's ztunnel restarted at 08:14:00 and became Ready at 08:15:40; worker-2's is not Ready.
probe::Facts facts() {
  probe::Facts f;
  for (auto* s : {&f.namespaces.source, &f.pods.source, &f.ztunnel_pods.source, &f.istio_cnis.source})
    s->state = probe::Obtained::collected;
  for (const char* name : {"bookinfo", "shop", "stackrox"}) {
    probe::Namespace n;
    n.name = name;
    n.labels = {{"istio.io/dataplane-mode", "ambient"}};
    n.pods.state = probe::Obtained::collected;
    f.namespaces.items.push_back(n);
  }
  auto z1 = testsupport::agent_pod("ztunnel", "ztunnel-w1", "worker-1", "2025-09-02T08:14:00Z", "2025-09-02T08:15:40Z");
  auto z2 = testsupport::agent_pod("ztunnel", "ztunnel-w2", "worker-2", "2025-09-02T08:14:00Z", nullptr);
  z2.not_ready_since = at("2025-09-02T08:14:00Z");
  f.ztunnel_pods.items = {z1, z2};
  return f;
}

// A pod started inside worker-1's window (stale), owned as given.
probe::WorkloadPod stale(const std::string& ns, const std::string& name, const std::string& owner_kind,
                         const std::string& owner_name, const std::string& node = "worker-1") {
  probe::WorkloadPod p;
  p.ns = ns;
  p.name = name;
  p.uid = "uid-" + name;
  p.node = node;
  p.phase = "Running";
  p.ready = true;
  p.owner_kind = owner_kind;
  p.owner_name = owner_name;
  p.start_time = at("2025-09-02T08:14:30Z");
  p.created = p.start_time;
  p.redirection = "enabled";
  return p;
}

json deployment(const std::string& ns, const std::string& name, const std::string& rv) {
  return {{"apiVersion", "apps/v1"},
          {"kind", "Deployment"},
          {"metadata", {{"namespace", ns}, {"name", name}, {"uid", "uid-" + name}, {"resourceVersion", rv},
                        {"generation", 3}}},
          {"spec", {{"replicas", 2}, {"selector", {{"matchLabels", {{"app", name}}}}},
                    {"template", {{"metadata", {{"labels", {{"app", name}}}}}}}}},
          {"status", {{"observedGeneration", 3}, {"replicas", 2}, {"updatedReplicas", 2}, {"readyReplicas", 2}}}};
}

json replicaset(const std::string& ns, const std::string& name, const std::string& deployment) {
  json owner = {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"name", deployment}, {"controller", true}};
  return {{"metadata", {{"namespace", ns}, {"name", name}, {"ownerReferences", json::array({owner})}}}};
}

struct Cluster {
  std::map<std::string, json> objects;
  std::vector<std::string> reads;
  std::map<std::string, std::string> forbidden;  // path → message
  playbooks::ObjectReader reader() {
    return [this](const std::string& path) -> util::Expected<json> {
      reads.push_back(path);
      if (auto f = forbidden.find(path); f != forbidden.end()) return util::make_error("kube.forbidden", f->second);
      auto it = objects.find(path);
      if (it == objects.end()) return util::make_error("kube.not_found", path + ": not found");
      return it->second;
    };
  }
  void add_namespace(const std::string& ns, json annotations = json::object()) {
    objects["/api/v1/namespaces/" + ns] = {{"metadata", {{"name", ns}, {"annotations", annotations}}}};
  }
  void add_deployment(const std::string& ns, const std::string& name, const std::string& rs, const json& d) {
    objects["/apis/apps/v1/namespaces/" + ns + "/replicasets/" + rs] = replicaset(ns, name + "-x", name);
    objects["/apis/apps/v1/namespaces/" + ns + "/deployments/" + name] = d;
  }
};

playbooks::PlanResult plan(const probe::Facts& f, Cluster& c, playbooks::PlanOptions o = {}) {
  if (o.off_mesh_namespaces.empty()) o.off_mesh_namespaces = {"stackrox"};
  checks::CheckContext ctx;
  ctx.off_mesh_namespaces = o.off_mesh_namespaces;
  checks::Diagnosis d = checks::diagnose(f, ctx, {});
  return playbooks::plan_restarts(f, d, o, c.reader());
}

const checks::PlanEntry* entry(const checks::Remediation& r, const std::string& ns, const std::string& name) {
  for (const auto& e : r.plan) {
    if (e.ns == ns && e.name == name) return &e;
  }
  return nullptr;
}

}  // namespace

TEST_SUITE("restart plan") {
  TEST_CASE("stale pods become one restart per workload, with the reason and the precondition") {
    auto f = facts();
    f.pods.items = {stale("bookinfo", "reviews-v2-5d8f-aaa", "ReplicaSet", "reviews-v2-5d8f"),
                    stale("bookinfo", "reviews-v2-5d8f-bbb", "ReplicaSet", "reviews-v2-5d8f"),
                    stale("bookinfo", "ledger-0", "StatefulSet", "ledger")};
    Cluster c;
    c.add_namespace("bookinfo");
    c.add_deployment("bookinfo", "reviews-v2", "reviews-v2-5d8f", deployment("bookinfo", "reviews-v2", "41"));
    json sts = deployment("bookinfo", "ledger", "77");
    sts["kind"] = "StatefulSet";
    sts["status"]["currentRevision"] = sts["status"]["updateRevision"] = "ledger-1";
    c.objects["/apis/apps/v1/namespaces/bookinfo/statefulsets/ledger"] = sts;
    auto r = plan(f, c);
    CHECK_FALSE(r.incomplete);
    REQUIRE(r.remediation.plan.size() == 2);
    const auto& first = r.remediation.plan[0];  // ordered by namespace, kind, name
    CHECK(first.kind == "Deployment");
    CHECK(first.name == "reviews-v2");
    CHECK(first.action == PlanAction::restart);
    CHECK(first.resource_version == "41");
    CHECK(first.uid == "uid-reviews-v2");
    CHECK(first.api_path == "/apis/apps/v1/namespaces/bookinfo/deployments/reviews-v2");
    CHECK(first.command == "oc rollout restart deployment/reviews-v2 -n bookinfo");
    CHECK(first.pods.size() == 2);
    CHECK(first.reason == "2 pod(s) started before ztunnel on their node was Ready (MD504)");
    CHECK(first.pods[0].ztunnel_pod == "ztunnel-w1");
    CHECK(first.pods[0].ztunnel_ready_at == at("2025-09-02T08:15:40Z"));
    CHECK(first.pods[0].detail == "started 08:14:30, ztunnel-w1 Ready at 08:15:40");
    CHECK(r.remediation.plan[1].kind == "StatefulSet");
    CHECK(r.remediation.plan[1].resource_version == "77");
    // One ReplicaSet lookup for two pods.
    CHECK(std::count(c.reads.begin(), c.reads.end(), "/apis/apps/v1/namespaces/bookinfo/replicasets/reviews-v2-5d8f") == 1);
  }

  TEST_CASE("guards: paused, mid-rollout, already restarted, opted out, namespace opt-out") {
    auto f = facts();
    f.pods.items = {stale("bookinfo", "a-1-x", "ReplicaSet", "a-1"), stale("bookinfo", "b-1-x", "ReplicaSet", "b-1"),
                    stale("bookinfo", "c-1-x", "ReplicaSet", "c-1"), stale("bookinfo", "d-1-x", "ReplicaSet", "d-1"),
                    stale("bookinfo", "e-1-x", "ReplicaSet", "e-1"), stale("shop", "f-1-x", "ReplicaSet", "f-1")};
    Cluster c;
    c.add_namespace("bookinfo");
    c.add_namespace("shop", {{"meshdoctor.io/restart", "false"}});
    json paused = deployment("bookinfo", "a", "1");
    paused["spec"]["paused"] = true;
    json rolling = deployment("bookinfo", "b", "2");
    rolling["status"]["observedGeneration"] = 2;
    json restarted = deployment("bookinfo", "c", "3");
    restarted["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"] = "2025-09-02T10:20:00+02:00";
    json before = deployment("bookinfo", "e", "5");  // restarted before ztunnel was Ready: not a reason to skip
    before["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"] = "2025-09-02T08:10:00Z";
    json optout = deployment("bookinfo", "d", "4");
    optout["metadata"]["annotations"]["meshdoctor.io/restart"] = "false";
    c.add_deployment("bookinfo", "a", "a-1", paused);
    c.add_deployment("bookinfo", "b", "b-1", rolling);
    c.add_deployment("bookinfo", "c", "c-1", restarted);
    c.add_deployment("bookinfo", "d", "d-1", optout);
    c.add_deployment("bookinfo", "e", "e-1", before);
    c.add_deployment("shop", "f", "f-1", deployment("shop", "f", "6"));
    auto r = plan(f, c).remediation;
    REQUIRE(entry(r, "bookinfo", "a"));
    CHECK(entry(r, "bookinfo", "a")->guard == "paused");
    CHECK(entry(r, "bookinfo", "b")->guard == "rollout-in-progress");
    CHECK(entry(r, "bookinfo", "b")->reason.find("observedGeneration 2 < metadata.generation 3") != std::string::npos);
    CHECK(entry(r, "bookinfo", "c")->guard == "already-restarted");
    CHECK(entry(r, "bookinfo", "d")->guard == "opted-out");
    CHECK(entry(r, "bookinfo", "e")->action == PlanAction::restart);
    CHECK(entry(r, "shop", "f")->guard == "opted-out");
    CHECK(entry(r, "shop", "f")->reason.find("namespace shop") != std::string::npos);
    CHECK(r.count(PlanAction::restart) == 1);
    CHECK(r.count(PlanAction::skip) == 5);
  }

  TEST_CASE("owners that cannot be rolled: Job, bare pod, static pod, foreign controller, missing ReplicaSet") {
    auto f = facts();
    auto bare = stale("bookinfo", "debug", "", "");
    auto mirror = stale("bookinfo", "etcd-node", "Node", "worker-1");
    mirror.static_pod = true;
    f.pods.items = {stale("bookinfo", "settle-1-x", "Job", "settle-1"), bare, mirror,
                    stale("bookinfo", "argo-7-x", "ReplicaSet", "argo-7"),
                    stale("bookinfo", "gone-9-x", "ReplicaSet", "gone-9")};
    Cluster c;
    c.add_namespace("bookinfo");
    json rs = replicaset("bookinfo", "argo-7", "argo");
    rs["metadata"]["ownerReferences"][0]["kind"] = "Rollout";
    c.objects["/apis/apps/v1/namespaces/bookinfo/replicasets/argo-7"] = rs;
    auto r = plan(f, c);
    CHECK(entry(r.remediation, "bookinfo", "settle-1")->guard == "job-owned");
    CHECK(entry(r.remediation, "bookinfo", "debug")->guard == "bare-pod");
    CHECK(entry(r.remediation, "bookinfo", "etcd-node")->guard == "static-pod");
    CHECK(entry(r.remediation, "bookinfo", "argo")->guard == "unsupported-owner");
    CHECK(entry(r.remediation, "bookinfo", "gone-9")->guard == "owner-not-found");
    CHECK(r.remediation.count(PlanAction::restart) == 0);
    CHECK_FALSE(r.incomplete);

    playbooks::PlanOptions o;
    o.delete_bare_pods = true;
    auto d = plan(f, c, o).remediation;
    const auto* del = entry(d, "bookinfo", "debug");
    REQUIRE(del);
    CHECK(del->action == PlanAction::remove);
    CHECK(del->uid == "uid-debug");
    CHECK(del->api_path == "/api/v1/namespaces/bookinfo/pods/debug");
  }

  TEST_CASE("namespace guards need no lookup; a not-Ready ztunnel and the budget hold entries back") {
    auto f = facts();
    f.pods.items = {stale("stackrox", "sensor-1-x", "ReplicaSet", "sensor-1"),
                    stale("bookinfo", "w2-1-x", "ReplicaSet", "w2-1", "worker-2"),
                    stale("bookinfo", "a-1-x", "ReplicaSet", "a-1"), stale("bookinfo", "b-1-x", "ReplicaSet", "b-1"),
                    stale("shop", "c-1-x", "ReplicaSet", "c-1")};
    // worker-2's ztunnel restarted too: its pod is in the not-Ready window.
    f.ztunnel_pods.items[1].created = at("2025-09-02T08:14:00Z");
    Cluster c;
    for (const char* ns : {"bookinfo", "shop"}) c.add_namespace(ns);
    for (const char* d : {"a", "b", "w2"}) c.add_deployment("bookinfo", d, std::string(d) + "-1", deployment("bookinfo", d, "9"));
    c.add_deployment("shop", "c", "c-1", deployment("shop", "c", "9"));
    playbooks::PlanOptions o;
    o.max_restarts = 1;
    auto r = plan(f, c, o).remediation;
    CHECK(entry(r, "stackrox", "sensor")->guard == "excluded-namespace");
    CHECK(entry(r, "bookinfo", "w2")->guard == "ztunnel-not-ready");
    CHECK(entry(r, "bookinfo", "a")->action == PlanAction::restart);
    CHECK(entry(r, "bookinfo", "b")->action == PlanAction::defer);
    CHECK(entry(r, "bookinfo", "b")->guard == "budget");
    CHECK(entry(r, "shop", "c")->action == PlanAction::defer);
    for (const auto& path : c.reads) CHECK(path.find("stackrox") == std::string::npos);

    o.max_restarts = 10;
    o.namespaces = {"shop"};
    o.exclude_namespaces = {"bookinfo"};
    auto s = plan(f, c, o).remediation;
    CHECK(entry(s, "shop", "c")->action == PlanAction::restart);
    CHECK(entry(s, "bookinfo", "a")->guard == "namespace-filter");
  }

  TEST_CASE("an unreadable owner makes the plan incomplete, and an unknown MD504 is noted") {
    auto f = facts();
    f.pods.items = {stale("bookinfo", "a-1-x", "ReplicaSet", "a-1")};
    Cluster c;
    c.add_namespace("bookinfo");
    c.forbidden["/apis/apps/v1/namespaces/bookinfo/replicasets/a-1"] =
        "forbidden: cannot get replicasets.apps in namespace bookinfo";
    auto r = plan(f, c);
    CHECK(r.incomplete);
    CHECK(entry(r.remediation, "bookinfo", "a-1")->guard == "lookup-failed");
    CHECK(entry(r.remediation, "bookinfo", "a-1")->reason.find("get replicasets.apps in namespace bookinfo") !=
          std::string::npos);

    f.ztunnel_pods.source = {probe::Obtained::forbidden, "list pods in namespace ztunnel"};
    auto u = plan(f, c);
    CHECK(u.incomplete);
    CHECK(u.remediation.plan.empty());
    REQUIRE_FALSE(u.remediation.notes.empty());
    CHECK(u.remediation.notes[0].find("MD504 unknown") != std::string::npos);
  }

  TEST_CASE("the restart patch is kubectl's, plus the resourceVersion precondition") {
    json body = json::parse(playbooks::restart_patch_body("4312", "2026-11-27T10:00:00Z"));
    CHECK(body == json::parse(R"({"metadata":{"resourceVersion":"4312"},
      "spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-27T10:00:00Z"}}}}})"));
  }
}
