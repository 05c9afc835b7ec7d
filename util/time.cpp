#include "util/time.hpp"

#include <cstdio>

namespace meshdoctor::util {
namespace {

constexpr Micros k_micros_per_second = 1'000'000;
constexpr Micros k_micros_per_day = 86'400 * k_micros_per_second;

// Days since 1970-01-01 for a proleptic Gregorian date. Computed here rather than with timegm so
// that neither the TZ environment nor the C library's locale can change a parsed timestamp.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
  std::int64_t year;
  unsigned month, day;
};

Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

bool is_leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(std::int64_t y, unsigned m) {
  static constexpr unsigned k_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : k_days[m - 1];
}

// A cursor over the text that reads fixed-width digit fields and literal separators.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : m_text(text) {}
  bool digits(int width, int& out) {
    if (m_pos + width > m_text.size()) return false;
    out = 0;
    for (int i = 0; i < width; ++i) {
      const char c = m_text[m_pos + i];
      if (c < '0' || c > '9') return false;
      out = out * 10 + (c - '0');
    }
    m_pos += width;
    return true;
  }
  bool literal(char a, char b = 0) {
    if (m_pos >= m_text.size()) return false;
    const char c = m_text[m_pos];
    if (c != a && (b == 0 || c != b)) return false;
    ++m_pos;
    return true;
  }
  bool at_end() const { return m_pos == m_text.size(); }
  char peek() const { return m_pos < m_text.size() ? m_text[m_pos] : '\0'; }

  // Reads 1-9 fraction digits after a '.', truncated to microseconds.
  bool fraction(Micros& out) {
    int count = 0;
    Micros value = 0;
    while (m_pos < m_text.size() && m_text[m_pos] >= '0' && m_text[m_pos] <= '9') {
      if (++count > 9) return false;
      if (count <= 6) value = value * 10 + (m_text[m_pos] - '0');
      ++m_pos;
    }
    if (count == 0) return false;
    for (int i = count; i < 6; ++i) value *= 10;
    out = value;
    return true;
  }

 private:
  std::string_view m_text;
  std::size_t m_pos = 0;
};

// Reads "Z" or "+hh:mm"/"-hh:mm"; returns the offset east of UTC in seconds.
bool parse_offset(Cursor& c, std::int64_t& offset_seconds) {
  if (c.literal('Z', 'z')) {
    offset_seconds = 0;
    return true;
  }
  const char sign = c.peek();
  if (!c.literal('+', '-')) return false;
  int hh = 0, mm = 0;
  if (!c.digits(2, hh) || !c.literal(':') || !c.digits(2, mm)) return false;
  if (hh > 23 || mm > 59) return false;
  offset_seconds = (hh * 3600 + mm * 60) * (sign == '-' ? -1 : 1);
  return true;
}

std::string two(unsigned v) {
  char buf[4];
  std::snprintf(buf, sizeof buf, "%02u", v % 100);
  return buf;
}

struct Split {
  Civil date;
  unsigned hour, minute, second;
  Micros micros;
};

Split split(Micros t) {
  std::int64_t days = t / k_micros_per_day;
  Micros rest = t % k_micros_per_day;
  if (rest < 0) {
    rest += k_micros_per_day;
    --days;
  }
  const auto secs = static_cast<unsigned>(rest / k_micros_per_second);
  return {civil_from_days(days), secs / 3600, secs / 60 % 60, secs % 60,
          rest % k_micros_per_second};
}

std::string date_text(const Civil& c) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(c.year), c.month,
                c.day);
  return buf;
}

}  // namespace

std::optional<Micros> parse_rfc3339(std::string_view text) {
  Cursor c(text);
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!c.digits(4, year) || !c.literal('-') || !c.digits(2, month) || !c.literal('-') ||
      !c.digits(2, day) || !c.literal('T', 't') || !c.digits(2, hour) || !c.literal(':') ||
      !c.digits(2, minute) || !c.literal(':') || !c.digits(2, second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || static_cast<unsigned>(day) > days_in_month(year, month))
    return std::nullopt;
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;  // 60: a leap second
  Micros fraction = 0;
  if (c.literal('.') && !c.fraction(fraction)) return std::nullopt;
  std::int64_t offset = 0;
  if (!parse_offset(c, offset) || !c.at_end()) return std::nullopt;
  const std::int64_t secs = days_from_civil(year, month, day) * 86'400 + hour * 3600 +
                            minute * 60 + second - offset;
  // A time that lands past 9999-12-31T23:59:59Z (a leap second or an offset on the last day)
  // could not be written back as RFC3339 (found by tests/fuzz).
  constexpr std::int64_t k_year_10000 = 253'402'300'800;
  if (secs >= k_year_10000) return std::nullopt;
  return secs * k_micros_per_second + fraction;
}

std::string format_rfc3339(Micros t) {
  const Split s = split(t);
  std::string out = date_text(s.date) + "T" + two(s.hour) + ":" + two(s.minute) + ":" + two(s.second);
  if (s.micros != 0) {
    char buf[16];
    std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(s.micros));
    out += buf;
  }
  return out + "Z";
}

std::string format_human(Micros t) {
  const Split s = split(t);
  return date_text(s.date) + " " + two(s.hour) + ":" + two(s.minute) + " UTC";
}

std::string format_duration(Micros d) {
  if (d < 0) return "-" + format_duration(-d);
  if (d < k_micros_per_second) return std::to_string(d / 1000) + "ms";
  const std::int64_t secs = d / k_micros_per_second;
  // Two units at most, the smaller one omitted when zero: "3m20s", "2h", "3d4h".
  auto pair = [](std::int64_t big, const char* big_unit, std::int64_t small, const char* small_unit) {
    std::string out = std::to_string(big) + big_unit;
    if (small != 0) out += std::to_string(small) + small_unit;
    return out;
  };
  if (secs < 60) return std::to_string(secs) + "s";
  if (secs < 3600) return pair(secs / 60, "m", secs % 60, "s");
  if (secs < 86'400) return pair(secs / 3600, "h", secs / 60 % 60, "m");
  return pair(secs / 86'400, "d", secs / 3600 % 24, "h");
}

}  // namespace meshdoctor::util
