// The event log and the watch streams.
#include "watch.hpp"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <shared_mutex>
#include <string_view>

#include "api_path.hpp"
#include "resource_kinds.hpp"
#include "router.hpp"
#include "status.hpp"

namespace meshdoctor::fakekube {
namespace {

using Clock = std::chrono::steady_clock;

// How often an idle watch looks whether its client is still there.
constexpr auto k_liveness_interval = std::chrono::seconds(1);
// A watch writes its lines in chunks of about this size (a replay of thousands of objects is not
// one write per object, nor one string of them all).
constexpr std::size_t k_chunk_bytes = 64 * 1024;
constexpr std::chrono::seconds k_default_timeout{1800};

std::optional<std::uint64_t> numeric(std::string_view text) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

// Go's strconv.ParseBool, which the API server reads watch and allowWatchBookmarks with.
bool true_flag(const std::string& value) {
  return value == "1" || value == "t" || value == "T" || value == "true" || value == "True" || value == "TRUE";
}

const char* type_name(EventType type) {
  switch (type) {
    case EventType::added: return "ADDED";
    case EventType::modified: return "MODIFIED";
    case EventType::deleted: return "DELETED";
  }
  return "MODIFIED";
}

std::string event_line(const char* type, const std::string& object_text) {
  std::string line = R"({"type":")";
  line.reserve(line.size() + object_text.size() + 32);
  line += type;
  line += R"(","object":)";
  line += object_text;
  line += "}\n";
  return line;
}

std::string expired_line(std::uint64_t given, std::uint64_t floor) {
  nlohmann::ordered_json status = {
      {"kind", "Status"},     {"apiVersion", "v1"},
      {"metadata", nlohmann::ordered_json::object()},
      {"status", "Failure"},
      {"message", "too old resource version: " + std::to_string(given) + " (" + std::to_string(floor) + ")"},
      {"reason", "Expired"},  {"code", 410}};
  return event_line("ERROR", status.dump());
}

std::string bookmark_line(const WatchSpec& spec, std::uint64_t resource_version) {
  nlohmann::ordered_json object = {{"kind", spec.kind},
                                   {"apiVersion", group_version(spec.group, spec.version)},
                                   {"metadata", {{"resourceVersion", std::to_string(resource_version)}}}};
  return event_line("BOOKMARK", object.dump());
}

bool selected(const WatchSpec& spec, const StoredObject& object) {
  return matches_labels(spec.labels, object) && matches_fields(spec.fields, object);
}

// What this watch sees of a write: an object entering the selector is ADDED, one leaving it
// DELETED (carrying its new state), as the API server's watch cache filters.
std::optional<std::string> line_for(const WatchSpec& spec, const std::string& resource, const WatchEvent& event) {
  if (event.resource != resource) return std::nullopt;
  const StoredObject& object = *event.object;
  if (!spec.ns.empty() && object.field("metadata.namespace") != spec.ns) return std::nullopt;
  const bool now = selected(spec, object);
  if (event.type != EventType::modified) {
    if (!now) return std::nullopt;
    return event_line(type_name(event.type), object.text());
  }
  const bool before = event.previous && selected(spec, *event.previous);
  if (!before && !now) return std::nullopt;
  return event_line(before && now ? "MODIFIED" : now ? "ADDED" : "DELETED", object.text());
}

// ADDED for every object the watch selects, in list order, and the resourceVersion to follow
// them from: taken together under the bundle's lock, so that no write falls between the two.
std::vector<std::string> current_objects(const Bundle& bundle, const WatchSpec& spec, std::uint64_t& cursor) {
  std::vector<std::string> lines;
  std::shared_lock lock(bundle.mutex);
  cursor = bundle.events->last();
  const ResourceEntry* entry = bundle.find(spec.group, spec.plural);
  if (!entry) return lines;
  auto it = spec.ns.empty() ? entry->objects.begin() : entry->objects.lower_bound({spec.ns, ""});
  for (; it != entry->objects.end() && (spec.ns.empty() || it->first.first == spec.ns); ++it) {
    if (selected(spec, it->second)) lines.push_back(event_line("ADDED", it->second.text()));
  }
  return lines;
}

