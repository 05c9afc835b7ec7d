#pragma once
// The SVG drawing of the node timeline: one row per node with a ztunnel lane, an istio-cni lane
// and a line per pod that started before ztunnel was Ready. Internal to report/.
#include <optional>
#include <string>
#include <vector>

#include "checks/timeline.hpp"
#include "report/html_timeline_axis.hpp"
#include "util/time.hpp"

namespace meshdoctor::report::html {

// Pods labelled per node in the drawing; the rest are counted ("+4 more") and listed in words.
constexpr std::size_t k_pods_drawn = 10;

// The axis of the drawing (choose_axis at the drawing's geometry); empty when no time is known.
std::optional<Axis> timeline_axis(const std::vector<const checks::NodeTimeline*>& rows,
                                  std::optional<util::Micros> collected);

// <svg class="timeline" ...> with a <g class="node-row" data-node="..."> per row, in order.
std::string timeline_svg(const std::vector<const checks::NodeTimeline*>& rows,
                         const std::optional<Axis>& axis,
                         std::optional<util::Micros> collected);

}  // namespace meshdoctor::report::html
