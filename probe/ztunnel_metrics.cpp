// Summarising a ztunnel scrape for MD404. Names follow ztunnel's registry: the in-pod metrics
// live under the bare "workload_manager" prefix, not "istio_".
#include "probe/ztunnel_metrics.hpp"

#include "probe/prom_text.hpp"

namespace meshdoctor::probe {
namespace {

// Terminations that were failures, not a planned reconnect or a completed stream. Older ztunnel
// builds (before the xds_ prefix) export the same counter as istio_connection_terminations_total.
std::optional<double> xds_errors(const PromText& scrape) {
  std::optional<double> sum;
  for (const char* name :
       {"istio_xds_connection_terminations_total", "istio_connection_terminations_total"}) {
    for (const char* reason : {"ConnectionError", "Error"}) {
      if (auto v = prom_sum(scrape, name, {{"reason", reason}})) sum = sum.value_or(0) + *v;
    }
    // The counter exists but no failure was counted: that is a real zero, not a missing value.
    if (!sum && prom_sum(scrape, name)) sum = 0;
  }
  return sum;
}

}  // namespace

ZtunnelMetrics summarize_ztunnel_metrics(std::string_view text) {
  const PromText scrape = parse_prom_text(text);
  ZtunnelMetrics m;
  m.pending_proxies = prom_sum(scrape, "workload_manager_pending_proxy_count");
  m.active_proxies = prom_sum(scrape, "workload_manager_active_proxy_count");
  m.xds_connection_errors = xds_errors(scrape);
  m.samples = static_cast<int>(scrape.samples.size());
  m.malformed = scrape.malformed;
  return m;
}

}  // namespace meshdoctor::probe
