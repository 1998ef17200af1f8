#include "keel/server/jobs.h"

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>

#include "keel/core/error.h"
#include "keel/store/job_repository.h"
#include "keel/store/store.h"

namespace keel::server {
namespace {

store::JobLease lease_of(const RunningJob& job) {
  return {job.id, job.attempts};
}

// What a job function sees of the claimed row (its text fields moved out).
RunningJob running_of(store::JobRecord& job) {
  return {.id = job.id,
          .tenant = std::move(job.tenant),
          .username = std::move(job.username),
          .kind = std::move(job.kind),
          .progress = job.progress,
          .message = std::move(job.message),
          .attempts = job.attempts,
          .shards = job.shards};
}

std::string error_json(const std::string& code, const std::string& message,
                       const std::vector<std::string>& details) {
  return nlohmann::json{{"code", code}, {"message", message}, {"details", details}}.dump();
}

}  // namespace

std::string default_runner_owner() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return fmt::format("{}:{}", host[0] ? host : "localhost", ::getpid());
}

void JobContext::check() { check(false); }

void JobContext::check(bool read_store) {
  if (lost_.load()) throw JobStopped{JobStopped::Why::kLeaseLost};
  if (stopping_.load()) throw JobStopped{JobStopped::Why::kShutdown};
  if (signal_) {
    if (const auto why = signal_->reason()) throw JobStopped{*why};
  }
  const auto now = std::chrono::steady_clock::now();
  if (!read_store && now - store_checked_ < std::chrono::milliseconds(250)) return;
  store_checked_ = now;
  if (store_.jobs().cancel_requested(job_.id)) {
    if (signal_) signal_->stop(JobStopped::Why::kCancelled, "the job was cancelled");
    throw JobStopped{JobStopped::Why::kCancelled};
  }
}

void JobContext::progress(double fraction, const std::string& message) {
  fraction = std::clamp(fraction, 0.0, 1.0);
  if (!store_.jobs().set_progress(lease_of(job_), fraction, message))
    throw JobStopped{JobStopped::Why::kLeaseLost};
  job_.progress = fraction;
  job_.message = message;
  if (notify_) notify_();
  check(true);
}

void JobContext::split(const std::string& shard_kind, const std::vector<nlohmann::json>& requests) {
  check();
  std::vector<std::string> texts;
  texts.reserve(requests.size());
  for (const auto& r : requests) texts.push_back(r.dump());
  if (!store_.jobs().split(lease_of(job_), shard_kind, texts, clock_.unix_seconds())) {
    throw JobStopped{JobStopped::Why::kLeaseLost};
  }
  if (notify_) notify_();
  throw JobSplit{};
}

std::vector<JobShard> JobContext::shards() { return store_.jobs().shard_outputs(job_.id); }

JobRunner::JobRunner(JobRunnerOptions options)
    : options_(std::move(options)), owner_(options_.owner.empty() ? default_runner_owner() : options_.owner) {
  if (!(options_.lease_seconds > 0) || !(options_.heartbeat_seconds > 0) ||
      options_.heartbeat_seconds >= options_.lease_seconds) {
    throw Error::usage("job leases: the heartbeat interval must be positive and shorter than the lease");
  }
}

JobRunner::~JobRunner() { stop(); }

void JobRunner::register_kind(const std::string& kind, JobFn fn) { kinds_[kind] = std::move(fn); }

bool JobRunner::has_kind(const std::string& kind) const { return kinds_.count(kind) != 0; }

std::vector<std::string> JobRunner::kinds() const {
  std::vector<std::string> out;
  for (const auto& [k, fn] : kinds_) out.push_back(k);
  return out;
}

std::int64_t JobRunner::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock().now().time_since_epoch()).count();
}

void JobRunner::start() {
  if (started_.exchange(true)) return;
  stopping_ = false;
  if (options_.workers == 0) return;  // queue only: nothing is claimed, nothing to renew
  for (std::size_t i = 0; i < options_.workers; ++i) threads_.emplace_back([this, i] { worker_loop(i); });
  heartbeat_ = std::thread([this] { heartbeat_loop(); });
}

void JobRunner::request_stop() {
  stopping_ = true;
  {
    std::lock_guard lock(held_mutex_);
    for (auto& [id, h] : held_) h.signal->stop(JobStopped::Why::kShutdown, "the server is shutting down");
  }
  notify();
}

bool JobRunner::cancel_local(std::int64_t id, const std::string& why) {
  bool any = false;
  {
    std::lock_guard lock(held_mutex_);
    for (auto& [held_id, h] : held_) {
      if (held_id == id || h.parent == id) {
        h.signal->stop(JobStopped::Why::kCancelled, why);
        any = true;
      }
    }
  }
  return any;
}

