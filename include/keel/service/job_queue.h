// keel/service/job_queue.h: handing a use case's work to the background.
//
// keel serve runs long work (large Monte Carlo runs, backtests, batches, retirement plans) as jobs:
// a row in the store's job queue that a job thread of any server on the store claims, runs and
// answers with a result (docs/server.md, "Background jobs"). A use case that may run in the
// background decides so itself (the policy lives with the use case, not with a face) and queues its
// request in the form its worker reads back: the request written by its description
// (spec::to_request_json), so the client's body is parsed once, when it arrives.
//
// The queue itself is the server's (Context::jobs); outside the server there is none and
// queue_job refuses.
//
// Thread-safety: a JobQueue is shared by the server's request threads; enqueue is thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "keel/service/context.h"
#include "keel/service/rules.h"
#include "keel/store/job_repository.h"

namespace keel::service {

class JobQueue {
 public:
  virtual ~JobQueue() = default;
  // Stores a queued job of `kind` with `request` for `actor` (its tenant and user) in `store`,
  // wakes the job threads and returns the row as stored.
  virtual store::JobRecord enqueue(Store& store, const Actor& actor, std::string_view kind,
                                   const nlohmann::json& request) = 0;
};

// Starting a job: the compute permission; audited as job.create (resource job/ID, details kind).
inline constexpr UseCase kJobCreate{"start background jobs", Permission::kCompute, "job.create"};

// Queues `request` as a job of `kind` for the Context's actor. Throws Error: forbidden
// (kJobCreate), usage when the Context has no job queue (outside keel serve) or no store.
store::JobRecord queue_job(const Context& cx, std::string_view kind, const nlohmann::json& request);

}  // namespace keel::service
