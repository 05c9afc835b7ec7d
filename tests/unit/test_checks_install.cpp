// Install checks MD101–MD105 on hand-built facts.
#include <doctest/doctest.h>

#include "checks/catalogue.hpp"
#include "check_test_support.hpp"

using namespace meshdoctor;
using checks::Status;

using namespace meshdoctor::testsupport;

namespace {

probe::Facts operator_facts(const std::string& channel,
                            const std::string& csv_name,
                            const std::string& version,
                            const std::string& phase) {
  probe::Facts f;
  collected(f.subscriptions.source);
  collected(f.csvs.source);
  probe::Subscription sub;
  sub.ns = "openshift-operators";
  sub.name = "servicemeshoperator3";
  sub.package = "servicemeshoperator3";
  sub.channel = channel;
  sub.installed_csv = csv_name;
  sub.current_csv = csv_name;
  sub.state = "AtLatestKnown";
  f.subscriptions.items.push_back(sub);
  probe::ClusterServiceVersion csv;
  csv.ns = "openshift-operators";
  csv.name = csv_name;
  csv.version = version;
  csv.phase = phase;
  f.csvs.items.push_back(csv);
  return f;
}

probe::Facts ga_facts() {
  return operator_facts("stable-3.2", "servicemeshoperator3.v3.2.1", "3.2.1", "Succeeded");
}

const std::string k_data_loss =
    "risk of data loss updating \"istios.sailoperator.io\": new CRD removes version v1alpha1 that "
    "is listed as a "
    "stored version on the existing CRD";

probe::CustomResourceDefinition crd(const std::string& name,
                                    std::vector<std::string> stored,
                                    std::vector<std::string> served) {
  probe::CustomResourceDefinition c;
  c.name = name;
  c.stored_versions = std::move(stored);
  c.spec_versions = std::move(served);
  return c;
}

void set_platform(probe::Facts& f, const std::string& ocp) {
  collected(f.cluster_version.source);
  f.cluster_version.value = probe::ClusterVersion{ocp, "stable-4.x", {}};
}

}  // namespace

