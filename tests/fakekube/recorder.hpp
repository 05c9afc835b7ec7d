#pragma once
// --record FILE: one JSON line per request, written when the answer is known:
//   {"method","path","query","status","ms","authorization": true|false}
// Only whether an Authorization header was sent is recorded, never its value.
#include <fstream>
#include <mutex>
#include <string>

#include "util/expected.hpp"

namespace meshdoctor::fakekube {

struct RecordEntry {
  std::string method, path, query;
  int status = 0;
  long long ms = 0;
  bool authorization = false;
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
