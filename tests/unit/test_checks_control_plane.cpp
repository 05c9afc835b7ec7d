// Control-plane checks MD201–MD203 on hand-built facts.
#include <doctest/doctest.h>

#include "checks/catalogue.hpp"
#include "check_test_support.hpp"

using namespace meshdoctor;
using checks::Status;

using namespace meshdoctor::testsupport;

namespace {

probe::SailCr istio(const std::string& profile, const std::string& ready_status) {
  probe::SailCr cr;
  cr.kind = "Istio";
  cr.api_version = "sailoperator.io/v1";
  cr.name = "default";
  cr.target_namespace = "istio-system";
  cr.profile = profile;
  cr.conditions.push_back({"Ready", ready_status, "", "", {}});
  return cr;
}

probe::SailCr ztunnel(const std::string& ns) {
  probe::SailCr cr;
  cr.kind = "ZTunnel";
  cr.api_version = "sailoperator.io/v1";
  cr.name = "default";
  cr.target_namespace = ns;
  return cr;
}

probe::Facts mesh(probe::SailCr i, const std::string& ztunnel_ns = "ztunnel") {
  probe::Facts f;
  collected(f.istios.source);
  collected(f.ztunnels.source);
  f.istios.items.push_back(std::move(i));
  f.ztunnels.items.push_back(ztunnel(ztunnel_ns));
  return f;
}

void add_istiod_env(probe::Facts& f, const std::string& value) {
  collected(f.istiod.source);
  probe::Deployment d;
  d.ns = "istio-system";
  d.name = "istiod";
  d.env["CA_TRUSTED_NODE_ACCOUNTS"] = value;
  f.istiod.items.push_back(d);
}

}  // namespace

