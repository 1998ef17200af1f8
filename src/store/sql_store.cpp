// keel::Store over its SqlConnection (sql.h), for both backends: portfolios and positions, prices,
// the security master, factors, curves, and the repositories it hands out; open_store, which
// chooses the backend by the location, and the PostgreSQL URL helpers it needs in every build.
//
// Transactions: a write of several statements is SqlConnection::transaction, a read
// SqlConnection::run (its statements as they come: on PostgreSQL each in one round trip with the
// tenant); Store::transaction is the connection's store_transaction.
#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <set>
#include <span>

#include "keel/core/error.h"
#include "keel/store/alm_repository.h"
#include "keel/store/assistant_repository.h"
#include "keel/store/audit_repository.h"
#include "keel/store/clo_repository.h"
#include "keel/store/fx_repository.h"
#include "keel/store/job_repository.h"
#include "keel/store/ledger_repository.h"
#include "keel/store/ledger_snapshot_repository.h"
#include "keel/store/macro_repository.h"
#include "keel/store/market_data_repository.h"
#include "keel/store/modelling_repository.h"
#include "keel/store/postgresql.h"
#include "keel/store/secret_repository.h"
#include "keel/store/snapshot_repository.h"
#include "keel/store/store.h"
#include "keel/store/tag_repository.h"
#include "keel/store/user_repository.h"
#include "keel/store/storage_repository.h"
#include "keel/store/webhook_repository.h"
#include "sql.h"
#include "sqlite_connection.h"
#include "tags_text.h"

