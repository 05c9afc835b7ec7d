#pragma once
// SIGTERM and SIGINT for `meshdoctor serve`: blocked in every thread and taken synchronously by
// the main thread, so no handler runs in the middle of a run or an HTTP answer.
namespace meshdoctor::daemon {

// Blocks SIGTERM and SIGINT in the calling thread and in every thread it starts afterwards;
// ignores SIGPIPE (a scraper that hangs up must not kill the daemon). Call before any thread.
void block_stop_signals();

// Waits for SIGTERM or SIGINT; returns the signal number.
int wait_for_stop_signal();

}  // namespace meshdoctor::daemon
