// MarketDataRepository on both backends: corporate actions, fetched bars, sync coverage
// (migration 22).
#include "keel/store/market_data_repository.h"

#include "sql.h"

namespace keel::store {
namespace {

void set_adjusted(SqlConnection& c, const std::string& symbol, const std::vector<Date>& dates,
                  const std::vector<double>& adj_close) {
  auto st = c.prepare(
      "UPDATE prices SET adj_close = ? WHERE date = ? AND instrument_id = (SELECT id FROM instruments WHERE "
      "symbol = ?)");
  for (std::size_t i = 0; i < dates.size(); ++i) {
    st.bind(1, value_or_null(adj_close[i]));
    bind_day(c.dialect(), st, 2, dates[i]).bind(3, symbol).run();
    st.reset();
  }
}

}  // namespace

std::size_t MarketDataRepository::save_fetch(const MarketDataWrite& w) {
  return c_->transaction(std::nullopt, [&] {
    PriceRows rows;  // every series' bars, one chunk
    for (const auto& b : w.bars) {
      const auto symbol = static_cast<std::uint32_t>(rows.symbols.size());
      rows.symbols.push_back(b.symbol);
      for (std::size_t i = 0; i < b.date.size(); ++i) {
        rows.symbol_index.push_back(symbol);
        rows.date.push_back(b.date[i]);
        rows.close.push_back(b.close[i]);
        rows.adj_close.push_back(b.adj_close[i]);
        rows.open.push_back(b.open[i]);
        rows.high.push_back(b.high[i]);
        rows.low.push_back(b.low[i]);
        rows.volume.push_back(b.volume[i]);
      }
    }
    bool given = false;
    const std::size_t written = c_->upsert_prices(
                                      [&](PriceRows& out) {
                                        if (given) return false;
                                        out = std::move(rows);
                                        given = true;
                                        return true;
                                      },
                                      [] {})
                                    .rows;
    for (const auto& b : w.adjusted_only) set_adjusted(*c_, b.symbol, b.date, b.adj_close);
    const std::string now = clock_->iso8601();
    auto act = c_->prepare(upsert_sql(
        "corporate_actions", "symbol, ex_date, kind, split_ratio, cash_amount, currency, source, fetched_at",
        "symbol, ex_date, kind"));
    for (const auto& a : w.actions) {
      const bool split = a.kind == ActionKind::kSplit;
      act.run_row(a.symbol, a.ex_date.to_string(), split ? "split" : "dividend",
                  split ? std::optional<double>(a.split_ratio) : std::nullopt,
                  split ? std::nullopt : std::optional<double>(a.cash_amount), a.currency, w.source, now);
    }
    auto cov = c_->prepare(upsert_sql("market_data_coverage",
                                      "dataset, series, provider, covered_from, covered_to, synced_at",
                                      "dataset, series"));
    for (const auto& c : w.coverage) {
      cov.run_row(c.dataset, c.series, c.provider, c.from.to_string(), c.to.to_string(), now);
    }
    return written;
  });
}

void MarketDataRepository::update_adjusted(const std::string& symbol, const std::vector<Date>& dates,
                                           const std::vector<double>& adj_close) {
  c_->transaction(std::nullopt, [&] { set_adjusted(*c_, symbol, dates, adj_close); });
}

std::vector<CorporateAction> MarketDataRepository::actions(const std::string& symbol,
                                                           std::optional<Date> from, std::optional<Date> to) {
  return c_->run(std::nullopt, [&] {
    auto st = c_->prepare(
        "SELECT symbol, ex_date, kind, split_ratio, cash_amount, currency FROM corporate_actions "
        "WHERE (CAST(? AS TEXT) = '' OR symbol = ?) AND " +
        date_range("ex_date") + " ORDER BY symbol, ex_date, kind");
    SqlBinder b(st);
    bind_date_range(b.add(symbol).add(symbol), from, to);
    return st.rows([](const SqlStatement& r) {
      CorporateAction a;
      a.symbol = r.get_text(0);
      a.ex_date = Date::parse_or_throw(r.get_text(1), "corporate_actions.ex_date");
      a.kind = r.get_text(2) == "split" ? ActionKind::kSplit : ActionKind::kDividend;
      a.split_ratio = r.get_optional_double(3).value_or(1.0);
      a.cash_amount = r.get_optional_double(4).value_or(0.0);
      a.currency = r.get_text(5);
      return a;
    });
  });
}

std::optional<Coverage> MarketDataRepository::coverage(const std::string& dataset,
                                                       const std::string& series) {
  return c_->first(
      std::nullopt,
      "SELECT provider, covered_from, covered_to, synced_at FROM market_data_coverage WHERE dataset = ? "
      "AND series = ?",
      [&](const SqlStatement& r) {
        return Coverage{dataset,
                        series,
                        r.get_text(0),
                        Date::parse_or_throw(r.get_text(1), "covered_from"),
                        Date::parse_or_throw(r.get_text(2), "covered_to"),
                        r.get_text(3)};
      },
      dataset, series);
}

std::pair<std::vector<Date>, std::vector<double>> MarketDataRepository::closes(const std::string& symbol) {
  return c_->run(std::nullopt, [&] {
    auto st = c_->prepare(
        "SELECT p.date, p.close FROM prices p JOIN instruments i ON i.id = p.instrument_id WHERE i.symbol = "
        "? "
        "ORDER BY p.date");
    st.bind(1, symbol);
    std::pair<std::vector<Date>, std::vector<double>> out;
    while (st.step()) {
      out.first.push_back(read_day(c_->dialect(), st, 0));
      out.second.push_back(st.get_double(1));
    }
    return out;
  });
}

}  // namespace keel::store
