#pragma once
// Kubernetes `Status` bodies, worded like a real API server's, for every error fakekube answers.
#include <string>

#include "api_types.hpp"

namespace meshdoctor::fakekube {

// The identity named in Forbidden messages.
inline constexpr const char* k_fake_user = "system:serviceaccount:meshdoctor:meshdoctor";

// The standard reason for a code: 403 Forbidden, 404 NotFound, 410 Expired, 429 TooManyRequests...
std::string status_reason(int code);

ApiResponse status_response(int code, const std::string& reason, const std::string& message);

// What an access check names: verb, API group ("" = core), resource (may be "pods/log"),
// namespace ("" = cluster scope) and object name ("" for lists).
struct AccessTarget {
  std::string verb = "list";
  std::string group;
  std::string resource;
  std::string ns;
  std::string name;
};

// "deployments.apps", "pods": how the API server names a resource in messages.
std::string qualified_resource(const std::string& group, const std::string& plural);

// `pods is forbidden: User "…" cannot list resource "pods" in API group "" in the namespace "x"`,
// `deployments.apps "x" is forbidden: User "…" cannot patch resource "deployments" in API group "apps" …`.
ApiResponse forbidden(const AccessTarget& target);
// `pods "x" not found`.
ApiResponse not_found(const std::string& resource, const std::string& name);
ApiResponse continue_expired();
ApiResponse bad_request(const std::string& message);
ApiResponse unauthorized();
ApiResponse method_not_allowed();

// 409 Conflict: `Operation cannot be fulfilled on deployments.apps "x": <why>`, with details.
ApiResponse conflict(const std::string& group, const std::string& plural, const std::string& name,
                     const std::string& why);
// 409 AlreadyExists: `events "x" already exists`.
ApiResponse already_exists(const std::string& group, const std::string& plural, const std::string& name);
// 415: the patch types fakekube applies are named in the message.
ApiResponse unsupported_media_type(const std::string& content_type, const std::string& accepted);
// 422 Invalid: `Event "x" is invalid: <field>: <why>`.
ApiResponse invalid(const std::string& kind, const std::string& name, const std::string& why);

}  // namespace meshdoctor::fakekube
