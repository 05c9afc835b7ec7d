#pragma once
// `meshdoctor lint`: GitOps lint of rendered manifests for Istio ambient on OpenShift Service Mesh
// 3 deployed by Argo CD. Each ML rule (metadata in checks/lint_catalogue.cpp) reads the manifest
// set and returns one Finding whose evidence carries the file and line of every hit.
#include <string>
#include <vector>

#include "checks/catalogue.hpp"
#include "lint/manifests.hpp"

namespace meshdoctor::lint {

struct LintContext {
  // Namespaces that must stay out of the mesh (--off-mesh-namespaces).
  std::vector<std::string> off_mesh_namespaces{"stackrox", "industrial-edge-data-lake"};
};

using RuleFn = checks::Finding (*)(const ManifestSet&, const LintContext&);

struct Rule {
  std::string id;
  RuleFn run;
};

// Every rule in ID order; the IDs are those of checks::lint_catalogue().
const std::vector<Rule>& rules();

// Runs the selected rules: one Finding per rule in ID order (not selected: skipped). When a file
// did not parse, a rule that found nothing is unknown (the missing part may hold the problem or
// the fix) and names the parse errors. source.kind = "manifests", source.path = `paths`.
checks::Diagnosis lint(const ManifestSet& set,
                       const LintContext& ctx,
                       const checks::Selection& selection,
                       const std::vector<std::string>& paths);

}  // namespace meshdoctor::lint