namespace keel {

namespace store::pg {

bool is_url(std::string_view text) {
  return text.rfind("postgresql://", 0) == 0 || text.rfind("postgres://", 0) == 0;
}

std::string redact_url(std::string_view url) {
  // scheme://user:password@host... -> scheme://user:***@host...
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  const auto start = scheme + 3;
  const auto at = url.find('@', start);
  const auto slash = url.find('/', start);
  if (at == std::string_view::npos || (slash != std::string_view::npos && slash < at))
    return std::string(url);
  const auto colon = url.find(':', start);
  if (colon == std::string_view::npos || colon > at) return std::string(url);
  return std::string(url.substr(0, colon + 1)) + "***" + std::string(url.substr(at));
}

}  // namespace store::pg

using namespace store;  // the store's own file: its SQL helpers (sql.h) unqualified

namespace {

using store::detail::join_tags;
using store::detail::split_tags;

constexpr std::string_view kSummarySql =
    "SELECT p.id, p.name, t.name, COUNT(pos.id), p.base_currency, p.created_at, p.updated_at, "
    "COUNT(CASE WHEN i.type = 'option' THEN 1 END) "
    "FROM portfolios p JOIN tenants t ON t.id = p.tenant_id LEFT JOIN positions pos ON pos.portfolio_id = "
    "p.id LEFT JOIN instruments i ON i.id = pos.instrument_id";

PortfolioSummary summary(const SqlStatement& st) {
  return {st.get_int(0),  st.get_text(1), st.get_text(2), static_cast<std::size_t>(st.get_int(3)),
          st.get_text(4), st.get_text(5), st.get_text(6), static_cast<std::size_t>(st.get_int(7))};
}

// One query per symbol reads every column asked for, so two histories cost one pass over the rows.
// Each symbol's rows are kept as they come (in date order); the dates of the table are their
// union, which most symbols share whole, and each column is then written into place by walking the
// union alongside it.
std::vector<PriceHistory> read_price_columns(SqlConnection& c, const std::vector<std::string>& symbols,
                                             std::optional<Date> from, std::optional<Date> to,
                                             std::span<const PriceField> fields) {
  const std::size_t k = symbols.size();
  const std::size_t nf = fields.size();
  std::string columns;
  for (const PriceField f : fields) {
    columns += f == PriceField::kAdjustedClose ? ", COALESCE(p.adj_close, p.close)" : ", p.close";
  }
  struct Column {
    std::vector<std::int32_t> days;  // ascending
    std::vector<double> values;      // nf a day, in the order of `fields`
  };
  std::vector<Column> by_symbol(k);
  c.run(std::nullopt, [&] {
    const Dialect& dialect = c.dialect();
    auto st = c.prepare(fmt::format(
        "SELECT p.date{} FROM prices p JOIN instruments i ON i.id = p.instrument_id WHERE i.symbol = ?{}{} "
        "ORDER BY p.date",
        columns, from ? " AND p.date >= ?" : "", to ? " AND p.date <= ?" : ""));
    for (std::size_t s = 0; s < k; ++s) {
      st.bind(1, symbols[s]);
      if (from) bind_day(dialect, st, 2, *from);
      if (to) bind_day(dialect, st, from ? 3 : 2, *to);
      Column& col = by_symbol[s];
      while (st.step()) {
        col.days.push_back(read_day(dialect, st, 0).serial());
        for (std::size_t f = 0; f < nf; ++f) col.values.push_back(st.get_double(static_cast<int>(f) + 1));
      }
      st.reset();
    }
  });
  std::vector<std::int32_t> days;
  for (const Column& col : by_symbol) {
    if (col.days.empty() || col.days == days) continue;
    std::vector<std::int32_t> merged;
    merged.reserve(days.size() + col.days.size());
    std::set_union(days.begin(), days.end(), col.days.begin(), col.days.end(), std::back_inserter(merged));
    days.swap(merged);
  }
  std::vector<PriceHistory> out(nf);
  for (PriceHistory& h : out) {
    h.symbols = symbols;
    h.dates.reserve(days.size());
    for (const std::int32_t d : days) h.dates.push_back(Date::from_serial(d));
    h.values.assign(days.size() * k, kMissing);
  }
  for (std::size_t s = 0; s < k; ++s) {
    const Column& col = by_symbol[s];
    std::size_t t = 0;
    for (std::size_t r = 0; r < col.days.size(); ++r) {
      while (days[t] < col.days[r]) ++t;
      for (std::size_t f = 0; f < nf; ++f) out[f].values[t * k + s] = col.values[r * nf + f];
    }
  }
  return out;
}

// Instrument terms come from the position; an existing row keeps its name and sector.
std::int64_t ensure_instrument(SqlConnection& c, const Position& p) {
  auto st =
      c.prepare(upsert_sql("instruments",
                           "symbol, type, underlying, strike, expiry, option_type, exercise, multiplier, "
                           "currency",
                           "symbol") +
                " RETURNING id");
  SqlBinder b(st);
  b.add(p.symbol).add(instrument_type_name(p.type));
  if (p.is_option()) {
    b.add(p.underlying).add(p.strike).add(date_text(p.expiry));
    p.option_type ? b.add(option_right_name(*p.option_type)) : b.add_null();
    b.add(exercise_style_name(p.exercise));
  } else {
    b.add_null().add_null().add_null().add_null().add_null();
  }
  b.add(p.multiplier).add(p.currency);
  return st.first_int();
}

// Factor names in file order (kept in factor_sets), not alphabetical.
std::vector<std::string> factor_order(SqlConnection& c, const std::string& set_name) {
  auto st = c.prepare("SELECT factors FROM factor_sets WHERE name = ?");
  st.bind(1, set_name);
  if (!st.step()) return {};
  return split_tags(st.get_text(0));
}


// The numbers (position ids) of `positions` about to replace portfolio `pid`'s: each takes the
// number of a stored position of the same instrument and strategy — one with the same entry date
// first, else the earliest unmatched in stored order — and the others the portfolio's next numbers,
// which move on (a number is never given twice within a portfolio).
std::vector<std::int64_t> position_numbers(SqlConnection& c, std::int64_t pid, const std::vector<Position>& positions,
                                           const std::vector<std::int64_t>& instruments) {
  struct Stored {
    std::int64_t instrument = 0;
    std::string strategy;
    std::string entry_date;
    std::int64_t number = 0;
    bool taken = false;
  };
  std::vector<Stored> stored;
  auto st = c.prepare(
      "SELECT instrument_id, COALESCE(strategy, ''), COALESCE(entry_date, ''), position_no FROM positions "
      "WHERE portfolio_id = ? ORDER BY ordinal");
  st.bind(1, pid);
  while (st.step()) stored.push_back({st.get_int(0), st.get_text(1), st.get_text(2), st.get_int(3)});
  std::vector<std::int64_t> numbers(positions.size(), 0);
  for (const bool same_date : {true, false}) {
    for (std::size_t i = 0; i < positions.size(); ++i) {
      if (numbers[i] != 0) continue;
      const std::string date = date_text(positions[i].entry_date).value_or("");
      for (Stored& s : stored) {
        if (s.taken || s.number <= 0 || s.instrument != instruments[i] || s.strategy != positions[i].strategy) continue;
        if (same_date && s.entry_date != date) continue;
        s.taken = true;
        numbers[i] = s.number;
        break;
      }
    }
  }
  auto next = c.prepare("SELECT next_position_number FROM portfolios WHERE id = ?");
  next.bind(1, pid);
  std::int64_t n = next.first_int();
  for (const Stored& s : stored) n = std::max(n, s.number + 1);
  for (std::int64_t& number : numbers) {
    if (number == 0) number = n++;
  }
  c.prepare("UPDATE portfolios SET next_position_number = ? WHERE id = ?").bind_all(n, pid).run();
  return numbers;
}
}  // namespace

Store::Store(std::unique_ptr<SqlConnection> connection, const Clock& clock)
    : c_(std::move(connection)),
      clock_(&clock),
      users_(std::make_unique<UserRepository>(*c_, clock)),
      audit_(std::make_unique<AuditRepository>(*c_, clock)),
      jobs_(std::make_unique<JobRepository>(*c_, clock)),
      results_(std::make_unique<ResultCache>(*c_, clock)),
      ledger_(std::make_unique<LedgerRepository>(*c_, clock)),
      ledger_snapshots_(std::make_unique<LedgerSnapshotRepository>(*c_, clock)),
      snapshots_(std::make_unique<SnapshotRepository>(*c_, clock)),
      tags_(std::make_unique<TagRepository>(*c_, clock)),
      alm_sessions_(std::make_unique<AlmRepository>(*c_, clock)),
      modelling_sessions_(std::make_unique<ModellingRepository>(*c_, clock)),
      clo_deals_(std::make_unique<CloDealRepository>(*c_, clock)),
      market_data_(std::make_unique<MarketDataRepository>(*c_, clock)),
      fx_(std::make_unique<FxRepository>(*c_, clock)),
      macro_(std::make_unique<MacroRepository>(*c_, clock)),
      secrets_(std::make_unique<SecretRepository>(*c_, clock)),
      assistant_(std::make_unique<AssistantRepository>(*c_, clock)),
      webhooks_(std::make_unique<WebhookRepository>(*c_, clock)),
      storage_(std::make_unique<StorageRepository>(*c_)) {}

Store::~Store() = default;

void Store::run_transaction(const std::function<void()>& fn) {
  c_->store_transaction(fn);
}

std::vector<PortfolioSummary> Store::list_portfolios(const std::string& tenant) {
  return c_->rows(tenant,
                  fmt::format("{} WHERE t.name = ? GROUP BY p.id, t.name ORDER BY p.name", kSummarySql),
                  summary, tenant);
}

std::optional<PortfolioSummary> Store::find_portfolio(const std::string& tenant, const std::string& name) {
  return c_->first(tenant,
                   fmt::format("{} WHERE t.name = ? AND p.name = ? GROUP BY p.id, t.name", kSummarySql),
                   summary, tenant, name);
}

std::optional<PortfolioSummary> Store::find_portfolio_by_id(const std::string& tenant, std::int64_t id) {
  return c_->first(tenant, fmt::format("{} WHERE t.name = ? AND p.id = ? GROUP BY p.id, t.name", kSummarySql),
                   summary, tenant, id);
}

PortfolioSummary Store::save_portfolio(const std::string& tenant, const std::string& name,
                                       const std::vector<Position>& positions, const std::string& source) {
  if (name.empty()) throw Error::invalid_input("portfolio name must not be empty");
  // The summary is read inside the transaction too: a concurrent delete cannot leave this write
  // without its result after it committed.
  return c_->transaction(tenant, [&] {
    const std::string now = clock_->iso8601();
    c_->prepare("INSERT INTO tenants (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")
        .bind_all(tenant, now)
        .run();
    auto upsert = c_->prepare(
        "INSERT INTO portfolios (tenant_id, name, source, created_at, updated_at) "
        "SELECT id, ?, ?, ?, ? FROM tenants WHERE name = ? "
        "ON CONFLICT (tenant_id, name) DO UPDATE SET source = excluded.source, updated_at = "
        "excluded.updated_at "
        "RETURNING id");
    const std::int64_t pid = upsert.bind_all(name, source, now, now, tenant).first_int();
    std::vector<std::int64_t> instruments;
    instruments.reserve(positions.size());
    for (const Position& p : positions) instruments.push_back(ensure_instrument(*c_, p));
    const std::vector<std::int64_t> numbers = position_numbers(*c_, pid, positions, instruments);
    c_->prepare("DELETE FROM positions WHERE portfolio_id = ?").bind(1, pid).run();
    auto ins = c_->prepare(insert_sql("positions",
                                      "portfolio_id, instrument_id, ordinal, position_no, quantity, entry_price, "
                                      "entry_date, implied_vol, sector, tags, strategy, currency, dividend_yield"));
    std::set<std::string> tags;
    for (std::size_t i = 0; i < positions.size(); ++i) {
      const Position& p = positions[i];
      ins.run_row(pid, instruments[i], static_cast<std::int64_t>(i), numbers[i], p.quantity, p.entry_price,
                  date_text(p.entry_date), p.implied_vol, p.sector, join_tags(p.tags), p.strategy, p.currency,
                  p.dividend_yield);
      tags.insert(p.tags.begin(), p.tags.end());
    }
    // A tag a position carries is a tag of the tenant (GET /api/v1/tags lists it, and it may be
    // attached to or detached from other positions) without registering it first.
    auto tag = c_->prepare(
        "INSERT INTO tags (tenant, name, description, created_at) VALUES (?, ?, '', ?) "
        "ON CONFLICT (tenant, name) DO NOTHING");
    for (const std::string& t : tags) {
      if (!t.empty()) tag.run_row(tenant, t, now);
    }
    return *find_portfolio(tenant, name);
  });
}

std::vector<Position> Store::positions(const std::string& tenant, const std::string& name,
                                      std::vector<std::int64_t>* numbers) {
  if (numbers) numbers->clear();
  return c_->run(tenant, [&] {
    auto found = find_portfolio(tenant, name);
    if (!found)
      throw Error::not_found(fmt::format("no portfolio named \"{}\" (see `keel portfolio list`)", name));
    auto st = c_->prepare(
        "SELECT i.symbol, p.quantity, i.type, p.entry_price, p.entry_date, i.underlying, i.strike, i.expiry, "
        "i.option_type, i.exercise, i.multiplier, p.implied_vol, "
        "COALESCE(NULLIF(p.sector, ''), NULLIF(i.sector, ''), u.sector, ''), "
        "p.tags, p.strategy, COALESCE(p.currency, i.currency), p.dividend_yield, p.position_no "
        "FROM positions p JOIN instruments i ON i.id = p.instrument_id "
        "LEFT JOIN instruments u ON u.symbol = i.underlying WHERE p.portfolio_id = ? ORDER BY p.ordinal");
    st.bind(1, found->id);
    std::vector<Position> out;
    while (st.step()) {
      Position p;
      p.symbol = st.get_text(0);
      p.quantity = st.get_double(1);
      p.type = parse_instrument_type(st.get_text(2)).value_or(InstrumentType::kOther);
      read_row(st, 3, p.entry_price, p.entry_date, p.underlying, p.strike, p.expiry);
      if (auto r = st.get_optional_text(8)) p.option_type = parse_option_right(*r);
      if (auto e = st.get_optional_text(9))
        p.exercise = parse_exercise_style(*e).value_or(ExerciseStyle::kEuropean);
      read_row(st, 10, p.multiplier, p.implied_vol, p.sector);
      p.tags = split_tags(st.get_text(13));
      read_row(st, 14, p.strategy, p.currency, p.dividend_yield);
      if (numbers) numbers->push_back(st.get_int(17));
      out.push_back(std::move(p));
    }
    return out;
  });
}

bool Store::delete_portfolio(const std::string& tenant, const std::string& name) {
  return c_->change(
             tenant,
             "DELETE FROM portfolios WHERE tenant_id = (SELECT id FROM tenants WHERE name = ?) AND name = ?",
             tenant, name) > 0;
}

// A portfolio's reporting currency (portfolios.base_currency, migration 1), changed on its own.
bool Store::set_portfolio_currency(const std::string& tenant, const std::string& name,
                                   const std::string& currency) {
  return c_->change(tenant,
                    "UPDATE portfolios SET base_currency = ?, updated_at = ? WHERE name = ? AND tenant_id = "
                    "(SELECT id FROM tenants WHERE name = ?)",
                    currency, clock_->iso8601(), name, tenant) > 0;
}

std::int64_t Store::record_change(const StoredPortfolioChange& change) {
  return c_->transaction(change.tenant, [&] {
    const std::int64_t now = clock_->unix_seconds();
    c_->prepare("DELETE FROM portfolio_changes WHERE changed_at < ?")
        .bind_all(now - kChangeRetentionSeconds)
        .run();
    return c_
        ->prepare(
            "INSERT INTO portfolio_changes (tenant, portfolio_id, portfolio, what, changed_at, kind, username) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id")
        .bind_all(change.tenant, change.portfolio_id, change.portfolio, change.what, now, change.kind,
                  change.username)
        .first_int();
  });
}

std::vector<StoredPortfolioChange> Store::changes_after(std::int64_t id, std::size_t limit) {
  // Every tenant's: PostgreSQL's row-level security lets the owner's function read them.
  return c_->rows(
      std::nullopt,
      c_->dialect().row_level_security
          ? "SELECT id, tenant, portfolio_id, portfolio, what, changed_at, kind, username "
            "FROM keel_changes_after(?, ?)"
          : "SELECT id, tenant, portfolio_id, portfolio, what, changed_at, kind, username FROM portfolio_changes "
            "WHERE id > ? ORDER BY id LIMIT ?",
      [](const SqlStatement& r) {
        StoredPortfolioChange c;
        read_row(r, 0, c.id, c.tenant, c.portfolio_id, c.portfolio, c.what, c.changed_at, c.kind, c.username);
        return c;
      },
      id, static_cast<std::int64_t>(limit));
}

std::int64_t Store::last_change_id() {
  return c_->run(std::nullopt, [&] {
    return c_
        ->prepare(c_->dialect().row_level_security ? "SELECT keel_last_change_id()"
                                                   : "SELECT COALESCE(MAX(id), 0) FROM portfolio_changes")
        .first_int();
  });
}

PriceImportStats Store::upsert_price_chunks(const std::function<bool(PriceRows&)>& next_chunk,
                                            const std::function<void()>& before_commit) {
  return c_->upsert_prices(next_chunk, before_commit);
}

PriceHistory Store::price_history(const std::vector<std::string>& symbols, std::optional<Date> from,
                                  std::optional<Date> to, PriceField field) {
  return std::move(read_price_columns(*c_, symbols, from, to, {&field, 1}).front());
}

PriceHistories Store::price_histories(const std::vector<std::string>& symbols, std::optional<Date> from,
                                      std::optional<Date> to) {
  constexpr PriceField kBoth[] = {PriceField::kAdjustedClose, PriceField::kClose};
  std::vector<PriceHistory> h = read_price_columns(*c_, symbols, from, to, kBoth);
  return {std::move(h[0]), std::move(h[1])};
}

std::optional<LatestPrice> Store::latest_price(const std::string& symbol, std::optional<Date> as_of) {
  return c_->run(std::nullopt, [&]() -> std::optional<LatestPrice> {
    auto st = c_->prepare(fmt::format(
        "SELECT p.date, p.close, COALESCE(p.adj_close, p.close) FROM prices p "
        "JOIN instruments i ON i.id = p.instrument_id WHERE i.symbol = ?{} ORDER BY p.date DESC LIMIT 1",
        as_of ? " AND p.date <= ?" : ""));
    st.bind(1, symbol);
    if (as_of) bind_day(c_->dialect(), st, 2, *as_of);
    if (!st.step()) return std::nullopt;
    return LatestPrice{read_day(c_->dialect(), st, 0), st.get_double(1), st.get_double(2)};
  });
}

std::optional<Date> Store::last_price_date() {
  return c_->run(std::nullopt, [&]() -> std::optional<Date> {
    auto st = c_->prepare("SELECT MAX(date) FROM prices");
    if (!st.step() || st.is_null(0)) return std::nullopt;
    return read_day(c_->dialect(), st, 0);
  });
}

std::size_t Store::upsert_symbol_info(const std::vector<SymbolInfo>& infos) {
  c_->transaction(std::nullopt, [&] {
    auto st = c_->prepare(upsert_sql("instruments", "symbol, name, sector, industry", "symbol"));
    for (const auto& i : infos) {
      st.run_row(i.symbol, i.name, i.sector, i.industry);
    }
    // A file's country replaces the stored one; a file without one leaves what a fetch stored.
    auto country = c_->prepare("UPDATE instruments SET country = ? WHERE symbol = ?");
    for (const auto& i : infos) {
      if (!i.country.empty()) country.run_row(i.country, i.symbol);
    }
  });
  return infos.size();
}

namespace {
constexpr const char* kSymbolInfoColumns =
    "SELECT symbol, COALESCE(name, ''), COALESCE(sector, ''), COALESCE(industry, ''), COALESCE(exchange, "
    "''), "
    "COALESCE(quote_currency, ''), COALESCE(country, ''), market_cap, COALESCE(asset_type, ''), "
    "COALESCE(master_source, ''), COALESCE(master_fetched_at, '') FROM instruments";

SymbolInfo read_symbol_info(const SqlStatement& st) {
  SymbolInfo i;
  read_row(st, 0, i.symbol, i.name, i.sector, i.industry, i.exchange, i.currency, i.country, i.market_cap,
           i.asset_type, i.source, i.fetched_at);
  return i;
}

}  // namespace

std::size_t Store::upsert_security_master(const std::vector<SymbolInfo>& infos) {
  c_->transaction(std::nullopt, [&] {
    auto st = c_->prepare(
        upsert_sql("instruments",
                   "symbol, name, sector, industry, exchange, quote_currency, country, market_cap, "
                   "asset_type, master_source, master_fetched_at",
                   "symbol"));
    for (const auto& i : infos) {
      st.run_row(i.symbol, text_or_null(i.name), text_or_null(i.sector), text_or_null(i.industry),
                 text_or_null(i.exchange), text_or_null(i.currency), text_or_null(i.country), i.market_cap,
                 text_or_null(i.asset_type), text_or_null(i.source), text_or_null(i.fetched_at));
    }
  });
  return infos.size();
}

std::optional<SymbolInfo> Store::symbol_info(const std::string& symbol) {
  return c_->first(std::nullopt, std::string(kSymbolInfoColumns) + " WHERE symbol = ?", read_symbol_info,
                   symbol);
}

std::vector<SymbolInfo> Store::list_symbol_info() {
  return c_->rows(
      std::nullopt,
      std::string(kSymbolInfoColumns) +
          " WHERE name IS NOT NULL OR sector IS NOT NULL OR master_fetched_at IS NOT NULL ORDER BY symbol",
      read_symbol_info);
}

std::size_t Store::upsert_factors(const std::string& set_name, const FactorTable& table) {
  c_->transaction(std::nullopt, [&] {
    // The set's factor list is the union of what was imported, in file order.
    std::vector<std::string> names = factor_order(*c_, set_name);
    for (const auto& n : table.names) {
      if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
    }
    c_->prepare(upsert_sql("factor_sets", "name, factors", "name"))
        .bind_all(set_name, join_tags(names))
        .run();
    auto st = c_->prepare(
        upsert_sql("factor_returns", "factor_set, factor, date, value", "factor_set, factor, date"));
    for (std::size_t t = 0; t < table.rows(); ++t) {
      const std::string d = table.dates[t].to_string();
      for (std::size_t f = 0; f < table.cols(); ++f) {
        st.run_row(set_name, table.names[f], d, table.at(t, f));
      }
    }
  });
  return table.rows();
}

FactorTable Store::factors(const std::string& set_name, std::optional<Date> from, std::optional<Date> to) {
  FactorTable out;
  std::map<std::int32_t, std::map<std::string, double>> rows;
  c_->run(std::nullopt, [&] {
    auto st =
        c_->prepare(fmt::format("SELECT date, factor, value FROM factor_returns WHERE factor_set = ?{}{} "
                                "ORDER BY date",
                                from ? " AND date >= ?" : "", to ? " AND date <= ?" : ""));
    SqlBinder b(st);
    b.add(set_name);
    if (from) b.add(from->to_string());
    if (to) b.add(to->to_string());
    while (st.step()) {
      auto d = Date::parse(st.get_text(0));
      if (d) rows[d->serial()][st.get_text(1)] = st.get_double(2);
    }
    out.names = factor_order(*c_, set_name);
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

std::vector<FactorSetSummary> Store::list_factor_sets() {
  return c_->rows(std::nullopt,
                  "SELECT s.name, s.factors, MIN(r.date), MAX(r.date), COUNT(DISTINCT r.date) FROM factor_sets s "
                  "LEFT JOIN factor_returns r ON r.factor_set = s.name GROUP BY s.name, s.factors ORDER BY s.name",
                  [](const SqlStatement& r) {
                    FactorSetSummary s;
                    s.name = r.get_text(0);
                    s.factors = split_tags(r.get_text(1));
                    s.first = optional_date(r, 2);
                    s.last = optional_date(r, 3);
                    s.days = static_cast<std::size_t>(r.get_int(4));
                    return s;
                  });
}

void Store::save_curve(const CurveData& curve) {
  c_->transaction(std::nullopt, [&] {
    const std::string as_of = curve.as_of ? curve.as_of->to_string() : "";
    c_->prepare("DELETE FROM curves WHERE name = ? AND as_of = ?").bind_all(curve.name, as_of).run();
    const std::int64_t id =
        c_->prepare("INSERT INTO curves (name, as_of, kind, currency) VALUES (?, ?, ?, ?) RETURNING id")
            .bind_all(curve.name, as_of, curve_kind_name(curve.kind), curve.currency)
            .first_int();
    auto st = c_->prepare("INSERT INTO curve_points (curve_id, tenor, years, rate) VALUES (?, ?, ?, ?)");
    for (const auto& p : curve.points) {
      st.run_row(id, p.tenor, p.years, p.rate);
    }
  });
}

std::optional<CurveData> Store::curve(const std::string& name, std::optional<Date> as_of) {
  return c_->run(std::nullopt, [&]() -> std::optional<CurveData> {
    // The curve with that date, or the latest dated one on or before it (or the undated one).
    auto st = c_->prepare(fmt::format(
        "SELECT id, as_of, kind, currency FROM curves WHERE name = ?{} ORDER BY as_of DESC LIMIT 1",
        as_of ? " AND as_of <= ?" : ""));
    st.bind(1, name);
    if (as_of) st.bind(2, as_of->to_string());
    if (!st.step()) return std::nullopt;
    CurveData c;
    c.name = name;
    const std::int64_t id = st.get_int(0);
    c.as_of = optional_date(st, 1);
    c.kind = parse_curve_kind(st.get_text(2));
    c.currency = st.get_text(3);
    c.points = c_->prepare("SELECT tenor, years, rate FROM curve_points WHERE curve_id = ? ORDER BY years")
                   .bind(1, id)
                   .rows([](const SqlStatement& r) {
                     return CurvePoint{r.get_text(0), r.get_double(1), r.get_double(2)};
                   });
    return c;
  });
}

std::vector<CurveSummary> Store::list_curves() {
  return c_->rows(std::nullopt,
                  "SELECT c.name, c.as_of, c.kind, c.currency, COUNT(p.tenor) FROM curves c "
                  "LEFT JOIN curve_points p ON p.curve_id = c.id GROUP BY c.id ORDER BY c.name, c.as_of",
                  [](const SqlStatement& r) {
                    return CurveSummary{r.get_text(0), optional_date(r, 1), parse_curve_kind(r.get_text(2)),
                                        r.get_text(3), static_cast<std::size_t>(r.get_int(4))};
                  });
}

bool Store::ping() {
  return c_->run(std::nullopt, [&] {
    auto st = c_->prepare("SELECT 1");
    return st.step() && st.get_int(0) == 1;
  });
}

std::unique_ptr<Store> open_store(const std::string& path, const Clock& clock, const StoreOptions& options) {
  // A postgresql:// URL names a PostgreSQL store (store/postgresql.h); anything else is a file.
  if (pg::is_url(path)) return pg::open_store(path, clock);
  auto c = std::make_unique<SqliteConnection>(path);
  if (options.page_cache_kib > 0) {
    // A negative cache_size is in KiB (SQLite's convention); the value is an integer, not text.
    c->exec(fmt::format("PRAGMA cache_size = -{}", options.page_cache_kib));
  }
  return std::make_unique<Store>(std::move(c), clock);
}

}  // namespace keel
