// The --post-on change state ConfigMap read back from the cluster (report/sink.hpp): any bytes,
// never a throw.
#include <cstddef>
#include <cstdint>
#include <string>

#include "report/sink.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace meshdoctor::report;
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::string resource_version;
  const auto state = parse_state_configmap(text, &resource_version);
  (void)parse_state_configmap(text, nullptr);
  if (state) {
    // What we would write back must read back to the same state.
    const std::string object = state_configmap("ns", "name", *state, "report", "2025-01-01T00:00:00Z");
    const auto again = parse_state_configmap(object, nullptr);
    if (!again || again->fingerprint != state->fingerprint || again->failing != state->failing)
      __builtin_trap();
  }
  return 0;
}
