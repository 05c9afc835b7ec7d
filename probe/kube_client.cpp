// KubeClient: every request goes through exchange(), which owns the retry, deadline and
// re-authentication rules; list/get/get_raw/send only decide how a final status becomes an error.
#include "probe/kube_client.hpp"

#include <spdlog/spdlog.h>

#include <cctype>
#include <chrono>
#include <fstream>
#include <future>
#include <optional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <thread>

#include "probe/list_page.hpp"
#include "util/version.hpp"

namespace meshdoctor::probe {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr long k_base_backoff_ms = 250;
// An exec credential is renewed a little before it expires so no request carries a dead token.
constexpr auto k_expiry_margin = std::chrono::seconds(30);

// Reads retry throttling, server errors and dropped connections; a proxied backend's 5xx is its
// answer (ztunnel not ready), not a fault to retry; writes retry only refused connections.
enum class RetryPolicy { read, proxy_read, write };

struct Call {
  Call(std::string m, std::string p, RetryPolicy r = RetryPolicy::read)
      : method(std::move(m)), path(std::move(p)), retry(r) {}
  std::string method;
  std::string path;  // path and query, relative to the server
  RetryPolicy retry = RetryPolicy::read;
  std::string content_type;
  std::string body;
  BodyLimit body_limit;  // get_raw: how much of a large answer is kept
  long timeout_ms = 0;   // a longer bound than --request-timeout (a watch); 0: the usual one
  std::function<bool(std::string_view)> on_chunk;  // a streamed 2xx body (a watch)
  std::function<bool()> keep_going;
  int attempts = 0;  // set by exchange(), for messages
};

std::string path_only(const std::string& path) { return path.substr(0, path.find('?')); }

std::string url_encode(const std::string& text) {
  static const char* k_hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', k_hex[c >> 4], k_hex[c & 15]};
    }
  }
  return out;
}

std::string base64_encode(const std::string& data) {
  static const char* k_alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (unsigned char c : data) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 6) out.push_back(k_alphabet[(buffer >> (bits -= 6)) & 63]);
  }
  if (bits > 0) out.push_back(k_alphabet[(buffer << (6 - bits)) & 63]);
  while (out.size() % 4 != 0) out.push_back('=');
  return out;
}

bool is_proxy_path(const std::string& path) {
  const std::string p = path_only(path);
  return p.find("/proxy/") != std::string::npos || p.ends_with("/proxy");
}

}  // namespace

namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::stringstream in(path_only(path));
  for (std::string part; std::getline(in, part, '/');) {
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

std::string verb_for(const std::string& method, bool named) {
  if (method == "GET") return named ? "get" : "list";
  if (method == "POST") return "create";
  if (method == "PATCH") return "patch";
  if (method == "PUT") return "update";
  if (method == "DELETE") return "delete";
  return method;
}

// The RBAC view of a request, as `oc auth can-i` would phrase it: "list pods in namespace
// bookinfo", "get pods/log in namespace istio-cni", "list istiocnis.sailoperator.io at cluster
// scope". 403 messages name it so the user knows which permission is missing.
std::string rbac_phrase(const std::string& method, const std::string& path) {
  std::vector<std::string> parts = split_path(path);
  std::size_t prefix = 0;
  std::string group;
  if (!parts.empty() && parts[0] == "api") prefix = 2;
  if (parts.size() > 1 && parts[0] == "apis") {
    prefix = 3;
    group = parts[1];
  }
  if (prefix == 0 || parts.size() <= prefix) return verb_for(method, true) + " " + path_only(path);
  std::vector<std::string> rest(parts.begin() + static_cast<long>(prefix), parts.end());
  std::string ns;
  if (rest.size() >= 3 && rest[0] == "namespaces") {
    ns = rest[1];
    rest.erase(rest.begin(), rest.begin() + 2);
  }
  std::string resource = rest[0] + (group.empty() ? "" : "." + group);
  if (rest.size() >= 3) resource += "/" + rest[2];
  const std::string scope = ns.empty() ? " at cluster scope" : " in namespace " + ns;
  return verb_for(method, rest.size() >= 2) + " " + resource + scope;
}

// The API server's Status message, or a short excerpt of a non-JSON body.
std::string server_message(const std::string& body) {
  const json doc = json::parse(body, nullptr, false);
  if (doc.is_object() && doc.contains("message") && doc["message"].is_string())
    return doc["message"].get<std::string>();
  std::string excerpt = body.substr(0, 200);
  for (char& c : excerpt) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return excerpt;
}

util::Error status_error(const Call& call, const HttpResponse& response) {
  const std::string where = call.method + " " + path_only(call.path);
  const std::string message = server_message(response.body);
  const std::string detail = message.empty() ? "" : ": " + message;
  const int status = response.status;
  if (status == 401)
    return util::make_error("kube.unauthorized", where + ": 401 Unauthorized" + detail +
                                                     "; log in again (oc login) or check the token");
  if (status == 403)
    return util::make_error("kube.forbidden",
                            "forbidden: cannot " + rbac_phrase(call.method, call.path) + detail);
  if (status == 404) return util::make_error("kube.not_found", where + ": not found" + detail);
  if (status == 410) return util::make_error("kube.gone", where + ": 410 Gone" + detail);
  const std::string tries = " after " + std::to_string(call.attempts) + " attempt(s)";
  if (status == 429)
    return util::make_error("kube.throttled", where + ": 429 Too Many Requests" + tries + detail);
  if (status >= 500)
    return util::make_error("kube.server",
                            where + ": server error " + std::to_string(status) + tries + detail);
  return util::make_error("kube.bad_request",
                          where + ": unexpected status " + std::to_string(status) + detail);
}

bool is_success(int status) { return status >= 200 && status < 300; }

}  // namespace

