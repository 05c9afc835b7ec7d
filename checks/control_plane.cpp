// Control-plane checks (MD201–MD203): the Istio CR (ambient profile, Ready), the ztunnel trust
// setting istiod uses for certificate impersonation, and the operator's dependency health.
#include "checks/catalogue.hpp"
#include "checks/check_util.hpp"

namespace meshdoctor::checks {

namespace {

constexpr const char* k_docs_sail_ambient =
    "https://github.com/istio-ecosystem/sail-operator/blob/main/docs/common/"
    "istio-ambient-mode.adoc";
constexpr const char* k_docs_ambient =
    "https://github.com/openshift/openshift-docs/blob/main/modules/"
    "ossm-installing-istio-ambient-mode.adoc";

// ---- MD201 istio-cr ---------------------------------------------------------------------------

Finding no_istio(const probe::Facts& facts) {
  Finding f = make_finding("MD201", Status::fail, "no Istio CR exists");
  f.evidence.push_back({"sailoperator.io Istio (cluster-scoped)",
                        std::to_string(facts.istios.items.size()) + " collected"});
  f.fix =
      "oc apply -f - <<'EOF'\napiVersion: sailoperator.io/v1\nkind: Istio\nmetadata:\n  name: "
      "default\n"
      "spec:\n  namespace: istio-system\n  profile: ambient\n  values:\n    pilot:\n"
      "      trustedZtunnelNamespace: ztunnel\nEOF\n"
      "oc wait --for=condition=Ready istios/default --timeout=3m";
  return f;
}

Finding run_istio_cr(const probe::Facts& facts, const CheckContext&) {
  if (auto u = require_source("MD201", "Istio CRs", facts.istios.source)) return *u;
  const auto* cr = find_preferred(facts.istios, "default");
  if (!cr) return no_istio(facts);
  bool ambient = is_ambient_profile(*cr);
  bool ready = condition_true(cr->conditions, "Ready");
  std::vector<std::string> problems;
  if (!ambient)
    problems.push_back("is not in the ambient profile (" +
                       field_value("spec.profile", cr->profile) + ")");
  if (!ready) problems.push_back("is not Ready (" + condition_text(cr->conditions, "Ready") + ")");
  std::string who = "Istio/" + cr->name;
  Finding f = make_finding("MD201", problems.empty() ? Status::pass : Status::fail,
                           problems.empty() ? who + " uses the ambient profile and is Ready"
                                            : who + " " + join(problems, " and "));
  f.evidence.push_back({cr_source(*cr), field_value("spec.profile", cr->profile)});
  if (!cr->values_profile.empty())
    f.evidence.push_back({cr_source(*cr), field_value("spec.values.profile", cr->values_profile)});
  f.evidence.push_back(
      {cr_source(*cr), condition_text(cr->conditions, "Ready") +
                           (cr->state.empty() ? "" : ", status.state " + cr->state)});
  if (facts.istios.items.size() > 1) {
    f.evidence.push_back({"sailoperator.io Istio", std::to_string(facts.istios.items.size()) +
                                                       " Istio CRs; checked " + cr->name});
  }
  if (problems.empty()) return f;
  f.objects.push_back(cr_ref(*cr));
  if (!ambient)
    f.fix =
        "oc patch istio " + cr->name + " --type merge -p '{\"spec\":{\"profile\":\"ambient\"}}'\n";
  f.fix += "oc describe istio " + cr->name + "\noc get pods -n " + cr->target_namespace +
           " -l app=istiod\noc wait --for=condition=Ready istios/" + cr->name + " --timeout=3m";
  return f;
}

// ---- MD202 trusted-ztunnel-namespace ----------------------------------------------------------

struct TrustTarget {
  std::string ns;
  Evidence evidence;
};

TrustTarget ztunnel_namespace(const probe::Facts& facts) {
  const auto* zt = find_named(facts.ztunnels, "default");
  if (zt) {
    std::string ns = zt->target_namespace.empty() ? "ztunnel" : zt->target_namespace;
    return {ns, {cr_source(*zt), "spec.namespace " + ns}};
  }
  return {"ztunnel",
          {"sailoperator.io ZTunnel default",
           "not found; comparing with the default namespace ztunnel"}};
}

// The namespace istiod will trust from the Istio values, and why.
std::pair<std::string, std::string> effective_trust(const probe::SailCr& istio) {
  if (istio.pilot_trusted_ztunnel_namespace && !istio.pilot_trusted_ztunnel_namespace->empty()) {
    return {*istio.pilot_trusted_ztunnel_namespace,
            field_value("spec.values.pilot.trustedZtunnelNamespace",
                        istio.pilot_trusted_ztunnel_namespace)};
  }
  if (istio.toplevel_trusted_ztunnel_namespace) {
    return {"kube-system", field_value("spec.values.trustedZtunnelNamespace",
                                       istio.toplevel_trusted_ztunnel_namespace) +
                               " but the CRD has no such field and prunes it; "
                               "spec.values.pilot.trustedZtunnelNamespace "
                               "is not set, so the OpenShift profile default kube-system applies"};
  }
  return {"kube-system",
          "spec.values.pilot.trustedZtunnelNamespace is not set; the OpenShift profile default "
          "kube-system applies"};
}

const probe::Deployment* find_istiod(const probe::Facts& facts, const std::string& ns) {
  if (!facts.istiod.source.ok()) return nullptr;
  for (const auto& d : facts.istiod.items) {
    if (d.ns == ns && (d.name == "istiod" || d.name.rfind("istiod-", 0) == 0)) return &d;
  }
  return nullptr;
}

// Adds the istiod env evidence; returns false when it contradicts the expected trust.
bool check_istiod_env(const probe::Facts& facts,
                      const probe::SailCr& istio,
                      const std::string& expected,
                      Finding& f) {
  const auto* d = find_istiod(facts, istio.target_namespace);
  if (!d || d->env.count("CA_TRUSTED_NODE_ACCOUNTS") == 0) {
    f.evidence.push_back(
        {"istiod Deployment in " + istio.target_namespace,
         facts.istiod.source.ok()
             ? "env CA_TRUSTED_NODE_ACCOUNTS not visible"
             : std::string("not collected: ") + probe::to_string(facts.istiod.source.state)});
    return true;
  }
  const std::string& value = d->env.at("CA_TRUSTED_NODE_ACCOUNTS");
  std::string want = expected + "/ztunnel";
  f.evidence.push_back({object_source("apps/v1", "Deployment", d->ns, d->name, d->origin),
                        "env CA_TRUSTED_NODE_ACCOUNTS=" + quoted(value) +
                            (value == want ? "" : " (expected " + quoted(want) + ")")});
  return value == want;
}

Finding run_trusted_ztunnel(const probe::Facts& facts, const CheckContext&) {
  if (auto u = require_source("MD202", "Istio CRs", facts.istios.source)) return *u;
  if (auto u = require_source("MD202", "ZTunnel CRs", facts.ztunnels.source)) return *u;
  const auto* istio = find_preferred(facts.istios, "default");
  if (!istio) return make_finding("MD202", Status::skipped, "no Istio CR (see MD201)");
  TrustTarget target = ztunnel_namespace(facts);
  auto [trusted, why] = effective_trust(*istio);
  Finding f;
  f.evidence.push_back({cr_source(*istio), why});
  f.evidence.push_back(target.evidence);
  bool values_ok = trusted == target.ns;
  bool env_ok = check_istiod_env(facts, *istio, target.ns, f);
  std::string who = "Istio/" + istio->name;
  if (!values_ok) {
    f.status = Status::fail;
    f.message = who + " trusts ztunnel in " + trusted + ", but ZTunnel runs in " + target.ns;
    bool pilot_set =
        istio->pilot_trusted_ztunnel_namespace && !istio->pilot_trusted_ztunnel_namespace->empty();
    if (!pilot_set && istio->toplevel_trusted_ztunnel_namespace) {
      f.message +=
          " (top-level spec.values.trustedZtunnelNamespace is pruned by the CRD; use "
          "spec.values.pilot)";
    } else if (!pilot_set) {
      f.message +=
          " (spec.values.pilot.trustedZtunnelNamespace is not set; OpenShift profile default "
          "kube-system)";
    }
  } else if (!env_ok) {
    f.status = Status::fail;
    f.message = "istiod's CA_TRUSTED_NODE_ACCOUNTS does not name " + target.ns + "/ztunnel";
  } else {
    f.status = Status::pass;
    f.message = who + " trusts ztunnel in " + target.ns + ", where ZTunnel runs";
    return f;
  }
  f.objects.push_back(cr_ref(*istio));
  f.fix = "oc patch istio " + istio->name +
          " --type merge -p '{\"spec\":{\"values\":{\"pilot\":"
          "{\"trustedZtunnelNamespace\":\"" +
          target.ns +
          "\"}}}}'\n"
          "oc rollout status deploy/istiod -n " +
          istio->target_namespace;
  return f;
}

// ---- MD203 istio-dependencies -----------------------------------------------------------------

std::string dependency_fix(const std::string& reason) {
  if (reason == "ZTunnelNotFound")
    return "Create ZTunnel/default (see MD401): oc get ztunnel default";
  if (reason == "ZTunnelNotHealthy")
    return "See MD402: oc get ztunnel default && oc get ds ztunnel -n ztunnel";
  if (reason == "IstioCNINotFound")
    return "Create IstioCNI/default with spec.profile: ambient (see MD301)";
  if (reason == "IstioCNINotHealthy")
    return "See MD303: oc get istiocni default && oc get ds istio-cni-node -n istio-cni";
  return "oc describe istio default";
}

// OSSM 3.1.x and 3.2.0 only check IstioCNI; 3.0 has no DependenciesHealthy at all.
std::optional<Evidence> dependency_scope_note(const probe::Facts& facts) {
  auto op = installed_operator(facts);
  if (!op || op->version.major != 3) return std::nullopt;
  const auto& v = op->version;
  if (v.minor == 1 || (v.minor == 2 && v.patch == 0)) {
    return Evidence{op->from,
                    "OSSM " + op->text +
                        " checks IstioCNI only; ztunnel health is not covered (see MD401/MD402)"};
  }
  return std::nullopt;
}

Finding judge_missing_dependencies(const probe::Facts& facts, const probe::SailCr& istio) {
  bool ready = condition_true(istio.conditions, "Ready");
  Finding f = make_finding(
      "MD203", ready ? Status::pass : Status::unknown,
      ready ? "Istio/" + istio.name +
                  " is Ready; this operator version does not report dependency health"
            : "Istio/" + istio.name + " reports no DependenciesHealthy condition and is not Ready");
  f.evidence.push_back({cr_source(istio),
                        "DependenciesHealthy condition not reported (OSSM 3.0 has none; "
                        "3.1/3.2.0 check IstioCNI only)"});
  f.evidence.push_back({cr_source(istio), condition_text(istio.conditions, "Ready")});
  if (auto op = installed_operator(facts)) f.evidence.push_back({op->from, "operator " + op->text});
  return f;
}

Finding run_dependencies(const probe::Facts& facts, const CheckContext&) {
  if (auto u = require_source("MD203", "Istio CRs", facts.istios.source)) return *u;
  const auto* istio = find_preferred(facts.istios, "default");
  if (!istio) return make_finding("MD203", Status::skipped, "no Istio CR (see MD201)");
  const auto* dep = probe::find_condition(istio->conditions, "DependenciesHealthy");
  if (!dep) return judge_missing_dependencies(facts, *istio);
  std::string who = "Istio/" + istio->name;
  Finding f = make_finding("MD203", Status::pass, who + " reports its dependencies healthy");
  f.evidence.push_back({cr_source(*istio), format_condition(*dep)});
  if (dep->status == "True") {
    if (auto note = dependency_scope_note(facts)) f.evidence.push_back(*note);
    return f;
  }
  if (dep->status != "False") {
    f.status = Status::unknown;
    f.message = who + " could not determine dependency health (" + format_condition(*dep) + ")";
    return f;
  }
  f.status = Status::fail;
  f.message = who +
              " DependenciesHealthy=False: " + (dep->reason.empty() ? "no reason" : dep->reason) +
              (dep->message.empty() ? "" : " (" + dep->message + ")");
  f.objects.push_back(cr_ref(*istio));
  f.fix = dependency_fix(dep->reason);
  return f;
}

}  // namespace

std::vector<CheckInfo> control_plane_checks() {
  std::vector<CheckInfo> v;
  v.push_back({"MD201",
               "istio-cr",
               "control-plane",
               Severity::fail,
               {"MD101", "MD103"},
               "an Istio CR exists with the ambient (or openshift-ambient) profile and Ready=True",
               "istiod missing or not ready; ztunnel cannot get xDS or certificates; no waypoint "
               "GatewayClass",
               "the Istio CR was not created, uses a sidecar profile (PILOT_ENABLE_AMBIENT off), "
               "or istiod is not "
               "ready (namespace missing, reconcile error, pods failing)",
               "oc patch istio default --type merge -p '{\"spec\":{\"profile\":\"ambient\"}}'\n"
               "oc wait --for=condition=Ready istios/default --timeout=3m",
               k_docs_ambient,
               run_istio_cr});
  v.push_back({"MD202",
               "trusted-ztunnel-namespace",
               "control-plane",
               Severity::fail,
               {"MD201"},
               "istiod trusts ztunnel's service account in the ZTunnel namespace",
               "ztunnel certificates Unavailable (\"request impersonation authentication "
               "failure\"); mTLS traffic "
               "between ambient pods fails",
               "spec.values.pilot.trustedZtunnelNamespace is unset (the OpenShift profile sets "
               "kube-system) or set "
               "at the top level of spec.values, where the CRD prunes it; istiod then renders "
               "CA_TRUSTED_NODE_ACCOUNTS for the wrong namespace",
               "oc patch istio default --type merge -p "
               "'{\"spec\":{\"values\":{\"pilot\":{\"trustedZtunnelNamespace\":\"ztunnel\"}}}}'\n"
               "oc rollout status deploy/istiod -n istio-system",
               k_docs_sail_ambient,
               run_trusted_ztunnel});
  v.push_back(
      {"MD203",
       "istio-dependencies",
       "control-plane",
       Severity::fail,
       {"MD301", "MD303", "MD401", "MD402"},
       "the Istio CR does not report DependenciesHealthy=False",
       "oc get istio shows STATUS ZTunnelNotHealthy / IstioCNINotHealthy / ...NotFound",
       "the operator found the IstioCNI or ZTunnel CR missing or not Healthy (checked by name "
       "default)",
       "oc get istiocni default && oc get ztunnel default\n"
       "oc get ds -n istio-cni && oc get ds -n ztunnel   # then follow MD301/MD303/MD401/MD402",
       k_docs_sail_ambient,
       run_dependencies});
  return v;
}

}  // namespace meshdoctor::checks
