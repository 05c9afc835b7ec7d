// meshdoctor restart: the restart-stale-workloads playbook. Dry-run by default (the plan is
// printed, nothing written); --apply restarts, --wait verifies, --plan-file/--from-plan let a
// reviewed plan be applied exactly as reviewed.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "checks/catalogue.hpp"
#include "cli/commands.hpp"
#include "cli/console.hpp"
#include "cli/live_source.hpp"
#include "playbooks/restart.hpp"
#include "probe/bundle_reader.hpp"
#include "report/render.hpp"
#include "util/time.hpp"

namespace meshdoctor::cli {

namespace {

const std::vector<std::string> k_affected{"MD503", "MD504"};
constexpr int k_exit_failed = 1;
constexpr int k_exit_incomplete = 2;

util::Micros now_micros() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

std::string host_name() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "meshdoctor";
  return buf;
}

// The usage errors CLI11 cannot express.
std::string usage_problem(const RestartOptions& o) {
  if (o.yes && !o.apply) return "--yes only confirms --apply";
  if (o.wait_ms > 0 && !o.apply) return "--wait verifies an --apply; a dry-run restarts nothing";
  if (!o.bundle.empty() && o.apply) return "--apply needs a live cluster: a bundle cannot be changed";
  if (!o.bundle.empty() && !o.from_plan.empty()) return "--from-plan applies to a live cluster, not a bundle";
  if (o.max_restarts < 0) return "--max-restarts must be 0 or more";
  // SARIF and JUnit report checks, and their exit code is check's: a restart's outcome is neither.
  if (o.format == report::Format::sarif || o.format == report::Format::junit)
    return "restart reports as text, json, markdown or html; "
           "-o sarif and -o junit are for check and lint";
  if (!o.from_plan.empty() && (!o.namespaces.empty() || !o.exclude_namespaces.empty() || o.include_unenrolled ||
                               o.delete_bare_pods))
    return "--from-plan applies the reviewed plan as is: planning flags do not apply";
  return "";
}

checks::CheckContext context_for(const RestartOptions& o) {
  checks::CheckContext ctx;
  if (o.off_mesh_given) ctx.off_mesh_namespaces = o.off_mesh_namespaces;
  return ctx;
}

playbooks::PlanOptions plan_options(const RestartOptions& o, const checks::CheckContext& ctx) {
  playbooks::PlanOptions p;
  p.max_restarts = o.max_restarts;
  p.namespaces = o.namespaces;
  p.exclude_namespaces = o.exclude_namespaces;
  p.off_mesh_namespaces = ctx.off_mesh_namespaces;
  p.include_unenrolled = o.include_unenrolled;
  p.delete_bare_pods = o.delete_bare_pods;
  return p;
}

std::map<std::string, std::string> statuses(const checks::Diagnosis& d) {
  std::map<std::string, std::string> out;
  for (const auto& id : k_affected) {
    if (const auto* f = d.find(id)) out[id] = checks::to_string(f->status);
  }
  return out;
}

// The confirmation an interactive --apply needs: the plan is on screen, the answer on stdin.
bool confirmed(const checks::Remediation& r, const std::string& server) {
  const int writes = r.count(checks::PlanAction::restart) + r.count(checks::PlanAction::remove);
  std::fprintf(stderr, "Restart %d workload(s) on %s? Type 'yes' to continue: ", writes, server.c_str());
  std::fflush(stderr);
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "yes" || answer == "y";
}

// One audit line per write on stderr, whatever the verbosity: what was sent and the answer.
void audit(const checks::AppliedAction& a) {
  std::fprintf(stderr, "meshdoctor: %s %s %s/%s: %s%s\n", a.action.c_str(), a.kind.c_str(), a.ns.c_str(),
               a.name.c_str(), a.result.c_str(), a.detail.empty() ? "" : (" (" + a.detail + ")").c_str());
}

util::Expected<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return util::make_error("plan.unreadable", "cannot read plan file " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// --from-plan: the reviewed plan, refused when it was made for another cluster.
util::Expected<checks::Remediation> load_plan(const RestartOptions& o, const probe::KubeAuth& auth) {
  auto text = read_file(o.from_plan);
  if (!text) return text.error();
  std::string server, context;
  auto plan = report::parse_plan_file(*text, &server, &context);
  if (!plan) return util::make_error(plan.error().code, "plan file " + o.from_plan + ": " + plan.error().message);
  if (server != auth.server) {
    return util::make_error("plan.cluster", "plan file " + o.from_plan + " was made for " + server + ", not " +
                                                auth.server + ": nothing applied");
  }
  plan->from_plan = true;
  plan->notes.push_back("applying the reviewed plan " + o.from_plan + " (context " + context + ")");
  if (o.max_restarts_given) plan->max_restarts = o.max_restarts;
  return plan;
}

struct Source {
  probe::Facts facts;
  std::optional<LiveSession> live;
  playbooks::ObjectReader reader;
};

util::Expected<Source> open_restart_source(const RestartOptions& o) {
  Source s;
  if (!o.bundle.empty()) {
    auto facts = probe::read_bundle(o.bundle);
    if (!facts) return facts.error();
    s.facts = std::move(*facts);
    s.reader = playbooks::bundle_reader(o.bundle);
    return s;
  }
  auto session = open_live_session(o.live, LiveRun{nullptr, o.off_mesh_given ? o.off_mesh_namespaces : std::vector<std::string>{}});
  if (!session) return session.error();
  s.facts = std::move(session->facts);
  s.live = std::move(*session);
  s.reader = playbooks::live_reader(*s.live->client);
  return s;
}

int exit_code(const checks::Remediation& r, bool incomplete) {
  for (const auto& a : r.applied) {
    if (!a.ok()) return k_exit_failed;
  }
  if (r.verify && !r.verify->completed) return k_exit_failed;
  return incomplete ? k_exit_incomplete : 0;
}

report::RenderOptions render_options_for(const RestartOptions& o, long duration_ms) {
  auto dest = o.output_file.empty() ? Destination::stdout_stream : Destination::file;
  report::RenderOptions r = render_options(o.color, dest);
  r.duration_ms = duration_ms;
  return r;
}

// Why MD504 still fails after the wait: pods of workloads this run did not restart, or (worse)
// pods of restarted workloads that came back stale.
std::string still_stale(const checks::Finding& md504, const checks::Remediation& r) {
  std::set<std::pair<std::string, std::string>> restarted;
  for (const auto& a : r.applied) {
    if (a.ok()) restarted.insert({a.ns, a.name});
  }
  int ours = 0, others = 0;
  for (const auto& obj : md504.objects) {
    if (obj.kind != "Pod") continue;
    bool mine = false;
    for (const auto& [ns, name] : restarted) mine = mine || (obj.ns == ns && obj.name.rfind(name + "-", 0) == 0);
    (mine ? ours : others)++;
  }
  std::string note = "after the wait MD504 still flags " + std::to_string(ours + others) + " pod(s): " +
                     std::to_string(others) + " of workloads this run did not restart (skipped or deferred above)";
  if (ours > 0)
    note += ", and " + std::to_string(ours) + " of restarted workloads: check ztunnel on their nodes (MD402)";
  return note;
}

// After --apply --wait: wait for the new pods, then read the cluster again for the after picture.
void verify(const RestartOptions& o, Source& src, checks::Remediation& r, const checks::Diagnosis& before) {
  playbooks::VerifyOptions v;
  v.wait_ms = o.wait_ms;
  for (const auto& p : src.facts.pods.items) v.old_pod_uids.push_back(p.uid);
  playbooks::verify_restarts(r, *src.live->client, v);
  r.verify->before = statuses(before);
  auto again = open_live(o.live, LiveRun{nullptr, o.off_mesh_given ? o.off_mesh_namespaces : std::vector<std::string>{}});
  if (!again) {
    r.notes.push_back("could not read the cluster again after the wait: " + again.error().message);
    return;
  }
  checks::Diagnosis after = checks::diagnose(*again, context_for(o), {});
  r.verify->after = statuses(after);
  if (const auto* f = after.find("MD504"); f && f->status == checks::Status::fail) r.notes.push_back(still_stale(*f, r));
}

}  // namespace

int run_restart(const RestartOptions& o) {
  if (std::string bad = usage_problem(o); !bad.empty()) return usage_error(bad);
  const auto start = std::chrono::steady_clock::now();
  // Read the cluster (or bundle) and diagnose: the plan starts from MD504/MD503's evidence.
  auto src = open_restart_source(o);
  if (!src) return could_not_run(src.error().message);
  for (const auto& w : src->facts.warnings) spdlog::warn("{}", w);
  const checks::CheckContext ctx = context_for(o);
  checks::Diagnosis diagnosis = checks::diagnose(src->facts, ctx, {});
  // Plan, or take the reviewed plan.
  bool incomplete = false;
  checks::Remediation r;
  if (!o.from_plan.empty()) {
    auto plan = load_plan(o, src->live->auth);
    if (!plan) return could_not_run(plan.error().message);
    r = std::move(*plan);
  } else {
    auto planned = playbooks::plan_restarts(src->facts, diagnosis, plan_options(o, ctx), src->reader);
    r = std::move(planned.remediation);
    incomplete = planned.incomplete;
  }
  if (!o.plan_file.empty() && o.from_plan.empty()) {
    const std::string server = src->live ? src->live->auth.server : "";
    const std::string context = src->live ? src->live->auth.context : "bundle " + o.bundle;
    if (auto written = deliver(report::render_plan_file(r, server, context, now_micros()), o.plan_file); !written)
      return could_not_run(written.error().message);
    spdlog::info("plan written to {}", o.plan_file);
  }
  // Apply: asked on a terminal unless --yes; bounded by the budget; each write audited.
  if (o.apply) {
    if (!o.yes && ::isatty(STDIN_FILENO) == 1) {
      diagnosis.remediation = r;
      std::fputs(report::render_remediation(report::Format::text, diagnosis, render_options_for(o, 0)).c_str(), stderr);
      if (!confirmed(r, src->live->auth.server)) {
        std::fprintf(stderr, "meshdoctor: not confirmed: nothing was written\n");
        return k_exit_failed;
      }
    }
    playbooks::ApplyOptions a;
    a.recheck_resource_version = r.from_plan;
    a.max_restarts = r.max_restarts;
    a.now = now_micros();
    a.reporting_instance = host_name();
    a.on_action = audit;
    playbooks::apply_plan(r, *src->live->client, a);
    if (o.wait_ms > 0) verify(o, *src, r, diagnosis);
  }
  diagnosis.remediation = r;
  const long ms = static_cast<long>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count());
  std::string text = report::render_remediation(o.format, diagnosis, render_options_for(o, ms));
  if (auto delivered = deliver(text, o.output_file); !delivered) return could_not_run(delivered.error().message);
  return exit_code(r, incomplete);
}

