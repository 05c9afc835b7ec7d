#include <doctest/doctest.h>

#include "util/time.hpp"

using meshdoctor::util::format_duration;
using meshdoctor::util::format_human;
using meshdoctor::util::format_rfc3339;
using meshdoctor::util::Micros;
using meshdoctor::util::parse_rfc3339;

TEST_SUITE("util::time") {
  TEST_CASE("a UTC timestamp without fraction parses to epoch microseconds") {
    CHECK(parse_rfc3339("1970-01-01T00:00:00Z") == Micros{0});
    CHECK(parse_rfc3339("2025-09-02T08:14:03Z") == Micros{1756800843} * 1'000'000);
  }

  TEST_CASE("fractions of 1 to 9 digits are kept to the microsecond") {
    const Micros base = Micros{1756800843} * 1'000'000;
    CHECK(parse_rfc3339("2025-09-02T08:14:03.5Z") == base + 500000);
    CHECK(parse_rfc3339("2025-09-02T08:14:03.508102Z") == base + 508102);
    CHECK(parse_rfc3339("2025-09-02T08:14:03.508102999Z") == base + 508102);
    CHECK_FALSE(parse_rfc3339("2025-09-02T08:14:03.5081029991Z"));
    CHECK_FALSE(parse_rfc3339("2025-09-02T08:14:03.Z"));
  }

  TEST_CASE("numeric offsets are applied and lower-case t and z are accepted") {
    const auto utc = parse_rfc3339("2025-09-02T08:14:03Z");
    CHECK(parse_rfc3339("2025-09-02T10:14:03+02:00") == utc);
    CHECK(parse_rfc3339("2025-09-02T03:44:03-04:30") == utc);
    CHECK(parse_rfc3339("2025-09-02t08:14:03z") == utc);
    CHECK(parse_rfc3339("2025-09-02T08:14:03+00:00") == utc);
  }

  TEST_CASE("garbage and out-of-range fields are rejected") {
    for (const char* bad : {"", "now", "2025-09-02", "2025-09-02 08:14:03Z", "2025-13-02T08:14:03Z",
                            "2025-02-29T08:14:03Z", "2025-09-31T08:14:03Z", "2025-09-02T24:00:00Z",
                            "2025-09-02T08:60:00Z", "2025-09-02T08:14:03", "2025-09-02T08:14:03+2:00",
                            "2025-09-02T08:14:03+24:00", "2025-09-02T08:14:03Zjunk", "2025-9-02T08:14:03Z",
                            "２０２５-09-02T08:14:03Z"}) {
      CAPTURE(bad);
      CHECK_FALSE(parse_rfc3339(bad));
    }
    CHECK(parse_rfc3339("2024-02-29T00:00:00Z"));  // leap year
  }

  TEST_CASE("formatting round-trips and shows a fraction only when non-zero") {
    CHECK(format_rfc3339(*parse_rfc3339("2025-09-02T08:14:03Z")) == "2025-09-02T08:14:03Z");
    CHECK(format_rfc3339(*parse_rfc3339("2025-09-02T08:14:03.508102Z")) ==
          "2025-09-02T08:14:03.508102Z");
    CHECK(format_rfc3339(-1'000'000) == "1969-12-31T23:59:59Z");
    CHECK(format_human(*parse_rfc3339("2026-11-20T12:30:59Z")) == "2026-11-20 12:30 UTC");
  }

  TEST_CASE("durations use at most two units") {
    CHECK(format_duration(850'000) == "850ms");
    CHECK(format_duration(41'000'000) == "41s");
    CHECK(format_duration(200'000'000) == "3m20s");
    CHECK(format_duration(Micros{7500} * 1'000'000) == "2h5m");
    CHECK(format_duration(Micros{3 * 86400 + 4 * 3600 + 59} * 1'000'000) == "3d4h");
    CHECK(format_duration(Micros{120} * 1'000'000) == "2m");
  }
}
