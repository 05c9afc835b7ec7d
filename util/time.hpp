#pragma once
// Timestamps are microseconds since the Unix epoch, UTC. "Now" is a fact of the run, never read here.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace meshdoctor::util {

using Micros = std::int64_t;

// Parses RFC3339 / ISO-8601: "2025-09-02T08:14:03Z", "2025-09-02T08:14:03.508102Z",
// "2025-09-02T10:14:03+02:00", lower-case 't'/'z' accepted. Returns nullopt on anything else.
std::optional<Micros> parse_rfc3339(std::string_view text);

// Formats as "2025-09-02T08:14:03Z" (fraction only when non-zero: ".508102").
std::string format_rfc3339(Micros t);

// "2025-09-02 08:14 UTC" for human-facing headers.
std::string format_human(Micros t);

// "3m20s", "2h5m", "41s", "850ms" for durations in reports.
std::string format_duration(Micros d);

}  // namespace meshdoctor::util