TEST_SUITE("checks::install") {
  TEST_CASE("the install area registers MD101-MD105 with catalogue fields") {
    for (const char* id : {"MD101", "MD102", "MD103", "MD104", "MD105"}) {
      const auto* info = checks::find_check(id);
      REQUIRE(info != nullptr);
      CHECK(info->category == "install");
      CHECK(!info->title.empty());
      CHECK(!info->fix.empty());
      CHECK(!info->docs.empty());
    }
    CHECK(checks::find_check("MD101")->name == "operator-subscription");
    CHECK(checks::find_check("MD102")->upstream == std::vector<std::string>{"MD101"});
    CHECK(checks::find_check("MD103")->upstream.empty());
    CHECK(checks::find_check("MD105")->fix.find("routingViaHost\":true") != std::string::npos);
  }

  TEST_CASE("a Succeeded installed CSV passes with subscription and CSV evidence") {
    auto f = run("MD101", ga_facts());
    CHECK(f.status == Status::pass);
    CHECK(has_evidence(f, "Subscription openshift-operators/servicemeshoperator3",
                       "servicemeshoperator3.v3.2.1"));
    CHECK(has_evidence(f, "ClusterServiceVersion", "status.phase Succeeded"));
  }

  TEST_CASE("no servicemeshoperator3 subscription fails") {
    auto facts = ga_facts();
    facts.subscriptions.items[0].package = "kiali-ossm";
    auto f = run("MD101", facts);
    CHECK(f.status == Status::fail);
    CHECK(f.message == "no Subscription for package servicemeshoperator3");
  }

  TEST_CASE("subscriptions refused by RBAC make MD101 unknown, naming the permission") {
    probe::Facts facts;
    facts.subscriptions.source = {probe::Obtained::forbidden,
                                  "list subscriptions.operators.coreos.com"};
    auto f = run("MD101", facts);
    CHECK(f.status == Status::unknown);
    CHECK(has_evidence(f, "Subscriptions", "list subscriptions.operators.coreos.com"));
  }

  TEST_CASE("an installed CSV absent from the collected CSVs is unknown, not pass") {
    auto facts = ga_facts();
    facts.csvs.items.clear();
    auto f = run("MD101", facts);
    CHECK(f.status == Status::unknown);
    CHECK(f.message.find("servicemeshoperator3.v3.2.1") != std::string::npos);
  }

  TEST_CASE("a Pending CSV fails with its reason and message") {
    auto facts = ga_facts();
    facts.csvs.items[0].phase = "Pending";
    facts.csvs.items[0].reason = "RequirementsNotMet";
    facts.csvs.items[0].message = "one or more requirements couldn't be found";
    auto f = run("MD101", facts);
    CHECK(f.status == Status::fail);
    CHECK(f.message == "operator CSV servicemeshoperator3.v3.2.1 is in phase Pending");
    CHECK(has_evidence(f, "ClusterServiceVersion", "RequirementsNotMet: one or more requirements"));
  }

  TEST_CASE("a subscription without an installed CSV fails and shows its true conditions") {
    auto facts = ga_facts();
    facts.subscriptions.items[0].installed_csv.clear();
    facts.subscriptions.items[0].state = "UpgradePending";
    facts.subscriptions.items[0].conditions.push_back(
        {"InstallPlanPending", "True", "RequiresApproval", "", {}});
    auto f = run("MD101", facts);
    CHECK(f.status == Status::fail);
    CHECK(f.message.find("has no installed CSV (state UpgradePending)") != std::string::npos);
    CHECK(has_evidence(f, "Subscription", "InstallPlanPending=True (RequiresApproval)"));
  }

  TEST_CASE("channels stable and stable-3.2 pass") {
    CHECK(
        run("MD102", operator_facts("stable", "servicemeshoperator3.v3.3.4", "3.3.4", "Succeeded"))
            .status == Status::pass);
    auto f = run("MD102", ga_facts());
    CHECK(f.status == Status::pass);
    CHECK(has_evidence(f, "Subscription", "spec.channel is \"stable-3.2\""));
  }

  TEST_CASE("channel stable-3.1 passes with a note recommending stable-3.2") {
    auto f = run("MD102",
                 operator_facts("stable-3.1", "servicemeshoperator3.v3.1.5", "3.1.5", "Succeeded"));
    CHECK(f.status == Status::pass);
    CHECK(f.message.find("stable-3.2 is recommended") != std::string::npos);
  }

  TEST_CASE("channel stable-3.0 fails: no ambient before 3.1") {
    auto f = run("MD102",
                 operator_facts("stable-3.0", "servicemeshoperator3.v3.0.8", "3.0.8", "Succeeded"));
    CHECK(f.status == Status::fail);
    CHECK(f.message.find("no ambient/ztunnel support") != std::string::npos);
    CHECK(f.fix.find("\"channel\":\"stable-3.2\"") != std::string::npos);
  }

  TEST_CASE("channel candidates fails as Tech Preview and points at the MD103 procedure") {
    auto f = run("MD102", operator_facts("candidates", "servicemeshoperator3.v3.0.0-tp.2",
                                         "3.0.0-tp.2", "Succeeded"));
    CHECK(f.status == Status::fail);
    CHECK(f.message.find("Tech Preview 3.0.0-tp.x") != std::string::npos);
    CHECK(f.fix.find("MD103") != std::string::npos);
  }

  TEST_CASE("an unrelated channel fails and a missing subscription is unknown") {
    CHECK(run("MD102", operator_facts("fast", "x.v3.2.1", "3.2.1", "Succeeded")).status ==
          Status::fail);
    CHECK(run("MD102", operator_facts("stable-2.6", "x.v3.2.1", "3.2.1", "Succeeded")).status ==
          Status::fail);
    auto facts = ga_facts();
    facts.subscriptions.items.clear();
    CHECK(run("MD102", facts).status == Status::unknown);
  }

  TEST_CASE("an InstallPlan retrying on the data-loss error fails, naming CRD and plan") {
    auto facts =
        operator_facts("stable", "servicemeshoperator3.v3.0.0-tp.2", "3.0.0-tp.2", "Succeeded");
    facts.subscriptions.items[0].current_csv = "servicemeshoperator3.v3.0.0";
    collected(facts.install_plans.source);
    probe::InstallPlan ip;
    ip.ns = "openshift-operators";
    ip.name = "install-7xk2q";
    ip.phase = "Installing";
    ip.message = "retrying execution due to error: " + k_data_loss;
    facts.install_plans.items.push_back(ip);
    auto f = run("MD103", facts);
    CHECK(f.status == Status::fail);
    CHECK(f.message.find("istios.sailoperator.io") != std::string::npos);
    CHECK(has_evidence(f, "InstallPlan openshift-operators/install-7xk2q", "phase Installing"));
    CHECK(f.fix.find("oc delete installplan install-7xk2q -n openshift-operators") !=
          std::string::npos);
    CHECK(f.fix.find("oc delete csv servicemeshoperator3.v3.0.0 -n openshift-operators") !=
          std::string::npos);
    CHECK(f.fix.find("istiorevisiontags.sailoperator.io istiocnis.sailoperator.io") !=
          std::string::npos);
    CHECK(f.fix.find("channel: stable-3.2") != std::string::npos);
  }

  TEST_CASE("a Subscription InstallPlanFailed condition with the old unquoted wording fails") {
    auto facts = ga_facts();
    collected(facts.install_plans.source);
    facts.subscriptions.items[0].conditions.push_back(
        {"InstallPlanFailed",
         "True",
         "InstallComponentFailed",
         "risk of data loss updating istiocnis.sailoperator.io: new CRD removes version v1alpha1 "
         "that is listed as "
         "a stored version on the existing CRD",
         {}});
    auto f = run("MD103", facts);
    CHECK(f.status == Status::fail);
    CHECK(f.message.find("istiocnis.sailoperator.io") != std::string::npos);
    CHECK(has_evidence(f, "Subscription", "InstallPlanFailed=True"));
  }

  TEST_CASE("v1alpha1 stored on a sailoperator CRD under a GA operator fails") {
    auto facts = ga_facts();
    collected(facts.sail_crds.source);
    facts.sail_crds.items.push_back(crd("istiocnis.sailoperator.io", {"v1alpha1"}, {"v1"}));
    auto f = run("MD103", facts);
    CHECK(f.status == Status::fail);
    CHECK(has_evidence(f, "CustomResourceDefinition istiocnis.sailoperator.io",
                       "status.storedVersions [v1alpha1]"));
  }

  TEST_CASE("v1alpha1 stored on ztunnels, or under the Tech Preview operator, passes") {
    auto facts = ga_facts();
    collected(facts.sail_crds.source);
    facts.sail_crds.items.push_back(
        crd("ztunnels.sailoperator.io", {"v1alpha1", "v1"}, {"v1", "v1alpha1"}));
    facts.sail_crds.items.push_back(crd("istios.sailoperator.io", {"v1"}, {"v1"}));
    CHECK(run("MD103", facts).status == Status::pass);

    auto tp =
        operator_facts("candidates", "servicemeshoperator3.v3.0.0-tp.2", "3.0.0-tp.2", "Succeeded");
    collected(tp.sail_crds.source);
    tp.sail_crds.items.push_back(crd("istios.sailoperator.io", {"v1alpha1"}, {"v1alpha1"}));
    auto f = run("MD103", tp);
    CHECK(f.status == Status::pass);
    CHECK(has_evidence(f, "istios.sailoperator.io", "will be blocked"));
  }

  TEST_CASE("MD103 is unknown when neither InstallPlans nor CRDs were collected") {
    auto f = run("MD103", ga_facts());
    CHECK(f.status == Status::unknown);
    CHECK(f.evidence.size() >= 2);
  }

  TEST_CASE("MD103 passes with only InstallPlans collected and says the CRDs were not checked") {
    auto facts = ga_facts();
    collected(facts.install_plans.source);
    auto f = run("MD103", facts);
    CHECK(f.status == Status::pass);
    CHECK(has_evidence(f, "sailoperator.io CRDs", "not checked"));
  }

  TEST_CASE("OSSM 3.2 on OpenShift 4.20 is within range") {
    auto facts = ga_facts();
    set_platform(facts, "4.20.3");
    auto f = run("MD104", facts);
    CHECK(f.status == Status::pass);
    CHECK(has_evidence(f, "ClusterVersion", "version 4.20.3"));
    CHECK(has_evidence(f, "spec.version 3.2.1", "4.18–4.21"));
  }

  TEST_CASE("OSSM 3.2 on OpenShift 4.16 is out of range") {
    auto facts = ga_facts();
    set_platform(facts, "4.16.9");
    CHECK(run("MD104", facts).status == Status::fail);
    set_platform(facts, "4.22.0");
    CHECK(run("MD104", facts).status == Status::fail);
  }

  TEST_CASE("ambient below OpenShift 4.19 warns even inside the OSSM range") {
    auto facts = operator_facts("stable-3.1", "servicemeshoperator3.v3.1.5", "3.1.5", "Succeeded");
    set_platform(facts, "4.18.2");
    CHECK(run("MD104", facts).status == Status::pass);
    collected(facts.istio_cnis.source);
    probe::SailCr cni;
    cni.kind = "IstioCNI";
    cni.name = "default";
    cni.profile = "ambient";
    facts.istio_cnis.items.push_back(cni);
    auto f = run("MD104", facts);
    CHECK(f.status == Status::warn);
    CHECK(f.message.find("4.19+") != std::string::npos);
  }

  TEST_CASE("OSSM 3.3 is checked against an assumed range and says so") {
    auto facts = operator_facts("stable", "servicemeshoperator3.v3.3.4", "3.3.4", "Succeeded");
    set_platform(facts, "4.19.1");
    auto f = run("MD104", facts);
    CHECK(f.status == Status::pass);
    CHECK(has_evidence(f, "CSV", "no published range"));
  }

  TEST_CASE("MD104 is unknown without a cluster version or an operator version") {
    CHECK(run("MD104", ga_facts()).status == Status::unknown);
    probe::Facts facts;
    set_platform(facts, "4.20.1");
    collected(facts.subscriptions.source);
    auto f = run("MD104", facts);
    CHECK(f.status == Status::unknown);
    CHECK(f.message.find("operator version") != std::string::npos);
  }

  TEST_CASE("routingViaHost true passes, unset fails, other network types are skipped") {
    probe::Facts facts;
    collected(facts.network.source);
    facts.network.value = probe::NetworkOperator{"OVNKubernetes", true, {}};
    CHECK(run("MD105", facts).status == Status::pass);

    facts.network.value = probe::NetworkOperator{"OVNKubernetes", std::nullopt, {}};
    auto f = run("MD105", facts);
    CHECK(f.status == Status::fail);
    CHECK(has_evidence(f, "Network cluster", "routingViaHost is not set"));

    facts.network.value = probe::NetworkOperator{"OpenShiftSDN", std::nullopt, {}};
    f = run("MD105", facts);
    CHECK(f.status == Status::skipped);
    CHECK(f.message.find("OpenShiftSDN") != std::string::npos);
  }

  TEST_CASE("MD105 is unknown when the network operator config was not collected") {
    probe::Facts facts;
    facts.network.source = {probe::Obtained::not_found,
                            "cluster-scoped-resources/operator.openshift.io absent"};
    CHECK(run("MD105", facts).status == Status::unknown);
  }
}
