#include "cli/console.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>

#include "report/output_file.hpp"

namespace meshdoctor::cli {

namespace {

constexpr int k_max_width = 100;

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

// A terminal without any locale setting is assumed to be UTF-8; an explicit non-UTF-8 locale
// (C, POSIX, ISO-8859-x) is not.
bool locale_allows_unicode() {
  std::string locale = env("LC_ALL");
  if (locale.empty()) locale = env("LC_CTYPE");
  if (locale.empty()) locale = env("LANG");
  if (locale.empty()) return true;
  std::transform(locale.begin(), locale.end(), locale.begin(), ::tolower);
  return locale.find("utf-8") != std::string::npos || locale.find("utf8") != std::string::npos;
}

int terminal_columns() {
  winsize ws{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return k_max_width;
}

}  // namespace

report::RenderOptions render_options(ColorChoice color, Destination dest) {
  bool tty = dest == Destination::stdout_stream && ::isatty(STDOUT_FILENO) == 1;
  bool no_color = color == ColorChoice::never || !env("NO_COLOR").empty();
  report::RenderOptions opt;
  opt.color = tty && !no_color;
  // DESIGN §4: symbols ✔ ‼ ✖ ? on a terminal; ASCII with --no-color and whenever the report
  // goes to a pipe or file (CronJob logs, tickets, chat), unless the terminal is not UTF-8.
  opt.unicode = tty && color != ColorChoice::never && locale_allows_unicode();
  opt.width = tty ? std::clamp(terminal_columns(), 40, k_max_width) : k_max_width;
  return opt;
}

void configure_logging(int verbosity) {
  auto logger = spdlog::stderr_logger_mt("meshdoctor");
  logger->set_pattern("meshdoctor: %l: %v");
  logger->set_level(verbosity >= 2   ? spdlog::level::debug
                    : verbosity == 1 ? spdlog::level::info
                                     : spdlog::level::warn);
  spdlog::set_default_logger(logger);
}

int usage_error(const std::string& message) {
  std::fprintf(stderr, "meshdoctor: error: %s\n", message.c_str());
  return k_exit_usage;
}

int could_not_run(const std::string& message) {
  std::fprintf(stderr, "meshdoctor: error: %s\n", message.c_str());
  return k_exit_could_not_run;
}

util::Status deliver(std::string_view text, const std::string& path) {
  if (!path.empty()) return report::write_file_atomic(path, text);
  std::size_t n = std::fwrite(text.data(), 1, text.size(), stdout);
  if (n != text.size() || std::fflush(stdout) != 0) {
    return util::make_error("output.write", "cannot write the report to standard output");
  }
  return util::ok();
}

std::string normalize_id(std::string id) {
  for (auto& c : id) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return id;
}

}  // namespace meshdoctor::cli
