// The PostgreSQL backend of keel::Store: portfolios, positions, prices (bulk-loaded with COPY,
// price_load.h), the security master, factors and curves, and every repository the store hands
// out: those written once for both backends over its PgConnection (src/store/sql_repositories.h),
// the job queue and the market data PostgreSQL's own (job_repository.h, market_data_repository.h).
#include <algorithm>
#include <map>
#include <string>

#include "keel/core/error.h"
#include "keel/store/postgresql.h"
#include "keel/store/store.h"
#include "job_repository.h"
#include "market_data_repository.h"
#include "price_load.h"
#include "pg_connection.h"
#include "session.h"
#include "sql_repositories.h"
#include "tags_text.h"

namespace keel::store::pg {

void check_schema(Session& session);  // migrate.cpp

namespace {

using detail::join_tags;
using detail::split_tags;

std::optional<Date> opt_date(const pqxx::field& f) {
  auto t = opt_text(f);
  if (!t || t->empty()) return std::nullopt;
  return Date::parse(*t);
}

std::optional<std::string> date_text(std::optional<Date> d) {
  return d ? std::optional<std::string>(d->to_string()) : std::nullopt;
}

std::string_view kind_name(CurveKind k) {
  return k == CurveKind::kPar ? "par" : "zero";
}
CurveKind parse_kind(const std::string& s) {
  return s == "par" ? CurveKind::kPar : CurveKind::kZero;
}

class PgStore final : public Store {
 public:
  PgStore(std::shared_ptr<Pool> pool, const Clock& clock)
      : s_(std::move(pool)),
        clock_(&clock),
        sql_(s_),
        users_(sql_, clock),
        audit_(sql_, clock),
        snapshots_(sql_, clock),
        jobs_(s_, clock),
        results_(sql_, clock),
        ledger_(sql_, clock),
        ledger_snapshots_(sql_, clock),
        tags_(sql_, clock),
        alm_(sql_, clock),
        modelling_(sql_, clock),
        clo_deals_(sql_, clock),
        market_data_(s_, clock),
        secrets_(sql_, clock),
        assistant_(sql_, clock) {}

  Session& session() { return s_; }

  std::vector<PortfolioSummary> list_portfolios(const std::string& tenant) override {
    return s_.run(tenant, [&](Tx& tx) {
      std::vector<PortfolioSummary> out;
      for (const auto& r :
           tx.exec(std::string(kSummarySql) + " WHERE t.name = $1 GROUP BY p.id, t.name ORDER BY p.name",
                   Params().add(tenant))) {
        out.push_back(summary(r));
      }
      return out;
    });
  }

  std::optional<PortfolioSummary> find_portfolio(const std::string& tenant,
                                                 const std::string& name) override {
    return s_.run(tenant, [&](Tx& tx) -> std::optional<PortfolioSummary> {
      auto r = tx.exec(std::string(kSummarySql) + " WHERE t.name = $1 AND p.name = $2 GROUP BY p.id, t.name",
                       Params().add(tenant).add(name));
      if (r.empty()) return std::nullopt;
      return summary(r[0]);
    });
  }

  PortfolioSummary save_portfolio(const std::string& tenant, const std::string& name,
                                  const std::vector<Position>& positions,
                                  const std::string& source) override {
    if (name.empty()) throw Error::invalid_input("portfolio name must not be empty");
    return s_.run(tenant, [&](Tx& tx) {
      const std::string now = clock_->iso8601();
      tx.exec("INSERT INTO tenants (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
              Params().add(tenant).add(now));
      const std::int64_t pid =
          integer(tx.exec1("INSERT INTO portfolios (tenant_id, name, source, created_at, updated_at) "
                           "SELECT id, $2, $3, $4, $4 FROM tenants WHERE name = $1 "
                           "ON CONFLICT (tenant_id, name) DO UPDATE SET source = excluded.source, "
                           "updated_at = excluded.updated_at RETURNING id",
                           Params().add(tenant).add(name).add(source).add(now))[0]);
      tx.exec("DELETE FROM positions WHERE portfolio_id = $1", Params().add(pid));
      int ordinal = 0;
      for (const Position& p : positions) {
        const std::int64_t iid = ensure_instrument(tx, p);
        tx.exec(
            "INSERT INTO positions (portfolio_id, instrument_id, ordinal, quantity, entry_price, entry_date, "
            "implied_vol, sector, tags, strategy, currency, dividend_yield) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            Params()
                .add(pid)
                .add(iid)
                .add(ordinal++)
                .add(p.quantity)
                .add(p.entry_price)
                .add(date_text(p.entry_date))
                .add(p.implied_vol)
                .add(p.sector)
                .add(join_tags(p.tags))
                .add(p.strategy)
                .add(p.currency)
                .add(p.dividend_yield));
      }
      return *find_portfolio(tenant, name);
    });
  }

