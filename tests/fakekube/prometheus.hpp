#pragma once
// The Prometheus HTTP API (`/api/v1/query?query=...`) answered from meshdoctor/prometheus.json:
// an entry whose query equals the request's (ignoring spaces), else the first entry sharing a
// metric name with it, else one sharing a metric family (istio_tcp_*, istio_requests_*), answers
// a vector of `series` samples; no matching entry → an empty vector. Served behind the service
// proxy to thanos-querier and at the root (for --prometheus-url pointing at fakekube). A bundle
// without prometheus.json answers 403, as a missing grant would: both sides report unknown.
#include <string>
#include <vector>

#include "api_types.hpp"
#include "bundle_index.hpp"

namespace meshdoctor::fakekube {

ApiResponse prometheus_query(const Bundle& bundle, const ApiRequest& request);

// Identifiers of a PromQL expression that look like metric names (contain '_', not a function).
std::vector<std::string> metric_names(const std::string& query);

}  // namespace meshdoctor::fakekube
