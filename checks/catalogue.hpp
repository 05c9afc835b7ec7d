#pragma once
// The check catalogue (stable IDs, DESIGN.md §3) and the decision-tree engine.
#include <string>
#include <vector>

#include "checks/finding.hpp"

namespace meshdoctor::checks {

// One function per area file (checks/<area>.cpp); each returns its CheckInfo entries.
std::vector<CheckInfo> install_checks();        // MD101–MD105   checks/install.cpp
std::vector<CheckInfo> control_plane_checks();  // MD201–MD203   checks/control_plane.cpp
std::vector<CheckInfo> cni_checks();            // MD301–MD305   checks/cni.cpp
std::vector<CheckInfo> ztunnel_checks();        // MD401–MD405   checks/ztunnel.cpp
std::vector<CheckInfo> enrollment_checks();     // MD501–MD505   checks/enrollment.cpp
std::vector<CheckInfo> telemetry_checks();      // MD601–MD604   checks/telemetry.cpp
std::vector<CheckInfo> waypoint_checks();       // MD701–MD703   checks/waypoints.cpp
std::vector<CheckInfo> kiali_checks();          // MD801–MD803   checks/kiali.cpp
std::vector<CheckInfo> fleet_checks();          // MD901         checks/fleet.cpp

// The whole catalogue in ID order.
const std::vector<CheckInfo>& catalogue();
// An MD check of catalogue(), or an ML lint rule of lint_catalogue(); null when unknown.
const CheckInfo* find_check(const std::string& id);

// The rules of `meshdoctor lint` (ML001…, checks/lint_catalogue.cpp): the same metadata as a
// check (title, symptom, cause, fix, docs; category "lint"), with `run` empty, since a rule reads
// manifests, not Facts (lint/ implements them). `explain ML…` and the renderers find them here.
const std::vector<CheckInfo>& lint_catalogue();

struct Selection {
  std::vector<std::string> only;  // empty = all
  std::vector<std::string> skip;
};

// Runs the selected checks on the facts and builds the decision tree.
Diagnosis diagnose(const probe::Facts& facts, const CheckContext& ctx, const Selection& sel);

// Decision tree on already-computed findings (exposed for tests): fills explained_by, explains,
// unverified_upstream, root_causes and the summary.
void link_findings(Diagnosis& diagnosis);

// True when `ancestor` is `id` or reachable from it through the catalogue's upstream links.
bool depends_on(const std::string& id, const std::string& ancestor);

// Exit code of DESIGN.md §4 (0, 1, 2); --strict turns warn into 1; --exit-zero is applied by the CLI.
int exit_code(const Diagnosis& diagnosis, bool strict);

}  // namespace meshdoctor::checks
