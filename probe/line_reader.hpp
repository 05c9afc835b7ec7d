#pragma once
// Reads a text file line by line in fixed-size chunks, so a 200 MB container log never sits in
// memory. Lines longer than the cap are skipped (still counted), never buffered whole.
#include <functional>
#include <string>
#include <string_view>

#include "util/expected.hpp"

namespace meshdoctor::probe {

struct LineReadResult {
  int lines = 0;           // including skipped over-long lines
  int skipped_long = 0;
  bool truncated = false;  // the file does not end with a newline
};

using LineSink = std::function<void(std::string_view line, int line_number)>;

util::Expected<LineReadResult> read_lines(const std::string& path, const LineSink& sink,
                                          std::size_t max_line = 1 << 20);

}  // namespace meshdoctor::probe
