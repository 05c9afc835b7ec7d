#pragma once
// Findings, the check catalogue entry and the diagnosis the decision tree produces.
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "checks/remediation.hpp"
#include "checks/timeline.hpp"
#include "probe/facts.hpp"

namespace meshdoctor::checks {

enum class Status { pass, warn, fail, unknown, skipped };
const char* to_string(Status s);

// What a failing check reports: fail, or warn for advisory checks (marked *warn* in the catalogue).
enum class Severity { fail, warn };

struct Evidence {
  Evidence() = default;
  Evidence(std::string source_, std::string detail_, std::string file_ = {}, int line_ = 0)
      : source(std::move(source_)), detail(std::move(detail_)), file(std::move(file_)), line(line_) {}

  std::string source;  // "sailoperator.io/v1 IstioCNI default", "istio-cni/istio-cni-node-xk0q log"
  std::string detail;  // "spec.profile is not set", "line 12: \"AmbientEnabled: false\""
  // Where in an input file the evidence is, when it is one (lint: the manifest and the 1-based
  // line of the offending field or document). SARIF results carry it as a region; empty/0 = none.
  std::string file;
  int line = 0;
};

struct ObjectRef {
  std::string kind, ns, name;
};

struct Finding {
  std::string id;
  Status status = Status::unknown;
  std::string message;  // one-line outcome: "IstioCNI/default is not in the ambient profile"
  std::vector<Evidence> evidence;
  std::vector<ObjectRef> objects;  // affected objects (pods to restart, CRs to patch)
  std::string fix;                 // specific fix for this cluster; empty → the catalogue fix
  // Checks whose failure this particular evidence is a consequence of, beyond the catalogue's
  // static upstream (e.g. ZTunnel Ready=False/DaemonSetNotReady is MD402's failure seen through
  // the CR). The decision tree treats them like upstream links for this run only.
  std::vector<std::string> consequence_of;
  // Filled by the decision tree:
  std::vector<std::string> explained_by;        // failing direct upstreams
  std::vector<std::string> explains;            // failing direct downstreams it explains
  std::vector<std::string> unverified_upstream; // upstreams that are unknown
};

struct CheckContext {
  std::vector<std::string> off_mesh_namespaces{"stackrox", "industrial-edge-data-lake"};
};

using CheckFn = std::function<Finding(const probe::Facts&, const CheckContext&)>;

struct CheckInfo {
  std::string id;        // "MD301"
  std::string name;      // "istiocni-profile"
  std::string category;  // install | control-plane | cni | ztunnel | enrollment | telemetry | waypoints | kiali | fleet
  Severity severity = Severity::fail;
  std::vector<std::string> upstream;
  std::string title;    // what it verifies: "IstioCNI/default uses the ambient profile"
  std::string symptom;  // what the on-call engineer sees
  std::string cause;    // why it happens
  std::string fix;      // generic fix with exact oc commands
  std::string docs;     // reference URL or doc path
  CheckFn run;
};

// Helpers for check implementations.
Finding make_finding(const std::string& id, Status status, std::string message);
// A finding for a section that could not be read: unknown, naming why.
Finding unknown_from_source(const std::string& id, const std::string& what,
                            const probe::SourceState& source);

struct Summary {
  int pass = 0, warn = 0, fail = 0, unknown = 0, skipped = 0;
  Status overall = Status::pass;  // fail > unknown > warn > pass
};

struct Diagnosis {
  std::vector<Finding> findings;         // catalogue order
  std::vector<std::string> root_causes;  // failing findings with no failing upstream
  Summary summary;
  // Context for headers
  probe::SourceInfo source;
  std::optional<probe::Micros> collected_at;
  int nodes = 0;
  int pods = 0;
  std::vector<std::string> warnings;
  // Set by `meshdoctor restart` and `check --fix` (playbooks/): rendered under the diagnosis.
  std::optional<Remediation> remediation;
  // Per node: when ztunnel and istio-cni (re)started and became Ready, and MD504's pods (HTML).
  std::vector<NodeTimeline> timeline;

  const Finding* find(const std::string& id) const;
};

}  // namespace meshdoctor::checks
