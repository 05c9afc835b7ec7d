#include "probe/object_dedupe.hpp"

#include <cstring>
#include <nlohmann/json.hpp>
#include <random>

#include "probe/extract_fields.hpp"

namespace meshdoctor::probe {
namespace {

constexpr std::uint64_t rotl(std::uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }

struct SipState {
  std::uint64_t v0, v1, v2, v3;
  void round() {
    v0 += v1, v1 = rotl(v1, 13), v1 ^= v0, v0 = rotl(v0, 32);
    v2 += v3, v3 = rotl(v3, 16), v3 ^= v2;
    v0 += v3, v3 = rotl(v3, 21), v3 ^= v0;
    v2 += v1, v1 = rotl(v1, 17), v1 ^= v2, v2 = rotl(v2, 32);
  }
  void absorb(std::uint64_t m) {
    v3 ^= m;
    round(), round();
    v0 ^= m;
  }
};

// SipHash-2-4 (Aumasson, Bernstein) with a 128-bit key.
std::uint64_t siphash24(std::uint64_t k0, std::uint64_t k1, const std::string& text) {
  SipState s{k0 ^ 0x736f6d6570736575ULL, k1 ^ 0x646f72616e646f6dULL, k0 ^ 0x6c7967656e657261ULL,
             k1 ^ 0x7465646279746573ULL};
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t m = 0;
    for (int j = 7; j >= 0; --j) m = (m << 8) | p[i + static_cast<std::size_t>(j)];
    s.absorb(m);
  }
  std::uint64_t last = static_cast<std::uint64_t>(n & 0xff) << 56;
  for (std::size_t j = 0; i + j < n; ++j) last |= static_cast<std::uint64_t>(p[i + j]) << (8 * j);
  s.absorb(last);
  s.v2 ^= 0xff;
  s.round(), s.round(), s.round(), s.round();
  return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

std::size_t slot_of(std::uint64_t a, std::size_t mask) { return static_cast<std::size_t>(a) & mask; }

}  // namespace

ObjectDedupe::ObjectDedupe() {
  std::random_device random;
  for (auto& k : m_keys) k = (static_cast<std::uint64_t>(random()) << 32) ^ random();
}

ObjectDedupe::Digest ObjectDedupe::digest(const std::string& text) const {
  Digest d{siphash24(m_keys[0], m_keys[1], text), siphash24(m_keys[2], m_keys[3], text)};
  if (d.a == 0 && d.b == 0) d.b = 1;  // {0, 0} marks an empty slot
  return d;
}

bool ObjectDedupe::contains(const Digest& d) const {
  if (m_table.empty()) return false;
  const std::size_t mask = m_table.size() - 1;
  for (std::size_t i = slot_of(d.a, mask);; i = (i + 1) & mask) {
    const Digest& here = m_table[i];
    if (here.a == d.a && here.b == d.b) return true;
    if (here.a == 0 && here.b == 0) return false;
  }
}

void ObjectDedupe::insert(const Digest& d) {
  if ((m_count + 1) * 10 > m_table.size() * 7) {  // at most 70% full
    std::vector<Digest> old;
    old.swap(m_table);
    m_table.assign(old.empty() ? 64 : old.size() * 2, Digest{});
    m_count = 0;
    for (const Digest& e : old) {
      if (e.a != 0 || e.b != 0) insert(e);
    }
  }
  const std::size_t mask = m_table.size() - 1;
  for (std::size_t i = slot_of(d.a, mask);; i = (i + 1) & mask) {
    Digest& here = m_table[i];
    if (here.a == d.a && here.b == d.b) return;
    if (here.a == 0 && here.b == 0) {
      here = d;
      ++m_count;
      return;
    }
  }
}

bool ObjectDedupe::first_time(const nlohmann::json& o) {
  // "k" and "u" keep the two kinds of key apart: a uid never equals an identity key.
  m_text.assign("k");
  m_text += text_at(o, "apiVersion");
  m_text += '|';
  m_text += text_at(o, "kind");
  m_text += '|';
  m_text += text_at(o, "metadata", "namespace");
  m_text += '|';
  m_text += text_at(o, "metadata", "name");
  const Digest key = digest(m_text);
  const std::string uid = text_at(o, "metadata", "uid");
  Digest uid_key;
  if (!uid.empty()) {
    m_text.assign("u");
    m_text += uid;
    uid_key = digest(m_text);
  }
  const bool seen = contains(key) || (!uid.empty() && contains(uid_key));
  insert(key);
  if (!uid.empty()) insert(uid_key);
  return !seen;
}

}  // namespace meshdoctor::probe
