// ML007 off-mesh-namespaces: namespaces that must stay out of the mesh (--off-mesh-namespaces;
// default stackrox, industrial-edge-data-lake) must not carry istio.io/dataplane-mode: ambient
// (fail) and should say istio.io/dataplane-mode: none explicitly (warn), as MD502 does live.
#include <algorithm>

#include "lint/rule_util.hpp"

namespace meshdoctor::lint {

using checks::Finding;
using checks::Status;

Finding rule_off_mesh(const ManifestSet& set, const LintContext& ctx) {
  const auto& wanted = ctx.off_mesh_namespaces;
  if (wanted.empty()) return skipped("ML007", "no off-mesh namespaces configured");
  Verdict v("ML007");
  int seen = 0;
  for (const auto& o : set.objects("Namespace")) {
    if (!o.group().empty() || std::find(wanted.begin(), wanted.end(), o.name) == wanted.end())
      continue;
    ++seen;
    const Node* mode = label_node(o.root(), k_mode_label);
    const int line = nearest_line(o.root(), {"metadata", "labels", k_mode_label});
    const std::string value = mode && mode->is_scalar() ? mode->text : "";
    if (value == "none") {
      v.ok(hit(o, line, "istio.io/dataplane-mode: none (explicitly off-mesh)"));
    } else if (value == "ambient") {
      v.problem(hit(o, line,
                    "istio.io/dataplane-mode: ambient, but the namespace is configured "
                    "off-mesh; its pods are captured by ztunnel"));
    } else {
      v.problem(hit(o, line,
                    mode ? "istio.io/dataplane-mode is " + describe_value(mode) +
                               ", not none (not explicitly off-mesh)"
                         : "no istio.io/dataplane-mode label (not explicitly off-mesh)"),
                Status::warn);
    }
  }
  if (seen == 0) {
    std::string names;
    for (const auto& n : wanted) names += (names.empty() ? "" : ", ") + n;
    return skipped("ML007", "no off-mesh namespace (" + names + ") in the manifests");
  }
  return v.finish("off-mesh namespaces are labelled istio.io/dataplane-mode: none",
                  v.count("off-mesh namespace(s) not labelled istio.io/dataplane-mode: none"));
}

}  // namespace meshdoctor::lint
