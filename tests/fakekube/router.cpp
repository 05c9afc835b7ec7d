// Request dispatch by route.
#include "router.hpp"

#include <mutex>
#include <shared_mutex>

#include "api_path.hpp"
#include "discovery.hpp"
#include "listing.hpp"
#include "pod_logs.hpp"
#include "pod_proxy.hpp"
#include "prometheus.hpp"
#include "rollouts.hpp"
#include "status.hpp"

namespace meshdoctor::fakekube {
namespace {

constexpr const char* k_thanos = "https:thanos-querier:9091";

ApiResponse page_not_found() {
  return status_response(404, "NotFound", "the server could not find the requested resource");
}

// A list touching a file that did not parse fails like an API server with a broken backend.
const std::string* unreadable_in(const ResourceEntry& entry, const std::string& ns) {
  for (const auto& [file_ns, message] : entry.unreadable) {
    if (ns.empty() || file_ns.empty() || file_ns == ns) return &message;
  }
  return nullptr;
}

ApiResponse collection(const Bundle& bundle, const ApiPath& p, const ApiRequest& request, const RouterOptions& options) {
  if (auto refused = refuse_collection(bundle, p, "list")) return *refused;
  return list_objects(bundle, ListTarget{bundle.find(p.group, p.plural), p.version, p.ns}, request, options.page_size_cap);
}

ApiResponse object(const Bundle& bundle, const ApiPath& p) {
  const ResourceEntry* entry = bundle.find(p.group, p.plural);
  const std::string ns = p.plural == "namespaces" && p.group.empty() ? "" : p.ns;
  if (!entry || !entry->collected_in(ns)) return forbidden({"get", p.group, p.plural, ns, p.name});
  const StoredObject* found = bundle.find_object(p.group, p.plural, ns, p.name);
  if (!found) return not_found(p.group.empty() ? p.plural : p.plural + "." + p.group, p.name);
  return ApiResponse{200, "application/json", found->text(), {}};
}

bool is_prometheus_query(const ApiPath& p) {
  return p.route == Route::prometheus ||
         (p.route == Route::service_proxy && p.ns == "openshift-monitoring" && p.name == k_thanos && p.subpath == "api/v1/query");
}

ApiResponse prometheus(const Bundle& bundle, const ApiRequest& request, const RouterOptions& options) {
  if (options.prometheus_upstream) {
    if (auto forwarded = options.prometheus_upstream(request)) return *forwarded;
  }
  return prometheus_query(bundle, request);
}

ApiResponse service_proxy(const Bundle& bundle, const ApiPath& p, const ApiRequest& request, const RouterOptions& options) {
  if (p.ns == "openshift-monitoring" && p.name == k_thanos && p.subpath == "api/v1/query") {
    return prometheus(bundle, request, options);
  }
  return status_response(503, "ServiceUnavailable", "no endpoints available for service \"" + p.name + "\"");
}


}  // namespace

std::optional<ApiResponse> refuse_collection(const Bundle& bundle, const ApiPath& p, const char* verb) {
  const ResourceEntry* entry = bundle.find(p.group, p.plural);
  if (!entry || !entry->collected_in(p.ns)) return forbidden({verb, p.group, p.plural, p.ns, ""});
  if (const std::string* broken = unreadable_in(*entry, p.ns)) {
    return status_response(500, "InternalError", "the bundle file behind this list is unreadable: " + *broken);
  }
  return std::nullopt;
}

ApiResponse route_request(const Bundle& bundle, const ApiRequest& request, const RouterOptions& options) {
  const ApiPath p = parse_api_path(request.path);
  const bool query_route = p.route == Route::prometheus || p.route == Route::service_proxy;
  if (request.method != "GET" && !(request.method == "POST" && query_route)) return method_not_allowed();
  switch (p.route) {
    case Route::version: return version_info();
    case Route::api_versions: return api_versions();
    case Route::group_list: return group_list(bundle);
    case Route::group: return api_group(bundle, p.group);
    case Route::resource_list: return resource_list(bundle, p.group, p.version);
    case Route::collection: return collection(bundle, p, request, options);
    case Route::object: return object(bundle, p);
    case Route::status: return object(bundle, p);
    case Route::pod_log: return pod_log(bundle, p.ns, p.name, request);
    case Route::pod_proxy: return pod_proxy(bundle, p.ns, p.name, p.subpath);
    case Route::service_proxy: return service_proxy(bundle, p, request, options);
    case Route::prometheus: return prometheus(bundle, request, options);
    case Route::unknown: break;
  }
  return page_not_found();
}

ApiResponse serve_request(Bundle& bundle, const ApiRequest& request, const RouterOptions& options) {
  if (options.prometheus_upstream && is_prometheus_query(parse_api_path(request.path))) {
    if (auto forwarded = options.prometheus_upstream(request)) return *forwarded;
  }
  if (pods_due(bundle)) {
    std::unique_lock lock(bundle.mutex);
    settle_ready_pods(bundle);
  }
  if (is_write(request)) {
    std::unique_lock lock(bundle.mutex);
    return route_write(bundle, request, options.writes);
  }
  std::shared_lock lock(bundle.mutex);
  return route_request(bundle, request, options);
}

}  // namespace meshdoctor::fakekube
