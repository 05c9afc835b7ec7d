// The production HttpClient: libcurl easy handles, pooled per client so that parallel requests
// each get their own handle while keep-alive connections and TLS sessions are reused.
#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <mutex>
#include <string_view>

#include "probe/http.hpp"

namespace meshdoctor::probe {
namespace {

// A page of a large list is a few MB; anything near this bound is a misbehaving server.
constexpr std::size_t k_max_body_bytes = std::size_t{256} << 20;
constexpr long k_max_connect_ms = 10000;

struct CurlDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
struct CurlUrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
struct CurlStringDeleter {
  void operator()(char* text) const { curl_free(text); }
};
using CurlPtr = std::unique_ptr<CURL, CurlDeleter>;
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;
using CurlUrlPtr = std::unique_ptr<CURLU, CurlUrlDeleter>;
using CurlStringPtr = std::unique_ptr<char, CurlStringDeleter>;

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string to_lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Errors and logs name scheme://host:port/path: query strings and user info may carry secrets.
std::string url_for_messages(const std::string& url) {
  std::string out = url.substr(0, url.find_first_of("?#"));
  const auto scheme_end = out.find("://");
  if (scheme_end == std::string::npos) return out;
  const auto authority_end = out.find('/', scheme_end + 3);
  const auto at = out.rfind('@', authority_end);
  if (at != std::string::npos && at > scheme_end) out.erase(scheme_end + 3, at - scheme_end - 2);
  return out;
}

SlistPtr append(SlistPtr list, const std::string& line) {
  curl_slist* grown = curl_slist_append(list.get(), line.c_str());
  if (grown) (void)list.release();  // curl_slist_append returns the same head, now owning more
  return SlistPtr(grown ? grown : list.release());
}

// What one transfer collects; curl calls back into it from perform().
struct Transfer {
  HttpResponse response;
  BodyLimit limit;
  bool too_large = false;
  CURL* curl = nullptr;
  const HttpRequest* request = nullptr;
  bool stopped = false;  // a stream its caller ended (on_chunk or keep_going said no)
};

bool streams_to_caller(Transfer& t) {
  if (!t.request->on_chunk) return false;
  long status = 0;
  curl_easy_getinfo(t.curl, CURLINFO_RESPONSE_CODE, &status);
  return status >= 200 && status < 300;
}

// The tail window holds up to twice its size before dropping the front, so each byte is moved
// about once whatever the body's length.
void keep_tail(std::string& body, std::size_t max_bytes, bool final_trim) {
  if (body.size() <= (final_trim ? max_bytes : 2 * max_bytes)) return;
  body.erase(0, body.size() - max_bytes);
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  if (streams_to_caller(*transfer)) {
    if (transfer->request->on_chunk(std::string_view(data, bytes))) return bytes;
    transfer->stopped = true;
    return 0;
  }
  std::string& body = transfer->response.body;
  const BodyLimit& limit = transfer->limit;
  if (limit.max_bytes > 0 && limit.keep == BodyKeep::head && body.size() + bytes > limit.max_bytes) {
    body.append(data, limit.max_bytes - body.size());
    transfer->response.body_cut = true;
    return 0;  // the rest is not wanted: curl stops with CURLE_WRITE_ERROR, run() keeps the head
  }
  if (limit.max_bytes > 0 && limit.keep == BodyKeep::tail) {
    body.append(data, bytes);
    if (body.size() > limit.max_bytes) transfer->response.body_cut = true;
    keep_tail(body, limit.max_bytes, false);
    return bytes;
  }
  if (transfer->response.body.size() + bytes > k_max_body_bytes) {
    transfer->too_large = true;
    return 0;  // makes curl stop with CURLE_WRITE_ERROR
  }
  transfer->response.body.append(data, bytes);
  return bytes;
}

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::string_view line(data, size * count);
  // A new status line (100 Continue, then the real answer) starts a fresh header set.
  if (line.rfind("HTTP/", 0) == 0) {
    transfer->response.headers.clear();
    return line.size();
  }
  const auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    transfer->response.headers[to_lower(std::string(line.substr(0, colon)))] =
        trim(line.substr(colon + 1));
  }
  return line.size();
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* transfer = static_cast<Transfer*>(user);
  if (transfer->request->keep_going()) return 0;
  transfer->stopped = true;
  return 1;  // curl stops with CURLE_ABORTED_BY_CALLBACK
}

bool is_tls_code(CURLcode code) {
  switch (code) {
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_USE_SSL_FAILED: return true;
    default: return false;
  }
}

