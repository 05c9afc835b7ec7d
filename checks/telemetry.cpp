#include "checks/catalogue.hpp"

namespace meshdoctor::checks {

std::vector<CheckInfo> telemetry_checks() { return {}; }

}  // namespace meshdoctor::checks
