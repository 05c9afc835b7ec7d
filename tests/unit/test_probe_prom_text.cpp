// The Prometheus text parser on literal expositions and on the reference ztunnel scrape, and the
// ztunnel summary MD404 reads from it.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

#include "probe/prom_text.hpp"
#include "probe/ztunnel_metrics.hpp"

using namespace meshdoctor;
using probe::parse_prom_text;

namespace {

std::string reference(const std::string& name) {
  std::ifstream in(std::string(MESHDOCTOR_REFERENCE_DIR) + "/" + name, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

TEST_SUITE("probe::prom_text") {
  TEST_CASE("a sample without labels gives its name and value") {
    auto t = parse_prom_text("workload_manager_pending_proxy_count 2\n");
    REQUIRE(t.samples.size() == 1);
    CHECK(t.samples[0].name == "workload_manager_pending_proxy_count");
    CHECK(t.samples[0].labels.empty());
    CHECK(t.samples[0].value == 2);
    CHECK(t.malformed == 0);
  }

  TEST_CASE("HELP, TYPE, UNIT and free comments are not samples") {
    auto t = parse_prom_text(
        "# HELP istio_xds_message_bytes Total number of bytes received.\n"
        "# TYPE istio_xds_message_bytes counter\n"
        "# UNIT istio_xds_message_bytes bytes\n"
        "# just a note\n"
        "istio_xds_message_bytes_total{url=\"a\"} 58213\n");
    REQUIRE(t.samples.size() == 1);
    CHECK(t.samples[0].labels.at("url") == "a");
    CHECK(t.malformed == 0);
  }

  TEST_CASE("label values may contain spaces, commas and braces") {
    auto t = parse_prom_text("m{msg=\"a b, {c}\",other=\"x\"} 1\n");
    REQUIRE(t.samples.size() == 1);
    CHECK(t.samples[0].labels.at("msg") == "a b, {c}");
    CHECK(t.samples[0].labels.at("other") == "x");
  }

  TEST_CASE("escaped quote, backslash and newline in label values are unescaped") {
    auto t = parse_prom_text(R"(m{a="say \"hi\"",b="C:\\dir",c="one\ntwo",d="keep \q"} 3)");
    REQUIRE(t.samples.size() == 1);
    const auto& l = t.samples[0].labels;
    CHECK(l.at("a") == "say \"hi\"");
    CHECK(l.at("b") == "C:\\dir");
    CHECK(l.at("c") == "one\ntwo");
    CHECK(l.at("d") == "keep \\q");
  }

  TEST_CASE("spaces around label separators and a trailing comma are accepted") {
    auto t = parse_prom_text("m { a = \"1\" , b=\"2\", } 4\n");
    REQUIRE(t.samples.size() == 1);
    CHECK(t.samples[0].labels.size() == 2);
    CHECK(t.samples[0].value == 4);
  }

  TEST_CASE("an optional timestamp and an exemplar follow the value") {
    auto t = parse_prom_text(
        "a 1 1714000000123\n"
        "b 2.5 1714000000.5\n"
        "c_total 7 # {trace_id=\"x\"} 1\n");
    REQUIRE(t.samples.size() == 3);
    CHECK(t.samples[0].timestamp == 1714000000123.0);
    CHECK(t.samples[1].value == 2.5);
    CHECK(t.samples[1].timestamp == 1714000000.5);
    CHECK_FALSE(t.samples[2].timestamp);
    CHECK(t.samples[2].value == 7);
  }

  TEST_CASE("NaN, +Inf, -Inf and exponents are values") {
    auto t = parse_prom_text("a NaN\nb +Inf\nc -Inf\nd 1e+06\ne -0.5\nf +3\n");
    REQUIRE(t.samples.size() == 6);
    CHECK(std::isnan(t.samples[0].value));
    CHECK(std::isinf(t.samples[1].value));
    CHECK(t.samples[1].value > 0);
    CHECK(t.samples[2].value < 0);
    CHECK(t.samples[3].value == 1e6);
    CHECK(t.samples[4].value == -0.5);
    CHECK(t.samples[5].value == 3);
  }

  TEST_CASE("CRLF line ends and blank lines are tolerated") {
    auto t = parse_prom_text("\r\n# TYPE a gauge\r\na{x=\"1\"} 1\r\n\r\n   \r\nb 2\r\n");
    REQUIRE(t.samples.size() == 2);
    CHECK(t.samples[0].labels.at("x") == "1");
    CHECK(t.samples[1].value == 2);
    CHECK(t.malformed == 0);
  }

  TEST_CASE("malformed lines are skipped and counted, the rest still read") {
    auto t = parse_prom_text(
        "good 1\n"
        "no_value\n"
        "bad{a=\"unterminated} 1\n"
        "bad{a=\"1\" b=\"2\"} 1\n"
        "dup{a=\"1\",a=\"2\"} 1\n"
        "9starts_with_digit 1\n"
        "value_not_number abc\n"
        "two_values 1 2 3\n"
        "glued{a=\"1\"}1\n"
        "sign +-1\n"
        "also_good 2\n");
    CHECK(t.samples.size() == 2);
    CHECK(t.malformed == 9);
    CHECK(t.first_malformed_line == 2);
  }

  TEST_CASE("nothing after an OpenMetrics EOF line is read") {
    auto t = parse_prom_text("a 1\n# EOF\nb 2\n");
    REQUIRE(t.samples.size() == 1);
    CHECK(t.samples[0].name == "a");
  }

  TEST_CASE("a last line without a newline is read") {
    auto t = parse_prom_text("a 1\nb 2");
    CHECK(t.samples.size() == 2);
  }

  TEST_CASE("prom_sum adds the samples whose labels match and is empty without any") {
    auto t = parse_prom_text(
        "x_total{reason=\"Error\"} 2\nx_total{reason=\"Error\",z=\"1\"} "
        "3\nx_total{reason=\"Reconnect\"} 5\n");
    CHECK(probe::prom_sum(t, "x_total") == 10.0);
    CHECK(probe::prom_sum(t, "x_total", {{"reason", "Error"}}) == 5.0);
    CHECK_FALSE(probe::prom_sum(t, "x_total", {{"reason", "Complete"}}));
    CHECK_FALSE(probe::prom_sum(t, "absent"));
  }

  TEST_CASE("any byte sequence parses without a crash in bounded time") {
    std::mt19937 rng(404);
    std::string alphabet = "ab_:{}=\",\\# \t\r\n019.+-eInfNa\xff";
    alphabet.push_back('\0');
    for (int round = 0; round < 2000; ++round) {
      std::string text(rng() % 200, ' ');
      for (auto& c : text) c = alphabet[rng() % alphabet.size()];
      auto t = parse_prom_text(text);
      CHECK(t.samples.size() + static_cast<size_t>(t.malformed) <= text.size() + 1);
    }
  }

  TEST_CASE("the reference ztunnel scrape reads its known values") {
    const std::string text = reference("ztunnel_metrics_sample.txt");
    REQUIRE_FALSE(text.empty());
    auto t = parse_prom_text(text);
    // The one sample line cut short by "[...]" in the verbatim excerpt is the only bad line.
    CHECK(t.malformed == 1);
    CHECK(probe::prom_sum(t, "workload_manager_active_proxy_count") == 6.0);
    CHECK(probe::prom_sum(t, "workload_manager_pending_proxy_count") == 0.0);
    CHECK(probe::prom_sum(t, "istio_xds_connection_terminations_total",
                          {{"reason", "ConnectionError"}}) == 2.0);
    CHECK(probe::prom_sum(t, "istio_dns_upstream_request_duration_seconds_bucket",
                          {{"le", "+Inf"}}) == 9.0);
    CHECK(probe::prom_sum(t, "istio_build", {{"tag", "1.27.3"}}) == 1.0);
    CHECK(probe::prom_sum(t, "process_max_fds") == 1048576.0);
  }

  TEST_CASE("the ztunnel summary reads pod proxy counts and xDS failures") {
    auto m = probe::summarize_ztunnel_metrics(
        "# TYPE workload_manager_pending_proxy_count gauge\n"
        "workload_manager_pending_proxy_count 2\n"
        "workload_manager_active_proxy_count 5\n"
        "istio_xds_connection_terminations_total{reason=\"ConnectionError\"} 3\n"
        "istio_xds_connection_terminations_total{reason=\"Error\"} 1\n"
        "istio_xds_connection_terminations_total{reason=\"Reconnect\"} 9\n"
        "garbage line\n"
        "# EOF\n");
    CHECK(m.pending_proxies == 2.0);
    CHECK(m.active_proxies == 5.0);
    CHECK(m.xds_connection_errors == 4.0);
    CHECK(m.samples == 5);
    CHECK(m.malformed == 1);
  }

  TEST_CASE(
      "the ztunnel summary leaves absent series empty and counts planned reconnects as zero "
      "errors") {
    auto none = probe::summarize_ztunnel_metrics("istio_build{component=\"ztunnel\"} 1\n");
    CHECK_FALSE(none.pending_proxies);
    CHECK_FALSE(none.xds_connection_errors);
    auto planned = probe::summarize_ztunnel_metrics(
        "istio_xds_connection_terminations_total{reason=\"Reconnect\"} 3\n");
    CHECK(planned.xds_connection_errors == 0.0);
  }
}
