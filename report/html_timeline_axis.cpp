#include "report/html_timeline_axis.hpp"

#include <algorithm>
#include <array>

namespace meshdoctor::report::html {

namespace {

constexpr util::Micros k_second = 1'000'000;
constexpr util::Micros k_min_span = 60 * k_second;
constexpr int k_max_ticks = 7;

bool agent_ok(const std::optional<checks::AgentTimeline>& a) { return a && a->ready; }

void add_agent(const std::optional<checks::AgentTimeline>& a, std::vector<util::Micros>& out) {
  if (!a) return;
  for (const auto& t : {a->started, a->ready_since, a->not_ready_since}) {
    if (t) out.push_back(*t);
  }
}

void add_events(const checks::NodeTimeline& n, std::vector<util::Micros>& out) {
  add_agent(n.ztunnel, out);
  add_agent(n.cni, out);
  for (const auto& p : n.stale) {
    if (p.start) out.push_back(*p.start);
  }
}

// The moments that tell what went wrong on a node: the ztunnel window its stale pods fell in,
// and when each agent that is not Ready stopped being Ready. Sets still_down for the latter.
void add_story(const checks::NodeTimeline& n, std::vector<util::Micros>& out, bool& still_down) {
  if (!n.stale.empty() && n.ztunnel) {
    for (const auto& t : {n.ztunnel->started, n.ztunnel->ready_since}) {
      if (t) out.push_back(*t);
    }
  }
  for (const auto& p : n.stale) {
    if (p.start) out.push_back(*p.start);
  }
  for (const auto* a : {&n.ztunnel, &n.cni}) {
    if (!*a || (*a)->ready) continue;
    still_down = true;
    auto since = (*a)->not_ready_since ? (*a)->not_ready_since : (*a)->started;
    if (since) out.push_back(*since);
  }
}

// "2026-11-20T11:45:03Z" → the part from `from`, `len` characters long.
std::string part(util::Micros t, std::size_t from, std::size_t len) {
  std::string text = util::format_rfc3339(t);
  return text.size() >= from + len ? text.substr(from, len) : text;
}

std::string tick_label(util::Micros t, util::Micros step, bool spans_days) {
  if (step >= 86'400 * k_second) return part(t, 5, 5);            // 11-20
  std::string clock = step < 60 * k_second ? part(t, 11, 8) : part(t, 11, 5);
  return spans_days ? part(t, 5, 5) + " " + clock : clock;
}

}  // namespace

double Axis::x(util::Micros t) const {
  if (t <= start) return x0;
  if (t >= end) return x1;
  return x0 + (x1 - x0) * static_cast<double>(t - start) / static_cast<double>(end - start);
}

bool notable(const checks::NodeTimeline& n) {
  return !n.stale.empty() || !agent_ok(n.ztunnel) || !agent_ok(n.cni);
}

std::optional<Axis> choose_axis(const std::vector<const checks::NodeTimeline*>& rows,
                                std::optional<util::Micros> collected,
                                double x0,
                                double x1) {
  std::vector<util::Micros> focus, all;
  bool still_down = false;  // an agent is not Ready: its red bar runs to the collection
  for (const auto* n : rows) {
    add_events(*n, all);
    add_story(*n, focus, still_down);
  }
  std::vector<util::Micros>& events = focus.empty() ? all : focus;
  if (collected && (focus.empty() || still_down)) events.push_back(*collected);
  if (events.empty()) return std::nullopt;
  auto [lo, hi] = std::minmax_element(events.begin(), events.end());
  util::Micros start = *lo, end = *hi;
  if (end - start < k_min_span) {
    util::Micros grow = k_min_span - (end - start);
    start -= grow / 2;
    end += grow - grow / 2;
  }
  util::Micros span = end - start;
  // A little room before the first event, and more after the last when that is a Ready time
  // that the green bar continues from (nothing follows the collection).
  bool ends_at_collection = focus.empty() || still_down;
  return Axis{start - span / 16, end + (ends_at_collection ? span / 40 : span / 8), x0, x1,
              !focus.empty()};
}

std::vector<Tick> ticks(const Axis& axis) {
  static constexpr std::array<util::Micros, 20> k_steps{
      1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200,
      86'400, 172'800, 604'800};
  util::Micros span = axis.end - axis.start;
  util::Micros step = k_steps.back() * k_second;
  for (auto s : k_steps) {
    if (span / (s * k_second) <= k_max_ticks) {
      step = s * k_second;
      break;
    }
  }
  bool spans_days = part(axis.start, 0, 10) != part(axis.end, 0, 10);
  std::vector<Tick> out;
  util::Micros first = (axis.start / step + (axis.start % step > 0 ? 1 : 0)) * step;
  for (util::Micros t = first; t <= axis.end; t += step) {
    out.push_back({t, tick_label(t, step, spans_days)});
  }
  return out;
}

}  // namespace meshdoctor::report::html
