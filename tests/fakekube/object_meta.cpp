// Metadata stamps for writes.
#include "object_meta.hpp"

#include <random>

#include "util/time.hpp"
#include "watch.hpp"

namespace meshdoctor::fakekube {
namespace {

using nlohmann::json;

std::mt19937_64& generator() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return engine;
}

}  // namespace

std::string rfc3339(std::chrono::system_clock::time_point t) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  return util::format_rfc3339(static_cast<util::Micros>(seconds) * 1000000);
}

std::string now_rfc3339() { return rfc3339(std::chrono::system_clock::now()); }

std::string random_suffix(std::size_t n) {
  static constexpr char k_alphabet[] = "bcdfghjklmnpqrstvwxz";
  std::uniform_int_distribution<std::size_t> pick(0, sizeof k_alphabet - 2);
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += k_alphabet[pick(generator())];
  return out;
}

std::string new_uid() {
  std::uniform_int_distribution<int> nibble(0, 15);
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) out += '-';
    int v = nibble(generator());
    if (i == 12) v = 4;                   // version 4
    if (i == 16) v = 8 | (v & 3);         // RFC 4122 variant
    out += k_hex[v];
  }
  return out;
}

std::string meta_text(const json& object, const char* key) {
  if (!object.is_object()) return "";
  auto meta = object.find("metadata");
  if (meta == object.end() || !meta->is_object()) return "";
  auto it = meta->find(key);
  return it != meta->end() && it->is_string() ? it->get<std::string>() : "";
}

std::string next_resource_version(Bundle& bundle) { return std::to_string(bundle.events->next()); }

}  // namespace meshdoctor::fakekube
