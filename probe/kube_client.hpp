#pragma once
// Kubernetes REST client over HttpClient: paginated lists (limit/continue, restart on 410),
// bounded retries with backoff and jitter honouring Retry-After (429, 5xx, connection errors),
// per-request and overall deadlines, bearer/exec/client-certificate auth. Discovery-free: the
// resources meshdoctor reads are known. Thread-safe; independent requests may run in parallel.
#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "probe/http.hpp"
#include "probe/kube_config.hpp"
#include "probe/object_filter.hpp"
#include "util/expected.hpp"

namespace meshdoctor::probe {

struct KubeClientOptions {
  long request_timeout_ms = 15000;
  long overall_timeout_ms = 120000;  // --timeout: no request starts or retries after this
  int max_retries = 4;
  int page_size = 500;
  long max_backoff_ms = 8000;
};

struct ListQuery {
  std::string label_selector;
  std::string field_selector;
};

// Error codes: kube.unauthorized (401), kube.forbidden (403; message names verb and resource,
// e.g. "list pods in namespace bookinfo"), kube.not_found (404), kube.gone (410 after restarts),
// kube.throttled (429 past retries/deadline), kube.server (5xx past retries), kube.decode
// (invalid or truncated JSON: never an empty list), kube.deadline, kube.bad_request (any other
// non-2xx status), plus http.* from HttpClient and kubeconfig.exec when the exec plugin fails.
class KubeClient {
 public:
  KubeClient(KubeAuth auth, std::unique_ptr<HttpClient> http, KubeClientOptions options);
  ~KubeClient();

  // GET a collection path such as "/api/v1/namespaces/bookinfo/pods" or
  // "/apis/sailoperator.io/v1/istiocnis", page by page; on_item is called once per item with
  // apiVersion and kind filled in (list items lack them). Restarts the list once on 410: items
  // of the pages already read are then delivered again, so callers dedupe (extract does, by
  // kind/namespace/name/uid).
  util::Status list(const std::string& path,
                    const ListQuery& query,
                    const std::function<void(const nlohmann::json& item)>& on_item);

  // The same list for readers that keep only some fields of each item: `filter` picks, by the
  // item's apiVersion and kind, what is kept (probe/object_filter.hpp). Pages are parsed without
  // a DOM and the next page is fetched while the current one's items are read; requests, errors
  // and the 410 restart are list()'s.
  using ItemFilter = const FieldFilter& (*)(std::string_view api_version, std::string_view kind);
  // `resource_version`, when given, receives the list's metadata.resourceVersion (of its first
  // page: where a watch of it starts).
  util::Status list_filtered(const std::string& path,
                             const ListQuery& query,
                             ItemFilter filter,
                             const std::function<void(const nlohmann::json& item)>& on_item,
                             std::string* resource_version = nullptr);

  // A watch of a collection from resource_version, as one streamed request:
  // GET path?watch=1&resourceVersion=RV&allowWatchBookmarks=true&timeoutSeconds=T. on_event gets
  // each event's type (ADDED, MODIFIED, DELETED, BOOKMARK) and object as they arrive; returning
  // false ends the watch, as does keep_going returning false (asked about once a second). ok when
  // the server ended the stream (its timeoutSeconds) or the caller did; kube.gone when the
  // resourceVersion is too old (HTTP 410, or an ERROR event with code 410): the caller lists
  // again; kube.decode for a line that is not an event; other errors as get(). The request is
  // retried like a get before the stream starts, never after.
  using WatchHandler = std::function<bool(const std::string& type, nlohmann::json& object)>;
  util::Status watch(const std::string& path,
                     const ListQuery& query,
                     const std::string& resource_version,
                     long timeout_seconds,
                     const WatchHandler& on_event,
                     const std::function<bool()>& keep_going);

  // GET one object; kube.not_found when absent.
  util::Expected<std::string> get(const std::string& path);

  // GET raw text: pod logs ("/api/v1/namespaces/ns/pods/p/log?container=c&limitBytes=N"),
  // pod proxy ("/api/v1/namespaces/ns/pods/p:15021/proxy/healthz/ready"). For proxy paths a
  // non-2xx answer with a body is returned as a response, not an error. `limit` bounds what is
  // kept of a large body (HttpResponse::body_cut says when it cut).
  util::Expected<HttpResponse> get_raw(const std::string& path_and_query, BodyLimit limit = {});

  // Writes (PATCH/POST) for playbooks; never retried blindly (only on connection refused before
  // any byte was sent).
  util::Expected<HttpResponse> send(const std::string& method,
                                    const std::string& path,
                                    const std::string& content_type,
                                    const std::string& body);

  const KubeAuth& auth() const { return m_auth; }
  int request_count() const { return m_requests.load(); }

 private:
  struct Impl;
  KubeAuth m_auth;
  std::unique_ptr<HttpClient> m_http;
  KubeClientOptions m_options;
  std::atomic<int> m_requests{0};
  std::unique_ptr<Impl> m_impl;
};

}  // namespace meshdoctor::probe
