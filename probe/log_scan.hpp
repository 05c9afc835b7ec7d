#pragma once
// Line scanners for istio-cni-node and ztunnel container logs: plain and JSON lines, with or
// without an RFC3339 prefix added by `oc logs --timestamps` / inspect, old and new ztunnel wordings.
// Fed line by line so a 200 MB log never sits in memory.
#include <string>
#include <string_view>

#include "probe/facts.hpp"

namespace meshdoctor::probe {

class CniLogScanner {
 public:
  explicit CniLogScanner(std::string file) : m_file(std::move(file)) {}
  void feed(std::string_view line, int line_number);
  const CniLogScan& result() const { return m_scan; }
  CniLogScan& result() { return m_scan; }

 private:
  std::string m_file;
  CniLogScan m_scan;
};

class ZtunnelLogScanner {
 public:
  explicit ZtunnelLogScanner(std::string file) : m_file(std::move(file)) {}
  void feed(std::string_view line, int line_number);
  const ZtunnelLogScan& result() const { return m_scan; }
  ZtunnelLogScan& result() { return m_scan; }

 private:
  std::string m_file;
  ZtunnelLogScan m_scan;
};

// Convenience for tests and small inputs: splits text on '\n' and feeds each line.
CniLogScan scan_cni_log(std::string_view text, const std::string& file = "test.log");
ZtunnelLogScan scan_ztunnel_log(std::string_view text, const std::string& file = "test.log");

}  // namespace meshdoctor::probe
