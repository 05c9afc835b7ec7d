// Manifests as `meshdoctor lint` reads them (helm template output, value files): the input goes
// through lint::add_text, then every rule runs on what was read, and the diagnosis is rendered.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "lint/lint.hpp"
#include "report/render.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace meshdoctor;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  lint::ManifestSet set;
  lint::add_text(set, text, "fuzz/rendered.yaml");
  const checks::Diagnosis d = lint::lint(set, lint::LintContext{}, checks::Selection{}, {"fuzz/rendered.yaml"});
  report::RenderOptions opt;
  (void)report::render_json(d, opt);
  (void)report::render_sarif(d, opt);
  return 0;
}
