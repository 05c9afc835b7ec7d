#pragma once
// Where a SARIF result is (report/sarif.cpp): a file and line for evidence that names one (lint
// manifests), else the Kubernetes objects or the evidence sources as logical locations; and the
// stable fingerprint of a result at its location. Internal to report/.
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "checks/finding.hpp"

namespace meshdoctor::report::sarif {

// The uriBaseId of relative artifact URIs: the directory meshdoctor was run in.
inline constexpr const char* k_src_root = "SRCROOT";

// A file path as a URI reference: a relative path stays relative (leading "./" dropped) and is
// percent-encoded; an absolute path becomes a file:// URI. `relative` (when not null) says which.
std::string file_uri(const std::string& path, bool* relative);

// {"physicalLocation": {"artifactLocation": {"uri", "uriBaseId"?}, "region": {"startLine"}?}}.
nlohmann::ordered_json file_location(const checks::Evidence& e);

// The locations of a result without a file: one logical location per affected object, or, when
// the finding names no object, the first evidence source. Empty when there is neither.
std::vector<nlohmann::ordered_json> logical_locations(const checks::Finding& f);

// "ztunnel/Pod/ztunnel-abc" (namespaced) or "IstioCNI/default": an object's logical name.
std::string object_name(const checks::ObjectRef& o);

// What identifies a result across runs: its rule and its primary location ("file:a.yaml:12",
// "object:ns/Pod/x", "source:…", or "" for a result with no location). Counts and messages
// change between runs of the same problem, so they stay out. A hex SHA-256.
std::string fingerprint(const std::string& rule_id, const std::string& location_key);

// The location key of fingerprint() for a file evidence and for a result without a file.
std::string file_key(const checks::Evidence& e);
std::string logical_key(const checks::Finding& f);

}  // namespace meshdoctor::report::sarif
