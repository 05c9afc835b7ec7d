#include "checks/catalogue.hpp"

namespace meshdoctor::checks {

std::vector<CheckInfo> control_plane_checks() { return {}; }

}  // namespace meshdoctor::checks
