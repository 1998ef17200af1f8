// Read replica routing (keel/server/replica_routing.h).
#include "keel/server/replica_routing.h"

namespace keel::server {

void ReplicaRouting::note_write(std::int64_t user_id, Time now) {
  if (user_id == 0) return;
  std::lock_guard lock(mutex_);
  last_write_[user_id] = now;
  if (last_write_.size() > 4096) {  // forget the writes whose window has passed
    std::erase_if(last_write_, [&](const auto& kv) { return now - kv.second >= sticky_; });
  }
}

bool ReplicaRouting::reads_from_replica(bool reads_only, std::int64_t user_id, Time now) {
  if (!reads_only) return false;
  if (user_id == 0) return true;
  std::lock_guard lock(mutex_);
  const auto it = last_write_.find(user_id);
  return it == last_write_.end() || now - it->second >= sticky_;
}

std::size_t ReplicaRouting::remembered() {
  std::lock_guard lock(mutex_);
  return last_write_.size();
}

}  // namespace keel::server
