#include "checks/catalogue.hpp"

namespace meshdoctor::checks {

std::vector<CheckInfo> waypoint_checks() { return {}; }

}  // namespace meshdoctor::checks
