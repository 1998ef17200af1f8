// src/server/bounded_pool.h (private): the thread pools of `keel serve` (requests, compute, password
// hashes): a fixed set of threads taking work from a bounded queue that is fair between tenants.
//
// A full queue refuses at once (the caller answers 503), so a burst never grows memory or latency
// without bound. Each task records how long it waited (queue_wait), so /metrics shows where a
// request's time goes before its handler starts.
//
// Fair share (docs/server.md, "Fair share"). Every task names its tenant and user (a FairKey; the
// request pool's tasks run before authentication and name none: one anonymous lane, plain FIFO).
// A free thread takes the next task round-robin across the tenants that have tasks waiting, and
// round-robin across that tenant's users; one user's tasks run in the order submitted. With a
// tenant limit (PoolOptions::tenant_slots > 0) a tenant never holds more than that many slots at
// once: its further tasks wait even while a slot is free, so that slot stays for another tenant
// whose request arrives during a long computation (the compute pool: slots − 1 by default). A
// tenant may also hold at most PoolOptions::tenant_queue of the waiting places, so one tenant's
// burst cannot fill the queue and make every other tenant's requests 503.
//
// The pool's size is a number of slots: at most that many of its tasks run at once, counting the
// ones a caller runs on its own thread (try_run_here). An I/O thread runs a short request itself
// when a slot is free beyond those the queued tasks need, which saves two thread hand-offs (a
// wake-up of a pool thread and one of the I/O thread for the answer), yet the requests running at
// once stay bounded by the pool's size, wherever they run.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "keel/server/metrics.h"

namespace keel::server {

// Lowers the calling thread's scheduling priority by `nice_delta` (Linux: a thread's nice value is
// its own). The engines' threads run below the I/O threads so that, on a machine whose cores they
// keep busy, an I/O thread woken by a socket runs at once: a health check or a finished answer
// never waits for a computation's time slice. Raising a nice value needs no privilege; a failure
// leaves the thread as it was.
inline void lower_thread_priority(int nice_delta) {
#ifdef __linux__
  if (nice_delta <= 0) return;
  const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
  errno = 0;
  const int now = ::getpriority(PRIO_PROCESS, tid);
  if (now == -1 && errno != 0) return;
  ::setpriority(PRIO_PROCESS, tid, std::min(now + nice_delta, 19));
#else
  (void)nice_delta;
#endif
}

// Whose task it is: the lanes of the fair queue. Empty: the anonymous lane.
struct FairKey {
  std::string tenant;
  std::string user;
};

struct PoolOptions {
  std::size_t threads = 1;       // slots (threads), at least 1
  std::size_t capacity = 64;     // tasks that may wait, at least 1
  int nice_delta = 0;            // lower_thread_priority of the threads
  std::size_t tenant_slots = 0;  // slots one tenant may hold at once; 0: no limit
  std::size_t tenant_queue = 0;  // waiting places one tenant may hold; 0: the whole capacity
};

class BoundedPool {
 public:
  explicit BoundedPool(PoolOptions o)
      : capacity_(std::max<std::size_t>(o.capacity, 1)),
        slots_(std::max<std::size_t>(o.threads, 1)),
        tenant_slots_(o.tenant_slots),
        tenant_queue_(o.tenant_queue == 0 ? capacity_ : o.tenant_queue) {
    for (std::size_t i = 0; i < slots_; ++i) {
      threads_.emplace_back([this, nice = o.nice_delta] {
        lower_thread_priority(nice);
        loop();
      });
    }
  }
  BoundedPool(std::size_t threads, std::size_t capacity, int nice_delta)
      : BoundedPool(PoolOptions{threads, capacity, nice_delta, 0, 0}) {}
  ~BoundedPool() { stop(); }
  BoundedPool(const BoundedPool&) = delete;
  BoundedPool& operator=(const BoundedPool&) = delete;

