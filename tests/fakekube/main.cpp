// fakekube: serves a meshdoctor scenario bundle as a Kubernetes API (README.md), writes and
// watches included (held in memory until a reload). Prints
// "PORT <n>" once listening; stops on SIGTERM/SIGINT; reloads the bundle on SIGHUP.
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <pthread.h>
#include <thread>

#include "server.hpp"

namespace {

using meshdoctor::fakekube::Server;
using meshdoctor::fakekube::ServerOptions;

// Written to a temporary name and renamed, so a waiting script never reads half a line.
bool write_ready_file(const std::string& file, int port) {
  const std::string temp = file + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << "PORT " << port << "\n";
    if (!out) return false;
  }
  std::error_code ec;
  std::filesystem::rename(temp, file, ec);
  return !ec;
}

sigset_t handled_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&set, s);
  return set;
}

// Runs on its own thread: every other thread keeps these signals blocked.
void wait_for_signals(Server& server) {
  const sigset_t set = handled_signals();
  for (;;) {
    int sig = 0;
    if (sigwait(&set, &sig) != 0) continue;
    if (sig == SIGHUP) {
      server.request_reload();
      continue;
    }
    server.stop();
    return;
  }
}

void add_options(CLI::App& app, ServerOptions& o, std::string& ready_file) {
  app.add_option("--bundle", o.bundle, "Scenario bundle: inspect or must-gather directory, or an archive")->required();
  app.add_option("--port", o.port, "Port to listen on; 0 = a free port")->capture_default_str();
  app.add_option("--host", o.host, "Address to listen on")->capture_default_str();
  app.add_option("--tls-cert", o.tls_cert, "Serve HTTPS with this PEM certificate");
  app.add_option("--tls-key", o.tls_key, "PEM private key for --tls-cert");
  app.add_option("--client-ca", o.client_ca, "Require client certificates signed by this CA");
  app.add_option("--token", o.token, "Require 'Authorization: Bearer <token>'");
  app.add_option("--faults", o.faults_file, "JSON fault rules, re-read when changed");
  app.add_option("--record", o.record_file, "Append one JSON line per request to this file");
  app.add_option("--ready-file", ready_file, "Also write 'PORT <n>' to this file once listening");
  app.add_option("--page-size-cap", o.page_size_cap, "Never send more than N items per list page");
  app.add_option("--prometheus-upstream", o.prometheus_upstream, "Forward Prometheus queries to this URL");
  app.add_flag("--simulate-rollouts", o.simulate_rollouts,
               "Play the controllers: a PATCH changing a workload's pod template replaces its pods");
  app.add_option("--rollout-delay-ms", o.rollout_delay_ms, "With --simulate-rollouts: new pods are NotReady this long")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--watch-history", o.watch_history,
                 "Events kept for watches to resume from; older resourceVersions get 410 Expired")
      ->capture_default_str();
  app.add_option("--bookmark-interval-ms", o.bookmark_interval_ms,
                 "Between BOOKMARK events of watches that allow them")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"fakekube: a test Kubernetes API server that serves a meshdoctor bundle"};
  ServerOptions options;
  std::string ready_file;
  add_options(app, options, ready_file);
  CLI11_PARSE(app, argc, argv);

  std::signal(SIGPIPE, SIG_IGN);
  const sigset_t set = handled_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);  // before any thread starts: all inherit the mask

  auto server = Server::create(options);
  if (!server) {
    std::cerr << "fakekube: " << server.error().message << "\n";
    return 1;
  }
  auto port = (*server)->bind();
  if (!port) {
    std::cerr << "fakekube: " << port.error().message << "\n";
    return 1;
  }
  std::cout << "PORT " << *port << std::endl;
  if (!ready_file.empty() && !write_ready_file(ready_file, *port)) {
    std::cerr << "fakekube: cannot write " << ready_file << "\n";
    return 1;
  }
  std::thread signals(wait_for_signals, std::ref(**server));
  (*server)->serve();
  pthread_kill(signals.native_handle(), SIGTERM);  // ends the signal thread if serve() stopped itself
  signals.join();
  return 0;
}
