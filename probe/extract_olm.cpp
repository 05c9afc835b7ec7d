// OLM objects (install and upgrade of servicemeshoperator3) and the sailoperator.io CRDs.
#include <nlohmann/json.hpp>

#include "probe/extract_internal.hpp"

namespace meshdoctor::probe {

using nlohmann::json;

const std::string_view k_subscription_fields =
    "spec{name channel source} status{installedCSV currentCSV state conditions[type status reason message lastTransitionTime]}";

bool extract_subscription(Facts& facts, const json& o, const Meta& m, Fields& f) {
  Subscription s;
  s.ns = m.ns;
  s.name = m.name;
  s.package = f.str(o, {"spec", "name"});
  s.channel = f.str(o, {"spec", "channel"});
  s.source = f.str(o, {"spec", "source"});
  s.installed_csv = f.str(o, {"status", "installedCSV"});
  s.current_csv = f.str(o, {"status", "currentCSV"});
  s.state = f.str(o, {"status", "state"});
  s.conditions = f.conditions(o, {"status", "conditions"});
  s.origin = m.origin;
  facts.subscriptions.items.push_back(std::move(s));
  return true;
}

const std::string_view k_install_plan_fields =
    "spec{clusterServiceVersionNames} status{phase message conditions[type status reason message lastTransitionTime]}";

bool extract_install_plan(Facts& facts, const json& o, const Meta& m, Fields& f) {
  InstallPlan p;
  p.ns = m.ns;
  p.name = m.name;
  p.phase = f.str(o, {"status", "phase"});
  p.message = f.str(o, {"status", "message"});
  p.csv_names = f.strings(o, {"spec", "clusterServiceVersionNames"});
  p.conditions = f.conditions(o, {"status", "conditions"});
  p.origin = m.origin;
  facts.install_plans.items.push_back(std::move(p));
  return true;
}

const std::string_view k_csv_fields =
    "spec{version} status{phase reason message}";

// OLM copies every global operator's CSV into each namespace; the copies add nothing but bulk.
bool extract_csv(Facts& facts, const json& o, const Meta& m, Fields& f) {
  if (f.str(o, {"status", "reason"}) == "Copied") return false;
  ClusterServiceVersion c;
  c.ns = m.ns;
  c.name = m.name;
  c.version = f.str(o, {"spec", "version"});
  c.phase = f.str(o, {"status", "phase"});
  c.reason = f.str(o, {"status", "reason"});
  c.message = f.str(o, {"status", "message"});
  c.origin = m.origin;
  facts.csvs.items.push_back(std::move(c));
  return true;
}

const std::string_view k_crd_fields =
    "spec{versions[name]} status{storedVersions}";

bool extract_crd(Facts& facts, const json& o, const Meta& m, Fields& f) {
  if (!m.name.ends_with(".sailoperator.io")) return false;
  CustomResourceDefinition c;
  c.name = m.name;
  for (const json* v : f.objects(o, {"spec", "versions"})) {
    const std::string name = f.str(*v, {"name"});
    if (!name.empty()) c.spec_versions.push_back(name);
  }
  c.stored_versions = f.strings(o, {"status", "storedVersions"});
  c.origin = m.origin;
  facts.sail_crds.items.push_back(std::move(c));
  return true;
}

}  // namespace meshdoctor::probe
