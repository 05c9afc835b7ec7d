#include "util/time.hpp"

namespace meshdoctor::util {

std::optional<Micros> parse_rfc3339(std::string_view) { return std::nullopt; }
std::string format_rfc3339(Micros) { return ""; }
std::string format_human(Micros) { return ""; }
std::string format_duration(Micros) { return ""; }

}  // namespace meshdoctor::util
