#include "checks/catalogue.hpp"

namespace meshdoctor::checks {

std::vector<CheckInfo> fleet_checks() { return {}; }

}  // namespace meshdoctor::checks
