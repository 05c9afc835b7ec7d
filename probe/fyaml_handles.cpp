#include "probe/fyaml_handles.hpp"

namespace meshdoctor::probe::fyaml {
namespace {

void discard_output(fy_diag*, void*, const char*, size_t) {}

}  // namespace

DiagPtr make_quiet_diag() {
  fy_diag_cfg cfg;
  fy_diag_cfg_default(&cfg);
  cfg.fp = nullptr;
  cfg.output_fn = discard_output;
  cfg.colorize = false;
  DiagPtr diag(fy_diag_create(&cfg));
  if (diag) fy_diag_set_collect_errors(diag.get(), true);
  return diag;
}

std::string first_error(fy_diag* diag, const std::string& name) {
  void* iter = nullptr;
  const fy_diag_error* err = diag ? fy_diag_errors_iterate(diag, &iter) : nullptr;
  if (!err) return name + ": invalid YAML";
  // Collected errors carry 1-based positions already (unlike fy_mark, which is 0-based).
  return name + ":" + std::to_string(err->line) + ":" + std::to_string(err->column) + ": " +
         (err->msg ? err->msg : "invalid YAML");
}

}  // namespace meshdoctor::probe::fyaml
