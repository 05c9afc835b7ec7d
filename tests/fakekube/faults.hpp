#pragma once
// Scripted misbehaviour (--faults FILE): a JSON list of rules (or {"rules": [...]}), the first
// matching rule with uses left applies. Re-read whenever the file's mtime changes (hit counts
// restart then), so a test can flip behaviour mid-run. Rule fields:
//   path        regex searched in the URL path (required)
//   query       regex searched in the raw query string
//   method      "GET", "POST", ... (default: any)
//   onContinue  only requests carrying a non-empty continue parameter; status defaults to 410
//   times       apply to this many requests, then never again (default: unlimited)
//   status      answer this code instead of serving (403/404/410/429/5xx get a Status body)
//   body        the answer's body instead of the generated Status (with status)
//   retryAfter  Retry-After header, seconds
//   delayMs     wait before answering
//   invalidJson corrupt the answer's JSON (first half of it, then garbage)
//   truncate    announce the full Content-Length, send half the body, close the connection
//   stallMs     send half the body, stall this long, then send the rest
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "api_types.hpp"
#include "util/expected.hpp"

namespace meshdoctor::fakekube {

struct FaultRule {
  std::string path_text;
  std::regex path;
  std::optional<std::regex> query;
  std::string method;
  bool on_continue = false;
  int times = -1;
  int status = 0;
  std::optional<std::string> body;
  int retry_after = -1;
  int delay_ms = 0;
  bool invalid_json = false;
  bool truncate = false;
  int stall_ms = 0;
};

util::Expected<std::vector<FaultRule>> parse_faults(const std::string& text);

// The answer a rule with a status gives (realistic Status body unless the rule has one).
ApiResponse fault_response(const FaultRule& rule, const ApiRequest& request);

// "{...}" → its first half followed by bytes no JSON parser accepts.
std::string corrupt_json(const std::string& body);

class FaultSet {
 public:
  explicit FaultSet(std::string file) : m_file(std::move(file)) {}
  util::Status load();  // the first read: an invalid file is a startup error, a missing one is not

  // The rule that applies to this request, counting its use; reloads the file when changed.
  std::optional<FaultRule> match(const ApiRequest& request, const std::string& raw_query);

 private:
  void reload_if_changed();

  std::mutex m_mutex;
  std::string m_file;
  std::string m_mtime;  // "" = file missing
  std::vector<FaultRule> m_rules;
  std::vector<int> m_used;
};

}  // namespace meshdoctor::fakekube
