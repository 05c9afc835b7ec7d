#include "probe/log_scan.hpp"

#include "probe/log_line.hpp"

namespace meshdoctor::probe {
namespace {

// Exact wordings: reference/ISTIO-AMBIENT-FACTS.md §1.2 (istio-cni) and §2.1, §2.2, §2.5 (ztunnel).
constexpr std::string_view k_ambient_enabled = "AmbientEnabled: ";
constexpr std::string_view k_uds_address = "ZtunnelUDSAddress: ";
constexpr std::string_view k_no_ztunnel = "no ztunnel connection";
constexpr std::string_view k_zds_new = "failed to connect to the Istio CNI node agent";  // 1.24+
constexpr std::string_view k_zds_old = "failed to connect to server";                    // 1.21-1.23
constexpr std::string_view k_retrying = "retrying in";
constexpr std::string_view k_connected[] = {"handling new stream", "received snapshot sent",
                                            "Task 'workload proxy manager' complete"};
constexpr std::string_view k_xds_errors[] = {"XDS client connection error", "XDS client error"};
constexpr std::string_view k_marking_ready = "marking server ready";
constexpr std::string_view k_istio_version = "IstioVersion:";

constexpr std::size_t npos = std::string_view::npos;

bool contains(std::string_view text, std::string_view needle) { return text.find(needle) != npos; }

bool is_error_level(std::string_view level) {
  return iequals(level, "error") || iequals(level, "fatal") || iequals(level, "critical");
}

// Reads a value up to whitespace, a quote, or the backslash of a JSON "\n" escape.
std::string_view value_at(std::string_view text, std::size_t pos) {
  std::size_t end = pos;
  while (end < text.size() && text[end] != ' ' && text[end] != '\t' && text[end] != '\\' &&
         text[end] != '"' && text[end] != ',' && text[end] != '}') {
    ++end;
  }
  return text.substr(pos, end - pos);
}

ZdsErrorKind zds_kind(std::string_view body) {
  if (contains(body, "kind: NotFound") || contains(body, "No such file or directory"))
    return ZdsErrorKind::not_found;
  if (contains(body, "kind: ConnectionRefused") || contains(body, "Connection refused"))
    return ZdsErrorKind::connection_refused;
  return ZdsErrorKind::other;
}

bool is_zds_failure(std::string_view body) {
  return contains(body, k_zds_new) || (contains(body, k_zds_old) && contains(body, k_retrying));
}

template <std::size_t N>
bool contains_any(std::string_view body, const std::string_view (&needles)[N]) {
  for (auto n : needles) {
    if (contains(body, n)) return true;
  }
  return false;
}

// `IstioVersion:"1.27.3"`, also with JSON-escaped quotes `IstioVersion:\"1.27.3\"`.
std::optional<std::string> istio_version(std::string_view body) {
  std::size_t pos = body.find(k_istio_version);
  if (pos == npos) return std::nullopt;
  pos += k_istio_version.size();
  while (pos < body.size() && (body[pos] == '\\' || body[pos] == '"' || body[pos] == ' ')) ++pos;
  const std::string_view v = value_at(body, pos);
  if (v.empty()) return std::nullopt;
  return std::string(v);
}

template <class Scan>
Scan scan_text(std::string_view text, const std::string& file) {
  typename std::conditional_t<std::is_same_v<Scan, CniLogScan>, CniLogScanner, ZtunnelLogScanner>
      scanner(file);
  int number = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    scanner.feed(line, ++number);
    if (nl == npos) {
      scanner.result().truncated = true;  // no final newline: the writer was cut off mid-line
      break;
    }
    text.remove_prefix(nl + 1);
  }
  return scanner.result();
}

}  // namespace

const char* to_string(ZdsErrorKind k) {
  switch (k) {
    case ZdsErrorKind::none: return "none";
    case ZdsErrorKind::not_found: return "NotFound";
    case ZdsErrorKind::connection_refused: return "ConnectionRefused";
    case ZdsErrorKind::other: return "other";
  }
  return "other";
}

void CniLogScanner::feed(std::string_view line, int line_number) {
  ++m_scan.lines;
  const ParsedLogLine p = parse_log_line(line);
  const std::string_view body = p.body;
  if (p.time && (!m_scan.last_time || *p.time > *m_scan.last_time)) m_scan.last_time = p.time;
  if (std::size_t pos = body.find(k_ambient_enabled); pos != npos) {
    const std::string_view v = value_at(body, pos + k_ambient_enabled.size());
    if (v == "true" || v == "false") {
      m_scan.ambient_enabled = v == "true";  // the latest dump wins
      m_scan.ambient_line = LogLine{m_file, line_number, excerpt(body, pos)};
    }
  }
  if (std::size_t pos = body.find(k_uds_address); pos != npos) {
    const std::string_view v = value_at(body, pos + k_uds_address.size());
    if (!v.empty()) m_scan.ztunnel_uds_address = std::string(v);
  }
  if (contains(body, k_no_ztunnel)) ++m_scan.no_ztunnel_connection;
  if (!m_scan.first_error && is_error_level(p.level)) {
    m_scan.first_error = LogLine{m_file, line_number, excerpt(body)};
  }
}

void ZtunnelLogScanner::feed(std::string_view line, int line_number) {
  ++m_scan.lines;
  const ParsedLogLine p = parse_log_line(line);
  const std::string_view body = p.body;
  if (p.time && (!m_scan.last_time || *p.time > *m_scan.last_time)) m_scan.last_time = p.time;
  if (is_zds_failure(body)) {
    ++m_scan.zds_failures;
    m_scan.last_zds_kind = zds_kind(body);
    m_scan.last_zds_line = LogLine{m_file, line_number, excerpt(body, body.find("failed to connect"))};
    if (p.time) m_scan.last_zds_time = p.time;
  }
  if (contains_any(body, k_connected)) {
    m_scan.zds_connected = true;
    if (p.time) m_scan.last_connected_time = p.time;
  }
  if (contains_any(body, k_xds_errors)) {
    ++m_scan.xds_errors;
    m_scan.last_xds_line = LogLine{m_file, line_number, excerpt(body, body.find("XDS client"))};
    if (p.time) m_scan.last_xds_time = p.time;
  }
  if (contains(body, k_marking_ready)) m_scan.marked_ready = true;
  if (!m_scan.istio_version) m_scan.istio_version = istio_version(body);
}

CniLogScan scan_cni_log(std::string_view text, const std::string& file) {
  return scan_text<CniLogScan>(text, file);
}

ZtunnelLogScan scan_ztunnel_log(std::string_view text, const std::string& file) {
  return scan_text<ZtunnelLogScan>(text, file);
}

}  // namespace meshdoctor::probe
