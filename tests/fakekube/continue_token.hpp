#pragma once
// Opaque continue tokens: the bundle generation, the list they page through and the offset of
// the next item, hex-encoded so clients cannot read meaning into them.
#include <cstddef>
#include <optional>
#include <string>

namespace meshdoctor::fakekube {

struct ContinuePosition {
  int generation = 0;
  std::string list;      // what was listed: resource, namespace and selectors
  std::size_t offset = 0;
};

std::string encode_continue(const ContinuePosition& position);
std::optional<ContinuePosition> decode_continue(const std::string& token);

}  // namespace meshdoctor::fakekube
