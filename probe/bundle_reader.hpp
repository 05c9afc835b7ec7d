#pragma once
// Reads an offline bundle (oc adm inspect / oc adm must-gather directory, or a .tar/.tar.gz of one,
// or what `meshdoctor collect` writes) into Facts. Layout: DESIGN.md §5.
#include <string>
#include <vector>

#include "probe/facts.hpp"
#include "util/expected.hpp"

namespace meshdoctor::probe {

// Fatal errors (exit 3): path missing, not a directory or archive, no inspect layout found,
// archive unsafe or unreadable. Per-file problems do not fail the read: the affected section
// gets state error with "file:line: message" and a line is added to Facts::warnings.
util::Expected<Facts> read_bundle(const std::string& path);

// The inspect roots of a bundle directory (the folders holding namespaces/ or
// cluster-scoped-resources/), for readers of single objects; empty for an archive or no layout.
std::vector<std::string> bundle_roots(const std::string& dir);

}  // namespace meshdoctor::probe