struct KubeClient::Impl {
  Clock::time_point deadline;
  std::string basic_auth;  // precomputed "Basic ..." header value, or empty
  std::mutex mutex;        // guards the fields below
  std::string bearer;
  bool exec_loaded = false;
  std::optional<Clock::time_point> exec_renew_at;
  std::shared_ptr<HttpClient> exec_http;  // set when the exec plugin hands out a client cert
  std::mt19937_64 rng{std::random_device{}()};

  util::Expected<HttpResponse> exchange(KubeClient& self, Call& call);
  util::Expected<HttpResponse> send_once(KubeClient& self, const Call& call);
  util::Status ensure_credentials(KubeClient& self, bool force);
  bool refresh_after_unauthorized(KubeClient& self);
  std::optional<long> retry_delay_ms(const KubeClient& self,
                                     const util::Expected<HttpResponse>& result,
                                     const Call& call,
                                     int attempt);
  long jitter_ms(long cap);
};

namespace {

bool retryable(const util::Expected<HttpResponse>& result, RetryPolicy policy) {
  if (!result) {
    const std::string& code = result.error().code;
    return code == "http.connect" || (policy != RetryPolicy::write && code == "http.timeout");
  }
  const int status = result->status;
  if (policy == RetryPolicy::write) return false;
  if (status == 429) return true;
  const bool server_error = status == 500 || status == 502 || status == 503 || status == 504;
  return server_error && policy == RetryPolicy::read;
}

std::optional<long> retry_after_ms(const util::Expected<HttpResponse>& result) {
  if (!result) return std::nullopt;
  const auto it = result->headers.find("retry-after");
  if (it == result->headers.end()) return std::nullopt;
  char* end = nullptr;
  const long seconds = std::strtol(it->second.c_str(), &end, 10);
  // The HTTP-date form is not used by the API server; it falls back to our own backoff.
  if (end == it->second.c_str() || seconds < 0) return std::nullopt;
  return seconds * 1000;
}

util::Error deadline_error(const Call& call) {
  return util::make_error("kube.deadline", call.method + " " + path_only(call.path) +
                                               ": overall timeout (--timeout) reached");
}

long ms_until(Clock::time_point when) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(when - Clock::now()).count();
}

}  // namespace

long KubeClient::Impl::jitter_ms(long cap) {
  std::lock_guard<std::mutex> lock(mutex);
  return std::uniform_int_distribution<long>(0, std::max(cap, 0L))(rng);
}

