#pragma once
// What every renderer needs besides the Diagnosis itself: catalogue metadata with a fallback
// for IDs the catalogue does not know, the tree of consequences a root cause explains, and the
// short labels of the header. Internal to report/ (and the CLI's explain/checks commands).
#include <string>
#include <vector>

#include "checks/finding.hpp"

namespace meshdoctor::report {

// Catalogue facts about one check; for an unknown ID the name is the ID and the category "other".
struct CheckMeta {
  std::string id, name, category, title, symptom, cause, fix, docs;
  checks::Severity severity = checks::Severity::fail;
  std::vector<std::string> upstream;
  bool known = false;  // found in the catalogue
};

CheckMeta check_meta(const std::string& id);

// The fix to show for a finding: its cluster-specific fix, else the catalogue's.
std::string effective_fix(const checks::Finding& f);

// "control-plane" -> "control plane".
std::string category_label(const std::string& category);

// Categories in the order their first finding appears (catalogue order).
std::vector<std::string> categories_in_order(const checks::Diagnosis& d);

// One line of the tree of failures a root cause explains (Finding::explains, transitively). A
// finding reached along several chains is shown once, under the parent of its longest chain.
struct TreeLine {
  const checks::Finding* finding = nullptr;
  int depth = 0;                     // 0 = direct consequence of the root
  std::vector<bool> ancestors_open;  // per ancestor level: more siblings follow below
  bool last = false;                 // last child of its parent
};

std::vector<TreeLine> explained_tree(const checks::Diagnosis& d, const checks::Finding& root);

// Failing findings that are consequences (explained by another failure).
int explained_failures(const checks::Diagnosis& d);

// "bundle must-gather.local.5538" or "context prod-east".
std::string source_label(const checks::Diagnosis& d);

// The header's scope after the source: "collected 2026-11-20 12:30 UTC · 3 nodes, 41 pods"
// (parts joined by `sep`); empty for a lint report, which reads manifests, not a cluster.
std::string scope_label(const checks::Diagnosis& d, const std::string& sep);

// "2026-11-20 12:30 UTC", or empty when the collection time is unknown.
std::string collected_label(const checks::Diagnosis& d);

}  // namespace meshdoctor::report
