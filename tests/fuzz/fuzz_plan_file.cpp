// The reviewed restart-plan file (meshdoctor/restart-plan/v1) that `restart --plan-file` reads
// back: any bytes give a plan or a plan.invalid error, never a throw. A plan that parses must
// render and parse again to the same plan.
#include <cstddef>
#include <cstdint>
#include <string>

#include "report/render.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace meshdoctor;
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::string server, context;
  auto plan = report::parse_plan_file(text, &server, &context);
  (void)report::parse_plan_file(text, nullptr, nullptr);
  if (!plan) return 0;
  const std::string rendered = report::render_plan_file(*plan, server, context, 0);
  std::string server2, context2;
  auto again = report::parse_plan_file(rendered, &server2, &context2);
  if (!again) __builtin_trap();  // what render_plan_file writes must read back
  if (server2 != server || context2 != context) __builtin_trap();
  if (again->plan.size() != plan->plan.size() || again->max_restarts != plan->max_restarts)
    __builtin_trap();
  return 0;
}
