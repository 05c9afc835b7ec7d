#include "probe/yaml_scalar.hpp"

#include <cctype>
#include <charconv>
#include <optional>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

namespace meshdoctor::probe {
namespace {

bool one_of(std::string_view text, std::initializer_list<std::string_view> words) {
  for (auto w : words) {
    if (text == w) return true;
  }
  return false;
}

bool all_digits(std::string_view s, int base) {
  if (s.empty()) return false;
  for (char c : s) {
    const bool ok = base == 16 ? std::isxdigit(static_cast<unsigned char>(c)) != 0
                               : (c >= '0' && c < static_cast<char>('0' + base));
    if (!ok) return false;
  }
  return true;
}

// Integers: decimal with optional sign, 0x hex, 0o octal. Values beyond int64 stay text.
std::optional<nlohmann::json> as_integer(std::string_view text) {
  std::string_view body = text;
  bool negative = false;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  int base = 10;
  if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'o')) {
    base = body[1] == 'x' ? 16 : 8;
    body.remove_prefix(2);
  }
  if (!all_digits(body, base)) return std::nullopt;
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), value, base);
  if (ec != std::errc() || ptr != body.data() + body.size()) return std::nullopt;
  return nlohmann::json(negative ? -value : value);
}

// Floats per the YAML 1.2 core schema: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool float_syntax(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t int_digits = 0, frac_digits = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++int_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t exp_digits = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == s.size();
}

std::optional<nlohmann::json> as_float(std::string_view text) {
  if (!float_syntax(text)) return std::nullopt;
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data() + (text[0] == '+' ? 1 : 0),
                                   text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return nlohmann::json(value);
}

// Most scalars are names and paths: those are decided from the first character alone.
constexpr std::string_view k_may_resolve = "0123456789+-.~nNtTfFyYoO";

}  // namespace

bool plain_scalar_is_text(std::string_view text) {
  if (!text.empty() && k_may_resolve.find(text.front()) == std::string_view::npos) return true;
  return resolve_plain_scalar(text).is_string();
}

nlohmann::json resolve_plain_scalar(std::string_view text) {
  if (!text.empty() && k_may_resolve.find(text.front()) == std::string_view::npos) {
    return std::string(text);
  }
  if (one_of(text, {"", "~", "null", "Null", "NULL"})) return nullptr;
  if (one_of(text, {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"})) return true;
  if (one_of(text, {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"}))
    return false;
  if (auto i = as_integer(text)) return *i;
  if (auto f = as_float(text)) return *f;
  // .inf/.nan have no JSON form; keeping them as text loses nothing checks read.
  return std::string(text);
}

}  // namespace meshdoctor::probe
