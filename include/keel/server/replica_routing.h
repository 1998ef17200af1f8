// keel/server/replica_routing.h: which store a request of keel serve reads from when the server has
// a read replica (ServerConfig::read_replica, a PostgreSQL hot standby).
//
// A request goes to the replica when its route only reads (RouteSpec::reads_only: GETs, but those
// marked on_primary) and its user has not written within the sticky window: a standby replays the
// primary's changes a little later, so a user's own reads follow their writes to the primary for
// `sticky` after each write (read-your-writes); other users may see a change that much later. The
// server runs a request again on the primary when it fails on the replica (docs/deploy.md, "A read
// replica"). Anonymous requests (no user: 0) are never sticky.
//
// Thread-safety: every member may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <unordered_map>

namespace keel::server {

class ReplicaRouting {
 public:
  using Time = std::chrono::steady_clock::time_point;
  explicit ReplicaRouting(std::chrono::duration<double> sticky) : sticky_(sticky) {}

  // Records a successful write by `user_id` at `now`.
  void note_write(std::int64_t user_id, Time now);
  // True when a request of a route that `reads_only`, by `user_id` at `now`, reads from the replica.
  bool reads_from_replica(bool reads_only, std::int64_t user_id, Time now);
  // Users remembered (those whose window has not passed, and up to 4096 older ones).
  std::size_t remembered();

 private:
  std::chrono::duration<double> sticky_;
  std::mutex mutex_;
  std::unordered_map<std::int64_t, Time> last_write_;  // guarded by mutex_
};

}  // namespace keel::server
