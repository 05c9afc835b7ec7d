#pragma once
// The request and response as the fake API server's routing sees them: plain data, no HTTP
// library, so that routing, listing and faults can be exercised in-process.
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace meshdoctor::fakekube {

struct ApiRequest {
  std::string method = "GET";
  std::string path;                                 // URL-decoded path, no query
  std::multimap<std::string, std::string> params;   // decoded query parameters
  std::string content_type;                         // the Content-Type header, "" if none
  std::string body;                                 // the request body (writes)

  bool has(const std::string& key) const { return params.count(key) > 0; }
  std::string param(const std::string& key) const {
    auto it = params.find(key);
    return it == params.end() ? std::string() : it->second;
  }
};

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

}  // namespace meshdoctor::fakekube
