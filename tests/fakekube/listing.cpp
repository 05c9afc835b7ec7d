// Filtering and paging of one resource's objects.
#include "listing.hpp"

#include <algorithm>
#include <charconv>
#include <variant>
#include <nlohmann/json.hpp>

#include "continue_token.hpp"
#include "resource_kinds.hpp"
#include "selectors.hpp"
#include "status.hpp"

namespace meshdoctor::fakekube {
namespace {

using nlohmann::json;

std::size_t parse_limit(const std::string& text) {
  std::size_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

// What a continue token must have been issued for: same resource, namespace and selectors.
std::string list_identity(const ListTarget& target, const ApiRequest& request) {
  return resource_key(target.entry->group, target.entry->plural) + "|" + target.ns + "|" +
         request.param("labelSelector") + "|" + request.param("fieldSelector");
}

// The offset to start at, or the error response for a bad or stale token.
std::variant<std::size_t, ApiResponse> start_offset(const Bundle& bundle, const std::string& identity,
                                                    const std::string& token) {
  if (token.empty()) return std::size_t{0};
  auto position = decode_continue(token);
  if (!position || position->list != identity) return bad_request("continue key is not valid: invalid continue token");
  if (position->generation != bundle.generation) return continue_expired();
  return position->offset;
}

std::string list_kind(const ResourceEntry& entry) {
  return (entry.kind.empty() ? guess_kind(entry.plural) : entry.kind) + "List";
}

}  // namespace

ApiResponse list_objects(const Bundle& bundle, const ListTarget& target, const ApiRequest& request,
                         std::size_t page_size_cap) {
  auto labels = parse_label_selector(request.param("labelSelector"));
  if (!labels) return bad_request(labels.error().message);
  auto fields = parse_field_selector(request.param("fieldSelector"));
  if (!fields) return bad_request(fields.error().message);

  std::vector<const json*> matched;
  for (const auto& [key, object] : target.entry->objects) {
    if (!target.ns.empty() && key.first != target.ns) continue;
    if (matches_labels(*labels, object) && matches_fields(*fields, object)) matched.push_back(&object);
  }

  const std::string identity = list_identity(target, request);
  auto start = start_offset(bundle, identity, request.param("continue"));
  if (auto* error = std::get_if<ApiResponse>(&start)) return *error;
  const std::size_t offset = std::min(std::get<std::size_t>(start), matched.size());
  std::size_t limit = parse_limit(request.param("limit"));
  if (page_size_cap > 0 && (limit == 0 || limit > page_size_cap)) limit = page_size_cap;
  const std::size_t end = limit > 0 ? std::min(offset + limit, matched.size()) : matched.size();

  json body = {{"apiVersion", group_version(target.entry->group, target.version)},
               {"kind", list_kind(*target.entry)},
               {"metadata", {{"resourceVersion", std::to_string(bundle.generation)}}},
               {"items", json::array()}};
  for (std::size_t i = offset; i < end; ++i) body["items"].push_back(*matched[i]);
  if (end < matched.size()) {
    body["metadata"]["continue"] = encode_continue({bundle.generation, identity, end});
    if (labels->empty() && fields->empty()) body["metadata"]["remainingItemCount"] = matched.size() - end;
  }
  return ApiResponse{200, "application/json", body.dump(), {}};
}

}  // namespace meshdoctor::fakekube
