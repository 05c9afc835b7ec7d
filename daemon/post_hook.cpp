// serve --post: the report of each good run goes through the one ReportPoster.
#include "daemon/post_hook.hpp"

#include <spdlog/spdlog.h>

#include "probe/http.hpp"

namespace meshdoctor::daemon {

PostHook::PostHook(report::PostOptions options, probe::KubeClient* state_client)
    : m_required(options.required),
      m_poster(std::make_unique<report::ReportPoster>(std::move(options), nullptr, state_client)) {}

PostHook::~PostHook() = default;

void PostHook::operator()(const RunOutcome& outcome) {
  if (!outcome.ok()) return;  // nothing new to say; the last good result was posted already
  report::RenderOptions render;
  render.duration_ms = outcome.report->duration_ms;
  auto posted = m_poster->post(outcome.report->diagnosis, render);
  if (posted) return;
  // --post-required cannot end a daemon: it makes the failure an error rather than a warning.
  if (m_required)
    spdlog::error("{}", posted.error().message);
  else
    spdlog::warn("{}", posted.error().message);
}

}  // namespace meshdoctor::daemon