// Full jitter (a random wait up to the exponential step) keeps parallel collectors from retrying
// in lockstep; Retry-After from the server wins. nullopt: the wait would cross the deadline.
std::optional<long> KubeClient::Impl::retry_delay_ms(const KubeClient& self,
                                                     const util::Expected<HttpResponse>& result,
                                                     const Call& call,
                                                     int attempt) {
  if (attempt >= self.m_options.max_retries || !retryable(result, call.retry)) return std::nullopt;
  const long step = k_base_backoff_ms << std::min(attempt, 20);
  const long delay = retry_after_ms(result).value_or(
      jitter_ms(std::min(step, self.m_options.max_backoff_ms)));
  if (delay >= ms_until(deadline)) {
    spdlog::debug("kube {} {}: no retry, the overall deadline is near", call.method,
                  path_only(call.path));
    return std::nullopt;
  }
  return delay;
}

// Past the overall deadline the answer is the last failure seen (kube.throttled, kube.server,
// http.connect...), or kube.deadline when there was none; a request the deadline itself cut
// short is not that failure.
util::Expected<HttpResponse> KubeClient::Impl::exchange(KubeClient& self, Call& call) {
  std::optional<util::Expected<HttpResponse>> previous;
  bool reauthenticated = false;
  for (int attempt = 0;;) {
    const long left_ms = ms_until(deadline);
    if (left_ms <= 0) return previous ? *previous : deadline_error(call);
    if (auto status = ensure_credentials(self, false); !status) return status.error();
    auto result = send_once(self, call);
    call.attempts = attempt + 1;
    const bool cut = left_ms < self.m_options.request_timeout_ms;
    if (!result && result.error().code == "http.timeout" && cut)
      return previous ? *previous : deadline_error(call);
    if (result && result->status == 401 && !reauthenticated && refresh_after_unauthorized(self)) {
      reauthenticated = true;  // one fresh credential per request; a second 401 is final
      continue;
    }
    const auto delay = retry_delay_ms(self, result, call, attempt);
    if (!delay) return result;
    spdlog::debug("kube {} {}: retry {} in {} ms", call.method, path_only(call.path), attempt + 1,
                  *delay);
    std::this_thread::sleep_for(std::chrono::milliseconds(*delay));
    previous = std::move(result);
    ++attempt;
  }
}

util::Expected<HttpResponse> KubeClient::Impl::send_once(KubeClient& self, const Call& call) {
  HttpRequest request;
  request.method = call.method;
  request.url = self.m_auth.server + call.path;
  const long bound = call.timeout_ms > 0 ? call.timeout_ms : self.m_options.request_timeout_ms;
  request.timeout_ms = std::max(1L, std::min(bound, ms_until(deadline)));
  request.on_chunk = call.on_chunk;
  request.keep_going = call.keep_going;
  request.headers = {{"Accept", "application/json"},
                     {"User-Agent", std::string("meshdoctor/") + util::k_version}};
  if (!call.content_type.empty()) request.headers.emplace_back("Content-Type", call.content_type);
  request.body = call.body;
  request.body_limit = call.body_limit;
  std::shared_ptr<HttpClient> transport;
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (!bearer.empty()) request.headers.emplace_back("Authorization", "Bearer " + bearer);
    transport = exec_http;
  }
  if (!basic_auth.empty() && self.m_auth.token.empty() && !self.m_auth.exec)
    request.headers.emplace_back("Authorization", basic_auth);
  ++self.m_requests;
  auto result = (transport ? *transport : *self.m_http).perform(request);
  if (result)
    spdlog::debug("kube {} {} -> {}", call.method, path_only(call.path), result->status);
  return result;
}

util::Status KubeClient::Impl::ensure_credentials(KubeClient& self, bool force) {
  if (!self.m_auth.exec) return util::ok();
  std::lock_guard<std::mutex> lock(mutex);  // one plugin run at a time; others wait for its token
  const bool fresh = exec_loaded && (!exec_renew_at || Clock::now() < *exec_renew_at);
  if (fresh && !force) return util::ok();
  auto result = run_exec_plugin_with_expiry(self.m_auth);
  if (!result) return result.error();
  bearer = result->auth.token;
  const TlsConfig& tls = result->auth.tls;
  if (tls.client_cert_data != self.m_auth.tls.client_cert_data) exec_http = make_curl_client(tls);
  exec_loaded = true;
  exec_renew_at.reset();
  if (result->expires_at) {
    const auto now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    exec_renew_at = Clock::now() + std::chrono::microseconds(*result->expires_at - now_us) -
                    k_expiry_margin;
  }
  spdlog::debug("kube: exec plugin {} gave a credential", self.m_auth.exec->command);
  return util::ok();
}

