#include "report/html_timeline_svg.hpp"

#include <algorithm>
#include <cstdio>
#include <string_view>

#include "report/html_text.hpp"

namespace meshdoctor::report::html {

namespace {

// Drawing units (the viewBox is k_width wide; CSS scales it to the page).
constexpr double k_width = 960, k_x0 = 100, k_x1 = 944;
constexpr double k_axis_h = 44, k_head_h = 24, k_lane_h = 20, k_bar_h = 13, k_pod_h = 18;
constexpr double k_row_gap = 14;
constexpr double k_char_w = 6.9;  // average advance of the 12px sans-serif, generous
constexpr std::size_t k_max_label = 64;

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string shorten(const std::string& s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t cut = max - 1;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
  return s.substr(0, cut) + "…";
}

double text_width(const std::string& s) { return static_cast<double>(s.size()) * k_char_w; }

std::string text(double x, double y, const char* cls, const char* anchor, const std::string& body) {
  return "<text class=\"" + std::string(cls) + "\" x=\"" + num(x) + "\" y=\"" + num(y) +
         "\" text-anchor=\"" + anchor + "\">" + escape(body) + "</text>";
}

std::string title(const std::string& t) { return "<title>" + escape(t) + "</title>"; }

std::string clock(util::Micros t) { return stamp(t).substr(11); }

// One coloured stretch of an agent lane.
struct Segment {
  util::Micros from = 0, to = 0;
  const char* cls = "";
  std::vector<std::string> labels;  // the first that fits is written inside the bar
  std::string tip;
};

std::vector<Segment> segments(const checks::AgentTimeline& a, util::Micros end) {
  util::Micros s = *a.started;
  end = std::max(end, s);
  std::string who = a.name + " ";
  std::vector<Segment> out;
  if (a.ready && a.ready_since) {
    util::Micros r = std::clamp(*a.ready_since, s, end);
    if (r > s) {
      std::string d = util::format_duration(r - s);
      out.push_back({s, r, "starting", {"not Ready " + d, d},
                     who + "(re)started " + stamp(s) + ", not Ready for " + d});
    }
    out.push_back({r, end, "ready", {"Ready since " + stamp(r), "Ready"},
                   who + "Ready since " + stamp(r)});
  } else if (a.ready) {
    out.push_back({s, end, "unknown", {"Ready, since unknown", "?"},
                   who + "Ready; the time it became Ready is unknown"});
  } else {
    util::Micros n = a.not_ready_since ? std::clamp(*a.not_ready_since, s, end) : s;
    if (n > s) {
      out.push_back({s, n, "unknown", {"not recorded"},
                     who + "state between " + stamp(s) + " and " + stamp(n) + " not recorded"});
    }
    out.push_back({n, end, "down", {"not Ready since " + stamp(n), "not Ready"},
                   who + "not Ready since " + stamp(n)});
  }
  return out;
}

std::string bar(const Axis& axis, const Segment& seg, double y) {
  double x = axis.x(seg.from), w = std::max(1.5, axis.x(seg.to) - x);
  std::string out = "<rect class=\"bar " + std::string(seg.cls) + "\" x=\"" + num(x) + "\" y=\"" +
                    num(y) + "\" width=\"" + num(w) + "\" height=\"" + num(k_bar_h) + "\">" +
                    title(seg.tip) + "</rect>";
  // Clear of the Ready dot that sits at the start of a Ready stretch.
  double inset = std::string_view(seg.cls) == "ready" && axis.contains(seg.from) ? 9 : 5;
  for (const auto& label : seg.labels) {
    if (text_width(label) + inset + 5 > w) continue;
    out += text(x + inset, y + k_bar_h - 3, (std::string("in ") + seg.cls).c_str(), "start", label);
    break;
  }
  return out;
}

// The (re)start tick and the Ready dot, where they fall inside the axis.
std::string agent_marks(const Axis& axis, const checks::AgentTimeline& a, double y) {
  std::string out;
  if (axis.contains(*a.started)) {
    double x = axis.x(*a.started);
    out += "<line class=\"restart\" x1=\"" + num(x) + "\" x2=\"" + num(x) + "\" y1=\"" +
           num(y - 3) + "\" y2=\"" + num(y + k_bar_h + 3) + "\">" +
           title(a.name + " (re)started " + stamp(*a.started) +
                 (a.restarts > 0 ? ", " + std::to_string(a.restarts) + " container restart(s)"
                                 : "")) +
           "</line>";
  }
  if (a.ready && a.ready_since && axis.contains(*a.ready_since)) {
    out += "<circle class=\"ready-dot\" cx=\"" + num(axis.x(*a.ready_since)) + "\" cy=\"" +
           num(y + k_bar_h / 2) + "\" r=\"4.5\">" +
           title(a.name + " became Ready " + stamp(*a.ready_since)) + "</circle>";
  }
  return out;
}

std::string lane(const std::optional<Axis>& axis,
                 const std::optional<checks::AgentTimeline>& a,
                 const char* what,
                 double y,
                 std::optional<util::Micros> collected) {
  std::string out = text(k_x0 - 8, y + k_bar_h - 2, "lane", "end", what);
  if (!a) return out + text(k_x0 + 4, y + k_bar_h - 2, "note bad", "start",
                            std::string("no ") + what + " pod seen on this node");
  if (!axis || !a->started) {
    return out + text(k_x0 + 4, y + k_bar_h - 2, "note", "start",
                      a->name + ": (re)start time unknown, " +
                          (a->ready ? "Ready now" : "not Ready now"));
  }
  util::Micros end = collected.value_or(axis->end);
  for (const auto& seg : segments(*a, end)) out += bar(*axis, seg, y);
  return out + agent_marks(*axis, *a, y);
}

// The dotted line from the lanes down to a pod's mark, drawn before every label.
std::string pod_guide(const std::optional<Axis>& axis,
                      const checks::TimelinePod& p,
                      double top,
                      double y) {
  if (!axis || !p.start) return "";
  std::string x = num(axis->x(*p.start));
  return "<line class=\"guide\" x1=\"" + x + "\" x2=\"" + x + "\" y1=\"" + num(top) +
         "\" y2=\"" + num(y) + "\"/>";
}

std::string pod_line(const std::optional<Axis>& axis, const checks::TimelinePod& p, double y) {
  std::string name = shorten(p.ns + "/" + p.name, k_max_label);
  std::string tip = p.ns + "/" + p.name + " started " + stamp(p.start) +
                    (p.timing == checks::StartTiming::not_ready
                         ? ", after ztunnel (re)started; ztunnel is still not Ready"
                         : ", after ztunnel (re)started and before it was Ready");
  if (!axis || !p.start) {
    return text(k_x0 + 4, y + 4, "pod-label", "start", name + " (start unknown)");
  }
  double x = axis->x(*p.start);
  std::string label = name + " · " + clock(*p.start);
  bool right = x + 10 + text_width(label) <= k_width - 4;
  std::string out = "<g class=\"stale-pod\">" + title(tip) + "<path class=\"pod-mark\" d=\"M" +
                    num(x) + " " + num(y - 6) + "l6 6-6 6-6-6z\"/>";
  out += text(right ? x + 10 : x - 10, y + 4, "pod-label", right ? "start" : "end", label);
  return out + "</g>";
}

std::string row_summary(const checks::NodeTimeline& n) {
  std::vector<std::string> parts;
  if (!n.stale.empty()) {
    parts.push_back(std::to_string(n.stale.size()) + " pod(s) started before ztunnel was Ready");
  }
  parts.push_back(std::to_string(n.other_pods) + " other ambient pod(s)");
  if (n.unknown_pods > 0) parts.push_back(std::to_string(n.unknown_pods) + " not comparable");
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : " · ") + p;
  return out;
}

double row_height(const checks::NodeTimeline& n) {
  std::size_t pods = std::min(n.stale.size(), k_pods_drawn) + (n.stale.size() > k_pods_drawn);
  return k_head_h + 2 * k_lane_h + static_cast<double>(pods) * k_pod_h + k_row_gap;
}

std::string row(const std::optional<Axis>& axis,
                const checks::NodeTimeline& n,
                double y,
                std::optional<util::Micros> collected) {
  std::string out = "<g class=\"node-row" + std::string(notable(n) ? " notable" : "") +
                    "\" data-node=\"" + escape(n.node) + "\">" + title("node " + n.node);
  out += "<text class=\"node\" x=\"8\" y=\"" + num(y + 15) + "\">" + escape(shorten(n.node, 60)) +
         "<tspan class=\"node-sum\" dx=\"10\">" + escape(row_summary(n)) + "</tspan></text>";
  double lane_y = y + k_head_h;
  out += lane(axis, n.ztunnel, "ztunnel", lane_y, collected);
  out += lane(axis, n.cni, "istio-cni", lane_y + k_lane_h, collected);
  double pod_y = lane_y + 2 * k_lane_h + k_pod_h / 2;
  std::size_t drawn = std::min(n.stale.size(), k_pods_drawn);
  if (drawn > 0) out += text(k_x0 - 8, pod_y + 4, "lane", "end", "early pods");
  for (std::size_t i = 0; i < drawn; ++i) {
    out += pod_guide(axis, n.stale[i], lane_y, pod_y + static_cast<double>(i) * k_pod_h);
  }
  for (std::size_t i = 0; i < drawn; ++i) {
    out += pod_line(axis, n.stale[i], pod_y + static_cast<double>(i) * k_pod_h);
  }
  if (n.stale.size() > drawn) {
    out += text(k_x0 + 4, pod_y + static_cast<double>(drawn) * k_pod_h + 4, "note", "start",
                "+" + std::to_string(n.stale.size() - drawn) + " more (listed below)");
  }
  return out + "</g>";
}

std::string axis_marks(const std::optional<Axis>& axis,
                       std::optional<util::Micros> collected,
                       double bottom) {
  if (!axis) return text(k_x0, 24, "note", "start", "no (re)start or Ready time is known");
  std::string out = text(k_x0 - 8, 18, "axis-cap", "end", "UTC") +
                    text(k_x0 - 8, 32, "axis-cap", "end", stamp(axis->start).substr(0, 10));
  for (const auto& t : ticks(*axis)) {
    std::string x = num(axis->x(t.at));
    out += "<line class=\"grid\" x1=\"" + x + "\" x2=\"" + x + "\" y1=\"" + num(k_axis_h - 8) +
           "\" y2=\"" + num(bottom) + "\"/>" + text(axis->x(t.at), 26, "tick", "middle", t.label);
  }
  if (collected && axis->contains(*collected)) {
    std::string x = num(axis->x(*collected));
    out += "<line class=\"now\" x1=\"" + x + "\" x2=\"" + x + "\" y1=\"" + num(k_axis_h - 6) +
           "\" y2=\"" + num(bottom) + "\">" + title("collected " + stamp(collected)) + "</line>" +
           text(axis->x(*collected), 40, "now-label", "middle", "collected");
  }
  return out;
}

}  // namespace

