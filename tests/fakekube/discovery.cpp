// Discovery documents built from the resource table and the bundle.
#include "discovery.hpp"

#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "resource_kinds.hpp"
#include "status.hpp"

namespace meshdoctor::fakekube {
namespace {

using nlohmann::json;

struct Served {
  std::string kind;
  bool namespaced = true;
  std::set<std::string> versions;
};

// group → plural → what is served.
std::map<std::string, std::map<std::string, Served>> served(const Bundle& bundle) {
  std::map<std::string, std::map<std::string, Served>> out;
  for (const auto& t : known_resources()) out[t.group][t.plural] = Served{t.kind, t.namespaced, {t.version}};
  for (const auto& [key, e] : bundle.resources) {
    Served& s = out[e.group][e.plural];
    if (s.kind.empty()) s = Served{e.kind.empty() ? guess_kind(e.plural) : e.kind, !e.cluster_scoped, {}};
    s.versions.insert(e.versions.begin(), e.versions.end());
    if (s.versions.empty()) s.versions.insert(e.preferred_version());
  }
  return out;
}

std::set<std::string> versions_of(const std::map<std::string, Served>& resources) {
  std::set<std::string> out;
  for (const auto& [plural, s] : resources) out.insert(s.versions.begin(), s.versions.end());
  return out;
}

json group_json(const std::string& group, const std::set<std::string>& versions) {
  json list = json::array();
  for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
    list.push_back({{"groupVersion", group + "/" + *it}, {"version", *it}});
  }
  return {{"name", group}, {"versions", list}, {"preferredVersion", list.at(0)}};
}

// kubectl's short names for the resources it knows (discovery is where it learns them).
json short_names(const std::string& group, const std::string& plural) {
  static const std::map<std::string, std::vector<std::string>> k_short = {
      {"core/pods", {"po"}},          {"core/namespaces", {"ns"}},        {"core/services", {"svc"}},
      {"core/configmaps", {"cm"}},    {"core/nodes", {"no"}},             {"core/events", {"ev"}},
      {"core/serviceaccounts", {"sa"}}, {"core/endpoints", {"ep"}},       {"apps/daemonsets", {"ds"}},
      {"apps/deployments", {"deploy"}}, {"apps/replicasets", {"rs"}},     {"apps/statefulsets", {"sts"}},
      {"apiextensions.k8s.io/customresourcedefinitions", {"crd", "crds"}},
      {"operators.coreos.com/subscriptions", {"sub", "subs"}},
      {"operators.coreos.com/clusterserviceversions", {"csv", "csvs"}},
      {"operators.coreos.com/installplans", {"ip"}},
  };
  auto it = k_short.find(resource_key(group, plural));
  return it == k_short.end() ? json::array() : json(it->second);
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Subresources (pods/log, pods/proxy) keep their read verbs; resources list what fakekube serves
// (writes.cpp adds create, delete and patch to the reads).
json resource_json(const std::string& group, const std::string& plural, const Served& s) {
  const bool sub = plural.find('/') != std::string::npos;
  json r = {{"name", plural}, {"singularName", sub ? "" : lower(s.kind)}, {"namespaced", s.namespaced},
            {"kind", s.kind}, {"verbs", sub ? json{"get", "list"} : json{"create", "delete", "get", "list", "patch"}}};
  if (!sub) {
    if (json names = short_names(group, plural); !names.empty()) r["shortNames"] = names;
  }
  return r;
}

ApiResponse ok(const json& body) { return ApiResponse{200, "application/json", body.dump(), {}}; }

}  // namespace

ApiResponse version_info() {
  return ok({{"major", "1"}, {"minor", "31"}, {"gitVersion", "v1.31.0-fakekube"}, {"platform", "linux/amd64"}});
}

ApiResponse api_versions() {
  return ok({{"kind", "APIVersions"}, {"versions", {"v1"}},
             {"serverAddressByClientCIDRs", {{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", "127.0.0.1"}}}}});
}

ApiResponse group_list(const Bundle& bundle) {
  json groups = json::array();
  for (const auto& [group, resources] : served(bundle)) {
    if (!group.empty()) groups.push_back(group_json(group, versions_of(resources)));
  }
  return ok({{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", groups}});
}

ApiResponse api_group(const Bundle& bundle, const std::string& group) {
  const auto all = served(bundle);
  auto it = all.find(group);
  if (group.empty() || it == all.end()) return status_response(404, "NotFound", "the server could not find the requested resource");
  json body = group_json(group, versions_of(it->second));
  body["kind"] = "APIGroup";
  body["apiVersion"] = "v1";
  return ok(body);
}

ApiResponse resource_list(const Bundle& bundle, const std::string& group, const std::string& version) {
  const auto all = served(bundle);
  auto it = all.find(group);
  if (it == all.end() || !versions_of(it->second).count(version)) {
    return status_response(404, "NotFound", "the server could not find the requested resource");
  }
  json resources = json::array();
  for (const auto& [plural, s] : it->second) {
    resources.push_back(resource_json(group, plural, s));
    if (group.empty() && plural == "pods") {
      for (const char* sub : {"pods/log", "pods/proxy"}) resources.push_back(resource_json(group, sub, s));
    }
  }
  return ok({{"kind", "APIResourceList"}, {"apiVersion", "v1"}, {"groupVersion", group_version(group, version)},
             {"resources", resources}});
}

}  // namespace meshdoctor::fakekube