// A 401 may only mean the credential rotated: service-account tokens are re-read from their
// file, exec plugins run again. Returns false when nothing could have changed.
bool KubeClient::Impl::refresh_after_unauthorized(KubeClient& self) {
  if (self.m_auth.exec) {
    auto status = ensure_credentials(self, true);
    if (!status) spdlog::debug("kube: exec plugin re-run failed: {}", status.error().message);
    return status.has_value();
  }
  if (self.m_auth.token_file.empty()) return false;
  std::ifstream in(self.m_auth.token_file);
  std::string token;
  if (!in || !std::getline(in, token)) return false;
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) token.pop_back();
  std::lock_guard<std::mutex> lock(mutex);
  bearer = token;
  return true;
}

KubeClient::KubeClient(KubeAuth auth, std::unique_ptr<HttpClient> http, KubeClientOptions options)
    : m_auth(std::move(auth)),
      m_http(std::move(http)),
      m_options(options),
      m_impl(std::make_unique<Impl>()) {
  // A non-positive --timeout means no overall deadline; a century is close enough.
  const long overall = m_options.overall_timeout_ms > 0 ? m_options.overall_timeout_ms
                                                        : 100L * 365 * 24 * 3600 * 1000;
  m_impl->deadline = Clock::now() + std::chrono::milliseconds(overall);
  m_impl->bearer = m_auth.token;
  if (!m_auth.username.empty() || !m_auth.password.empty())
    m_impl->basic_auth = "Basic " + base64_encode(m_auth.username + ":" + m_auth.password);
}

KubeClient::~KubeClient() = default;

namespace {

// PATH?PARAMS&labelSelector=...&fieldSelector=... (the selectors of `query`, when set).
std::string with_selectors(const std::string& path, const std::string& params, const ListQuery& query) {
  std::string out = path + (path.find('?') == std::string::npos ? "?" : "&") + params;
  if (!query.label_selector.empty()) out += "&labelSelector=" + url_encode(query.label_selector);
  if (!query.field_selector.empty()) out += "&fieldSelector=" + url_encode(query.field_selector);
  return out;
}

std::string page_query(const std::string& path,
                       const ListQuery& query,
                       int page_size,
                       const std::string& continue_token) {
  std::string params = "limit=" + std::to_string(page_size);
  if (!continue_token.empty()) params += "&continue=" + url_encode(continue_token);
  return with_selectors(path, params, query);
}

// One page: items go to on_item with apiVersion/kind filled in; the continue token comes back.
util::Expected<std::string> deliver_page(const std::string& path,
                                         const std::string& body,
                                         const std::function<void(const json&)>& on_item) {
  json page = json::parse(body, nullptr, false);
  const bool items_ok = page.is_object() && page.contains("items") &&
                        (page["items"].is_array() || page["items"].is_null());
  if (page.is_discarded() || !items_ok)
    return util::make_error("kube.decode", "GET " + path_only(path) + ": response is not a valid "
                                           "list (" + std::to_string(body.size()) + " bytes)");
  std::string kind = page.value("kind", "");
  if (kind.ends_with("List")) kind.resize(kind.size() - 4);
  const json api_version = page.value("apiVersion", json());
  for (json& item : page["items"]) {
    if (!item.is_object()) continue;
    if (!item.contains("apiVersion") && !api_version.is_null()) item["apiVersion"] = api_version;
    if (!item.contains("kind") && !kind.empty()) item["kind"] = kind;
    on_item(item);
  }
  const json& metadata = page.value("metadata", json::object());
  return metadata.is_object() ? metadata.value("continue", std::string()) : std::string();
}

}  // namespace

