// Status objects: {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",...}.
#include "status.hpp"

#include <nlohmann/json.hpp>

namespace meshdoctor::fakekube {

std::string status_reason(int code) {
  switch (code) {
    case 400: return "BadRequest";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "NotFound";
    case 405: return "MethodNotAllowed";
    case 409: return "Conflict";
    case 410: return "Expired";
    case 422: return "Invalid";
    case 429: return "TooManyRequests";
    case 500: return "InternalError";
    case 503: return "ServiceUnavailable";
    case 504: return "Timeout";
    default: return code >= 500 ? "InternalError" : "Unknown";
  }
}

ApiResponse status_response(int code, const std::string& reason, const std::string& message) {
  nlohmann::json body = {{"kind", "Status"},     {"apiVersion", "v1"}, {"metadata", nlohmann::json::object()},
                         {"status", "Failure"},  {"message", message}, {"reason", reason},
                         {"code", code}};
  return ApiResponse{code, "application/json", body.dump(), {}};
}

ApiResponse forbidden(const AccessTarget& t) {
  const std::string base = t.resource.substr(0, t.resource.find('/'));  // "pods/log" → "pods"
  const std::string subject = t.name.empty() ? base : base + " \"" + t.name + "\"";
  std::string message = subject + " is forbidden: User \"" + k_fake_user + "\" cannot " + t.verb +
                        " resource \"" + t.resource + "\" in API group \"" + t.group + "\"";
  message += t.ns.empty() ? " at the cluster scope" : " in the namespace \"" + t.ns + "\"";
  ApiResponse r = status_response(403, "Forbidden", message);
  auto body = nlohmann::json::parse(r.body);
  body["details"] = {{"kind", base}};
  if (!t.name.empty()) body["details"]["name"] = t.name;
  if (!t.group.empty()) body["details"]["group"] = t.group;
  r.body = body.dump();
  return r;
}

ApiResponse not_found(const std::string& resource, const std::string& name) {
  return status_response(404, "NotFound", resource + " \"" + name + "\" not found");
}

ApiResponse continue_expired() {
  return status_response(410, "Expired",
                         "The provided continue parameter is too old to display a consistent list "
                         "result. You can start a new list without the continue parameter.");
}

ApiResponse bad_request(const std::string& message) { return status_response(400, "BadRequest", message); }

ApiResponse unauthorized() { return status_response(401, "Unauthorized", "Unauthorized"); }

}  // namespace meshdoctor::fakekube
