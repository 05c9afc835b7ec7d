#pragma once
// The one seam between meshdoctor and the network: an HttpClient that performs a request and
// returns a response or an error. The libcurl implementation is the only one in production;
// tests talk to real HTTP servers (tests/fakekube) rather than mocking this interface.
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/expected.hpp"

namespace meshdoctor::probe {

struct TlsConfig {
  std::string ca_file, ca_data;                  // PEM; data wins over file
  std::string client_cert_file, client_cert_data;
  std::string client_key_file, client_key_data;  // never logged
  bool insecure_skip_verify = false;             // only when the kubeconfig says so
  std::string server_name;                       // SNI / verification name override
};

// How much of a response body is kept, for answers that may be far larger than what is read from
// them (a pod log whose "last 2000 lines" are one 200 MB line): the first or the last max_bytes.
// The rest is discarded as it arrives, never held, and the response says its body was cut.
enum class BodyKeep { all, head, tail };
struct BodyLimit {
  std::size_t max_bytes = 0;  // 0: the client's own bound (256 MiB, then an error)
  BodyKeep keep = BodyKeep::all;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // Authorization is redacted in logs
  std::string body;
  long timeout_ms = 30000;  // whole request, connect included
  // The URL itself is a secret (a chat webhook's path is its token): logs and error messages
  // name scheme://host:port only.
  bool secret_url = false;
  BodyLimit body_limit;
  // A streamed answer (a Kubernetes watch): the bytes of a 2xx body go to on_chunk as they arrive
  // and are not kept (a non-2xx body is kept as usual). on_chunk returning false ends the transfer,
  // and so does keep_going returning false (asked about once a second, also while the stream is
  // idle); either way the response is then complete as far as the caller is concerned.
  std::function<bool(std::string_view chunk)> on_chunk;
  std::function<bool()> keep_going;
};

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  bool body_cut = false;  // body_limit dropped part of the body (head or tail kept)
};

// Errors use util::Error codes: http.connect (refused/unreachable), http.dns, http.tls
// (handshake, unknown CA, expired certificate), http.timeout, http.truncated (body shorter than
// Content-Length / stream cut), http.other. Messages name the URL without query secrets.
class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Thread-safe: may be called concurrently from several threads.
  virtual util::Expected<HttpResponse> perform(const HttpRequest& request) = 0;
};

std::unique_ptr<HttpClient> make_curl_client(const TlsConfig& tls);

// "Bearer abc..." → "Bearer <redacted>"; used by every debug log of headers.
std::string redact_header(const std::string& name, const std::string& value);

}  // namespace meshdoctor::probe