// A 410 means the continue token expired (etcd compacted) mid-list; the list starts over once, so
// items of the earlier pages are delivered again and the caller dedupes (extract does, by
// kind/namespace/name/uid).
util::Status KubeClient::list(const std::string& path,
                              const ListQuery& query,
                              const std::function<void(const nlohmann::json& item)>& on_item) {
  std::string continue_token;
  bool restarted = false;
  while (true) {
    Call call("GET", page_query(path, query, m_options.page_size, continue_token));
    auto result = m_impl->exchange(*this, call);
    if (!result) return result.error();
    if (result->status == 410 && !continue_token.empty() && !restarted) {
      spdlog::debug("kube list {}: continue token expired, restarting the list", path_only(path));
      restarted = true;
      continue_token.clear();
      continue;
    }
    if (!is_success(result->status)) return status_error(call, *result);
    auto next = deliver_page(path, result->body, on_item);
    if (!next) return next.error();
    if (next->empty()) return util::ok();
    continue_token = std::move(*next);
  }
}

// As list(), but each page is read by ListPage (no DOM of the page, items reduced to what
// `filter` keeps) and the next page is requested as soon as this one's continue token is known,
// so the server produces page N+1 while page N's items are read. The outcome is list()'s: the
// same requests in the same order, kube.decode before any later page is asked for.
util::Status KubeClient::list_filtered(const std::string& path,
                                       const ListQuery& query,
                                       ItemFilter filter,
                                       const std::function<void(const nlohmann::json& item)>& on_item,
                                       std::string* resource_version) {
  using Answer = std::pair<Call, util::Expected<HttpResponse>>;
  auto fetch = [this, &path, &query](const std::string& token) {
    Call call("GET", page_query(path, query, m_options.page_size, token));
    auto result = m_impl->exchange(*this, call);
    return Answer{std::move(call), std::move(result)};
  };
  ListPage page;
  std::string continue_token;
  bool restarted = false;
  std::future<Answer> prefetched;
  while (true) {
    Answer answer = prefetched.valid() ? prefetched.get() : fetch(continue_token);
    auto& [call, result] = answer;
    if (!result) return result.error();
    if (result->status == 410 && !continue_token.empty() && !restarted) {
      spdlog::debug("kube list {}: continue token expired, restarting the list", path_only(path));
      restarted = true;
      continue_token.clear();
      continue;
    }
    if (!is_success(result->status)) return status_error(call, *result);
    auto next = page.parse(path_only(path), result->body);
    result->body = std::string();  // the page is indexed: its text is not needed any more
    if (!next) return next.error();
    if (resource_version && continue_token.empty()) *resource_version = page.resource_version();
    continue_token = std::move(*next);
    if (!continue_token.empty())
      prefetched = std::async(std::launch::async, fetch, continue_token);
    page.deliver(filter, on_item);
    if (continue_token.empty()) return util::ok();
  }
}

namespace {

std::string watch_query(const std::string& path, const ListQuery& query, const std::string& resource_version,
                        long timeout_seconds) {
  std::string params = "watch=1&allowWatchBookmarks=true&timeoutSeconds=" + std::to_string(timeout_seconds);
  if (!resource_version.empty()) params += "&resourceVersion=" + url_encode(resource_version);
  return with_selectors(path, params, query);
}

// The event lines of a watch stream, which arrive in chunks cut anywhere.
class EventLines {
 public:
  EventLines(const std::string& where, const KubeClient::WatchHandler& on_event)
      : m_where(where), m_on_event(on_event) {}

  void restart() { m_pending.clear(); }

  bool feed(std::string_view chunk) {
    m_pending.append(chunk);
    std::size_t start = 0;
    for (auto nl = m_pending.find('\n'); nl != std::string::npos; nl = m_pending.find('\n', start)) {
      const bool go_on = line(std::string_view(m_pending).substr(start, nl - start));
      start = nl + 1;
      if (!go_on) return false;
    }
    m_pending.erase(0, start);
    // No event is anywhere near this long: a stream that never ends its line is not a watch.
    if (m_pending.size() > (std::size_t{64} << 20)) return fail("kube.decode", "an event line longer than 64 MiB");
    return true;
  }

  // A stream that ends inside a line lost that event: the caller must not trust what follows.
  util::Status finish(bool stopped_by_caller) {
    if (m_failure) return *m_failure;
    if (!stopped_by_caller && !m_stopped && m_pending.find_first_not_of(" \r\t") != std::string::npos)
      return util::make_error("kube.decode", m_where + ": the watch stream ended inside an event");
    return util::ok();
  }

