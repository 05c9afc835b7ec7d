// ztunnel :15020/stats/prometheus body → ZtunnelMetrics: any bytes, never a throw.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "probe/ztunnel_metrics.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)meshdoctor::probe::summarize_ztunnel_metrics(text);
  return 0;
}
