#pragma once
// The same Kubernetes object can reach the extractor twice: a bundle holds it in a List file and
// in its own file, a live run lists agent pods on their own and again with their namespace, and
// a list restarted after 410 Gone repeats its items. The first copy wins.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace meshdoctor::probe {

class ObjectDedupe {
 public:
  ObjectDedupe();

  // True the first time an object is seen; keyed by apiVersion/kind/namespace/name and, when
  // present, by metadata.uid (the same object under another apiVersion is still one object).
  bool first_time(const nlohmann::json& object);

 private:
  // A key is remembered as its 128-bit keyed hash (SipHash-2-4 under two random keys per run):
  // 16 bytes per key whatever its length, with no collision to expect in any cluster and none
  // that a chosen object name could force.
  struct Digest {
    std::uint64_t a = 0, b = 0;
  };
  Digest digest(const std::string& text) const;
  bool contains(const Digest& d) const;
  void insert(const Digest& d);

  std::uint64_t m_keys[4];
  std::vector<Digest> m_table;  // open addressing; {0, 0} marks an empty slot
  std::size_t m_count = 0;
  std::string m_text;  // reused for the key texts
};

}  // namespace meshdoctor::probe
