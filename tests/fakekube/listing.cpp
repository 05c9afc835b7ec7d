// Filtering and paging of one resource's objects.
#include "listing.hpp"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <optional>
#include <nlohmann/json.hpp>

#include "continue_token.hpp"
#include "resource_kinds.hpp"
#include "selectors.hpp"
#include "status.hpp"
#include "watch.hpp"

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

using Objects = decltype(ResourceEntry::objects);
using Iterator = Objects::const_iterator;

// The objects of the list's scope: one namespace's range of the (namespace, name) map, or all.
struct Scope {
  Iterator begin, end;
};

Scope scope_of(const ListTarget& target) {
  const Objects& objects = target.entry->objects;
  if (target.ns.empty()) return {objects.begin(), objects.end()};
  return {objects.lower_bound({target.ns, ""}), objects.lower_bound({target.ns + '\0', ""})};
}

// Where the next page starts: after the token's last key, as the API server resumes at the
// next etcd key, so objects written meanwhile neither shift nor repeat the rest of the list.
std::optional<Iterator> resume_after(const ListTarget& target, const Scope& scope, const ContinuePosition& p) {
  if (!target.ns.empty() && p.after_ns != target.ns) return std::nullopt;
  const Iterator it = target.entry->objects.upper_bound({p.after_ns, p.after_name});
  return target.ns.empty() || it == target.entry->objects.end() || it->first.first == target.ns ? it : scope.end;
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
  auto matches = [&](const StoredObject& object) {
    return matches_labels(*labels, object) && matches_fields(*fields, object);
  };

  const std::string identity = list_identity(target, request);
  const std::string token = request.param("continue");
  Scope scope = scope_of(target);
  std::size_t offset = 0;
  if (!token.empty()) {
    auto position = decode_continue(token);
    if (!position || position->list != identity) return bad_request("continue key is not valid: invalid continue token");
    if (position->generation != bundle.generation) return continue_expired();
    auto resumed = resume_after(target, scope, *position);
    if (!resumed) return bad_request("continue key is not valid: invalid continue token");
    offset = position->offset;
    scope.begin = *resumed;
  }
  std::size_t limit = parse_limit(request.param("limit"));
  if (page_size_cap > 0 && (limit == 0 || limit > page_size_cap)) limit = page_size_cap;

  // Items are appended as the text they are stored as: nothing is parsed or serialized per page.
  std::string items;
  std::size_t sent = 0;
  Iterator it = scope.begin, last = scope.end;
  for (; it != scope.end && (limit == 0 || sent < limit); ++it) {
    if (!matches(it->second)) continue;
    items += sent++ ? "," : "";
    items += it->second.text();
    last = it;
  }
  while (it != scope.end && !matches(it->second)) ++it;  // is there a next page at all?
  const bool more = it != scope.end;

  // The cluster's resourceVersion (a watch from it follows this list); continue tokens name the
  // bundle generation instead, which only reloads change.
  json meta = {{"resourceVersion", std::to_string(bundle.events->current())}};
  if (more) {
    meta["continue"] = encode_continue({bundle.generation, identity, offset + sent, last->first.first, last->first.second});
    if (labels->empty() && fields->empty()) {
      const Scope all = scope_of(target);
      const auto total = target.ns.empty() ? target.entry->objects.size()
                                           : static_cast<std::size_t>(std::distance(all.begin, all.end));
      meta["remainingItemCount"] = total > offset + sent ? total - offset - sent : 0;
    }
  }
  std::string body = R"({"apiVersion":)" + json(group_version(target.entry->group, target.version)).dump() +
                     R"(,"kind":)" + json(list_kind(*target.entry)).dump() + R"(,"metadata":)" + meta.dump() +
                     R"(,"items":[)";
  body.reserve(body.size() + items.size() + 2);
  body += items;
  body += "]}";
  return ApiResponse{200, "application/json", std::move(body), {}};
}

}  // namespace meshdoctor::fakekube
