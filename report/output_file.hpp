#pragma once
// Delivers a report to a file atomically: readers see the old file or the whole new one, never
// a half-written report (a CronJob may be copying it while the next run writes).
#include <string>
#include <string_view>

#include "util/expected.hpp"

namespace meshdoctor::report {

// Writes to a temporary file in the target's directory, fsyncs it, and renames it over `path`.
// On failure nothing is left behind and the error (code "output.write") names the path and why.
util::Status write_file_atomic(const std::string& path, std::string_view content);

}  // namespace meshdoctor::report
