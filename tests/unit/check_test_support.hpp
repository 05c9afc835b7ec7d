#pragma once
// Helpers shared by the check tests: run one catalogue check on hand-built facts and look for
// evidence. Checks are pure functions, so these tests need no files and no server.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "checks/catalogue.hpp"

namespace meshdoctor::testsupport {

inline void collected(probe::SourceState& s) { s.state = probe::Obtained::collected; }

// A DaemonSet whose pods are all scheduled and updated, `ready` of them Ready.
inline probe::DaemonSet daemonset(const std::string& ns,
                                  const std::string& name,
                                  int desired,
                                  int ready) {
  probe::DaemonSet ds;
  ds.ns = ns;
  ds.name = name;
  ds.desired = desired;
  ds.current_scheduled = desired;
  ds.updated = desired;
  ds.ready = ready;
  return ds;
}

inline checks::Finding run(const std::string& id,
                           const probe::Facts& f,
                           const checks::CheckContext& ctx = {}) {
  const auto* info = checks::find_check(id);
  REQUIRE(info != nullptr);
  return info->run(f, ctx);
}

// Some evidence line mentions needle in its source or its detail.
inline bool has_evidence(const checks::Finding& f, const std::string& needle) {
  return std::any_of(f.evidence.begin(), f.evidence.end(), [&](const checks::Evidence& e) {
    return e.detail.find(needle) != std::string::npos || e.source.find(needle) != std::string::npos;
  });
}

// One evidence line whose source contains source_part and whose detail contains detail_part.
inline bool has_evidence(const checks::Finding& f,
                         const std::string& source_part,
                         const std::string& detail_part) {
  return std::any_of(f.evidence.begin(), f.evidence.end(), [&](const checks::Evidence& e) {
    return e.source.find(source_part) != std::string::npos &&
           e.detail.find(detail_part) != std::string::npos;
  });
}

}  // namespace meshdoctor::testsupport
