#include "probe/line_reader.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace meshdoctor::probe {
namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

// Accumulates one line across chunk boundaries.
class LineAssembler {
 public:
  LineAssembler(const LineSink& sink, std::size_t max_line) : m_sink(sink), m_max(max_line) {}

  void feed(std::string_view chunk) {
    while (!chunk.empty()) {
      const std::size_t nl = chunk.find('\n');
      append(chunk.substr(0, nl));
      if (nl == std::string_view::npos) return;
      finish_line();
      chunk.remove_prefix(nl + 1);
    }
  }

  LineReadResult finish() {
    if (!m_line.empty() || m_skipping) {
      m_result.truncated = true;
      finish_line();
    }
    return m_result;
  }

 private:
  void append(std::string_view part) {
    if (m_skipping) return;
    if (m_line.size() + part.size() > m_max) {
      m_skipping = true;
      m_line.clear();
      m_line.shrink_to_fit();
      return;
    }
    m_line.append(part);
  }

  void finish_line() {
    ++m_result.lines;
    if (m_skipping) {
      ++m_result.skipped_long;
    } else {
      std::string_view line = m_line;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      m_sink(line, m_result.lines);
    }
    m_line.clear();
    m_skipping = false;
  }

  const LineSink& m_sink;
  std::size_t m_max;
  std::string m_line;
  bool m_skipping = false;
  LineReadResult m_result;
};

}  // namespace

util::Expected<LineReadResult> read_lines(const std::string& path, const LineSink& sink,
                                          std::size_t max_line) {
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) return util::make_error("log.read", path + ": " + std::strerror(errno));
  LineAssembler lines(sink, max_line);
  std::string buf(64 * 1024, '\0');
  while (true) {
    const std::size_t n = std::fread(buf.data(), 1, buf.size(), file.get());
    if (n > 0) lines.feed(std::string_view(buf.data(), n));
    if (n < buf.size()) break;
  }
  if (std::ferror(file.get())) return util::make_error("log.read", path + ": read error");
  return lines.finish();
}

}  // namespace meshdoctor::probe
