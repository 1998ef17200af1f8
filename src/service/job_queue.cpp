#include "keel/service/job_queue.h"

#include <fmt/format.h>

#include "keel/core/error.h"

namespace keel::service {

store::JobRecord queue_job(const Context& cx, std::string_view kind, const nlohmann::json& request) {
  authorize(cx, kJobCreate, fmt::format("job/{}", kind));
  Store& store = require_store(cx, "a job is queued");
  if (cx.jobs == nullptr) throw Error::usage("background jobs run under keel serve only");
  auto job = cx.jobs->enqueue(store, cx.actor, kind, request);
  audit(cx, kJobCreate, fmt::format("job/{}", job.id), {{"kind", job.kind}});
  return job;
}

}  // namespace keel::service
