// keel/service/token_check.h: what one keel serve knows of users and revoked tokens, so that a
// token's check reads the store only when something changed.
//
// AuthCache holds user rows read on first use and the revocation journal of the store
// (keel/store/user_repository.h) read at most every poll_interval, by one request at a time, so
// that every token revoked on any server of the store is refused here for every request checked
// more than poll_interval after the revocation's commit. The token's signature and expiry are the
// server's (keel/server/auth.h: TokenService); this is the part that reads the store.
//
// Thread-safety: AuthCache locks internally; it is used by every request thread of a server.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "keel/service/sign_in.h"

namespace keel::service {

// Rows of account changes stay in the revocation journal this long (the store's retention).
inline constexpr std::int64_t kAccountChangeRetentionSeconds = 24 * 3600;

// What a verified token says (its signature and expiry already checked by the server).
struct TokenClaims {
  std::string username;
  std::int64_t user_id = 0;
  std::string tenant;
  Role role = Role::kViewer;
  std::int64_t token_version = 0;
  std::string jti;  // 32 hex digits
  std::string session;  // sid: the sign-in's refresh family (32 hex digits), "" when none
  std::int64_t issued_at = 0;
  std::int64_t expires_at = 0;
};

// What one server knows of users and revoked tokens (see the file comment).
struct AuthCacheOptions {
  // The journal is read again when the last read started longer ago than this: the staleness
  // bound of a revocation made on another server.
  std::chrono::milliseconds poll_interval{250};
  // A server whose last read started longer ago than this (idle) forgets every user and reads the
  // whole journal again: rows of account changes are kept kAccountChangeRetentionSeconds, twice this.
  std::chrono::seconds full_reload_after{kAccountChangeRetentionSeconds / 2};
  // Expired token ids are dropped from memory, and the server deletes expired journal rows from
  // the store (on a thread of its own, App), this often.
  std::chrono::seconds prune_interval{60};
  std::size_t max_users = 100000;  // more cached users: the cache starts afresh
};

class AuthCache {
 public:
  // Runs a function on a store (a connection leased for the call).
  using WithStore = std::function<void(const std::function<void(Store&)>&)>;
  AuthCache(WithStore with_store, AuthCacheOptions options = {});

  // The user of a verified token while the token stands: the journal read within poll_interval
  // (waiting for one read when it is older), the token's jti not revoked, the user existing,
  // enabled, of the token's name and token_version. nullopt otherwise. Throws what the store
  // throws (the caller answers 500: a token is never accepted unchecked).
  std::optional<SignInUser> admit(const TokenClaims& claims, std::int64_t now_epoch);
  // Reads the journal unless its last read started within poll_interval − `period` (at once when
  // poll_interval ≤ period). A caller that checks its tokens every `period` (the event hub, for
  // open streams) after this sees every revocation within poll_interval of its commit, as a
  // request does. Throws what the store throws.
  void refresh_ahead(std::chrono::milliseconds period, std::int64_t now_epoch);
  // A revocation this server made itself: applied at once (the journal row follows on every
  // other server within poll_interval).
  void revoked(const std::string& jti, std::int64_t expires_at);
  // A user row this server changed: forgotten at once.
  void user_changed(std::int64_t user_id);

  struct Stats {
    std::uint64_t polls = 0;       // journal reads
    std::uint64_t user_reads = 0;  // users read from the store (first use, or after a change)
    std::size_t users = 0;         // users held
    std::size_t revoked = 0;       // revoked token ids held
  };
  Stats stats() const;

 private:
  using SteadyTime = std::chrono::steady_clock::time_point;
  void refresh(SteadyTime asked, std::int64_t now_epoch);  // single-flight journal read
  void forget_user_locked(std::int64_t user_id);

  WithStore with_store_;
  AuthCacheOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable polled_;
  bool polling_ = false;                                    // guarded by mutex_
  std::optional<SteadyTime> last_poll_start_;               // guarded by mutex_
  SteadyTime last_prune_{};                                 // guarded by mutex_
  std::int64_t last_seen_ = 0;                              // guarded by mutex_: newest journal id read
  std::unordered_map<std::int64_t, SignInUser> users_;           // guarded by mutex_
  std::unordered_map<std::string, std::int64_t> revoked_;        // guarded by mutex_: jti -> expiry
  // Guarded by mutex_: a counter of forgettings, the count at which each user was last forgotten,
  // and the count at which everyone was (a read of a user that began before either is not kept).
  std::uint64_t forget_seq_ = 0;
  std::unordered_map<std::int64_t, std::uint64_t> forgotten_at_;
  std::uint64_t all_forgotten_at_ = 0;
  std::uint64_t polls_ = 0, user_reads_ = 0;                // guarded by mutex_
};

}  // namespace keel::service