std::size_t JobRunner::requeue_held(const std::string& message) {
  std::vector<Held> held;
  {
    std::lock_guard lock(held_mutex_);
    for (const auto& [id, h] : held_) {
      if (!h.lost->load()) held.push_back(h);
    }
  }
  if (held.empty()) return 0;
  std::size_t n = 0;
  try {
    auto store = open_store(options_.db_path, clock());
    for (const auto& h : held) {
      const auto why = h.signal->reason();
      const bool cancelled = why && *why == JobStopped::Why::kCancelled;
      if (cancelled ? store->jobs().mark_cancelled({h.id, h.attempts}, "cancelled while running")
                    : store->jobs().requeue({h.id, h.attempts}, message)) {
        ++n;
      }
    }
  } catch (const std::exception&) {
    // The database is unreachable: the leases expire and the jobs are claimed again.
  }
  return n;
}

std::vector<std::string> JobRunner::full_tenants() const {
  std::vector<std::string> out;
  if (options_.tenant_workers == 0) return out;
  std::map<std::string, std::size_t> running;
  for (const auto& [id, h] : held_) {
    if (++running[h.tenant] == options_.tenant_workers) out.push_back(h.tenant);
  }
  return out;
}

void JobRunner::stop() {
  request_stop();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
  {
    std::lock_guard lock(held_mutex_);
  }
  held_cv_.notify_all();
  if (heartbeat_.joinable()) heartbeat_.join();
  started_ = false;
}

void JobRunner::notify() {
  {
    std::lock_guard lock(mutex_);
    ++generation_;
  }
  cv_.notify_all();
}

std::uint64_t JobRunner::wait_for_change(std::uint64_t seen, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  cv_.wait_for(lock, timeout, [&] { return generation_.load() != seen || stopping_.load(); });
  return generation_.load();
}

void JobRunner::heartbeat_loop() {
  std::unique_ptr<Store> store;
  using ms = std::chrono::milliseconds;
  const auto every = ms(static_cast<std::int64_t>(options_.heartbeat_seconds * 1000));
  // Cancel requests made by another process are looked for this often (this process's own reach
  // the job at once: cancel_local).
  const auto poll = std::min(every, ms(std::max<std::int64_t>(
                                        10, static_cast<std::int64_t>(options_.cancel_poll_seconds * 1000))));
  const auto lease_ms = static_cast<std::int64_t>(options_.lease_seconds * 1000);
  auto next_beat = std::chrono::steady_clock::now() + every;
  for (;;) {
    std::vector<Held> held;
    {
      std::unique_lock lock(held_mutex_);
      held_cv_.wait_for(lock, poll, [&] { return stopping_.load() && held_.empty(); });
      if (stopping_.load() && held_.empty()) return;
      for (const auto& [id, h] : held_) held.push_back(h);
    }
    const bool beat = std::chrono::steady_clock::now() >= next_beat;
    if (beat) next_beat = std::chrono::steady_clock::now() + every;
    for (const auto& h : held) {
      try {
        if (!store) store = open_store(options_.db_path, clock());
        if (beat && !store->jobs().heartbeat({h.id, h.attempts}, now_ms() + lease_ms)) {
          // Claimed again elsewhere (this runner was too slow to renew), cancelled while waiting,
          // or ended: the job stops at its next step and writes nothing.
          if (!h.lost->exchange(true)) ++leases_lost_;
          h.signal->stop(JobStopped::Why::kLeaseLost, "the job's lease was lost");
        } else if (!h.signal->reason() && store->jobs().cancel_requested(h.id)) {
          h.signal->stop(JobStopped::Why::kCancelled, "the job was cancelled");
        }
      } catch (const std::exception&) {
        store.reset();  // the database is unreachable: try again next beat; the fence protects the job
      }
    }
  }
}

