// CNI checks MD301–MD305 on hand-built facts, and the MD301 root-cause chain through diagnose().
#include <doctest/doctest.h>

#include "checks/catalogue.hpp"
#include "check_test_support.hpp"

using namespace meshdoctor;
using checks::Status;

using namespace meshdoctor::testsupport;

namespace {

probe::SailCr istiocni(const std::string& profile) {
  probe::SailCr cr;
  cr.kind = "IstioCNI";
  cr.api_version = "sailoperator.io/v1";
  cr.name = "default";
  cr.target_namespace = "istio-cni";
  cr.profile = profile;
  cr.version = "v1.27.5";
  cr.conditions.push_back({"Ready", "True", "", "", {}});
  return cr;
}

probe::Facts with_cni(probe::SailCr cr) {
  probe::Facts f;
  collected(f.istio_cnis.source);
  f.istio_cnis.items.push_back(std::move(cr));
  return f;
}

probe::NodeAgentPod agent(const std::string& name, const std::string& node, bool ready) {
  probe::NodeAgentPod p;
  p.ns = "istio-cni";
  p.name = name;
  p.node = node;
  p.phase = "Running";
  p.ready = ready;
  return p;
}

probe::PodLog cni_log(const std::string& pod, std::optional<bool> ambient, int line) {
  probe::PodLog l;
  l.ns = "istio-cni";
  l.pod = pod;
  l.container = "install-cni";
  collected(l.source);
  l.cni.ambient_enabled = ambient;
  if (ambient) {
    l.cni.ambient_line = probe::LogLine{
        "namespaces/istio-cni/pods/" + pod + "/install-cni/install-cni/logs/current.log", line,
        std::string("AmbientEnabled: ") + (*ambient ? "true" : "false")};
  }
  return l;
}

// Two nodes with istio-cni-node pods and their logs.
probe::Facts with_agents(std::optional<bool> first, std::optional<bool> second) {
  auto f = with_cni(istiocni("ambient"));
  collected(f.cni_pods.source);
  collected(f.cni_logs.source);
  f.cni_pods.items = {agent("istio-cni-node-xk0q", "worker-1", true),
                      agent("istio-cni-node-b2c4", "worker-2", true)};
  f.cni_logs.items = {cni_log("istio-cni-node-xk0q", first, 12),
                      cni_log("istio-cni-node-b2c4", second, 14)};
  return f;
}

}  // namespace

