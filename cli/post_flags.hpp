#pragma once
// Posting the report to a webhook (Slack, Teams, JSON): the flags `check` and `serve` share, and
// the post that follows a `check` once its report is delivered.
#include "cli/commands.hpp"
#include "report/sink.hpp"
#include "util/expected.hpp"

namespace CLI {
class App;
}

namespace meshdoctor::cli {

// --post URL, --post-url-file FILE, --post-format slack|teams|json, --post-on always|fail|change,
// --state-configmap NS/NAME, --post-required. Neither the URL nor any default of it is echoed
// by --help or by a usage error.
void add_post_flags(CLI::App& cmd, report::PostOptions& opt);

// Before the run, so that a bad secret fails fast: resolves the URL (--post-url-file,
// $MESHDOCTOR_POST_URL) and refuses --post-required without one. Errors are exit 3.
util::Status prepare_post(report::PostOptions& opt);

// After `check` delivered its report: posts it when opt has a URL (no-op otherwise). The state
// ConfigMap is reached through the kubeconfig of `live`. A failed post is a warning, or with
// --post-required an error whose message names the endpoint's host only (exit 3).
util::Status post_report(const report::PostOptions& opt,
                         const LiveAccessOptions& live,
                         const checks::Diagnosis& d,
                         const report::RenderOptions& render);

}  // namespace meshdoctor::cli
