// Property: losing any one source of evidence never turns a failing cluster's diagnosis into
// "pass". For every failing scenario bundle, each fact section in turn is removed (not in the
// bundle), refused (RBAC) or unreadable (corrupt file); the overall status may become unknown,
// never pass. (Healthy scenarios are not asserted: a few checks pass on one of two independent
// sources, e.g. MD103 on the CRDs' storedVersions without InstallPlans, and say what they could
// not check in their evidence.)
#include <doctest/doctest.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "checks/catalogue.hpp"
#include "probe/bundle_reader.hpp"

using namespace meshdoctor;
using checks::Status;
namespace fs = std::filesystem;

namespace {

struct Source {
  const char* name;
  std::function<void(probe::Facts&, probe::Obtained, const std::string&)> lose;
};

template <class T>
std::function<void(probe::Facts&, probe::Obtained, const std::string&)> section(probe::Section<T> probe::Facts::*member) {
  return [member](probe::Facts& f, probe::Obtained how, const std::string& why) {
    (f.*member).items.clear();
    (f.*member).source = {how, why};
  };
}

template <class T>
std::function<void(probe::Facts&, probe::Obtained, const std::string&)> single(probe::Single<T> probe::Facts::*member) {
  return [member](probe::Facts& f, probe::Obtained how, const std::string& why) {
    (f.*member).value.reset();
    (f.*member).source = {how, why};
  };
}

const std::vector<Source>& sources() {
  using F = probe::Facts;
  static const std::vector<Source> all = {
      {"subscriptions", section(&F::subscriptions)},
      {"install plans", section(&F::install_plans)},
      {"csvs", section(&F::csvs)},
      {"sail crds", section(&F::sail_crds)},
      {"istios", section(&F::istios)},
      {"istiocnis", section(&F::istio_cnis)},
      {"ztunnels", section(&F::ztunnels)},
      {"daemonsets", section(&F::daemonsets)},
      {"cni pods", section(&F::cni_pods)},
      {"ztunnel pods", section(&F::ztunnel_pods)},
      {"istiod", section(&F::istiod)},
      {"namespaces", section(&F::namespaces)},
      {"pods", section(&F::pods)},
      {"cni logs", section(&F::cni_logs)},
      {"ztunnel logs", section(&F::ztunnel_logs)},
      {"telemetries", section(&F::telemetries)},
      {"pod monitors", section(&F::pod_monitors)},
      {"gateways", section(&F::gateways)},
      {"kialis", section(&F::kialis)},
      {"cluster role bindings", section(&F::cluster_role_bindings)},
      {"ztunnel readiness", section(&F::ztunnel_readiness)},
      {"prometheus", section(&F::prometheus)},
      {"ztunnel metrics", section(&F::ztunnel_metrics)},
      {"cluster version", single(&F::cluster_version)},
      {"network", single(&F::network)},
      {"monitoring config", single(&F::monitoring_config)},
  };
  return all;
}

std::vector<fs::path> scenario_bundles() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(fs::path(MESHDOCTOR_SOURCE_DIR) / "tests" / "scenarios")) {
    if (fs::is_directory(e.path() / "bundle")) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

int fails(const checks::Diagnosis& d) { return d.summary.fail; }

}  // namespace

TEST_SUITE("checks::never_false_healthy") {
  TEST_CASE("no single lost, refused or unreadable source makes any scenario pass") {
    const auto bundles = scenario_bundles();
    REQUIRE(bundles.size() >= 10);
    const checks::CheckContext ctx;
    int variants = 0, failing_variants = 0;
    for (const auto& dir : bundles) {
      auto facts = probe::read_bundle((dir / "bundle").string());
      REQUIRE_MESSAGE(facts.has_value(), dir.string());
      const checks::Diagnosis base = checks::diagnose(*facts, ctx, {});
      for (const auto& source : sources()) {
        for (auto how : {probe::Obtained::not_found, probe::Obtained::forbidden, probe::Obtained::error}) {
          probe::Facts lost = *facts;
          source.lose(lost, how, std::string("property test: ") + source.name + " " + probe::to_string(how));
          const checks::Diagnosis d = checks::diagnose(lost, ctx, {});
          ++variants;
          const std::string what = dir.filename().string() + " without " + source.name + " (" + probe::to_string(how) + ")";
          // A failing cluster never reads as healthy: the failure that needed this source may go,
          // but what could no longer be verified is unknown.
          if (fails(base) > 0) {
            ++failing_variants;
            CHECK_MESSAGE(d.summary.overall != Status::pass, what);
            const bool lost_every_failure = fails(d) == 0;
            if (lost_every_failure) CHECK_MESSAGE(d.summary.unknown > 0, what);
          }
        }
      }
    }
    MESSAGE(variants << " variants checked, " << failing_variants << " of failing scenarios");
    CHECK(failing_variants >= 10 * 26 * 3);
  }
}
