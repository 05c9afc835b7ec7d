#include <doctest/doctest.h>

#include "report/render.hpp"
#include "report_fixture.hpp"

using namespace meshdoctor;

TEST_SUITE("report::markdown") {
  TEST_CASE("the heading carries the overall status") {
    std::string md = report::render_markdown(testing::sample_diagnosis(), {});
    CHECK(md.rfind("# meshdoctor: FAIL (1 root cause)\n", 0) == 0);
  }

  TEST_CASE("a root cause has evidence bullets, the explained chain and a sh fence") {
    std::string md = report::render_markdown(testing::sample_diagnosis(), {});
    auto at = md.find("## Root cause: MD301");
    REQUIRE(at != std::string::npos);
    CHECK(md.find("- sailoperator.io/v1 IstioCNI default: `spec.profile is not set`", at) !=
          std::string::npos);
    CHECK(md.find("  - **MD403**", at) != std::string::npos);  // nested under MD304
    CHECK(md.find("```sh\noc patch istiocni default", at) != std::string::npos);
  }

  TEST_CASE("the table lists every check with | escaped and rows kept on one line") {
    auto d = testing::sample_diagnosis();
    d.findings[0].message = "a|b\nc";
    std::string md = report::render_markdown(d, {});
    CHECK(md.find("| ID | check | status | result |") != std::string::npos);
    CHECK(md.find("| MD101 | operator-subscription | pass | a\\|b c |\n") != std::string::npos);
    for (const auto& f : d.findings) CHECK(md.find("| " + f.id + " |") != std::string::npos);
  }

  TEST_CASE("unknowns are listed with what could not be verified and why") {
    std::string md = report::render_markdown(testing::sample_diagnosis(), {});
    auto at = md.find("## Could not verify");
    REQUIRE(at != std::string::npos);
    CHECK(md.find("**MD404**", at) != std::string::npos);
    CHECK(md.find("readiness bodies are not in the bundle", at) != std::string::npos);
  }

  TEST_CASE("backticks in evidence get a longer code span fence") {
    auto d = testing::sample_diagnosis();
    d.findings[2].evidence = {{"log", "saw `x` here"}};
    std::string md = report::render_markdown(d, {});
    CHECK(md.find("``saw `x` here``") != std::string::npos);
  }

  TEST_CASE("the summary line ends the report") {
    std::string md = report::render_markdown(testing::sample_diagnosis(), {});
    CHECK(md.find("**Summary:** 6 fail · 1 pass · 1 warn · 1 unknown · 1 skipped · exit 1\n") !=
          std::string::npos);
  }
}
