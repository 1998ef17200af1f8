// ALM sessions (keel/store/alm_repository.h) on both backends, with one row layout and size
// estimate (migration 3), so TTL expiry and the LRU disk budget count the same bytes on each: the
// column lists, the encoder of a position's columns (values appended to a statement's parameters:
// `add`, `add_null`) and the decoder of its row. Absent optional terms (no margin, no floor or
// cap, no behavioural life) are NULL.
//
// On PostgreSQL, calls that name a session by id (results, touch) run under its own tenant, which
// the owner's keel_alm_session_tenant() tells; cleanup crosses tenants (expiry and the budget are
// the server's, not a tenant's) and runs there as the owner's keel_alm_cleanup() (migration 28).
#include "keel/store/alm_repository.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "keel/alm/balance_sheet.h"
#include "keel/core/date.h"
#include "keel/core/error.h"
#include "keel/portfolio/market_data.h"
#include "sql.h"

namespace keel::store {
namespace {

// Rough bytes per stored position row and curve point (values + key + index overhead), plus a
// fixed 256 per session: the estimate the disk budget of AlmRepository::cleanup counts.
constexpr std::int64_t kAlmBytesPerPosition = 160;
constexpr std::int64_t kAlmBytesPerCurvePoint = 48;

std::int64_t alm_session_size_bytes(const alm::BalanceSheet& book,
                                    const std::map<std::string, CurveData>& curves,
                                    const std::string& settings) {
  std::int64_t points = 0;
  for (const auto& [ccy, c] : curves) points += static_cast<std::int64_t>(c.points.size());
  return static_cast<std::int64_t>(book.size()) * kAlmBytesPerPosition + points * kAlmBytesPerCurvePoint +
         static_cast<std::int64_t>(settings.size()) + 256;
}

// The columns of alm_session_positions after session_id and ordinal, in write_alm_position's order.
constexpr const char* kAlmPositionColumns =
    "position_id, side, type, currency, notional, start_date, maturity_date, rate_type, rate, spread, "
    "rate_index, reset_months, payment_months, amortization, day_count, first_reset_date, floor, cap, "
    "behavioural_years, calendar, line";
constexpr int kAlmPositionColumnCount = 21;

// Appends the kAlmPositionColumnCount values of position `i` of `book`.
template <class Sink>
void write_alm_position(Sink& out, const alm::BalanceSheet& book, std::size_t i) {
  const alm::PositionTerms& t = book.terms[i];
  out.add(book.id[i])
      .add(std::string(alm::side_name(t.side)))
      .add(book.type[i])
      .add(book.currencies[t.currency])
      .add(t.notional)
      .add(t.start_date.to_string())
      .add(t.maturity_date.to_string())
      .add(std::string(alm::rate_type_name(t.rate_type)))
      .add(t.rate)
      .add(t.has_margin || t.rate_type == alm::RateType::kFloating ? std::optional<double>(t.spread)
                                                                   : std::nullopt)
      .add(book.index[i])
      .add(static_cast<std::int64_t>(t.reset_months))
      .add(static_cast<std::int64_t>(t.payment_months))
      .add(std::string(alm::amortization_name(t.amortization)))
      .add(std::string(alm::day_count_name(t.day_count)))
      .add(t.first_reset_date.to_string())
      .add(t.floor > -1e8 ? std::optional<double>(t.floor) : std::nullopt)
      .add(t.cap < 1e8 ? std::optional<double>(t.cap) : std::nullopt)
      .add(t.behavioural_years > 0 ? std::optional<double>(t.behavioural_years) : std::nullopt)
      .add(book.calendars[t.calendar])
      .add(static_cast<std::int64_t>(book.line[i]));
}

// Appends the position of a row of `SELECT kAlmPositionColumns` to `book`.
void read_alm_position(const SqlStatement& r, alm::BalanceSheet& book) {
  alm::PositionTerms t;
  t.side = alm::parse_side(r.get_text(1)).value_or(alm::Side::kAsset);
  t.currency = book.intern_currency(r.get_text(3));
  t.notional = r.get_double(4);
  t.start_date = Date::parse_or_throw(r.get_text(5));
  t.maturity_date = Date::parse_or_throw(r.get_text(6));
  t.rate_type = alm::parse_rate_type(r.get_text(7)).value_or(alm::RateType::kFixed);
  t.rate = r.get_double(8);
  if (auto s = r.get_optional_double(9)) {
    t.spread = *s;
    t.has_margin = t.rate_type == alm::RateType::kFixed;
  }
  t.reset_months = static_cast<std::uint8_t>(r.get_int(11));
  t.payment_months = static_cast<std::uint8_t>(r.get_int(12));
  t.amortization = alm::parse_amortization(r.get_text(13)).value_or(alm::Amortization::kBullet);
  t.day_count = alm::parse_day_count(r.get_text(14)).value_or(alm::DayCount::kAct365F);
  t.first_reset_date = Date::parse_or_throw(r.get_text(15));
  if (auto f = r.get_optional_double(16)) t.floor = *f;
  if (auto c = r.get_optional_double(17)) t.cap = *c;
  if (auto b = r.get_optional_double(18)) t.behavioural_years = *b;
  t.calendar = book.intern_calendar(r.get_text(19));
  book.add(t, r.get_text(0), r.get_text(2), r.get_text(10), static_cast<std::size_t>(r.get_int(20)));
}

// Columns of alm_sessions read into AlmSessionInfo by read_alm_session (curves and results apart).
constexpr const char* kAlmSessionColumns =
    "id, tenant, name, as_of, currency, source, settings, ttl_seconds, size_bytes, positions, created_at, "
    "last_accessed, owner, shared";

AlmSessionInfo read_alm_session(const SqlStatement& r) {
  AlmSessionInfo s;
  read_row(r, 0, s.id, s.tenant, s.name, s.as_of, s.currency, s.source, s.settings, s.ttl_seconds,
           s.size_bytes, s.positions, s.created_at, s.last_accessed, s.owner, s.shared);
  return s;
}

// A session's currencies with curves and its stored results' kinds, added to `s`.
void read_parts(SqlConnection& c, AlmSessionInfo& s) {
  const auto text = [](const SqlStatement& r) { return r.get_text(0); };
  s.curve_currencies =
      c.prepare(
           "SELECT DISTINCT currency FROM alm_session_curve_points WHERE session_id = ? ORDER BY currency")
          .bind(1, s.id)
          .rows(text);
  s.results = c.prepare("SELECT kind FROM alm_session_results WHERE session_id = ? ORDER BY kind")
                  .bind(1, s.id)
                  .rows(text);
}

std::optional<AlmSessionInfo> find_session(SqlConnection& c, const std::string& tenant,
                                           const std::string& name) {
  auto s = c.prepare(std::string("SELECT ") + kAlmSessionColumns +
                     " FROM alm_sessions WHERE tenant = ? AND name = ?")
               .bind_all(tenant, name)
               .first(read_alm_session);
  if (s) read_parts(c, *s);
  return s;
}

// The stored result of `kind` of the session, if any.
std::optional<std::string> stored_result(SqlConnection& c, std::int64_t session_id, const std::string& kind) {
  return c.prepare("SELECT result FROM alm_session_results WHERE session_id = ? AND kind = ?")
      .bind_all(session_id, kind)
      .first([](const SqlStatement& r) { return r.get_text(0); });
}

}  // namespace

AlmSessionInfo AlmRepository::create(const std::string& tenant, const std::string& name,
                                     const alm::BalanceSheet& book,
                                     const std::map<std::string, CurveData>& curves,
                                     const std::optional<alm::ShockTable>& shock_table,
                                     std::optional<Date> as_of, const std::string& currency,
                                     const std::string& settings, std::int64_t ttl_seconds,
                                     std::int64_t now_epoch) {
  if (name.empty()) throw Error::invalid_input("a session needs a name");
  if (ttl_seconds <= 0) throw Error::invalid_input("a session TTL must be positive");
  return c_->transaction(tenant, [&] {
    auto ins = c_->prepare(
        "INSERT INTO alm_sessions (tenant, name, as_of, currency, source, settings, ttl_seconds, size_bytes, "
        "positions, last_accessed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (tenant, name) DO NOTHING RETURNING id");
    ins.bind_all(tenant, name, date_text(as_of), currency, book.source, settings, ttl_seconds,
                 alm_session_size_bytes(book, curves, settings), book.size(), now_epoch, clock_->iso8601());
    if (!ins.step()) throw Error::conflict("an ALM session named \"" + name + "\" exists already");
    const std::int64_t sid = ins.get_int(0);
    ins.reset();
    // A bank's balance sheet has tens of thousands of rows: on PostgreSQL they go by COPY.
    const std::string columns = std::string("ordinal, ") + kAlmPositionColumns;
    auto positions = c_->bulk_insert({"alm_session_positions", "session_id", sid, columns, ""});
    for (std::size_t i = 0; i < book.size(); ++i) {
      positions->add(i);
      write_alm_position(*positions, book, i);
      positions->end_row();
    }
    positions->finish();
    auto cp = c_->prepare(
        "INSERT INTO alm_session_curve_points (session_id, currency, curve_name, kind, tenor, years, rate) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)");
    for (const auto& [ccy, c] : curves) {
      for (const CurvePoint& p : c.points) {
        cp.run_row(sid, ccy, c.name, curve_kind_name(c.kind), p.tenor, p.years, p.rate);
      }
    }
    if (shock_table) {
      auto sh = c_->prepare(
          "INSERT INTO alm_session_shocks (session_id, currency, parallel_bp, short_bp, long_bp, source) "
          "VALUES (?, ?, ?, ?, ?, ?)");
      for (const alm::ShockSizes& s : shock_table->rows) {
        sh.run_row(sid, s.currency, s.parallel_bp, s.short_bp, s.long_bp, shock_table->source);
      }
    }
    return *find_session(*c_, tenant, name);
  });
}

std::vector<AlmSessionInfo> AlmRepository::list(const std::string& tenant) {
  return c_->run(tenant, [&] {
    auto out = c_->prepare(std::string("SELECT ") + kAlmSessionColumns +
                           " FROM alm_sessions WHERE tenant = ? ORDER BY name")
                   .bind(1, tenant)
                   .rows(read_alm_session);
    for (auto& s : out) read_parts(*c_, s);
    return out;
  });
}

std::optional<AlmSessionInfo> AlmRepository::find(const std::string& tenant, const std::string& name) {
  return c_->run(tenant, [&] { return find_session(*c_, tenant, name); });
}

AlmSessionData AlmRepository::load(const std::string& tenant, const std::string& name,
                                   std::int64_t now_epoch) {
  return c_->run(tenant, [&] {
    auto info = find_session(*c_, tenant, name);
    if (!info || expired(*info, now_epoch)) throw_no_alm_session(name, info ? &*info : nullptr);
    c_->prepare("UPDATE alm_sessions SET last_accessed = ? WHERE id = ?").bind_all(now_epoch, info->id).run();
    info->last_accessed = now_epoch;
    AlmSessionData data;
    data.info = *info;
    data.book.source = info->source;
    data.book.reserve(info->positions);
    auto q = c_->prepare(std::string("SELECT ") + kAlmPositionColumns +
                         " FROM alm_session_positions WHERE session_id = ? ORDER BY ordinal");
    q.bind(1, info->id);
    while (q.step()) read_alm_position(q, data.book);
    auto c = c_->prepare(
        "SELECT currency, curve_name, kind, tenor, years, rate FROM alm_session_curve_points WHERE "
        "session_id = ? "
        "ORDER BY currency, years");
    c.bind(1, info->id);
    while (c.step()) {
      CurveData& curve = data.curves[c.get_text(0)];
      curve.currency = c.get_text(0);
      curve.name = c.get_text(1);
      curve.kind = parse_curve_kind(c.get_text(2));
      curve.as_of = info->as_of;
      curve.points.push_back(CurvePoint{c.get_text(3), c.get_double(4), c.get_double(5)});
    }
    auto s = c_->prepare(
        "SELECT currency, parallel_bp, short_bp, long_bp, source FROM alm_session_shocks WHERE session_id = "
        "? "
        "ORDER BY currency");
    s.bind(1, info->id);
    while (s.step()) {
      if (!data.shock_table) data.shock_table.emplace();
      data.shock_table->source = s.get_text(4);
      data.shock_table->rows.push_back(
          alm::ShockSizes{s.get_text(0), s.get_double(1), s.get_double(2), s.get_double(3)});
    }
    return data;
  });
}

void AlmRepository::save_result(std::int64_t session_id, const std::string& kind,
                                const std::string& json_text, std::int64_t now_epoch) {
  c_->transaction(std::nullopt, [&] {
    // An unknown session: SQLite's foreign key refuses the row; under row-level security it is
    // said in words.
    if (!enter_tenant_of(*c_, "keel_alm_session_tenant", session_id)) {
      throw Error::not_found(fmt::format("no ALM session with id {}", session_id));
    }
    const auto old = stored_result(*c_, session_id, kind);
    c_->prepare(
          upsert_sql("alm_session_results", "session_id, kind, result, computed_at", "session_id, kind"))
        .bind_all(session_id, kind, json_text, clock_->iso8601())
        .run();
    const std::int64_t delta =
        static_cast<std::int64_t>(json_text.size()) - (old ? static_cast<std::int64_t>(old->size()) : 0);
    c_->prepare("UPDATE alm_sessions SET size_bytes = size_bytes + ?, last_accessed = ? WHERE id = ?")
        .bind_all(delta, now_epoch, session_id)
        .run();
  });
}

std::optional<std::string> AlmRepository::result(std::int64_t session_id, const std::string& kind) {
  return c_->run(std::nullopt, [&]() -> std::optional<std::string> {
    if (!enter_tenant_of(*c_, "keel_alm_session_tenant", session_id)) return std::nullopt;
    return stored_result(*c_, session_id, kind);
  });
}

void AlmRepository::touch(std::int64_t session_id, std::int64_t now_epoch) {
  c_->run(std::nullopt, [&] {
    if (!enter_tenant_of(*c_, "keel_alm_session_tenant", session_id)) return;
    c_->prepare("UPDATE alm_sessions SET last_accessed = ? WHERE id = ? AND last_accessed + ttl_seconds >= ?")
        .bind_all(now_epoch, session_id, now_epoch)
        .run();
  });
}

void AlmRepository::set_access(std::int64_t session_id, const std::string& owner, bool shared) {
  c_->transaction(std::nullopt, [&] {
    const bool known = enter_tenant_of(*c_, "keel_alm_session_tenant", session_id) &&
                       c_->prepare("UPDATE alm_sessions SET owner = ?, shared = ? WHERE id = ?")
                               .bind_all(owner, shared, session_id)
                               .run() > 0;
    if (!known) throw Error::not_found(fmt::format("no ALM session with id {}", session_id));
  });
}

void throw_no_alm_session(const std::string& name, const AlmSessionInfo* expired_session) {
  if (expired_session == nullptr) throw Error::not_found("no ALM session named \"" + name + "\"");
  const FixedClock at{std::chrono::system_clock::time_point(
      std::chrono::seconds(expired_session->last_accessed + expired_session->ttl_seconds))};
  throw Error::not_found(fmt::format(
      "no ALM session named \"{}\": it expired at {} (unused for longer than its time to live of {} s)", name,
      at.iso8601(), expired_session->ttl_seconds));
}

bool AlmRepository::remove(const std::string& tenant, const std::string& name) {
  return c_->change(tenant, "DELETE FROM alm_sessions WHERE tenant = ? AND name = ?", tenant, name) > 0;
}

AlmCleanupStats AlmRepository::cleanup(std::int64_t now_epoch, std::int64_t disk_budget_bytes,
                                       std::int64_t user_budget_bytes) {
  return c_->transaction(std::nullopt, [&] {
    AlmCleanupStats stats;
    if (c_->dialect().row_level_security) {
      // Across tenants: the owner's function, which row-level security lets see every session.
      auto r = c_->prepare("SELECT expired, evicted, bytes_after FROM keel_alm_cleanup(?, ?, ?)");
      r.bind_all(now_epoch, disk_budget_bytes, user_budget_bytes).step();
      read_row(r, 0, stats.expired, stats.evicted, stats.bytes_after);
      return stats;
    }
    stats.expired = static_cast<std::size_t>(
        c_->prepare("SELECT COUNT(*) FROM alm_sessions WHERE last_accessed + ttl_seconds < ?")
            .bind(1, now_epoch)
            .first_int());
    c_->prepare("DELETE FROM alm_sessions WHERE last_accessed + ttl_seconds < ?").bind(1, now_epoch).run();
    // Each user's budget first: a user over it loses their own least recently used sessions only.
    if (user_budget_bytes > 0) {
      std::vector<std::pair<std::string, std::string>> owners;
      for (auto q = c_->prepare("SELECT DISTINCT tenant, owner FROM alm_sessions WHERE owner <> '' ORDER BY 1, 2");
           q.step();) {
        owners.emplace_back(q.get_text(0), q.get_text(1));
      }
      for (const auto& [tenant, owner] : owners) {
        std::int64_t bytes = c_->prepare("SELECT COALESCE(SUM(size_bytes), 0) FROM alm_sessions WHERE tenant = ? AND owner = ?")
                                 .bind_all(tenant, owner)
                                 .first_int();
        while (bytes > user_budget_bytes) {
          auto q = c_->prepare("SELECT id, size_bytes FROM alm_sessions WHERE tenant = ? AND owner = ? "
                               "ORDER BY last_accessed ASC, id ASC LIMIT 1");
          q.bind_all(tenant, owner);
          if (!q.step()) break;
          const std::int64_t id = q.get_int(0);
          bytes -= q.get_int(1);
          c_->prepare("DELETE FROM alm_sessions WHERE id = ?").bind(1, id).run();
          ++stats.evicted;
        }
      }
    }
    // The budget holds for each tenant on its own: a tenant over it loses its own least recently
    // used sessions, never another tenant's.
    std::vector<std::string> tenants;
    for (auto q = c_->prepare("SELECT DISTINCT tenant FROM alm_sessions ORDER BY tenant"); q.step();) {
      tenants.push_back(q.get_text(0));
    }
    for (const std::string& tenant : tenants) {
      std::int64_t bytes =
          c_->prepare("SELECT COALESCE(SUM(size_bytes), 0) FROM alm_sessions WHERE tenant = ?").bind(1, tenant).first_int();
      while (disk_budget_bytes > 0 && bytes > disk_budget_bytes) {
        auto q = c_->prepare(
            "SELECT id, size_bytes FROM alm_sessions WHERE tenant = ? ORDER BY last_accessed ASC, id ASC LIMIT 1");
        q.bind(1, tenant);
        if (!q.step()) break;
        const std::int64_t id = q.get_int(0);
        bytes -= q.get_int(1);
        c_->prepare("DELETE FROM alm_sessions WHERE id = ?").bind(1, id).run();
        ++stats.evicted;
      }
    }
    stats.bytes_after = c_->prepare("SELECT COALESCE(SUM(size_bytes), 0) FROM alm_sessions").first_int();
    return stats;
  });
}

std::vector<AlmUsage> AlmRepository::usage(const std::string& tenant) {
  return c_->rows(tenant,
                  "SELECT owner, COUNT(*), COALESCE(SUM(size_bytes), 0) FROM alm_sessions WHERE tenant = ? "
                  "GROUP BY owner ORDER BY 3 DESC, 1",
                  [](const SqlStatement& r) {
                    return AlmUsage{r.get_text(0), static_cast<std::size_t>(r.get_int(1)), r.get_int(2)};
                  },
                  tenant);
}

}  // namespace keel::store
