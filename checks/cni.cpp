#include "checks/catalogue.hpp"

namespace meshdoctor::checks {

std::vector<CheckInfo> cni_checks() { return {}; }

}  // namespace meshdoctor::checks
