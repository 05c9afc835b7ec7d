// What inspect lacks and `meshdoctor collect` adds under meshdoctor/ (readiness bodies, ztunnel
// scrapes, Prometheus results), and the run's "now": the collection time, so that checks
// comparing ages give the same answer on every replay.
#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "probe/bundle_internal.hpp"
#include "probe/ztunnel_metrics.hpp"

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

// The folder meshdoctor/<name>, found as find_extra finds files.
std::optional<fs::path> find_extra_dir(const Layout& layout, const std::string& name) {
  for (const auto& root : layout.roots) {
    if (is_dir(root / "meshdoctor" / name)) return root / "meshdoctor" / name;
  }
  if (is_dir(layout.top / "meshdoctor" / name)) return layout.top / "meshdoctor" / name;
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

// A whole metrics file; bounded, since a bundle may come from anyone.
std::string read_text(const fs::path& file) {
  constexpr std::uintmax_t k_max_bytes = 64u << 20;
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(file, ec);
  std::ifstream in(file, std::ios::binary);
  std::string text(ec ? 0 : std::min(size, k_max_bytes), '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

const NodeAgentPod* find_ztunnel_pod(const Facts& facts, const std::string& name) {
  for (const auto& pod : facts.ztunnel_pods.items) {
    if (pod.name == name) return &pod;
  }
  return nullptr;
}

// meshdoctor/ztunnel-metrics/<pod>.txt, one scrape per ztunnel pod; the namespace and node are
// the pod object's (a file for a pod the bundle lacks keeps them empty).
void load_metrics(Facts& facts, const Layout& layout) {
  auto dir = find_extra_dir(layout, "ztunnel-metrics");
  if (!dir) return;  // the default state already says "not in a plain inspect bundle"
  for (const auto& file : list_dir(*dir, EntryKind::files)) {
    if (file.extension() != ".txt") continue;
    ZtunnelMetrics m = summarize_ztunnel_metrics(read_text(file));
    m.pod = file.stem().string();
    if (const auto* pod = find_ztunnel_pod(facts, m.pod)) {
      m.ns = pod->ns;
      m.node = pod->node;
    }
    if (m.malformed > 0)
      facts.warnings.push_back(layout.relative(file) + ": " + std::to_string(m.malformed) +
                               " unreadable lines skipped");
    facts.ztunnel_metrics.items.push_back(std::move(m));
  }
  facts.ztunnel_metrics.source = {Obtained::collected, layout.relative(*dir)};
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
  load_metrics(facts, layout);
}

}  // namespace meshdoctor::probe::bundle
