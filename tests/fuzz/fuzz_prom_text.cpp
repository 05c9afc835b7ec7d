// Prometheus / OpenMetrics text (pod proxy scrape or bundle file): any bytes, never a throw.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "probe/prom_text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace meshdoctor::probe;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const PromText parsed = parse_prom_text(text);
  if (parsed.samples.size() > k_prom_max_samples) __builtin_trap();  // the documented cap
  (void)prom_sum(parsed, "workload_manager_pending_proxy_count");
  (void)prom_sum(parsed, "istio_xds_connection_terminations", {{"reason", "Error"}});
  if (!parsed.samples.empty()) {
    // Every sample's own name and labels must match itself.
    const PromSample& first = parsed.samples.front();
    if (!prom_sum(parsed, first.name, first.labels)) __builtin_trap();
  }
  return 0;
}
