// Placeholder implementations; replaced by the real bundle reader, extractor and scanners.
#include <nlohmann/json.hpp>

#include "probe/bundle_reader.hpp"
#include "probe/extract.hpp"
#include "probe/log_scan.hpp"

namespace meshdoctor::probe {

util::Expected<Facts> read_bundle(const std::string& path) {
  return util::make_error("bundle.unimplemented", "cannot read " + path);
}
bool add_object(Facts&, const nlohmann::json&, const Origin&) { return false; }
void CniLogScanner::feed(std::string_view, int) {}
void ZtunnelLogScanner::feed(std::string_view, int) {}
CniLogScan scan_cni_log(std::string_view, const std::string&) { return {}; }
ZtunnelLogScan scan_ztunnel_log(std::string_view, const std::string&) { return {}; }
const Condition* find_condition(const std::vector<Condition>& conditions, const std::string& type) {
  for (const auto& c : conditions) {
    if (c.type == type) return &c;
  }
  return nullptr;
}
const char* to_string(ZdsErrorKind k) {
  switch (k) {
    case ZdsErrorKind::none: return "none";
    case ZdsErrorKind::not_found: return "NotFound";
    case ZdsErrorKind::connection_refused: return "ConnectionRefused";
    case ZdsErrorKind::other: return "other";
  }
  return "other";
}

}  // namespace meshdoctor::probe
