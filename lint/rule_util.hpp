#pragma once
// What the rule files share: evidence that points at a file and line, the Sail defaults, and the
// rule functions the engine tables (one file per area, like checks/).
#include <string>

#include "lint/lint.hpp"

namespace meshdoctor::lint {

inline constexpr const char* k_sail_group = "sailoperator.io";
inline constexpr const char* k_gateway_group = "gateway.networking.k8s.io";
inline constexpr const char* k_waypoint_class = "istio-waypoint";
inline constexpr const char* k_ossm_package = "servicemeshoperator3";
inline constexpr const char* k_mode_label = "istio.io/dataplane-mode";

// Evidence at `line` of the object's file: source "file:line", detail "<Kind> <name>: <what>"
// (plus the helm template it was rendered from, when the file says).
checks::Evidence hit(const Object& o, int line, const std::string& what);
// The same for a document that is not an object (a values file): `label` names it.
checks::Evidence hit(const Document& d,
                     int line,
                     const std::string& label,
                     const std::string& what);

// "file:line" of a place, for messages that name a second resource.
std::string place(const Object& o, int line);

// spec.namespace of a Sail CR, or the CRD default for its kind.
std::string sail_target_namespace(const Object& o);

// metadata.labels / metadata.annotations value, or nullptr.
const Node* label_node(const Node& metadata_owner, std::string_view key);
const Node* annotation_node(const Node& metadata_owner, std::string_view key);

// A finding with a status and message (checks::make_finding).
checks::Finding make(const std::string& id, checks::Status status, std::string message);
// Skipped: the inputs of the rule are absent.
checks::Finding skipped(const std::string& id, std::string why);

// Gathers what a rule examined. A finding with problems carries exactly the problems as
// evidence (each one a file:line hit, which SARIF turns into a result); a passing finding
// carries what was found in order.
class Verdict {
 public:
  explicit Verdict(std::string id) : m_id(std::move(id)) {}
  void ok(checks::Evidence e) { m_ok.push_back(std::move(e)); }
  // A problem fails the finding, or only warns (advisory problems).
  void problem(checks::Evidence e, checks::Status status = checks::Status::fail) {
    m_problems.push_back(std::move(e));
    if (status == checks::Status::fail) m_fails = true;
  }
  int problems() const { return static_cast<int>(m_problems.size()); }
  // pass with `pass_message`, or fail (warn when every problem only warns) with `problem_message`.
  checks::Finding finish(const std::string& pass_message, const std::string& problem_message);
  // "<problems> <noun>": "2 IstioCNI not in the ambient profile".
  std::string count(const std::string& noun) const {
    return std::to_string(problems()) + " " + noun;
  }

 private:
  std::string m_id;
  std::vector<checks::Evidence> m_ok, m_problems;
  bool m_fails = false;
};

// The rules, by area file.
checks::Finding rule_cni_profile(const ManifestSet&, const LintContext&);          // ML001
checks::Finding rule_cni_reconcile(const ManifestSet&, const LintContext&);        // ML002
checks::Finding rule_istio_profile(const ManifestSet&, const LintContext&);        // ML003
checks::Finding rule_trusted_ztunnel(const ManifestSet&, const LintContext&);      // ML004
checks::Finding rule_sail_names(const ManifestSet&, const LintContext&);           // ML005
checks::Finding rule_sync_waves(const ManifestSet&, const LintContext&);           // ML006
checks::Finding rule_off_mesh(const ManifestSet&, const LintContext&);             // ML007
checks::Finding rule_waypoint_listener(const ManifestSet&, const LintContext&);    // ML008
checks::Finding rule_use_waypoint(const ManifestSet&, const LintContext&);         // ML009
checks::Finding rule_telemetry(const ManifestSet&, const LintContext&);            // ML010
checks::Finding rule_ztunnel_podmonitor(const ManifestSet&, const LintContext&);   // ML011
checks::Finding rule_kiali_auth(const ManifestSet&, const LintContext&);           // ML012
checks::Finding rule_kiali_rbac(const ManifestSet&, const LintContext&);           // ML013
checks::Finding rule_operator_channel(const ManifestSet&, const LintContext&);     // ML014
checks::Finding rule_channel_consistency(const ManifestSet&, const LintContext&);  // ML015

}  // namespace meshdoctor::lint
