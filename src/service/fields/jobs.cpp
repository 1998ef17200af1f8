// The descriptions of the requests and results of keel/service/jobs.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/jobs.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void JobLinks::fields(V& v, S& s) {
  v.field({.name = "self", .help = "GET: the job"}, s.self);
  v.field({.name = "events", .help = "GET: its server-sent event stream"}, s.events);
}
KEEL_SPEC_FIELDS(JobLinks)

template <class V, class S>
void JobError::fields(V& v, S& s) {
  v.field({.name = "code", .help = "invalid_input, not_found, internal, ..."}, s.code);
  v.field({.name = "message"}, s.message);
  v.field({.name = "details", .help = "Every problem, e.g. \"field: expected ...\""}, s.details);
}
KEEL_SPEC_FIELDS(JobError)

template <class V, class S>
void JobView::fields(V& v, S& s) {
  v.field({.name = "id"}, s.id);
  v.field({.name = "kind", .help = "What the job computes (see POST /api/v1/jobs)"}, s.kind);
  v.choice({.name = "status"}, s.status, kJobStatusNames);
  v.field({.name = "progress", .help = "Fraction done", .unit = "fraction", .min = 0, .max = 1}, s.progress);
  v.field({.name = "message", .help = "What the job is doing now"}, s.message);
  v.field({.name = "attempts", .help = "Runs started so far"}, s.attempts);
  v.field({.name = "max_attempts", .help = "Runs allowed before the job fails"}, s.max_attempts);
  v.field({.name = "created_by", .help = "User name"}, s.created_by);
  v.field({.name = "created_at", .help = "ISO-8601 UTC"}, s.created_at);
  v.field({.name = "started_at", .help = "ISO-8601 UTC; null while queued"}, s.started_at);
  v.field({.name = "finished_at", .help = "ISO-8601 UTC; null until the job ends"}, s.finished_at);
  v.field({.name = "cancel_requested"}, s.cancel_requested);
  v.field({.name = "links"}, s.links);
  v.field({.name = "result",
           .help = "The result when succeeded (the result schema of the route or kind that started it), else null"},
          s.result);
  v.field({.name = "error", .help = "The error when failed, else null"}, s.error);
  v.field({.name = "retry_at_epoch", .help = "When a queued retry runs", .unit = "epoch seconds"},
          s.retry_at_epoch);
}
KEEL_SPEC_FIELDS(JobView)

}  // namespace keel::service
