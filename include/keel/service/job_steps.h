// keel/service/job_steps.h: what a background job's use case may ask of the job that runs it —
// progress, cancellation, and splitting into shards that any runner of the store computes — and
// the generic parts of a sharded run: the shards' requests, their outputs gathered and checked,
// one shard computed. With these, a job's orchestration (when it splits, how it reduces, which
// inputs a runner thread keeps from one shard to the next) lives beside its use case (e.g.
// keel/service/risk_runs.h's run_var_job), and the server only runs jobs (keel/server/jobs.h,
// whose JobContext is a JobSteps).
//
// Thread-safety: a JobSteps belongs to the thread running its job.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "keel/core/job_status.h"
#include "keel/store/job_repository.h"

namespace keel::service {

// A contiguous range of a run's items (paths, scenarios, trials): [first, last).
struct ShardRange {
  std::int64_t first = 0;  // inclusive
  std::int64_t last = 0;   // exclusive
};

// What a shard computed: its values in order, and a fingerprint of the inputs they came from (0
// when the inputs travel with the request and cannot change).
struct ShardValues {
  std::uint64_t fingerprint = 0;
  std::vector<double> values;
  std::string as_of;  // VaR: the as-of date of the inputs (a run pins it for its shards)
};

// Called between pieces of a shard with the fraction done; may throw to stop the shard.
using ShardProgress = std::function<void(double fraction)>;

// A shard of a split job, as the parent's reduce reads it: its id, status, request, result or
// error, and the bytes it stored (the store's row, keel/store/job_repository.h).
using JobShard = store::ShardOutput;

// Thrown by a job's use case to fail the job for good with this error (JSON {"code","message",
// "details"}), whatever its category: e.g. a reduce whose shard failed for good.
struct JobFailed {
  std::string error_json;
};

class JobSteps {
 public:
  virtual ~JobSteps() = default;
  virtual std::int64_t job_id() const = 0;
  virtual const std::string& job_tenant() const = 0;
  // 0 before a split; a job claimed again to reduce: its number of shards.
  virtual int shard_count() const = 0;
  // The fraction done the job stored last.
  virtual double progress_so_far() const = 0;
  // Stores progress (a fraction in [0, 1]) and a message; stops the job (by an exception the
  // runner catches) when it was cancelled or the runner is stopping.
  virtual void progress(double fraction, const std::string& message) = 0;
  // Stops the job as progress does, without writing.
  virtual void check() = 0;
  // Splits the job into one shard of `shard_kind` per request; the job is claimed again when every
  // shard has ended. Never returns (the runner catches what it throws).
  [[noreturn]] virtual void split(const std::string& shard_kind, const std::vector<nlohmann::json>& requests) = 0;
  // The shards of this job (after a split), in order.
  virtual std::vector<JobShard> shards() = 0;
  // Bytes kept with the job's row when it succeeds (a shard's values).
  virtual void set_output(std::string bytes) = 0;
};

// The shards' requests: `base` with "first" and "last" of each range of [0, total) in shards of
// per_shard (and "fingerprint", hex, when not 0).
std::vector<nlohmann::json> shard_requests(const nlohmann::json& base, std::int64_t total, std::int64_t per_shard,
                                           std::uint64_t fingerprint);

// The output of every shard of the job, in order, after checking that every shard succeeded, that
// their ranges tile [0, total) and that they saw one fingerprint (returned in *fingerprint). A
// shard that failed or was cancelled fails the job for good with its error (JobFailed); anything
// else inconsistent is an internal error. Also returns the first shard's request (the inputs the
// shards ran on).
struct GatheredShard {
  std::string where;  // "shard k of n (job id, items first to last)", for messages
  std::int64_t items = 0;
  std::string bytes;  // its output
};
std::vector<GatheredShard> gather_shard_outputs(JobSteps& steps, std::int64_t total, std::uint64_t* fingerprint,
                                                nlohmann::json* first_request);
// The same for shards that keep every value: the values in order (`stride` doubles per item of
// [0, total)).
std::vector<double> gather_shards(JobSteps& steps, std::int64_t total, std::size_t stride, std::uint64_t* fingerprint,
                                  nlohmann::json* first_request);

// What a shard's computation gives: the fingerprint of its inputs (0: none) and its output's bytes.
struct ShardBytes {
  std::uint64_t fingerprint = 0;
  std::string bytes;
};
// Every value of a shard (CLO, plan) as its output.
ShardBytes shard_bytes(const ShardValues& values);
// A shard's job: reads "first", "last" and "fingerprint" of `request`, runs `compute` on the range
// (with progress), checks the fingerprint (conflict: the inputs changed after the split), stores
// the bytes as the job's output and returns the shard's summary {first, last, fingerprint}.
nlohmann::json run_shard(JobSteps& steps, const nlohmann::json& request,
                         const std::function<ShardBytes(ShardRange, const ShardProgress&)>& compute);

}  // namespace keel::service
