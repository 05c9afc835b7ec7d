#include "checks/catalogue.hpp"

namespace meshdoctor::checks {

std::vector<CheckInfo> ztunnel_checks() { return {}; }

}  // namespace meshdoctor::checks