// got_response: the status line arrived, so a later failure cut the body short.
// over_tls: an HTTPS server that drops the connection right after the handshake, before any
// answer, is rejecting our client certificate (TLS 1.3 sends that verdict after the handshake,
// and the reset often swallows the alert).
std::string error_code_for(CURLcode code, bool got_response, bool over_tls, const std::string& detail) {
  if (is_tls_code(code)) return "http.tls";
  switch (code) {
    case CURLE_COULDNT_CONNECT: return "http.connect";
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY: return "http.dns";
    case CURLE_OPERATION_TIMEDOUT: return "http.timeout";
    case CURLE_PARTIAL_FILE: return "http.truncated";
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      if (got_response) return "http.truncated";
      // TLS 1.3 reports a rejected client certificate as an alert on the first read.
      if (over_tls || detail.find("SSL") != std::string::npos) return "http.tls";
      return "http.other";
    default: return "http.other";
  }
}

}  // namespace

std::string redact_header(const std::string& name, const std::string& value) {
  const std::string lower = to_lower(name);
  const bool secret = lower == "authorization" || lower == "proxy-authorization" ||
                      lower == "cookie" || lower.find("token") != std::string::npos;
  if (!secret) return value;
  // Keep the scheme ("Bearer", "Basic"): it tells which credential was used without leaking it.
  const auto space = value.find(' ');
  if (lower.find("authorization") != std::string::npos && space != std::string::npos)
    return value.substr(0, space) + " <redacted>";
  return "<redacted>";
}

namespace {

class CurlClient final : public HttpClient {
 public:
  explicit CurlClient(TlsConfig tls) : m_tls(std::move(tls)) { global_init_once(); }

  util::Expected<HttpResponse> perform(const HttpRequest& request) override {
    CurlPtr handle = acquire();
    if (!handle) return util::make_error("http.other", "cannot create a libcurl handle");
    auto result = run(handle.get(), request);
    release(std::move(handle));
    return result;
  }

 private:
  CurlPtr acquire() {
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      if (!m_idle.empty()) {
        CurlPtr handle = std::move(m_idle.back());
        m_idle.pop_back();
        curl_easy_reset(handle.get());  // keeps live connections and the TLS session cache
        return handle;
      }
    }
    return CurlPtr(curl_easy_init());
  }

  void release(CurlPtr handle) {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_idle.push_back(std::move(handle));
  }

  util::Expected<HttpResponse> run(CURL* curl, const HttpRequest& request) const;
  void apply_tls(CURL* curl) const;
  SlistPtr apply_server_name(CURL* curl, const std::string& url) const;
  SlistPtr build_headers(const HttpRequest& request) const;

  TlsConfig m_tls;
  std::mutex m_mutex;
  std::vector<CurlPtr> m_idle;
};

void set_blob(CURL* curl, CURLoption option, const std::string& pem) {
  curl_blob blob{const_cast<char*>(pem.data()), pem.size(), CURL_BLOB_COPY};
  curl_easy_setopt(curl, option, &blob);
}

void CurlClient::apply_tls(CURL* curl) const {
  if (!m_tls.ca_data.empty()) set_blob(curl, CURLOPT_CAINFO_BLOB, m_tls.ca_data);
  else if (!m_tls.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, m_tls.ca_file.c_str());
  if (!m_tls.client_cert_data.empty()) set_blob(curl, CURLOPT_SSLCERT_BLOB, m_tls.client_cert_data);
  else if (!m_tls.client_cert_file.empty())
    curl_easy_setopt(curl, CURLOPT_SSLCERT, m_tls.client_cert_file.c_str());
  if (!m_tls.client_key_data.empty()) set_blob(curl, CURLOPT_SSLKEY_BLOB, m_tls.client_key_data);
  else if (!m_tls.client_key_file.empty())
    curl_easy_setopt(curl, CURLOPT_SSLKEY, m_tls.client_key_file.c_str());
  curl_easy_setopt(curl, CURLOPT_SSLCERTTYPE, "PEM");
  curl_easy_setopt(curl, CURLOPT_SSLKEYTYPE, "PEM");
  const long verify = m_tls.insecure_skip_verify ? 0L : 1L;
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, verify);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, verify * 2L);
}

// tls-server-name: address the server by that name (SNI and certificate check) while connecting
// to the URL's real host, which is what libcurl's connect-to mapping gives.
SlistPtr CurlClient::apply_server_name(CURL* curl, const std::string& url) const {
  CurlUrlPtr parsed(curl_url());
  if (m_tls.server_name.empty() || !parsed ||
      curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK)
    return nullptr;
  char* raw_host = nullptr;
  char* raw_port = nullptr;
  curl_url_get(parsed.get(), CURLUPART_HOST, &raw_host, 0);
  curl_url_get(parsed.get(), CURLUPART_PORT, &raw_port, CURLU_DEFAULT_PORT);
  CurlStringPtr host(raw_host), port(raw_port);
  if (!host || !port) return nullptr;
  curl_url_set(parsed.get(), CURLUPART_HOST, m_tls.server_name.c_str(), 0);
  char* raw_rewritten = nullptr;
  curl_url_get(parsed.get(), CURLUPART_URL, &raw_rewritten, 0);
  CurlStringPtr rewritten(raw_rewritten);
  if (!rewritten) return nullptr;
  curl_easy_setopt(curl, CURLOPT_URL, rewritten.get());  // curl copies string options
  SlistPtr mapping = append(nullptr, m_tls.server_name + ":" + port.get() + ":" + host.get() +
                                         ":" + port.get());
  curl_easy_setopt(curl, CURLOPT_CONNECT_TO, mapping.get());
  return mapping;
}

