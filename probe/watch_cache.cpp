// Lists kept current by watches, and per-pod reads reused while their pod is unchanged.
#include "probe/watch_cache.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>

#include "probe/object_filter.hpp"

namespace meshdoctor::probe {

using nlohmann::json;
using Steady = std::chrono::steady_clock;

namespace {

struct Item {
  std::string text;  // the filtered object, compact JSON
  std::uint64_t version = 0;
};

std::string text_at(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// "namespace/name" of an object ("/name" when cluster-scoped).
std::string key_of(const json& object) {
  const auto meta = object.find("metadata");
  if (meta == object.end() || !meta->is_object()) return {};
  return text_at(*meta, "namespace") + "/" + text_at(*meta, "name");
}

std::string resource_version_of(const json& object) {
  const auto meta = object.find("metadata");
  return meta != object.end() && meta->is_object() ? text_at(*meta, "resourceVersion") : std::string();
}

// An object as kept: already reduced to what the extractors read.
Item item_of(const json& filtered) {
  Item item{filtered.dump(), 0};
  item.version = std::hash<std::string>{}(item.text);
  return item;
}

// "/api/v1/namespaces/NS/pods/NAME/log?..." or ".../pods/NAME:15020/proxy/..." → "NS/NAME".
std::string pod_of(const std::string& path) {
  static const std::string prefix = "/api/v1/namespaces/";
  if (path.rfind(prefix, 0) != 0) return {};
  const auto ns_end = path.find('/', prefix.size());
  if (ns_end == std::string::npos || path.compare(ns_end, 6, "/pods/") != 0) return {};
  const auto name_start = ns_end + 6;
  const auto name_end = path.find_first_of("/:?", name_start);
  if (name_end == std::string::npos || path[name_end] == '?') return {};  // the pod itself, not a read of it
  return path.substr(prefix.size(), ns_end - prefix.size()) + "/" + path.substr(name_start, name_end - name_start);
}

// An object path → its collection and name: ".../configmaps/x" → {".../configmaps", "x"}.
std::pair<std::string, std::string> split_object_path(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos || slash == 0) return {};
  return {path.substr(0, slash), path.substr(slash + 1)};
}

Steady::time_point spread_expiry(long max_age_ms) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const long half = std::max(max_age_ms / 2, 1L);
  return Steady::now() + std::chrono::milliseconds(half + std::uniform_int_distribution<long>(0, half)(rng));
}

}  // namespace

struct WatchCache::Entry {
  std::string path;
  ListQuery query;
  bool pods = false;
  std::mutex refill;  // one list of it at a time
  mutable std::mutex mutex;  // guards items and resource_version
  std::map<std::string, Item> items;  // the API's list order: namespace, then name
  std::string resource_version;
  std::atomic<bool> current{false};  // listed, and the watch since then unbroken
  std::atomic<bool> stop{false};
  std::thread thread;
  int last_run = 0;
  // A 404 on the list (the CRD is not installed), kept until then.
  std::optional<util::Error> absent;
  Steady::time_point absent_until;

  void end_watch() {
    stop = true;
    if (thread.joinable()) thread.join();
    stop = false;
  }
};

struct WatchCache::PodRead {
  HttpResponse response;
  std::string pod;
  std::uint64_t version = 0;
  Steady::time_point expires;
};

WatchCache::WatchCache(std::unique_ptr<KubeClient> watcher, WatchCacheOptions options)
    : m_watcher(std::move(watcher)), m_options(options) {}

namespace {

// Asks every watch to end first, then waits: they end together, within about a second.
template <class Entries>
void end_watches(const Entries& entries) {
  for (const auto& entry : entries) entry->stop = true;
  for (const auto& entry : entries) {
    if (entry->thread.joinable()) entry->thread.join();
  }
}

}  // namespace

WatchCache::~WatchCache() {
  std::vector<std::shared_ptr<Entry>> all;
  for (auto& [key, entry] : m_entries) all.push_back(entry);
  end_watches(all);
}

std::shared_ptr<WatchCache::Entry> WatchCache::entry_for(const std::string& path, const ListQuery& query) {
  const std::string key = path + "?l=" + query.label_selector + "&f=" + query.field_selector;
  std::lock_guard<std::mutex> lock(m_mutex);
  auto& entry = m_entries[key];
  if (!entry) {
    entry = std::make_shared<Entry>();
    entry->path = path;
    entry->query = query;
    entry->pods = path.ends_with("/pods");
  }
  entry->last_run = m_run;
  return entry;
}

namespace {

// "/api/v1/namespaces/NS/pods" → "NS/" (the keys of that namespace's pods), else "".
std::string pods_namespace_prefix(const std::string& path) {
  static const std::string head = "/api/v1/namespaces/";
  if (path.rfind(head, 0) != 0 || !path.ends_with("/pods")) return {};
  const std::string ns = path.substr(head.size(), path.size() - head.size() - 5);
  return ns.empty() || ns.find('/') != std::string::npos ? std::string() : ns + "/";
}

}  // namespace

