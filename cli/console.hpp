#pragma once
// What meshdoctor knows about the terminal it talks to, and how it talks on stderr.
#include <string>
#include <string_view>

#include "cli/commands.hpp"
#include "report/render.hpp"
#include "util/expected.hpp"

namespace meshdoctor::cli {

enum class Destination { stdout_stream, file };

// Colour and symbols for a report, from stdout, the locale and the flags:
//  colour  only on a TTY, and never with NO_COLOR set or --no-color;
//  unicode symbols only on a TTY without --no-color whose locale is UTF-8 (or unset); pipes,
//          files and --no-color get plain ASCII (DESIGN §4);
//  width   the terminal's columns up to 100; 100 when not a TTY.
report::RenderOptions render_options(ColorChoice color, Destination dest);

// spdlog on stderr: warnings by default, -v info, -vv debug.
void configure_logging(int verbosity);

// Prints "meshdoctor: error: <message>" on stderr and returns the exit code.
int usage_error(const std::string& message);
int could_not_run(const std::string& message);

// Writes the whole text to stdout, or atomically to `path` when it is not empty.
util::Status deliver(std::string_view text, const std::string& path);

// "md301" -> "MD301"
std::string normalize_id(std::string id);

}  // namespace meshdoctor::cli
