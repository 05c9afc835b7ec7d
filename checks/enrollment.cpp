#include "checks/catalogue.hpp"

namespace meshdoctor::checks {

std::vector<CheckInfo> enrollment_checks() { return {}; }

}  // namespace meshdoctor::checks
