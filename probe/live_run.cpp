// The shared state of a live run and the mapping of API answers to section states:
// success → collected; 404 on a list of custom resources → collected and empty (the CRD is not
// installed); 404 on a single object → collected, absent; 403 → forbidden naming verb, resource
// and namespace; anything else → error with the reason.
#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>

#include "probe/extract.hpp"
#include "probe/extract_fields.hpp"
#include "probe/live_internal.hpp"
#include "probe/object_filter.hpp"
#include "probe/watch_cache.hpp"

namespace meshdoctor::probe::live {
namespace {

using nlohmann::json;

constexpr int k_progress_every = 200;

std::string qualified(const ResourceKey& r) { return r.group.empty() ? r.resource : r.resource + "." + r.group; }

}  // namespace

std::string Target::path() const {
  std::string p = resource.group.empty() ? "/api/" + version : "/apis/" + resource.group + "/" + version;
  if (!ns.empty()) p += "/namespaces/" + ns;
  p += "/" + resource.resource;
  if (!name.empty()) p += "/" + name;
  return p;
}

std::string Target::describe() const {
  std::string d = (name.empty() ? "list " : "get ") + qualified(resource);
  if (!name.empty()) d += " " + name;
  if (!ns.empty()) d += " in namespace " + ns;
  else if (!resource.cluster_scoped && name.empty()) d += " in all namespaces";
  return d;
}

SourceState success_state(const Target& target) { return {Obtained::collected, "live: " + target.describe()}; }

SourceState failure_state(const Target& target, const util::Error& error) {
  if (error.code == "kube.not_found" && target.name.empty()) {
    if (target.custom) return {Obtained::collected, "CRD " + qualified(target.resource) + " not installed"};
    return {Obtained::collected, "live: " + target.describe() + ": none"};
  }
  if (error.code == "kube.not_found") return {Obtained::collected, "live: " + target.describe() + ": not found"};
  if (error.code == "kube.forbidden") return {Obtained::forbidden, target.describe()};
  return {Obtained::error, target.describe() + ": " + error.message};
}

SourceState subresource_failure(const std::string& subresource, const std::string& ns,
                                const util::Error& error) {
  const std::string what = "get " + subresource + " in namespace " + ns;
  if (error.code == "kube.forbidden") return {Obtained::forbidden, what};
  if (error.code == "kube.not_found") return {Obtained::not_found, what + ": not found"};
  return {Obtained::error, what + ": " + error.message};
}

void Run::add(const Target& source, const json& object) {
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (!m_seen.first_time(object)) return;
    add_object(m_facts, object, Origin{});
    m_pods.take(m_facts.pods.items);
  }
  if (options.sink) options.sink->object(source.resource, source.ns, object);
}

void Run::record(SourceState& section, const SourceState& outcome) {
  std::lock_guard<std::mutex> lock(m_mutex);
  const bool first = m_recorded.insert(&section).second;
  if (first || (section.ok() && !outcome.ok())) section = outcome;
}

void Run::settle() {
  std::lock_guard<std::mutex> lock(m_mutex);
  m_pods.restore(m_facts.pods.items);
}

void Run::progress(const std::string& line) const {
  if (options.progress) options.progress(line);
}

util::Expected<HttpResponse> Run::get_raw(const std::string& path, BodyLimit limit) {
  if (options.cache && !options.sink) return options.cache->get_raw(client, path, limit);
  return client.get_raw(path, limit);
}

namespace {

util::Status list_items(Run& run, const Target& target) {
  run.progress(target.describe() + "…");
  int count = 0;
  auto on_item = [&](const json& item) {
    run.add(target, item);
    if (++count % k_progress_every == 0)
      run.progress(target.describe() + "… " + std::to_string(count) + " so far");
  };
  // A sink keeps the objects as the API returned them; the facts need only what the extractors
  // read, which is much cheaper to parse and hold.
  if (run.options.sink) return run.client.list(target.path(), target.query, on_item);
  if (run.options.cache) return run.options.cache->list(run.client, target.path(), target.query, on_item);
  return run.client.list_filtered(target.path(), target.query, filter_for_object, on_item);
}

}  // namespace

SourceState list_into(Run& run, const Target& target, util::Error* failure) {
  auto status = list_items(run, target);
  Target used = target;
  if (!status && status.error().code == "kube.not_found" && !target.fallback_version.empty()) {
    used.version = target.fallback_version;
    status = list_items(run, used);
  }
  SourceState state = status ? success_state(used) : failure_state(used, status.error());
  if (!status && failure) *failure = status.error();
  if (run.options.sink) run.options.sink->finished(target.resource, target.ns, state);
  return state;
}

SourceState get_into(Run& run, const Target& target) {
  run.progress(target.describe() + "…");
  auto body = run.options.cache && !run.options.sink ? run.options.cache->get(run.client, target.path())
                                                     : run.client.get(target.path());
  SourceState state = body ? success_state(target) : failure_state(target, body.error());
  if (body) {
    json object = json::parse(*body, nullptr, /*allow_exceptions=*/false);
    if (object.is_object()) run.add(target, object);
    else state = {Obtained::error, target.describe() + ": response is not a JSON object"};
  }
  if (run.options.sink) run.options.sink->finished(target.resource, target.ns, state);
  return state;
}

void run_parallel(std::vector<Task> tasks, int width) {
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < tasks.size(); i = next++) tasks[i]();
  };
  const size_t n = std::min(tasks.size(), static_cast<size_t>(std::max(width, 1)));
  std::vector<std::thread> threads;
  for (size_t i = 1; i < n; ++i) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
}

}  // namespace meshdoctor::probe::live
