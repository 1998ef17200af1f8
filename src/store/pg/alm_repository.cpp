#include "alm_repository.h"

#include "alm_rows.h"
#include "copy_stage.h"
#include "keel/core/error.h"

namespace keel::store::pg {
namespace {

AlmSessionInfo read_info(Tx& tx, const pqxx::row& row) {
  AlmSessionInfo s = detail::read_alm_session(RowView(row));
  for (const auto& r : tx.exec(
           "SELECT DISTINCT currency FROM alm_session_curve_points WHERE session_id = $1 ORDER BY currency",
           Params().add(s.id))) {
    s.curve_currencies.push_back(text(r[0]));
  }
  for (const auto& r : tx.exec("SELECT kind FROM alm_session_results WHERE session_id = $1 ORDER BY kind",
                               Params().add(s.id))) {
    s.results.push_back(text(r[0]));
  }
  return s;
}

std::optional<AlmSessionInfo> find_session(Tx& tx, const std::string& tenant, const std::string& name) {
  const auto r = tx.exec(std::string("SELECT ") + detail::kAlmSessionColumns +
                             " FROM alm_sessions WHERE tenant = $1 AND name = $2",
                         Params().add(tenant).add(name));
  if (r.empty()) return std::nullopt;
  return read_info(tx, r[0]);
}

// Sets the tenant of the session to this transaction; false when no session has that id.
bool enter_session(Tx& tx, std::int64_t session_id) {
  const auto tenant = opt_text(tx.exec1("SELECT keel_alm_session_tenant($1)", Params().add(session_id))[0]);
  if (tenant) tx.set_tenant(*tenant);
  return tenant.has_value();
}

constexpr const char* kPositionStage =
    "ordinal bigint, position_id text, side text, type text, currency text, notional double precision, "
    "start_date text, maturity_date text, rate_type text, rate double precision, spread double precision, "
    "rate_index text, reset_months integer, payment_months integer, amortization text, day_count text, "
    "first_reset_date text, floor double precision, cap double precision, behavioural_years double "
    "precision, "
    "calendar text, line integer";

}  // namespace

AlmSessionInfo PgAlmRepository::create(const std::string& tenant, const std::string& name,
                                       const alm::BalanceSheet& book,
                                       const std::map<std::string, CurveData>& curves,
                                       const std::optional<alm::ShockTable>& shock_table,
                                       std::optional<Date> as_of, const std::string& currency,
                                       const std::string& settings, std::int64_t ttl_seconds,
                                       std::int64_t now_epoch) {
  if (name.empty()) throw Error::invalid_input("a session needs a name");
  if (ttl_seconds <= 0) throw Error::invalid_input("a session TTL must be positive");
  return s_->run(tenant, [&](Tx& tx) {
    const auto inserted = tx.exec(
        "INSERT INTO alm_sessions (tenant, name, as_of, currency, source, settings, ttl_seconds, size_bytes, "
        "positions, last_accessed, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
        "ON CONFLICT (tenant, name) DO NOTHING RETURNING id",
        Params()
            .add(tenant)
            .add(name)
            .add(as_of ? std::optional<std::string>(as_of->to_string()) : std::nullopt)
            .add(currency)
            .add(book.source)
            .add(settings)
            .add(ttl_seconds)
            .add(detail::alm_session_size_bytes(book, curves, settings))
            .add(book.size())
            .add(now_epoch)
            .add(clock_->iso8601()));
    if (inserted.empty()) throw Error::conflict("an ALM session named \"" + name + "\" exists already");
    const std::int64_t sid = integer(inserted[0][0]);
    // A bank's balance sheet has tens of thousands of rows: they go by COPY.
    std::vector<std::string> columns = column_names(detail::kAlmPositionColumns);
    columns.insert(columns.begin(), "ordinal");
    CopyStage stage(tx, "keel_alm_position_stage", kPositionStage, columns);
    stage.begin();
    for (std::size_t i = 0; i < book.size(); ++i) {
      Params p;
      p.add(i);
      detail::write_alm_position(p, book, i);
      stage.row(p);
    }
    stage.finish();
    tx.exec(std::string("INSERT INTO alm_session_positions (session_id, ordinal, ") +
                detail::kAlmPositionColumns + ") SELECT $1, ordinal, " + detail::kAlmPositionColumns +
                " FROM keel_alm_position_stage",
            Params().add(sid));
    for (const auto& [ccy, c] : curves) {
      for (const CurvePoint& p : c.points) {
        tx.exec(
            "INSERT INTO alm_session_curve_points (session_id, currency, curve_name, kind, tenor, years, "
            "rate) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7)",
            Params()
                .add(sid)
                .add(ccy)
                .add(c.name)
                .add(detail::curve_kind_name(c.kind))
                .add(p.tenor)
                .add(p.years)
                .add(p.rate));
      }
    }
    if (shock_table) {
      for (const alm::ShockSizes& s : shock_table->rows) {
        tx.exec(
            "INSERT INTO alm_session_shocks (session_id, currency, parallel_bp, short_bp, long_bp, source) "
            "VALUES ($1, $2, $3, $4, $5, $6)",
            Params()
                .add(sid)
                .add(s.currency)
                .add(s.parallel_bp)
                .add(s.short_bp)
                .add(s.long_bp)
                .add(shock_table->source));
      }
    }
    return *find_session(tx, tenant, name);
  });
}

std::vector<AlmSessionInfo> PgAlmRepository::list(const std::string& tenant) {
  return s_->run(tenant, [&](Tx& tx) {
    std::vector<AlmSessionInfo> out;
    for (const auto& r : tx.exec(std::string("SELECT ") + detail::kAlmSessionColumns +
                                     " FROM alm_sessions WHERE tenant = $1 ORDER BY name",
                                 Params().add(tenant))) {
      out.push_back(read_info(tx, r));
    }
    return out;
  });
}

std::optional<AlmSessionInfo> PgAlmRepository::find(const std::string& tenant, const std::string& name) {
  return s_->run(tenant, [&](Tx& tx) { return find_session(tx, tenant, name); });
}

AlmSessionData PgAlmRepository::load(const std::string& tenant, const std::string& name,
                                     std::int64_t now_epoch) {
  return s_->run(tenant, [&](Tx& tx) {
    auto info = find_session(tx, tenant, name);
    if (!info || expired(*info, now_epoch)) throw_no_alm_session(name, info ? &*info : nullptr);
    tx.exec("UPDATE alm_sessions SET last_accessed = $1 WHERE id = $2",
            Params().add(now_epoch).add(info->id));
    info->last_accessed = now_epoch;
    AlmSessionData data;
    data.info = *info;
    data.book.source = info->source;
    data.book.reserve(info->positions);
    for (const auto& r : tx.exec(std::string("SELECT ") + detail::kAlmPositionColumns +
                                     " FROM alm_session_positions WHERE session_id = $1 ORDER BY ordinal",
                                 Params().add(info->id))) {
      detail::read_alm_position(RowView(r), data.book);
    }
    for (const auto& r :
         tx.exec("SELECT currency, curve_name, kind, tenor, years, rate FROM alm_session_curve_points "
                 "WHERE session_id = $1 ORDER BY currency, years",
                 Params().add(info->id))) {
      CurveData& curve = data.curves[text(r[0])];
      curve.currency = text(r[0]);
      curve.name = text(r[1]);
      curve.kind = text(r[2]) == "par" ? CurveKind::kPar : CurveKind::kZero;
      curve.as_of = info->as_of;
      curve.points.push_back(CurvePoint{text(r[3]), real(r[4]), real(r[5])});
    }
    for (const auto& r :
         tx.exec("SELECT currency, parallel_bp, short_bp, long_bp, source FROM alm_session_shocks "
                 "WHERE session_id = $1 ORDER BY currency",
                 Params().add(info->id))) {
      if (!data.shock_table) data.shock_table.emplace();
      data.shock_table->source = text(r[4]);
      data.shock_table->rows.push_back(alm::ShockSizes{text(r[0]), real(r[1]), real(r[2]), real(r[3])});
    }
    return data;
  });
}

void PgAlmRepository::save_result(std::int64_t session_id, const std::string& kind,
                                  const std::string& json_text, std::int64_t now_epoch) {
  s_->run(std::nullopt, [&](Tx& tx) {
    // An unknown session: SQLite's foreign key refuses the row; here it is said in words.
    if (!enter_session(tx, session_id)) {
      throw Error::not_found("no ALM session with id " + std::to_string(session_id));
    }
    const auto old =
        tx.exec("SELECT octet_length(result) FROM alm_session_results WHERE session_id = $1 AND kind = $2",
                Params().add(session_id).add(kind));
    const std::int64_t old_size = old.empty() ? 0 : integer(old[0][0]);
    tx.exec(
        "INSERT INTO alm_session_results (session_id, kind, result, computed_at) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (session_id, kind) DO UPDATE SET result = excluded.result, computed_at = "
        "excluded.computed_at",
        Params().add(session_id).add(kind).add(json_text).add(clock_->iso8601()));
    tx.exec(
        "UPDATE alm_sessions SET size_bytes = size_bytes + $1, last_accessed = $2 WHERE id = $3",
        Params().add(static_cast<std::int64_t>(json_text.size()) - old_size).add(now_epoch).add(session_id));
  });
}

std::optional<std::string> PgAlmRepository::result(std::int64_t session_id, const std::string& kind) {
  return s_->run(std::nullopt, [&](Tx& tx) -> std::optional<std::string> {
    if (!enter_session(tx, session_id)) return std::nullopt;
    const auto r = tx.exec("SELECT result FROM alm_session_results WHERE session_id = $1 AND kind = $2",
                           Params().add(session_id).add(kind));
    if (r.empty()) return std::nullopt;
    return text(r[0][0]);
  });
}

void PgAlmRepository::touch(std::int64_t session_id, std::int64_t now_epoch) {
  s_->run(std::nullopt, [&](Tx& tx) {
    if (!enter_session(tx, session_id)) return;
    tx.exec("UPDATE alm_sessions SET last_accessed = $1 WHERE id = $2 AND last_accessed + ttl_seconds >= $1",
            Params().add(now_epoch).add(session_id));
  });
}

bool PgAlmRepository::remove(const std::string& tenant, const std::string& name) {
  return s_->run(tenant, [&](Tx& tx) {
    return tx.exec("DELETE FROM alm_sessions WHERE tenant = $1 AND name = $2", Params().add(tenant).add(name))
               .affected_rows() > 0;
  });
}

AlmCleanupStats PgAlmRepository::cleanup(std::int64_t now_epoch, std::int64_t disk_budget_bytes) {
  return s_->run(std::nullopt, [&](Tx& tx) {
    const auto r = tx.exec1("SELECT expired, evicted, bytes_after FROM keel_alm_cleanup($1, $2)",
                            Params().add(now_epoch).add(disk_budget_bytes));
    AlmCleanupStats stats;
    stats.expired = static_cast<std::size_t>(integer(r[0]));
    stats.evicted = static_cast<std::size_t>(integer(r[1]));
    stats.bytes_after = integer(r[2]);
    return stats;
  });
}

}  // namespace keel::store::pg
