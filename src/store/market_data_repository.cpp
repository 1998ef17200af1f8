// MarketDataRepository: corporate actions, fetched bars, sync coverage (migration 22).
#include "sqlite_repositories.h"

#include <cmath>

#include "keel/store/database.h"

namespace keel::store {
namespace {

std::optional<double> opt(double v) { return std::isnan(v) ? std::nullopt : std::optional<double>(v); }

ActionKind kind_of(const std::string& s) { return s == "split" ? ActionKind::kSplit : ActionKind::kDividend; }

}  // namespace

std::size_t SqliteMarketDataRepository::save_fetch(const MarketDataWrite& w) {
  return db_.transaction([&] {
    std::size_t written = 0;
    auto ins_symbol = db_.prepare("INSERT INTO instruments (symbol) VALUES (?) ON CONFLICT (symbol) DO NOTHING");
    auto find_symbol = db_.prepare("SELECT id FROM instruments WHERE symbol = ?");
    auto upsert = db_.prepare(
        "INSERT INTO prices (instrument_id, date, close, adj_close, open, high, low, volume) VALUES (?,?,?,?,?,?,?,?) "
        "ON CONFLICT (instrument_id, date) DO UPDATE SET close = excluded.close, adj_close = excluded.adj_close, "
        "open = excluded.open, high = excluded.high, low = excluded.low, volume = excluded.volume");
    for (const auto& b : w.bars) {
      ins_symbol.bind(1, b.symbol).run();
      ins_symbol.reset();
      find_symbol.bind(1, b.symbol);
      find_symbol.step();
      const std::int64_t id = find_symbol.get_int(0);
      find_symbol.reset();
      for (std::size_t i = 0; i < b.date.size(); ++i) {
        upsert.bind(1, id)
            .bind(2, std::int64_t{b.date[i].serial()})  // days since 1970-01-01 (migration 75)
            .bind(3, b.close[i])
            .bind(4, opt(b.adj_close[i]))
            .bind(5, opt(b.open[i]))
            .bind(6, opt(b.high[i]))
            .bind(7, opt(b.low[i]))
            .bind(8, opt(b.volume[i]))
            .run();
        upsert.reset();
        ++written;
      }
    }
    auto adj = db_.prepare(
        "UPDATE prices SET adj_close = ? WHERE date = ? AND instrument_id = (SELECT id FROM instruments WHERE symbol = ?)");
    for (const auto& b : w.adjusted_only) {
      for (std::size_t i = 0; i < b.date.size(); ++i) {
        adj.bind(1, opt(b.adj_close[i])).bind(2, std::int64_t{b.date[i].serial()}).bind(3, b.symbol).run();
        adj.reset();
      }
    }
    auto act = db_.prepare(
        "INSERT INTO corporate_actions (symbol, ex_date, kind, split_ratio, cash_amount, currency, source, fetched_at) "
        "VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (symbol, ex_date, kind) DO UPDATE SET split_ratio = excluded.split_ratio, "
        "cash_amount = excluded.cash_amount, currency = excluded.currency, source = excluded.source, "
        "fetched_at = excluded.fetched_at");
    const std::string now = now_text(*clock_);
    for (const auto& a : w.actions) {
      const bool split = a.kind == ActionKind::kSplit;
      act.bind(1, a.symbol)
          .bind(2, a.ex_date.to_string())
          .bind(3, split ? "split" : "dividend")
          .bind(4, split ? std::optional<double>(a.split_ratio) : std::nullopt)
          .bind(5, split ? std::nullopt : std::optional<double>(a.cash_amount))
          .bind(6, a.currency)
          .bind(7, w.source)
          .bind(8, now)
          .run();
      act.reset();
    }
    auto cov = db_.prepare(
        "INSERT INTO market_data_coverage (dataset, series, provider, covered_from, covered_to, synced_at) "
        "VALUES (?,?,?,?,?,?) "
        "ON CONFLICT (dataset, series) DO UPDATE SET provider = excluded.provider, covered_from = excluded.covered_from, "
        "covered_to = excluded.covered_to, synced_at = excluded.synced_at");
    for (const auto& c : w.coverage) {
      cov.bind(1, c.dataset).bind(2, c.series).bind(3, c.provider).bind(4, c.from.to_string()).bind(5, c.to.to_string()).bind(6, now).run();
      cov.reset();
    }
    return written;
  });
}

void SqliteMarketDataRepository::update_adjusted(const std::string& symbol, const std::vector<Date>& dates,
                                                 const std::vector<double>& adj_close) {
  db_.transaction([&] {
    auto st = db_.prepare(
        "UPDATE prices SET adj_close = ? WHERE date = ? AND instrument_id = (SELECT id FROM instruments WHERE symbol = ?)");
    for (std::size_t i = 0; i < dates.size(); ++i) {
      st.bind(1, opt(adj_close[i])).bind(2, std::int64_t{dates[i].serial()}).bind(3, symbol).run();
      st.reset();
    }
  });
}

std::vector<CorporateAction> SqliteMarketDataRepository::actions(const std::string& symbol, std::optional<Date> from,
                                                                 std::optional<Date> to) {
  auto st = db_.prepare(
      "SELECT symbol, ex_date, kind, split_ratio, cash_amount, currency FROM corporate_actions "
      "WHERE (? = '' OR symbol = ?) AND (? IS NULL OR ex_date >= ?) AND (? IS NULL OR ex_date <= ?) "
      "ORDER BY symbol, ex_date, kind");
  const std::optional<std::string> f = from ? std::optional<std::string>(from->to_string()) : std::nullopt;
  const std::optional<std::string> t = to ? std::optional<std::string>(to->to_string()) : std::nullopt;
  st.bind(1, symbol).bind(2, symbol).bind(3, f).bind(4, f).bind(5, t).bind(6, t);
  std::vector<CorporateAction> out;
  while (st.step()) {
    CorporateAction a;
    a.symbol = st.get_text(0);
    a.ex_date = Date::parse_or_throw(st.get_text(1), "corporate_actions.ex_date");
    a.kind = kind_of(st.get_text(2));
    a.split_ratio = st.get_optional_double(3).value_or(1.0);
    a.cash_amount = st.get_optional_double(4).value_or(0.0);
    a.currency = st.get_text(5);
    out.push_back(std::move(a));
  }
  return out;
}

std::optional<Coverage> SqliteMarketDataRepository::coverage(const std::string& dataset, const std::string& series) {
  auto st = db_.prepare(
      "SELECT provider, covered_from, covered_to, synced_at FROM market_data_coverage WHERE dataset = ? AND series = ?");
  st.bind(1, dataset).bind(2, series);
  if (!st.step()) return std::nullopt;
  return Coverage{dataset, series, st.get_text(0), Date::parse_or_throw(st.get_text(1), "covered_from"),
                  Date::parse_or_throw(st.get_text(2), "covered_to"), st.get_text(3)};
}

std::pair<std::vector<Date>, std::vector<double>> SqliteMarketDataRepository::closes(const std::string& symbol) {
  auto st = db_.prepare(
      "SELECT p.date, p.close FROM prices p JOIN instruments i ON i.id = p.instrument_id WHERE i.symbol = ? ORDER BY p.date");
  st.bind(1, symbol);
  std::pair<std::vector<Date>, std::vector<double>> out;
  while (st.step()) {
    out.first.push_back(Date::from_serial(static_cast<std::int32_t>(st.get_int(0))));
    out.second.push_back(st.get_double(1));
  }
  return out;
}

}  // namespace keel::store
