// What one server knows of users and revoked tokens (keel/service/token_check.h).
#include "keel/service/token_check.h"

#include <algorithm>
#include <iterator>
#include <vector>

#include "keel/store/store.h"
#include "sign_in_internal.h"

namespace keel::service {

static_assert(kAccountChangeRetentionSeconds == store::kAccountChangeRetentionSeconds);

namespace {
constexpr std::size_t kJournalPage = 5000;  // journal rows read per query
}  // namespace

AuthCache::AuthCache(WithStore with_store, AuthCacheOptions options)
    : with_store_(std::move(with_store)), options_(options) {}

void AuthCache::refresh(SteadyTime asked, std::int64_t now_epoch) {
  std::unique_lock lock(mutex_);
  // Fresh enough when the last read started within poll_interval before this request asked. One
  // read at a time: the others wait for it, then look again (it may have started too early).
  while (!(last_poll_start_ && asked - *last_poll_start_ <= options_.poll_interval)) {
    if (polling_) {
      polled_.wait(lock, [&] { return !polling_; });
      continue;
    }
    polling_ = true;
    const SteadyTime start = std::chrono::steady_clock::now();
    // Idle for long: rows of account changes may have been pruned unseen; start afresh.
    const bool full = !last_poll_start_ || start - *last_poll_start_ > options_.full_reload_after;
    std::int64_t after = full ? 0 : last_seen_;
    const bool prune = start - last_prune_ >= options_.prune_interval;
    lock.unlock();
    std::vector<store::TokenRevocation> rows;
    try {
      with_store_([&](Store& store) {
        for (;;) {
          auto page = store.users().revocations_since(after, kJournalPage);
          if (!page.empty()) after = page.back().id;
          const bool more = page.size() == kJournalPage;
          rows.insert(rows.end(), std::make_move_iterator(page.begin()), std::make_move_iterator(page.end()));
          if (!more) break;
        }
      });
    } catch (...) {
      lock.lock();
      polling_ = false;
      polled_.notify_all();
      throw;
    }
    lock.lock();
    ++polls_;
    if (full) {
      users_.clear();
      revoked_.clear();
      forgotten_at_.clear();
      all_forgotten_at_ = ++forget_seq_;
    }
    for (auto& r : rows) {
      if (r.jti) {
        if (r.expires_at > now_epoch) revoked_[*r.jti] = r.expires_at;
      } else {
        forget_user_locked(r.user_id);
      }
    }
    if (!rows.empty()) last_seen_ = std::max(last_seen_, rows.back().id);
    if (prune) {
      last_prune_ = start;
      std::erase_if(revoked_, [&](const auto& entry) { return entry.second <= now_epoch; });
    }
    last_poll_start_ = start;
    polling_ = false;
    polled_.notify_all();
  }
}

void AuthCache::refresh_ahead(std::chrono::milliseconds period, std::int64_t now_epoch) {
  // Never further ahead than the interval itself, else a read just made would not do.
  refresh(std::chrono::steady_clock::now() + std::min(period, options_.poll_interval), now_epoch);
}

void AuthCache::forget_user_locked(std::int64_t user_id) {
  users_.erase(user_id);
  forgotten_at_[user_id] = ++forget_seq_;
}

std::optional<SignInUser> AuthCache::admit(const TokenClaims& claims, std::int64_t now_epoch) {
  refresh(std::chrono::steady_clock::now(), now_epoch);
  const auto stands = [&](const SignInUser& u) {
    return !u.disabled && u.username == claims.username && u.token_version == claims.token_version;
  };
  std::unique_lock lock(mutex_);
  if (revoked_.count(claims.jti)) return std::nullopt;
  if (auto it = users_.find(claims.user_id); it != users_.end()) {
    // Versions only grow: a token newer than the row held means the row is out of date (a user
    // enabled again and signed in on another server), so read it again below.
    if (it->second.token_version >= claims.token_version) {
      if (!stands(it->second)) return std::nullopt;
      return it->second;
    }
    forget_user_locked(claims.user_id);
  }
  // Read the row; keep it only when no journal row about this user (or a reset) was applied while
  // it was being read, else read again: the first read may predate that change.
  for (;;) {
    const std::uint64_t before = forget_seq_;
    lock.unlock();
    std::optional<SignInUser> user;
    with_store_([&](Store& store) {
      if (auto row = store.users().find_id(claims.user_id)) user = detail::sign_in_user_of(*row);
    });
    lock.lock();
    ++user_reads_;
    const auto f = forgotten_at_.find(claims.user_id);
    const bool changed = all_forgotten_at_ > before || (f != forgotten_at_.end() && f->second > before);
    if (changed) continue;
    if (!user) return std::nullopt;
    if (users_.size() >= options_.max_users) {
      users_.clear();
      forgotten_at_.clear();
      all_forgotten_at_ = ++forget_seq_;
    }
    user->password_hash.clear();  // never needed here: logins read the store themselves
    users_[user->id] = *user;
    if (!stands(*user)) return std::nullopt;
    return user;
  }
}

void AuthCache::revoked(const std::string& jti, std::int64_t expires_at) {
  std::lock_guard lock(mutex_);
  revoked_[jti] = expires_at;
}

void AuthCache::user_changed(std::int64_t user_id) {
  std::lock_guard lock(mutex_);
  forget_user_locked(user_id);
}

AuthCache::Stats AuthCache::stats() const {
  std::lock_guard lock(mutex_);
  return {polls_, user_reads_, users_.size(), revoked_.size()};
}

}  // namespace keel::service
