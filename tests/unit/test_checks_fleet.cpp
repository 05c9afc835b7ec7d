// Fleet check MD901 channel-consistency: the OSSM 3 operator's channel and CSV compared across
// the clusters of one run, on hand-built facts.
#include <doctest/doctest.h>

#include "check_test_support.hpp"
#include "checks/fleet.hpp"

using namespace meshdoctor;
using checks::Status;
using namespace meshdoctor::testsupport;

namespace {

probe::Facts cluster(const std::string& channel, const std::string& csv, const std::string& kind = "live") {
  probe::Facts f;
  f.source.kind = kind;
  collected(f.subscriptions.source);
  probe::Subscription kiali;
  kiali.ns = "openshift-operators";
  kiali.name = "kiali-ossm";
  kiali.package = "kiali-ossm";
  kiali.channel = "stable";
  kiali.installed_csv = "kiali-operator.v2.17.1";
  f.subscriptions.items.push_back(kiali);
  probe::Subscription sub;
  sub.ns = "openshift-operators";
  sub.name = "servicemeshoperator3";
  sub.package = "servicemeshoperator3";
  sub.channel = channel;
  sub.installed_csv = csv;
  sub.current_csv = csv;
  f.subscriptions.items.push_back(sub);
  return f;
}

std::vector<checks::ClusterFacts> fleet(const std::vector<std::pair<std::string, const probe::Facts*>>& members) {
  std::vector<checks::ClusterFacts> out;
  for (const auto& [name, facts] : members) out.push_back({name, facts, facts ? "" : "connection refused"});
  return out;
}

const char* k_v321 = "servicemeshoperator3.v3.2.1";
const char* k_v314 = "servicemeshoperator3.v3.1.4";

}  // namespace

