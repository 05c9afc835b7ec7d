#pragma once
// Minimal, kubectl-compatible discovery: /version, /api (APIVersions), /apis (APIGroupList),
// /apis/<g> (APIGroup), /api/v1 and /apis/<g>/<v> (APIResourceList). It lists the resource table
// and every resource of the bundle, whatever the bundle collected (discovery is not RBAC-gated).
#include <string>

#include "api_types.hpp"
#include "bundle_index.hpp"

namespace meshdoctor::fakekube {

ApiResponse version_info();
ApiResponse api_versions();
ApiResponse group_list(const Bundle& bundle);
ApiResponse api_group(const Bundle& bundle, const std::string& group);  // 404 when unknown
ApiResponse resource_list(const Bundle& bundle, const std::string& group, const std::string& version);

}  // namespace meshdoctor::fakekube
