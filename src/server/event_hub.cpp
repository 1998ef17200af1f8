// Job progress streams (see event_hub.h).
#include "event_hub.h"

#include <fmt/format.h>

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

// Pushes `bytes` to each sink of `sinks`, dropping those that are gone or refuse.
void push_all(std::vector<std::weak_ptr<EventSink>>& sinks, const std::string& bytes, bool last) {
  for (auto s = sinks.begin(); s != sinks.end();) {
    auto sink = s->lock();
    s = sink && sink->push(bytes, last) && !last ? std::next(s) : sinks.erase(s);
  }
}

// "event: portfolio.changed\ndata: {...}\n\n".
std::string change_event(std::int64_t portfolio_id, const std::string& portfolio, const std::string& what) {
  const nlohmann::json data = {
      {"type", "portfolio.changed"}, {"portfolio_id", portfolio_id}, {"portfolio", portfolio}, {"what", what}};
  return fmt::format("event: portfolio.changed\ndata: {}\n\n", dump_json(data));
}

}  // namespace

EventHub::EventHub(App& app, std::chrono::milliseconds heartbeat) : app_(app), heartbeat_(heartbeat) {}

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
  std::map<std::string, std::vector<std::weak_ptr<EventSink>>> tenants_left;
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

void EventHub::subscribe(std::int64_t job_id, std::shared_ptr<EventSink> sink) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      sink->push("event: shutdown\ndata: {}\n\n", true);
      return;
    }
    subscribers_[job_id].push_back(Subscriber{sink, -1});
    dirty_ = true;
  }
  app_.jobs->notify();  // wakes the hub (and idle job workers, who find nothing and sleep again)
}

void EventHub::subscribe_tenant(const std::string& tenant, std::shared_ptr<EventSink> sink) {
  std::lock_guard lock(mutex_);
  if (stopping_) {
    sink->push("event: shutdown\ndata: {}\n\n", true);
    return;
  }
  // A comment first, so the client's stream opens (a proxy passes the headers and these bytes on).
  if (sink->push(": portfolio changes\n\n", false)) tenant_subscribers_[tenant].push_back(sink);
}

void EventHub::portfolio_changed(const service::PortfolioChange& change) noexcept {
  // A change the store kept reaches the streams from there, in the store's order, like those of
  // other processes: wake the hub to read it.
  if (change.id > 0) {
    app_.jobs->notify();
    return;
  }
  try {
    push_tenant(change.tenant, change_event(change.portfolio_id, change.portfolio, change.what));
  } catch (const std::exception& e) {
    app_.log_line({{"level", "error"}, {"event", "event_hub"}, {"error", e.what()}});
  }
}

void EventHub::push_tenant(const std::string& tenant, const std::string& bytes) {
  std::lock_guard lock(mutex_);
  const auto it = tenant_subscribers_.find(tenant);
  if (it == tenant_subscribers_.end()) return;
  push_all(it->second, bytes, false);
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
      push_tenant(c.tenant, change_event(c.portfolio_id, c.portfolio, c.what));
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

void EventHub::loop() {
  std::uint64_t seen = app_.jobs->generation();
  auto last_beat = std::chrono::steady_clock::now();
  auto lease = app_.stores.acquire();
  const service::Context cx = app_.service_context(*lease);
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    const auto now = std::chrono::steady_clock::now();
    const bool beat = now - last_beat >= heartbeat_;
    if (beat) last_beat = now;
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
    {
      std::lock_guard lock(mutex_);
      if (dirty_) continue;
    }
    // Changes made by this process wake the hub at once (JobRunner::notify), and so do those of other
    // processes while the store's notifications are heard (PostgreSQL LISTEN); the poll is the
    // fallback: quick when nothing else would tell (SQLite, a lost listening connection), slow
    // otherwise.
    const bool heard = app_.hears_job_changes();
    seen = app_.jobs->wait_for_change(seen, std::chrono::milliseconds(heard ? 2000 : 250));
  }
}

}  // namespace keel::server