void JobRunner::worker_loop(std::size_t index) {
  std::unique_ptr<Store> store;
  const std::string owner = fmt::format("{}:{}", owner_, index);
  const auto lease_ms = static_cast<std::int64_t>(options_.lease_seconds * 1000);
  while (!stopping_.load()) {
    std::optional<store::JobRecord> job;
    auto lost = std::make_shared<std::atomic<bool>>(false);
    auto signal = std::make_shared<JobStopSignal>();
    const auto seen = generation_.load();
    try {
      if (!store) store = open_store(options_.db_path, clock());
      // One claim at a time in this runner, and the job held before the next claim counts it.
      std::lock_guard claiming(claim_mutex_);
      std::vector<std::string> full;
      {
        std::lock_guard lock(held_mutex_);
        full = full_tenants();
      }
      if (!stopping_.load()) job = store->jobs().claim_next({owner, clock().unix_seconds(), now_ms(), lease_ms}, full);
      if (job) {
        std::lock_guard lock(held_mutex_);
        held_[job->id] = Held{job->id, job->attempts, job->tenant, job->parent_id, lost, signal};
        // A stop asked between the claim and now found no job to fire: fire it here.
        if (stopping_.load()) signal->stop(JobStopped::Why::kShutdown, "the server is shutting down");
      }
    } catch (const std::exception&) {
      store.reset();  // e.g. the database was busy beyond the timeout; try again after a pause
    }
    if (!job) {
      wait_for_change(seen, std::chrono::milliseconds(static_cast<std::int64_t>(options_.poll_seconds * 1000)));
      continue;
    }
    ++busy_;
    notify();
    const std::int64_t id = job->id;
    try {
      run_one(*store, running_of(*job), job->max_attempts, job->request, lost, *signal);
    } catch (const std::exception&) {
      // The store failed while recording the outcome; the job stays "running" until its lease
      // expires and another claim takes it. Reconnect before claiming again.
      store.reset();
    }
    {
      std::lock_guard lock(held_mutex_);
      held_.erase(id);
    }
    held_cv_.notify_all();
    --busy_;
    notify();
  }
}

void JobRunner::run_one(Store& store, RunningJob job, int max_attempts, const std::string& request_text,
                        const std::shared_ptr<std::atomic<bool>>& lost, JobStopSignal& signal) {
  store::JobRepository& repo = store.jobs();
  const store::JobLease lease = lease_of(job);
  const auto it = kinds_.find(job.kind);
  if (it == kinds_.end()) {
    repo.fail(lease, error_json("invalid_input", "unknown job kind '" + job.kind + "'", {}), std::nullopt);
    return;
  }
  const int attempts = job.attempts;
  const auto retry_or_fail = [&](const std::string& error) {
    if (attempts < max_attempts) {
      const double delay =
          std::min(options_.retry_cap_seconds, options_.retry_base_seconds * std::ldexp(1.0, attempts - 1));
      repo.fail(lease, error, clock().unix_seconds() + static_cast<std::int64_t>(std::ceil(delay)));
    } else {
      repo.fail(lease, error, std::nullopt);
    }
  };
  const auto stopped_for = [&](JobStopped::Why why) {
    if (lost->load()) why = JobStopped::Why::kLeaseLost;
    switch (why) {
      case JobStopped::Why::kShutdown:
        repo.requeue(lease, "interrupted by a shutdown; re-queued");
        break;
      case JobStopped::Why::kCancelled:
        repo.mark_cancelled(lease, "cancelled while running");
        break;
      case JobStopped::Why::kLeaseLost:
        if (!lost->exchange(true)) ++leases_lost_;
        break;
    }
  };
  // Why the job was asked to stop, if it was (its Cancellation fired, or the runner stops).
  const auto stop_reason = [&]() -> std::optional<JobStopped::Why> {
    if (lost->load()) return JobStopped::Why::kLeaseLost;
    if (auto why = signal.reason()) return why;
    if (stopping_.load()) return JobStopped::Why::kShutdown;
    return std::nullopt;
  };
  try {
    nlohmann::json request = nlohmann::json::parse(request_text);
    JobContext ctx(store, std::move(job), stopping_, *lost, [this] { notify(); }, clock(), &signal);
    ctx.set_changes(options_.changes);
    ctx.check();
    nlohmann::json result;
    {
      CancelScope scope(&signal.cancellation());
      result = it->second(ctx, request);
    }
    // Asked to stop before it returned: what it returns may be cut short (a batch whose
    // portfolios were stopped one by one), so the stop decides, not the result.
    if (const auto why = stop_reason()) return stopped_for(*why);
    if (!repo.succeed(lease, result.dump(), ctx.output()) && !lost->exchange(true)) ++leases_lost_;
  } catch (const JobSplit&) {
    // Stored: the job waits for its shards without a lease.
  } catch (const JobFailed& failed) {
    if (const auto why = stop_reason()) return stopped_for(*why);
    repo.fail(lease, failed.error_json, std::nullopt);
  } catch (const JobStopped& stopped) {
    stopped_for(stopped.why);
  } catch (const Error& e) {
    // An engine stopped by the job's Cancellation: the reason it fired for decides.
    if (e.code() == ErrorCode::kCancelled || e.code() == ErrorCode::kUnavailable) {
      if (const auto why = stop_reason()) return stopped_for(*why);
    }
    if (e.code() != ErrorCode::kInternal) {
      repo.fail(lease, error_json(std::string(error_code_name(e.code())), e.what(), e.details()), std::nullopt);
    } else {
      retry_or_fail(error_json("internal", e.what(), e.details()));
    }
  } catch (const std::exception& e) {
    if (const auto why = stop_reason()) return stopped_for(*why);
    retry_or_fail(error_json("internal", e.what(), {}));
  }
}

}  // namespace keel::server