// The pods of each ambient namespace are asked for one namespace at a time (hundreds of them): they
// come from one cluster-wide list and watch of pods, as the API server's own clients do, instead of
// one watch per namespace, which would reconnect every few seconds in all. Where listing pods
// cluster-wide is forbidden, each namespace is its own list and watch.
util::Status WatchCache::list(KubeClient& client, const std::string& path, const ListQuery& query,
                              const std::function<void(const json& item)>& on_item) {
  const std::string prefix = query.label_selector.empty() && query.field_selector.empty()
                                 ? pods_namespace_prefix(path) : std::string();
  if (!prefix.empty() && !m_no_cluster_pods) {
    auto status = serve(client, "/api/v1/pods", ListQuery{}, prefix, on_item);
    if (status || status.error().code != "kube.forbidden") return status;
    m_no_cluster_pods = true;
  }
  return serve(client, path, query, "", on_item);
}

util::Status WatchCache::serve(KubeClient& client, const std::string& path, const ListQuery& query,
                               const std::string& prefix, const std::function<void(const json& item)>& on_item) {
  auto entry = entry_for(path, query);
  std::lock_guard<std::mutex> refilling(entry->refill);
  if (entry->current) {
    std::lock_guard<std::mutex> lock(entry->mutex);
    for (auto it = entry->items.lower_bound(prefix); it != entry->items.end() && it->first.starts_with(prefix); ++it)
      on_item(json::parse(it->second.text));
    return util::ok();
  }
  if (entry->absent && Steady::now() < entry->absent_until) return *entry->absent;
  return refill(client, *entry, prefix, on_item);
}

// Lists the collection with the run's client, replaces what was kept, and watches from the
// list's resourceVersion on. on_item gets the items whose key starts with `prefix`.
util::Status WatchCache::refill(KubeClient& client, Entry& entry, const std::string& prefix,
                                const std::function<void(const json& item)>& on_item) {
  entry.end_watch();
  const bool relist = !entry.items.empty() || !entry.resource_version.empty();
  if (relist) ++m_relists;
  std::map<std::string, Item> fresh;
  std::string resource_version;
  auto status = client.list_filtered(
      entry.path, entry.query, filter_for_object,
      [&](const json& item) {
        std::string key = key_of(item);
        if (key.starts_with(prefix)) on_item(item);
        fresh[std::move(key)] = item_of(item);
      },
      &resource_version);
  entry.absent.reset();
  if (!status) {
    if (status.error().code == "kube.not_found") {
      entry.absent = status.error();
      entry.absent_until = spread_expiry(m_options.evidence_max_age_ms);
    }
    return status;
  }
  // While the watch was broken anything could have happened to these pods that their objects do
  // not show (a log, a readiness answer): what was read of them is read again.
  if (relist && entry.pods) {
    std::lock_guard<std::mutex> lock(m_mutex);
    for (auto it = m_pod_reads.begin(); it != m_pod_reads.end();) {
      if (fresh.count(it->second->pod)) it = m_pod_reads.erase(it);
      else ++it;
    }
  }
  {
    std::lock_guard<std::mutex> lock(entry.mutex);
    entry.items = std::move(fresh);
    entry.resource_version = resource_version;
  }
  // A server that gives lists no resourceVersion cannot be watched: the list is read every run.
  if (resource_version.empty()) return util::ok();
  entry.current = true;
  entry.thread = std::thread([this, &entry] { watch_loop(entry); });
  return util::ok();
}

void WatchCache::watch_loop(Entry& entry) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  auto on_event = [this, &entry](const std::string& type, json& object) {
    const std::string rv = resource_version_of(object);
    if (type == "ADDED" || type == "MODIFIED") {
      const std::string key = key_of(object);
      apply_filter(object, filter_for_object(text_at(object, "apiVersion"), text_at(object, "kind")));
      Item item = item_of(object);
      std::lock_guard<std::mutex> lock(entry.mutex);
      entry.items[key] = std::move(item);
    } else if (type == "DELETED") {
      const std::string key = key_of(object);
      std::lock_guard<std::mutex> lock(entry.mutex);
      entry.items.erase(key);
    } else if (type != "BOOKMARK") {
      return true;  // a type this version does not know changes nothing it keeps
    }
    if (type != "BOOKMARK") ++m_events;
    if (!rv.empty()) {
      std::lock_guard<std::mutex> lock(entry.mutex);
      entry.resource_version = rv;
    }
    return true;
  };
  auto keep_going = [&entry] { return !entry.stop.load(); };
  int quick_ends = 0;
  while (!entry.stop) {
    const long timeout = std::uniform_int_distribution<long>(std::max(m_options.watch_timeout_s / 2, 1L),
                                                             std::max(m_options.watch_timeout_s, 1L))(rng);
    std::string from;
    {
      std::lock_guard<std::mutex> lock(entry.mutex);
      from = entry.resource_version;
    }
    const auto started = Steady::now();
    auto status = m_watcher->watch(entry.path, entry.query, from, timeout, on_event, keep_going);
    if (entry.stop) break;
    if (!status) {
      spdlog::info("{}; the next run lists it again", status.error().message);
      break;
    }
    // A stream the server ends at once, again and again, is not a watch that works.
    if (Steady::now() - started < std::chrono::seconds(1)) {
      if (++quick_ends >= 3) {
        spdlog::info("watch {}: the server keeps ending it at once; the next run lists it again", entry.path);
        break;
      }
    } else {
      quick_ends = 0;
    }
  }
  entry.current = false;
}

