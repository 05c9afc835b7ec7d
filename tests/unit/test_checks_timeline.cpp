// The per-node timeline behind the HTML report: agents' (re)start and Ready times, and the pods
// MD504 flags, built from hand-made facts with the same rules as the check.
#include <doctest/doctest.h>

#include <algorithm>

#include "test_support_facts.hpp"
#include "check_test_support.hpp"
#include "checks/catalogue.hpp"
#include "checks/timeline.hpp"
#include "util/time.hpp"

using namespace meshdoctor;
using namespace meshdoctor::testsupport;

namespace {

probe::WorkloadPod pod(const std::string& ns, const std::string& name, const std::string& node,
                       const char* started) {
  probe::WorkloadPod p;
  p.ns = ns;
  p.name = name;
  p.node = node;
  p.phase = "Running";
  p.ready = true;
  p.owner_kind = "ReplicaSet";
  p.owner_name = name.substr(0, name.rfind('-'));
  p.start_time = at("2026-11-19T09:00:00Z");
  p.created = p.start_time;
  if (started) p.container_start = at(started);
  p.redirection = "enabled";
  return p;
}

probe::Namespace ns(const std::string& name, const std::string& mode) {
  probe::Namespace n;
  n.name = name;
  if (!mode.empty()) n.labels["istio.io/dataplane-mode"] = mode;
  n.pods.state = probe::Obtained::collected;
  return n;
}

// worker-1 rebooted: ztunnel container restarted 11:45:03, Ready 11:46:35; worker-2 healthy;
// worker-3 runs an ambient pod but no ztunnel was seen there.
probe::Facts reboot_facts() {
  probe::Facts f;
  for (auto* s : {&f.namespaces.source, &f.pods.source, &f.ztunnel_pods.source,
                  &f.cni_pods.source, &f.istio_cnis.source}) {
    collected(*s);
  }
  f.namespaces.items = {ns("bookinfo", "ambient"), ns("plain", "")};
  auto z1 = agent_pod("ztunnel", "ztunnel-9qzvd", "worker-1", "2026-11-19T08:01:01Z",
                  "2026-11-20T11:46:35Z");
  z1.container_start = at("2026-11-20T11:45:03Z");
  z1.restarts = 1;
  f.ztunnel_pods.items = {z1, agent_pod("ztunnel", "ztunnel-4xk2p", "worker-2", "2026-11-19T08:01:00Z",
                                    "2026-11-19T08:01:09Z")};
  auto c1 = agent_pod("istio-cni", "istio-cni-node-7lfnr", "worker-1", "2026-11-19T07:59:59Z",
                  "2026-11-20T11:45:20Z");
  c1.container_start = at("2026-11-20T11:45:02Z");
  f.cni_pods.items = {c1};
  f.pods.items = {
      pod("bookinfo", "reviews-v2-5b667bcbf8-gj7nz", "worker-1", "2026-11-20T11:45:48Z"),
      pod("bookinfo", "details-v1-65cfcf56f9-dq2tw", "worker-1", "2026-11-20T11:45:21Z"),
      pod("bookinfo", "productpage-v1-54bb874995-h2r9c", "worker-1", "2026-11-20T11:47:15Z"),
      pod("bookinfo", "ratings-v1-6484c4d9bb-crjtt", "worker-1", nullptr),  // handed over
      pod("plain", "web-1-abc-xyz", "worker-1", "2026-11-20T11:45:30Z"),     // not ambient
      pod("bookinfo", "orphan-1-abc-xyz", "worker-3", "2026-11-20T11:45:30Z"),
  };
  return f;
}

const checks::NodeTimeline* node(const std::vector<checks::NodeTimeline>& t, const std::string& n) {
  auto it = std::find_if(t.begin(), t.end(), [&](const auto& r) { return r.node == n; });
  return it == t.end() ? nullptr : &*it;
}

}  // namespace

