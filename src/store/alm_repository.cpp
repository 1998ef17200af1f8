#include <chrono>

#include "alm_rows.h"
#include "keel/core/error.h"
#include "keel/store/database.h"
#include "sqlite_repositories.h"

namespace keel::store {

AlmSessionInfo SqliteAlmRepository::create(const std::string& tenant, const std::string& name, const alm::BalanceSheet& book,
                                           const std::map<std::string, CurveData>& curves,
                                           const std::optional<alm::ShockTable>& shock_table, std::optional<Date> as_of,
                                           const std::string& currency, const std::string& settings,
                                           std::int64_t ttl_seconds, std::int64_t now_epoch) {
  if (name.empty()) throw Error::invalid_input("a session needs a name");
  if (ttl_seconds <= 0) throw Error::invalid_input("a session TTL must be positive");
  const std::int64_t id = db_->transaction([&] {
    if (find(tenant, name)) throw Error::conflict("an ALM session named \"" + name + "\" exists already");
    const std::int64_t size = detail::alm_session_size_bytes(book, curves, settings);
    db_->prepare("INSERT INTO alm_sessions (tenant, name, as_of, currency, source, settings, ttl_seconds, size_bytes, "
                 "positions, last_accessed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, tenant)
        .bind(2, name)
        .bind(3, as_of ? std::optional<std::string>(as_of->to_string()) : std::nullopt)
        .bind(4, currency)
        .bind(5, book.source)
        .bind(6, settings)
        .bind(7, ttl_seconds)
        .bind(8, size)
        .bind(9, static_cast<std::int64_t>(book.size()))
        .bind(10, now_epoch)
        .bind(11, now_text(*clock_))
        .run();
    const std::int64_t sid = db_->last_insert_id();
    Statement ins =
        db_->prepare(std::string("INSERT INTO alm_session_positions (session_id, ordinal, ") +
                     detail::kAlmPositionColumns +
                     ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (std::size_t i = 0; i < book.size(); ++i) {
      Binder b(ins);
      b.add(sid).add(static_cast<std::int64_t>(i));
      detail::write_alm_position(b, book, i);
      ins.run();
      ins.reset();
    }
    Statement cp = db_->prepare(
        "INSERT INTO alm_session_curve_points (session_id, currency, curve_name, kind, tenor, years, rate) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)");
    for (const auto& [ccy, c] : curves) {
      for (const CurvePoint& p : c.points) {
        cp.bind(1, sid)
            .bind(2, ccy)
            .bind(3, c.name)
            .bind(4, detail::curve_kind_name(c.kind))
            .bind(5, p.tenor)
            .bind(6, p.years)
            .bind(7, p.rate);
        cp.run();
        cp.reset();
      }
    }
    if (shock_table) {
      Statement sh = db_->prepare(
          "INSERT INTO alm_session_shocks (session_id, currency, parallel_bp, short_bp, long_bp, source) "
          "VALUES (?, ?, ?, ?, ?, ?)");
      for (const alm::ShockSizes& s : shock_table->rows) {
        sh.bind(1, sid).bind(2, s.currency).bind(3, s.parallel_bp).bind(4, s.short_bp).bind(5, s.long_bp).bind(6, shock_table->source);
        sh.run();
        sh.reset();
      }
    }
    return sid;
  });
  return read_info(id);
}

AlmSessionInfo SqliteAlmRepository::read_info(std::int64_t id) {
  Statement q =
      db_->prepare(std::string("SELECT ") + detail::kAlmSessionColumns + " FROM alm_sessions WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) throw Error::not_found("no ALM session with id " + std::to_string(id));
  AlmSessionInfo s = detail::read_alm_session(q);
  Statement c = db_->prepare("SELECT DISTINCT currency FROM alm_session_curve_points WHERE session_id = ? ORDER BY currency");
  c.bind(1, id);
  while (c.step()) s.curve_currencies.push_back(c.get_text(0));
  Statement r = db_->prepare("SELECT kind FROM alm_session_results WHERE session_id = ? ORDER BY kind");
  r.bind(1, id);
  while (r.step()) s.results.push_back(r.get_text(0));
  return s;
}

std::vector<AlmSessionInfo> SqliteAlmRepository::list(const std::string& tenant) {
  std::vector<std::int64_t> ids;
  Statement q = db_->prepare("SELECT id FROM alm_sessions WHERE tenant = ? ORDER BY name");
  q.bind(1, tenant);
  while (q.step()) ids.push_back(q.get_int(0));
  std::vector<AlmSessionInfo> out;
  for (std::int64_t id : ids) out.push_back(read_info(id));
  return out;
}

std::optional<AlmSessionInfo> SqliteAlmRepository::find(const std::string& tenant, const std::string& name) {
  Statement q = db_->prepare("SELECT id FROM alm_sessions WHERE tenant = ? AND name = ?");
  q.bind(1, tenant).bind(2, name);
  if (!q.step()) return std::nullopt;
  const std::int64_t id = q.get_int(0);
  return read_info(id);
}

AlmSessionData SqliteAlmRepository::load(const std::string& tenant, const std::string& name, std::int64_t now_epoch) {
  auto info = find(tenant, name);
  if (!info || expired(*info, now_epoch)) throw_no_alm_session(name, info ? &*info : nullptr);
  db_->prepare("UPDATE alm_sessions SET last_accessed = ? WHERE id = ?").bind(1, now_epoch).bind(2, info->id).run();
  info->last_accessed = now_epoch;
  AlmSessionData data;
  data.info = *info;
  data.book.source = info->source;
  data.book.reserve(info->positions);
  Statement q = db_->prepare(std::string("SELECT ") + detail::kAlmPositionColumns +
                             " FROM alm_session_positions WHERE session_id = ? ORDER BY ordinal");
  q.bind(1, info->id);
  while (q.step()) detail::read_alm_position(q, data.book);
  Statement c = db_->prepare(
      "SELECT currency, curve_name, kind, tenor, years, rate FROM alm_session_curve_points WHERE session_id = ? "
      "ORDER BY currency, years");
  c.bind(1, info->id);
  while (c.step()) {
    CurveData& curve = data.curves[c.get_text(0)];
    curve.currency = c.get_text(0);
    curve.name = c.get_text(1);
    curve.kind = c.get_text(2) == "par" ? CurveKind::kPar : CurveKind::kZero;
    curve.as_of = info->as_of;
    curve.points.push_back(CurvePoint{c.get_text(3), c.get_double(4), c.get_double(5)});
  }
  Statement s = db_->prepare(
      "SELECT currency, parallel_bp, short_bp, long_bp, source FROM alm_session_shocks WHERE session_id = ? ORDER BY currency");
  s.bind(1, info->id);
  while (s.step()) {
    if (!data.shock_table) data.shock_table.emplace();
    data.shock_table->source = s.get_text(4);
    data.shock_table->rows.push_back(alm::ShockSizes{s.get_text(0), s.get_double(1), s.get_double(2), s.get_double(3)});
  }
  return data;
}

void SqliteAlmRepository::save_result(std::int64_t session_id, const std::string& kind, const std::string& json_text,
                                      std::int64_t now_epoch) {
  db_->transaction([&] {
    const auto old = result(session_id, kind);
    db_->prepare(
           "INSERT INTO alm_session_results (session_id, kind, result, computed_at) VALUES (?, ?, ?, ?) "
           "ON CONFLICT (session_id, kind) DO UPDATE SET result = excluded.result, "
           "computed_at = excluded.computed_at")
        .bind(1, session_id)
        .bind(2, kind)
        .bind(3, json_text)
        .bind(4, now_text(*clock_))
        .run();
    const std::int64_t delta = static_cast<std::int64_t>(json_text.size()) - (old ? static_cast<std::int64_t>(old->size()) : 0);
    db_->prepare("UPDATE alm_sessions SET size_bytes = size_bytes + ?, last_accessed = ? WHERE id = ?")
        .bind(1, delta)
        .bind(2, now_epoch)
        .bind(3, session_id)
        .run();
  });
}

std::optional<std::string> SqliteAlmRepository::result(std::int64_t session_id, const std::string& kind) {
  Statement q = db_->prepare("SELECT result FROM alm_session_results WHERE session_id = ? AND kind = ?");
  q.bind(1, session_id).bind(2, kind);
  if (!q.step()) return std::nullopt;
  return q.get_text(0);
}

void SqliteAlmRepository::touch(std::int64_t session_id, std::int64_t now_epoch) {
  db_->prepare("UPDATE alm_sessions SET last_accessed = ? WHERE id = ? AND last_accessed + ttl_seconds >= ?")
      .bind(1, now_epoch)
      .bind(2, session_id)
      .bind(3, now_epoch)
      .run();
}

void throw_no_alm_session(const std::string& name, const AlmSessionInfo* expired_session) {
  if (expired_session == nullptr) throw Error::not_found("no ALM session named \"" + name + "\"");
  const FixedClock at{std::chrono::system_clock::time_point(
      std::chrono::seconds(expired_session->last_accessed + expired_session->ttl_seconds))};
  throw Error::not_found("no ALM session named \"" + name + "\": it expired at " + at.iso8601() +
                         " (unused for longer than its time to live of " +
                         std::to_string(expired_session->ttl_seconds) + " s)");
}

bool SqliteAlmRepository::remove(const std::string& tenant, const std::string& name) {
  return db_->transaction([&] {
    auto info = find(tenant, name);
    if (!info) return false;
    db_->prepare("DELETE FROM alm_sessions WHERE id = ?").bind(1, info->id).run();
    return true;
  });
}

AlmCleanupStats SqliteAlmRepository::cleanup(std::int64_t now_epoch, std::int64_t disk_budget_bytes) {
  return db_->transaction([&] {
    AlmCleanupStats stats;
    {
      Statement q = db_->prepare("SELECT COUNT(*) FROM alm_sessions WHERE last_accessed + ttl_seconds < ?");
      q.bind(1, now_epoch);
      if (q.step()) stats.expired = static_cast<std::size_t>(q.get_int(0));
    }
    db_->prepare("DELETE FROM alm_sessions WHERE last_accessed + ttl_seconds < ?").bind(1, now_epoch).run();
    auto total = [&] {
      Statement q = db_->prepare("SELECT COALESCE(SUM(size_bytes), 0) FROM alm_sessions");
      return q.step() ? q.get_int(0) : std::int64_t{0};
    };
    std::int64_t bytes = total();
    while (disk_budget_bytes > 0 && bytes > disk_budget_bytes) {
      Statement q = db_->prepare("SELECT id, size_bytes FROM alm_sessions ORDER BY last_accessed ASC, id ASC LIMIT 1");
      if (!q.step()) break;
      const std::int64_t id = q.get_int(0);
      bytes -= q.get_int(1);
      db_->prepare("DELETE FROM alm_sessions WHERE id = ?").bind(1, id).run();
      ++stats.evicted;
    }
    stats.bytes_after = bytes;
    return stats;
  });
}

}  // namespace keel::store
