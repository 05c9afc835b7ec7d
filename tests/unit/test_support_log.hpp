#pragma once
// Captures meshdoctor's debug logs in memory so a test can assert what they never contain.
// unit_tests gets spdlog's compiled library only as a link dependency of md_probe, without its
// compile definitions; these are the ones Debian's spdlog target exports, so this header agrees
// with the library the logs come from.
#ifndef SPDLOG_COMPILED_LIB
#define SPDLOG_COMPILED_LIB
#endif
#ifndef SPDLOG_SHARED_LIB
#define SPDLOG_SHARED_LIB
#endif
#ifndef SPDLOG_FMT_EXTERNAL
#define SPDLOG_FMT_EXTERNAL
#endif
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <sstream>
#include <string>

namespace meshdoctor::test {

class LogCapture {
 public:
  LogCapture() : m_previous(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(m_out);
    auto logger = std::make_shared<spdlog::logger>("meshdoctor-test", sink);
    logger->set_level(spdlog::level::trace);
    spdlog::set_default_logger(logger);
  }
  ~LogCapture() { spdlog::set_default_logger(m_previous); }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;
  std::string text() {
    spdlog::default_logger()->flush();
    return m_out.str();
  }

 private:
  std::shared_ptr<spdlog::logger> m_previous;
  std::ostringstream m_out;
};

}  // namespace meshdoctor::test
