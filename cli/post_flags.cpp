#include "cli/post_flags.hpp"

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <map>
#include <optional>

#include "cli/live_source.hpp"

namespace meshdoctor::cli {

namespace {

const std::map<std::string, report::PostFormat> k_post_formats{{"slack", report::PostFormat::slack},
                                                               {"teams", report::PostFormat::teams},
                                                               {"json", report::PostFormat::json}};

const std::map<std::string, report::PostOn> k_post_on{{"always", report::PostOn::always},
                                                      {"fail", report::PostOn::fail},
                                                      {"change", report::PostOn::change}};

// The kube client behind --state-configmap (check: the cluster of the kubeconfig, whether the
// diagnosis came from it or from a bundle). Without one the state stays in memory.
std::optional<LiveSession> state_session(const report::PostOptions& opt,
                                         const LiveAccessOptions& live) {
  if (opt.on != report::PostOn::change) {
    if (!opt.state_configmap.empty())
      spdlog::warn("--state-configmap is only used with --post-on change");
    return std::nullopt;
  }
  if (opt.state_configmap.empty()) {
    spdlog::warn(
        "--post-on change without --state-configmap: a check run remembers no earlier post, so it "
        "posts");
    return std::nullopt;
  }
  auto session = connect_live(live);
  if (!session) {
    spdlog::warn(
        "--state-configmap {}: no cluster access ({}); the last post is remembered in memory only",
        opt.state_configmap, session.error().message);
    return std::nullopt;
  }
  return std::move(*session);
}

}  // namespace

void add_post_flags(CLI::App& cmd, report::PostOptions& opt) {
  // The URL is a secret (a Slack or Teams webhook's path is its token): the error for a bad one
  // does not repeat it, and it has no default to show.
  auto* post =
      cmd.add_option_function<std::string>(
             "--post",
             [&opt](const std::string& url) {
               if (!report::valid_post_url(url))
                 throw CLI::ValidationError("--post", "expected an http:// or https:// URL");
               opt.url = url;
             },
             "Post the report to this webhook URL after it is delivered (also: "
             "$MESHDOCTOR_POST_URL); never logged")
          ->type_name("URL");
  auto* file = cmd.add_option("--post-url-file", opt.url_file,
                              "Read the webhook URL from FILE (e.g. a mounted Secret)")
                   ->type_name("FILE");
  post->excludes(file);
  cmd.add_option("--post-format", opt.format, "Payload: slack, teams or json (the JSON report)")
      ->transform(CLI::CheckedTransformer(k_post_formats, CLI::ignore_case).description(""))
      ->type_name("FORMAT")
      ->default_str("json");
  cmd.add_option("--post-on", opt.on,
                 "When to post: always, fail (a check fails) or change (the verdict differs from "
                 "the last post; a cleared failure posts \"resolved\")")
      ->transform(CLI::CheckedTransformer(k_post_on, CLI::ignore_case).description(""))
      ->type_name("WHEN")
      ->default_str("fail");
  cmd.add_option_function<std::string>(
         "--state-configmap",
         [&opt](const std::string& ref) {
           std::string ns, name;
           if (!report::split_configmap_ref(ref, &ns, &name))
             throw CLI::ValidationError("--state-configmap",
                                        "expected NAMESPACE/NAME, got \"" + ref + "\"");
           opt.state_configmap = ref;
         },
         "With --post-on change: remember the last post in this ConfigMap (needs get, create, "
         "patch on configmaps)")
      ->type_name("NS/NAME");
  cmd.add_flag(
      "--post-required", opt.required,
      "A failed post is fatal (exit 3); otherwise it is a warning and the exit code stays");
}

util::Status prepare_post(report::PostOptions& opt) {
  if (auto resolved = report::resolve_post_url(opt); !resolved) return resolved;
  if (opt.required && !opt.enabled()) {
    return util::make_error(
        "post.url", "--post-required, but no --post, --post-url-file or $MESHDOCTOR_POST_URL");
  }
  return util::ok();
}

util::Status post_report(const report::PostOptions& opt,
                         const LiveAccessOptions& live,
                         const checks::Diagnosis& d,
                         const report::RenderOptions& render) {
  if (!opt.enabled()) return util::ok();
  auto session = state_session(opt, live);
  report::PostOptions options = opt;
  if (!session) options.state_configmap.clear();  // state_session said why, once
  report::ReportPoster poster(options, nullptr, session ? session->client.get() : nullptr);
  auto outcome = poster.post(d, render);
  if (outcome) return util::ok();
  if (opt.required) return outcome.error();
  spdlog::warn("{}", outcome.error().message);
  return util::ok();
}

}  // namespace meshdoctor::cli
