// Job progress streams (see event_hub.h).
#include "event_hub.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include <nlohmann/json.hpp>

#include "app.h"
#include "http_intake.h"
#include "keel/server/jobs.h"
#include "keel/service/jobs.h"

namespace keel::server {
namespace {

// One SSE message: "id: <version>\nevent: <progress|succeeded|failed|cancelled>\ndata: {...}\n\n".
std::string job_event(const service::JobView& j) {
  const bool terminal = is_terminal(j.status);
  nlohmann::json data = {{"id", j.id},
                         {"status", service::job_status_name(j.status)},
                         {"progress", j.progress},
                         {"message", j.message},
                         {"attempts", j.attempts}};
  if (terminal && !j.result.is_null()) data["result"] = j.result;
  if (j.error) data["error"] = spec::to_json(*j.error);
  const std::string event = terminal ? std::string(service::job_status_name(j.status)) : "progress";
  return fmt::format("id: {}\nevent: {}\ndata: {}\n\n", j.version, event, dump_json(data));
}

// Pushes `bytes` to each sink of `subs`, dropping those that are gone or refuse.
template <class Sub>
void push_all(std::vector<Sub>& subs, const std::string& bytes, bool last) {
  for (auto s = subs.begin(); s != subs.end();) {
    auto sink = s->sink.lock();
    s = sink && sink->push(bytes, last) && !last ? std::next(s) : subs.erase(s);
  }
}

// The last event of a stream whose token no longer stands: "revoked" (signed out; the user
// disabled, or its password or role changed) or "expired".
std::string revoked_event(const char* reason) {
  return fmt::format("event: revoked\ndata: {}\n\n", dump_json(nlohmann::json{{"reason", reason}}));
}

// The period of the streams' token checks: a fifth of the journal's poll interval, 20 to 50 ms.
std::chrono::milliseconds check_period_of(std::chrono::milliseconds poll_interval) {
  return std::clamp(poll_interval / 5, std::chrono::milliseconds(20), std::chrono::milliseconds(50));
}

// The event of a journal row, by its kind: "event: portfolio.changed" with
// {"type","portfolio_id","portfolio","what"}; a CLO deal's breach or alert (service::clo_deal_changed)
// "event: clo.changed" with {"type","deal_id","deal","what"}; a job's end (journaled by the store)
// "event: job.finished" with {"type","job_id","kind","status"}; an import's warnings (to the importer
// alone) "event: import.warnings" with {"type","import","id","name","warnings","count"}.
std::string change_event(const service::PortfolioChange& c) {
  if (c.kind == "clo") {
    const nlohmann::json data = {{"type", "clo.changed"}, {"deal_id", c.portfolio_id}, {"deal", c.portfolio},
                                 {"what", c.what}};
    return fmt::format("event: clo.changed\ndata: {}\n\n", dump_json(data));
  }
  if (c.kind == "job") {
    const nlohmann::json data = {
        {"type", "job.finished"}, {"job_id", c.portfolio_id}, {"kind", c.portfolio}, {"status", c.what}};
    return fmt::format("event: job.finished\ndata: {}\n\n", dump_json(data));
  }
  if (c.kind == "import") {
    // The import's notice (service::import_warned): what was imported into, the warnings, their count.
    auto data = service::import_notice(c);
    data["type"] = "import.warnings";
    return fmt::format("event: import.warnings\ndata: {}\n\n", dump_json(data));
  }
  const nlohmann::json data = {
      {"type", "portfolio.changed"}, {"portfolio_id", c.portfolio_id}, {"portfolio", c.portfolio}, {"what", c.what}};
  return fmt::format("event: portfolio.changed\ndata: {}\n\n", dump_json(data));
}

}  // namespace

EventHub::EventHub(App& app, std::chrono::milliseconds heartbeat)
    : app_(app), heartbeat_(heartbeat), check_period_(check_period_of(app.config.auth_cache.poll_interval)) {}

EventHub::~EventHub() { stop(); }

void EventHub::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { loop(); });
}