 private:
  bool line(std::string_view text) {
    if (text.find_first_not_of(" \r\t") == std::string_view::npos) return true;
    json event = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!event.is_object() || !event.contains("type") || !event["type"].is_string() || !event.contains("object") ||
        !event["object"].is_object())
      return fail("kube.decode", "a watch line that is not an event (" + std::to_string(text.size()) + " bytes)");
    const std::string type = event["type"].get<std::string>();
    json& object = event["object"];
    if (type == "ERROR") {
      const int code = object.value("code", 0);
      const std::string message = object.value("message", std::string());
      if (code == 410) return fail("kube.gone", "resourceVersion expired: " + message);
      return fail("kube.server", "watch error " + std::to_string(code) + ": " + message);
    }
    if (m_on_event(type, object)) return true;
    m_stopped = true;
    return false;
  }

  bool fail(const char* code, const std::string& message) {
    m_failure = util::make_error(code, m_where + ": " + message);
    return false;
  }

  std::string m_where;
  const KubeClient::WatchHandler& m_on_event;
  std::string m_pending;
  std::optional<util::Error> m_failure;
  bool m_stopped = false;  // the handler ended the watch
};

}  // namespace

util::Status KubeClient::watch(const std::string& path,
                               const ListQuery& query,
                               const std::string& resource_version,
                               long timeout_seconds,
                               const WatchHandler& on_event,
                               const std::function<bool()>& keep_going) {
  Call call("GET", watch_query(path, query, resource_version, timeout_seconds));
  // The server ends the stream after timeoutSeconds; a minute more is a stream that hung.
  call.timeout_ms = (timeout_seconds + 60) * 1000;
  EventLines lines("watch " + path_only(path), on_event);
  // A retried request (a timeout) streams again from the start: a line cut by the failed attempt
  // is dropped; the events it repeats are applied again, which changes nothing.
  int attempt_seen = 0;
  call.on_chunk = [&lines, &call, &attempt_seen](std::string_view chunk) {
    if (call.attempts != attempt_seen) lines.restart();
    attempt_seen = call.attempts;
    return lines.feed(chunk);
  };
  call.keep_going = keep_going;
  auto result = m_impl->exchange(*this, call);
  if (!result) return result.error();
  if (result->status == 410) return util::make_error("kube.gone", "watch " + path_only(path) + ": resourceVersion expired");
  if (!is_success(result->status)) return status_error(call, *result);
  return lines.finish(keep_going && !keep_going());
}

util::Expected<std::string> KubeClient::get(const std::string& path) {
  Call call("GET", path);
  auto result = m_impl->exchange(*this, call);
  if (!result) return result.error();
  if (!is_success(result->status)) return status_error(call, *result);
  return std::move(result->body);
}

util::Expected<HttpResponse> KubeClient::get_raw(const std::string& path_and_query, BodyLimit limit) {
  const bool proxy = is_proxy_path(path_and_query);
  Call call("GET", path_and_query, proxy ? RetryPolicy::proxy_read : RetryPolicy::read);
  call.body_limit = limit;
  auto result = m_impl->exchange(*this, call);
  if (!result) return result;
  const int status = result->status;
  // Through the pod proxy a non-2xx body is the backend's answer (ztunnel "not ready"); 401 and
  // 403 are always the API server's own verdict on our credentials.
  const bool backend_answer = proxy && !result->body.empty() && status != 401 && status != 403;
  if (is_success(status) || backend_answer) return result;
  return status_error(call, *result);
}

util::Expected<HttpResponse> KubeClient::send(const std::string& method,
                                              const std::string& path,
                                              const std::string& content_type,
                                              const std::string& body) {
  Call call(method, path, RetryPolicy::write);
  call.content_type = content_type;
  call.body = body;
  auto result = m_impl->exchange(*this, call);
  if (!result) return result;
  // A conflict is an answer the playbook handles (re-read and re-apply), not a failure.
  if (is_success(result->status) || result->status == 409) return result;
  return status_error(call, *result);
}

}  // namespace meshdoctor::probe