CLI::App* add_restart_command(CLI::App& app, RestartOptions& o) {
  auto* cmd = app.add_subcommand(
      "restart",
      "Restart the workloads whose pods started before ztunnel was Ready (dry-run unless --apply)");
  cmd->add_option("--bundle", o.bundle, "Plan from an offline bundle directory (dry-run only)")->type_name("PATH");
  add_cluster_flags(*cmd, o.live);
  cmd->add_flag("--apply", o.apply, "Restart for real (default: print the plan, write nothing)");
  cmd->add_flag("--yes", o.yes, "Do not ask for confirmation on a terminal");
  cmd->add_option_function<int>(
         "--max-restarts",
         [&o](int n) {
           o.max_restarts = n;
           o.max_restarts_given = true;
         },
         "Restart at most N workloads; the rest are deferred (default 10)")
      ->type_name("N");
  cmd->add_option("--namespace,-n", o.namespaces, "Only workloads in this namespace (repeatable)")
      ->type_name("NS");
  cmd->add_option("--exclude-namespace", o.exclude_namespaces, "Never touch this namespace (repeatable)")
      ->type_name("NS");
  add_off_mesh_flag(*cmd, o.off_mesh_namespaces, o.off_mesh_given, "Namespaces that must stay off the mesh, never restarted");
  cmd->add_flag("--include-unenrolled", o.include_unenrolled,
                "Also restart workloads whose pods are not enrolled in ambient (MD503)");
  cmd->add_flag("--delete-bare-pods", o.delete_bare_pods,
                "Delete flagged pods that no controller owns (UID precondition; they do not come back)");
  cmd->add_option("--plan-file", o.plan_file, "Write the plan as JSON for review")->type_name("FILE");
  cmd->add_option("--from-plan", o.from_plan, "Use this reviewed plan; entries whose objects changed are refused")
      ->type_name("FILE");
  cmd->add_option_function<std::string>(
         "--wait",
         [&o](const std::string& text) {
           auto ms = parse_duration_ms(text);
           if (!ms) throw CLI::ValidationError("--wait", ms.error().message);
           o.wait_ms = *ms;
         },
         "After --apply, wait until the new pods are Ready and enrolled, then re-check")
      ->type_name("DURATION");
  add_format_option(*cmd, o.format);
  cmd->add_option("--output-file", o.output_file, "Write the report to FILE (atomically)")->type_name("FILE");
  cmd->add_flag_function(
      "--no-color", [&o](std::int64_t) { o.color = ColorChoice::never; }, "No ANSI colour (also: NO_COLOR)");
  cmd->add_flag("-v,--verbose", o.verbosity, "More logging on stderr: -v info, -vv debug");
  return cmd;
}

}  // namespace meshdoctor::cli
