// PATCH, POST and DELETE on the loaded bundle. Each works on a copy and stores it last, so a
// refused write leaves the object untouched.
#include "writes.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include "api_path.hpp"
#include "bundle_load_internal.hpp"
#include "object_meta.hpp"
#include "resource_kinds.hpp"
#include "rollouts.hpp"
#include "status.hpp"
#include "watch.hpp"

namespace meshdoctor::fakekube {
namespace {

using nlohmann::json;

constexpr const char* k_merge_patch = "application/merge-patch+json";
constexpr const char* k_strategic_patch = "application/strategic-merge-patch+json";
constexpr const char* k_modified =
    "the object has been modified; please apply your changes to the latest version and try again";

// A body parsed as JSON, or why it is not JSON.
struct Parsed {
  json value;
  std::string error;
};

Parsed parse_json(const std::string& text) {
  try {
    return {json::parse(text), ""};
  } catch (const json::exception& e) {
    return {json(), e.what()};
  }
}

bool blank(const std::string& text) { return text.find_first_not_of(" \t\r\n") == std::string::npos; }

// "Application/Merge-Patch+JSON; charset=utf-8" → "application/merge-patch+json".
std::string media_type(const std::string& header) {
  std::string type = header.substr(0, header.find(';'));
  type.erase(std::remove_if(type.begin(), type.end(), [](unsigned char c) { return std::isspace(c); }), type.end());
  std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
  return type;
}

bool dry_run(const ApiRequest& request) { return request.param("dryRun") == "All"; }

ApiResponse json_answer(int code, const json& object) { return ApiResponse{code, "application/json", object.dump(), {}}; }

// The namespace of an object path: none for namespaces themselves (find_object ignores it for
// other cluster-scoped kinds).
std::string object_ns(const ApiPath& p) { return p.plural == "namespaces" && p.group.empty() ? "" : p.ns; }

const json* child(const json& o, const char* key) {
  if (!o.is_object()) return nullptr;
  auto it = o.find(key);
  return it == o.end() ? nullptr : &*it;
}

// A precondition value as text: "" when absent (null or empty means no precondition).
std::string precondition(const json* holder, const char* key) {
  const json* v = holder ? child(*holder, key) : nullptr;
  if (!v || v->is_null()) return "";
  return v->is_string() ? v->get<std::string>() : v->dump();
}

// ---- PATCH --------------------------------------------------------------------------------------

// metadata.uid and metadata.resourceVersion in a patch are preconditions, as for the API server.
std::optional<ApiResponse> patch_preconditions(const ApiPath& p, const json& stored, const json& patch) {
  const json* meta = child(patch, "metadata");
  const std::string uid = precondition(meta, "uid");
  if (!uid.empty() && uid != meta_text(stored, "uid")) {
    return conflict(p.group, p.plural, p.name,
                    "Precondition failed: UID in precondition: " + uid + ", UID in object meta: " + meta_text(stored, "uid"));
  }
  const std::string rv = precondition(meta, "resourceVersion");
  if (!rv.empty() && rv != meta_text(stored, "resourceVersion")) return conflict(p.group, p.plural, p.name, k_modified);
  return std::nullopt;
}

// A map-only strategic merge patch is a merge patch once its directives are handled:
// {"$patch": "delete"} removes the map; the other "$..." keys (list order, retainKeys) go.
void strategic_to_merge(json& patch) {
  if (!patch.is_object()) return;
  for (auto it = patch.begin(); it != patch.end();) {
    if (it.key().starts_with("$")) {
      it = patch.erase(it);
      continue;
    }
    json& value = it.value();
    const json* directive = child(value, "$patch");
    if (directive && directive->is_string() && directive->get<std::string>() == "delete") value = nullptr;
    else strategic_to_merge(value);
    ++it;
  }
}

// A patch may not move an object: its name and namespace stay the URL's.
std::optional<ApiResponse> moved(const json& stored, const json& updated) {
  if (!child(updated, "metadata") || !child(updated, "metadata")->is_object()) {
    return bad_request("the patch leaves the object without metadata");
  }
  for (const char* key : {"name", "namespace"}) {
    const std::string before = meta_text(stored, key), after = meta_text(updated, key);
    if (before != after) {
      return bad_request(std::string("the ") + key + " of the object (" + after + ") does not match the " + key +
                         " on the URL (" + before + ")");
    }
  }
  return std::nullopt;
}

void restore(const json& from, json& to, const char* key) {
  const json* value = child(from, key);
  if (value) to[key] = *value;
  else to.erase(key);
}

// The main resource ignores status changes and the status subresource everything but status,
// as the API server's strategies do; type fields never change.
void keep_unpatchable(const json& stored, json& updated, bool status_only) {
  if (status_only) {
    json patched = std::move(updated);
    updated = stored;
    restore(patched, updated, "status");
    return;
  }
  for (const char* key : {"status", "kind", "apiVersion"}) restore(stored, updated, key);
}

bool same_at(const json& a, const json& b, std::initializer_list<const char*> path) {
  const json* x = &a;
  const json* y = &b;
  for (const char* key : path) {
    x = x ? child(*x, key) : nullptr;
    y = y ? child(*y, key) : nullptr;
  }
  return (!x && !y) || (x && y && *x == *y);
}

// metadata.generation counts spec changes (1 when the bundle did not say).
void bump_generation(const json& stored, json& updated) {
  if (same_at(stored, updated, {"spec"})) return;
  json& meta = updated["metadata"];
  const json* g = child(meta, "generation");
  meta["generation"] = (g && g->is_number_integer() ? g->get<long long>() : 1) + 1;
}

ApiResponse patch_object(Bundle& bundle, const ApiPath& p, const ApiRequest& request, const WriteOptions& options) {
  const bool status_only = p.route == Route::status;
  const std::string ns = object_ns(p);
  const ResourceEntry* entry = bundle.find(p.group, p.plural);
  if (!entry || !entry->collected_in(ns)) {
    return forbidden({"patch", p.group, status_only ? p.plural + "/status" : p.plural, ns, p.name});
  }
  const std::string type = media_type(request.content_type);
  if (type != k_merge_patch && type != k_strategic_patch) {
    return unsupported_media_type(request.content_type, std::string(k_merge_patch) + ", " + k_strategic_patch);
  }
  Parsed patch = parse_json(request.body);
  if (!patch.error.empty()) return bad_request("error decoding patch: " + patch.error);
  if (!patch.value.is_object()) return bad_request("error decoding patch: the patch is not a JSON object");
  StoredObject* held = bundle.find_object(p.group, p.plural, ns, p.name);
  if (!held) return not_found(qualified_resource(p.group, p.plural), p.name);
  const json stored = held->value();
  if (auto refused = patch_preconditions(p, stored, patch.value)) return *refused;
  if (type == k_strategic_patch) strategic_to_merge(patch.value);

  json updated = stored;
  updated.merge_patch(patch.value);
  if (auto refused = moved(stored, updated)) return *refused;
  keep_unpatchable(stored, updated, status_only);
  if (const json* meta = child(stored, "metadata")) {
    for (const char* key : {"uid", "creationTimestamp", "resourceVersion"}) restore(*meta, updated["metadata"], key);
  }
  if (updated == stored || dry_run(request)) return json_answer(200, updated);  // no-op: nothing written
  if (!status_only) bump_generation(stored, updated);
  updated["metadata"]["resourceVersion"] = next_resource_version(bundle);

  const bool roll = options.simulate_rollouts && !status_only && is_workload(p.group, p.plural) &&
                    !same_at(stored, updated, {"spec", "template"});
  ApiResponse answer = json_answer(200, updated);  // as written: the simulated controller acts after the answer
  const StoredObject before = *held;
  held->assign(updated);
  record_event(bundle, *entry, EventType::modified, *held, &before);
  if (roll) {
    // The controller's status write comes after the pods' changes, as its own event.
    const StoredObject patched = *held;
    simulate_rollout(bundle, {p.plural, p.ns, p.name}, updated, options.rollout_delay_ms);
    held->assign(updated);
    record_event(bundle, *entry, EventType::modified, *held, &patched);
  }
  return answer;
}

// ---- POST ---------------------------------------------------------------------------------------

// Clients record events whatever the bundle collected.
bool always_accepted(const ApiPath& p) {
  return p.plural == "events" && (p.group.empty() || p.group == "events.k8s.io");
}

bool namespaced(const Bundle& bundle, const ApiPath& p) {
  if (const ResourceEntry* entry = bundle.find(p.group, p.plural)) return !entry->cluster_scoped;
  const ResourceType* type = known_resource(p.group, p.plural);
  return !type || type->namespaced;
}

// The resource a POST stores into; nullptr when the bundle did not collect it there. An always
// accepted resource is created on the fly, collected in that namespace from then on.
ResourceEntry* create_target(Bundle& bundle, const ApiPath& p) {
  ResourceEntry* entry = bundle.find(p.group, p.plural);
  if (entry && entry->collected_in(p.ns)) return entry;
  if (!always_accepted(p)) return nullptr;
  entry = &entry_for(bundle, p.group, p.plural, false);
  entry->namespaces.insert(p.ns);
  return entry;
}

// metadata.name, or generateName plus a suffix no object of the namespace has.
std::string new_name(const ResourceEntry& entry, const std::string& key_ns, const json& object) {
  const std::string name = meta_text(object, "name");
  const std::string prefix = meta_text(object, "generateName");
  if (!name.empty() || prefix.empty()) return name;
  std::string generated = prefix + random_suffix();
  for (int i = 0; i < 20 && entry.objects.count({key_ns, generated}); ++i) generated = prefix + random_suffix();
  return generated;
}

ApiResponse create_object(Bundle& bundle, const ApiPath& p, const ApiRequest& request) {
  const bool scoped = namespaced(bundle, p);
  if (scoped && p.ns.empty()) return method_not_allowed();
  ResourceEntry* entry = create_target(bundle, p);
  if (!entry) return forbidden({"create", p.group, p.plural, p.ns, ""});
  Parsed body = parse_json(request.body);
  if (!body.error.empty()) return bad_request("the request body is not JSON: " + body.error);
  json& object = body.value;
  if (!object.is_object()) return bad_request("the request body is not a JSON object");
  if (child(object, "metadata") && !object["metadata"].is_object()) return bad_request("metadata is not an object");
  const std::string kind = entry->kind.empty() ? guess_kind(p.plural) : entry->kind;
  const std::string body_ns = meta_text(object, "namespace");
  if (scoped && !body_ns.empty() && body_ns != p.ns) {
    return bad_request("the namespace of the provided object does not match the namespace sent on the request");
  }
  const std::string key_ns = entry->cluster_scoped ? "" : p.ns;
  const std::string name = new_name(*entry, key_ns, object);
  if (name.empty()) return invalid(kind, "", "metadata.name: Required value: name or generateName is required");
  if (entry->objects.count({key_ns, name})) return already_exists(p.group, p.plural, name);

  json& meta = object["metadata"];
  meta["name"] = name;
  if (!key_ns.empty()) meta["namespace"] = key_ns;
  meta["uid"] = new_uid();
  meta["creationTimestamp"] = now_rfc3339();
  if (!object.contains("kind")) object["kind"] = kind;
  if (!object.contains("apiVersion")) object["apiVersion"] = group_version(p.group, p.version);
  if (dry_run(request)) return json_answer(201, object);
  meta["resourceVersion"] = next_resource_version(bundle);
  entry->versions.insert(p.version);
  if (entry->kind.empty()) entry->kind = kind;
  auto stored = entry->objects.emplace(std::make_pair(key_ns, name), StoredObject(object)).first;
  record_event(bundle, *entry, EventType::added, stored->second);
  return json_answer(201, object);
}

// ---- DELETE -------------------------------------------------------------------------------------

std::optional<ApiResponse> delete_preconditions(const ApiPath& p, const json& stored, const json& options) {
  const json* pre = child(options, "preconditions");
  const std::string uid = precondition(pre, "uid");
  const std::string rv = precondition(pre, "resourceVersion");
  const std::string stored_uid = meta_text(stored, "uid"), stored_rv = meta_text(stored, "resourceVersion");
  if (!uid.empty() && uid != stored_uid) {
    return conflict(p.group, p.plural, p.name,
                    "Precondition failed: UID in precondition: " + uid + ", UID in object meta: " + stored_uid);
  }
  if (!rv.empty() && rv != stored_rv) {
    return conflict(p.group, p.plural, p.name,
                    "Precondition failed: ResourceVersion in precondition: " + rv +
                        ", ResourceVersion in object meta: " + stored_rv);
  }
  return std::nullopt;
}

ApiResponse delete_object(Bundle& bundle, const ApiPath& p, const ApiRequest& request) {
  const std::string ns = object_ns(p);
  ResourceEntry* entry = bundle.find(p.group, p.plural);
  if (!entry || !entry->collected_in(ns)) return forbidden({"delete", p.group, p.plural, ns, p.name});
  json options = json::object();
  if (!blank(request.body)) {
    Parsed body = parse_json(request.body);
    if (!body.error.empty()) return bad_request("DeleteOptions: the request body is not JSON: " + body.error);
    if (!body.value.is_object()) return bad_request("DeleteOptions: the request body is not a JSON object");
    options = std::move(body.value);
  }
  auto it = entry->objects.find({entry->cluster_scoped ? "" : ns, p.name});
  if (it == entry->objects.end()) return not_found(qualified_resource(p.group, p.plural), p.name);
  json gone = it->second.value();
  if (auto refused = delete_preconditions(p, gone, options)) return *refused;
  if (dry_run(request)) return json_answer(200, gone);
  // The deletion is a write too: its resourceVersion is the one watchers see it at.
  gone["metadata"]["resourceVersion"] = next_resource_version(bundle);
  entry->objects.erase(it);
  record_event(bundle, *entry, EventType::deleted, StoredObject(gone));
  return json_answer(200, gone);
}

}  // namespace

bool is_write(const ApiRequest& request) {
  if (request.method == "GET" || request.method == "HEAD") return false;
  if (request.method != "POST") return true;
  const Route route = parse_api_path(request.path).route;
  return route != Route::prometheus && route != Route::service_proxy;
}

ApiResponse route_write(Bundle& bundle, const ApiRequest& request, const WriteOptions& options) {
  const ApiPath p = parse_api_path(request.path);
  const bool on_object = p.route == Route::object || p.route == Route::status;
  if (request.method == "PATCH" && on_object) return patch_object(bundle, p, request, options);
  if (request.method == "DELETE" && p.route == Route::object) return delete_object(bundle, p, request);
  if (request.method == "POST" && p.route == Route::collection) return create_object(bundle, p, request);
  return method_not_allowed();
}

}  // namespace meshdoctor::fakekube