  bool try_submit(std::function<void()> fn) { return try_submit(FairKey{}, std::move(fn)); }
  // Queues `fn` in the lane of `key`; false (fn dropped) when the queue, or the tenant's share of
  // it, is full, or the pool is stopping.
  bool try_submit(const FairKey& key, std::function<void()> fn) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_ || queued_ >= capacity_) return false;
      Tenant& t = tenants_[key.tenant];
      if (t.queued >= tenant_queue_) return false;  // (queued > 0: the entry stays anyway)
      auto& lane = t.users[key.user];
      if (lane.empty()) t.user_turns.push_back(key.user);
      lane.push_back(Task{std::move(fn), std::chrono::steady_clock::now(), key.tenant});
      if (t.queued++ == 0) tenant_turns_.push_back(key.tenant);
      ++queued_;
    }
    cv_.notify_one();
    return true;
  }
  // Runs `fn` on the calling thread (the anonymous lane) when a slot is free beyond those the
  // queued tasks need (a caller never takes the slot a queued task waits for, so the queue cannot
  // starve); false, `fn` not run, otherwise.
  template <class Fn>
  bool try_run_here(Fn&& fn) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_ || busy_ + queued_ >= slots_) return false;
      ++busy_;
    }
    wait_.observe(0.0);
    ++running_;
    try {
      fn();
    } catch (...) {
      // As on a pool thread: App's steps catch their own exceptions; nothing may end the caller.
    }
    --running_;
    release_slot();
    return true;
  }
  // Runs what is queued, then joins the threads.
  void stop() {
    {
      std::lock_guard lock(mutex_);
      if (stopping_ && threads_.empty()) return;
      stopping_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
    threads_.clear();
  }
  std::size_t queued() const {
    std::lock_guard lock(mutex_);
    return queued_;
  }
  std::size_t running() const { return running_.load(); }
  std::size_t slots() const { return slots_; }
  std::size_t tenant_slots() const { return tenant_slots_; }
  // Slots held and tasks waiting of one tenant (tests, metrics).
  std::pair<std::size_t, std::size_t> tenant_load(const std::string& tenant) const {
    std::lock_guard lock(mutex_);
    const auto it = tenants_.find(tenant);
    return it == tenants_.end() ? std::pair<std::size_t, std::size_t>{0, 0}
                                : std::pair<std::size_t, std::size_t>{it->second.running, it->second.queued};
  }
  Histogram queue_wait() const { return wait_.snapshot(); }

 private:
  struct Task {
    std::function<void()> fn;
    std::chrono::steady_clock::time_point queued_at;
    std::string tenant;
  };
  struct Tenant {
    std::map<std::string, std::deque<Task>> users;  // each user's tasks, in the order submitted
    std::deque<std::string> user_turns;             // users with tasks waiting, next first
    std::size_t queued = 0;
    std::size_t running = 0;  // slots held by its tasks
  };

  // The index in tenant_turns_ of the first tenant whose turn it is and that may take a slot, or
  // npos. mutex_ held.
  std::size_t next_tenant() const {
    for (std::size_t i = 0; i < tenant_turns_.size(); ++i) {
      const Tenant& t = tenants_.at(tenant_turns_[i]);
      if (tenant_slots_ == 0 || t.running < tenant_slots_) return i;
    }
    return std::string::npos;
  }
  bool can_take() const { return busy_ < slots_ && next_tenant() != std::string::npos; }

  // Takes the next task round-robin: that tenant goes to the back of the turns (when it has more
  // waiting), and so does its user within it. mutex_ held, can_take() true.
  Task take() {
    const std::size_t i = next_tenant();
    const std::string name = tenant_turns_[i];
    tenant_turns_.erase(tenant_turns_.begin() + static_cast<std::ptrdiff_t>(i));
    Tenant& t = tenants_.at(name);
    const std::string user = t.user_turns.front();
    t.user_turns.pop_front();
    auto lane = t.users.find(user);
    Task task = std::move(lane->second.front());
    lane->second.pop_front();
    if (lane->second.empty()) {
      if (!user.empty()) t.users.erase(lane);  // the anonymous lane stays: no allocation per request
    } else {
      t.user_turns.push_back(user);
    }
    --t.queued;
    --queued_;
    ++t.running;
    ++busy_;
    if (t.queued > 0) tenant_turns_.push_back(name);
    return task;
  }

  // A task of `tenant` ended: its slot is free. mutex_ held.
  void finished(const std::string& tenant) {
    --busy_;
    auto it = tenants_.find(tenant);
    if (it != tenants_.end() && --it->second.running == 0 && it->second.queued == 0 && !tenant.empty()) {
      tenants_.erase(it);
    }
  }

  void loop() {
    bool holding = false;  // this thread holds a slot from its previous task
    std::string tenant;    // ... of this tenant
    for (;;) {
      Task task;
      bool more = false;
      {
        std::unique_lock lock(mutex_);
        // The slot of the previous task is given back here, under the lock that takes the next:
        // this thread takes the next task itself, so no other needs waking for it.
        if (holding) finished(tenant);
        holding = false;
        // A slot may be held by a caller's thread (try_run_here): wait for it as for a task; a
        // tenant at its limit waits for one of its own slots.
        cv_.wait(lock, [&] { return (stopping_ && queued_ == 0) || (queued_ > 0 && can_take()); });
        if (queued_ == 0) return;
        task = take();
        holding = true;
        tenant = task.tenant;
        // Another task may have become runnable (a tenant below its limit again): another thread
        // takes it.
        more = queued_ > 0 && can_take();
      }
      if (more) cv_.notify_one();
      wait_.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - task.queued_at).count());
      ++running_;
      try {
        task.fn();
      } catch (...) {
        // Tasks catch their own exceptions (App::handle never throws); nothing may end a pool thread.
      }
      --running_;
      task.fn = nullptr;  // what the task holds (a connection) goes now, not at the next take
    }
  }

  // A caller's slot is free again: a thread waiting for one with a task queued goes on.
  void release_slot() {
    bool waiting_task = false;
    {
      std::lock_guard lock(mutex_);
      --busy_;
      waiting_task = queued_ > 0;
    }
    if (waiting_task) cv_.notify_one();
  }

  std::size_t capacity_;
  std::size_t slots_;
  std::size_t tenant_slots_;
  std::size_t tenant_queue_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::map<std::string, Tenant> tenants_;  // tenants with tasks waiting or running; guarded by mutex_
  std::deque<std::string> tenant_turns_;   // tenants with tasks waiting, next first; guarded by mutex_
  std::size_t queued_ = 0;                 // guarded by mutex_
  std::size_t busy_ = 0;   // slots taken, by pool threads or callers; guarded by mutex_
  bool stopping_ = false;  // guarded by mutex_
  std::vector<std::thread> threads_;
  std::atomic<std::size_t> running_{0};
  AtomicHistogram wait_;
};

}  // namespace keel::server
