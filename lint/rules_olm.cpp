// Operator channel rules: ML014 the servicemeshoperator3 Subscription is on a channel with ambient
// support; ML015 hub and spokes use one channel. Channels come from rendered Subscription objects
// and from Validated Patterns value files (values-hub.yaml, values-<spoke>.yaml:
// clusterGroup.subscriptions.<key>.{name,namespace,channel,source}).
#include <algorithm>
#include <filesystem>
#include <map>

#include "lint/rule_util.hpp"

namespace meshdoctor::lint {

using checks::Finding;
using checks::Status;

namespace {

// OLM subscribes to the package's default channel when a Subscription names none.
constexpr const char* k_default_channel = "stable";

// One place that chooses the servicemeshoperator3 channel.
struct ChannelChoice {
  const Document* doc = nullptr;
  std::string label;    // "Subscription openshift-operators/servicemeshoperator3"
  std::string channel;  // empty: not set (the package default)
  int line = 0;
  bool hub = false;

  std::string effective() const { return channel.empty() ? k_default_channel : channel; }
  std::string shown() const {
    return channel.empty() ? std::string("no channel (package default ") + k_default_channel + ")"
                           : "channel " + channel;
  }
  checks::Evidence at(const std::string& what) const { return hit(*doc, line, label, what); }
  std::string where() const { return doc->file + ":" + std::to_string(line); }
};

void rendered_choices(const ManifestSet& set, std::vector<ChannelChoice>& out) {
  for (const auto& o : set.objects("Subscription", "operators.coreos.com")) {
    if (text_at(o.root(), {"spec", "name"}) != k_ossm_package) continue;
    out.push_back({o.doc, o.label(), text_at(o.root(), {"spec", "channel"}).value_or(""),
                   nearest_line(o.root(), {"spec", "channel"}), false});
  }
}

// "values-hub.yaml" → "hub"; clusterGroup.name wins when set.
std::string group_name(const Document& d) {
  if (auto name = text_at(d.root, {"clusterGroup", "name"}); name && !name->empty()) return *name;
  std::string stem = std::filesystem::path(d.file).stem().string();
  return stem.starts_with("values-") ? stem.substr(7) : stem;
}

void values_choices(const ManifestSet& set, std::vector<ChannelChoice>& out) {
  for (const auto& d : set.values_files) {
    const Node* subs = find(d.root, {"clusterGroup", "subscriptions"});
    if (!subs || !subs->is_mapping()) continue;
    const std::string group = group_name(d);
    const bool hub =
        as_bool(find(d.root, {"clusterGroup", "isHubCluster"})) == true || group == "hub";
    for (const auto& e : subs->entries) {
      const bool named = text_at(e.value, {"name"}) == k_ossm_package ||
                         (e.key == k_ossm_package && !e.value.get("name"));
      if (!named || as_bool(e.value.get("disabled")) == true) continue;
      const Entry* channel = e.value.entry("channel");
      out.push_back({&d, "cluster group " + group + " clusterGroup.subscriptions." + e.key,
                     channel && channel->value.is_scalar() ? channel->value.text : "",
                     channel ? channel->line : e.line, hub});
    }
  }
}

std::vector<ChannelChoice> choices(const ManifestSet& set) {
  std::vector<ChannelChoice> out;
  values_choices(set, out);
  rendered_choices(set, out);
  return out;
}

// The channel the others should match: the hub's, else the most common (ties: the first).
const ChannelChoice& reference(const std::vector<ChannelChoice>& all) {
  for (const auto& c : all) {
    if (c.hub) return c;
  }
  std::map<std::string, int> counts;
  for (const auto& c : all) ++counts[c.effective()];
  const ChannelChoice* best = &all.front();
  for (const auto& c : all) {
    if (counts[c.effective()] > counts[best->effective()]) best = &c;
  }
  return *best;
}

}  // namespace

// ---- ML014 operator-channel --------------------------------------------------------------------

Finding rule_operator_channel(const ManifestSet& set, const LintContext&) {
  const auto all = choices(set);
  if (all.empty())
    return skipped("ML014",
                   std::string("no ") + k_ossm_package + " Subscription or value-file entry");
  Verdict v("ML014");
  for (const auto& c : all) {
    const std::string ch = c.effective();
    if (ch == "candidates") {
      v.problem(
          c.at("channel candidates holds only the OSSM 3.0 Tech Preview (no ztunnel, and "
               "its v1alpha1 CRDs block the upgrade to GA)"));
    } else if (ch == "stable-3.0") {
      v.problem(
          c.at("channel stable-3.0 is OSSM 3.0, which has no ambient support (needs 3.1 or "
               "later; stable-3.2 recommended)"));
    } else {
      v.ok(c.at(c.shown()));
    }
  }
  return v.finish("the OSSM 3 operator channel supports ambient",
                  v.count("servicemeshoperator3 channel(s) without ambient support"));
}

// ---- ML015 channel-consistency -----------------------------------------------------------------

Finding rule_channel_consistency(const ManifestSet& set, const LintContext&) {
  const auto all = choices(set);
  if (all.size() < 2) {
    return skipped("ML015",
                   all.empty()
                       ? std::string("no ") + k_ossm_package + " Subscription or value-file entry"
                       : "only one servicemeshoperator3 channel choice: nothing to compare");
  }
  const ChannelChoice& ref = reference(all);
  Verdict v("ML015");
  for (const auto& c : all) {
    if (c.effective() == ref.effective()) {
      v.ok(c.at(c.shown()));
      continue;
    }
    v.problem(c.at(c.shown() + " differs from " + ref.shown() + " of " + ref.label + " (" +
                   ref.where() + "); hub and spokes would run different OSSM versions"));
  }
  return v.finish(
      "hub and spokes subscribe to servicemeshoperator3 on one channel (" + ref.effective() + ")",
      v.count("servicemeshoperator3 channel choice(s) differ from " + ref.effective()));
}

}  // namespace meshdoctor::lint