void EventHub::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  app_.jobs->notify();
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  // End every stream still open.
  std::map<std::int64_t, std::vector<Subscriber>> left;
  std::map<std::string, std::vector<TenantSubscriber>> tenants_left;
  {
    std::lock_guard lock(mutex_);
    left.swap(subscribers_);
    tenants_left.swap(tenant_subscribers_);
  }
  for (auto& [tenant, sinks] : tenants_left) push_all(sinks, "event: shutdown\ndata: {}\n\n", true);
  for (auto& [id, subs] : left) {
    for (auto& s : subs) {
      if (auto sink = s.sink.lock()) sink->push("event: shutdown\ndata: {}\n\n", true);
    }
  }
}

void EventHub::subscribe(std::int64_t job_id, std::shared_ptr<EventSink> sink, StreamOwner owner) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      sink->push("event: shutdown\ndata: {}\n\n", true);
      return;
    }
    subscribers_[job_id].push_back(Subscriber{sink, -1, std::move(owner)});
    dirty_ = true;
  }
  app_.jobs->notify();  // wakes the hub (and idle job workers, who find nothing and sleep again)
}

void EventHub::subscribe_tenant(const std::string& tenant, std::shared_ptr<EventSink> sink, StreamOwner owner) {
  bool first = false;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      sink->push("event: shutdown\ndata: {}\n\n", true);
      return;
    }
    // A comment first, so the client's stream opens (a proxy passes the headers and these bytes on).
    if (!sink->push(": portfolio changes\n\n", false)) return;
    first = subscribers_.empty() && tenant_subscribers_.empty() && watched_.empty();
    tenant_subscribers_[tenant].push_back(TenantSubscriber{sink, std::move(owner)});
  }
  // The hub waits longer while no stream is open (up to its poll): wake it, so that the first
  // stream's token is checked from now on at the check period.
  if (first) app_.jobs->notify();
}

void EventHub::watch(std::shared_ptr<EventSink> sink, StreamOwner owner) {
  if (!owner) return;
  bool first = false;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    first = subscribers_.empty() && tenant_subscribers_.empty() && watched_.empty();
    watched_.push_back(TenantSubscriber{std::move(sink), std::move(owner)});
  }
  if (first) app_.jobs->notify();  // the hub checks tokens at the check period from now on
}

void EventHub::tokens_changed() {
  {
    std::lock_guard lock(mutex_);
    if (subscribers_.empty() && tenant_subscribers_.empty() && watched_.empty()) return;
    tokens_dirty_ = true;
  }
  app_.jobs->notify();  // wakes the hub
}

