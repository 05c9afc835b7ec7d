// Prometheus instant queries and the MD603/MD703 collection (see prometheus.hpp).
#include "probe/prometheus.hpp"

#include <cctype>
#include <cstdio>

namespace meshdoctor::probe {

namespace {

std::string without_trailing_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string url_encode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

HttpRequest query_request(const PrometheusOptions& options, const std::string& promql) {
  HttpRequest req;
  req.url = without_trailing_slash(options.url) + "/api/v1/query?query=" + url_encode(promql);
  req.headers.push_back({"Accept", "application/json"});
  if (!options.bearer_token.empty())
    req.headers.push_back({"Authorization", "Bearer " + options.bearer_token});
  req.timeout_ms = options.timeout_ms;
  return req;
}

// Names the endpoint in errors the parser produced (transport errors already name the URL).
util::Error at_endpoint(const PrometheusOptions& options, util::Error e) {
  e.message = without_trailing_slash(options.url) + "/api/v1/query: " + e.message;
  return e;
}

template <class Parse>
util::Expected<int> run_query(HttpClient& client,
                              const PrometheusOptions& options,
                              const std::string& promql,
                              Parse parse) {
  auto response = client.perform(query_request(options, promql));
  if (!response) return response.error();
  auto n = parse(*response);
  if (!n) return at_endpoint(options, n.error());
  return n;
}

std::string count_of(const std::string& selector) { return "count(" + selector + ")"; }

SourceState failed_query(const std::string& promql, const util::Error& e) {
  Obtained how = e.code == "prometheus.forbidden" ? Obtained::forbidden : Obtained::error;
  return {how, "query " + promql + ": " + e.message};
}

}  // namespace

std::string openshift_thanos_url(const std::string& apiserver) {
  return without_trailing_slash(apiserver) +
         "/api/v1/namespaces/openshift-monitoring/services/https:thanos-querier:9091/proxy";
}

std::string ztunnel_tcp_selector() {
  const std::string name = "__name__=~\"istio_tcp_.+\"";
  return "{" + name + ",app=\"ztunnel\"} or {" + name + ",pod=~\"ztunnel-.+\"} or {" + name +
         ",pod_name=~\"ztunnel-.+\"}";
}

std::string waypoint_requests_selector() { return "istio_requests_total{reporter=\"waypoint\"}"; }

util::Expected<int> query_series_count(HttpClient& client,
                                       const PrometheusOptions& options,
                                       const std::string& promql) {
  return run_query(client, options, promql, parse_series_count);
}

util::Expected<int> query_count(HttpClient& client,
                                const PrometheusOptions& options,
                                const std::string& selector) {
  return run_query(client, options, count_of(selector), parse_vector_sum);
}

void collect_prometheus(HttpClient& client, const PrometheusOptions& options, Facts& facts) {
  auto& section = facts.prometheus;
  section.items.clear();
  if (options.url.empty()) {
    section.source = {Obtained::not_found, "no Prometheus URL given (--prometheus-url)"};
    return;
  }
  for (const std::string& selector : {ztunnel_tcp_selector(), waypoint_requests_selector()}) {
    auto n = query_count(client, options, selector);
    if (!n) {
      section.source = failed_query(count_of(selector), n.error());
      return;
    }
    section.items.push_back({count_of(selector), *n});
  }
  section.source = {Obtained::collected, "Prometheus " + without_trailing_slash(options.url)};
}

}  // namespace meshdoctor::probe
