// RFC3339 timestamps (object metadata, log prefixes, plan files): any bytes, and whatever
// parses must format and parse back to the same instant.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "util/time.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace meshdoctor::util;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = parse_rfc3339(text);
  if (!parsed) return 0;
  const std::string formatted = format_rfc3339(*parsed);
  const auto again = parse_rfc3339(formatted);
  if (!again || *again != *parsed) __builtin_trap();  // round trip broken
  (void)format_human(*parsed);
  return 0;
}