void EventHub::end_revoked_streams() {
  // The tokens of the open streams, each once.
  std::map<std::string, StreamOwner> owners;  // by jti
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, subs] : subscribers_) {
      for (const auto& s : subs) {
        if (s.owner) owners.emplace(s.owner->jti, s.owner);
      }
    }
    for (const auto& [tenant, subs] : tenant_subscribers_) {
      for (const auto& s : subs) {
        if (s.owner) owners.emplace(s.owner->jti, s.owner);
      }
    }
    // A produced stream that ended by itself is forgotten here.
    std::erase_if(watched_, [](const TenantSubscriber& w) { return w.sink.expired(); });
    for (const auto& w : watched_) owners.emplace(w.owner->jti, w.owner);
  }
  if (owners.empty()) return;
  // Checked outside the hub's lock: the journal or a user row may be read from the store.
  const std::int64_t now = app_.now_epoch();
  std::map<std::string, const char*> ended;  // jti -> reason
  try {
    app_.auth_cache->refresh_ahead(check_period_, now);
    for (const auto& [jti, owner] : owners) {
      if (owner->expires_at <= now) ended.emplace(jti, "expired");
      else if (!app_.auth_cache->admit(*owner, now)) ended.emplace(jti, "revoked");
    }
  } catch (const std::exception& e) {
    // The store could not be read: the streams stay until a check succeeds (the next in a period).
    app_.log_line({{"level", "error"}, {"event", "event_hub"}, {"error", e.what()}});
  }
  if (ended.empty()) return;
  const auto reason_of = [&](const StreamOwner& owner) -> const char* {
    if (!owner) return nullptr;
    const auto it = ended.find(owner->jti);
    return it == ended.end() ? nullptr : it->second;
  };
  // Ends the streams of ended tokens in one map of streams (a job's, or a tenant's), dropping the
  // keys left without any.
  const auto end_streams = [&](auto& streams) {
    for (auto it = streams.begin(); it != streams.end();) {
      auto& subs = it->second;
      for (auto s = subs.begin(); s != subs.end();) {
        const char* reason = reason_of(s->owner);
        if (!reason) {
          ++s;
          continue;
        }
        if (auto sink = s->sink.lock()) sink->push(revoked_event(reason), true);
        s = subs.erase(s);
      }
      it = subs.empty() ? streams.erase(it) : std::next(it);
    }
  };
  std::lock_guard lock(mutex_);
  end_streams(subscribers_);
  end_streams(tenant_subscribers_);
  std::erase_if(watched_, [&](const TenantSubscriber& w) {
    const char* reason = reason_of(w.owner);
    if (!reason) return false;
    if (auto sink = w.sink.lock()) sink->push(revoked_event(reason), true);
    return true;
  });
  for (const auto& [jti, reason] : ended) {
    const auto& owner = owners.at(jti);
    app_.log_line({{"event", "stream_ended"}, {"user", owner->username}, {"tenant", owner->tenant}, {"reason", reason}});
  }
}

void EventHub::portfolio_changed(const service::PortfolioChange& change) noexcept {
  // A change the store kept reaches the streams from there, in the store's order, like those of
  // other processes: wake the hub to read it.
  if (change.id > 0) {
    app_.jobs->notify();
    return;
  }
  try {
    push_tenant(change.tenant, change.user, change_event(change));
  } catch (const std::exception& e) {
    app_.log_line({{"level", "error"}, {"event", "event_hub"}, {"error", e.what()}});
  }
}

void EventHub::push_tenant(const std::string& tenant, const std::string& user, const std::string& bytes) {
  std::lock_guard lock(mutex_);
  const auto it = tenant_subscribers_.find(tenant);
  if (it == tenant_subscribers_.end()) return;
  if (user.empty()) {
    push_all(it->second, bytes, false);
  } else {
    // One user's event (a job's end): the streams of that user's tokens only.
    auto& subs = it->second;
    for (auto s = subs.begin(); s != subs.end();) {
      auto sink = s->sink.lock();
      if (!sink) {
        s = subs.erase(s);
      } else if (s->owner && s->owner->username == user) {
        s = sink->push(bytes, false) ? std::next(s) : subs.erase(s);
      } else {
        ++s;
      }
    }
  }
  if (it->second.empty()) tenant_subscribers_.erase(it);
}

void EventHub::push_stored_changes(const service::Context& cx) {
  if (changes_seen_ < 0) {
    changes_seen_ = service::last_change_id(cx);  // a server starting now pushes what comes from now on
    return;
  }
  constexpr std::size_t kPage = 256;
  for (;;) {
    const std::vector<service::PortfolioChange> rows = service::changes_after(cx, changes_seen_, kPage);
    for (const service::PortfolioChange& c : rows) {
      push_tenant(c.tenant, c.user, change_event(c));
      changes_seen_ = c.id;
    }
    if (rows.size() < kPage) return;
  }
}

std::size_t EventHub::streams() const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& [id, subs] : subscribers_) n += subs.size();
  for (const auto& [tenant, sinks] : tenant_subscribers_) n += sinks.size();
  return n;
}

