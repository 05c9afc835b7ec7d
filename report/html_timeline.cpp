// The node timeline section of the HTML report: the SVG, its legend, and the same facts in words
// (the words are what a phone or a screen reader gets; the drawing may scroll sideways).
#include <algorithm>

#include "report/html_sections.hpp"
#include "report/html_text.hpp"
#include "report/html_timeline_axis.hpp"
#include "report/html_timeline_svg.hpp"

namespace meshdoctor::report::html {

namespace {

// Rows drawn; a 150-node cluster lists its notable nodes first and counts the rest.
constexpr std::size_t k_max_rows = 50;
// Above this many rows the list in words starts folded.
constexpr std::size_t k_open_list_rows = 12;

std::string swatch(const char* cls) {
  return std::string("<svg class=\"swatch\" viewBox=\"0 0 22 12\" aria-hidden=\"true\"><rect "
                     "class=\"bar ") + cls + "\" x=\"0\" y=\"0\" width=\"22\" height=\"12\"/></svg>";
}

std::string legend(bool collected_drawn) {
  auto item = [](const std::string& mark, const char* what) {
    return "<li>" + mark + " " + what + "</li>";
  };
  return "<ul class=\"legend\">" + item(swatch("starting"), "(re)started, not Ready yet") +
         item(swatch("ready"), "Ready") + item(swatch("down"), "not Ready") +
         item(swatch("unknown"), "state unknown") +
         item("<svg class=\"swatch\" viewBox=\"0 0 22 12\" aria-hidden=\"true\"><line "
              "class=\"restart\" x1=\"11\" x2=\"11\" y1=\"0\" y2=\"12\"/></svg>",
              "container (re)start") +
         item("<svg class=\"swatch\" viewBox=\"0 0 22 12\" aria-hidden=\"true\"><circle "
              "class=\"ready-dot\" cx=\"11\" cy=\"6\" r=\"4.5\"/></svg>",
              "became Ready") +
         item("<svg class=\"swatch\" viewBox=\"0 0 22 12\" aria-hidden=\"true\"><path "
              "class=\"pod-mark\" d=\"M11 0l6 6-6 6-6-6z\"/></svg>",
              "ambient pod started before ztunnel was Ready (MD504)") +
         (collected_drawn
              ? item("<svg class=\"swatch\" viewBox=\"0 0 22 12\" aria-hidden=\"true\"><line "
                     "class=\"now\" x1=\"11\" x2=\"11\" y1=\"0\" y2=\"12\"/></svg>",
                     "collection time")
              : std::string()) +
         "</ul>\n";
}

// Notable nodes first (stale pods, then agents not Ready), each group by name.
std::vector<const checks::NodeTimeline*> ordered(const std::vector<checks::NodeTimeline>& all) {
  std::vector<const checks::NodeTimeline*> rows;
  for (const auto& n : all) rows.push_back(&n);
  auto rank = [](const checks::NodeTimeline* n) { return !n->stale.empty() ? 0 : notable(*n) ? 1 : 2; };
  std::stable_sort(rows.begin(), rows.end(), [&](const auto* a, const auto* b) {
    return rank(a) != rank(b) ? rank(a) < rank(b) : a->node < b->node;
  });
  return rows;
}

std::string agent_words(const std::optional<checks::AgentTimeline>& a, const char* what) {
  std::string out = std::string("<li>") + what + ": ";
  if (!a) return out + "<strong>no pod seen on this node</strong></li>\n";
  out += "<code>" + escape(a->name) + "</code> (re)started " + stamp(a->started);
  if (a->ready) {
    out += ", Ready since " + stamp(a->ready_since);
    if (a->started && a->ready_since && *a->ready_since > *a->started) {
      out += " (not Ready for " + util::format_duration(*a->ready_since - *a->started) + ")";
    }
  } else {
    out += ", <strong>not Ready</strong> (since " + stamp(a->not_ready_since) + ")";
  }
  if (a->restarts > 0) out += ", " + std::to_string(a->restarts) + " container restart(s)";
  return out + "</li>\n";
}

std::string node_words(const checks::NodeTimeline& n) {
  std::string out = "<li><strong>" + escape(n.node) + "</strong>\n<ul>\n" +
                    agent_words(n.ztunnel, "ztunnel") + agent_words(n.cni, "istio-cni");
  if (!n.stale.empty()) {
    out += "<li>" + std::to_string(n.stale.size()) +
           " ambient pod(s) started before ztunnel was Ready:<ul class=\"pods\">\n";
    for (const auto& p : n.stale) {
      out += "<li><code>" + escape(p.ns + "/" + p.name) + "</code> started " + stamp(p.start) +
             "</li>\n";
    }
    out += "</ul></li>\n";
  }
  out += "<li>" + std::to_string(n.other_pods) +
         " other ambient pod(s) started after ztunnel was Ready or were handed over";
  if (n.unknown_pods > 0) {
    out += "; " + std::to_string(n.unknown_pods) + " could not be compared (a time or the "
           "ztunnel pod is missing)";
  }
  return out + "</li>\n</ul></li>\n";
}

// What span the drawing shows, since it may zoom on a few seconds of a day-long story.
std::string axis_caption(const std::optional<Axis>& axis, const checks::Diagnosis& d) {
  if (!axis) return "";
  std::string out = "<p class=\"note\">Drawn from " + stamp(axis->start) + " to " +
                    stamp(axis->end) + " UTC";
  if (axis->zoomed) out += ", around what went wrong (times outside it sit at the edges)";
  if (d.collected_at && !axis->contains(*d.collected_at)) {
    out += ". Collected " + stamp(d.collected_at);
  }
  return out + ".</p>\n";
}

std::string hidden_note(const std::vector<const checks::NodeTimeline*>& rows) {
  std::size_t hidden = rows.size() - k_max_rows, stale = 0;
  for (std::size_t i = k_max_rows; i < rows.size(); ++i) stale += !rows[i]->stale.empty();
  return "<p class=\"note\">" + std::to_string(hidden) + " more node(s) not drawn" +
         (stale > 0 ? " (" + std::to_string(stale) + " with pods started before ztunnel was Ready)"
                    : ", none with pods started before ztunnel was Ready") +
         ": the first " + std::to_string(k_max_rows) + " nodes are shown, those that need a look "
         "first.</p>\n";
}

}  // namespace

std::string timeline_section(const checks::Diagnosis& d) {
  std::string out =
      "<section id=\"timeline\">\n<h2>Node timeline</h2>\n<p class=\"lead\">When ztunnel and "
      "istio-cni last (re)started and became Ready on each node, and the ambient pods that "
      "started in between (they need a restart, MD504). Times are UTC; hover a mark for the exact "
      "time.</p>\n";
  if (d.timeline.empty()) {
    return out + "<p class=\"empty\">No node to show: no ztunnel, istio-cni-node or ambient pod "
                 "was collected.</p>\n</section>\n";
  }
  auto rows = ordered(d.timeline);
  std::vector<const checks::NodeTimeline*> drawn(
      rows.begin(), rows.begin() + static_cast<long>(std::min(rows.size(), k_max_rows)));
  auto axis = timeline_axis(drawn, d.collected_at);
  bool collected_drawn = axis && d.collected_at && axis->contains(*d.collected_at);
  out += legend(collected_drawn) + "<div class=\"svg-wrap\">" +
         timeline_svg(drawn, axis, d.collected_at) + "</div>\n" + axis_caption(axis, d);
  if (rows.size() > drawn.size()) out += hidden_note(rows);
  out += std::string("<details class=\"node-list\"") +
         (drawn.size() <= k_open_list_rows ? " open" : "") +
         "><summary>The same, node by node</summary>\n<ul class=\"nodes\">\n";
  for (const auto* n : drawn) out += node_words(*n);
  return out + "</ul>\n</details>\n</section>\n";
}

}  // namespace meshdoctor::report::html
