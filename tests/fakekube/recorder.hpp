#pragma once
// --record FILE: one JSON line per request, written when the answer is known:
//   {"method","path","query","status","ms","authorization": true|false,"contentType"[,"body"]}
// Only whether an Authorization header was sent is recorded, never its value. contentType is the
// request's Content-Type ("" if none); body, the raw request body (first 64 KiB), only for
// methods other than GET.
#include <fstream>
#include <mutex>
#include <optional>
#include <string>

#include "util/expected.hpp"

namespace meshdoctor::fakekube {

struct RecordEntry {
  std::string method, path, query;
  int status = 0;
  long long ms = 0;
  bool authorization = false;
  std::string content_type;
  std::optional<std::string> body;  // absent for GET
};

class Recorder {
 public:
  util::Status open(const std::string& file);  // truncates
  void record(const RecordEntry& entry);       // no-op when not open

 private:
  std::mutex m_mutex;
  std::ofstream m_out;
};

}  // namespace meshdoctor::fakekube
