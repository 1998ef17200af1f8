// The SQLite backend of keel::Store.
#include <algorithm>
#include <map>
#include <string>
#include <unordered_map>

#include "keel/core/error.h"
#include "keel/store/database.h"
#include "keel/store/postgresql.h"
#include "keel/store/store.h"
#include "price_order.h"
#include "sql_repositories.h"
#include "sqlite_connection.h"
#include "sqlite_repositories.h"
#include "tags_text.h"

namespace keel {
namespace {

using store::Database;
using store::Statement;

using store::detail::join_tags;
using store::detail::split_tags;

std::optional<Date> opt_date(const Statement& st, int col) {
  auto t = st.get_optional_text(col);
  if (!t || t->empty()) return std::nullopt;
  return Date::parse(*t);
}

std::string_view kind_name(CurveKind k) { return k == CurveKind::kPar ? "par" : "zero"; }
CurveKind parse_kind(const std::string& s) { return s == "par" ? CurveKind::kPar : CurveKind::kZero; }

class SqliteStore final : public Store {
 public:
  SqliteStore(Database db, const Clock& clock)
      : db_(std::move(db)),
        clock_(&clock),
        sql_(db_),
        users_(sql_, clock),
        audit_(sql_, clock),
        jobs_(db_, clock),
        results_(sql_, clock),
        ledger_(sql_, clock),
        ledger_snapshots_(sql_, clock),
        snapshots_(sql_, clock),
        tags_(sql_, clock),
        alm_sessions_(sql_, clock),
        modelling_sessions_(sql_, clock),
        clo_deals_(sql_, clock),
        market_data_(db_, clock),
        secrets_(sql_, clock),
        assistant_(sql_, clock) {}

  std::vector<PortfolioSummary> list_portfolios(const std::string& tenant) override {
    auto st = db_.prepare(kSummarySql + std::string(" WHERE t.name = ? GROUP BY p.id ORDER BY p.name"));
    st.bind(1, tenant);
    std::vector<PortfolioSummary> out;
    while (st.step()) out.push_back(summary(st));
    return out;
  }

  std::optional<PortfolioSummary> find_portfolio(const std::string& tenant, const std::string& name) override {
    auto st = db_.prepare(kSummarySql + std::string(" WHERE t.name = ? AND p.name = ? GROUP BY p.id"));
    st.bind(1, tenant).bind(2, name);
    if (!st.step()) return std::nullopt;
    return summary(st);
  }

