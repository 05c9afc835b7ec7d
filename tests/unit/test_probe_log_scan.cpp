#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "probe/log_scan.hpp"

using namespace meshdoctor::probe;

namespace {

std::string reference(const char* name) {
  std::ifstream in(std::string(MESHDOCTOR_REFERENCE_DIR) + "/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The log lines of a reference file between two section markers: the file's '#' commentary is
// dropped and its "<ts>" placeholders get a real time.
std::string section(const std::string& text, const std::string& from, const std::string& to) {
  const auto start = text.find(from);
  REQUIRE(start != std::string::npos);
  const auto end = text.find(to, start);
  std::istringstream in(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
  std::string out, line;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == '#') continue;
    if (line.rfind("<ts>", 0) == 0) line.replace(0, 4, "2025-09-02T09:00:00Z");
    out += line + "\n";
  }
  return out;
}

}  // namespace

TEST_SUITE("probe::log_scan") {
  TEST_CASE("istio-cni config dump with ambient on is found in the reference log") {
    const std::string text = section(reference("sample_istio_cni_logs.log"), "##### SECTION 1", "##### SECTION 2");
    const CniLogScan scan = scan_cni_log(text, "cni.log");
    REQUIRE(scan.ambient_enabled.has_value());
    CHECK(*scan.ambient_enabled);
    REQUIRE(scan.ambient_line);
    CHECK(scan.ambient_line->text == "AmbientEnabled: true");
    CHECK(scan.ambient_line->file == "cni.log");
    CHECK(scan.ztunnel_uds_address == "/var/run/ztunnel/ztunnel.sock");
    CHECK(scan.no_ztunnel_connection == 0);
    CHECK_FALSE(scan.first_error);
  }

  TEST_CASE("istio-cni with ambient off and no-ztunnel errors") {
    const std::string text =
        section(reference("sample_istio_cni_logs.log"), "##### SECTION 2 -", "##### SECTION 3");
    const CniLogScan scan = scan_cni_log(text);
    REQUIRE(scan.ambient_enabled.has_value());
    CHECK_FALSE(*scan.ambient_enabled);
    CHECK(scan.no_ztunnel_connection == 2);
    REQUIRE(scan.first_error);
    CHECK(scan.first_error->text.find("failed to add pod to ztunnel") != std::string::npos);
  }

  TEST_CASE("AmbientEnabled inside a JSON msg with escaped newlines is found") {
    const std::string line =
        R"({"level":"info","time":"2025-02-17T15:13:09.324730Z","scope":"cni-agent","msg":"CNI install configuration: \nMountedCNINetDir: /host/etc/cni/net.d\nZtunnelUDSAddress: /var/run/ztunnel/ztunnel.sock\nAmbientEnabled: false\nAmbientDNSCapture: true\n"})";
    const CniLogScan scan = scan_cni_log(line + "\n");
    REQUIRE(scan.ambient_enabled.has_value());
    CHECK_FALSE(*scan.ambient_enabled);
    CHECK(scan.ztunnel_uds_address == "/var/run/ztunnel/ztunnel.sock");
    CHECK(scan.lines == 1);
    CHECK_FALSE(scan.truncated);
  }

  TEST_CASE("a JSON error line is the first error; levels are read from the level field") {
    const CniLogScan scan = scan_cni_log(
        R"({"level":"info","time":"2025-02-17T15:13:09Z","scope":"cni-agent","msg":"error is a word here"})"
        "\n"
        R"({"level":"error","time":"2025-02-17T15:13:10Z","scope":"cni-agent","msg":"failed to handle add event: no ztunnel connection"})"
        "\n");
    REQUIRE(scan.first_error);
    CHECK(scan.first_error->line == 2);
    CHECK(scan.no_ztunnel_connection == 1);
  }

  TEST_CASE("new ztunnel ZDS failure wording: NotFound with its time") {
    const ZtunnelLogScan scan = scan_ztunnel_log(
        "2025-09-02T08:14:02.052420Z\twarn\tinpod::workloadmanager\tfailed to connect to the Istio CNI node "
        "agent over \"/var/run/ztunnel/ztunnel.sock\", is the node agent healthy? details: Os { code: 2, "
        "kind: NotFound, message: \"No such file or directory\" }. retrying in 20ms\n");
    CHECK(scan.zds_failures == 1);
    CHECK(scan.last_zds_kind == ZdsErrorKind::not_found);
    REQUIRE(scan.last_zds_time);
    CHECK(*scan.last_zds_time == *meshdoctor::util::parse_rfc3339("2025-09-02T08:14:02.052420Z"));
    REQUIRE(scan.last_zds_line);
    CHECK(scan.last_zds_line->text.rfind("warn\tinpod::workloadmanager\tfailed to connect", 0) == 0);
    CHECK_FALSE(scan.zds_connected);
  }

  TEST_CASE("older ztunnel wordings are ZDS failures too") {
    const ZtunnelLogScan old122 = scan_ztunnel_log(
        "2024-05-01T10:00:00Z\twarn\tinpod::workloadmanager\tfailed to connect to server: Os { code: 111, "
        "kind: ConnectionRefused, message: \"Connection refused\" }. retrying in 40ms\n");
    CHECK(old122.zds_failures == 1);
    CHECK(old122.last_zds_kind == ZdsErrorKind::connection_refused);
    const ZtunnelLogScan old123 = scan_ztunnel_log(
        "2024-08-01T10:00:00Z\twarn\tinpod::workloadmanager\tfailed to connect to server "
        "\"/var/run/ztunnel/ztunnel.sock\": No such file or directory (os error 2). retrying in 15s\n");
    CHECK(old123.zds_failures == 1);
    CHECK(old123.last_zds_kind == ZdsErrorKind::not_found);
    const ZtunnelLogScan other = scan_ztunnel_log(
        "failed to connect to the Istio CNI node agent over \"/x\", is the node agent healthy? details: "
        "Os { code: 13, kind: PermissionDenied }. retrying in 1s\n");
    CHECK(other.last_zds_kind == ZdsErrorKind::other);
    CHECK(std::string(to_string(ZdsErrorKind::connection_refused)) == "ConnectionRefused");
  }

  TEST_CASE("the reference ztunnel log: healthy startup, ZDS failures, xDS errors, version") {
    const std::string text = reference("sample_ztunnel_logs.log");
    const ZtunnelLogScan healthy = scan_ztunnel_log(section(text, "##### SECTION 1", "##### SECTION 2"));
    CHECK(healthy.zds_connected);
    CHECK(healthy.marked_ready);
    CHECK(healthy.istio_version == "1.27.3");
    CHECK(healthy.zds_failures == 0);
    CHECK(healthy.last_connected_time == meshdoctor::util::parse_rfc3339("2025-09-02T08:14:02.061422Z"));

    const ZtunnelLogScan broken = scan_ztunnel_log(section(text, "##### SECTION 2 -", "##### SECTION 2b"));
    CHECK(broken.zds_failures == 4);
    CHECK(broken.last_zds_kind == ZdsErrorKind::connection_refused);
    CHECK(broken.xds_errors == 2);
    REQUIRE(broken.last_xds_line);
    CHECK(broken.last_xds_line->text.find("XDS client error") != std::string::npos);
  }

  TEST_CASE("JSON ztunnel lines give their time field; escaped quotes in the version") {
    const ZtunnelLogScan scan = scan_ztunnel_log(
        R"({"level":"info","time":"2025-09-02T08:14:02.001122Z","scope":"ztunnel","message":"version: version.BuildInfo{Version:\"abc\", IstioVersion:\"1.26.2\"}"})"
        "\n"
        R"({"level":"warn","time":"2025-09-02T08:14:05.5Z","scope":"xds::client","message":"XDS client connection error: gRPC connection error connecting to https://istiod.istio-system.svc:15012: status: Unknown, retrying in 20ms"})"
        "\n");
    CHECK(scan.istio_version == "1.26.2");
    CHECK(scan.xds_errors == 1);
    CHECK(scan.last_xds_time == meshdoctor::util::parse_rfc3339("2025-09-02T08:14:05.5Z"));
  }

