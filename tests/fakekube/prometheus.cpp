// Prometheus query answers from the bundle.
#include "prometheus.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "status.hpp"
#include "util/time.hpp"

namespace meshdoctor::fakekube {
namespace {

using nlohmann::json;

bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ':'; }

std::string without_spaces(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) out += c;
  }
  return out;
}

// "istio_tcp_received_bytes_total" → "istio_tcp_": metrics of one family answer alike.
std::string family(const std::string& name) {
  const auto first = name.find('_');
  const auto second = first == std::string::npos ? first : name.find('_', first + 1);
  return second == std::string::npos ? name : name.substr(0, second + 1);
}

template <class Key>
const PromAnswer* find_by(const std::vector<PromAnswer>& answers, const std::string& query, Key key) {
  std::vector<std::string> asked;
  for (const auto& name : metric_names(query)) asked.push_back(key(name));
  for (const auto& a : answers) {
    for (const auto& name : metric_names(a.query)) {
      if (std::find(asked.begin(), asked.end(), key(name)) != asked.end()) return &a;
    }
  }
  return nullptr;
}

// Same query, else a shared metric name, else a shared metric family.
const PromAnswer* find_answer(const std::vector<PromAnswer>& answers, const std::string& query) {
  for (const auto& a : answers) {
    if (without_spaces(a.query) == without_spaces(query)) return &a;
  }
  if (auto* a = find_by(answers, query, [](const std::string& n) { return n; })) return a;
  return find_by(answers, query, family);
}

// Sample time: the collection time when known, so answers do not change between runs.
double sample_time(const Bundle& bundle) {
  auto t = util::parse_rfc3339(bundle.collected_at);
  return t ? static_cast<double>(*t / 1000000) : 1790000000.0;
}

ApiResponse prom_error(int status, const std::string& type, const std::string& message) {
  json body = {{"status", "error"}, {"errorType", type}, {"error", message}};
  return ApiResponse{status, "application/json", body.dump(), {}};
}

}  // namespace

std::vector<std::string> metric_names(const std::string& query) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < query.size();) {
    if (!name_char(query[i]) || std::isdigit(static_cast<unsigned char>(query[i]))) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < query.size() && name_char(query[end])) ++end;
    std::size_t next = end;
    while (next < query.size() && query[next] == ' ') ++next;
    const std::string word = query.substr(i, end - i);
    const bool function = next < query.size() && query[next] == '(';
    if (!function && word.find('_') != std::string::npos) out.push_back(word);
    i = end;
  }
  return out;
}

ApiResponse prometheus_query(const Bundle& bundle, const ApiRequest& request) {
  const std::string query = request.param("query");
  if (query.empty()) return prom_error(400, "bad_data", "invalid parameter \"query\": parse error: no expression found in input");
  if (!bundle.prometheus) {
    return forbidden({"get", "", "services/proxy", "openshift-monitoring", "https:thanos-querier:9091"});
  }
  json result = json::array();
  if (const PromAnswer* answer = find_answer(*bundle.prometheus, query)) {
    const double t = sample_time(bundle);
    for (int i = 0; i < answer->series; ++i) {
      result.push_back({{"metric", {{"series", std::to_string(i)}}}, {"value", {t, "1"}}});
    }
  }
  json body = {{"status", "success"}, {"data", {{"resultType", "vector"}, {"result", result}}}};
  return ApiResponse{200, "application/json", body.dump(), {}};
}

}  // namespace meshdoctor::fakekube