  std::vector<Position> positions(const std::string& tenant, const std::string& name) override {
    return s_.run(tenant, [&](Tx&) {
      auto found = find_portfolio(tenant, name);
      if (!found) throw Error::not_found("no portfolio named \"" + name + "\" (see `keel portfolio list`)");
      return read_positions(found->id);
    });
  }

  bool delete_portfolio(const std::string& tenant, const std::string& name) override {
    return s_.run(tenant, [&](Tx& tx) {
      auto r = tx.exec(
          "DELETE FROM portfolios p USING tenants t WHERE t.id = p.tenant_id AND t.name = $1 AND p.name = $2",
          Params().add(tenant).add(name));
      return r.affected_rows() > 0;
    });
  }

  PriceImportStats upsert_price_chunks(const std::function<bool(PriceRows&)>& next_chunk,
                                       const std::function<void()>& before_commit) override {
    PriceImportStats stats;
    s_.run(std::nullopt, [&](Tx& tx) {
      // Each run goes by COPY while the reader parses the next chunk (price_load.h).
      stats = write_prices(tx, next_chunk);
      before_commit();
    });
    return stats;
  }

  PriceHistory price_history(const std::vector<std::string>& symbols, std::optional<Date> from,
                             std::optional<Date> to, PriceField field) override {
    PriceHistory h;
    h.symbols = symbols;
    const std::string value =
        field == PriceField::kAdjustedClose ? "COALESCE(p.adj_close, p.close)" : "p.close";
    std::map<std::int32_t, std::vector<double>> by_date;
    s_.run(std::nullopt, [&](Tx& tx) {
      for (std::size_t s = 0; s < symbols.size(); ++s) {
        const auto rows = tx.exec("SELECT p.date, " + value +
                                      " FROM prices p JOIN instruments i ON i.id = p.instrument_id "
                                      "WHERE i.symbol = $1 AND ($2::text IS NULL OR p.date >= $2) "
                                      "AND ($3::text IS NULL OR p.date <= $3) ORDER BY p.date",
                                  Params().add(symbols[s]).add(date_text(from)).add(date_text(to)));
        for (const auto& r : rows) {
          auto d = Date::parse(text(r[0]));
          if (!d) continue;
          auto& row = by_date[d->serial()];
          if (row.empty()) row.assign(symbols.size(), kMissing);
          row[s] = real(r[1]);
        }
      }
    });
    h.dates.reserve(by_date.size());
    h.values.reserve(by_date.size() * symbols.size());
    for (auto& [serial, row] : by_date) {
      h.dates.push_back(Date::from_serial(serial));
      h.values.insert(h.values.end(), row.begin(), row.end());
    }
    return h;
  }

  std::optional<LatestPrice> latest_price(const std::string& symbol, std::optional<Date> as_of) override {
    return s_.run(std::nullopt, [&](Tx& tx) -> std::optional<LatestPrice> {
      auto r = tx.exec(
          "SELECT p.date, p.close, COALESCE(p.adj_close, p.close) FROM prices p "
          "JOIN instruments i ON i.id = p.instrument_id WHERE i.symbol = $1 AND ($2::text IS NULL OR p.date "
          "<= $2) "
          "ORDER BY p.date DESC LIMIT 1",
          Params().add(symbol).add(date_text(as_of)));
      if (r.empty()) return std::nullopt;
      return LatestPrice{*Date::parse(text(r[0][0])), real(r[0][1]), real(r[0][2])};
    });
  }

  std::optional<Date> last_price_date() override {
    return s_.run(std::nullopt,
                  [&](Tx& tx) { return opt_date(tx.exec1("SELECT MAX(date) FROM prices")[0]); });
  }

