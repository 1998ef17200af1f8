#include "market_data_repository.h"

#include <cmath>

#include "price_load.h"

namespace keel::store::pg {
namespace {

std::optional<double> opt(double v) {
  return std::isnan(v) ? std::nullopt : std::optional<double>(v);
}

std::optional<std::string> date_text(std::optional<Date> d) {
  return d ? std::optional<std::string>(d->to_string()) : std::nullopt;
}

void set_adjusted(Tx& tx, const std::string& symbol, const std::vector<Date>& dates,
                  const std::vector<double>& adj_close) {
  for (std::size_t i = 0; i < dates.size(); ++i) {
    tx.exec(
        "UPDATE prices SET adj_close = $1 WHERE date = $2 AND instrument_id = "
        "(SELECT id FROM instruments WHERE symbol = $3)",
        Params().add(opt(adj_close[i])).add(dates[i].to_string()).add(symbol));
  }
}

}  // namespace

std::size_t PgMarketDataRepository::save_fetch(const MarketDataWrite& w) {
  return s_->run(std::nullopt, [&](Tx& tx) {
    PriceRows rows;
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
    const std::size_t written = write_prices(tx, [&](PriceRows& out) {
                                  if (given) return false;
                                  out = std::move(rows);
                                  given = true;
                                  return true;
                                }).rows;
    for (const auto& b : w.adjusted_only) set_adjusted(tx, b.symbol, b.date, b.adj_close);
    const std::string now = clock_->iso8601();
    for (const auto& a : w.actions) {
      const bool split = a.kind == ActionKind::kSplit;
      tx.exec(
          "INSERT INTO corporate_actions (symbol, ex_date, kind, split_ratio, cash_amount, currency, source, "
          "fetched_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (symbol, ex_date, kind) DO UPDATE "
          "SET "
          "split_ratio = excluded.split_ratio, cash_amount = excluded.cash_amount, currency = "
          "excluded.currency, "
          "source = excluded.source, fetched_at = excluded.fetched_at",
          Params()
              .add(a.symbol)
              .add(a.ex_date.to_string())
              .add(split ? "split" : "dividend")
              .add(split ? std::optional<double>(a.split_ratio) : std::nullopt)
              .add(split ? std::nullopt : std::optional<double>(a.cash_amount))
              .add(a.currency)
              .add(w.source)
              .add(now));
    }
    for (const auto& c : w.coverage) {
      tx.exec(
          "INSERT INTO market_data_coverage (dataset, series, provider, covered_from, covered_to, synced_at) "
          "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (dataset, series) DO UPDATE SET provider = "
          "excluded.provider, "
          "covered_from = excluded.covered_from, covered_to = excluded.covered_to, synced_at = "
          "excluded.synced_at",
          Params()
              .add(c.dataset)
              .add(c.series)
              .add(c.provider)
              .add(c.from.to_string())
              .add(c.to.to_string())
              .add(now));
    }
    return written;
  });
}

void PgMarketDataRepository::update_adjusted(const std::string& symbol, const std::vector<Date>& dates,
                                             const std::vector<double>& adj_close) {
  s_->run(std::nullopt, [&](Tx& tx) { set_adjusted(tx, symbol, dates, adj_close); });
}

std::vector<CorporateAction> PgMarketDataRepository::actions(const std::string& symbol,
                                                             std::optional<Date> from,
                                                             std::optional<Date> to) {
  return s_->run(std::nullopt, [&](Tx& tx) {
    std::vector<CorporateAction> out;
    for (const auto& r :
         tx.exec("SELECT symbol, ex_date, kind, split_ratio, cash_amount, currency FROM corporate_actions "
                 "WHERE ($1 = '' OR symbol = $1) AND ($2::text IS NULL OR ex_date >= $2) "
                 "AND ($3::text IS NULL OR ex_date <= $3) ORDER BY symbol, ex_date, kind",
                 Params().add(symbol).add(date_text(from)).add(date_text(to)))) {
      CorporateAction a;
      a.symbol = text(r[0]);
      a.ex_date = Date::parse_or_throw(text(r[1]), "corporate_actions.ex_date");
      a.kind = text(r[2]) == "split" ? ActionKind::kSplit : ActionKind::kDividend;
      a.split_ratio = opt_real(r[3]).value_or(1.0);
      a.cash_amount = opt_real(r[4]).value_or(0.0);
      a.currency = text(r[5]);
      out.push_back(std::move(a));
    }
    return out;
  });
}

std::optional<Coverage> PgMarketDataRepository::coverage(const std::string& dataset,
                                                         const std::string& series) {
  return s_->run(std::nullopt, [&](Tx& tx) -> std::optional<Coverage> {
    const auto r = tx.exec(
        "SELECT provider, covered_from, covered_to, synced_at FROM market_data_coverage "
        "WHERE dataset = $1 AND series = $2",
        Params().add(dataset).add(series));
    if (r.empty()) return std::nullopt;
    return Coverage{dataset,
                    series,
                    text(r[0][0]),
                    Date::parse_or_throw(text(r[0][1]), "covered_from"),
                    Date::parse_or_throw(text(r[0][2]), "covered_to"),
                    text(r[0][3])};
  });
}

std::pair<std::vector<Date>, std::vector<double>> PgMarketDataRepository::closes(const std::string& symbol) {
  return s_->run(std::nullopt, [&](Tx& tx) {
    std::pair<std::vector<Date>, std::vector<double>> out;
    for (const auto& r :
         tx.exec("SELECT p.date, p.close FROM prices p JOIN instruments i ON i.id = p.instrument_id "
                 "WHERE i.symbol = $1 ORDER BY p.date",
                 Params().add(symbol))) {
      out.first.push_back(Date::parse_or_throw(text(r[0]), "prices.date"));
      out.second.push_back(real(r[1]));
    }
    return out;
  });
}

}  // namespace keel::store::pg
