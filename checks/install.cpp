// Install checks (MD101–MD105): the OSSM 3 operator Subscription and its CSV, the channel, the
// Tech Preview → GA CRD stored-version block, the OpenShift version range, OVN-K local gateway
// mode.
#include <algorithm>
#include <regex>

#include "checks/catalogue.hpp"
#include "checks/check_util.hpp"

namespace meshdoctor::checks {

namespace {

constexpr const char* k_olm_api = "operators.coreos.com/v1alpha1";
constexpr const char* k_docs_ossm =
    "https://docs.redhat.com/en/documentation/red_hat_openshift_service_mesh/3.2";
constexpr const char* k_docs_ambient =
    "https://github.com/openshift/openshift-docs/blob/main/modules/"
    "ossm-installing-istio-ambient-mode.adoc";

std::string sub_source(const probe::Subscription& s) {
  return object_source(k_olm_api, "Subscription", s.ns, s.name, s.origin);
}

std::string csv_source(const probe::ClusterServiceVersion& c) {
  return object_source(k_olm_api, "ClusterServiceVersion", c.ns, c.name, c.origin);
}

// ---- MD101 operator-subscription ---------------------------------------------------------------

Finding missing_installed_csv(const probe::Subscription& sub) {
  Finding f = make_finding("MD101", Status::fail,
                           "Subscription " + sub.ns + "/" + sub.name + " has no installed CSV" +
                               (sub.state.empty() ? "" : " (state " + sub.state + ")"));
  f.evidence.push_back({sub_source(sub), "status.installedCSV is not set"});
  for (const auto& c : sub.conditions) {
    if (c.status == "True" && c.type != "CatalogSourcesUnhealthy") {
      f.evidence.push_back({sub_source(sub), format_condition(c)});
    }
  }
  f.objects.push_back({"Subscription", sub.ns, sub.name});
  return f;
}

Finding judge_csv(const probe::Subscription& sub, const probe::ClusterServiceVersion& csv) {
  bool ok = csv.phase == "Succeeded";
  Finding f = make_finding("MD101", ok ? Status::pass : Status::fail,
                           "operator CSV " + csv.name + " is " +
                               (csv.phase.empty() ? "in no phase" : "in phase " + csv.phase));
  f.evidence.push_back({sub_source(sub), "spec.name servicemeshoperator3, status.installedCSV " +
                                             sub.installed_csv});
  std::string detail = "status.phase " + (csv.phase.empty() ? "not set" : csv.phase);
  if (!csv.reason.empty())
    detail += " (" + csv.reason + (csv.message.empty() ? "" : ": " + csv.message) + ")";
  f.evidence.push_back({csv_source(csv), detail});
  if (!ok) f.objects.push_back({"ClusterServiceVersion", csv.ns, csv.name});
  return f;
}

Finding run_subscription(const probe::Facts& facts, const CheckContext&) {
  if (auto u = require_source("MD101", "OLM Subscriptions", facts.subscriptions.source)) return *u;
  const auto* sub = find_ossm_subscription(facts);
  if (!sub) {
    Finding f =
        make_finding("MD101", Status::fail, "no Subscription for package servicemeshoperator3");
    f.evidence.push_back({std::string(k_olm_api) + " Subscription (all namespaces)",
                          std::to_string(facts.subscriptions.items.size()) +
                              " collected, none with spec.name servicemeshoperator3"});
    return f;
  }
  if (sub->installed_csv.empty()) return missing_installed_csv(*sub);
  if (auto u = require_source("MD101", "ClusterServiceVersions", facts.csvs.source)) {
    u->message = "installed CSV " + sub->installed_csv + " cannot be verified: " + u->message;
    return *u;
  }
  const auto* csv = find_csv(facts, sub->installed_csv, sub->ns);
  if (!csv) {
    Finding f =
        make_finding("MD101", Status::unknown,
                     "installed CSV " + sub->installed_csv + " is not among the collected CSVs");
    f.evidence.push_back({sub_source(*sub), "status.installedCSV " + sub->installed_csv});
    return f;
  }
  return judge_csv(*sub, *csv);
}

// ---- MD102 operator-channel ---------------------------------------------------------------------

struct ChannelVerdict {
  Status status;
  std::string message;
};

ChannelVerdict judge_channel(const std::string& channel) {
  if (channel.empty())
    return {Status::pass, "spec.channel is not set: OLM uses the default channel stable"};
  if (channel == "stable") return {Status::pass, "channel stable tracks the latest OSSM 3 release"};
  if (channel == "candidates") {
    return {
        Status::fail,
        "channel candidates carries only the Tech Preview 3.0.0-tp.x (no ztunnel, v1alpha1 API)"};
  }
  const std::string prefix = "stable-3.";
  auto minor = parse_version(channel.substr(channel.rfind('-') + 1));
  if (channel.rfind(prefix, 0) != 0 || !minor || minor->major != 3) {
    return {Status::fail,
            "channel " + channel + " is not an OSSM 3 channel (stable or stable-3.N)"};
  }
  if (minor->minor == 0) {
    return {Status::fail,
            "channel stable-3.0 pins OSSM 3.0, which has no ambient/ztunnel support (needs 3.1+)"};
  }
  if (minor->minor == 1) {
    return {Status::pass, "channel stable-3.1 supports ambient (3.1+); stable-3.2 is recommended"};
  }
  return {Status::pass, "channel " + channel + " supports ambient mode"};
}

Finding run_channel(const probe::Facts& facts, const CheckContext&) {
  if (auto u = require_source("MD102", "OLM Subscriptions", facts.subscriptions.source)) return *u;
  const auto* sub = find_ossm_subscription(facts);
  if (!sub) {
    return make_finding(
        "MD102", Status::unknown,
        "no servicemeshoperator3 Subscription to read the channel from (see MD101)");
  }
  ChannelVerdict v = judge_channel(sub->channel);
  Finding f = make_finding("MD102", v.status, v.message);
  f.evidence.push_back({sub_source(*sub), field_value("spec.channel", sub->channel)});
  if (v.status == Status::fail) {
    f.objects.push_back({"Subscription", sub->ns, sub->name});
    f.fix = "oc patch subscription " + sub->name + " -n " + sub->ns +
            " --type merge -p '{\"spec\":{\"channel\":\"stable-3.2\"}}'";
    if (sub->channel == "candidates") {
      f.fix +=
          "\nLeaving the Tech Preview is blocked by v1alpha1 stored versions: follow the MD103 fix "
          "(delete the TP CRs and sailoperator CRDs, then subscribe on stable-3.2).";
    }
  }
  return f;
}

// ---- MD103 crd-stored-version -------------------------------------------------------------------

struct DataLoss {
  std::string crd, version;
};

// OLM's "risk of data loss updating \"<crd>\": new CRD removes version <v> ..." (quotes optional).
std::optional<DataLoss> match_data_loss(const std::string& text) {
  static const std::regex k_pattern(
      R"re(risk of data loss updating "?([a-z0-9.-]+)"?: new CRD removes version (\S+) )re"
      R"re(that is listed as a stored version on the existing CRD)re");
  std::smatch m;
  if (!std::regex_search(text, m, k_pattern)) return std::nullopt;
  return DataLoss{m[1].str(), m[2].str()};
}

struct StoredVersionScan {
  std::vector<Evidence> blocking;  // OLM errors and v1alpha1 stored under a GA operator
  std::vector<std::string> crds;   // blocked CRD names, first first
  std::vector<std::string> plans;  // failing InstallPlans ("ns/name")
  std::vector<Evidence> notes;     // pass/unknown evidence
  bool version_unknown = false;    // v1alpha1 stored but the operator version is unknown
};

void add_data_loss(StoredVersionScan& s,
                   const std::string& text,
                   const std::string& source,
                   const std::string& prefix) {
  auto hit = match_data_loss(text);
  if (!hit) return;
  s.blocking.push_back({source, prefix + text});
  if (std::find(s.crds.begin(), s.crds.end(), hit->crd) == s.crds.end()) s.crds.push_back(hit->crd);
}

void scan_olm_messages(const probe::Facts& facts, StoredVersionScan& s) {
  for (const auto& ip : facts.install_plans.items) {
    std::string src = object_source(k_olm_api, "InstallPlan", ip.ns, ip.name, ip.origin);
    size_t before = s.blocking.size();
    add_data_loss(s, ip.message, src, "phase " + ip.phase + ", status.message: ");
    for (const auto& c : ip.conditions)
      add_data_loss(s, c.message, src, format_condition(c) + ": ");
    if (s.blocking.size() > before) s.plans.push_back(ip.ns + "/" + ip.name);
  }
  if (!facts.subscriptions.source.ok()) return;
  for (const auto& sub : facts.subscriptions.items) {
    for (const auto& c : sub.conditions) {
      add_data_loss(s, c.message, sub_source(sub), c.type + "=" + c.status + ": ");
    }
  }
}

// True when the operator the Subscription installs (or is upgrading to) is GA; nullopt if unknown.
std::optional<bool> target_operator_is_ga(const probe::Facts& facts) {
  const auto* sub = find_ossm_subscription(facts);
  if (!sub) return std::nullopt;
  const std::string& csv = sub->current_csv.empty() ? sub->installed_csv : sub->current_csv;
  auto v = parse_version(csv);
  if (!v) return std::nullopt;
  return !v->tech_preview;
}

void scan_stored_versions(const probe::Facts& facts, StoredVersionScan& s) {
  auto ga = target_operator_is_ga(facts);
  for (const auto& crd : facts.sail_crds.items) {
    std::string src = object_source("apiextensions.k8s.io/v1", "CustomResourceDefinition", "",
                                    crd.name, crd.origin);
    std::string detail = "status.storedVersions [" + join(crd.stored_versions, ", ") +
                         "], spec.versions [" + join(crd.spec_versions, ", ") + "]";
    bool alpha = std::find(crd.stored_versions.begin(), crd.stored_versions.end(), "v1alpha1") !=
                 crd.stored_versions.end();
    if (!alpha || crd.name == "ztunnels.sailoperator.io") {
      s.notes.push_back({src, detail});
    } else if (ga == true) {
      s.blocking.push_back({src, detail + " under a GA operator"});
      if (std::find(s.crds.begin(), s.crds.end(), crd.name) == s.crds.end())
        s.crds.push_back(crd.name);
    } else {
      s.version_unknown = s.version_unknown || !ga.has_value();
      s.notes.push_back({src, detail + (ga.has_value() ? " (Tech Preview operator: moving to a GA "
                                                         "channel will be blocked)"
                                                       : " (operator version unknown)")});
    }
  }
}

std::string stored_version_fix(const probe::Facts& facts, const StoredVersionScan& s) {
  const auto* sub = find_ossm_subscription(facts);
  std::string ns = sub ? sub->ns : "openshift-operators";
  std::string name = sub ? sub->name : "servicemeshoperator3";
  std::string fix =
      "oc get istios.sailoperator.io,istiocnis.sailoperator.io -o yaml > sail-tp-backup.yaml  "
      "# re-create them later as sailoperator.io/v1\n"
      "oc delete istios.sailoperator.io --all && oc delete istiocnis.sailoperator.io --all\n"
      "oc delete crd istios.sailoperator.io istiorevisions.sailoperator.io "
      "istiorevisiontags.sailoperator.io istiocnis.sailoperator.io\n";
  for (const auto& p : s.plans) {
    auto slash = p.find('/');
    fix += "oc delete installplan " + p.substr(slash + 1) + " -n " + p.substr(0, slash) + "\n";
  }
  if (s.plans.empty()) fix += "oc delete installplan <failed-installplan> -n " + ns + "\n";
  if (sub && !sub->current_csv.empty() && sub->current_csv != sub->installed_csv) {
    fix += "oc delete csv " + sub->current_csv + " -n " + ns + "\n";
  }
  if (sub && !sub->installed_csv.empty())
    fix += "oc delete csv " + sub->installed_csv + " -n " + ns + "\n";
  fix += "oc delete subscription " + name + " -n " + ns + "\n";
  fix +=
      "oc apply -f - <<'EOF'\napiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\n"
      "metadata:\n  name: " +
      name + "\n  namespace: " + ns +
      "\nspec:\n  channel: stable-3.2\n  installPlanApproval: Automatic\n"
      "  name: servicemeshoperator3\n  source: redhat-operators\n"
      "  sourceNamespace: openshift-marketplace\nEOF";
  return fix;
}

Finding run_stored_version(const probe::Facts& facts, const CheckContext&) {
  bool plans = facts.install_plans.source.ok(), crds = facts.sail_crds.source.ok();
  if (!plans && !crds) {
    Finding f = unknown_from_source("MD103", "OLM InstallPlans", facts.install_plans.source);
    Finding c = unknown_from_source("MD103", "sailoperator.io CRDs", facts.sail_crds.source);
    f.message = "neither InstallPlans nor sailoperator.io CRDs were collected";
    f.evidence.insert(f.evidence.end(), c.evidence.begin(), c.evidence.end());
    return f;
  }
  StoredVersionScan s;
  if (plans) scan_olm_messages(facts, s);
  if (crds) scan_stored_versions(facts, s);
  if (!s.blocking.empty()) {
    Finding f =
        make_finding("MD103", Status::fail,
                     "operator update blocked: " + join(s.crds, ", ") +
                         " still lists v1alpha1 as a stored version (Tech Preview leftovers)");
    f.evidence = s.blocking;
    for (const auto& c : s.crds) f.objects.push_back({"CustomResourceDefinition", "", c});
    for (const auto& p : s.plans)
      f.objects.push_back({"InstallPlan", p.substr(0, p.find('/')), p.substr(p.find('/') + 1)});
    f.fix = stored_version_fix(facts, s);
    return f;
  }
  Status st = s.version_unknown ? Status::unknown : Status::pass;
  Finding f =
      make_finding("MD103", st,
                   s.version_unknown
                       ? "a sailoperator.io CRD stores v1alpha1 but the operator version is unknown"
                       : "no stored-version block on the sailoperator.io CRDs");
  if (plans)
    f.evidence.push_back(
        {"OLM InstallPlans", std::to_string(facts.install_plans.items.size()) +
                                 " collected, none reports \"risk of data loss\""});
  else
    f.evidence.push_back(
        {"OLM InstallPlans",
         std::string("not checked: ") + probe::to_string(facts.install_plans.source.state)});
  if (!crds)
    f.evidence.push_back(
        {"sailoperator.io CRDs",
         std::string("not checked: ") + probe::to_string(facts.sail_crds.source.state)});
  f.evidence.insert(f.evidence.end(), s.notes.begin(), s.notes.end());
  return f;
}

// ---- MD104 platform-version ---------------------------------------------------------------------

struct OcpRange {
  int ossm_minor;
  int min_minor;  // OpenShift 4.<min>
  int max_minor;  // 0 = no published upper bound
  const char* note;
};

constexpr OcpRange k_ranges[] = {
    {0, 14, 19, "OSSM 3.0 support table: OpenShift 4.14–4.19"},
    {1, 16, 20, "OSSM 3.1 support table: OpenShift 4.16–4.20"},
    {2, 18, 21, "OSSM 3.2 support table: OpenShift 4.18–4.21"},
    {3, 18, 21, "OSSM 3.3: no published range; assumed 4.18–4.21 as for 3.2"},
    {4, 20, 0, "OSSM 3.4 support table: OpenShift 4.20 and later"},
};

const OcpRange& range_for(int ossm_minor) {
  for (const auto& r : k_ranges) {
    if (r.ossm_minor == ossm_minor) return r;
  }
  return k_ranges[std::size(k_ranges) - 1];  // newer minors: the latest known floor
}

bool ambient_in_use(const probe::Facts& facts) {
  if (facts.istios.source.ok()) {
    for (const auto& cr : facts.istios.items) {
      if (is_ambient_profile(cr)) return true;
    }
  }
  if (facts.istio_cnis.source.ok()) {
    for (const auto& cr : facts.istio_cnis.items) {
      if (cr.profile == "ambient" || cr.values_profile == "ambient") return true;
    }
  }
  return false;
}

Finding judge_platform(const probe::Facts& facts,
                       const Version& ocp,
                       const std::string& ocp_text,
                       const OperatorVersion& op) {
  const OcpRange& r = range_for(op.version.minor);
  auto in_4x = [&](int m) { return ocp.major == 4 ? ocp.minor >= m : ocp.major > 4; };
  bool below = !in_4x(r.min_minor);
  bool above = r.max_minor != 0 && (ocp.major > 4 || (ocp.major == 4 && ocp.minor > r.max_minor));
  Finding f;
  std::string pair = "OpenShift " + ocp_text + " with OSSM " + op.text;
  if (below || above) {
    f = make_finding("MD104", Status::fail, pair + " is outside the supported range");
  } else if (ambient_in_use(facts) && !in_4x(19)) {
    f = make_finding("MD104", Status::warn,
                     pair + " is supported, but ambient mode needs OpenShift 4.19+");
  } else {
    f = make_finding("MD104", Status::pass, pair + " is within the supported range");
  }
  if (f.status == Status::warn) {
    f.evidence.push_back({"Red Hat ambient prerequisites",
                          "OpenShift 4.19+; an Istio or IstioCNI CR uses the ambient profile"});
  }
  const auto& cv = *facts.cluster_version.value;
  f.evidence.push_back(
      {object_source("config.openshift.io/v1", "ClusterVersion", "", "version", cv.origin),
       "version " + ocp_text + (cv.channel.empty() ? "" : ", channel " + cv.channel)});
  f.evidence.push_back({op.from, r.note});
  if (op.version.minor > 4)
    f.evidence.push_back({"meshdoctor version table",
                          "no range known for OSSM " + op.text + "; checked against 3.4's floor"});
  return f;
}

Finding run_platform(const probe::Facts& facts, const CheckContext&) {
  if (auto u = require_source("MD104", "ClusterVersion", facts.cluster_version.source)) return *u;
  const auto& cv = facts.cluster_version.value;
  auto ocp = cv ? parse_version(cv->version) : std::nullopt;
  if (!ocp)
    return make_finding("MD104", Status::unknown,
                        "the OpenShift version is not known (no ClusterVersion version)");
  auto op = installed_operator(facts);
  if (!op || op->version.major != 3) {
    Finding f = make_finding("MD104", Status::unknown,
                             "the installed OSSM 3 operator version is not known");
    f.evidence.push_back(
        {"OLM Subscriptions", facts.subscriptions.source.ok()
                                  ? "no servicemeshoperator3 Subscription with an installed CSV"
                                  : std::string("not collected: ") +
                                        probe::to_string(facts.subscriptions.source.state)});
    return f;
  }
  return judge_platform(facts, *ocp, cv->version, *op);
}

// ---- MD105 ovn-routing-via-host -----------------------------------------------------------------

Finding run_routing_via_host(const probe::Facts& facts, const CheckContext&) {
  if (auto u =
          require_source("MD105", "network.operator.openshift.io/cluster", facts.network.source))
    return *u;
  const auto& net = facts.network.value;
  if (!net) {
    return make_finding(
        "MD105", Status::skipped,
        "no network.operator.openshift.io/cluster (not an OpenShift cluster)" +
            (facts.network.source.detail.empty() ? "" : ": " + facts.network.source.detail));
  }
  std::string src =
      object_source("operator.openshift.io/v1", "Network", "", "cluster", net->origin);
  if (net->network_type != "OVNKubernetes") {
    Finding f =
        make_finding("MD105", Status::skipped,
                     "network type is " +
                         (net->network_type.empty() ? std::string("not set") : net->network_type) +
                         ", not OVNKubernetes: gateway mode does not apply");
    f.evidence.push_back({src, field_value("spec.defaultNetwork.type", net->network_type)});
    return f;
  }
  const std::string path = "spec.defaultNetwork.ovnKubernetesConfig.gatewayConfig.routingViaHost";
  bool on = net->routing_via_host.value_or(false);
  Finding f = make_finding(
      "MD105", on ? Status::pass : Status::fail,
      on ? "OVN-Kubernetes runs in local gateway mode (routingViaHost: true)"
         : std::string(
               "OVN-Kubernetes is in shared gateway mode: ambient needs routingViaHost: true"));
  f.evidence.push_back({src, !net->routing_via_host ? path + " is not set (default false)"
                                                    : path + " is " + (on ? "true" : "false")});
  if (!on) f.objects.push_back({"Network", "", "cluster"});
  return f;
}

}  // namespace

std::vector<CheckInfo> install_checks() {
  std::vector<CheckInfo> v;
  v.push_back(
      {"MD101",
       "operator-subscription",
       "install",
       Severity::fail,
       {},
       "the servicemeshoperator3 Subscription exists and its installed CSV is Succeeded",
       "no Istio/IstioCNI/ZTunnel reconciliation; oc get csv shows the operator missing, Pending "
       "or Failed",
       "the OSSM 3 operator was never subscribed, or OLM could not install its CSV (requirements, "
       "InstallPlan awaiting approval or failed)",
       "oc get subscription -A | grep servicemeshoperator3\n"
       "oc get csv -n openshift-operators | grep servicemeshoperator3\n"
       "oc describe csv <csv> -n openshift-operators   # reason/message of a non-Succeeded phase\n"
       "oc get installplan -n openshift-operators      # approve with: oc patch installplan <name> "
       "-n openshift-operators --type merge -p '{\"spec\":{\"approved\":true}}'",
       k_docs_ossm,
       run_subscription});
  v.push_back(
      {"MD102",
       "operator-channel",
       "install",
       Severity::fail,
       {"MD101"},
       "the Subscription channel delivers OSSM 3.1+ (stable or stable-3.N, N ≥ 1)",
       "no ZTunnel CRD or ambient support although the operator is installed",
       "channel candidates only holds the Tech Preview 3.0.0-tp.x and stable-3.0 pins 3.0; ambient "
       "(ztunnel) needs 3.1+, stable-3.2 is recommended",
       "oc patch subscription servicemeshoperator3 -n openshift-operators --type merge -p "
       "'{\"spec\":{\"channel\":\"stable-3.2\"}}'\n"
       "(from candidates: follow the MD103 fix; the v1alpha1 → v1 CRD change blocks the upgrade)",
       k_docs_ossm,
       run_channel});
  v.push_back(
      {"MD103",
       "crd-stored-version",
       "install",
       Severity::fail,
       {},
       "no sailoperator.io CRD keeps the Tech Preview v1alpha1 as a stored version under a GA "
       "operator",
       "the operator upgrade never completes: InstallPlan Failed with 'risk of data loss updating "
       "\"istios.sailoperator.io\": new CRD removes version v1alpha1 that is listed as a stored "
       "version on the existing CRD', new CSV Pending",
       "the Tech Preview (3.0.0-tp.x) stored Istio/IstioCNI objects as v1alpha1; GA CRDs only "
       "serve v1, "
       "so OLM refuses the CRD update and no in-place storage migration is possible",
       "oc get istios.sailoperator.io,istiocnis.sailoperator.io -o yaml > sail-tp-backup.yaml\n"
       "oc delete istios.sailoperator.io --all && oc delete istiocnis.sailoperator.io --all\n"
       "oc delete crd istios.sailoperator.io istiorevisions.sailoperator.io "
       "istiorevisiontags.sailoperator.io istiocnis.sailoperator.io\n"
       "oc delete installplan <failed-installplan> -n openshift-operators\n"
       "oc delete csv <pending-csv> <tp-csv> -n openshift-operators\n"
       "oc delete subscription servicemeshoperator3 -n openshift-operators\n"
       "then re-create the Subscription with spec.channel: stable-3.2 and the Istio/IstioCNI CRs "
       "as "
       "sailoperator.io/v1",
       "https://github.com/operator-framework/operator-lifecycle-manager/blob/master/pkg/lib/crd/"
       "storage.go",
       run_stored_version});
  v.push_back(
      {"MD104",
       "platform-version",
       "install",
       Severity::fail,
       {},
       "the OpenShift version is supported by the installed OSSM minor (ambient: 4.19+)",
       "operator or ztunnel misbehaviour on an unsupported platform; ambient prerequisites not met",
       "each OSSM 3 minor supports a range of OpenShift releases (3.0: 4.14–4.19, 3.1: 4.16–4.20, "
       "3.2: 4.18–4.21, 3.4: 4.20+); Red Hat's ambient prerequisites require OpenShift 4.19+",
       "Upgrade OpenShift or move the Subscription to an OSSM channel that supports this release:\n"
       "oc adm upgrade --to=<4.y.z>\n"
       "oc patch subscription servicemeshoperator3 -n openshift-operators --type merge -p "
       "'{\"spec\":{\"channel\":\"stable-3.2\"}}'",
       k_docs_ossm,
       run_platform});
  v.push_back({"MD105",
               "ovn-routing-via-host",
               "install",
               Severity::fail,
               {},
               "OVN-Kubernetes uses local gateway mode (gatewayConfig.routingViaHost: true)",
               "kubelet probes to ambient-enrolled pods time out; pods CrashLoop after enrollment",
               "ambient on OpenShift requires OVN-Kubernetes local gateway mode; the default "
               "shared gateway "
               "mode bypasses the host routing the in-pod redirection relies on",
               "oc patch network.operator.openshift.io cluster --type merge -p "
               "'{\"spec\":{\"defaultNetwork\":{\"ovnKubernetesConfig\":{\"gatewayConfig\":{"
               "\"routingViaHost\":true}}}}}'",
               k_docs_ambient,
               run_routing_via_host});
  return v;
}

}  // namespace meshdoctor::checks
