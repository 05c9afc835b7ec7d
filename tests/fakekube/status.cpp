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
    case 415: return "UnsupportedMediaType";
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
  // Messages may quote request bytes (a JSON parser's complaint): never fail on invalid UTF-8.
  return ApiResponse{code, "application/json", body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), {}};
}

namespace {

// Status details as the API server fills them: name, group (when not core), kind = the plural.
ApiResponse with_details(ApiResponse r, const std::string& group, const std::string& plural, const std::string& name) {
  auto body = nlohmann::json::parse(r.body);
  body["details"] = {{"kind", plural}};
  if (!name.empty()) body["details"]["name"] = name;
  if (!group.empty()) body["details"]["group"] = group;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

}  // namespace

std::string qualified_resource(const std::string& group, const std::string& plural) {
  return group.empty() ? plural : plural + "." + group;
}

ApiResponse forbidden(const AccessTarget& t) {
  const std::string base = t.resource.substr(0, t.resource.find('/'));  // "pods/log" → "pods"
  const std::string qualified = qualified_resource(t.group, base);
  const std::string subject = t.name.empty() ? qualified : qualified + " \"" + t.name + "\"";
  std::string message = subject + " is forbidden: User \"" + k_fake_user + "\" cannot " + t.verb +
                        " resource \"" + t.resource + "\" in API group \"" + t.group + "\"";
  message += t.ns.empty() ? " at the cluster scope" : " in the namespace \"" + t.ns + "\"";
  return with_details(status_response(403, "Forbidden", message), t.group, base, t.name);
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

namespace meshdoctor::fakekube {

ApiResponse method_not_allowed() {
  return status_response(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
}

ApiResponse conflict(const std::string& group, const std::string& plural, const std::string& name,
                     const std::string& why) {
  const std::string message =
      "Operation cannot be fulfilled on " + qualified_resource(group, plural) + " \"" + name + "\": " + why;
  return with_details(status_response(409, "Conflict", message), group, plural, name);
}

ApiResponse already_exists(const std::string& group, const std::string& plural, const std::string& name) {
  const std::string message = qualified_resource(group, plural) + " \"" + name + "\" already exists";
  return with_details(status_response(409, "AlreadyExists", message), group, plural, name);
}

ApiResponse unsupported_media_type(const std::string& content_type, const std::string& accepted) {
  return status_response(415, "UnsupportedMediaType",
                         "the body of the request was in an unknown format (" +
                             (content_type.empty() ? std::string("no Content-Type") : content_type) +
                             ") - accepted media types include: " + accepted);
}

ApiResponse invalid(const std::string& kind, const std::string& name, const std::string& why) {
  return status_response(422, "Invalid", kind + " \"" + name + "\" is invalid: " + why);
}

}  // namespace meshdoctor::fakekube
