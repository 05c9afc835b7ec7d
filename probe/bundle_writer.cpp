// `meshdoctor collect`: the objects and logs of a live run, written in the layout the bundle
// reader reads (bundle_objects.cpp, bundle_logs.cpp, bundle_extras.cpp), so that a check of the
// written bundle gives the diagnosis of the live check.
#include "probe/bundle_writer.hpp"
#include "probe/extract_fields.hpp"

#include <unistd.h>

#include <fstream>

#include "util/time.hpp"
#include "util/version.hpp"

namespace meshdoctor::probe {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A path component from the API: never empty, never a traversal.
bool safe_name(const std::string& s) {
  return !s.empty() && s != "." && s != ".." && s.find('/') == std::string::npos && s.find('\0') == std::string::npos;
}

bool non_empty_dir(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec) && !fs::is_empty(p, ec);
}

// What is kept of an object: everything but the server's bookkeeping of field owners.
json cleaned(const json& object) {
  json copy = object;
  auto meta = copy.find("metadata");
  if (meta != copy.end() && meta->is_object()) meta->erase("managedFields");
  return copy;
}

fs::path group_dir(const ResourceKey& r) { return r.group.empty() ? "core" : r.group; }

util::Error io_error(const std::string& what) { return util::make_error("collect.io", what); }

}  // namespace

util::Expected<std::unique_ptr<BundleWriter>> BundleWriter::create(const std::string& target, bool force) {
  const fs::path dir = fs::absolute(fs::path(target)).lexically_normal();
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    return util::make_error("collect.exists", target + " exists and is not a directory");
  const bool replace = non_empty_dir(dir);
  if (replace && !force)
    return util::make_error("collect.exists", target + " exists and is not empty (use --force to replace it)");
  fs::create_directories(dir.parent_path(), ec);
  std::string pattern = (dir.parent_path() / (dir.filename().string() + ".tmp-XXXXXX")).string();
  if (!mkdtemp(pattern.data())) return io_error("cannot create a temporary directory beside " + target);
  return std::unique_ptr<BundleWriter>(new BundleWriter(dir, pattern, replace));
}

BundleWriter::BundleWriter(fs::path target, fs::path temp, bool replace)
    : m_target(std::move(target)), m_temp(std::move(temp)), m_replace(replace) {}

BundleWriter::~BundleWriter() {
  std::error_code ec;
  if (!m_committed) fs::remove_all(m_temp, ec);
}

void BundleWriter::object(const ResourceKey& resource, const std::string& listed_ns, const json& object) {
  if (object.value("kind", "") == "Secret") return;  // never, whatever asked for it
  std::lock_guard<std::mutex> lock(m_mutex);
  m_pending[{resource.key(), listed_ns}].push_back(cleaned(object));
}

void BundleWriter::finished(const ResourceKey& resource, const std::string& listed_ns, const SourceState& state) {
  std::lock_guard<std::mutex> lock(m_mutex);
  auto node = m_pending.extract({resource.key(), listed_ns});
  auto [it, first] = m_resource_ok.try_emplace(resource.key(), state.ok());
  if (!first) it->second = it->second && state.ok();
  if (state.state == Obtained::forbidden) m_forbidden.push_back(state.detail);
  if (!state.ok()) return;  // a list cut short is not written: the replay must not see it as complete
  std::vector<json> items = node.empty() ? std::vector<json>{} : std::move(node.mapped());
  write_batch(resource, listed_ns, items);
}

void BundleWriter::write_batch(const ResourceKey& resource, const std::string& listed_ns, std::vector<json>& items) {
  // A namespace's list file exists even when the list was empty: it says "collected, none".
  if (!resource.cluster_scoped && safe_name(listed_ns) && resource.resource != "namespaces")
    append_to_list(fs::path("namespaces") / listed_ns / group_dir(resource) / (resource.resource + ".yaml"), nullptr);
  for (const auto& item : items) {
    const std::string name = text_at(item, "metadata", "name");
    const std::string ns = text_at(item, "metadata", "namespace");
    if (!safe_name(name) || (!resource.cluster_scoped && !safe_name(ns))) continue;
    if (resource.resource == "namespaces" && resource.group.empty())
      write_file(fs::path("namespaces") / name / (name + ".yaml"), item.dump(1) + "\n");
    else if (resource.cluster_scoped)
      write_file(fs::path("cluster-scoped-resources") / group_dir(resource) / resource.resource / (name + ".yaml"),
                 item.dump(1) + "\n");
    else
      append_to_list(fs::path("namespaces") / ns / group_dir(resource) / (resource.resource + ".yaml"), &item);
    ++m_objects;
  }
}

