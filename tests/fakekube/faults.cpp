// Fault rules: parsing, matching with use counts, hot reload, and the answers they give.
#include "faults.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "api_path.hpp"
#include "status.hpp"

namespace meshdoctor::fakekube {
namespace {

using nlohmann::json;

const std::set<std::string> k_fields = {"path", "query", "method", "onContinue", "times", "status", "body",
                                        "retryAfter", "delayMs", "invalidJson", "truncate", "stallMs", "comment"};

template <class T>
T get_or(const json& o, const char* key, T fallback) {
  auto it = o.find(key);
  return it == o.end() ? fallback : it->get<T>();
}

FaultRule parse_rule(const json& o) {
  for (const auto& [key, value] : o.items()) {
    if (!k_fields.count(key)) throw std::runtime_error("unknown field \"" + key + "\"");
  }
  FaultRule r;
  r.path_text = o.at("path").get<std::string>();
  r.path = std::regex(r.path_text);
  if (o.contains("query")) r.query = std::regex(o["query"].get<std::string>());
  r.method = get_or<std::string>(o, "method", "");
  r.on_continue = get_or(o, "onContinue", false);
  r.times = get_or(o, "times", -1);
  r.status = get_or(o, "status", r.on_continue ? 410 : 0);
  if (o.contains("body")) r.body = o["body"].is_string() ? o["body"].get<std::string>() : o["body"].dump();
  r.retry_after = get_or(o, "retryAfter", -1);
  r.delay_ms = get_or(o, "delayMs", 0);
  r.invalid_json = get_or(o, "invalidJson", false);
  r.truncate = get_or(o, "truncate", false);
  r.stall_ms = get_or(o, "stallMs", 0);
  return r;
}

// "" when the file is missing (file clock counts may be negative: no sentinel number is safe).
std::string mtime_of(const std::string& file) {
  std::error_code ec;
  auto t = std::filesystem::last_write_time(file, ec);
  return ec ? "" : std::to_string(t.time_since_epoch().count());
}

util::Expected<std::vector<FaultRule>> read_faults(const std::string& file) {
  std::ifstream in(file);
  if (!in) return util::make_error("faults.read", file + ": cannot read");
  std::ostringstream text;
  text << in.rdbuf();
  auto rules = parse_faults(text.str());
  if (!rules) return util::make_error(rules.error().code, file + ": " + rules.error().message);
  return rules;
}

bool applies(const FaultRule& r, const ApiRequest& request, const std::string& raw_query) {
  if (!r.method.empty() && r.method != request.method) return false;
  if (r.on_continue && request.param("continue").empty()) return false;
  if (r.query && !std::regex_search(raw_query, *r.query)) return false;
  return std::regex_search(request.path, r.path);
}

// The RBAC verb the API server checks for a request (writes included: PATCH is "patch").
std::string verb_for(const std::string& method, Route route) {
  if (method == "PATCH") return "patch";
  if (method == "POST") return "create";
  if (method == "PUT") return "update";
  if (method == "DELETE") return "delete";
  return route == Route::collection ? "list" : "get";
}

// A Forbidden message naming what the path asks for.
ApiResponse forbidden_for(const ApiRequest& request) {
  const ApiPath p = parse_api_path(request.path);
  std::string resource = p.plural.empty() ? "resources" : p.plural;
  if (p.route == Route::pod_log) resource = "pods/log";
  if (p.route == Route::pod_proxy) resource = "pods/proxy";
  if (p.route == Route::service_proxy) resource = "services/proxy";
  if (p.route == Route::status) resource = p.plural + "/status";
  return forbidden({verb_for(request.method, p.route), p.group, resource, p.ns, p.route == Route::collection ? "" : p.name});
}

// 409 on an object: the optimistic-concurrency conflict a write would meet.
ApiResponse conflict_for(const ApiRequest& request) {
  const ApiPath p = parse_api_path(request.path);
  if (p.name.empty()) return status_response(409, "Conflict", "fakekube fault: Conflict");
  return conflict(p.group, p.plural, p.name,
                  "the object has been modified; please apply your changes to the latest version and try again");
}

}  // namespace

util::Expected<std::vector<FaultRule>> parse_faults(const std::string& text) {
  try {
    json doc = json::parse(text);
    if (doc.is_object()) doc = doc.at("rules");
    if (!doc.is_array()) return util::make_error("faults.parse", "expected a list of rules");
    std::vector<FaultRule> rules;
    for (std::size_t i = 0; i < doc.size(); ++i) {
      try {
        rules.push_back(parse_rule(doc[i]));
      } catch (const std::exception& e) {
        return util::make_error("faults.parse", "rule " + std::to_string(i) + ": " + e.what());
      }
    }
    return rules;
  } catch (const std::exception& e) {
    return util::make_error("faults.parse", e.what());
  }
}

ApiResponse fault_response(const FaultRule& rule, const ApiRequest& request) {
  ApiResponse r;
  if (rule.body) r = ApiResponse{rule.status, "application/json", *rule.body, {}};
  else if (rule.status == 403) r = forbidden_for(request);
  else if (rule.status == 409) r = conflict_for(request);
  else if (rule.status == 410) r = continue_expired();
  else if (rule.status == 401) r = unauthorized();
  else if (rule.status == 404) r = status_response(404, "NotFound", "the server could not find the requested resource");
  else if (rule.status == 429) r = status_response(429, "TooManyRequests", "Too many requests, please try again later.");
  else r = status_response(rule.status, status_reason(rule.status), "fakekube fault: " + status_reason(rule.status));
  r.status = rule.status;
  return r;
}

std::string corrupt_json(const std::string& body) {
  return body.substr(0, body.size() / 2) + "\x01<<not json>>";
}

util::Status FaultSet::load() {
  std::lock_guard lock(m_mutex);
  m_mtime = mtime_of(m_file);
  if (m_mtime.empty()) return util::ok();  // not there yet: read once it is created
  auto rules = read_faults(m_file);
  if (!rules) return rules.error();
  m_rules = std::move(*rules);
  m_used.assign(m_rules.size(), 0);
  return util::ok();
}

void FaultSet::reload_if_changed() {
  const std::string mtime = mtime_of(m_file);
  if (mtime == m_mtime) return;
  m_mtime = mtime;
  auto rules = mtime.empty() ? util::Expected<std::vector<FaultRule>>(std::vector<FaultRule>{}) : read_faults(m_file);
  if (!rules) {
    std::cerr << "fakekube: keeping the previous faults: " << rules.error().message << "\n";
    return;
  }
  m_rules = std::move(*rules);
  m_used.assign(m_rules.size(), 0);
  std::cerr << "fakekube: faults reloaded (" << m_rules.size() << " rules)\n";
}

std::optional<FaultRule> FaultSet::match(const ApiRequest& request, const std::string& raw_query) {
  std::lock_guard lock(m_mutex);
  reload_if_changed();
  for (std::size_t i = 0; i < m_rules.size(); ++i) {
    const FaultRule& r = m_rules[i];
    if ((r.times >= 0 && m_used[i] >= r.times) || !applies(r, request, raw_query)) continue;
    ++m_used[i];
    return r;
  }
  return std::nullopt;
}

}  // namespace meshdoctor::fakekube
