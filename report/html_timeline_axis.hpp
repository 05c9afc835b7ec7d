#pragma once
// The time axis of the HTML report's node timeline: which span to draw and where the ticks go.
// Pure functions, unit-tested without rendering. Internal to report/.
#include <optional>
#include <string>
#include <vector>

#include "checks/timeline.hpp"
#include "util/time.hpp"

namespace meshdoctor::report::html {

struct Axis {
  util::Micros start = 0, end = 0;  // end > start
  double x0 = 0, x1 = 0;            // drawing coordinates of start and end
  bool zoomed = false;              // spans only what went wrong; other times sit at the edges

  // x of t, clamped to [x0, x1].
  double x(util::Micros t) const;
  bool contains(util::Micros t) const { return t >= start && t <= end; }
};

struct Tick {
  util::Micros at = 0;
  std::string label;  // "11:45:30", "11:45", "11-20" or "11-19 08:00"
};

// True when the node needs a look: pods started before ztunnel was Ready, or an agent is missing
// or not Ready.
bool notable(const checks::NodeTimeline& n);

// The span to draw. When something went wrong the axis zooms on it: the ztunnel window that
// stale pods fell in, and when a not-Ready agent stopped being Ready up to the collection (a
// node reboot lasts seconds, the healthy agents may be days old: those are drawn clamped at the
// edge with their real time in the label). Otherwise it runs from the earliest event to the
// collection time. Empty when no time is known at all.
std::optional<Axis> choose_axis(const std::vector<const checks::NodeTimeline*>& rows,
                                std::optional<util::Micros> collected,
                                double x0,
                                double x1);

// Round-valued ticks, at most about seven, labelled at the precision their spacing needs.
std::vector<Tick> ticks(const Axis& axis);

}  // namespace meshdoctor::report::html
