// Sail CR rules ML001–ML005: IstioCNI and Istio in the ambient profile, the CNI iptables
// reconciliation, istiod's trust in the ztunnel namespace, and the names the CRDs require.
#include <functional>

#include "lint/rule_util.hpp"

namespace meshdoctor::lint {

using checks::Finding;
using checks::Status;

namespace {

bool is_ambient_profile(const Node& root) {
  const auto profile = text_at(root, {"spec", "profile"});
  return profile == "ambient" || profile == "openshift-ambient" ||
         text_at(root, {"spec", "values", "profile"}) == "ambient";
}

// "spec.profile is \"default\", not ambient" or "spec.profile is not set", at the right line.
checks::Evidence profile_problem(const Object& o, const std::string& consequence) {
  const Node* profile = find(o.root(), {"spec", "profile"});
  const int line = nearest_line(o.root(), {"spec", "profile"});
  if (profile)
    return hit(o, line,
               "spec.profile is " + describe_value(profile) + ", not ambient; " + consequence);
  return hit(o, line, "spec.profile is not set; " + consequence);
}

checks::Evidence profile_ok(const Object& o) {
  if (text_at(o.root(), {"spec", "values", "profile"}) == "ambient" &&
      !text_at(o.root(), {"spec", "profile"})) {
    return hit(o, nearest_line(o.root(), {"spec", "values", "profile"}),
               "spec.values.profile is ambient");
  }
  return hit(o, nearest_line(o.root(), {"spec", "profile"}),
             "spec.profile is " + describe_value(find(o.root(), {"spec", "profile"})));
}

// The ZTunnel whose namespace istiod must trust: ZTunnel/default, else the only one.
const Object* main_ztunnel(const std::vector<Object>& ztunnels) {
  for (const auto& z : ztunnels) {
    if (z.name == "default") return &z;
  }
  return ztunnels.empty() ? nullptr : &ztunnels.front();
}

// Every trustedZtunnelNamespace key under spec other than spec.values.pilot's.
void misplaced_trust(const Node& n,
                     const std::string& path,
                     const std::function<void(const Entry&, const std::string&)>& found) {
  for (const auto& e : n.entries) {
    const std::string here = path + "." + e.key;
    if (e.key == "trustedZtunnelNamespace" && here != "spec.values.pilot.trustedZtunnelNamespace") {
      found(e, here);
    }
    misplaced_trust(e.value, here, found);
  }
  for (const auto& item : n.items) misplaced_trust(item, path + "[]", found);
}

}  // namespace

// ---- ML001 istiocni-ambient-profile ------------------------------------------------------------

Finding rule_cni_profile(const ManifestSet& set, const LintContext&) {
  auto cnis = set.objects("IstioCNI", k_sail_group);
  if (cnis.empty()) return skipped("ML001", "no IstioCNI in the manifests");
  Verdict v("ML001");
  for (const auto& o : cnis) {
    const Node* enabled = find(o.root(), {"spec", "values", "cni", "ambient", "enabled"});
    const auto on = as_bool(enabled);
    if (on == false) {
      v.problem(hit(o, nearest_line(o.root(), {"spec", "values", "cni", "ambient", "enabled"}),
                    "spec.values.cni.ambient.enabled is false; it overrides the ambient "
                    "profile and the agent serves no ztunnel socket"));
    } else if (is_ambient_profile(o.root())) {
      v.ok(profile_ok(o));
    } else if (on == true) {
      v.ok(hit(o, enabled->line, "ambient enabled through spec.values.cni.ambient.enabled"));
    } else {
      v.problem(profile_problem(o,
                                "the CNI chart keeps cni.ambient.enabled false and "
                                "ztunnel never finds the CNI socket"));
    }
  }
  return v.finish("every IstioCNI uses the ambient profile",
                  v.count("IstioCNI not in the ambient profile"));
}

// ---- ML002 cni-reconcile-iptables --------------------------------------------------------------

Finding rule_cni_reconcile(const ManifestSet& set, const LintContext&) {
  auto cnis = set.objects("IstioCNI", k_sail_group);
  if (cnis.empty()) return skipped("ML002", "no IstioCNI in the manifests");
  Verdict v("ML002");
  for (const auto& o : cnis) {
    const std::initializer_list<std::string_view> path{"spec", "values", "cni", "ambient",
                                                       "reconcileIptablesOnStartup"};
    const Node* value = find(o.root(), path);
    const int line = nearest_line(o.root(), path);
    if (as_bool(value) == true) {
      v.ok(hit(o, line, "spec.values.cni.ambient.reconcileIptablesOnStartup is true"));
      continue;
    }
    v.problem(hit(o, line,
                  value ? "spec.values.cni.ambient.reconcileIptablesOnStartup is " +
                              describe_value(value) + ", not true"
                        : "spec.values.cni.ambient.reconcileIptablesOnStartup is not set "
                          "(chart default false before Istio 1.29)"),
              Status::warn);
  }
  return v.finish("every IstioCNI reconciles in-pod iptables rules on startup",
                  v.count("IstioCNI without reconcileIptablesOnStartup: true"));
}

// ---- ML003 istio-ambient-profile ---------------------------------------------------------------

Finding rule_istio_profile(const ManifestSet& set, const LintContext&) {
  auto istios = set.objects("Istio", k_sail_group);
  if (istios.empty()) return skipped("ML003", "no Istio in the manifests");
  Verdict v("ML003");
  for (const auto& o : istios) {
    if (is_ambient_profile(o.root())) {
      v.ok(profile_ok(o));
      continue;
    }
    v.problem(profile_problem(o,
                              "istiod runs without PILOT_ENABLE_AMBIENT and serves "
                              "ztunnel no workloads"));
  }
  return v.finish("every Istio uses the ambient profile",
                  v.count("Istio not in the ambient profile"));
}

// ---- ML004 trusted-ztunnel-namespace -----------------------------------------------------------

Finding rule_trusted_ztunnel(const ManifestSet& set, const LintContext&) {
  auto istios = set.objects("Istio", k_sail_group);
  if (istios.empty()) return skipped("ML004", "no Istio in the manifests");
  auto ztunnels = set.objects("ZTunnel", k_sail_group);
  const Object* zt = main_ztunnel(ztunnels);
  const std::string zt_ns = zt ? sail_target_namespace(*zt) : "";
  const std::string zt_where =
      zt ? zt->label() + " runs in \"" + zt_ns + "\" (" +
               place(*zt, nearest_line(zt->root(), {"spec", "namespace"})) + ")"
         : "";
  Verdict v("ML004");
  for (const auto& o : istios) {
    if (const Node* spec = o.root().get("spec")) {
      misplaced_trust(*spec, "spec", [&](const Entry& e, const std::string& path) {
        v.problem(hit(o, e.line,
                      path + " is not a field of the Istio API and is pruned; "
                             "set spec.values.pilot.trustedZtunnelNamespace"));
      });
    }
    const std::initializer_list<std::string_view> path{"spec", "values", "pilot",
                                                       "trustedZtunnelNamespace"};
    const auto trusted = text_at(o.root(), path);
    const int line = nearest_line(o.root(), path);
    if (!trusted) {
      if (zt && zt_ns == "kube-system") {
        v.ok(hit(o, line,
                 "spec.values.pilot.trustedZtunnelNamespace is not set; the "
                 "OpenShift default kube-system matches: " +
                     zt_where));
        continue;
      }
      v.problem(hit(o, line,
                    "spec.values.pilot.trustedZtunnelNamespace is not set, so the "
                    "OpenShift profile makes istiod trust kube-system" +
                        (zt ? "; " + zt_where : std::string())));
    } else if (zt && *trusted != zt_ns) {
      v.problem(hit(
          o, line,
          "spec.values.pilot.trustedZtunnelNamespace is \"" + *trusted + "\", but " + zt_where));
    } else {
      v.ok(hit(o, line,
               "spec.values.pilot.trustedZtunnelNamespace is \"" + *trusted + "\"" +
                   (zt ? "; " + zt_where : "; no ZTunnel in the manifests to compare with")));
    }
  }
  return v.finish("istiod trusts the ztunnel namespace",
                  v.count("trustedZtunnelNamespace problem(s)"));
}

// ---- ML005 sail-cr-name-default ----------------------------------------------------------------

Finding rule_sail_names(const ManifestSet& set, const LintContext&) {
  std::vector<Object> crs = set.objects("IstioCNI", k_sail_group);
  for (auto& z : set.objects("ZTunnel", k_sail_group)) crs.push_back(std::move(z));
  if (crs.empty()) return skipped("ML005", "no IstioCNI or ZTunnel in the manifests");
  Verdict v("ML005");
  for (const auto& o : crs) {
    const int line = nearest_line(o.root(), {"metadata", "name"});
    if (o.name == "default") {
      v.ok(hit(o, line, "metadata.name is \"default\""));
      continue;
    }
    v.problem(hit(o, line,
                  "metadata.name is " + describe_value(find(o.root(), {"metadata", "name"})) +
                      "; the " + o.kind +
                      " CRD accepts only \"default\", so the "
                      "sync fails validation"));
  }
  return v.finish("IstioCNI and ZTunnel are named default",
                  v.count("IstioCNI/ZTunnel not named default"));
}

}  // namespace meshdoctor::lint
