// The collection time of a bundle is the run's "now" for age comparisons. Sources in order of
// trust: meshdoctor/collection.json (set by load_extras), must-gather's `timestamp` file, and as
// a last resort the newest time written in any object, which keeps replays deterministic.
#include <fstream>
#include <sstream>

#include "probe/bundle_internal.hpp"

namespace meshdoctor::probe::bundle {
namespace {

// must-gather writes Go's time.String(): "2026-11-20 12:30:01.123456789 +0000 UTC m=+0.01".
std::optional<Micros> parse_go_time(const std::string& line) {
  std::istringstream in(line);
  std::string date, clock, offset;
  if (!(in >> date >> clock >> offset)) return std::nullopt;
  if (offset.size() != 5 || (offset[0] != '+' && offset[0] != '-')) return std::nullopt;
  return util::parse_rfc3339(date + "T" + clock + offset.substr(0, 3) + ":" + offset.substr(3));
}

std::vector<fs::path> timestamp_candidates(const Layout& layout) {
  std::vector<fs::path> out;
  for (const auto& root : layout.roots) {
    out.push_back(root / "timestamp");
    if (root != layout.top) out.push_back(root.parent_path() / "timestamp");
  }
  out.push_back(layout.top / "timestamp");
  return out;
}

bool from_timestamp_file(Facts& facts, const Layout& layout) {
  for (const auto& file : timestamp_candidates(layout)) {
    if (!is_file(file)) continue;
    std::ifstream in(file);
    std::string first;
    std::getline(in, first);
    if (auto t = parse_go_time(first)) {
      facts.collected_at = t;
      facts.collected_at_origin = layout.relative(file);
      return true;
    }
  }
  return false;
}

class Newest {
 public:
  void see(const std::optional<Micros>& t) {
    if (t && (!m_value || *t > *m_value)) m_value = t;
  }
  void see(const std::vector<Condition>& conditions) {
    for (const auto& c : conditions) see(c.last_transition);
  }
  template <class T>
  void see_conditions(const Section<T>& s) {
    for (const auto& item : s.items) see(item.conditions);
  }
  std::optional<Micros> value() const { return m_value; }

 private:
  std::optional<Micros> m_value;
};

std::optional<Micros> newest_object_time(const Facts& facts) {
  Newest n;
  n.see_conditions(facts.subscriptions);
  n.see_conditions(facts.install_plans);
  n.see_conditions(facts.istios);
  n.see_conditions(facts.istio_cnis);
  n.see_conditions(facts.ztunnels);
  n.see_conditions(facts.gateways);
  for (const auto* pods : {&facts.ztunnel_pods, &facts.cni_pods}) {
    for (const auto& p : pods->items) {
      n.see(p.created), n.see(p.start_time), n.see(p.ready_since), n.see(p.container_start);
    }
  }
  for (const auto& p : facts.pods.items) {
    n.see(p.created), n.see(p.start_time), n.see(p.container_start);
  }
  // Logs run up to the moment they were collected, so their newest line is the closest bound.
  for (const auto& l : facts.cni_logs.items) n.see(l.cni.last_time);
  for (const auto& l : facts.ztunnel_logs.items) n.see(l.ztunnel.last_time);
  return n.value();
}

}  // namespace

void set_collected_at(Facts& facts, const Layout& layout) {
  if (facts.collected_at) return;  // meshdoctor/collection.json
  if (from_timestamp_file(facts, layout)) return;
  if (auto t = newest_object_time(facts)) {
    facts.collected_at = t;
    facts.collected_at_origin = "newest timestamp in the bundle's objects and logs";
  }
}

}  // namespace meshdoctor::probe::bundle
