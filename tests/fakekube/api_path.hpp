#pragma once
// What an API path asks for:
//   /version, /api, /apis, /api/v1, /apis/<g>, /apis/<g>/<v>           discovery
//   /api/v1/<plural>[/<name>], /apis/<g>/<v>/<plural>[/<name>]          cluster scope
//   .../namespaces/<ns>/<plural>[/<name>], /api/v1/namespaces/<ns>       namespaced, namespace object
//   .../<plural>/<name>/status                                          status subresource
//   /api/v1/namespaces/<ns>/pods/<pod>/log                              pod log
//   /api/v1/namespaces/<ns>/pods/<pod>:<port>/proxy/<path>              pod proxy
//   /api/v1/namespaces/<ns>/services/<svc>/proxy/<path>                 service proxy
//   /api/v1/query                                                       Prometheus (direct)
#include <string>
#include <string_view>

namespace meshdoctor::fakekube {

enum class Route {
  version, api_versions, group_list, group, resource_list,
  collection, object, status, pod_log, pod_proxy, service_proxy, prometheus, unknown
};

struct ApiPath {
  Route route = Route::unknown;
  std::string group;    // "" = core
  std::string version;
  std::string plural;
  std::string ns;
  std::string name;     // object name, or the proxy target ("pod:15021", "https:svc:9091")
  std::string subpath;  // after ".../proxy/"
};

ApiPath parse_api_path(std::string_view path);

}  // namespace meshdoctor::fakekube
