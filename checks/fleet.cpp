// Fleet checks (MD901): consistency across the clusters of one run. In a cluster's own diagnosis
// MD901 has nothing to compare; `check --context a --context b` (or several --bundle) compares
// the clusters' Facts through channel_consistency.
#include "checks/fleet.hpp"

#include <algorithm>
#include <map>

#include "checks/check_util.hpp"

namespace meshdoctor::checks {

namespace {

constexpr const char* k_id = "MD901";
constexpr const char* k_single = "single cluster: nothing to compare";
constexpr const char* k_olm_api = "operators.coreos.com/v1alpha1";

Finding run_channel_consistency(const probe::Facts&, const CheckContext&) {
  return make_finding(k_id, Status::skipped, k_single);
}

// "stable-3.2", or what an unset spec.channel means.
std::string channel_label(const std::string& channel) {
  return channel.empty() ? "the default channel (spec.channel not set)" : channel;
}

std::string csv_label(const std::string& csv) { return csv.empty() ? "no CSV" : csv; }

// "stable-3.2 (servicemeshoperator3.v3.2.1)"
std::string track_label(const OperatorTrack& t) {
  return channel_label(t.channel) + " (" + csv_label(t.csv) + ")";
}

struct Member {
  const ClusterFacts* cluster;
  OperatorTrack track;
};

std::vector<Member> members_of(const std::vector<ClusterFacts>& clusters) {
  std::vector<Member> out;
  for (const auto& c : clusters) {
    OperatorTrack t;
    if (c.facts) {
      t = operator_track(*c.facts);
    } else {
      t.reason = "cluster could not be read" + (c.error.empty() ? "" : ": " + c.error);
    }
    out.push_back({&c, std::move(t)});
  }
  return out;
}

// The track most clusters share; a tie goes to the one seen first (the cluster listed first).
OperatorTrack majority(const std::vector<Member>& members) {
  std::map<std::pair<std::string, std::string>, int> count;
  for (const auto& m : members) {
    if (m.track.known) ++count[{m.track.channel, m.track.csv}];
  }
  const OperatorTrack* best = nullptr;
  int best_count = 0;
  for (const auto& m : members) {
    if (!m.track.known) continue;
    const int n = count[{m.track.channel, m.track.csv}];
    if (n > best_count) {
      best = &m.track;
      best_count = n;
    }
  }
  return best ? *best : OperatorTrack{};
}

bool same_track(const OperatorTrack& a, const OperatorTrack& b) {
  return a.channel == b.channel && a.csv == b.csv;
}

Evidence cluster_evidence(const Member& m) {
  Evidence e;
  e.source = "cluster " + m.cluster->name;
  if (!m.track.known) {
    e.detail = "not compared: " + m.track.reason;
    return e;
  }
  e.source += ": " + m.track.source;
  const auto channel = m.track.channel.empty() ? std::nullopt : std::optional<std::string>(m.track.channel);
  e.detail = field_value("spec.channel", channel) + ", " +
             (m.track.csv.empty() ? "no installedCSV or currentCSV" : "CSV " + m.track.csv);
  return e;
}

// "oc --context west" live; a bundle's cluster has no context to name, only a comment.
std::string oc_for(const ClusterFacts& c, const std::string& args) {
  const bool live = c.facts && c.facts->source.kind == "live";
  return live ? "oc --context " + c.name + " " + args : "oc " + args + "   # on cluster " + c.name;
}

std::string patch_channel(const Member& m, const std::string& channel) {
  const std::string value = channel.empty() ? "null" : "\"" + channel + "\"";
  return oc_for(*m.cluster, "patch subscription " + m.track.name + " -n " + m.track.ns +
                                " --type merge -p '{\"spec\":{\"channel\":" + value + "}}'");
}

// Same channel, another CSV: that cluster's update is pending or stuck.
std::string review_update(const Member& m, const std::string& csv) {
  return oc_for(*m.cluster, "get installplan -n " + m.track.ns) + "   # " + m.cluster->name +
         " runs " + csv_label(m.track.csv) + ", not " + csv_label(csv) +
         ": approve or unblock its pending InstallPlan";
}

Finding differ(const std::vector<Member>& members) {
  const OperatorTrack expected = majority(members);
  std::vector<std::string> odd, fixes, agree;
  for (const auto& m : members) {
    if (!m.track.known) continue;
    if (same_track(m.track, expected)) {
      agree.push_back(m.cluster->name);
      continue;
    }
    odd.push_back(m.cluster->name + " on " + track_label(m.track));
    fixes.push_back(m.track.channel != expected.channel ? patch_channel(m, expected.channel)
                                                        : review_update(m, expected.csv));
  }
  Finding f = make_finding(k_id, Status::fail,
                           "the OSSM 3 operator differs across clusters: " + join(odd, "; ") +
                               " while " + join(agree, ", ") +
                               (agree.size() == 1 ? " is on " : " are on ") +
                               track_label(expected));
  for (const auto& m : members) f.evidence.push_back(cluster_evidence(m));
  f.fix = join(fixes, "\n");
  return f;
}

}  // namespace

OperatorTrack operator_track(const probe::Facts& facts) {
  OperatorTrack t;
  const auto& section = facts.subscriptions.source;
  if (!section.ok()) {
    t.reason = std::string("OLM Subscriptions ") + probe::to_string(section.state) +
               (section.detail.empty() ? "" : ": " + section.detail);
    return t;
  }
  const auto* sub = find_ossm_subscription(facts);
  if (!sub) {
    t.reason = "no Subscription for package servicemeshoperator3 (see this cluster's MD101)";
    return t;
  }
  t.known = true;
  t.channel = sub->channel;
  t.csv = sub->installed_csv.empty() ? sub->current_csv : sub->installed_csv;
  t.ns = sub->ns;
  t.name = sub->name;
  t.source = std::string(k_olm_api) + " Subscription " + sub->ns + "/" + sub->name;
  return t;
}

Finding channel_consistency(const std::vector<ClusterFacts>& clusters) {
  if (clusters.size() < 2) return make_finding(k_id, Status::skipped, k_single);
  auto members = members_of(clusters);
  std::vector<const Member*> known, missing;
  for (const auto& m : members) (m.track.known ? known : missing).push_back(&m);
  const bool differs = std::any_of(known.begin(), known.end(), [&](const Member* m) {
    return !same_track(m->track, known.front()->track);
  });
  // A difference between two clusters that were read is a verdict, whatever the others say.
  if (differs) return differ(members);
  if (!missing.empty() || known.size() < 2) {
    std::vector<std::string> names;
    for (const auto* m : missing) names.push_back(m->cluster->name);
    Finding f = make_finding(k_id, Status::unknown,
                             "cannot compare the OSSM 3 operator of " + join(names, ", ") + ": " +
                                 missing.front()->track.reason);
    for (const auto& m : members) f.evidence.push_back(cluster_evidence(m));
    return f;
  }
  Finding f = make_finding(k_id, Status::pass,
                           (members.size() == 2 ? std::string("both clusters")
                                                : "all " + std::to_string(members.size()) + " clusters") +
                               " are on " +
                               track_label(known.front()->track));
  for (const auto& m : members) f.evidence.push_back(cluster_evidence(m));
  return f;
}

std::vector<Finding> diagnose_fleet(const std::vector<ClusterFacts>& clusters, const Selection& sel) {
  auto listed = [](const std::vector<std::string>& ids) {
    return std::find(ids.begin(), ids.end(), k_id) != ids.end();
  };
  if (!sel.only.empty() && !listed(sel.only)) {
    return {make_finding(k_id, Status::skipped, "not selected (--only)")};
  }
  if (listed(sel.skip)) return {make_finding(k_id, Status::skipped, "skipped (--skip)")};
  return {channel_consistency(clusters)};
}

void defer_to_fleet(Diagnosis& d) {
  for (auto& f : d.findings) {
    if (f.id == k_id && f.status == Status::skipped && f.message == k_single) {
      f.message = "compared across the clusters of this run: see the fleet findings";
    }
  }
}

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
