#pragma once
// Answers one API request from a loaded bundle: no HTTP, no faults, no authentication (the
// server adds those). Which answers stand for "not collected" (README.md, "Offline == live"):
//   * a resource the bundle neither holds files for nor lists in meshdoctor/collection.json
//     → 403 Forbidden (offline: not_found → the checks say unknown; live: forbidden → unknown);
//   * a namespaced list in a namespace whose list the bundle lacks → 403 as well;
//   * a collected resource with no object → an empty list; a missing object → 404.
#include <cstddef>
#include <functional>
#include <optional>

#include "api_path.hpp"
#include "api_types.hpp"
#include "bundle_index.hpp"
#include "writes.hpp"

namespace meshdoctor::fakekube {

// Forwards a Prometheus query elsewhere (--prometheus-upstream); nullopt = answer from the bundle.
using PrometheusForwarder = std::function<std::optional<ApiResponse>(const ApiRequest&)>;

struct RouterOptions {
  std::size_t page_size_cap = 0;
  PrometheusForwarder prometheus_upstream;
  WriteOptions writes;
};

// Why a collection cannot be listed or watched (`verb`): 403 when the bundle did not collect it
// there, 500 when a file of it did not parse; nullopt when it can. Caller holds the bundle's lock.
std::optional<ApiResponse> refuse_collection(const Bundle& bundle, const ApiPath& p, const char* verb);

// Reads only (any write is 405): the caller keeps the bundle from changing meanwhile.
ApiResponse route_request(const Bundle& bundle, const ApiRequest& request, const RouterOptions& options);

// Reads and writes, under the bundle's lock: reads share it, a write holds it alone. Pods whose
// simulated rollout delay has passed are made Ready first. Prometheus queries forwarded upstream
// hold no lock (they may take seconds and touch no object).
ApiResponse serve_request(Bundle& bundle, const ApiRequest& request, const RouterOptions& options);

}  // namespace meshdoctor::fakekube
