#pragma once
// A hand-built diagnosis for the renderer tests: relations set explicitly so that the tests do
// not depend on the catalogue's upstream lists.
#include <string>
#include <utility>
#include <vector>

#include "checks/catalogue.hpp"

namespace meshdoctor::testing {

inline checks::Finding finding(const std::string& id, checks::Status s, std::string message) {
  return checks::make_finding(id, s, std::move(message));
}

inline void relate(checks::Diagnosis& d, const std::string& cause, const std::string& effect) {
  for (auto& f : d.findings) {
    if (f.id == cause) f.explains.push_back(effect);
    if (f.id == effect) f.explained_by.push_back(cause);
  }
}

// MD301 (root) -> MD304 -> MD403 -> MD402 -> {MD203, MD503}; MD301 also explains MD403 directly.
inline checks::Diagnosis sample_diagnosis() {
  using checks::Status;
  checks::Diagnosis d;
  d.source.kind = "bundle";
  d.source.path = "/tmp/must-gather.local.5538/";
  d.nodes = 3;
  d.pods = 41;
  auto root = finding("MD301", Status::fail, "IstioCNI/default is not in the ambient profile");
  root.evidence = {{"sailoperator.io/v1 IstioCNI default", "spec.profile is not set"},
                   {"istio-cni/istio-cni-node-xk0q log", "line 12: \"AmbientEnabled: false\""}};
  root.fix = "oc patch istiocni default --type merge -p '{\"spec\":{\"profile\":\"ambient\"}}'";
  auto warn = finding("MD302", Status::warn, "reconcileIptablesOnStartup is not enabled");
  warn.fix = "set spec.values.cni.ambient.reconcileIptablesOnStartup: true";
  auto unknown = finding("MD404", Status::unknown, "readiness bodies are not in the bundle");
  d.findings = {finding("MD101", Status::pass, "Succeeded"),
                finding("MD203", Status::fail, "Istio ZTunnelNotHealthy"),
                root,
                warn,
                finding("MD304", Status::fail, "AmbientEnabled: false on 3 of 3 nodes"),
                finding("MD305", Status::skipped, "not on a node"),
                finding("MD402", Status::fail, "ztunnel 0/3 ready"),
                finding("MD403", Status::fail, "ztunnel cannot reach the CNI socket"),
                unknown,
                finding("MD503", Status::fail, "0/5 pods enrolled")};
  checks::link_findings(d);  // summary and counts
  for (auto& f : d.findings) {
    f.explains.clear();
    f.explained_by.clear();
    f.unverified_upstream.clear();
  }
  for (auto [a, b] : std::vector<std::pair<std::string, std::string>>{{"MD301", "MD304"},
                                                                      {"MD301", "MD403"},
                                                                      {"MD304", "MD403"},
                                                                      {"MD403", "MD402"},
                                                                      {"MD402", "MD203"},
                                                                      {"MD402", "MD503"}}) {
    relate(d, a, b);
  }
  d.root_causes = {"MD301"};
  return d;
}

}  // namespace meshdoctor::testing
