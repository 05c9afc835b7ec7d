#pragma once
// What the API server stamps on the objects it writes: uids, generated name suffixes, timestamps
// (the real current time, as a cluster would) and resource versions that only grow.
#include <chrono>
#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include "bundle_index.hpp"

namespace meshdoctor::fakekube {

// "2026-11-20T12:30:00Z": whole seconds, UTC, as object timestamps are written.
std::string rfc3339(std::chrono::system_clock::time_point t);
std::string now_rfc3339();

// n random characters of the alphabet generated names use (lowercase consonants only).
std::string random_suffix(std::size_t n = 5);
// A random (version 4) UUID.
std::string new_uid();

// metadata.<key> when it is a string, else "".
std::string meta_text(const nlohmann::json& object, const char* key);

// The resourceVersion a write gives the object it writes: the next value of the cluster's one
// counter (watch.hpp, EventLog), greater than every resourceVersion given or loaded before.
// Caller holds the bundle's lock alone.
std::string next_resource_version(Bundle& bundle);

}  // namespace meshdoctor::fakekube
