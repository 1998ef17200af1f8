// keel/core/job_status.h: where a background job is in its life — queued -> running ->
// succeeded | failed | cancelled.
//
// The state is the service's vocabulary (keel/service/jobs.h lists, shows and cancels jobs, and
// their view carries it) and the store's (keel/store/job_repository.h keeps it, as
// store::JobStatus); it lives here, below both, so a face names it without reaching the store.
// Its names ("queued", ...) are the service's: service::job_status_name.
#pragma once

namespace keel {

enum class JobStatus { kQueued, kRunning, kSucceeded, kFailed, kCancelled };

// A job in this state will not change again.
inline bool is_terminal(JobStatus s) {
  return s == JobStatus::kSucceeded || s == JobStatus::kFailed || s == JobStatus::kCancelled;
}

}  // namespace keel
