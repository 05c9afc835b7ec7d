#pragma once
// Splits one container log line into what the scanners need: the time (from a leading RFC3339
// stamp added by `oc logs --timestamps`/inspect, the log's own stamp, or a JSON "time" field),
// the level, and the message text with the stamps removed. Plain and JSON formats of istio-cni
// and ztunnel are both handled; no allocation beyond the result.
#include <optional>
#include <string>
#include <string_view>

#include "util/time.hpp"

namespace meshdoctor::probe {

struct ParsedLogLine {
  std::optional<util::Micros> time;
  std::string_view level;  // "info", "warn", "error", ... as written ("ERROR" in old ztunnel)
  std::string_view body;   // the line without leading stamps and prefixes
  bool json = false;
};

ParsedLogLine parse_log_line(std::string_view line);

// The value of a top-level "key":"value" string field of a JSON log line (no unescaping).
std::string_view json_string_field(std::string_view line, std::string_view key);

// Evidence text of at most 300 characters that keeps `pos` (a match) visible, never cutting a
// UTF-8 sequence in half.
std::string excerpt(std::string_view text, std::size_t pos = 0);

bool iequals(std::string_view a, std::string_view b);

}  // namespace meshdoctor::probe
