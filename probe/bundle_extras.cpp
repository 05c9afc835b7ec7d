// What inspect lacks and `meshdoctor collect` adds under meshdoctor/, and the run's "now": the
// collection time, so that checks comparing ages give the same answer on every replay.
#include <fstream>
#include <nlohmann/json.hpp>

#include "probe/bundle_internal.hpp"

namespace meshdoctor::probe::bundle {
namespace {

using nlohmann::json;

constexpr const char* k_not_in_inspect = "not in a plain inspect bundle; use meshdoctor collect or a live check";

// meshdoctor/<name> in an inspect root or at the top of the bundle.
std::optional<fs::path> find_extra(const Layout& layout, const std::string& name) {
  for (const auto& root : layout.roots) {
    if (is_file(root / "meshdoctor" / name)) return root / "meshdoctor" / name;
  }
  if (is_file(layout.top / "meshdoctor" / name)) return layout.top / "meshdoctor" / name;
  return std::nullopt;
}

// Small JSON documents; a broken one is a warning, not a failed read.
std::optional<json> read_json(Facts& facts, const Layout& layout, const fs::path& file) {
  std::ifstream in(file);
  json doc = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    facts.warnings.push_back(layout.relative(file) + ": not valid JSON; ignored");
    return std::nullopt;
  }
  return doc;
}

std::string str(const json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : "";
}

int integer(const json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_number_integer() ? it->get<int>() : 0;
}

void load_collection(Facts& facts, const Layout& layout, LoadState& state) {
  auto file = find_extra(layout, "collection.json");
  if (!file) return;
  auto doc = read_json(facts, layout, *file);
  if (!doc || !doc->is_object()) return;
  const std::string rel = layout.relative(*file);
  if (auto t = util::parse_rfc3339(str(*doc, "collectedAt"))) {
    facts.collected_at = t;
    facts.collected_at_origin = rel;
  }
  auto listed = doc->find("collected");
  if (listed == doc->end() || !listed->is_array()) return;
  for (const auto& key : *listed) {
    if (!key.is_string()) continue;
    mark_collected(state.resources, key.get<std::string>(), rel);
    if (key == "core/pods") state.all_pods_collected = true;
  }
}

template <class T, class Parse>
void load_list(Facts& facts, const Layout& layout, const std::string& name, Section<T>& section,
               Parse parse) {
  auto file = find_extra(layout, name);
  if (!file) {
    section.source = {Obtained::not_found, k_not_in_inspect};
    return;
  }
  auto doc = read_json(facts, layout, *file);
  if (!doc || !doc->is_array()) {
    section.source = {Obtained::error, layout.relative(*file) + ": expected a JSON list"};
    return;
  }
  for (const auto& item : *doc) {
    if (item.is_object()) section.items.push_back(parse(item));
  }
  section.source = {Obtained::collected, layout.relative(*file)};
}

}  // namespace

void load_extras(Facts& facts, const Layout& layout, LoadState& state) {
  load_collection(facts, layout, state);
  load_list(facts, layout, "ztunnel-readiness.json", facts.ztunnel_readiness, [](const json& o) {
    return ZtunnelReadiness{str(o, "namespace"), str(o, "pod"), str(o, "node"), integer(o, "status"),
                            str(o, "body")};
  });
  load_list(facts, layout, "prometheus.json", facts.prometheus, [](const json& o) {
    return PromSeriesResult{str(o, "query"), integer(o, "series")};
  });
}

}  // namespace meshdoctor::probe::bundle