  std::size_t upsert_symbol_info(const std::vector<SymbolInfo>& infos) override {
    s_.run(std::nullopt, [&](Tx& tx) {
      for (const auto& i : infos) {
        tx.exec(
            "INSERT INTO instruments (symbol, name, sector, industry) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT (symbol) DO UPDATE SET name = excluded.name, sector = excluded.sector, "
            "industry = excluded.industry",
            Params().add(i.symbol).add(i.name).add(i.sector).add(i.industry));
      }
    });
    return infos.size();
  }

  std::optional<SymbolInfo> symbol_info(const std::string& symbol) override {
    return s_.run(std::nullopt, [&](Tx& tx) -> std::optional<SymbolInfo> {
      auto r = tx.exec(
          "SELECT symbol, COALESCE(name, ''), COALESCE(sector, ''), COALESCE(industry, '') "
          "FROM instruments WHERE symbol = $1",
          Params().add(symbol));
      if (r.empty()) return std::nullopt;
      return SymbolInfo{text(r[0][0]), text(r[0][1]), text(r[0][2]), text(r[0][3])};
    });
  }

  std::size_t upsert_factors(const std::string& set_name, const FactorTable& table) override {
    s_.run(std::nullopt, [&](Tx& tx) {
      std::vector<std::string> names = factor_order(tx, set_name);
      for (const auto& n : table.names) {
        if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
      }
      tx.exec(
          "INSERT INTO factor_sets (name, factors) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET "
          "factors = excluded.factors",
          Params().add(set_name).add(join_tags(names)));
      for (std::size_t t = 0; t < table.rows(); ++t) {
        const std::string d = table.dates[t].to_string();
        for (std::size_t f = 0; f < table.cols(); ++f) {
          tx.exec(
              "INSERT INTO factor_returns (factor_set, factor, date, value) VALUES ($1, $2, $3, $4) "
              "ON CONFLICT (factor_set, factor, date) DO UPDATE SET value = excluded.value",
              Params().add(set_name).add(table.names[f]).add(d).add(table.at(t, f)));
        }
      }
    });
    return table.rows();
  }

  FactorTable factors(const std::string& set_name, std::optional<Date> from,
                      std::optional<Date> to) override {
    FactorTable out;
    std::map<std::int32_t, std::map<std::string, double>> rows;
    s_.run(std::nullopt, [&](Tx& tx) {
      for (const auto& r :
           tx.exec("SELECT date, factor, value FROM factor_returns WHERE factor_set = $1 "
                   "AND ($2::text IS NULL OR date >= $2) AND ($3::text IS NULL OR date <= $3) "
                   "ORDER BY date",
                   Params().add(set_name).add(date_text(from)).add(date_text(to)))) {
        auto d = Date::parse(text(r[0]));
        if (d) rows[d->serial()][text(r[1])] = real(r[2]);
      }
      out.names = factor_order(tx, set_name);
    });
    for (auto& [serial, vals] : rows) {
      out.dates.push_back(Date::from_serial(serial));
      for (const auto& n : out.names) {
        auto it = vals.find(n);
        out.values.push_back(it == vals.end() ? kMissing : it->second);
      }
    }
    return out;
  }

  void save_curve(const CurveData& curve) override {
    s_.run(std::nullopt, [&](Tx& tx) {
      const std::string as_of = curve.as_of ? curve.as_of->to_string() : "";
      tx.exec("DELETE FROM curves WHERE name = $1 AND as_of = $2", Params().add(curve.name).add(as_of));
      const std::int64_t id = integer(
          tx.exec1("INSERT INTO curves (name, as_of, kind, currency) VALUES ($1, $2, $3, $4) RETURNING id",
                   Params().add(curve.name).add(as_of).add(kind_name(curve.kind)).add(curve.currency))[0]);
      for (const auto& p : curve.points) {
        tx.exec("INSERT INTO curve_points (curve_id, tenor, years, rate) VALUES ($1, $2, $3, $4)",
                Params().add(id).add(p.tenor).add(p.years).add(p.rate));
      }
    });
  }