TEST_SUITE("checks::timeline") {
  TEST_CASE("one entry per node that runs an agent or an ambient pod, by name") {
    auto t = checks::build_timeline(reboot_facts());
    REQUIRE(t.size() == 3);
    CHECK(t[0].node == "worker-1");
    CHECK(t[1].node == "worker-2");
    CHECK(t[2].node == "worker-3");
  }

  TEST_CASE("an agent's window starts at its latest container (re)start") {
    auto t = checks::build_timeline(reboot_facts());
    const auto* w1 = node(t, "worker-1");
    REQUIRE(w1);
    REQUIRE(w1->ztunnel);
    CHECK(w1->ztunnel->name == "ztunnel-9qzvd");
    CHECK(w1->ztunnel->created == at("2026-11-19T08:01:01Z"));
    CHECK(w1->ztunnel->started == at("2026-11-20T11:45:03Z"));
    CHECK(w1->ztunnel->ready_since == at("2026-11-20T11:46:35Z"));
    CHECK(w1->ztunnel->ready);
    CHECK(w1->ztunnel->restarts == 1);
    REQUIRE(w1->cni);
    CHECK(w1->cni->started == at("2026-11-20T11:45:02Z"));
    CHECK(w1->cni->ready_since == at("2026-11-20T11:45:20Z"));
    CHECK_FALSE(node(t, "worker-2")->cni.has_value());
  }

  TEST_CASE("the stale pods are MD504's, ordered by start, and the others are counted") {
    auto facts = reboot_facts();
    auto t = checks::build_timeline(facts);
    const auto* w1 = node(t, "worker-1");
    REQUIRE(w1);
    REQUIRE(w1->stale.size() == 2);
    CHECK(w1->stale[0].name == "details-v1-65cfcf56f9-dq2tw");
    CHECK(w1->stale[0].start == at("2026-11-20T11:45:21Z"));
    CHECK(w1->stale[0].timing == checks::StartTiming::before_ready);
    CHECK(w1->stale[1].name == "reviews-v2-5b667bcbf8-gj7nz");
    CHECK(w1->other_pods == 2);  // productpage after Ready, ratings handed over
    CHECK(w1->unknown_pods == 0);
    auto md504 = run("MD504", facts);
    CHECK(md504.status == checks::Status::fail);
    std::vector<std::string> flagged;
    for (const auto& o : md504.objects) flagged.push_back(o.name);
    std::sort(flagged.begin(), flagged.end());
    CHECK(flagged == std::vector<std::string>{"details-v1-65cfcf56f9-dq2tw",
                                              "reviews-v2-5b667bcbf8-gj7nz"});
  }

  TEST_CASE("a node with ambient pods but no ztunnel counts them as not comparable") {
    auto t = checks::build_timeline(reboot_facts());
    const auto* w3 = node(t, "worker-3");
    REQUIRE(w3);
    CHECK_FALSE(w3->ztunnel.has_value());
    CHECK(w3->stale.empty());
    CHECK(w3->unknown_pods == 1);
  }

  TEST_CASE("a ztunnel still not Ready flags the pods started since its restart") {
    auto f = reboot_facts();
    auto& z = f.ztunnel_pods.items[0];
    z.ready = false;
    z.ready_since.reset();
    z.not_ready_since = at("2026-11-20T11:45:03Z");
    auto t = checks::build_timeline(f);
    const auto* w1 = node(t, "worker-1");
    REQUIRE(w1);
    CHECK_FALSE(w1->ztunnel->ready);
    CHECK_FALSE(w1->ztunnel->ready_since.has_value());
    CHECK(w1->ztunnel->not_ready_since == at("2026-11-20T11:45:03Z"));
    REQUIRE(w1->stale.size() == 3);
    CHECK(w1->stale[2].timing == checks::StartTiming::not_ready);
  }

  TEST_CASE("the newest agent pod of a node stands for it") {
    auto f = reboot_facts();
    f.ztunnel_pods.items.push_back(agent_pod("ztunnel", "ztunnel-new", "worker-2",
                                         "2026-11-20T12:00:00Z", nullptr));
    auto t = checks::build_timeline(f);
    CHECK(node(t, "worker-2")->ztunnel->name == "ztunnel-new");
  }

  TEST_CASE("without collected pods only the agents are drawn") {
    auto f = reboot_facts();
    f.pods.source.state = probe::Obtained::forbidden;
    auto t = checks::build_timeline(f);
    CHECK(t.size() == 2);
    for (const auto& r : t) {
      CHECK(r.stale.empty());
      CHECK(r.other_pods == 0);
    }
  }

  TEST_CASE("missing times stay unknown rather than invented") {
    auto f = reboot_facts();
    auto& z = f.ztunnel_pods.items[1];
    z.created.reset();
    z.start_time.reset();
    z.ready_since.reset();
    auto t = checks::build_timeline(f);
    const auto* w2 = node(t, "worker-2");
    REQUIRE(w2->ztunnel);
    CHECK_FALSE(w2->ztunnel->started.has_value());
    CHECK_FALSE(w2->ztunnel->ready_since.has_value());
  }

  TEST_CASE("no facts, no nodes") { CHECK(checks::build_timeline(probe::Facts{}).empty()); }

  TEST_CASE("diagnose fills the diagnosis' timeline") {
    auto d = checks::diagnose(reboot_facts(), {}, {});
    REQUIRE(d.timeline.size() == 3);
    CHECK(d.timeline[0].stale.size() == 2);
  }
}
