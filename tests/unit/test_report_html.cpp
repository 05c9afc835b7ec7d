// The HTML report: one self-contained page, root causes first, every cluster string escaped, a
// per-node SVG timeline, the remediation when planned.
#include <doctest/doctest.h>

#include <regex>

#include "test_support_facts.hpp"
#include "report/html_text.hpp"
#include "report/html_timeline_axis.hpp"
#include "report/render.hpp"
#include "report_fixture.hpp"
#include "util/time.hpp"

using namespace meshdoctor;
using testsupport::at;

namespace {

checks::AgentTimeline agent(const char* name, const char* started, const char* ready) {
  checks::AgentTimeline a;
  a.ns = "ztunnel";
  a.name = name;
  a.created = at("2026-11-19T08:01:01Z");
  if (started) a.started = at(started);
  a.ready = ready != nullptr;
  if (ready) a.ready_since = at(ready);
  return a;
}

checks::NodeTimeline healthy_node(const std::string& name) {
  checks::NodeTimeline n;
  n.node = name;
  n.ztunnel = agent("ztunnel-4xk2p", "2026-11-19T08:01:03Z", "2026-11-19T08:01:09Z");
  n.cni = agent("istio-cni-node-2hbqx", "2026-11-19T08:00:03Z", "2026-11-19T08:00:21Z");
  n.other_pods = 4;
  return n;
}

// worker-1 rebooted: two pods started before its ztunnel was Ready.
checks::Diagnosis timeline_diagnosis() {
  auto d = testing::sample_diagnosis();
  d.collected_at = at("2026-11-20T12:30:00Z");
  checks::NodeTimeline w1;
  w1.node = "worker-1";
  w1.ztunnel = agent("ztunnel-9qzvd", "2026-11-20T11:45:03Z", "2026-11-20T11:46:35Z");
  w1.cni = agent("istio-cni-node-7lfnr", "2026-11-20T11:45:02Z", "2026-11-20T11:45:20Z");
  w1.stale = {{"bookinfo", "details-v1-65cfcf56f9-dq2tw", at("2026-11-20T11:45:21Z"),
               checks::StartTiming::before_ready},
              {"bookinfo", "reviews-v2-5b667bcbf8-gj7nz", at("2026-11-20T11:45:48Z"),
               checks::StartTiming::before_ready}};
  w1.other_pods = 2;
  d.timeline = {healthy_node("worker-0"), w1, healthy_node("worker-2")};
  return d;
}

std::size_t count(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

// The part of the page inside <section id="...">.
std::string section(const std::string& page, const std::string& id) {
  auto start = page.find("<section id=\"" + id + "\">");
  if (start == std::string::npos) return "";
  return page.substr(start, page.find("</section>", start) - start);
}

checks::Remediation plan() {
  checks::Remediation r;
  checks::PlanEntry e;
  e.kind = "Deployment";
  e.ns = "bookinfo";
  e.name = "details-v1";
  e.resource_version = "4312";
  e.command = "oc rollout restart deployment/details-v1 -n bookinfo";
  e.action = checks::PlanAction::restart;
  e.reason = "2 pod(s) started before ztunnel was Ready";
  e.checks = {"MD504"};
  checks::RemediationPod p;
  p.ns = "bookinfo";
  p.name = "details-v1-65cfcf56f9-dq2tw";
  p.node = "worker-1";
  p.detail = "started 11:45:21, ztunnel-9qzvd Ready at 11:46:35";
  e.pods = {p};
  r.plan = {e};
  return r;
}

}  // namespace

TEST_SUITE("report::html") {
  TEST_CASE("a whole document, readable on a phone") {
    std::string page = report::render_html(timeline_diagnosis(), {});
    CHECK(page.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0) == 0);
    CHECK(page.find("<meta charset=\"utf-8\">") != std::string::npos);
    CHECK(page.find("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">") !=
          std::string::npos);
    CHECK(page.find("<style>") != std::string::npos);
    CHECK(page.find("</html>\n") == page.size() - 8);
  }

  TEST_CASE("render(Format::html) is the same page") {
    auto d = timeline_diagnosis();
    CHECK(report::render(report::Format::html, d, {}) == report::render_html(d, {}));
  }

  TEST_CASE("the header says source, collection time, counts and overall status") {
    std::string page = report::render_html(timeline_diagnosis(), {});
    auto header = page.substr(page.find("<header"), page.find("</header>") - page.find("<header"));
    CHECK(header.find("<span class=\"badge fail\">FAIL</span> meshdoctor") != std::string::npos);
    CHECK(header.find("bundle must-gather.local.5538") != std::string::npos);
    CHECK(header.find("collected 2026-11-20 12:30 UTC") != std::string::npos);
    CHECK(header.find("<b>6</b> fail") != std::string::npos);
    CHECK(header.find("1 root cause explains 5 other failures · exit 1") != std::string::npos);
  }

  TEST_CASE("root causes come first, with evidence, the explained chain and the fix") {
    std::string page = report::render_html(timeline_diagnosis(), {});
    auto roots = page.find("<section id=\"root-causes\">");
    auto findings = page.find("<section id=\"findings\">");
    REQUIRE(roots != std::string::npos);
    REQUIRE(findings != std::string::npos);
    CHECK(roots < findings);
    CHECK(roots < page.find("<section id=\"timeline\">"));
    std::string rc = section(page, "root-causes");
    CHECK(rc.find("id=\"root-MD301\"") != std::string::npos);
    CHECK(rc.find("IstioCNI/default is not in the ambient profile") != std::string::npos);
    CHECK(rc.find("spec.profile is not set") != std::string::npos);
    CHECK(rc.find("<pre class=\"fix\">oc patch istiocni default --type merge -p "
                  "&#39;{&quot;spec&quot;:{&quot;profile&quot;:&quot;ambient&quot;}}&#39;</pre>") !=
          std::string::npos);
    // MD403 nested under MD304, MD402 under MD403, MD203 and MD503 under MD402.
    auto chain = rc.substr(rc.find("<ul class=\"chain\">"));
    for (const char* id : {"MD304", "MD403", "MD402", "MD203", "MD503"}) {
      CHECK(chain.find(std::string("href=\"#f-") + id + "\"") != std::string::npos);
    }
    CHECK(chain.find("#f-MD304") < chain.find("#f-MD403"));
    CHECK(chain.find("#f-MD403") < chain.find("#f-MD402"));
    CHECK(count(chain, "<ul>") == 3);
    CHECK(count(chain, "<ul") == count(chain, "</ul>"));
    CHECK(count(chain, "<li>") == count(chain, "</li>"));
  }

  TEST_CASE("findings are grouped by category; passes fold, failures stay open") {
    std::string page = report::render_html(timeline_diagnosis(), {});
    std::string all = section(page, "findings");
    CHECK(all.find("<h3 class=\"category\">install</h3>") != std::string::npos);
    CHECK(all.find("<h3 class=\"category\">control plane</h3>") != std::string::npos);
    CHECK(all.find("<details class=\"finding pass\" id=\"f-MD101\">") != std::string::npos);
    CHECK(all.find("<details class=\"finding skipped\" id=\"f-MD305\">") != std::string::npos);
    CHECK(all.find("<details class=\"finding fail\" id=\"f-MD402\" open>") != std::string::npos);
    CHECK(all.find("<details class=\"finding warn\" id=\"f-MD302\" open>") != std::string::npos);
    CHECK(all.find("explained by MD403") != std::string::npos);
    CHECK(all.find("set spec.values.cni.ambient.reconcileIptablesOnStartup: true") !=
          std::string::npos);
    for (const auto& f : timeline_diagnosis().findings) {
      CHECK(all.find("id=\"f-" + f.id + "\"") != std::string::npos);
    }
  }

  TEST_CASE("every string from the cluster is escaped") {
    auto d = timeline_diagnosis();
    d.findings[6].message = "<script>alert(\"x\")</script> it's";
    d.findings[6].evidence = {{"Pod <b>x</b>", "say \"hi\" & <img src=x onerror=alert(1)>"}};
    d.timeline[1].stale[0].name = "evil-<script>alert('pod')</script>";
    d.timeline[1].node = "node\"><script>n</script>";
    d.warnings = {"file <x>.yaml: bad"};
    std::string page = report::render_html(d, {});
    CHECK(page.find("<script") == std::string::npos);
    CHECK(page.find("<img") == std::string::npos);
    CHECK(page.find("<b>x</b>") == std::string::npos);
    CHECK(page.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; it&#39;s") !=
          std::string::npos);
    CHECK(page.find("say &quot;hi&quot; &amp; &lt;img src=x onerror=alert(1)&gt;") !=
          std::string::npos);
    CHECK(page.find("evil-&lt;script&gt;alert(&#39;pod&#39;)&lt;/script&gt;") != std::string::npos);
    CHECK(page.find("data-node=\"node&quot;&gt;&lt;script&gt;n&lt;/script&gt;\"") !=
          std::string::npos);
    CHECK(page.find("file &lt;x&gt;.yaml: bad") != std::string::npos);
  }

  TEST_CASE("no external asset: no stylesheet link, script, image or font; URLs only as links") {
    auto d = timeline_diagnosis();
    d.remediation = plan();
    std::string page = report::render_html(d, {});
    for (const char* bad : {"<link", "<script", "<img", "<iframe", "<object", "@import", "url(",
                            "src="}) {
      CHECK_MESSAGE(page.find(bad) == std::string::npos, bad);
    }
    // Docs links are fine as <a href>; nothing else may name a URL.
    std::string rest = std::regex_replace(page, std::regex("<a href=\"https?://[^\"]*\">[^<]*</a>"), "");
    CHECK(rest.find("http://") == std::string::npos);
    CHECK(rest.find("https://") == std::string::npos);
    CHECK(page.find("<a href=\"https://") != std::string::npos);  // the catalogue's docs
  }

  TEST_CASE("the timeline draws one row per node, notable nodes first, with the stale pods") {
    std::string page = report::render_html(timeline_diagnosis(), {});
    std::string tl = section(page, "timeline");
    REQUIRE(tl.find("<svg class=\"timeline\"") != std::string::npos);
    CHECK(count(tl, "<g class=\"node-row") == 3);
    CHECK(tl.find("data-node=\"worker-1\"") < tl.find("data-node=\"worker-0\""));
    CHECK(tl.find("data-node=\"worker-0\"") < tl.find("data-node=\"worker-2\""));
    CHECK(count(tl, "<g class=\"stale-pod\">") == 2);
    CHECK(tl.find("bookinfo/details-v1-65cfcf56f9-dq2tw · 11:45:21") != std::string::npos);
    CHECK(tl.find("bookinfo/reviews-v2-5b667bcbf8-gj7nz") != std::string::npos);
    CHECK(tl.find("<title>bookinfo/details-v1-65cfcf56f9-dq2tw started 2026-11-20 11:45:21") !=
          std::string::npos);
    CHECK(tl.find("class=\"legend\"") != std::string::npos);
    CHECK(tl.find("class=\"tick\"") != std::string::npos);
    // the zoom: worker-1's 92 s window, ticks in seconds
    CHECK(tl.find(">11:45:30</text>") != std::string::npos);
    CHECK(tl.find("ztunnel-9qzvd (re)started 2026-11-20 11:45:03, not Ready for 1m32s") !=
          std::string::npos);
    // in words too
    CHECK(tl.find("<code>ztunnel-9qzvd</code> (re)started 2026-11-20 11:45:03, Ready since "
                  "2026-11-20 11:46:35 (not Ready for 1m32s)") != std::string::npos);
    CHECK(tl.find("2 ambient pod(s) started before ztunnel was Ready") != std::string::npos);
  }

  TEST_CASE("unknown times and missing agents are said, not drawn as if known") {
    auto d = timeline_diagnosis();
    d.timeline[0].ztunnel->started.reset();
    d.timeline[0].ztunnel->ready_since.reset();
    d.timeline[2].cni.reset();
    std::string tl = section(report::render_html(d, {}), "timeline");
    CHECK(tl.find("ztunnel-4xk2p: (re)start time unknown, Ready now") != std::string::npos);
    CHECK(tl.find("(re)started unknown, Ready since unknown") != std::string::npos);
    CHECK(tl.find("no istio-cni pod seen on this node") != std::string::npos);
  }

  TEST_CASE("no node: a sentence instead of an empty drawing") {
    auto d = testing::sample_diagnosis();
    std::string tl = section(report::render_html(d, {}), "timeline");
    CHECK(tl.find("No node to show") != std::string::npos);
    CHECK(tl.find("<svg") == std::string::npos);
  }

  TEST_CASE("many nodes: 50 rows drawn and the rest counted") {
    auto d = timeline_diagnosis();
    for (int i = 0; i < 57; ++i) d.timeline.push_back(healthy_node("node-" + std::to_string(100 + i)));
    std::string tl = section(report::render_html(d, {}), "timeline");
    CHECK(count(tl, "<g class=\"node-row") == 50);
    CHECK(tl.find("data-node=\"worker-1\"") != std::string::npos);  // the one that matters
    CHECK(tl.find("10 more node(s) not drawn, none with pods started before ztunnel was Ready") !=
          std::string::npos);
    CHECK(tl.find("<details class=\"node-list\">") != std::string::npos);  // folded when long
  }

  TEST_CASE("the remediation section appears when a plan is set") {
    auto d = timeline_diagnosis();
    CHECK(report::render_html(d, {}).find("id=\"remediation\"") == std::string::npos);
    d.remediation = plan();
    std::string page = report::render_html(d, {});
    std::string rem = section(page, "remediation");
    REQUIRE_FALSE(rem.empty());
    CHECK(page.find("id=\"timeline\"") < page.find("id=\"remediation\""));
    CHECK(rem.find("<code>restart-stale-workloads</code> · dry-run: nothing was written "
                   "(--apply to restart)") != std::string::npos);
    CHECK(rem.find("<strong>Deployment bookinfo/details-v1</strong>") != std::string::npos);
    CHECK(rem.find("details-v1-65cfcf56f9-dq2tw on worker-1: started 11:45:21") !=
          std::string::npos);
    CHECK(rem.find("<pre class=\"fix\">oc rollout restart deployment/details-v1 -n bookinfo\n") !=
          std::string::npos);
    CHECK(rem.find("DRY-RUN") != std::string::npos);
    CHECK(page.find("href=\"#remediation\"") != std::string::npos);
  }

  TEST_CASE("render_remediation(html) is the whole page") {
    auto d = timeline_diagnosis();
    d.remediation = plan();
    CHECK(report::render_remediation(report::Format::html, d, {}) == report::render_html(d, {}));
  }

  TEST_CASE("a healthy run says there is no root cause") {
    checks::Diagnosis d;
    d.findings = {testing::finding("MD101", checks::Status::pass, "Succeeded")};
    checks::link_findings(d);
    std::string page = report::render_html(d, {});
    CHECK(page.find("No root cause: no check failed.") != std::string::npos);
    CHECK(page.find("<span class=\"badge pass\">PASS</span> meshdoctor") != std::string::npos);
  }
}

TEST_SUITE("report::html_timeline_axis") {
  std::vector<const checks::NodeTimeline*> ptrs(const std::vector<checks::NodeTimeline>& v) {
    std::vector<const checks::NodeTimeline*> out;
    for (const auto& n : v) out.push_back(&n);
    return out;
  }

  TEST_CASE("the axis zooms on the nodes that need a look") {
    auto d = timeline_diagnosis();
    auto axis = report::html::choose_axis(ptrs(d.timeline), d.collected_at, 100, 900);
    REQUIRE(axis);
    CHECK(axis->start <= at("2026-11-20T11:45:02Z"));
    CHECK(axis->start > at("2026-11-20T11:44:00Z"));
    CHECK(axis->end >= at("2026-11-20T11:46:35Z"));
    CHECK(axis->end < at("2026-11-20T11:50:00Z"));
    CHECK(axis->x(at("2026-11-19T08:00:00Z")) == 100);  // clamped
    CHECK(axis->x(at("2026-11-21T00:00:00Z")) == 900);
  }

  TEST_CASE("a ztunnel that is not Ready: the axis runs from when it stopped to the collection") {
    std::vector<checks::NodeTimeline> rows{healthy_node("a"), healthy_node("b")};
    rows[1].ztunnel->ready = false;
    rows[1].ztunnel->ready_since.reset();
    rows[1].ztunnel->started = at("2026-11-20T12:24:03Z");
    rows[1].ztunnel->not_ready_since = at("2026-11-20T12:24:03Z");
    auto axis = report::html::choose_axis(ptrs(rows), at("2026-11-20T12:30:00Z"), 0, 800);
    REQUIRE(axis);
    CHECK(axis->zoomed);
    CHECK(axis->start <= at("2026-11-20T12:24:03Z"));
    CHECK(axis->start > at("2026-11-20T12:20:00Z"));  // the healthy istio-cni of the day before is clamped
    CHECK(axis->end >= at("2026-11-20T12:30:00Z"));
  }

  TEST_CASE("a healthy cluster's axis runs to the collection time") {
    std::vector<checks::NodeTimeline> rows{healthy_node("a")};
    auto axis = report::html::choose_axis(ptrs(rows), at("2026-11-20T12:30:00Z"), 0, 800);
    REQUIRE(axis);
    CHECK_FALSE(axis->zoomed);
    CHECK(axis->start <= at("2026-11-19T08:00:03Z"));
    CHECK(axis->end >= at("2026-11-20T12:30:00Z"));
    auto t = report::html::ticks(*axis);
    REQUIRE_FALSE(t.empty());
    CHECK(t.size() <= 8);
    CHECK(t[0].label.find("11-") == 0);  // crosses midnight: the day is in the label
  }

  TEST_CASE("ticks fall on round times with labels at their precision") {
    report::html::Axis axis{at("2026-11-20T11:44:58Z"), at("2026-11-20T11:46:50Z"), 0, 100};
    auto t = report::html::ticks(axis);
    REQUIRE(t.size() >= 3);
    CHECK(t[0].at == at("2026-11-20T11:45:00Z"));
    CHECK(t[0].label == "11:45:00");
    CHECK(t[1].label == "11:45:15");
  }

  TEST_CASE("no known time, no axis") {
    std::vector<checks::NodeTimeline> rows(1);
    rows[0].node = "x";
    CHECK_FALSE(report::html::choose_axis(ptrs(rows), std::nullopt, 0, 100).has_value());
  }
}
