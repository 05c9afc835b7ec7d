#pragma once
// Opaque continue tokens: the bundle generation, the list they page through, the key of the last
// object sent (the next page starts after it, as the API server's etcd key does) and how many
// items were sent so far (for remainingItemCount), hex-encoded so clients cannot read meaning
// into them.
#include <cstddef>
#include <optional>
#include <string>

namespace meshdoctor::fakekube {

struct ContinuePosition {
  int generation = 0;
  std::string list;       // what was listed: resource, namespace and selectors
  std::size_t offset = 0; // items sent before the next page
  std::string after_ns;   // the last object sent: (namespace, name)
  std::string after_name;
};

std::string encode_continue(const ContinuePosition& position);
std::optional<ContinuePosition> decode_continue(const std::string& token);

}  // namespace meshdoctor::fakekube