  TEST_CASE("a timestamp prefix added by inspect is stripped before the log's own stamp") {
    const ZtunnelLogScan scan = scan_ztunnel_log(
        "2025-09-02T08:14:02.061999123Z 2025-09-02T08:14:02.061422Z\tinfo\treadiness\tTask 'workload proxy "
        "manager' complete (60.1ms), marking server ready\n");
    CHECK(scan.marked_ready);
    CHECK(scan.zds_connected);
    CHECK(scan.last_connected_time == meshdoctor::util::parse_rfc3339("2025-09-02T08:14:02.061999123Z"));
  }

  TEST_CASE("a pod/container prefix before the stamp is tolerated") {
    const CniLogScan scan = scan_cni_log(
        "istio-cni-node-tf8bz 2024-11-10T13:54:13.762966Z    error    cni-agent    failed to add pod to "
        "ztunnel: partial add error: no ztunnel connection\n");
    REQUIRE(scan.first_error);
    CHECK(scan.first_error->text.rfind("error", 0) == 0);
  }

  TEST_CASE("a last line without newline is scanned and marks the log truncated") {
    const ZtunnelLogScan scan = scan_ztunnel_log("a\nXDS client error: gRPC error, retrying in 1s");
    CHECK(scan.truncated);
    CHECK(scan.lines == 2);
    CHECK(scan.xds_errors == 1);
    CHECK(scan.last_xds_line->line == 2);
  }

  TEST_CASE("evidence text is cut to 300 characters around the match") {
    const std::string line = std::string(1000, 'x') + " AmbientEnabled: true " + std::string(1000, 'y');
    const CniLogScan scan = scan_cni_log(line + "\n");
    REQUIRE(scan.ambient_line);
    CHECK(scan.ambient_line->text.size() <= 300);
    CHECK(scan.ambient_line->text.find("AmbientEnabled: true") != std::string::npos);
  }
}
