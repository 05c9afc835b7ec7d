// Posting a report: the decision (--post-on), the payload, the POST with retries, the state.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>

#include "probe/http.hpp"
#include "report/sink.hpp"
#include "report/sink_state.hpp"
#include "util/time.hpp"

namespace meshdoctor::report {

namespace {

using Clock = std::chrono::steady_clock;

constexpr long k_base_backoff_ms = 500;
constexpr long k_max_backoff_ms = 4000;

bool retryable(int status) { return status == 429 || (status >= 500 && status <= 599); }

// A TLS failure is a configuration problem (CA, certificate): retrying cannot help.
bool retryable(const util::Error& e) { return e.code != "http.tls"; }

// Never the client's own message: it names the URL's path, which is the webhook's secret.
std::string transport_problem(const util::Error& e) {
  if (e.code == "http.connect") return "connection refused or host unreachable";
  if (e.code == "http.dns") return "host name not resolved";
  if (e.code == "http.tls") return "TLS error (certificate or handshake)";
  if (e.code == "http.timeout") return "timed out";
  if (e.code == "http.truncated") return "connection closed mid-answer";
  return "transport error";
}

// Slack answers errors with short codes ("invalid_payload", "no_service"); those help. Any other
// body is left out: an error page may echo the request's path.
std::string answer_hint(const std::string& body) {
  if (body.empty() || body.size() > 64) return "";
  const bool code = std::all_of(body.begin(), body.end(),
                                [](unsigned char c) { return std::islower(c) || c == '_'; });
  return code ? " (" + body + ")" : "";
}

std::string attempts_text(int n) { return std::to_string(n) + (n == 1 ? " attempt" : " attempts"); }

long ms_until(Clock::time_point when) {
  return static_cast<long>(
      std::chrono::duration_cast<std::chrono::milliseconds>(when - Clock::now()).count());
}

std::string now_rfc3339() {
  auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(since_epoch).count();
  return util::format_rfc3339(micros - micros % 1000000);
}

struct Sent {
  int status = 0;
  int attempts = 0;
};

}  // namespace

struct ReportPoster::Impl {
  PostOptions options;
  std::unique_ptr<probe::HttpClient> http;
  std::optional<sink::StateStore> store;
  std::optional<PostState> last;  // the verdict posted last by this process
  std::string host;
  std::mutex mutex;  // one post at a time: the state is read, compared and written as one

