// Bundle files (YAML or JSON, multi-document, List items) streamed through libfyaml; every
// object delivered goes on to add_object as the bundle reader does. Also the small ConfigMap
// value reader yaml_top_level_bool.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "probe/extract.hpp"
#include "probe/yaml_stream.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace meshdoctor::probe;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Facts facts;
  int objects = 0;
  const auto status = stream_yaml_text(text, "fuzz/bundle.yaml", [&](nlohmann::json& object, int line) {
    ++objects;
    (void)add_object(facts, object, Origin{"", "fuzz/bundle.yaml", line});
  });
  (void)status;
  (void)yaml_top_level_bool(text, "enableUserWorkload", "fuzz/config.yaml");
  return 0;
}
