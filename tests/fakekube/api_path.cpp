// Path → route.
#include "api_path.hpp"

#include <vector>

namespace meshdoctor::fakekube {
namespace {

std::vector<std::string> split(std::string_view path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const auto end = slash == std::string_view::npos ? path.size() : slash;
    if (end > start) out.emplace_back(path.substr(start, end - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

std::string join_from(const std::vector<std::string>& parts, std::size_t from) {
  std::string out;
  for (std::size_t i = from; i < parts.size(); ++i) out += (i == from ? "" : "/") + parts[i];
  return out;
}

// The segments after the group version: parts[at...].
void parse_resource_part(const std::vector<std::string>& parts, std::size_t at, ApiPath& p) {
  const std::size_t n = parts.size() - at;
  auto part = [&](std::size_t i) -> const std::string& { return parts[at + i]; };
  if (n == 0) return void(p.route = Route::resource_list);
  if (part(0) == "namespaces" && n >= 3) {
    p.ns = part(1);
    p.plural = part(2);
    if (n == 3) return void(p.route = Route::collection);
    p.name = part(3);
    if (n == 4) return void(p.route = Route::object);
    if (n == 5 && part(4) == "status") return void(p.route = Route::status);
    if (p.group.empty() && p.plural == "pods" && n == 5 && part(4) == "log") return void(p.route = Route::pod_log);
    if (p.group.empty() && part(4) == "proxy") {
      p.subpath = join_from(parts, at + 5);
      if (p.plural == "pods") p.route = Route::pod_proxy;
      if (p.plural == "services") p.route = Route::service_proxy;
    }
    return;
  }
  p.plural = part(0);
  if (n == 1) return void(p.route = Route::collection);
  p.name = part(1);
  if (n == 2) p.route = Route::object;
  if (n == 3 && part(2) == "status") p.route = Route::status;
}

ApiPath only(Route route) {
  ApiPath p;
  p.route = route;
  return p;
}

}  // namespace

ApiPath parse_api_path(std::string_view path) {
  const auto parts = split(path);
  ApiPath p;
  if (parts.empty()) return p;
  if (parts.size() == 1 && parts[0] == "version") return only(Route::version);
  if (parts[0] == "api") {
    if (parts.size() == 1) return only(Route::api_versions);
    p.version = parts[1];
    if (parts.size() == 3 && parts[2] == "query") return only(Route::prometheus);
    parse_resource_part(parts, 2, p);
  } else if (parts[0] == "apis") {
    if (parts.size() == 1) return only(Route::group_list);
    p.group = parts[1];
    if (parts.size() == 2) return p.route = Route::group, p;
    p.version = parts[2];
    parse_resource_part(parts, 3, p);
  }
  return p;
}

}  // namespace meshdoctor::fakekube