void BundleWriter::write_file(const fs::path& rel, const std::string& text) {
  const fs::path file = m_temp / rel;
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) m_errors.push_back("cannot write " + file.string());
}

// A List written incrementally: the header with the first call, items as they come, and the
// closing brackets in close_lists().
void BundleWriter::append_to_list(const fs::path& rel, const json* item) {
  const fs::path file = m_temp / rel;
  auto [it, created] = m_lists.try_emplace(rel.string(), 0);
  if (!created && !item) return;
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  std::ofstream out(file, std::ios::binary | std::ios::app);
  if (created) out << "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [";
  if (item) out << (it->second++ ? ",\n" : "\n") << item->dump(1);
  if (!out) m_errors.push_back("cannot write " + file.string());
}

void BundleWriter::close_lists() {
  for (const auto& [rel, count] : m_lists) {
    std::ofstream out(m_temp / rel, std::ios::binary | std::ios::app);
    out << "\n]}\n";
    if (!out) m_errors.push_back("cannot write " + (m_temp / rel).string());
  }
}

void BundleWriter::pod_log(const PodLog& log, const std::string& text) {
  if (!safe_name(log.ns) || !safe_name(log.pod) || !safe_name(log.container)) return;
  std::lock_guard<std::mutex> lock(m_mutex);
  write_file(fs::path("namespaces") / log.ns / "pods" / log.pod / log.container / log.container / "logs" /
                 (log.previous ? "previous.log" : "current.log"),
             text);
  ++m_logs;
}

// meshdoctor/ztunnel-metrics/<pod>.txt: the scrape as served, so a replay parses what the live
// run parsed (the namespace and node come back from the pod objects).
void BundleWriter::pod_metrics(const ZtunnelMetrics& metrics, const std::string& text) {
  if (!safe_name(metrics.pod)) return;
  std::lock_guard<std::mutex> lock(m_mutex);
  write_file(fs::path("meshdoctor") / "ztunnel-metrics" / (metrics.pod + ".txt"), text);
}

void BundleWriter::write_extras(const Facts& facts) {
  json collection = {{"collectedAt", facts.collected_at ? util::format_rfc3339(*facts.collected_at) : ""},
                     {"tool", std::string("meshdoctor ") + util::k_version},
                     {"collected", json::array()},
                     {"forbidden", m_forbidden}};
  for (const auto& [key, ok] : m_resource_ok) {
    if (ok) collection["collected"].push_back(key);
  }
  write_file("meshdoctor/collection.json", collection.dump(2) + "\n");
  if (facts.ztunnel_readiness.source.ok()) {
    json list = json::array();
    for (const auto& r : facts.ztunnel_readiness.items)
      list.push_back({{"namespace", r.ns}, {"pod", r.pod}, {"node", r.node}, {"status", r.http_status}, {"body", r.body}});
    write_file("meshdoctor/ztunnel-readiness.json", list.dump(2) + "\n");
  }
  // The folder, even empty, says the scrapes were asked for (no pod answered with metrics).
  if (facts.ztunnel_metrics.source.ok()) {
    std::error_code ec;
    fs::create_directories(m_temp / "meshdoctor" / "ztunnel-metrics", ec);
  }
  if (facts.prometheus.source.ok()) {
    json list = json::array();
    for (const auto& q : facts.prometheus.items) list.push_back({{"query", q.query}, {"series", q.series}});
    write_file("meshdoctor/prometheus.json", list.dump(2) + "\n");
  }
}

// Replacing (--force) moves the old bundle aside first, so a failed rename loses nothing.
util::Status BundleWriter::move_into_place() {
  std::error_code ec;
  fs::path aside;
  if (m_replace || fs::exists(m_target, ec)) {
    aside = m_temp;
    aside += ".old";
    fs::rename(m_target, aside, ec);
    if (ec) return io_error("cannot move " + m_target.string() + " aside: " + ec.message());
  }
  fs::rename(m_temp, m_target, ec);
  if (ec) {
    if (!aside.empty()) fs::rename(aside, m_target, ec);
    return io_error("cannot rename " + m_temp.string() + " to " + m_target.string());
  }
  if (!aside.empty()) fs::remove_all(aside, ec);
  return util::ok();
}

util::Status BundleWriter::commit(const Facts& facts) {
  std::lock_guard<std::mutex> lock(m_mutex);
  close_lists();
  write_extras(facts);
  if (!m_errors.empty()) return io_error(m_errors.front());
  auto moved = move_into_place();
  if (moved) m_committed = true;
  return moved;
}

}  // namespace meshdoctor::probe
