#include "checks/catalogue.hpp"

namespace meshdoctor::checks {

std::vector<CheckInfo> kiali_checks() { return {}; }

}  // namespace meshdoctor::checks