  std::optional<CurveData> curve(const std::string& name, std::optional<Date> as_of) override {
    return s_.run(std::nullopt, [&](Tx& tx) -> std::optional<CurveData> {
      auto r = tx.exec(
          "SELECT id, as_of, kind, currency FROM curves WHERE name = $1 AND ($2::text IS NULL OR as_of <= "
          "$2) "
          "ORDER BY as_of DESC LIMIT 1",
          Params().add(name).add(date_text(as_of)));
      if (r.empty()) return std::nullopt;
      CurveData c;
      c.name = name;
      const std::int64_t id = integer(r[0][0]);
      c.as_of = opt_date(r[0][1]);
      c.kind = parse_kind(text(r[0][2]));
      c.currency = text(r[0][3]);
      for (const auto& p :
           tx.exec("SELECT tenor, years, rate FROM curve_points WHERE curve_id = $1 ORDER BY years",
                   Params().add(id))) {
        c.points.push_back({text(p[0]), real(p[1]), real(p[2])});
      }
      return c;
    });
  }

  std::vector<CurveSummary> list_curves() override {
    return s_.run(std::nullopt, [&](Tx& tx) {
      std::vector<CurveSummary> out;
      for (const auto& r :
           tx.exec("SELECT c.name, c.as_of, c.kind, c.currency, COUNT(p.tenor) FROM curves c "
                   "LEFT JOIN curve_points p ON p.curve_id = c.id GROUP BY c.id ORDER BY c.name, c.as_of")) {
        out.push_back({text(r[0]), opt_date(r[1]), parse_kind(text(r[2])), text(r[3]),
                       static_cast<std::size_t>(integer(r[4]))});
      }
      return out;
    });
  }

  store::UserRepository& users() override { return users_; }
  store::AuditRepository& audit() override { return audit_; }
  store::SnapshotRepository& snapshots() override { return snapshots_; }
  store::JobRepository& jobs() override { return jobs_; }
  store::ResultCache& results() override { return results_; }
  store::LedgerRepository& ledger() override { return ledger_; }
  store::LedgerSnapshotRepository& ledger_snapshots() override { return ledger_snapshots_; }
  store::TagRepository& tags() override { return tags_; }
  store::AlmRepository& alm_sessions() override { return alm_; }
  store::ModellingRepository& modelling_sessions() override { return modelling_; }
  store::CloDealRepository& clo_deals() override { return clo_deals_; }
  store::MarketDataRepository& market_data() override { return market_data_; }
  store::SecretRepository& secrets() override { return secrets_; }
  store::AssistantRepository& assistant() override { return assistant_; }

  const Clock& clock() const override { return *clock_; }

  bool ping() override {
    return s_.run(std::nullopt, [&](Tx& tx) { return integer(tx.exec1("SELECT 1")[0]) == 1; });
  }

 protected:
  void run_transaction(const std::function<void()>& fn) override {
    // SQLite's BEGIN IMMEDIATE: the outermost Store::transaction first takes one database-wide
    // write lock (transaction-scoped, released at commit or rollback), so a check made inside
    // against stored rows (a ledger sale against the shares held) still holds at the commit,
    // whichever process runs the other writer; under READ COMMITTED each later statement sees
    // what the previous holder committed.
    const bool outermost = !s_.in_transaction();
    s_.run(std::nullopt, [&](Tx& tx) {
      if (outermost) tx.exec("SELECT pg_advisory_xact_lock($1)", Params().add(kStoreTransactionLock));
      fn();
    });
  }

 private:
  static constexpr std::int64_t kStoreTransactionLock = 0x6b65656c7478;  // "keeltx"
  static constexpr const char* kSummarySql =
      "SELECT p.id, p.name, t.name, COUNT(pos.id), p.base_currency, p.created_at, p.updated_at "
      "FROM portfolios p JOIN tenants t ON t.id = p.tenant_id LEFT JOIN positions pos ON pos.portfolio_id = "
      "p.id";

  static PortfolioSummary summary(const pqxx::row& r) {
    return {integer(r[0]), text(r[1]), text(r[2]), static_cast<std::size_t>(integer(r[3])),
            text(r[4]),    text(r[5]), text(r[6])};
  }

