// istio-cni-node and ztunnel container logs: both scanners over the same bytes, whole-text and
// line by line through the streaming classes (as the bundle reader feeds them).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "probe/log_scan.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace meshdoctor::probe;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)scan_cni_log(text, "fuzz/cni.log");
  (void)scan_ztunnel_log(text, "fuzz/ztunnel.log");

  // Streaming: lines without their '\n' (a trailing '\r' kept), as a line reader yields them.
  CniLogScanner cni("fuzz/cni-stream.log");
  ZtunnelLogScanner ztunnel("fuzz/ztunnel-stream.log");
  int line_number = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::string_view line =
        text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    ++line_number;
    cni.feed(line, line_number);
    ztunnel.feed(line, line_number);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return 0;
}