SlistPtr CurlClient::build_headers(const HttpRequest& request) const {
  SlistPtr headers;
  for (const auto& [name, value] : request.headers) {
    headers = append(std::move(headers), name + ": " + value);
    spdlog::debug("http header {}: {}", name, redact_header(name, value));
  }
  // Small PATCH bodies must not wait for a 100-continue round trip.
  return append(std::move(headers), "Expect:");
}

void apply_method(CURL* curl, const HttpRequest& request) {
  if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    return;
  }
  if (request.method != "GET") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (!request.body.empty() || request.method == "POST" || request.method == "PATCH" ||
      request.method == "PUT") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
  }
}

// A server on this machine (a port-forward, a test server) is reached faster uncompressed; over a
// network gzip (the only encoding the API server offers, and what kubectl asks for) saves far
// more than it costs.
bool is_loopback(const std::string& url) {
  const auto scheme_end = url.find("://");
  const std::string_view rest = std::string_view(url).substr(scheme_end == std::string::npos ? 0 : scheme_end + 3);
  return rest.starts_with("127.") || rest.starts_with("localhost:") || rest.starts_with("localhost/") ||
         rest == "localhost" || rest.starts_with("[::1]");
}

void apply_transport(CURL* curl, const HttpRequest& request, Transfer& transfer, char* errbuf) {
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM: we run threads
  curl_easy_setopt(curl, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, request.timeout_ms);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, std::min(request.timeout_ms, k_max_connect_ms));
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, is_loopback(request.url) ? nullptr : "gzip");
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
  if (request.keep_going) {
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  }
}

// "https://hooks.example.com/services/T0/B0/SECRET?x" → "https://hooks.example.com".
static std::string origin_only(const std::string& url) {
  const auto scheme = url.find("://");
  const auto start = scheme == std::string::npos ? 0 : scheme + 3;
  const auto end = url.find_first_of("/?#", start);
  std::string origin = url.substr(0, end);
  const auto at = origin.find('@', start);  // user:password@host
  if (at != std::string::npos) origin.erase(start, at + 1 - start);
  return origin;
}

util::Expected<HttpResponse> CurlClient::run(CURL* curl, const HttpRequest& request) const {
  Transfer transfer;
  transfer.limit = request.body_limit;
  transfer.curl = curl;
  transfer.request = &request;
  char errbuf[CURL_ERROR_SIZE] = {};
  apply_transport(curl, request, transfer, errbuf);
  apply_method(curl, request);
  apply_tls(curl);
  const SlistPtr connect_to = apply_server_name(curl, request.url);
  const SlistPtr headers = build_headers(request);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
  const std::string where =
      request.method + " " + (request.secret_url ? origin_only(request.url) : url_for_messages(request.url));
  spdlog::debug("http {}", where);
  const CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);  // errbuf dies with this frame
  if (transfer.too_large)
    return util::make_error("http.other", where + ": response body larger than 256 MiB");
  const bool head_kept = code == CURLE_WRITE_ERROR && transfer.response.body_cut && status > 0;
  const bool caller_stopped = transfer.stopped && (code == CURLE_WRITE_ERROR || code == CURLE_ABORTED_BY_CALLBACK);
  if (code != CURLE_OK && !head_kept && !caller_stopped) {
    std::string detail = errbuf[0] ? errbuf : curl_easy_strerror(code);
    const bool over_tls = request.url.rfind("https://", 0) == 0;
    const std::string error_code = error_code_for(code, status > 0, over_tls, detail);
    if (error_code == "http.tls" && (code == CURLE_SEND_ERROR || code == CURLE_RECV_ERROR) &&
        detail.find("SSL") == std::string::npos)
      detail = "connection closed after the TLS handshake (client certificate rejected?): " + detail;
    spdlog::debug("http {} failed: {}", where, detail);
    return util::make_error(error_code,
                            where + ": " + detail + " (curl error " + std::to_string(code) + ")");
  }
  transfer.response.status = static_cast<int>(status);
  if (transfer.limit.keep == BodyKeep::tail && transfer.limit.max_bytes > 0)
    keep_tail(transfer.response.body, transfer.limit.max_bytes, true);
  if (transfer.response.body_cut)
    spdlog::debug("http {}: body cut to its {} {} bytes", where,
                  transfer.limit.keep == BodyKeep::head ? "first" : "last", transfer.limit.max_bytes);
  spdlog::debug("http {} -> {} ({} bytes)", where, status, transfer.response.body.size());
  return std::move(transfer.response);
}

}  // namespace

std::unique_ptr<HttpClient> make_curl_client(const TlsConfig& tls) {
  return std::make_unique<CurlClient>(tls);
}

}  // namespace meshdoctor::probe
