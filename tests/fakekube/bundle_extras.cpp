// The meshdoctor/ folder `meshdoctor collect` adds to a bundle, turned into what the live API
// would answer: collection.json "collected" → those resources exist (possibly with no object);
// ztunnel-readiness.json → pod proxy answers on :15021; prometheus.json → Prometheus query
// results; ztunnel-metrics/<pod>.txt → pod proxy answers on :15020.
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>

#include "bundle_load_internal.hpp"
#include "resource_kinds.hpp"

namespace meshdoctor::fakekube {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::optional<fs::path> find_extra(const probe::bundle::Layout& layout, const std::string& name) {
  for (const auto& root : layout.roots) {
    if (fs::exists(root / "meshdoctor" / name)) return root / "meshdoctor" / name;
  }
  if (fs::exists(layout.top / "meshdoctor" / name)) return layout.top / "meshdoctor" / name;
  return std::nullopt;
}

std::optional<json> read_json(Bundle& bundle, const probe::bundle::Layout& layout, const std::string& name) {
  auto file = find_extra(layout, name);
  if (!file) return std::nullopt;
  std::ifstream in(*file);
  json doc = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_discarded()) return doc;
  bundle.warnings.push_back(layout.relative(*file) + ": not valid JSON; ignored");
  return std::nullopt;
}

std::string str(const json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : "";
}

int integer(const json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_number_integer() ? it->get<int>() : 0;
}

void load_collection(Bundle& bundle, const probe::bundle::Layout& layout) {
  auto doc = read_json(bundle, layout, "collection.json");
  if (!doc || !doc->is_object()) return;
  bundle.collected_at = str(*doc, "collectedAt");
  auto listed = doc->find("collected");
  if (listed == doc->end() || !listed->is_array()) return;
  for (const auto& item : *listed) {
    if (!item.is_string()) continue;
    const std::string key = item.get<std::string>();
    const auto slash = key.find('/');
    if (slash == std::string::npos) continue;
    // Scope only matters for a resource in no table: a namespaced guess lists everywhere too.
    entry_for(bundle, api_group(key.substr(0, slash)), key.substr(slash + 1), false).collected_everywhere = true;
  }
}

void load_readiness(Bundle& bundle, const probe::bundle::Layout& layout) {
  auto doc = read_json(bundle, layout, "ztunnel-readiness.json");
  if (!doc || !doc->is_array()) return;
  auto& answers = bundle.readiness.emplace();
  for (const auto& item : *doc) {
    if (!item.is_object()) continue;
    answers[{str(item, "namespace"), str(item, "pod")}] = ReadinessAnswer{integer(item, "status"), str(item, "body")};
  }
}

void load_prometheus(Bundle& bundle, const probe::bundle::Layout& layout) {
  auto doc = read_json(bundle, layout, "prometheus.json");
  if (!doc || !doc->is_array()) return;
  auto& answers = bundle.prometheus.emplace();
  for (const auto& item : *doc) {
    if (item.is_object()) answers.push_back(PromAnswer{str(item, "query"), integer(item, "series")});
  }
}

}  // namespace

void load_extras(Bundle& bundle, const probe::bundle::Layout& layout) {
  load_collection(bundle, layout);
  load_readiness(bundle, layout);
  load_prometheus(bundle, layout);
  if (auto dir = find_extra(layout, "ztunnel-metrics")) bundle.metrics_dir = dir->string();
}

}  // namespace meshdoctor::fakekube
