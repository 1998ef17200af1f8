// src/server/event_hub.h (private): server-sent events for job progress, at the cost of memory
// rather than threads.
//
// A connection that answers GET /api/v1/jobs/{id}/events subscribes an EventSink (the connection
// itself) for that job. One hub thread waits for job changes (JobRunner::wait_for_change: this
// process's jobs, other processes' through the store's notifications, else a poll), reads
// each watched job once per change, no matter how many streams watch it, and pushes the event
// text to every sink whose last event is older; it sends a comment line as a heartbeat every
// `heartbeat` so that proxies keep idle streams open. A sink that refuses a push (its client stopped
// reading and its buffer passed the bound, or it closed) is dropped. The hub holds sinks weakly: a
// connection lives as long as its socket (it keeps a read pending to notice the client leaving).
//
// The hub also carries a tenant's portfolio changes (GET /api/v1/events). A use case keeps each in
// the store (keel/service/changes.h) and tells the hub, the server's ChangeFeed, which wakes; on
// each turn the hub reads the changes kept since its last (service::changes_after) — this process's
// and every other's sharing the store: keel import, keel worker, another keel serve, which wake it
// through the store's notifications on PostgreSQL and are found by the poll otherwise — and pushes
// "event: portfolio.changed" with {"type","portfolio_id","portfolio","what"} to every stream of
// that change's tenant, and nothing to any other tenant's; "event: clo.changed" for a deal's breach
// or alert; and "event: job.finished" {"type","job_id","kind","status"} when a job of the stream's
// user ends (the store journals every job's end, whoever ran it: migration 96), to that user's
// streams only. A change the store could not keep is
// pushed at once from the announcing thread. These streams get the same heartbeat and the same
// shutdown event.
//
// Every stream belongs to the token that opened it (StreamOwner). The hub checks each stream's
// token against the server's AuthCache — the revocation journal, the user's row — before each turn
// that pushes events and at least every revocation_check_period() (a fifth of the journal's poll
// interval, 20 to 50 ms), reading the journal so that a revocation is seen within the poll
// interval of its commit (AuthCache::refresh_ahead). A stream whose token was signed out, whose
// user was disabled or had its password or role changed, or whose token expired gets
// "event: revoked" with {"reason":"revoked"|"expired"} and ends; the user's other tokens' streams
// and other users' streams go on. A revocation made by this server (its sign-out and user routes:
// tokens_changed()) wakes the hub at once. The checks read the store (the journal, a user row) on
// the hub thread, outside the hub's lock, never on an I/O thread.
//
// Thread-safety: subscribe(), subscribe_tenant(), portfolio_changed() and notify() from any
// thread; sinks are called on the hub thread (or the announcing thread) under the hub's lock and
// must not block (they post to their connection's strand).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "keel/service/changes.h"
#include "keel/service/token_check.h"

namespace keel::server {

class App;

class EventSink {
 public:
  virtual ~EventSink() = default;
  // Queues `bytes` for the client (the stream ends after them when `last`). Returns false when the
  // sink is closed or over its buffer bound; the hub then forgets it.
  virtual bool push(std::string bytes, bool last) = 0;
};

// The token a stream was opened with: the stream lasts while it stands. Null: a stream of no
// token (none in the server; tests may subscribe so).
using StreamOwner = std::shared_ptr<const service::TokenClaims>;

class EventHub : public service::ChangeFeed {
 public:
  EventHub(App& app, std::chrono::milliseconds heartbeat);
  ~EventHub();
  void start();
  // Sends "event: shutdown" and ends every stream, then joins the hub thread. Idempotent.
  void stop();
  void subscribe(std::int64_t job_id, std::shared_ptr<EventSink> sink, StreamOwner owner = nullptr);
  // A stream of `tenant`'s portfolio changes, open until the client leaves, its token stops
  // standing or the server stops.
  void subscribe_tenant(const std::string& tenant, std::shared_ptr<EventSink> sink, StreamOwner owner = nullptr);
  // A stream its route produces itself (the assistant's answer): the hub sends it nothing, but ends
  // it with "event: revoked" (last) when its token stops standing, as it ends the others; the
  // producer sees its next push refused and stops.
  void watch(std::shared_ptr<EventSink> sink, StreamOwner owner);
  void portfolio_changed(const service::PortfolioChange& change) noexcept override;
  // This server revoked a token or changed a user (AuthCache::revoked, user_changed): check the
  // streams' tokens now.
  void tokens_changed();
  std::size_t streams() const;
  // How often open streams' tokens are checked at least.
  std::chrono::milliseconds revocation_check_period() const { return check_period_; }

 private:
  struct Subscriber {
    std::weak_ptr<EventSink> sink;
    std::int64_t last_version = -1;
    StreamOwner owner;
  };
  struct TenantSubscriber {
    std::weak_ptr<EventSink> sink;
    StreamOwner owner;
  };
  void loop();
  // One read of the watched jobs and the kept changes, pushed to the streams (hub thread only).
  void push_turn(const service::Context& cx, bool beat);
  // Pushes `bytes` to `tenant`'s streams, dropping those that refuse.
  // To the streams of `tenant`; of its user `user` only when one is named.
  void push_tenant(const std::string& tenant, const std::string& user, const std::string& bytes);
  // Pushes the changes kept after changes_seen_ (hub thread only).
  void push_stored_changes(const service::Context& cx);
  // Ends every stream whose token no longer stands (hub thread only; reads the store outside the lock).
  void end_revoked_streams();

  App& app_;
  std::chrono::milliseconds heartbeat_;
  std::chrono::milliseconds check_period_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::map<std::int64_t, std::vector<Subscriber>> subscribers_;  // guarded by mutex_
  std::map<std::string, std::vector<TenantSubscriber>> tenant_subscribers_;  // guarded by mutex_
  std::vector<TenantSubscriber> watched_;  // guarded by mutex_: watch(); expired ones dropped at checks
  bool dirty_ = false;                                           // guarded by mutex_: new subscribers
  bool tokens_dirty_ = false;                                    // guarded by mutex_: tokens_changed()
  bool stopping_ = false;                                        // guarded by mutex_
  std::int64_t changes_seen_ = -1;  // hub thread: the last change pushed (-1: not read yet)
  std::thread thread_;
};

}  // namespace keel::server
