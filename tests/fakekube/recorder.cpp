// Request log as JSON lines, flushed per line so tests can read it while fakekube runs.
#include "recorder.hpp"

#include <nlohmann/json.hpp>

namespace meshdoctor::fakekube {

util::Status Recorder::open(const std::string& file) {
  std::lock_guard lock(m_mutex);
  m_out.open(file, std::ios::trunc);
  if (!m_out) return util::make_error("record.open", file + ": cannot write");
  return util::ok();
}

void Recorder::record(const RecordEntry& e) {
  std::lock_guard lock(m_mutex);
  if (!m_out.is_open()) return;
  nlohmann::json line = {{"method", e.method}, {"path", e.path},     {"query", e.query},
                         {"status", e.status}, {"ms", e.ms},         {"authorization", e.authorization},
                         {"contentType", e.content_type}};
  if (e.body) line["body"] = *e.body;
  m_out << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  m_out.flush();
}

}  // namespace meshdoctor::fakekube
