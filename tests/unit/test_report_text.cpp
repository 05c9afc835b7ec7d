#include <doctest/doctest.h>

#include <sstream>

#include "report/render.hpp"
#include "report/text_layout.hpp"
#include "report_fixture.hpp"

using namespace meshdoctor;

namespace {

report::RenderOptions ascii() {
  report::RenderOptions o;
  o.unicode = false;
  return o;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

}  // namespace

TEST_SUITE("report::text") {
  TEST_CASE("the root cause comes before warnings, unknowns and the checklist") {
    std::string t = report::render_text(testing::sample_diagnosis(), {});
    auto root = t.find("ROOT CAUSE");
    REQUIRE(root != std::string::npos);
    CHECK(t.find("MD301", 0) > root);
    CHECK(root < t.find("WARNING"));
    CHECK(t.find("WARNING") < t.find("UNKNOWN"));
    CHECK(t.find("UNKNOWN") < t.find("install "));
    CHECK(t.find("ROOT CAUSE", root + 1) == std::string::npos);  // one root cause only
  }

  TEST_CASE("the header names the tool, the bundle and the scope") {
    auto first = lines_of(report::render_text(testing::sample_diagnosis(), {})).front();
    CHECK(first.find("meshdoctor 0.1.0") == 0);
    CHECK(first.find("bundle must-gather.local.5538") != std::string::npos);
    CHECK(first.find("collection time unknown") != std::string::npos);
    CHECK(first.find("3 nodes, 41 pods") != std::string::npos);
  }

  TEST_CASE("the explained chain is shown transitively, each finding once, on its longest chain") {
    auto lines = lines_of(report::render_text(testing::sample_diagnosis(), ascii()));
    std::vector<std::string> tree;
    bool in_tree = false;
    for (const auto& l : lines) {
      if (l.rfind("  explains", 0) == 0)
        in_tree = true;
      else if (in_tree && l.rfind("            ", 0) != 0)
        in_tree = false;
      if (in_tree) tree.push_back(l);
    }
    REQUIRE(tree.size() == 5);
    CHECK(tree[0].find("`- XX MD304") != std::string::npos);
    CHECK(tree[1].find("   `- XX MD403") != std::string::npos);  // under MD304, not MD301
    CHECK(tree[2].find("MD402") != std::string::npos);
    CHECK(tree[2].find("ztunnel 0/3 ready") != std::string::npos);
    CHECK(tree[3].find("|- XX MD203") != std::string::npos);
    CHECK(tree[4].find("`- XX MD503") != std::string::npos);
  }

  TEST_CASE("evidence, fix and the explain pointer are in the root-cause block") {
    std::string t = report::render_text(testing::sample_diagnosis(), {});
    CHECK(t.find("  evidence  sailoperator.io/v1 IstioCNI default: spec.profile is not set") !=
          std::string::npos);
    CHECK(t.find("  fix       oc patch istiocni default") != std::string::npos);
    CHECK(t.find("  more      meshdoctor explain MD301") != std::string::npos);
  }

  TEST_CASE("ASCII mode has no byte outside ASCII, even from quoted data") {
    auto d = testing::sample_diagnosis();
    d.findings[2].evidence.push_back({"log", "caf\xC3\xA9 \xE2\x89\xA5 2 \xFF broken"});
    std::string t = report::render_text(d, ascii());
    for (unsigned char c : t) CHECK(c < 0x80);
    CHECK(t.find("XX MD301") != std::string::npos);
    CHECK(t.find("ok MD101") != std::string::npos);
    CHECK(t.find("!! MD302") != std::string::npos);
    CHECK(t.find("?? MD404") != std::string::npos);
    CHECK(t.find("-- MD305") != std::string::npos);
    CHECK(t.find(">= 2") != std::string::npos);
  }

  TEST_CASE("unicode mode uses the status symbols") {
    std::string t = report::render_text(testing::sample_diagnosis(), {});
    CHECK(t.find("✖ MD301") != std::string::npos);
    CHECK(t.find("✔ MD101") != std::string::npos);
    CHECK(t.find("‼ MD302") != std::string::npos);
  }

  TEST_CASE("colour escapes appear only when asked for") {
    report::RenderOptions color;
    color.color = true;
    CHECK(report::render_text(testing::sample_diagnosis(), color).find("\033[") !=
          std::string::npos);
    CHECK(report::render_text(testing::sample_diagnosis(), {}).find("\033[") == std::string::npos);
  }

  TEST_CASE("one summary line ends the report, with counts and the exit code") {
    auto lines = lines_of(report::render_text(testing::sample_diagnosis(), {}));
    CHECK(lines.back() ==
          "FAIL · 1 root cause explains 5 failures · 1 pass · 1 warn · 1 unknown · 1 skipped · "
          "exit 1");
  }

  TEST_CASE("the summary's exit code follows --strict and --exit-zero like the process") {
    checks::Diagnosis d;
    d.findings = {testing::finding("MD101", checks::Status::pass, "ok"),
                  testing::finding("MD302", checks::Status::warn, "reconcile off")};
    checks::link_findings(d);
    report::RenderOptions opt;
    CHECK(lines_of(report::render_text(d, opt)).back().find("exit 0") != std::string::npos);
    opt.strict = true;
    CHECK(lines_of(report::render_text(d, opt)).back().find("exit 1") != std::string::npos);
    CHECK(report::render_markdown(d, opt).find("exit 1\n") != std::string::npos);
    opt.exit_zero = true;
    CHECK(lines_of(report::render_text(d, opt)).back().find("exit 0") != std::string::npos);
    CHECK(report::printed_exit_code(d, opt) == 0);
  }

  TEST_CASE("a healthy run says PASS and exit 0") {
    checks::Diagnosis d;
    d.findings = {testing::finding("MD101", checks::Status::pass, "ok")};
    checks::link_findings(d);
    auto lines = lines_of(report::render_text(d, ascii()));
    CHECK(lines.back() == "PASS - 1 pass - 0 warn - 0 unknown - 0 skipped - exit 0");
  }

  TEST_CASE("the checklist marks roots, consequences and skip reasons") {
    std::string t = report::render_text(testing::sample_diagnosis(), ascii());
    CHECK(t.find("XX MD301 (root)") != std::string::npos);
    CHECK(t.find("XX MD304 (explained by MD301)") != std::string::npos);
    CHECK(t.find("-- MD305 not on a node") != std::string::npos);
    CHECK(t.find("control plane  XX MD203 (explained by MD402)") != std::string::npos);
  }

  TEST_CASE("unknowns say what could not be verified and why") {
    std::string t = report::render_text(testing::sample_diagnosis(), ascii());
    auto at = t.find("UNKNOWN     ?? MD404");
    REQUIRE(at != std::string::npos);
    CHECK(t.find("could not verify", at) != std::string::npos);
    CHECK(t.find("readiness bodies are not in the bundle", at) != std::string::npos);
  }

  TEST_CASE("a root cause with an unknown upstream says it could not be verified") {
    auto d = testing::sample_diagnosis();
    d.findings[2].unverified_upstream = {"MD101"};
    std::string t = report::render_text(d, ascii());
    CHECK(t.find("  upstream  MD101") != std::string::npos);
    CHECK(t.find("could not be verified") != std::string::npos);
  }

  TEST_CASE("long evidence wraps to the width with a hanging indent; many items are capped") {
    auto d = testing::sample_diagnosis();
    auto& root = d.findings[2];
    root.evidence.clear();
    for (int i = 0; i < 12; ++i) {
      root.evidence.push_back({"pod bookinfo/p-" + std::to_string(i), std::string(150, 'x')});
    }
    auto lines = lines_of(report::render_text(d, ascii()));
    bool more = false;
    for (const auto& l : lines) {
      CHECK(report::display_width(l) <= 100);
      if (l.find("+") != std::string::npos && l.find(" more (") != std::string::npos) more = true;
    }
    CHECK(more);
  }

  TEST_CASE("an ID the catalogue does not know is shown under 'other' by its ID") {
    auto d = testing::sample_diagnosis();
    d.findings.push_back(testing::finding("ZZ999", checks::Status::pass, "fine"));
    std::string t = report::render_text(d, ascii());
    CHECK(t.find("other          ok ZZ999") != std::string::npos);
  }
}

TEST_SUITE("report::text_layout") {
  TEST_CASE("wrap keeps words whole and cuts only words longer than a line") {
    auto lines = report::wrap("alpha beta gamma delta", 11);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == "alpha beta");
    CHECK(lines[1] == "gamma delta");
    auto cut = report::wrap(std::string(25, 'y'), 10);
    CHECK(cut.size() == 3);
  }

  TEST_CASE("display width counts code points and skips colour escapes") {
    CHECK(report::display_width("✔ ok") == 4);
    CHECK(report::display_width("\033[31mred\033[0m") == 3);
  }
}
