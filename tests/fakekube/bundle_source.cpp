// Reload detection for the served bundle.
#include "bundle_source.hpp"

#include <filesystem>
#include <iostream>

#include "watch.hpp"

namespace meshdoctor::fakekube {

namespace fs = std::filesystem;

BundleSource::BundleSource(std::string path, std::size_t watch_history)
    : m_path(std::move(path)), m_events(std::make_shared<EventLog>(watch_history)) {}

void BundleSource::publish(std::shared_ptr<Bundle> bundle) {
  bundle->events = m_events;
  m_events->restart(bundle->generation, largest_resource_version(*bundle));
  m_bundle = std::move(bundle);
}

std::string BundleSource::stamp() const {
  std::error_code ec;
  const fs::path resolved = fs::canonical(m_path, ec);
  if (ec) return "missing";
  const auto marker = fs::last_write_time(resolved / ".reload", ec);
  return resolved.string() + "|" + (ec ? "-" : std::to_string(marker.time_since_epoch().count()));
}

util::Status BundleSource::load() {
  std::lock_guard lock(m_mutex);
  m_stamp = stamp();
  auto bundle = load_bundle(m_path, 1);
  if (!bundle) return bundle.error();
  for (const auto& w : (*bundle)->warnings) std::cerr << "fakekube: warning: " << w << "\n";
  publish(std::move(*bundle));
  return util::ok();
}

std::shared_ptr<Bundle> BundleSource::current() {
  std::lock_guard lock(m_mutex);
  const std::string now = stamp();
  if (!m_reload_requested.exchange(false) && now == m_stamp) return m_bundle;
  m_stamp = now;
  auto bundle = load_bundle(m_path, m_bundle->generation + 1);
  if (!bundle) {
    std::cerr << "fakekube: reload failed, serving the previous bundle: " << bundle.error().message << "\n";
    return m_bundle;
  }
  publish(std::move(*bundle));
  std::cerr << "fakekube: bundle reloaded from " << m_bundle->source << " (generation " << m_bundle->generation << ")\n";
  return m_bundle;
}

}  // namespace meshdoctor::fakekube
