#pragma once
// Shared by the loading passes of bundle_load.cpp (object files, logs) and bundle_extras.cpp
// (the meshdoctor/ folder).
#include "bundle_index.hpp"
#include "probe/bundle_internal.hpp"

namespace meshdoctor::fakekube {

// The entry for a resource, created on first use with kind/version/scope from the table.
ResourceEntry& entry_for(Bundle& bundle, const std::string& group, const std::string& plural,
                         bool cluster_scoped);

// meshdoctor/collection.json, ztunnel-readiness.json, prometheus.json, ztunnel-metrics/.
void load_extras(Bundle& bundle, const probe::bundle::Layout& layout);

}  // namespace meshdoctor::fakekube
