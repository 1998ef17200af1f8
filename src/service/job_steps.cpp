// The generic parts of a sharded job (keel/service/job_steps.h).
#include "keel/service/job_steps.h"

#include <fmt/format.h>

#include <cstdio>
#include <utility>

#include "keel/core/error.h"
#include "keel/service/jobs.h"
#include "keel/service/sharding.h"

namespace keel::service {
namespace {

std::string hex64(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace

std::vector<nlohmann::json> shard_requests(const nlohmann::json& base, std::int64_t total, std::int64_t per_shard,
                                           std::uint64_t fingerprint) {
  std::vector<nlohmann::json> out;
  for (const auto& r : shard_ranges(total, per_shard)) {
    nlohmann::json q = base;
    q["first"] = r.first;
    q["last"] = r.last;
    if (fingerprint != 0) q["fingerprint"] = hex64(fingerprint);
    out.push_back(std::move(q));
  }
  return out;
}

std::vector<GatheredShard> gather_shard_outputs(JobSteps& steps, std::int64_t total, std::uint64_t* fingerprint,
                                              nlohmann::json* first_request) {
  const auto shards = steps.shards();
  if (shards.empty()) throw Error::internal(fmt::format("job {} has no shards to reduce", steps.job_id()));
  std::vector<GatheredShard> outputs;
  outputs.reserve(shards.size());
  std::int64_t next = 0;
  std::optional<std::string> seen;
  for (std::size_t k = 0; k < shards.size(); ++k) {
    const auto& sh = shards[k];
    const auto request = nlohmann::json::parse(sh.request);
    const std::int64_t first = request.at("first").get<std::int64_t>();
    const std::int64_t last = request.at("last").get<std::int64_t>();
    const std::string where =
        fmt::format("shard {} of {} (job {}, items {} to {})", k + 1, shards.size(), sh.id, first, last);
    if (sh.status != JobStatus::kSucceeded) {
      auto e = sh.error ? nlohmann::json::parse(*sh.error, nullptr, false) : nlohmann::json();
      if (!e.is_object()) e = {{"code", "internal"}, {"message", "no error kept"}, {"details", nlohmann::json::array()}};
      if (sh.status == JobStatus::kCancelled) {
        e = {{"code", "conflict"}, {"message", "cancelled"}, {"details", nlohmann::json::array()}};
      }
      e["message"] = fmt::format("{} {}: {}", where, job_status_name(sh.status), e.value("message", ""));
      throw JobFailed{e.dump()};
    }
    if (first != next) throw Error::internal(where + " does not start where the previous one ended");
    const auto result = nlohmann::json::parse(sh.result.value_or("{}"));
    const std::string fp = result.value("fingerprint", std::string());
    if (seen && *seen != fp) throw Error::internal(where + " ran on other inputs than the shards before it");
    seen = fp;
    outputs.push_back({where, last - first, sh.output});
    next = last;
    if (k == 0) *first_request = request;
  }
  if (next != total) throw Error::internal(fmt::format("the shards end at {} of {}", next, total));
  *fingerprint = seen && !seen->empty() ? std::stoull(*seen, nullptr, 16) : 0;
  return outputs;
}

std::vector<double> gather_shards(JobSteps& steps, std::int64_t total, std::size_t stride,
                                  std::uint64_t* fingerprint, nlohmann::json* first_request) {
  std::vector<double> values;
  values.reserve(static_cast<std::size_t>(total) * stride);
  for (const auto& o : gather_shard_outputs(steps, total, fingerprint, first_request)) {
    const auto part = values_from_bytes(o.bytes);
    if (part.size() != static_cast<std::size_t>(o.items) * stride) {
      throw Error::internal(fmt::format("{} kept {} values, not {}", o.where, part.size(),
                                        static_cast<std::size_t>(o.items) * stride));
    }
    values.insert(values.end(), part.begin(), part.end());
  }
  return values;
}

nlohmann::json run_shard(JobSteps& steps, const nlohmann::json& request,
                         const std::function<ShardBytes(ShardRange, const ShardProgress&)>& compute) {
  const ShardRange range{request.at("first").get<std::int64_t>(), request.at("last").get<std::int64_t>()};
  steps.progress(0.0, fmt::format("computing items {} to {}", range.first, range.last));
  auto done = compute(range, [&](double f) { steps.progress(f * 0.99, "computing"); });
  const std::string fp = done.fingerprint != 0 ? hex64(done.fingerprint) : std::string();
  const std::string expected = request.value("fingerprint", std::string());
  if (!expected.empty() && fp != expected) {
    throw Error(ErrorCode::kConflict,
                "the inputs of the Monte Carlo run changed after it was split (prices or the book were written "
                "meanwhile): run it again");
  }
  steps.set_output(std::move(done.bytes));
  return {{"first", range.first}, {"last", range.last}, {"fingerprint", fp}};
}

ShardBytes shard_bytes(const ShardValues& values) {
  return {values.fingerprint, values_to_bytes(values.values)};
}

}  // namespace keel::service