  std::optional<PostState> load_state();
  void save_state(const PostState& s, const std::string& kind);
  util::Expected<Sent> send(const std::string& body);
  // "post to hooks.slack.com failed: 500 after 4 attempts": the host, never the path.
  util::Error failure(const std::string& code,
                      const std::string& what,
                      int attempts,
                      const std::string& why_stopped = "") const {
    return util::make_error(code, "post to " + host + " failed: " + what + " after " +
                                      attempts_text(attempts) + why_stopped);
  }
};

ReportPoster::ReportPoster(PostOptions options,
                           std::unique_ptr<probe::HttpClient> http,
                           probe::KubeClient* client)
    : m_impl(std::make_unique<Impl>()) {
  m_impl->options = std::move(options);
  m_impl->http = http ? std::move(http) : probe::make_curl_client(probe::TlsConfig{});
  m_impl->host = endpoint_host(m_impl->options.url);
  const std::string& ref = m_impl->options.state_configmap;
  if (ref.empty() || m_impl->options.on != PostOn::change) return;
  std::string ns, name;
  if (client == nullptr) {
    spdlog::warn(
        "--state-configmap {}: no cluster access; the last post is remembered in memory only", ref);
  } else if (!split_configmap_ref(ref, &ns, &name)) {
    spdlog::warn(
        "--state-configmap {}: expected NAMESPACE/NAME; the last post is remembered in memory only",
        ref);
  } else {
    m_impl->store.emplace(*client, ns, name);
  }
}

ReportPoster::~ReportPoster() = default;

util::Expected<PostOutcome> ReportPoster::post(const checks::Diagnosis& d,
                                               const RenderOptions& opt) {
  Impl& impl = *m_impl;
  std::lock_guard<std::mutex> lock(impl.mutex);
  PostOutcome outcome;
  const auto last = impl.load_state();
  const PostDecision decision = decide_post(impl.options.on, d, last);
  if (!decision.post) {
    spdlog::info("report not posted: {}", decision.skipped);
    outcome.skipped = decision.skipped;
    return outcome;
  }
  PayloadContext ctx;
  ctx.kind = decision.kind;
  if (last) ctx.previously_failing = last->failing;
  ctx.render = opt;
  auto sent = impl.send(render_payload(impl.options.format, d, ctx));
  if (!sent) return sent.error();
  spdlog::info("posted to {}: {} ({})", impl.host, decision.kind, attempts_text(sent->attempts));
  // Only a delivered post moves the state: a failed one is retried by the next run.
  impl.save_state(PostState{fingerprint(d), failing_ids(d)}, decision.kind);
  outcome.posted = true;
  outcome.kind = decision.kind;
  outcome.http_status = sent->status;
  outcome.attempts = sent->attempts;
  return outcome;
}

// The ConfigMap is the shared memory of CronJob runs and daemon replicas; this process's own
// memory stands in when it cannot be read.
std::optional<PostState> ReportPoster::Impl::load_state() {
  if (!store) return last;
  auto stored = store->load();
  if (stored) return *stored;
  spdlog::warn("cannot read the post state ConfigMap {}: {}; using the state in memory",
               store->ref(), stored.error().message);
  return last;
}

void ReportPoster::Impl::save_state(const PostState& s, const std::string& kind) {
  last = s;
  if (!store) return;
  if (auto saved = store->store(s, kind, now_rfc3339()); !saved) {
    spdlog::warn("cannot write the post state ConfigMap {}: {}; the state is kept in memory only",
                 store->ref(), saved.error().message);
  }
}

// Retries 429 (after Retry-After, capped at 30 s), 5xx and transport errors with exponential
// backoff; no attempt starts, and no wait crosses, options.timeout_ms from the first attempt.
util::Expected<Sent> ReportPoster::Impl::send(const std::string& body) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(options.timeout_ms);
  probe::HttpRequest request;
  request.method = "POST";
  request.url = options.url;
  request.secret_url = true;
  request.headers = {{"Content-Type", "application/json"}};
  request.body = body;
  for (int attempt = 1;; ++attempt) {
    request.timeout_ms = std::max(1L, std::min(options.timeout_ms, ms_until(deadline)));
    std::optional<util::Expected<probe::HttpResponse>> answer;
    {
      answer.emplace(http->perform(request));
    }
    const auto& r = *answer;
    if (r && r->status >= 200 && r->status < 300) return Sent{r->status, attempt};
    std::string what =
        r ? std::to_string(r->status) + answer_hint(r->body) : transport_problem(r.error());
    const bool again = r ? retryable(r->status) : retryable(r.error());
    if (!again) return failure(r ? "post.http" : "post.connect", what, attempt);
    if (attempt > options.max_retries)
      return failure(r ? "post.http" : "post.connect", what, attempt);
    long delay = std::min(k_base_backoff_ms << std::min(attempt - 1, 8), k_max_backoff_ms);
    if (r) {
      auto header = r->headers.find("retry-after");
      if (header != r->headers.end()) delay = retry_after_ms(header->second).value_or(delay);
    }
    if (delay >= ms_until(deadline)) {
      return failure("post.timeout", what, attempt,
                     " (the next retry would pass the " + std::to_string(options.timeout_ms) +
                         " ms post timeout)");
    }
    spdlog::info("post to {}: {}; retrying in {} ms", host, what, delay);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
  }
}

}  // namespace meshdoctor::report