util::Expected<std::string> WatchCache::get(KubeClient& client, const std::string& path) {
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_direct_gets.count(path)) return client.get(path);
  }
  const auto [collection, name] = split_object_path(path);
  if (collection.empty() || name.empty()) return client.get(path);
  ListQuery by_name;
  by_name.field_selector = "metadata.name=" + name;
  std::optional<std::string> found;
  auto status = list(client, collection, by_name, [&](const json& item) { found = item.dump(); });
  if (!status) {
    // Allowed to get it but not to list or watch its collection: read it directly from now on.
    if (status.error().code == "kube.forbidden") {
      std::lock_guard<std::mutex> lock(m_mutex);
      m_direct_gets.insert(path);
      return client.get(path);
    }
    return status.error();
  }
  if (!found) return util::make_error("kube.not_found", "GET " + path + ": not found");
  return *found;
}

std::optional<std::uint64_t> WatchCache::pod_version(const std::string& pod) const {
  std::vector<std::shared_ptr<Entry>> entries;
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    for (const auto& [key, entry] : m_entries) {
      if (entry->pods) entries.push_back(entry);
    }
  }
  for (const auto& entry : entries) {
    if (!entry->current) continue;
    std::lock_guard<std::mutex> lock(entry->mutex);
    const auto it = entry->items.find(pod);
    if (it != entry->items.end()) return it->second.version;
  }
  return std::nullopt;
}

util::Expected<HttpResponse> WatchCache::get_raw(KubeClient& client, const std::string& path, BodyLimit limit) {
  const std::string pod = pod_of(path);
  const auto version = pod.empty() ? std::nullopt : pod_version(pod);
  if (!version) return client.get_raw(path, limit);
  const std::string key = path + "#" + std::to_string(limit.max_bytes) + "/" + std::to_string(static_cast<int>(limit.keep));
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    const auto it = m_pod_reads.find(key);
    if (it != m_pod_reads.end() && it->second->version == *version && Steady::now() < it->second->expires)
      return it->second->response;
  }
  auto result = client.get_raw(path, limit);
  if (!result) return result;  // failures are not kept: the next run asks again
  auto read = std::make_shared<PodRead>(PodRead{*result, pod, *version, spread_expiry(m_options.evidence_max_age_ms)});
  std::lock_guard<std::mutex> lock(m_mutex);
  m_pod_reads[key] = std::move(read);
  return result;
}

void WatchCache::end_run() {
  std::vector<std::shared_ptr<Entry>> idle;
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    ++m_run;
    for (auto it = m_entries.begin(); it != m_entries.end();) {
      if (m_run - it->second->last_run > m_options.idle_runs) {
        idle.push_back(it->second);
        it = m_entries.erase(it);
      } else {
        ++it;
      }
    }
    const auto now = Steady::now();
    for (auto it = m_pod_reads.begin(); it != m_pod_reads.end();) {
      if (it->second->expires <= now) it = m_pod_reads.erase(it);
      else ++it;
    }
  }
  end_watches(idle);
  // Per-pod reads of pods that changed or went away can never be used again.
  std::vector<std::pair<std::string, std::shared_ptr<PodRead>>> reads;
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    reads.assign(m_pod_reads.begin(), m_pod_reads.end());
  }
  for (const auto& [key, read] : reads) {
    if (pod_version(read->pod) == read->version) continue;
    std::lock_guard<std::mutex> lock(m_mutex);
    m_pod_reads.erase(key);
  }
}

WatchCache::Stats WatchCache::stats() const {
  Stats s;
  std::vector<std::shared_ptr<Entry>> entries;
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    s.pod_reads = m_pod_reads.size();
    for (const auto& [key, entry] : m_entries) entries.push_back(entry);
  }
  s.lists = entries.size();
  for (const auto& entry : entries) {
    if (entry->current) ++s.watching;
    std::lock_guard<std::mutex> lock(entry->mutex);
    s.objects += entry->items.size();
  }
  s.events = m_events;
  s.relists = m_relists;
  return s;
}

}  // namespace meshdoctor::probe