TEST_SUITE("checks::fleet") {
  TEST_CASE("the same channel and CSV everywhere passes, listing every cluster") {
    auto hub = cluster("stable-3.2", k_v321), east = cluster("stable-3.2", k_v321), west = cluster("stable-3.2", k_v321);
    auto f = checks::channel_consistency(fleet({{"hub", &hub}, {"east", &east}, {"west", &west}}));
    CHECK(f.status == Status::pass);
    CHECK(f.message == "all 3 clusters are on stable-3.2 (servicemeshoperator3.v3.2.1)");
    REQUIRE(f.evidence.size() == 3);
    for (const char* name : {"hub", "east", "west"}) {
      CHECK(has_evidence(f, std::string("cluster ") + name + ": operators.coreos.com/v1alpha1 Subscription "
                                                             "openshift-operators/servicemeshoperator3",
                         "CSV servicemeshoperator3.v3.2.1"));
    }
  }

  TEST_CASE("a cluster on another channel fails, naming it and patching it to the majority channel") {
    auto hub = cluster("stable-3.2", k_v321), east = cluster("stable-3.2", k_v321), west = cluster("stable-3.1", k_v314);
    auto f = checks::channel_consistency(fleet({{"hub", &hub}, {"east", &east}, {"west", &west}}));
    CHECK(f.status == Status::fail);
    CHECK(f.message ==
          "the OSSM 3 operator differs across clusters: west on stable-3.1 (servicemeshoperator3.v3.1.4) "
          "while hub, east are on stable-3.2 (servicemeshoperator3.v3.2.1)");
    CHECK(has_evidence(f, "cluster west", "spec.channel is \"stable-3.1\", CSV servicemeshoperator3.v3.1.4"));
    CHECK(has_evidence(f, "cluster hub", "spec.channel is \"stable-3.2\""));
    CHECK(f.fix ==
          "oc --context west patch subscription servicemeshoperator3 -n openshift-operators --type merge "
          "-p '{\"spec\":{\"channel\":\"stable-3.2\"}}'");
  }

  TEST_CASE("the same channel with another CSV fails as a pending update, not as a channel change") {
    auto hub = cluster("stable-3.2", k_v321), east = cluster("stable-3.2", "servicemeshoperator3.v3.2.0");
    auto f = checks::channel_consistency(fleet({{"hub", &hub}, {"east", &east}}));
    CHECK(f.status == Status::fail);
    CHECK(f.fix.find("oc --context east get installplan -n openshift-operators") == 0);
    CHECK(f.fix.find("east runs servicemeshoperator3.v3.2.0, not servicemeshoperator3.v3.2.1") != std::string::npos);
    CHECK(f.fix.find("patch") == std::string::npos);
  }

  TEST_CASE("a two-cluster tie goes to the cluster listed first") {
    auto hub = cluster("stable-3.1", k_v314), spoke = cluster("stable-3.2", k_v321);
    auto f = checks::channel_consistency(fleet({{"hub", &hub}, {"spoke", &spoke}}));
    CHECK(f.status == Status::fail);
    CHECK(f.fix.find("oc --context spoke patch") == 0);
    CHECK(f.fix.find("\"channel\":\"stable-3.1\"") != std::string::npos);
  }

  TEST_CASE("bundles have no context: the fix names the cluster in a comment") {
    auto a = cluster("stable-3.2", k_v321, "bundle"), b = cluster("stable-3.2", k_v321, "bundle"),
         c = cluster("stable", k_v321, "bundle");
    auto f = checks::channel_consistency(fleet({{"a", &a}, {"b", &b}, {"c", &c}}));
    CHECK(f.status == Status::fail);
    CHECK(f.fix.find("oc patch subscription servicemeshoperator3 -n openshift-operators") == 0);
    CHECK(f.fix.find("# on cluster c") != std::string::npos);
  }

  TEST_CASE("an unset channel is compared as such and patched back with null") {
    auto hub = cluster("", k_v321), east = cluster("", k_v321), west = cluster("stable-3.2", k_v321);
    auto f = checks::channel_consistency(fleet({{"hub", &hub}, {"east", &east}, {"west", &west}}));
    CHECK(f.status == Status::fail);
    CHECK(has_evidence(f, "cluster hub", "spec.channel is not set"));
    CHECK(f.fix.find("{\"spec\":{\"channel\":null}}") != std::string::npos);
  }

  TEST_CASE("forbidden subscriptions on one cluster make MD901 unknown with the reason") {
    auto hub = cluster("stable-3.2", k_v321), east = cluster("stable-3.2", k_v321);
    east.subscriptions.source = {probe::Obtained::forbidden, "list subscriptions.operators.coreos.com"};
    east.subscriptions.items.clear();
    auto f = checks::channel_consistency(fleet({{"hub", &hub}, {"east", &east}}));
    CHECK(f.status == Status::unknown);
    CHECK(f.message.find("cannot compare the OSSM 3 operator of east") == 0);
    CHECK(f.message.find("list subscriptions.operators.coreos.com") != std::string::npos);
    CHECK(has_evidence(f, "cluster east", "not compared: OLM Subscriptions forbidden"));
  }

  TEST_CASE("a cluster without the servicemeshoperator3 Subscription is unknown, not a pass") {
    auto hub = cluster("stable-3.2", k_v321), east = cluster("stable-3.2", k_v321), west = cluster("stable-3.2", k_v321);
    west.subscriptions.items.pop_back();
    auto f = checks::channel_consistency(fleet({{"hub", &hub}, {"east", &east}, {"west", &west}}));
    CHECK(f.status == Status::unknown);
    CHECK(has_evidence(f, "cluster west", "no Subscription for package servicemeshoperator3"));
  }

  TEST_CASE("an unreadable cluster is unknown while the readable ones agree") {
    auto hub = cluster("stable-3.2", k_v321), east = cluster("stable-3.2", k_v321);
    auto f = checks::channel_consistency(fleet({{"hub", &hub}, {"east", &east}, {"west", nullptr}}));
    CHECK(f.status == Status::unknown);
    CHECK(has_evidence(f, "cluster west", "not compared: cluster could not be read: connection refused"));
  }

  TEST_CASE("a difference between readable clusters fails even when another cannot be read") {
    auto hub = cluster("stable-3.2", k_v321), east = cluster("stable-3.1", k_v314);
    auto f = checks::channel_consistency(fleet({{"hub", &hub}, {"east", &east}, {"west", nullptr}}));
    CHECK(f.status == Status::fail);
    CHECK(has_evidence(f, "cluster west", "not compared"));
  }

  TEST_CASE("one cluster with data among two is never a pass") {
    auto hub = cluster("stable-3.2", k_v321);
    auto f = checks::channel_consistency(fleet({{"hub", &hub}, {"west", nullptr}}));
    CHECK(f.status == Status::unknown);
  }

  TEST_CASE("a single cluster has nothing to compare") {
    auto hub = cluster("stable-3.2", k_v321);
    auto f = checks::channel_consistency(fleet({{"hub", &hub}}));
    CHECK(f.status == Status::skipped);
    CHECK(f.message == "single cluster: nothing to compare");
  }

  TEST_CASE("the installed CSV is preferred, the current CSV used when none is installed") {
    auto f = cluster("stable-3.2", "");
    f.subscriptions.items.back().current_csv = "servicemeshoperator3.v3.2.2";
    auto t = checks::operator_track(f);
    CHECK(t.known);
    CHECK(t.csv == "servicemeshoperator3.v3.2.2");
    f.subscriptions.items.back().installed_csv = k_v321;
    CHECK(checks::operator_track(f).csv == k_v321);
  }

  TEST_CASE("--only and --skip leave the fleet finding skipped") {
    auto hub = cluster("stable-3.2", k_v321), west = cluster("stable-3.1", k_v314);
    auto members = fleet({{"hub", &hub}, {"west", &west}});
    CHECK(checks::diagnose_fleet(members, {{}, {"MD901"}}).at(0).status == Status::skipped);
    CHECK(checks::diagnose_fleet(members, {{"MD301"}, {}}).at(0).status == Status::skipped);
    CHECK(checks::diagnose_fleet(members, {{"MD901"}, {}}).at(0).status == Status::fail);
    CHECK(checks::diagnose_fleet(members, {}).at(0).status == Status::fail);
  }

  TEST_CASE("each cluster's own MD901 points at the fleet finding") {
    auto hub = cluster("stable-3.2", k_v321);
    auto d = checks::diagnose(hub, {}, {});
    REQUIRE(d.find("MD901") != nullptr);
    CHECK(d.find("MD901")->message == "single cluster: nothing to compare");
    checks::defer_to_fleet(d);
    CHECK(d.find("MD901")->status == Status::skipped);
    CHECK(d.find("MD901")->message == "compared across the clusters of this run: see the fleet findings");
  }
}
