// Pure parsing of Prometheus /api/v1/query responses (see prometheus.hpp).
#include <cmath>
#include <nlohmann/json.hpp>

#include "probe/prometheus.hpp"

namespace meshdoctor::probe {

namespace {

using nlohmann::json;
using util::make_error;

// The start of a body for an error message, on one line.
std::string snippet(const std::string& body) {
  std::string s = body.substr(0, 200);
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return body.size() > 200 ? s + "..." : s;
}

std::string string_field(const json& doc, const char* key) {
  auto it = doc.find(key);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Prometheus' own error document: "bad_data: parse error at char 3 ...".
std::string api_error_text(const json& doc) {
  std::string type = string_field(doc, "errorType"), text = string_field(doc, "error");
  if (type.empty()) return text.empty() ? "status \"error\" without a message" : text;
  return type + ": " + text;
}

util::Error http_error(const HttpResponse& r, const json& doc) {
  std::string head = "HTTP " + std::to_string(r.status);
  if (r.status == 401 || r.status == 403)
    return make_error("prometheus.forbidden",
                      head + " (the token may not query Prometheus): " + snippet(r.body));
  if (doc.is_object() && string_field(doc, "status") == "error")
    return make_error("prometheus.query", head + ": " + api_error_text(doc));
  return make_error("prometheus.http", head + ": " + snippet(r.body));
}

// data.result of a successful instant-vector response.
util::Expected<json> vector_result(const HttpResponse& r) {
  json doc = json::parse(r.body, nullptr, false);
  if (r.status < 200 || r.status > 299) return http_error(r, doc);
  if (doc.is_discarded() || !doc.is_object())
    return make_error("prometheus.parse", "the response is not a JSON object: " + snippet(r.body));
  std::string status = string_field(doc, "status");
  if (status == "error") return make_error("prometheus.query", api_error_text(doc));
  if (status != "success")
    return make_error("prometheus.parse", "unexpected status \"" + status + "\"");
  const json& data = doc.contains("data") ? doc["data"] : json();
  std::string type = data.is_object() ? string_field(data, "resultType") : "";
  if (type != "vector")
    return make_error("prometheus.parse", "expected resultType \"vector\", got \"" + type + "\"");
  if (!data.contains("result") || !data["result"].is_array())
    return make_error("prometheus.parse", "data.result is not an array");
  return data["result"];
}

// The sample value of one vector element: {"metric":{...},"value":[<time>,"<number>"]}.
util::Expected<double> sample_value(const json& element) {
  const json* value =
      element.is_object() && element.contains("value") ? &element["value"] : nullptr;
  if (!value || !value->is_array() || value->size() != 2 || !(*value)[1].is_string())
    return make_error("prometheus.parse", "a result has no [time, \"value\"] pair");
  const std::string& text = (*value)[1].get_ref<const std::string&>();
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0' || !std::isfinite(v))
    return make_error("prometheus.parse", "sample value \"" + text + "\" is not a finite number");
  return v;
}

}  // namespace

util::Expected<int> parse_series_count(const HttpResponse& response) {
  auto result = vector_result(response);
  if (!result) return result.error();
  return static_cast<int>(result->size());
}

util::Expected<int> parse_vector_sum(const HttpResponse& response) {
  auto result = vector_result(response);
  if (!result) return result.error();
  double sum = 0;
  for (const auto& element : *result) {
    auto v = sample_value(element);
    if (!v) return v.error();
    sum += *v;
  }
  return static_cast<int>(std::llround(sum));
}

}  // namespace meshdoctor::probe
