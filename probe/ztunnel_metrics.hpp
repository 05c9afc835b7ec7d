#pragma once
// The few series of a ztunnel scrape that explain a stuck readiness: how many pod proxies are
// pending or active (workload_manager_*) and how often the xDS stream to istiod broke.
#include <string_view>

#include "probe/facts.hpp"

namespace meshdoctor::probe {

// Reads one :15020/stats/prometheus body; ns, pod and node are left for the caller to fill.
ZtunnelMetrics summarize_ztunnel_metrics(std::string_view text);

}  // namespace meshdoctor::probe
