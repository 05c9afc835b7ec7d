// meshdoctor check: diagnose a bundle or a live cluster and report root causes first.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <map>

#include "checks/catalogue.hpp"
#include "cli/commands.hpp"
#include "cli/console.hpp"
#include "cli/live_source.hpp"
#include "cli/post_flags.hpp"
#include "cli/wait.hpp"
#include "playbooks/restart.hpp"
#include "probe/bundle_reader.hpp"

namespace meshdoctor::cli {

namespace {


// The first ID in --only/--skip that the catalogue does not know, or "".
std::string unknown_check_id(const CheckOptions& opt) {
  for (const auto* ids : {&opt.only, &opt.skip}) {
    for (const auto& id : *ids) {
      if (checks::find_check(normalize_id(id)) == nullptr) return id;
    }
  }
  return "";
}

std::vector<std::string> normalized(const std::vector<std::string>& ids) {
  std::vector<std::string> out;
  for (const auto& id : ids) out.push_back(normalize_id(id));
  return out;
}

checks::CheckContext context_for(const CheckOptions& opt) {
  checks::CheckContext ctx;
  if (opt.off_mesh_given) ctx.off_mesh_namespaces = opt.off_mesh_namespaces;
  return ctx;
}

// The reader's message normally names the path; make sure it always does.
std::string bundle_error(const CheckOptions& opt, const util::Error& e) {
  spdlog::debug("bundle error code {}", e.code);
  if (e.message.find(opt.bundle) != std::string::npos) return e.message;
  return "cannot read bundle " + opt.bundle + ": " + e.message;
}

long elapsed_ms(std::chrono::steady_clock::time_point start) {
  auto d = std::chrono::steady_clock::now() - start;
  return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(d).count());
}

report::RenderOptions render_options_for(const CheckOptions& opt, long duration_ms) {
  auto dest = opt.output_file.empty() ? Destination::stdout_stream : Destination::file;
  report::RenderOptions r = render_options(opt.color, dest);
  r.duration_ms = duration_ms;
  r.strict = opt.strict;
  r.exit_zero = opt.exit_zero;
  return r;
}

int exit_code_for(const checks::Diagnosis& d, const CheckOptions& opt) {
  return report::printed_exit_code(d, render_options_for(opt, 0));
}

void add_check_policy_flags(CLI::App& cmd, CheckOptions& opt) {
  add_off_mesh_flag(cmd, opt.off_mesh_namespaces, opt.off_mesh_given, "Namespaces that must stay out of the mesh");
  cmd.add_flag("--strict", opt.strict, "Treat warnings as failures (exit 1)");
  cmd.add_flag("--exit-zero", opt.exit_zero,
               "Exit 0 whatever was found (still 3 or 64 when meshdoctor cannot run)");
  cmd.add_flag_function(
      "--no-color", [&opt](std::int64_t) { opt.color = ColorChoice::never; },
      "No ANSI colour (also: NO_COLOR); ASCII symbols unless the locale is UTF-8");
  cmd.add_flag("-v,--verbose", opt.verbosity, "More logging on stderr: -v info, -vv debug");
}

void add_wait_flags(CLI::App& cmd, CheckOptions& opt) {
  cmd.add_option_function<std::string>(
         "--wait",
         [&opt](const std::string& text) {
           auto ms = parse_duration_ms(text);
           if (!ms) throw CLI::ValidationError("--wait", ms.error().message);
           opt.wait_ms = *ms;
         },
         "Re-run until no check fails or this time is up (exit code of the last run)")
      ->type_name("DURATION");
  cmd.add_option_function<std::string>(
         "--interval",
         [&opt](const std::string& text) {
           auto ms = parse_duration_ms(text);
           if (!ms || *ms <= 0) throw CLI::ValidationError("--interval", "expected a positive duration");
           opt.interval_ms = *ms;
         },
         "Time between runs with --wait (default 5s)")
      ->type_name("DURATION");
}

// The source: the bundle (re-read on every call) or the live cluster.
util::Expected<probe::Facts> open_source(const CheckOptions& opt) {
  if (opt.bundle.empty()) {
    spdlog::info("reading the live cluster");
    return open_live(opt.live, LiveRun{nullptr, opt.off_mesh_namespaces});
  }
  spdlog::info("reading bundle {}", opt.bundle);
  auto facts = probe::read_bundle(opt.bundle);
  if (!facts) return util::make_error(facts.error().code, bundle_error(opt, facts.error()));
  return facts;
}

// One run: open the source, then run the selected checks and walk the decision tree.
util::Expected<Attempt> diagnose_once(const CheckOptions& opt) {
  auto start = std::chrono::steady_clock::now();
  auto facts = open_source(opt);
  if (!facts) return facts.error();
  for (const auto& w : facts->warnings) spdlog::warn("{}", w);
  checks::Selection selection{normalized(opt.only), normalized(opt.skip)};
  Attempt a{checks::diagnose(*facts, context_for(opt), selection), 0, nullptr};
  a.duration_ms = elapsed_ms(start);
  if (opt.fix) a.facts = std::make_shared<probe::Facts>(std::move(*facts));
  spdlog::info("{} root cause(s), {} findings", a.diagnosis.root_causes.size(), a.diagnosis.findings.size());
  return a;
}

util::Expected<Attempt> run_diagnosis(const CheckOptions& opt) {
  if (opt.wait_ms <= 0) return diagnose_once(opt);
  return run_until_no_fail([&opt] { return diagnose_once(opt); },
                           WaitPolicy{opt.wait_ms, opt.interval_ms, opt.strict});
}

// --fix: the restart-stale-workloads plan in dry-run, shown under the diagnosis. Owners are
// looked up in the bundle directory, or on the cluster with GETs only.
util::Status plan_fix(const CheckOptions& opt, Attempt& attempt) {
  playbooks::PlanOptions p;
  p.off_mesh_namespaces = context_for(opt).off_mesh_namespaces;
  std::optional<LiveSession> live;
  playbooks::ObjectReader reader;
  if (opt.bundle.empty()) {
    auto session = connect_live(opt.live);
    if (!session) return session.error();
    live = std::move(*session);
    reader = playbooks::live_reader(*live->client);
  } else {
    reader = playbooks::bundle_reader(opt.bundle);
  }
  auto planned = playbooks::plan_restarts(*attempt.facts, attempt.diagnosis, p, reader);
  planned.remediation.notes.push_back("dry-run from check --fix: run 'meshdoctor restart --apply' to restart");
  attempt.diagnosis.remediation = std::move(planned.remediation);
  return util::ok();
}

}  // namespace

