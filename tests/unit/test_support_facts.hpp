#pragma once
// Builders shared by the tests that hand-make facts with timestamps: a time from RFC3339 text,
// and a node agent pod (ztunnel or istio-cni) with its creation and Ready times.
#include <doctest/doctest.h>

#include <string>

#include "probe/facts.hpp"
#include "util/time.hpp"

namespace meshdoctor::testsupport {

inline util::Micros at(const char* text) {
  auto t = util::parse_rfc3339(text);
  REQUIRE_MESSAGE(t.has_value(), "unparsable timestamp in test: ", text);
  return *t;
}

// A Running node agent pod created at `created`, Ready since `ready_since` (nullptr: not Ready).
inline probe::NodeAgentPod agent_pod(const std::string& ns,
                                     const std::string& name,
                                     const std::string& node,
                                     const char* created,
                                     const char* ready_since) {
  probe::NodeAgentPod a;
  a.ns = ns;
  a.name = name;
  a.node = node;
  a.phase = "Running";
  a.created = at(created);
  a.start_time = a.created;
  a.ready = ready_since != nullptr;
  if (ready_since) a.ready_since = at(ready_since);
  return a;
}

}  // namespace meshdoctor::testsupport
