#include "keel/server/jobs.h"

#include <algorithm>
#include <cmath>

#include "keel/core/error.h"

namespace keel::server {
namespace {

std::string error_json(const std::string& code, const std::string& message,
                       const std::vector<std::string>& details) {
  return nlohmann::json{{"code", code}, {"message", message}, {"details", details}}.dump();
}

}  // namespace

void JobContext::check() {
  if (stopping_.load()) throw JobStopped{true};
  if (store_.jobs().cancel_requested(job_.id)) throw JobStopped{false};
}

void JobContext::progress(double fraction, const std::string& message) {
  fraction = std::clamp(fraction, 0.0, 1.0);
  store_.jobs().set_progress(job_.id, fraction, message);
  job_.progress = fraction;
  job_.message = message;
  if (notify_) notify_();
  check();
}

JobRunner::JobRunner(JobRunnerOptions options) : options_(std::move(options)) {}

JobRunner::~JobRunner() { stop(); }

void JobRunner::register_kind(const std::string& kind, JobFn fn) { kinds_[kind] = std::move(fn); }

bool JobRunner::has_kind(const std::string& kind) const { return kinds_.count(kind) != 0; }

std::vector<std::string> JobRunner::kinds() const {
  std::vector<std::string> out;
  for (const auto& [k, fn] : kinds_) out.push_back(k);
  return out;
}

std::size_t JobRunner::recover() {
  auto store = open_store(options_.db_path, clock());
  return store->jobs().requeue_running("re-queued after a server restart");
}

void JobRunner::start() {
  if (started_.exchange(true)) return;
  stopping_ = false;
  for (std::size_t i = 0; i < options_.workers; ++i) threads_.emplace_back([this] { worker_loop(); });
}

void JobRunner::stop() {
  stopping_ = true;
  notify();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
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

void JobRunner::worker_loop() {
  std::unique_ptr<Store> store;
  while (!stopping_.load()) {
    std::optional<store::JobRecord> job;
    try {
      if (!store) store = open_store(options_.db_path, clock());
      job = store->jobs().claim_next(clock().unix_seconds());
    } catch (const std::exception&) {
      store.reset();  // e.g. the database was busy beyond the timeout; try again after a pause
    }
    if (!job) {
      const auto seen = generation_.load();
      wait_for_change(seen, std::chrono::milliseconds(static_cast<std::int64_t>(options_.poll_seconds * 1000)));
      continue;
    }
    ++busy_;
    notify();
    try {
      run_one(*store, std::move(*job));
    } catch (const std::exception&) {
      // The store failed while recording the outcome; the job stays "running" and is re-queued by
      // the next start (recover). Reconnect before claiming again.
      store.reset();
    }
    --busy_;
    notify();
  }
}

void JobRunner::run_one(Store& store, store::JobRecord job) {
  store::JobRepository& repo = store.jobs();
  const auto it = kinds_.find(job.kind);
  if (it == kinds_.end()) {
    repo.fail(job.id, error_json("invalid_input", "unknown job kind '" + job.kind + "'", {}), std::nullopt);
    return;
  }
  const std::int64_t id = job.id;
  const int attempts = job.attempts;
  const int max_attempts = job.max_attempts;
  try {
    nlohmann::json request = nlohmann::json::parse(job.request);
    JobContext ctx(store, std::move(job), stopping_, [this] { notify(); });
    ctx.check();
    const nlohmann::json result = it->second(ctx, request);
    repo.succeed(id, result.dump());
  } catch (const JobStopped& stopped) {
    if (stopped.shutdown) {
      repo.requeue(id, "interrupted by a server shutdown; re-queued");
    } else {
      repo.mark_cancelled(id, "cancelled while running");
    }
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kInternal) {
      repo.fail(id, error_json(std::string(error_code_name(e.code())), e.what(), e.details()), std::nullopt);
    } else if (attempts < max_attempts) {
      const double delay = std::min(options_.retry_cap_seconds, options_.retry_base_seconds * std::ldexp(1.0, attempts - 1));
      repo.fail(id, error_json("internal", e.what(), e.details()),
                clock().unix_seconds() + static_cast<std::int64_t>(std::ceil(delay)));
    } else {
      repo.fail(id, error_json("internal", e.what(), e.details()), std::nullopt);
    }
  } catch (const std::exception& e) {
    if (attempts < max_attempts) {
      const double delay = std::min(options_.retry_cap_seconds, options_.retry_base_seconds * std::ldexp(1.0, attempts - 1));
      repo.fail(id, error_json("internal", e.what(), {}), clock().unix_seconds() + static_cast<std::int64_t>(std::ceil(delay)));
    } else {
      repo.fail(id, error_json("internal", e.what(), {}), std::nullopt);
    }
  }
}

}  // namespace keel::server