TEST_SUITE("checks::cni") {
  TEST_CASE("the cni area registers MD301-MD305; MD302 is advisory") {
    for (const char* id : {"MD301", "MD302", "MD303", "MD304", "MD305"}) {
      REQUIRE(checks::find_check(id) != nullptr);
      CHECK(checks::find_check(id)->category == "cni");
    }
    CHECK(checks::find_check("MD302")->severity == checks::Severity::warn);
    CHECK(checks::find_check("MD301")->severity == checks::Severity::fail);
    CHECK(checks::find_check("MD305")->upstream == std::vector<std::string>{"MD301", "MD303"});
    CHECK(checks::find_check("MD301")->fix.find(
              "oc rollout status ds/istio-cni-node -n istio-cni") != std::string::npos);
  }

  TEST_CASE("IstioCNI/default in the ambient profile passes") {
    auto f = run("MD301", with_cni(istiocni("ambient")));
    CHECK(f.status == Status::pass);
    CHECK(has_evidence(f, "sailoperator.io/v1 IstioCNI default", "spec.profile is \"ambient\""));
  }

  TEST_CASE("an unset profile fails, quoting the field") {
    auto f = run("MD301", with_cni(istiocni("")));
    CHECK(f.status == Status::fail);
    CHECK(f.message == "IstioCNI/default is not in the ambient profile (spec.profile is not set)");
    CHECK(has_evidence(f, "IstioCNI default", "spec.profile is not set"));
    REQUIRE(f.objects.size() == 1);
    CHECK(f.objects[0].kind == "IstioCNI");
  }

  TEST_CASE("profile default fails and the fix names this cluster's namespaces") {
    auto facts = with_cni(istiocni("default"));
    facts.istio_cnis.items[0].target_namespace = "kube-system";
    collected(facts.ztunnels.source);
    probe::SailCr zt;
    zt.kind = "ZTunnel";
    zt.name = "default";
    zt.target_namespace = "ztunnel-ns";
    facts.ztunnels.items.push_back(zt);
    auto f = run("MD301", facts);
    CHECK(f.status == Status::fail);
    CHECK(has_evidence(f, "IstioCNI", "spec.profile is \"default\""));
    CHECK(f.fix.find("oc rollout status ds/istio-cni-node -n kube-system\n"
                     "oc rollout status ds/ztunnel -n ztunnel-ns") != std::string::npos);
  }

  TEST_CASE("values.cni.ambient.enabled true passes; false overrides the ambient profile") {
    auto cr = istiocni("");
    cr.cni_ambient_enabled = true;
    auto f = run("MD301", with_cni(cr));
    CHECK(f.status == Status::pass);
    CHECK(has_evidence(f, "IstioCNI", "spec.values.cni.ambient.enabled is true"));

    cr = istiocni("ambient");
    cr.cni_ambient_enabled = false;
    f = run("MD301", with_cni(cr));
    CHECK(f.status == Status::fail);
    CHECK(f.message.find("spec.values.cni.ambient.enabled is false") != std::string::npos);
  }

  TEST_CASE("a missing IstioCNI fails; an uncollected one is unknown") {
    probe::Facts facts;
    collected(facts.istio_cnis.source);
    auto f = run("MD301", facts);
    CHECK(f.status == Status::fail);
    CHECK(f.message == "IstioCNI/default does not exist");
    CHECK(f.fix.find("profile: ambient") != std::string::npos);
    facts.istio_cnis.source = {probe::Obtained::forbidden, "list istiocnis.sailoperator.io"};
    CHECK(run("MD301", facts).status == Status::unknown);
  }

  TEST_CASE("reconcileIptablesOnStartup true passes and mentions it does not repair earlier pods") {
    auto cr = istiocni("ambient");
    cr.reconcile_iptables_on_startup = true;
    auto f = run("MD302", with_cni(cr));
    CHECK(f.status == Status::pass);
    CHECK(f.message.find("does not repair pods that started before ztunnel was ready") !=
          std::string::npos);
  }

  TEST_CASE("reconcileIptablesOnStartup unset on 1.27 warns through diagnose") {
    auto facts = with_cni(istiocni("ambient"));
    auto f = run("MD302", facts);
    CHECK(f.status == Status::fail);  // the engine turns it into warn
    CHECK(has_evidence(f, "IstioCNI", "default is false in Istio ≤1.28"));
    auto d = checks::diagnose(facts, {}, {{"MD302"}, {}});
    REQUIRE(d.find("MD302") != nullptr);
    CHECK(d.find("MD302")->status == Status::warn);
  }

  TEST_CASE("reconcileIptablesOnStartup unset from 1.29 passes as the chart default") {
    auto cr = istiocni("ambient");
    cr.version = "v1.29.2";
    auto f = run("MD302", with_cni(cr));
    CHECK(f.status == Status::pass);
    CHECK(has_evidence(f, "IstioCNI", "defaults to true from 1.29"));
  }

  TEST_CASE("MD302 is skipped without IstioCNI/default") {
    probe::Facts facts;
    collected(facts.istio_cnis.source);
    CHECK(run("MD302", facts).status == Status::skipped);
  }

  TEST_CASE("a fully ready istio-cni-node DaemonSet with IstioCNI Ready passes") {
    auto facts = with_cni(istiocni("ambient"));
    collected(facts.daemonsets.source);
    facts.daemonsets.items = {daemonset("istio-cni", "istio-cni-node", 3, 3),
                              daemonset("ztunnel", "ztunnel", 3, 0)};
    auto f = run("MD303", facts);
    CHECK(f.status == Status::pass);
    CHECK(has_evidence(f, "DaemonSet istio-cni/istio-cni-node", "3/3 ready"));
    CHECK(has_evidence(f, "IstioCNI default", "Ready=True"));
  }

  TEST_CASE("2/3 ready fails with the not-ready pods and the Ready condition") {
    auto cr = istiocni("ambient");
    cr.conditions[0] = {
        "Ready", "False", "DaemonSetNotReady", "not all istio-cni-node pods are ready", {}};
    auto facts = with_cni(cr);
    collected(facts.daemonsets.source);
    collected(facts.cni_pods.source);
    facts.daemonsets.items = {daemonset("istio-cni", "istio-cni-node", 3, 2)};
    auto bad = agent("istio-cni-node-zz9", "worker-3", false);
    bad.waiting_reason = "CrashLoopBackOff";
    bad.restarts = 7;
    facts.cni_pods.items = {agent("istio-cni-node-a", "worker-1", true), bad};
    auto f = run("MD303", facts);
    CHECK(f.status == Status::fail);
    CHECK(f.message.find("2/3 ready") != std::string::npos);
    CHECK(has_evidence(f, "IstioCNI default",
                       "Ready=False (DaemonSetNotReady: not all istio-cni-node pods are ready)"));
    CHECK(has_evidence(f, "Pod istio-cni/istio-cni-node-zz9",
                       "node worker-3: not ready, CrashLoopBackOff, 7 restarts"));
    REQUIRE(f.objects.size() == 1);
    CHECK(f.objects[0].name == "istio-cni-node-zz9");
  }

  TEST_CASE(
      "a missing istio-cni-node DaemonSet fails; no IstioCNI skips; no DaemonSets is unknown") {
    auto facts = with_cni(istiocni("ambient"));
    collected(facts.daemonsets.source);
    auto f = run("MD303", facts);
    CHECK(f.status == Status::fail);
    CHECK(f.message.find("istio-cni-node DaemonSet not found in istio-cni") != std::string::npos);

    facts.daemonsets.source = {probe::Obtained::not_found,
                               "namespaces/istio-cni/apps/daemonsets.yaml absent"};
    CHECK(run("MD303", facts).status == Status::unknown);

    facts.istio_cnis.items.clear();
    CHECK(run("MD303", facts).status == Status::skipped);
  }

  TEST_CASE("a DaemonSet read from a partly unreadable section is still judged, with a note") {
    auto facts = with_cni(istiocni("ambient"));
    facts.daemonsets.source = {probe::Obtained::error,
                               "namespaces/ztunnel/apps/daemonsets.yaml:4:1: bad YAML"};
    facts.daemonsets.items = {daemonset("istio-cni", "istio-cni-node", 3, 3)};
    auto f = run("MD303", facts);
    CHECK(f.status == Status::pass);
    CHECK(has_evidence(f, "DaemonSets", "partly unreadable"));
    CHECK(has_evidence(f, "DaemonSets", "ztunnel/apps/daemonsets.yaml:4:1"));
  }

  TEST_CASE("every agent logging AmbientEnabled: true passes") {
    auto f = run("MD304", with_agents(true, true));
    CHECK(f.status == Status::pass);
    CHECK(f.message == "all 2 istio-cni-node pods report AmbientEnabled: true");
    CHECK(has_evidence(f, "istio-cni/istio-cni-node-xk0q log (current.log:12)",
                       "AmbientEnabled: true"));
  }

  TEST_CASE("one agent logging AmbientEnabled: false fails with pod, file:line and the line") {
    auto f = run("MD304", with_agents(false, true));
    CHECK(f.status == Status::fail);
    CHECK(f.message.find("on 1 of 2 nodes (worker-1)") != std::string::npos);
    CHECK(has_evidence(f, "istio-cni/istio-cni-node-xk0q log (current.log:12)",
                       "AmbientEnabled: false"));
    REQUIRE(f.objects.size() == 1);
    CHECK(f.objects[0].name == "istio-cni-node-xk0q");
    CHECK(f.fix.find("\"profile\":\"ambient\"") != std::string::npos);
  }

  TEST_CASE("a rotated log without the line is unknown, but a false elsewhere still fails") {
    auto f = run("MD304", with_agents(std::nullopt, true));
    CHECK(f.status == Status::unknown);
    CHECK(has_evidence(f, "istio-cni-node-xk0q", "no \"AmbientEnabled:\" line"));
    CHECK(run("MD304", with_agents(std::nullopt, false)).status == Status::fail);
  }

  TEST_CASE("an agent whose log was not collected is unknown") {
    auto facts = with_agents(true, true);
    facts.cni_logs.items.pop_back();
    auto f = run("MD304", facts);
    CHECK(f.status == Status::unknown);
    CHECK(has_evidence(f, "istio-cni/istio-cni-node-b2c4 log", "current log not collected"));
  }

  TEST_CASE("MD304 is unknown without agents or without logs") {
    probe::Facts facts;
    collected(facts.cni_logs.source);
    collected(facts.cni_pods.source);
    CHECK(run("MD304", facts).status == Status::unknown);
    facts.cni_logs.source = {probe::Obtained::forbidden, "get pods/log in istio-cni"};
    CHECK(run("MD304", facts).status == Status::unknown);
  }

  TEST_CASE("the ZDS socket check is skipped off-node and judged on a node") {
    probe::Facts facts;
    auto f = run("MD305", facts);
    CHECK(f.status == Status::skipped);
    CHECK(f.message == "not on a node (use --node-local)");
    facts.node_local = true;
    collected(facts.socket);
    facts.socket_state = probe::SocketState::accepted;
    CHECK(run("MD305", facts).status == Status::pass);
    facts.socket = {probe::Obtained::collected, "connect: Connection refused"};
    facts.socket_state = probe::SocketState::refused;
    f = run("MD305", facts);
    CHECK(f.status == Status::fail);
    CHECK(f.message.find("agent on this node is dead") != std::string::npos);
    CHECK(has_evidence(f, "/var/run/ztunnel/ztunnel.sock", "refused: connect: Connection refused"));
  }

  TEST_CASE("MD305 fails for an absent socket or another file type") {
    probe::Facts facts;
    facts.node_local = true;
    facts.socket_path = "/run/zds.sock";
    facts.socket = {probe::Obtained::collected, "stat: No such file or directory"};
    facts.socket_state = probe::SocketState::absent;
    auto f = run("MD305", facts);
    CHECK(f.status == Status::fail);
    CHECK(f.message ==
          "no ZDS socket at /run/zds.sock: istio-cni is not in ambient mode or not running on "
          "this node");
    facts.socket = {probe::Obtained::collected, "a directory"};
    facts.socket_state = probe::SocketState::not_socket;
    f = run("MD305", facts);
    CHECK(f.status == Status::fail);
    CHECK(has_evidence(f, "node socket /run/zds.sock", "not-a-socket: a directory"));
  }

  TEST_CASE("MD305 is unknown when the probe failed or never ran") {
    probe::Facts facts;
    facts.node_local = true;
    facts.socket = {probe::Obtained::forbidden, "connect: Permission denied"};
    facts.socket_state = probe::SocketState::error;
    auto f = run("MD305", facts);
    CHECK(f.status == Status::unknown);
    CHECK(f.message ==
          "the ZDS socket /var/run/ztunnel/ztunnel.sock could not be probed: connect: Permission "
          "denied");
    collected(facts.socket);
    facts.socket_state = probe::SocketState::unprobed;
    CHECK(run("MD305", facts).status == Status::unknown);
  }

  TEST_CASE("a CNI without the ambient profile is the root cause of the ztunnel failures") {
    auto facts = with_agents(false, false);
    facts.istio_cnis.items[0].profile = "";
    collected(facts.daemonsets.source);
    collected(facts.ztunnels.source);
    collected(facts.ztunnel_logs.source);
    probe::SailCr zt;
    zt.kind = "ZTunnel";
    zt.name = "default";
    zt.target_namespace = "ztunnel";
    facts.ztunnels.items.push_back(zt);
    facts.daemonsets.items = {daemonset("istio-cni", "istio-cni-node", 2, 2),
                              daemonset("ztunnel", "ztunnel", 2, 0)};
    probe::PodLog zl;
    zl.ns = "ztunnel";
    zl.pod = "ztunnel-abc";
    zl.node = "worker-1";
    collected(zl.source);
    zl.ztunnel.zds_failures = 40;
    zl.ztunnel.last_zds_kind = probe::ZdsErrorKind::not_found;
    facts.ztunnel_logs.items.push_back(zl);
    auto d = checks::diagnose(facts, {}, {{"MD301", "MD304", "MD403", "MD402"}, {}});
    CHECK(d.find("MD301")->status == Status::fail);
    CHECK(d.find("MD402")->explained_by == std::vector<std::string>{"MD403"});
    CHECK(d.find("MD403")->explained_by == std::vector<std::string>{"MD301", "MD304"});
    CHECK(d.root_causes == std::vector<std::string>{"MD301"});
  }
}
