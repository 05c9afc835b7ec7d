// Kubeconfig files: load_kube_auth reads from a path, so each input is written to a private
// temporary file (created once per process, rewritten per input) and loaded with
// --kubeconfig semantics, the current context and then a named one. No exec plugin is run
// (load_kube_auth only parses exec:); in-cluster fallback is off.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "probe/kube_config.hpp"

namespace {

// The temporary directory and file; removed at exit.
struct TempFile {
  std::string dir, path;
  TempFile() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "md-fuzz-kubeconfig-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) std::abort();
    dir = tmpl;
    path = dir + "/config";
  }
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

TempFile& temp() {
  static TempFile t;
  return t;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace meshdoctor::probe;
  const TempFile& t = temp();
  {
    std::ofstream out(t.path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out) std::abort();
  }
  KubeconfigOptions options;
  options.path = t.path;
  options.allow_in_cluster = false;
  (void)load_kube_auth(options);
  options.context = "dev";
  (void)load_kube_auth(options);
  return 0;
}
