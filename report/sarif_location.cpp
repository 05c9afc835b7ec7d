#include "report/digest.hpp"
#include "report/sarif_location.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

namespace meshdoctor::report::sarif {

namespace {

using json = nlohmann::ordered_json;

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// Every byte but the unreserved ones and '/' is encoded, so that a ':' in a first segment is never
// read as a scheme and spaces, '#', '?' and non-ASCII bytes survive as data.
std::string percent_encode(const std::string& path) {
  std::string out;
  char hex[4];
  for (unsigned char c : path) {
    if (unreserved(c) || c == '/') {
      out += static_cast<char>(c);
    } else {
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      out += hex;
    }
  }
  return out;
}


json object_location(const checks::ObjectRef& o) {
  json logical = {{"name", o.name.empty() ? o.kind : o.name},
                  {"fullyQualifiedName", object_name(o)},
                  {"kind", "resource"}};
  json props = json::object();
  if (!o.kind.empty()) props["kubernetesKind"] = o.kind;
  if (!o.ns.empty()) props["namespace"] = o.ns;
  if (!props.empty()) logical["properties"] = std::move(props);
  return {{"logicalLocations", json::array({std::move(logical)})}};
}

json source_location(const std::string& source) {
  return {
      {"logicalLocations", json::array({{{"fullyQualifiedName", source}, {"kind", "resource"}}})}};
}

}  // namespace

std::string file_uri(const std::string& path, bool* relative) {
  const bool absolute = !path.empty() && path.front() == '/';
  if (relative != nullptr) *relative = !absolute;
  if (absolute) return "file://" + percent_encode(path);
  std::string_view rest = path;
  while (rest.size() > 2 && rest.substr(0, 2) == "./") rest.remove_prefix(2);
  return percent_encode(std::string(rest));
}

json file_location(const checks::Evidence& e) {
  bool relative = false;
  json artifact = {{"uri", file_uri(e.file, &relative)}};
  if (relative) artifact["uriBaseId"] = k_src_root;
  json physical = {{"artifactLocation", std::move(artifact)}};
  if (e.line > 0) physical["region"] = {{"startLine", e.line}};
  return {{"physicalLocation", std::move(physical)}};
}

std::vector<json> logical_locations(const checks::Finding& f) {
  std::vector<json> out;
  std::set<std::string> seen;
  if (!f.objects.empty()) {
    for (const auto& o : f.objects) {
      if (seen.insert(object_name(o)).second) out.push_back(object_location(o));
    }
    return out;
  }
  // Evidence sources are where the problem was seen, not each a place to fix: the first one
  // stands for the result (all of them are in the result's properties).
  for (const auto& e : f.evidence) {
    if (!e.source.empty()) return {source_location(e.source)};
  }
  return out;
}

std::string object_name(const checks::ObjectRef& o) {
  std::string tail = o.kind.empty() ? o.name : o.kind + "/" + o.name;
  return o.ns.empty() ? tail : o.ns + "/" + tail;
}

std::string fingerprint(const std::string& rule_id, const std::string& location_key) {
  // The separator is a byte that occurs in no rule ID.
  return sha256_hex("meshdoctor-result/v1\n" + rule_id + '\x1f' + location_key);
}

std::string file_key(const checks::Evidence& e) {
  return "file:" + e.file + ":" + std::to_string(e.line);
}

// The smallest name, so that the order in which a check lists its objects does not matter.
std::string logical_key(const checks::Finding& f) {
  std::set<std::string> names;
  for (const auto& o : f.objects) names.insert(object_name(o));
  if (!names.empty()) return "object:" + *names.begin();
  for (const auto& e : f.evidence) {
    if (!e.source.empty()) return "source:" + e.source;
  }
  return "";
}

}  // namespace meshdoctor::report::sarif
