// Fleet checks (MD901): consistency across the clusters of one run. Fleet mode (several
// --context) is a later step; a single-cluster run has nothing to compare.
#include "checks/catalogue.hpp"

namespace meshdoctor::checks {

namespace {

Finding run_channel_consistency(const probe::Facts&, const CheckContext&) {
  return make_finding("MD901", Status::skipped,
                      "single cluster: nothing to compare");
}

}  // namespace

std::vector<CheckInfo> fleet_checks() {
  return {
      {"MD901",
       "channel-consistency",
       "fleet",
       Severity::fail,
       {"MD102"},
       "Every cluster checked in one run has the same OSSM 3 channel and CSV (hub and spokes)",
       "Clusters of one mesh behave differently after an operator update; multi-cluster trust or "
       "APIs break",
       "The servicemeshoperator3 Subscriptions use different channels, or one cluster's update is "
       "stuck",
       "oc patch subscription servicemeshoperator3 -n openshift-operators --type merge "
       "-p '{\"spec\":{\"channel\":\"<channel used by the other clusters>\"}}'",
       "https://docs.redhat.com/en/documentation/red_hat_openshift_service_mesh/3.2/html/updating/"
       "ossm-about-updating-openshift-service-mesh",
       run_channel_consistency}};
}

}  // namespace meshdoctor::checks