  std::vector<Position> read_positions(std::int64_t portfolio_id) {
    return s_.run(std::nullopt, [&](Tx& tx) {
      std::vector<Position> out;
      for (const auto& r : tx.exec("SELECT i.symbol, p.quantity, i.type, p.entry_price, p.entry_date, "
                                   "i.underlying, i.strike, i.expiry, "
                                   "i.option_type, i.exercise, i.multiplier, p.implied_vol, "
                                   "COALESCE(NULLIF(p.sector, ''), NULLIF(i.sector, ''), u.sector, ''), "
                                   "p.tags, p.strategy, COALESCE(p.currency, i.currency), p.dividend_yield "
                                   "FROM positions p JOIN instruments i ON i.id = p.instrument_id "
                                   "LEFT JOIN instruments u ON u.symbol = i.underlying WHERE p.portfolio_id "
                                   "= $1 ORDER BY p.ordinal",
                                   Params().add(portfolio_id))) {
        Position p;
        p.symbol = text(r[0]);
        p.quantity = real(r[1]);
        p.type = parse_instrument_type(text(r[2])).value_or(InstrumentType::kOther);
        p.entry_price = opt_real(r[3]);
        p.entry_date = opt_date(r[4]);
        p.underlying = text(r[5]);
        p.strike = opt_real(r[6]);
        p.expiry = opt_date(r[7]);
        if (auto o = opt_text(r[8])) p.option_type = parse_option_right(*o);
        if (auto e = opt_text(r[9])) p.exercise = parse_exercise_style(*e).value_or(ExerciseStyle::kEuropean);
        p.multiplier = real(r[10]);
        p.implied_vol = opt_real(r[11]);
        p.sector = text(r[12]);
        p.tags = split_tags(text(r[13]));
        p.strategy = text(r[14]);
        p.currency = text(r[15]);
        p.dividend_yield = opt_real(r[16]);
        out.push_back(std::move(p));
      }
      return out;
    });
  }

  // Instrument terms come from the position; an existing row keeps its name and sector.
  static std::int64_t ensure_instrument(Tx& tx, const Position& p) {
    Params params;
    params.add(p.symbol).add(instrument_type_name(p.type));
    if (p.is_option()) {
      params.add(p.underlying).add(p.strike).add(date_text(p.expiry));
      if (p.option_type)
        params.add(option_right_name(*p.option_type));
      else
        params.add_null();
      params.add(exercise_style_name(p.exercise));
    } else {
      params.add_null().add_null().add_null().add_null().add_null();
    }
    params.add(p.multiplier).add(p.currency);
    return integer(tx.exec1(
        "INSERT INTO instruments (symbol, type, underlying, strike, expiry, option_type, exercise, "
        "multiplier, currency) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (symbol) DO UPDATE SET type = "
        "excluded.type, "
        "underlying = excluded.underlying, strike = excluded.strike, expiry = excluded.expiry, "
        "option_type = excluded.option_type, exercise = excluded.exercise, multiplier = excluded.multiplier, "
        "currency = excluded.currency RETURNING id",
        params)[0]);
  }

  static std::vector<std::string> factor_order(Tx& tx, const std::string& set_name) {
    auto r = tx.exec("SELECT factors FROM factor_sets WHERE name = $1", Params().add(set_name));
    if (r.empty()) return {};
    return split_tags(text(r[0][0]));
  }

  Session s_;
  const Clock* clock_;
  PgConnection sql_;  // over s_: the repositories written once for both backends
  SqlUserRepository users_;
  SqlAuditRepository audit_;
  SqlSnapshotRepository snapshots_;
  PgJobRepository jobs_;
  SqlResultCache results_;
  SqlLedgerRepository ledger_;
  SqlLedgerSnapshotRepository ledger_snapshots_;
  SqlTagRepository tags_;
  SqlAlmRepository alm_;
  SqlModellingRepository modelling_;
  SqlCloDealRepository clo_deals_;
  PgMarketDataRepository market_data_;
  SqlSecretRepository secrets_;
  SqlAssistantRepository assistant_;
};

}  // namespace

std::unique_ptr<Store> open_store(const std::string& url, const Clock& clock) {
  auto store = std::make_unique<PgStore>(Pool::shared(url), clock);
  check_schema(store->session());
  return store;
}

}  // namespace keel::store::pg
