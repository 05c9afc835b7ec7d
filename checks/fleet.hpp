#pragma once
// Fleet checks (MD901): what can only be judged across the clusters of one run (a hub and its
// spokes). Each cluster is diagnosed on its own first; these functions then compare their Facts.
// Pure, like every check: no I/O, no clock.
#include <string>
#include <vector>

#include "checks/catalogue.hpp"

namespace meshdoctor::checks {

// One cluster of a fleet run. `facts` is null when the cluster could not be read at all (then
// `error` says why: unreachable, authentication failed, bundle unreadable).
struct ClusterFacts {
  std::string name;  // the kubeconfig context, or a name derived from the bundle's directory
  const probe::Facts* facts = nullptr;
  std::string error;
};

// The OSSM 3 operator track of one cluster: the servicemeshoperator3 Subscription's spec.channel
// and its installed CSV (status.installedCSV, else status.currentCSV). `known` is false when the
// Subscription could not be read or does not exist; `reason` then says why.
struct OperatorTrack {
  bool known = false;
  std::string channel;  // "" = spec.channel not set (OLM's default channel)
  std::string csv;      // "" = neither installedCSV nor currentCSV is set
  std::string reason;
  std::string ns, name;  // the Subscription
  std::string source;    // "operators.coreos.com/v1alpha1 Subscription openshift-operators/..."
};
OperatorTrack operator_track(const probe::Facts& facts);

// MD901 channel-consistency over the clusters of one run, in the order given (ties for the
// majority channel go to the cluster listed first, usually the hub):
//   fail     two clusters with data differ in channel or CSV; evidence names each cluster's
//            channel and CSV, the fix moves the odd clusters to the majority channel;
//   unknown  some cluster's Subscription is missing, unreadable or forbidden (the reason named),
//            or fewer than two clusters have data;
//   pass     every cluster has the same channel and CSV (evidence lists them);
//   skipped  a single cluster: nothing to compare.
Finding channel_consistency(const std::vector<ClusterFacts>& clusters);

// The fleet findings of a run, in catalogue order; a check left out by --only/--skip is
// reported skipped, as in a cluster's diagnosis.
std::vector<Finding> diagnose_fleet(const std::vector<ClusterFacts>& clusters, const Selection& sel);

// In a fleet run each cluster's own MD901 (skipped: a single cluster) points at the fleet finding.
void defer_to_fleet(Diagnosis& cluster_diagnosis);

}  // namespace meshdoctor::checks