std::optional<Axis> timeline_axis(const std::vector<const checks::NodeTimeline*>& rows,
                                  std::optional<util::Micros> collected) {
  return choose_axis(rows, collected, k_x0, k_x1);
}

std::string timeline_svg(const std::vector<const checks::NodeTimeline*>& rows,
                         const std::optional<Axis>& axis,
                         std::optional<util::Micros> collected) {
  double height = k_axis_h;
  for (const auto* n : rows) height += row_height(*n);
  std::string body;
  double y = k_axis_h;
  for (const auto* n : rows) {
    body += "<line class=\"sep\" x1=\"0\" x2=\"" + num(k_width) + "\" y1=\"" + num(y) + "\" y2=\"" +
            num(y) + "\"/>" + row(axis, *n, y + 4, collected);
    y += row_height(*n);
  }
  return "<svg class=\"timeline\" viewBox=\"0 0 " +
         num(k_width) + " " + num(height) + "\" role=\"img\" aria-labelledby=\"tl-title\">" +
         "<title id=\"tl-title\">ztunnel and istio-cni (re)starts and Ready times per node, and "
         "the ambient pods that started before ztunnel was Ready</title>" +
         axis_marks(axis, collected, height - 4) + body + "</svg>";
}

}  // namespace meshdoctor::report::html
