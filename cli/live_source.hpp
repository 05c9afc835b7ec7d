#pragma once
// Opening a live cluster for check and collect: the shared flags, the kube client, the live
// collector, then Prometheus and the node-local socket probe. Errors come back as the one-line
// message that `could_not_run` prints (exit 3).
#include <functional>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "probe/facts.hpp"
#include "report/render.hpp"
#include "probe/kube_client.hpp"
#include "probe/live_collector.hpp"
#include "util/expected.hpp"

namespace CLI {
class App;
}

namespace meshdoctor::cli {

// --kubeconfig, --context, --timeout, --request-timeout and the Prometheus flags.
void add_cluster_flags(CLI::App& cmd, LiveAccessOptions& opt);
// The same with a repeatable --context (check: a fleet): every value in `contexts`, the first
// one also in opt.context.
void add_cluster_flags(CLI::App& cmd, LiveAccessOptions& opt, std::vector<std::string>& contexts);
// --node-local, --socket PATH (check only: a bundle has no node).
void add_node_flags(CLI::App& cmd, LiveAccessOptions& opt);
// -o,--output text|json|markdown|html (default text).
void add_format_option(CLI::App& cmd, report::Format& format);
// --off-mesh-namespaces LIST (comma-separated, repeatable): sets given and appends the names.
void add_off_mesh_flag(CLI::App& cmd, std::vector<std::string>& names, bool& given, const std::string& help);
// Parses "120s", "2m", "1h30m", "500ms", "90" (seconds) into milliseconds.
util::Expected<long> parse_duration_ms(const std::string& text);

// Progress on stderr while reading: a one-line TTY printer, or none (clusters read in parallel).
enum class Progress { tty, none };

struct LiveRun {
  probe::ObjectSink* sink = nullptr;
  std::vector<std::string> off_mesh_namespaces;  // empty: the collector's default
  Progress progress = Progress::tty;
  probe::WatchCache* cache = nullptr;  // serve --watch
};

// Reads the cluster into Facts. Error messages name the server and, for 401, how to log in.
util::Expected<probe::Facts> open_live(const LiveAccessOptions& opt, const LiveRun& run);

// The same, keeping the authenticated client for the playbook's lookups and writes.
struct LiveSession {
  probe::KubeAuth auth;
  std::unique_ptr<probe::KubeClient> client;
  probe::Facts facts;
};
util::Expected<LiveSession> open_live_session(const LiveAccessOptions& opt, const LiveRun& run);

// A client for the cluster of the kubeconfig, without reading anything yet.
util::Expected<LiveSession> connect_live(const LiveAccessOptions& opt);

// A one-line progress printer on stderr when it is a TTY; an empty function otherwise.
std::function<void(const std::string&)> tty_progress();

}  // namespace meshdoctor::cli