// Lines gathered into chunks for the sink.
class LineWriter {
 public:
  explicit LineWriter(WatchSink& sink) : m_sink(sink) {}
  bool add(const std::string& line) {
    m_buffer += line;
    return m_buffer.size() < k_chunk_bytes || flush();
  }
  bool flush() {
    if (m_buffer.empty()) return true;
    const bool ok = m_sink.write(m_buffer);
    m_buffer.clear();
    return ok;
  }

 private:
  WatchSink& m_sink;
  std::string m_buffer;
};

std::variant<ApiResponse, std::uint64_t> parse_number(const ApiRequest& request, const char* key) {
  const std::string text = request.param(key);
  if (auto value = numeric(text)) return *value;
  return bad_request(std::string(key) + ": Invalid value: \"" + text + "\": must be a non-negative integer");
}

}  // namespace

// ---- EventLog -----------------------------------------------------------------------------------

void EventLog::restart(int generation, std::uint64_t largest_loaded) {
  std::lock_guard lock(m_mutex);
  std::uint64_t value = m_counter.load();
  while (!m_counter.compare_exchange_weak(value, std::max(value, largest_loaded) + 1)) {
  }
  m_generation = generation;
  m_floor = m_last = m_counter.load();
  m_events.clear();
  m_changed.notify_all();
}

void EventLog::append(int generation, WatchEvent event) {
  std::lock_guard lock(m_mutex);
  if (generation != m_generation) return;
  m_last = event.resource_version;
  m_events.push_back(std::make_shared<const WatchEvent>(std::move(event)));
  while (m_events.size() > m_capacity) {
    m_floor = m_events.front()->resource_version;
    m_events.pop_front();
  }
  m_changed.notify_all();
}

void EventLog::stop() {
  std::lock_guard lock(m_mutex);
  m_stopped = true;
  m_changed.notify_all();
}

bool EventLog::expired(int generation, std::uint64_t after) const {
  return generation != m_generation || after < m_floor;
}

std::uint64_t EventLog::last() const {
  std::lock_guard lock(m_mutex);
  return m_last;
}

EventLog::Wait EventLog::wait(int generation, std::uint64_t after, Clock::time_point until) {
  std::unique_lock lock(m_mutex);
  m_changed.wait_until(lock, until, [&] { return m_stopped || expired(generation, after) || m_last > after; });
  Wait out;
  if (m_stopped) {
    out.state = Wait::State::stopped;
  } else if (expired(generation, after)) {
    out.state = Wait::State::expired;
    out.floor = m_floor;
  } else if (m_last > after) {
    out.state = Wait::State::events;
    auto first = std::partition_point(m_events.begin(), m_events.end(),
                                      [after](const auto& e) { return e->resource_version <= after; });
    out.events.assign(first, m_events.end());
  }
  return out;
}

// ---- Recording ----------------------------------------------------------------------------------

void record_event(Bundle& bundle, const ResourceEntry& entry, EventType type, const StoredObject& object,
                  const StoredObject* previous) {
  if (!bundle.events) return;
  WatchEvent event;
  event.resource_version = numeric(object.resource_version()).value_or(bundle.events->current());
  event.resource = resource_key(entry.group, entry.plural);
  event.type = type;
  event.object = std::make_shared<const StoredObject>(object);
  if (previous) event.previous = std::make_shared<const StoredObject>(*previous);
  bundle.events->append(bundle.generation, std::move(event));
}

std::uint64_t largest_resource_version(const Bundle& bundle) {
  std::uint64_t largest = 0;
  for (const auto& [key, entry] : bundle.resources) {
    for (const auto& [id, object] : entry.objects) {
      if (auto v = numeric(object.resource_version())) largest = std::max(largest, *v);
    }
  }
  return largest;
}

