// Names of the remediation data (checks/remediation.hpp).
#include "checks/remediation.hpp"

#include <algorithm>

namespace meshdoctor::checks {

const char* to_string(PlanAction a) {
  switch (a) {
    case PlanAction::restart: return "restart";
    case PlanAction::remove: return "delete";
    case PlanAction::skip: return "skip";
    case PlanAction::defer: return "defer";
  }
  return "skip";
}

int Remediation::count(PlanAction a) const {
  return static_cast<int>(std::count_if(plan.begin(), plan.end(), [a](const PlanEntry& e) { return e.action == a; }));
}

}  // namespace meshdoctor::checks