  PortfolioSummary save_portfolio(const std::string& tenant, const std::string& name,
                                  const std::vector<Position>& positions, const std::string& source) override {
    if (name.empty()) throw Error::invalid_input("portfolio name must not be empty");
    // The summary is read inside the transaction too: a concurrent delete cannot leave this
    // write without its result after it committed.
    return db_.transaction([&] {
      const std::int64_t tenant_id = ensure_tenant(tenant);
      const std::string now = store::now_text(*clock_);
      db_.prepare(
             "INSERT INTO portfolios (tenant_id, name, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?) "
             "ON CONFLICT (tenant_id, name) DO UPDATE SET source = excluded.source, "
             "updated_at = excluded.updated_at")
          .bind(1, tenant_id)
          .bind(2, name)
          .bind(3, source)
          .bind(4, now)
          .bind(5, now)
          .run();
      auto id_st = db_.prepare("SELECT id FROM portfolios WHERE tenant_id = ? AND name = ?");
      id_st.bind(1, tenant_id).bind(2, name);
      id_st.step();
      const std::int64_t pid = id_st.get_int(0);
      db_.prepare("DELETE FROM positions WHERE portfolio_id = ?").bind(1, pid).run();
      auto ins = db_.prepare(
          "INSERT INTO positions (portfolio_id, instrument_id, ordinal, quantity, entry_price, entry_date, "
          "implied_vol, sector, tags, strategy, currency, dividend_yield) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      int ordinal = 0;
      for (const Position& p : positions) {
        const std::int64_t iid = ensure_instrument(p);
        ins.bind(1, pid).bind(2, iid).bind(3, ordinal++).bind(4, p.quantity).bind(5, p.entry_price);
        if (p.entry_date) ins.bind(6, p.entry_date->to_string());
        else ins.bind_null(6);
        ins.bind(7, p.implied_vol).bind(8, p.sector).bind(9, join_tags(p.tags)).bind(10, p.strategy)
            .bind(11, p.currency).bind(12, p.dividend_yield);
        ins.run();
        ins.reset();
      }
      return *find_portfolio(tenant, name);
    });
  }

  std::vector<Position> positions(const std::string& tenant, const std::string& name) override {
    auto found = find_portfolio(tenant, name);
    if (!found) throw Error::not_found("no portfolio named \"" + name + "\" (see `keel portfolio list`)");
    auto st = db_.prepare(
        "SELECT i.symbol, p.quantity, i.type, p.entry_price, p.entry_date, i.underlying, i.strike, i.expiry, "
        "i.option_type, i.exercise, i.multiplier, p.implied_vol, COALESCE(NULLIF(p.sector, ''), NULLIF(i.sector, ''), u.sector, ''), "
        "p.tags, p.strategy, COALESCE(p.currency, i.currency), p.dividend_yield "
        "FROM positions p JOIN instruments i ON i.id = p.instrument_id "
        "LEFT JOIN instruments u ON u.symbol = i.underlying WHERE p.portfolio_id = ? ORDER BY p.ordinal");
    st.bind(1, found->id);
    std::vector<Position> out;
    while (st.step()) {
      Position p;
      p.symbol = st.get_text(0);
      p.quantity = st.get_double(1);
      p.type = parse_instrument_type(st.get_text(2)).value_or(InstrumentType::kOther);
      p.entry_price = st.get_optional_double(3);
      p.entry_date = opt_date(st, 4);
      p.underlying = st.get_optional_text(5).value_or("");
      p.strike = st.get_optional_double(6);
      p.expiry = opt_date(st, 7);
      if (auto r = st.get_optional_text(8)) p.option_type = parse_option_right(*r);
      if (auto e = st.get_optional_text(9)) p.exercise = parse_exercise_style(*e).value_or(ExerciseStyle::kEuropean);
      p.multiplier = st.get_double(10);
      p.implied_vol = st.get_optional_double(11);
      p.sector = st.get_text(12);
      p.tags = split_tags(st.get_text(13));
      p.strategy = st.get_text(14);
      p.currency = st.get_text(15);
      p.dividend_yield = st.get_optional_double(16);
      out.push_back(std::move(p));
    }
    return out;
  }

  bool delete_portfolio(const std::string& tenant, const std::string& name) override {
    auto found = find_portfolio(tenant, name);
    if (!found) return false;
    db_.transaction([&] { db_.prepare("DELETE FROM portfolios WHERE id = ?").bind(1, found->id).run(); });
    return true;
  }

  PriceImportStats upsert_price_chunks(const std::function<bool(PriceRows&)>& next_chunk,
                                       const std::function<void()>& before_commit) override {
    // The rows of a first import are pages appended to the file: with the rollback journal they
    // are written once instead of twice (Database::begin_bulk_load).
    struct BulkLoad {
      Database& db;
      bool on;
      ~BulkLoad() {
        if (on) db.end_bulk_load();
      }
    } bulk{db_, db_.begin_bulk_load()};
    // Every row names an instrument resolved below in this transaction (ensure_symbol), checked
    // again before the commit, so SQLite need not look each row's instrument up
    // (Database::begin_bulk_write).
    struct BulkWrite {
      Database& db;
      bool on;
      ~BulkWrite() {
        if (on) db.end_bulk_write();
      }
    } bulk_write{db_, db_.begin_bulk_write()};
    return db_.transaction([&] {
      // Multi-row INSERTs amortise SQLite's per-statement work: kBatch rows per statement, then
      // a single-row statement for the tail.
      constexpr std::size_t kBatch = 256;
      auto make_insert = [&](std::size_t rows_per_statement) {
        std::string sql = "INSERT INTO prices (instrument_id, date, close, adj_close, open, high, low, volume) VALUES ";
        for (std::size_t r = 0; r < rows_per_statement; ++r) sql += r ? ",(?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?)";
        sql += " ON CONFLICT (instrument_id, date) DO UPDATE SET close = excluded.close, "
               "adj_close = excluded.adj_close, open = excluded.open, high = excluded.high, "
               "low = excluded.low, volume = excluded.volume";
        return db_.prepare(sql);
      };
      auto batch = make_insert(kBatch);
      auto single = make_insert(1);
      auto count_rows = db_.prepare("SELECT COUNT(*) FROM prices WHERE instrument_id = ?");
      auto rows_of = [&](std::int64_t id) {
        count_rows.bind(1, id);
        count_rows.step();
        const auto n = static_cast<std::size_t>(count_rows.get_int(0));
        count_rows.reset();
        return n;
      };
      // Rows inserted (not overwritten) per instrument. An instrument with no rows before the
      // import whose keys were all written in runs after every earlier key (store/price_order.h:
      // every run of a file grouped by symbol) gains one row per distinct key, counted here; any
      // other is counted again in SQL before the commit (a COUNT over the whole table would cost
      // the import ~5%).
      struct Tally {
        std::size_t before = 0;
        std::size_t distinct = 0;  // distinct keys written, while `counted`
        bool counted = true;
      };
      std::unordered_map<std::int64_t, Tally> tally;
      auto opt = [](double v) { return is_missing(v) ? std::nullopt : std::optional<double>(v); };
      auto resolve = [&](const std::vector<std::string>& symbols) {
        std::vector<std::int64_t> out;
        out.reserve(symbols.size());
        for (const auto& symbol : symbols) {
          const std::int64_t id = ensure_symbol(symbol);
          tally[id].before = rows_of(id);
          out.push_back(id);
        }
        return out;
      };
      auto write = [&](const store::PriceRun& run) {
        const auto& refs = run.refs;
        auto bind_row = [&](Statement& st, int base, const store::PriceRef& ref) {
          const PriceRows& c = run.chunks[ref.chunk];
          const std::size_t i = ref.row;
          st.bind(base + 1, ref.instrument)
              .bind(base + 2, std::int64_t{ref.date})  // days since 1970-01-01 (migration 75)
              .bind(base + 3, c.close[i])
              .bind(base + 4, opt(c.adj_close[i]))
              .bind(base + 5, opt(c.open[i]))
              .bind(base + 6, opt(c.high[i]))
              .bind(base + 7, opt(c.low[i]))
              .bind(base + 8, opt(c.volume[i]));
        };
        const std::size_t n = refs.size();
        std::size_t i = 0;
        for (; i + kBatch <= n; i += kBatch) {
          for (std::size_t r = 0; r < kBatch; ++r) bind_row(batch, static_cast<int>(8 * r), refs[i + r]);
          batch.run();
          batch.reset_keeping_bindings();  // every parameter is bound again before the next step
        }
        for (; i < n; ++i) {
          bind_row(single, 0, refs[i]);
          single.run();
          single.reset_keeping_bindings();
        }
        Tally* t = nullptr;
        for (std::size_t k = 0; k < n; ++k) {
          if (k == 0 || refs[k].instrument != refs[k - 1].instrument) t = &tally[refs[k].instrument];
          if (!run.after_earlier_runs) t->counted = false;
          else if (k == 0 || !refs[k].same_key(refs[k - 1])) ++t->distinct;
        }
      };
      PriceImportStats stats = store::write_prices_in_key_order(next_chunk, resolve, write);
      // What the foreign key would have checked row by row: every instrument written exists.
      auto instrument = db_.prepare("SELECT 1 FROM instruments WHERE id = ?");
      for (const auto& [id, t] : tally) {
        instrument.bind(1, id);
        if (!instrument.step()) throw Error::internal("prices name missing instrument " + std::to_string(id));
        instrument.reset();
      }
      before_commit();
      for (const auto& [id, t] : tally) {
        stats.inserted += t.before == 0 && t.counted ? t.distinct : rows_of(id) - t.before;
      }
      stats.updated = stats.rows - stats.inserted;
      return stats;
    });
  }

  PriceHistory price_history(const std::vector<std::string>& symbols, std::optional<Date> from,
                             std::optional<Date> to, PriceField field) override {
    PriceHistory h;
    h.symbols = symbols;
    const std::string value = field == PriceField::kAdjustedClose ? "COALESCE(p.adj_close, p.close)" : "p.close";
    auto st = db_.prepare("SELECT p.date, " + value +
                          " FROM prices p JOIN instruments i ON i.id = p.instrument_id "
                          "WHERE i.symbol = ? AND (? IS NULL OR p.date >= ?) AND (? IS NULL OR p.date <= ?) "
                          "ORDER BY p.date");
    std::map<std::int32_t, std::vector<double>> by_date;
    for (std::size_t s = 0; s < symbols.size(); ++s) {
      st.bind(1, symbols[s]);
      if (from) st.bind(2, std::int64_t{from->serial()}).bind(3, std::int64_t{from->serial()});
      if (to) st.bind(4, std::int64_t{to->serial()}).bind(5, std::int64_t{to->serial()});
      while (st.step()) {
        auto& row = by_date[static_cast<std::int32_t>(st.get_int(0))];
        if (row.empty()) row.assign(symbols.size(), kMissing);
        row[s] = st.get_double(1);
      }
      st.reset();
    }
    h.dates.reserve(by_date.size());
    h.values.reserve(by_date.size() * symbols.size());
    for (auto& [serial, row] : by_date) {
      h.dates.push_back(Date::from_serial(serial));
      h.values.insert(h.values.end(), row.begin(), row.end());
    }
    return h;
  }

  std::optional<LatestPrice> latest_price(const std::string& symbol, std::optional<Date> as_of) override {
    auto st = db_.prepare(
        "SELECT p.date, p.close, COALESCE(p.adj_close, p.close) FROM prices p "
        "JOIN instruments i ON i.id = p.instrument_id WHERE i.symbol = ? AND (? IS NULL OR p.date <= ?) "
        "ORDER BY p.date DESC LIMIT 1");
    st.bind(1, symbol);
    if (as_of) st.bind(2, std::int64_t{as_of->serial()}).bind(3, std::int64_t{as_of->serial()});
    if (!st.step()) return std::nullopt;
    return LatestPrice{Date::from_serial(static_cast<std::int32_t>(st.get_int(0))), st.get_double(1),
                       st.get_double(2)};
  }

  std::optional<Date> last_price_date() override {
    auto st = db_.prepare("SELECT MAX(date) FROM prices");
    if (!st.step() || st.is_null(0)) return std::nullopt;
    return Date::from_serial(static_cast<std::int32_t>(st.get_int(0)));
  }

  std::size_t upsert_symbol_info(const std::vector<SymbolInfo>& infos) override {
    db_.transaction([&] {
      auto st = db_.prepare(
          "INSERT INTO instruments (symbol, name, sector, industry) VALUES (?, ?, ?, ?) "
          "ON CONFLICT (symbol) DO UPDATE SET name = excluded.name, sector = excluded.sector, "
          "industry = excluded.industry");
      for (const auto& i : infos) {
        st.bind(1, i.symbol).bind(2, i.name).bind(3, i.sector).bind(4, i.industry);
        st.run();
        st.reset();
      }
    });
    return infos.size();
  }

  std::optional<SymbolInfo> symbol_info(const std::string& symbol) override {
    auto st = db_.prepare("SELECT symbol, COALESCE(name, ''), COALESCE(sector, ''), COALESCE(industry, '') "
                          "FROM instruments WHERE symbol = ?");
    st.bind(1, symbol);
    if (!st.step()) return std::nullopt;
    return SymbolInfo{st.get_text(0), st.get_text(1), st.get_text(2), st.get_text(3)};
  }

  std::size_t upsert_factors(const std::string& set_name, const FactorTable& table) override {
    db_.transaction([&] {
      // The set's factor list is the union of what was imported, in file order.
      std::vector<std::string> names = factor_order(set_name);
      for (const auto& n : table.names) {
        if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
      }
      db_.prepare("INSERT INTO factor_sets (name, factors) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET "
                  "factors = excluded.factors")
          .bind(1, set_name)
          .bind(2, join_tags(names))
          .run();
      auto st = db_.prepare(
          "INSERT INTO factor_returns (factor_set, factor, date, value) VALUES (?, ?, ?, ?) "
          "ON CONFLICT (factor_set, factor, date) DO UPDATE SET value = excluded.value");
      for (std::size_t t = 0; t < table.rows(); ++t) {
        const std::string d = table.dates[t].to_string();
        for (std::size_t f = 0; f < table.cols(); ++f) {
          st.bind(1, set_name).bind(2, table.names[f]).bind(3, d).bind(4, table.at(t, f));
          st.run();
          st.reset();
        }
      }
    });
    return table.rows();
  }

  FactorTable factors(const std::string& set_name, std::optional<Date> from, std::optional<Date> to) override {
    FactorTable out;
    auto st = db_.prepare(
        "SELECT date, factor, value FROM factor_returns WHERE factor_set = ? "
        "AND (? IS NULL OR date >= ?) AND (? IS NULL OR date <= ?) ORDER BY date");
    st.bind(1, set_name);
    if (from) st.bind(2, from->to_string()).bind(3, from->to_string());
    if (to) st.bind(4, to->to_string()).bind(5, to->to_string());
    std::map<std::int32_t, std::map<std::string, double>> rows;
    while (st.step()) {
      auto d = Date::parse(st.get_text(0));
      if (d) rows[d->serial()][st.get_text(1)] = st.get_double(2);
    }
    out.names = factor_order(set_name);
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
    db_.transaction([&] {
      const std::string as_of = curve.as_of ? curve.as_of->to_string() : "";
      db_.prepare("DELETE FROM curves WHERE name = ? AND as_of = ?").bind(1, curve.name).bind(2, as_of).run();
      db_.prepare("INSERT INTO curves (name, as_of, kind, currency) VALUES (?, ?, ?, ?)")
          .bind(1, curve.name)
          .bind(2, as_of)
          .bind(3, kind_name(curve.kind))
          .bind(4, curve.currency)
          .run();
      const std::int64_t id = db_.last_insert_id();
      auto st = db_.prepare("INSERT INTO curve_points (curve_id, tenor, years, rate) VALUES (?, ?, ?, ?)");
      for (const auto& p : curve.points) {
        st.bind(1, id).bind(2, p.tenor).bind(3, p.years).bind(4, p.rate);
        st.run();
        st.reset();
      }
    });
  }

  std::optional<CurveData> curve(const std::string& name, std::optional<Date> as_of) override {
    // The curve with that date, or the latest dated one on or before it (or the undated one).
    auto st = db_.prepare(
        "SELECT id, as_of, kind, currency FROM curves WHERE name = ? AND (? IS NULL OR as_of <= ?) "
        "ORDER BY as_of DESC LIMIT 1");
    st.bind(1, name);
    if (as_of) st.bind(2, as_of->to_string()).bind(3, as_of->to_string());
    if (!st.step()) return std::nullopt;
    CurveData c;
    c.name = name;
    const std::int64_t id = st.get_int(0);
    c.as_of = opt_date(st, 1);
    c.kind = parse_kind(st.get_text(2));
    c.currency = st.get_text(3);
    auto pts = db_.prepare("SELECT tenor, years, rate FROM curve_points WHERE curve_id = ? ORDER BY years");
    pts.bind(1, id);
    while (pts.step()) c.points.push_back({pts.get_text(0), pts.get_double(1), pts.get_double(2)});
    return c;
  }

  std::vector<CurveSummary> list_curves() override {
    auto st = db_.prepare(
        "SELECT c.name, c.as_of, c.kind, c.currency, COUNT(p.tenor) FROM curves c "
        "LEFT JOIN curve_points p ON p.curve_id = c.id GROUP BY c.id ORDER BY c.name, c.as_of");
    std::vector<CurveSummary> out;
    while (st.step()) {
      out.push_back({st.get_text(0), opt_date(st, 1), parse_kind(st.get_text(2)), st.get_text(3),
                     static_cast<std::size_t>(st.get_int(4))});
    }
    return out;
  }

  store::UserRepository& users() override { return users_; }
  store::AuditRepository& audit() override { return audit_; }
  store::JobRepository& jobs() override { return jobs_; }
  store::ResultCache& results() override { return results_; }
  store::LedgerRepository& ledger() override { return ledger_; }
  store::LedgerSnapshotRepository& ledger_snapshots() override { return ledger_snapshots_; }
  store::SnapshotRepository& snapshots() override { return snapshots_; }
  store::TagRepository& tags() override { return tags_; }
  store::AlmRepository& alm_sessions() override { return alm_sessions_; }
  store::ModellingRepository& modelling_sessions() override { return modelling_sessions_; }
  store::CloDealRepository& clo_deals() override { return clo_deals_; }
  store::MarketDataRepository& market_data() override { return market_data_; }
  store::SecretRepository& secrets() override { return secrets_; }
  store::AssistantRepository& assistant() override { return assistant_; }

  const Clock& clock() const override { return *clock_; }

  bool ping() override {
    auto st = db_.prepare("SELECT 1");
    return st.step() && st.get_int(0) == 1;
  }

 protected:
  void run_transaction(const std::function<void()>& fn) override { db_.transaction(fn); }

 private:
  static constexpr const char* kSummarySql =
      "SELECT p.id, p.name, t.name, COUNT(pos.id), p.base_currency, p.created_at, p.updated_at "
      "FROM portfolios p JOIN tenants t ON t.id = p.tenant_id LEFT JOIN positions pos ON pos.portfolio_id = p.id";

  static PortfolioSummary summary(const Statement& st) {
    return {st.get_int(0), st.get_text(1), st.get_text(2), static_cast<std::size_t>(st.get_int(3)),
            st.get_text(4), st.get_text(5), st.get_text(6)};
  }

  std::int64_t ensure_tenant(const std::string& tenant) {
    db_.prepare("INSERT INTO tenants (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")
        .bind(1, tenant)
        .bind(2, store::now_text(*clock_))
        .run();
    auto st = db_.prepare("SELECT id FROM tenants WHERE name = ?");
    st.bind(1, tenant);
    st.step();
    return st.get_int(0);
  }

  std::int64_t ensure_symbol(const std::string& symbol) {
    auto ins = db_.prepare("INSERT INTO instruments (symbol) VALUES (?) ON CONFLICT (symbol) DO NOTHING");
    ins.bind(1, symbol).run();
    auto st = db_.prepare("SELECT id FROM instruments WHERE symbol = ?");
    st.bind(1, symbol);
    st.step();
    return st.get_int(0);
  }

  // Instrument terms come from the position; an existing row keeps its name and sector.
  std::int64_t ensure_instrument(const Position& p) {
    auto st = db_.prepare(
        "INSERT INTO instruments (symbol, type, underlying, strike, expiry, option_type, exercise, multiplier, currency) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (symbol) DO UPDATE SET type = excluded.type, "
        "underlying = excluded.underlying, strike = excluded.strike, expiry = excluded.expiry, "
        "option_type = excluded.option_type, exercise = excluded.exercise, multiplier = excluded.multiplier, "
        "currency = excluded.currency");
    st.bind(1, p.symbol).bind(2, instrument_type_name(p.type));
    if (p.is_option()) {
      st.bind(3, p.underlying).bind(4, p.strike);
      if (p.expiry) st.bind(5, p.expiry->to_string());
      else st.bind_null(5);
      if (p.option_type) st.bind(6, option_right_name(*p.option_type));
      else st.bind_null(6);
      st.bind(7, exercise_style_name(p.exercise));
    } else {
      st.bind_null(3).bind_null(4).bind_null(5).bind_null(6).bind_null(7);
    }
    st.bind(8, p.multiplier).bind(9, p.currency);
    st.run();
    auto id = db_.prepare("SELECT id FROM instruments WHERE symbol = ?");
    id.bind(1, p.symbol);
    id.step();
    return id.get_int(0);
  }

  // Factor names in file order (kept in factor_sets), not alphabetical.
  std::vector<std::string> factor_order(const std::string& set_name) {
    auto st = db_.prepare("SELECT factors FROM factor_sets WHERE name = ?");
    st.bind(1, set_name);
    if (!st.step()) return {};
    return split_tags(st.get_text(0));
  }

  Database db_;
  const Clock* clock_;
  store::SqliteConnection sql_;  // over db_: the repositories written once for both backends
  store::SqlUserRepository users_;
  store::SqlAuditRepository audit_;
  store::SqliteJobRepository jobs_;
  store::SqlResultCache results_;
  store::SqlLedgerRepository ledger_;
  store::SqlLedgerSnapshotRepository ledger_snapshots_;
  store::SqlSnapshotRepository snapshots_;
  store::SqlTagRepository tags_;
  store::SqlAlmRepository alm_sessions_;
  store::SqlModellingRepository modelling_sessions_;
  store::SqlCloDealRepository clo_deals_;
  store::SqliteMarketDataRepository market_data_;
  store::SqlSecretRepository secrets_;
  store::SqlAssistantRepository assistant_;
};

}  // namespace

std::unique_ptr<Store> open_store(const std::string& path, const Clock& clock, const StoreOptions& options) {
  // A postgresql:// URL names a PostgreSQL store (store/postgresql.h); anything else is a file.
  if (store::pg::is_url(path)) return store::pg::open_store(path, clock);
  Database db = Database::open(path);
  if (options.page_cache_kib > 0) {
    // A negative cache_size is in KiB (SQLite's convention); the value is an integer, not text.
    db.exec("PRAGMA cache_size = -" + std::to_string(options.page_cache_kib));
  }
  return std::make_unique<SqliteStore>(std::move(db), clock);
}

}  // namespace keel
