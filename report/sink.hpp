#pragma once
// Report sinks: post a diagnosis to a chat or webhook endpoint (Slack incoming webhook, Microsoft
// Teams message card, or the JSON report) after a `check` (CronJob) or each `serve` run.
// --post-on change compares a fingerprint of (check ID, status, affected objects) with the last
// one posted, kept in a ConfigMap so that CronJob runs remember it; a cleared failure posts
// "resolved". The webhook URL is a secret: never logged, never rendered into a report or error.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "checks/finding.hpp"
#include "report/render.hpp"
#include "util/expected.hpp"

namespace meshdoctor::probe {
class KubeClient;
class HttpClient;
}  // namespace meshdoctor::probe

namespace meshdoctor::report {

enum class PostFormat { slack, teams, json };
enum class PostOn { always, fail, change };

struct PostOptions {
  std::string url;       // resolved: --post, else --post-url-file, else $MESHDOCTOR_POST_URL
  std::string url_file;  // --post-url-file (read by resolve_post_url)
  PostFormat format = PostFormat::json;
  PostOn on = PostOn::fail;
  std::string state_configmap;  // "NS/NAME" for --post-on change (empty: in memory only)
  bool required = false;        // --post-required: a failed post makes `check` exit 3
  long timeout_ms = 10000;
  int max_retries = 3;  // 429 (Retry-After honoured) and 5xx / connection errors
  bool enabled() const { return !url.empty(); }
};

// Fills opt.url from --post-url-file or $MESHDOCTOR_POST_URL when --post was not given.
// Errors name the file, never its content.
util::Status resolve_post_url(PostOptions& opt);

struct PostOutcome {
  bool posted = false;
  std::string kind;     // "report" | "resolved" when posted
  std::string skipped;  // why nothing was posted: "no failure", "unchanged since last post"
  int http_status = 0;
  int attempts = 0;
};

// Keeps the last fingerprint between runs (serve) and in the state ConfigMap (check and serve).
class ReportPoster {
 public:
  // client may be null: then --state-configmap cannot be used (the fingerprint stays in memory).
  ReportPoster(PostOptions options,
               std::unique_ptr<probe::HttpClient> http,
               probe::KubeClient* client);
  ~ReportPoster();
  // Decides (always/fail/change), renders the payload and posts it with retries. Errors are
  // code "post.*" with a message that names the endpoint's host only.
  util::Expected<PostOutcome> post(const checks::Diagnosis& d, const RenderOptions& opt);

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

// Pure parts, unit-tested on their own.
std::string fingerprint(const checks::Diagnosis& d);  // stable across runs with the same verdict
std::string slack_payload(const checks::Diagnosis& d, const std::string& kind);
std::string teams_payload(const checks::Diagnosis& d, const std::string& kind);

// ---- Helpers behind the interface above (pure; unit-tested) ----

// The verdict last posted: its fingerprint and the IDs that were failing in it.
struct PostState {
  std::string fingerprint;
  std::vector<std::string> failing;
};

struct PostDecision {
  bool post = false;
  std::string kind;     // "report" | "resolved"
  std::string skipped;  // why not, when !post
};

// always: post a report. fail: post only when a check fails (status fail; unknown-only and
// warn-only verdicts are not posted). change: nothing posted before, or a fingerprint other
// than the last posted one → "report", or "resolved" when the last one had failures and this one
// has none; the same fingerprint → skipped "unchanged since last post".
PostDecision decide_post(PostOn on,
                         const checks::Diagnosis& d,
                         const std::optional<PostState>& last);

// IDs of the findings with status fail, in catalogue order.
std::vector<std::string> failing_ids(const checks::Diagnosis& d);

// What a payload says besides the diagnosis.
struct PayloadContext {
  std::string kind = "report";                  // "report" | "resolved"
  std::vector<std::string> previously_failing;  // for "resolved": what cleared, when known
  RenderOptions render;                         // exit code of the summary line
};

std::string slack_payload(const checks::Diagnosis& d, const PayloadContext& ctx);
std::string teams_payload(const checks::Diagnosis& d, const PayloadContext& ctx);
// render_json plus "post": {"kind", "previouslyFailing"}.
std::string json_payload(const checks::Diagnosis& d, const PayloadContext& ctx);
std::string render_payload(PostFormat f, const checks::Diagnosis& d, const PayloadContext& ctx);

// "hooks.slack.com" or "127.0.0.1:8080": the endpoint's host (and explicit port), without user
// info, path or query, for every message about the endpoint. "" when the URL has no host.
std::string endpoint_host(const std::string& url);
// An http:// or https:// URL with a host.
bool valid_post_url(const std::string& url);

// Seconds of a Retry-After header ("3"; the HTTP-date form is not honoured) as ms, capped at 30 s.
std::optional<long> retry_after_ms(const std::string& value);

// The state ConfigMap: data keys "fingerprint", "failing" (comma-separated IDs), "postedAt",
// "kind". parse_state_configmap reads a ConfigMap object (nullopt without a fingerprint) and its
// resourceVersion; state_patch is the merge patch (with the resourceVersion as precondition when
// not empty); state_configmap the object to create.
std::optional<PostState> parse_state_configmap(const std::string& object_json,
                                               std::string* resource_version);
std::string state_patch(const PostState& s,
                        const std::string& kind,
                        const std::string& posted_at,
                        const std::string& resource_version);
std::string state_configmap(const std::string& ns,
                            const std::string& name,
                            const PostState& s,
                            const std::string& kind,
                            const std::string& posted_at);
// "NS/NAME" with a DNS-1123 namespace and name; false otherwise.
bool split_configmap_ref(const std::string& ref, std::string* ns, std::string* name);

}  // namespace meshdoctor::report
