#include <doctest/doctest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "report/output_file.hpp"

using namespace meshdoctor;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "md-out-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() { fs::remove_all(path); }
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_SUITE("report::output_file") {
  TEST_CASE("writes and replaces a file, leaving no temporary behind") {
    TempDir t;
    auto target = t.path / "report.json";
    REQUIRE(report::write_file_atomic(target.string(), "first\n").has_value());
    REQUIRE(report::write_file_atomic(target.string(), "second\n").has_value());
    CHECK(slurp(target) == "second\n");
    CHECK(std::distance(fs::directory_iterator(t.path), fs::directory_iterator{}) == 1);
  }

  TEST_CASE("a missing directory is an error naming the path, and nothing is written") {
    TempDir t;
    auto target = t.path / "missing" / "report.json";
    auto r = report::write_file_atomic(target.string(), "x");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == "output.write");
    CHECK(r.error().message.find(target.string()) != std::string::npos);
    CHECK_FALSE(fs::exists(target));
  }
}
