#pragma once
// labelSelector and fieldSelector as the API server parses them.
//   labels: k=v, k==v, k!=v, k, !k, k in (a,b), k notin (a,b); requirements joined by commas.
//   fields: metadata.name, metadata.namespace, spec.nodeName, status.phase with =, == or !=.
#include <string>
#include <string_view>
#include <vector>

#include "stored_object.hpp"
#include "util/expected.hpp"

namespace meshdoctor::fakekube {

struct LabelRequirement {
  enum class Op { equals, not_equals, exists, not_exists, in, not_in };
  std::string key;
  Op op = Op::exists;
  std::vector<std::string> values;
};

struct FieldRequirement {
  std::string field;
  bool equals = true;
  std::string value;
};

// Errors carry the API server's wording; the router answers them with 400 BadRequest.
util::Expected<std::vector<LabelRequirement>> parse_label_selector(std::string_view text);
util::Expected<std::vector<FieldRequirement>> parse_field_selector(std::string_view text);

bool matches_labels(const std::vector<LabelRequirement>& selector, const StoredObject& object);
bool matches_fields(const std::vector<FieldRequirement>& selector, const StoredObject& object);

}  // namespace meshdoctor::fakekube