void EventHub::push_turn(const service::Context& cx, bool beat) {
  try {
    // Jobs of the watched ids, each read once.
    std::vector<std::int64_t> ids;
    {
      std::lock_guard lock(mutex_);
      dirty_ = false;
      for (const auto& [id, subs] : subscribers_) ids.push_back(id);
    }
    const auto records = service::watch_jobs(cx, ids);
    push_stored_changes(cx);

    std::lock_guard lock(mutex_);
    for (auto it = subscribers_.begin(); it != subscribers_.end();) {
      const auto rec = records.find(it->first);
      auto& subs = it->second;
      for (auto s = subs.begin(); s != subs.end();) {
        auto sink = s->sink.lock();
        bool keep = static_cast<bool>(sink);
        if (keep && rec != records.end()) {
          const auto& j = rec->second;
          if (!j) {
            sink->push("", true);  // the job is gone: end the stream
            keep = false;
          } else if (j->version != s->last_version) {
            s->last_version = j->version;
            const bool terminal = is_terminal(j->status);
            keep = sink->push(job_event(*j), terminal) && !terminal;
          } else if (beat) {
            keep = sink->push(": keep-alive\n\n", false);
          }
        }
        s = keep ? std::next(s) : subs.erase(s);
      }
      it = subs.empty() ? subscribers_.erase(it) : std::next(it);
    }
    if (beat) {
      for (auto it = tenant_subscribers_.begin(); it != tenant_subscribers_.end();) {
        push_all(it->second, ": keep-alive\n\n", false);
        it = it->second.empty() ? tenant_subscribers_.erase(it) : std::next(it);
      }
    }
  } catch (const std::exception& e) {
    app_.log_line({{"level", "error"}, {"event", "event_hub"}, {"error", e.what()}});
  }
}

void EventHub::loop() {
  std::uint64_t seen = app_.jobs->generation();
  auto last_beat = std::chrono::steady_clock::now();
  auto lease = app_.stores.acquire();
  const service::Context cx = app_.service_context(*lease);
  auto next_turn = std::chrono::steady_clock::now();  // the next read of jobs and changes
  auto next_check = next_turn;                         // the next check of the streams' tokens
  bool woken = true;                                   // a change, or a new stream: a turn now
  for (;;) {
    bool tokens = false;
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      tokens = std::exchange(tokens_dirty_, false);
    }
    const auto now = std::chrono::steady_clock::now();
    const bool turn = std::exchange(woken, false) || now >= next_turn;
    // Before anything is pushed, and at least every check period: the streams of tokens that no
    // longer stand end here.
    if (turn || tokens || now >= next_check) {
      end_revoked_streams();
      next_check = now + check_period_;
    }
    if (turn) {
      const bool beat = now - last_beat >= heartbeat_;
      if (beat) last_beat = now;
      push_turn(cx, beat);
      // Changes made by this process wake the hub at once (JobRunner::notify), and so do those of
      // other processes while the store's notifications are heard (PostgreSQL LISTEN); the poll is
      // the fallback: quick when nothing else would tell (SQLite, a lost listening connection),
      // slow otherwise.
      next_turn = now + std::chrono::milliseconds(app_.hears_job_changes() ? 2000 : 250);
    }
    bool open = false;
    {
      std::lock_guard lock(mutex_);
      if (dirty_ || tokens_dirty_) {
        woken = dirty_;
        continue;
      }
      open = !subscribers_.empty() || !tenant_subscribers_.empty() || !watched_.empty();
    }
    // While streams are open, the wait ends by the next token check too.
    const auto until = open ? std::min(next_turn, next_check) : next_turn;
    const auto left = std::max(std::chrono::steady_clock::duration::zero(), until - std::chrono::steady_clock::now());
    const std::uint64_t before = seen;
    seen = app_.jobs->wait_for_change(seen, std::chrono::ceil<std::chrono::milliseconds>(left));
    woken = seen != before;
  }
}

}  // namespace keel::server
