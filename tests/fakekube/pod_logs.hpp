#pragma once
// GET /api/v1/namespaces/<ns>/pods/<pod>/log?container=&previous=&limitBytes=&tailLines=
// from the bundle's current.log / previous.log. tailLines keeps the last N lines, then
// limitBytes the first N bytes of what is left (the API server's order). `timestamps` is
// accepted and ignored: a bundle log keeps whatever prefix it was collected with.
#include <string>

#include "api_types.hpp"
#include "bundle_index.hpp"

namespace meshdoctor::fakekube {

ApiResponse pod_log(const Bundle& bundle, const std::string& ns, const std::string& pod,
                    const ApiRequest& request);

// The last `lines` lines of text (all of it when it has fewer).
std::string tail_lines(const std::string& text, std::size_t lines);

}  // namespace meshdoctor::fakekube