// ---- Streams ------------------------------------------------------------------------------------

bool is_watch(const ApiRequest& request) {
  return request.method == "GET" && true_flag(request.param("watch")) &&
         parse_api_path(request.path).route == Route::collection;
}

std::variant<ApiResponse, WatchSpec> open_watch(const Bundle& bundle, const ApiRequest& request) {
  const ApiPath p = parse_api_path(request.path);
  WatchSpec spec;
  spec.group = p.group;
  spec.plural = p.plural;
  spec.version = p.version;
  spec.ns = p.ns;
  {
    std::shared_lock lock(bundle.mutex);
    if (auto refused = refuse_collection(bundle, p, "watch")) return *refused;
    const ResourceEntry* entry = bundle.find(p.group, p.plural);
    spec.kind = entry->kind.empty() ? guess_kind(entry->plural) : entry->kind;
  }
  auto labels = parse_label_selector(request.param("labelSelector"));
  if (!labels) return bad_request(labels.error().message);
  auto fields = parse_field_selector(request.param("fieldSelector"));
  if (!fields) return bad_request(fields.error().message);
  spec.labels = std::move(*labels);
  spec.fields = std::move(*fields);

  const std::string rv = request.param("resourceVersion");
  if (!rv.empty() && rv != "0") {
    auto from = parse_number(request, "resourceVersion");
    if (auto* refused = std::get_if<ApiResponse>(&from)) return *refused;
    spec.from = std::get<std::uint64_t>(from);
  }
  if (!request.param("timeoutSeconds").empty()) {
    auto timeout = parse_number(request, "timeoutSeconds");
    if (auto* refused = std::get_if<ApiResponse>(&timeout)) return *refused;
    const std::uint64_t seconds = std::get<std::uint64_t>(timeout);
    spec.timeout = seconds == 0 ? k_default_timeout : std::chrono::seconds(std::min<std::uint64_t>(seconds, 1u << 30));
  }
  spec.bookmarks = true_flag(request.param("allowWatchBookmarks"));
  return spec;
}

bool run_watch(const std::shared_ptr<Bundle>& bundle, const WatchSpec& spec, const WatchSettings& settings,
               WatchSink& sink) {
  EventLog& log = *bundle->events;
  const std::string resource = resource_key(spec.group, spec.plural);
  const auto start = Clock::now();
  const auto deadline = start + spec.timeout;
  auto next_bookmark = start + settings.bookmark_interval;
  LineWriter out(sink);

  std::uint64_t cursor = spec.from.value_or(0);
  if (!spec.from) {
    for (const auto& line : current_objects(*bundle, spec, cursor)) {
      if (!out.add(line)) return false;
    }
  }

  // The first pass only replays what the log holds; later ones wait for writes.
  for (bool first = true;; first = false) {
    auto until = first ? Clock::now() : std::min(deadline, Clock::now() + k_liveness_interval);
    if (spec.bookmarks && !first) until = std::min(until, next_bookmark);
    EventLog::Wait wait = log.wait(bundle->generation, cursor, until);
    switch (wait.state) {
      case EventLog::Wait::State::stopped: return out.flush();
      case EventLog::Wait::State::expired: return out.add(expired_line(cursor, wait.floor)) && out.flush();
      case EventLog::Wait::State::events:
        for (const auto& event : wait.events) {
          cursor = event->resource_version;
          if (auto line = line_for(spec, resource, *event); line && !out.add(*line)) return false;
        }
        break;
      case EventLog::Wait::State::idle: break;
    }
    if (!out.flush() || (first && spec.cut)) return false;
    const auto now = Clock::now();
    if (now >= deadline) return true;
    if (!sink.connected()) return false;
    if (spec.bookmarks && now >= next_bookmark) {
      if (!out.add(bookmark_line(spec, cursor)) || !out.flush()) return false;
      next_bookmark = now + settings.bookmark_interval;
    }
  }
}

}  // namespace meshdoctor::fakekube
