#pragma once
// SHA-256 of a text as lowercase hex ("" if OpenSSL fails): the --post-on change fingerprint and
// the SARIF result fingerprints. Internal to report/.
#include <string>

namespace meshdoctor::report {

std::string sha256_hex(const std::string& text);

}  // namespace meshdoctor::report
