#pragma once
// Prometheus (or Thanos Querier) instant queries for MD603 and MD703: how many series match.
// Fetching goes through HttpClient; parsing a response is a pure function tested on literal text.
#include <string>

#include "probe/facts.hpp"
#include "probe/http.hpp"
#include "util/expected.hpp"

namespace meshdoctor::probe {

struct PrometheusOptions {
  std::string url;           // base URL: "http://127.0.0.1:9090", or openshift_thanos_url(...)
  std::string bearer_token;  // sent as "Authorization: Bearer ..." when not empty
  TlsConfig tls;             // for the HttpClient the caller builds (make_curl_client(tls))
  long timeout_ms = 10000;   // per query
};

// Thanos Querier through the API server's service proxy (use with the kube bearer token):
// "<apiserver>/api/v1/namespaces/openshift-monitoring/services/https:thanos-querier:9091/proxy".
std::string openshift_thanos_url(const std::string& apiserver);

// The selectors collect_prometheus counts. ztunnel's TCP series are recognised by any of the
// labels the usual scrape configs give them: app="ztunnel" (OSSM docs PodMonitor, Istio's
// kubernetes-pods job), pod="ztunnel-*" (every prometheus-operator PodMonitor), or
// pod_name="ztunnel-*" (upstream Sail docs PodMonitor). Waypoint and sidecar istio_tcp_* series
// carry none of them and are not counted.
std::string ztunnel_tcp_selector();
// Waypoints report istio_requests_total with reporter="waypoint"; sidecars and gateways use other
// reporters, so their L7 series do not hide missing waypoint metrics.
std::string waypoint_requests_selector();

// GET <url>/api/v1/query?query=<promql>: how many series the instant vector holds.
// Errors: prometheus.forbidden (401/403), prometheus.http (other non-2xx), prometheus.query
// ("status":"error", with errorType and error), prometheus.parse (not a vector response), and
// the HttpClient's own http.* codes when the server cannot be reached.
util::Expected<int> query_series_count(HttpClient& client,
                                       const PrometheusOptions& options,
                                       const std::string& promql);

// Runs count(<selector>) and returns its value: 0 when nothing matches.
util::Expected<int> query_count(HttpClient& client,
                                const PrometheusOptions& options,
                                const std::string& selector);

// Pure parsers of a query response (any HTTP status): the vector's size, or the sum of its values.
util::Expected<int> parse_series_count(const HttpResponse& response);
util::Expected<int> parse_vector_sum(const HttpResponse& response);

// Fills facts.prometheus with one {query, series} per selector above (queries "count(...)",
// series = the count). Collected when every query answered; forbidden on 401/403; error with
// the reason otherwise, so MD603/MD703 become unknown rather than fail.
void collect_prometheus(HttpClient& client, const PrometheusOptions& options, Facts& facts);

}  // namespace meshdoctor::probe
