#pragma once
// Writes (README.md, "Writes"), applied to the loaded bundle in place, as the API server would:
//   PATCH  .../<plural>/<name>[/status]  merge or map-only strategic merge patch; metadata.uid and
//          metadata.resourceVersion in the patch are preconditions (409 when stale)
//   POST   .../<plural>                 a new object (generateName, uid, resourceVersion,
//          creationTimestamp stamped); events are accepted in any namespace
//   DELETE .../<plural>/<name>          DeleteOptions preconditions (uid, resourceVersion)
// A resource the bundle did not collect is 403, as reads answer. The caller holds the bundle's
// lock alone. Everything else (PUT, writes elsewhere) is 405.
#include "api_types.hpp"
#include "bundle_index.hpp"

namespace meshdoctor::fakekube {

struct WriteOptions {
  bool simulate_rollouts = false;  // a PATCH of a workload's pod template replaces its pods
  int rollout_delay_ms = 0;        // ...which stay NotReady this long
};

// Whether the request changes state (POSTs of Prometheus queries do not).
bool is_write(const ApiRequest& request);

ApiResponse route_write(Bundle& bundle, const ApiRequest& request, const WriteOptions& options);

}  // namespace meshdoctor::fakekube