TEST_SUITE("checks::control_plane") {
  TEST_CASE("the control-plane area registers MD201-MD203 with upstreams from the design") {
    CHECK(checks::find_check("MD201")->upstream == std::vector<std::string>{"MD101", "MD103"});
    CHECK(checks::find_check("MD202")->upstream == std::vector<std::string>{"MD201"});
    CHECK(checks::find_check("MD203")->upstream ==
          std::vector<std::string>{"MD301", "MD303", "MD401", "MD402"});
    CHECK(checks::find_check("MD202")->fix.find("\"trustedZtunnelNamespace\":\"ztunnel\"") !=
          std::string::npos);
    for (const char* id : {"MD201", "MD202", "MD203"})
      CHECK(checks::find_check(id)->category == "control-plane");
  }

  TEST_CASE("an ambient Istio that is Ready passes, with an empty reason as in OSSM 3.3") {
    auto f = run("MD201", mesh(istio("ambient", "True")));
    CHECK(f.status == Status::pass);
    CHECK(has_evidence(f, "sailoperator.io/v1 Istio default", "spec.profile is \"ambient\""));
    CHECK(has_evidence(f, "Istio default", "Ready=True"));
  }

  TEST_CASE("openshift-ambient with the 3.4 reason==type style passes") {
    auto i = istio("openshift-ambient", "True");
    i.conditions[0].reason = "Ready";
    CHECK(run("MD201", mesh(i)).status == Status::pass);
  }

  TEST_CASE("spec.values.profile ambient is accepted") {
    auto i = istio("", "True");
    i.values_profile = "ambient";
    auto f = run("MD201", mesh(i));
    CHECK(f.status == Status::pass);
    CHECK(has_evidence(f, "Istio", "spec.values.profile is \"ambient\""));
  }

  TEST_CASE("a sidecar profile fails and the fix patches the profile") {
    auto f = run("MD201", mesh(istio("openshift", "True")));
    CHECK(f.status == Status::fail);
    CHECK(f.message ==
          "Istio/default is not in the ambient profile (spec.profile is \"openshift\")");
    CHECK(f.fix.find(
              "oc patch istio default --type merge -p '{\"spec\":{\"profile\":\"ambient\"}}'") ==
          0);
  }

  TEST_CASE("an Istio that is not Ready fails with the condition text") {
    auto i = istio("ambient", "False");
    i.conditions[0].reason = "IstiodNotReady";
    i.conditions[0].message = "not all istiod pods are ready";
    auto f = run("MD201", mesh(i));
    CHECK(f.status == Status::fail);
    CHECK(
        f.message ==
        "Istio/default is not Ready (Ready=False (IstiodNotReady: not all istiod pods are ready))");
  }

  TEST_CASE("no Istio CR fails; uncollected Istio CRs are unknown") {
    probe::Facts facts;
    collected(facts.istios.source);
    auto f = run("MD201", facts);
    CHECK(f.status == Status::fail);
    CHECK(f.message == "no Istio CR exists");
    facts.istios.source = {probe::Obtained::forbidden, "list istios.sailoperator.io"};
    CHECK(run("MD201", facts).status == Status::unknown);
  }

  TEST_CASE("the Istio named default is preferred over others") {
    auto facts = mesh(istio("ambient", "True"));
    auto other = istio("default", "False");
    other.name = "aaa";
    facts.istios.items.insert(facts.istios.items.begin(), other);
    auto f = run("MD201", facts);
    CHECK(f.status == Status::pass);
    CHECK(has_evidence(f, "sailoperator.io Istio", "2 Istio CRs; checked default"));
  }

  TEST_CASE("pilot.trustedZtunnelNamespace matching the ZTunnel namespace passes") {
    auto i = istio("ambient", "True");
    i.pilot_trusted_ztunnel_namespace = "ztunnel";
    auto f = run("MD202", mesh(i));
    CHECK(f.status == Status::pass);
    CHECK(has_evidence(f, "Istio default",
                       "spec.values.pilot.trustedZtunnelNamespace is \"ztunnel\""));
    CHECK(has_evidence(f, "ZTunnel default", "spec.namespace ztunnel"));
    CHECK(has_evidence(f, "istiod", "not collected"));
  }

  TEST_CASE("a top-level trustedZtunnelNamespace fails as pruned") {
    auto i = istio("ambient", "True");
    i.toplevel_trusted_ztunnel_namespace = "ztunnel";
    auto f = run("MD202", mesh(i));
    CHECK(f.status == Status::fail);
    CHECK(f.message.find("trusts ztunnel in kube-system, but ZTunnel runs in ztunnel") !=
          std::string::npos);
    CHECK(f.message.find("pruned") != std::string::npos);
    CHECK(has_evidence(f, "Istio", "prunes it"));
    CHECK(f.fix.find("{\"pilot\":{\"trustedZtunnelNamespace\":\"ztunnel\"}}") != std::string::npos);
  }

  TEST_CASE("an unset trust fails unless ZTunnel runs in kube-system") {
    auto f = run("MD202", mesh(istio("ambient", "True")));
    CHECK(f.status == Status::fail);
    CHECK(f.message.find("OpenShift profile default kube-system") != std::string::npos);
    CHECK(run("MD202", mesh(istio("ambient", "True"), "kube-system")).status == Status::pass);
  }

  TEST_CASE("istiod CA_TRUSTED_NODE_ACCOUNTS must name <ns>/ztunnel when visible") {
    auto i = istio("ambient", "True");
    i.pilot_trusted_ztunnel_namespace = "ztunnel";
    auto facts = mesh(i);
    add_istiod_env(facts, "ztunnel/ztunnel");
    auto f = run("MD202", facts);
    CHECK(f.status == Status::pass);
    CHECK(has_evidence(f, "Deployment istio-system/istiod",
                       "CA_TRUSTED_NODE_ACCOUNTS=\"ztunnel/ztunnel\""));

    facts.istiod.items[0].env["CA_TRUSTED_NODE_ACCOUNTS"] = "kube-system/ztunnel";
    f = run("MD202", facts);
    CHECK(f.status == Status::fail);
    CHECK(has_evidence(f, "istiod", "(expected \"ztunnel/ztunnel\")"));
  }

  TEST_CASE("MD202 is skipped without an Istio CR and unknown without ZTunnel data") {
    probe::Facts facts;
    collected(facts.istios.source);
    collected(facts.ztunnels.source);
    CHECK(run("MD202", facts).status == Status::skipped);
    auto f = mesh(istio("ambient", "True"));
    f.ztunnels.source = {probe::Obtained::error, "ztunnels.yaml:3: bad indentation"};
    CHECK(run("MD202", f).status == Status::unknown);
  }

  TEST_CASE("DependenciesHealthy=False ZTunnelNotHealthy fails with the operator message") {
    auto i = istio("ambient", "True");
    i.conditions.push_back({"DependenciesHealthy",
                            "False",
                            "ZTunnelNotHealthy",
                            "ZTunnel resource status indicates that the component is not healthy",
                            {}});
    auto f = run("MD203", mesh(i));
    CHECK(f.status == Status::fail);
    CHECK(f.message ==
          "Istio/default DependenciesHealthy=False: ZTunnelNotHealthy (ZTunnel resource status "
          "indicates that the "
          "component is not healthy)");
    CHECK(f.fix.find("MD402") != std::string::npos);
  }

  TEST_CASE("IstioCNINotFound fails and points at MD301") {
    auto i = istio("ambient", "False");
    i.conditions.push_back({"DependenciesHealthy",
                            "False",
                            "IstioCNINotFound",
                            "IstioCNI resource does not exist",
                            {}});
    auto f = run("MD203", mesh(i));
    CHECK(f.status == Status::fail);
    CHECK(f.fix.find("MD301") != std::string::npos);
  }

  TEST_CASE("no DependenciesHealthy (OSSM 3.0) passes only when Istio is Ready") {
    auto f = run("MD203", mesh(istio("ambient", "True")));
    CHECK(f.status == Status::pass);
    CHECK(has_evidence(f, "Istio", "DependenciesHealthy condition not reported"));
    CHECK(run("MD203", mesh(istio("ambient", "False"))).status == Status::unknown);
  }

  TEST_CASE("a True DependenciesHealthy on OSSM 3.1 notes that ztunnel is not covered") {
    auto i = istio("ambient", "True");
    i.conditions.push_back({"DependenciesHealthy", "True", "", "", {}});
    auto facts = mesh(i);
    collected(facts.subscriptions.source);
    probe::Subscription sub;
    sub.ns = "openshift-operators";
    sub.name = "servicemeshoperator3";
    sub.package = "servicemeshoperator3";
    sub.installed_csv = "servicemeshoperator3.v3.1.5";
    facts.subscriptions.items.push_back(sub);
    auto f = run("MD203", facts);
    CHECK(f.status == Status::pass);
    CHECK(has_evidence(f, "servicemeshoperator3.v3.1.5", "checks IstioCNI only"));
  }

  TEST_CASE("DependenciesHealthy=Unknown is unknown and no Istio is skipped") {
    auto i = istio("ambient", "True");
    i.conditions.push_back({"DependenciesHealthy",
                            "Unknown",
                            "DependencyCheckFailed",
                            "failed to get ZTunnel status: x",
                            {}});
    CHECK(run("MD203", mesh(i)).status == Status::unknown);
    probe::Facts facts;
    collected(facts.istios.source);
    auto f = run("MD203", facts);
    CHECK(f.status == Status::skipped);
    CHECK(f.message == "no Istio CR (see MD201)");
  }
}