int run_check(const CheckOptions& opt) {
  // Options: a mistyped check ID must not silently run (or skip) everything.
  if (std::string bad = unknown_check_id(opt); !bad.empty()) {
    return usage_error("unknown check ID \"" + bad + "\"; run 'meshdoctor checks' to list them");
  }
  // Several clusters: each diagnosed in parallel, then compared (cli/fleet.cpp).
  if (is_fleet(opt)) return run_fleet_check(opt);
  // Where to post the report, if anywhere: a bad URL file fails before the cluster is read.
  report::PostOptions post = opt.post;
  if (auto prepared = prepare_post(post); !prepared) return could_not_run(prepared.error().message);
  // Open the source (bundle or live) and diagnose, once or until healthy with --wait.
  auto attempt = run_diagnosis(opt);
  if (!attempt) return could_not_run(attempt.error().message);
  if (opt.fix) {
    if (auto planned = plan_fix(opt, *attempt); !planned) return could_not_run(planned.error().message);
  }
  // Render, then deliver to stdout or atomically to --output-file.
  std::string text = report::render(opt.format, attempt->diagnosis, render_options_for(opt, attempt->duration_ms));
  if (auto delivered = deliver(text, opt.output_file); !delivered) {
    return could_not_run(delivered.error().message);
  }
  if (!opt.output_file.empty()) spdlog::info("report written to {}", opt.output_file);
  // Post to the webhook once the report is out; a failure only warns, unless --post-required.
  auto render = render_options_for(opt, attempt->duration_ms);
  if (auto posted = post_report(post, opt.live, attempt->diagnosis, render); !posted) {
    return could_not_run(posted.error().message);
  }
  // Exit code: 0 healthy, 1 fail, 2 incomplete (DESIGN.md §4); --exit-zero reports only.
  return exit_code_for(attempt->diagnosis, opt);
}

CLI::App* add_check_command(CLI::App& app, CheckOptions& opt) {
  auto* cmd = app.add_subcommand("check", "Diagnose ambient mode and print root causes first");
  cmd->add_option_function<std::vector<std::string>>(
         "--bundle",
         [&opt](const std::vector<std::string>& paths) {
           opt.bundles = paths;
           if (!paths.empty()) opt.bundle = paths.front();
         },
         "oc adm inspect / must-gather directory (or .tar/.tar.gz) to diagnose offline; "
         "without it the live cluster of the kubeconfig is read; repeat it to check a fleet")
      ->type_name("PATH");
  add_cluster_flags(*cmd, opt.live, opt.contexts);
  cmd->add_flag("--all-contexts", opt.all_contexts,
                "Check every context of the kubeconfig as one fleet, in parallel");
  add_node_flags(*cmd, opt.live);
  add_wait_flags(*cmd, opt);
  add_format_option(*cmd, opt.format);
  cmd->add_option("--output-file", opt.output_file,
                  "Write the report to FILE (atomically) instead of stdout")
      ->type_name("FILE");
  cmd->add_option("--only", opt.only, "Run only these checks (comma-separated, repeatable)")
      ->delimiter(',')
      ->type_name("IDS");
  cmd->add_option("--skip", opt.skip, "Skip these checks (comma-separated, repeatable)")
      ->delimiter(',')
      ->type_name("IDS");
  add_check_policy_flags(*cmd, opt);
  add_post_flags(*cmd, opt.post);
  cmd->add_flag("--fix", opt.fix,
                "Also plan restart-stale-workloads (dry-run) and show the plan under the diagnosis");
  return cmd;
}

}  // namespace meshdoctor::cli
