#pragma once
// XML 1.0 text for the JUnit report (report/junit.cpp). Evidence quotes logs and manifests, so any
// byte string must come out well-formed: markup characters are escaped, and invalid UTF-8 and the
// characters XML 1.0 forbids (controls other than tab, LF and CR; U+FFFE, U+FFFF) become U+FFFD.
// Internal to report/.
#include <string>
#include <string_view>

namespace meshdoctor::report::xml {

// Character data: & < > escaped, CR kept as a character reference (parsers fold a raw one).
std::string text(std::string_view s);

// A double-quoted attribute value: text() plus " and ', and tab and LF as character references,
// since attribute-value normalisation would turn them into spaces.
std::string attribute(std::string_view s);

// Valid UTF-8 holding only characters XML 1.0 allows; everything else becomes U+FFFD.
std::string sanitize(std::string_view s);

}  // namespace meshdoctor::report::xml
