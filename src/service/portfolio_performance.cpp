// A portfolio's performance over its stored snapshots (keel/service/portfolio_performance.h).
#include "keel/service/portfolio_performance.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "keel/core/error.h"
#include "keel/ledger/benchmark.h"
#include "keel/ledger/performance.h"
#include "keel/store/snapshot_repository.h"
#include "keel/store/store.h"
#include "ledger_internal.h"

namespace keel::service {
namespace {

// Whether a trading day lies strictly between a and b (a < b), so that the snapshots are not of
// consecutive trading days: a date in `trading_days` (the book's price dates), or without them
// any weekday.
bool skips_a_trading_day(Date a, Date b, const std::vector<Date>& trading_days) {
  if (!trading_days.empty()) {
    const auto it = std::upper_bound(trading_days.begin(), trading_days.end(), a);
    return it != trading_days.end() && *it < b;
  }
  for (Date d = a.add_days(1); d < b; d = d.add_days(1)) {
    if (!d.is_weekend()) return true;
  }
  return false;
}

// The dates on which any symbol the portfolio now holds has a price, between from and to (a
// market holiday is not among them); empty without positions.
std::vector<Date> trading_days_of(Store& store, const std::string& tenant, const std::string& portfolio, Date from,
                                  Date to) {
  std::vector<std::string> symbols;
  for (const Position& p : store.positions(tenant, portfolio)) {
    if (p.type == InstrumentType::kCash) continue;
    if (std::find(symbols.begin(), symbols.end(), p.price_symbol()) == symbols.end()) symbols.push_back(p.price_symbol());
  }
  if (symbols.empty()) return {};
  return store.price_history(symbols, from, to, PriceField::kClose).dates;
}

}  // namespace

PortfolioPerformanceResult portfolio_performance(const Context& cx, const PortfolioPerformanceRequest& req) {
  Store& store = require_store(cx, "portfolio performance reads the store's snapshots (--db)");
  if (req.from && req.to && *req.from > *req.to) {
    throw Error::invalid_input("from " + req.from->to_string() + " is after to " + req.to->to_string());
  }
  const auto found = store.find_portfolio(cx.actor.tenant, req.portfolio);
  std::vector<store::PortfolioSnapshot> snaps = store.snapshots().list(cx.actor.tenant, req.portfolio, req.from, req.to);
  if (snaps.empty() && !found) {
    throw Error::not_found("no portfolio named \"" + req.portfolio + "\" and no snapshots of it");
  }
  PortfolioPerformanceResult out;
  out.portfolio = req.portfolio;
  out.currency = found ? found->base_currency : std::string("USD");
  out.risk_free_rate = req.risk_free;
  std::size_t unvalued = 0;
  std::erase_if(snaps, [&](const store::PortfolioSnapshot& s) {
    const bool drop = !s.net_value_amount;
    unvalued += drop ? 1 : 0;
    return drop;
  });
  if (unvalued > 0) out.warnings.push_back(fmt::format("{} snapshot(s) without a net value left out", unvalued));
  if (snaps.size() < 2) {
    throw Error::invalid_input(fmt::format(
        "performance needs at least two snapshots with a net value, {} has {}{}; the daily batch records one a day "
        "(keel batch run --portfolio {}, or POST /api/v1/batch; a past day with as_of)",
        req.portfolio, snaps.size(), req.from || req.to ? " in the dates asked" : "", req.portfolio));
  }

  const std::vector<Date> trading_days =
      found ? trading_days_of(store, cx.actor.tenant, req.portfolio, snaps.front().as_of, snaps.back().as_of)
            : std::vector<Date>{};
  std::vector<ledger::ValuePoint> series;
  series.reserve(snaps.size());
  std::vector<spec::Nullable<double>> pnl(snaps.size());
  std::vector<std::string> gap_spans;
  for (std::size_t t = 0; t < snaps.size(); ++t) {
    const store::PortfolioSnapshot& s = snaps[t];
    ledger::ValuePoint v{s.as_of, *s.net_value_amount, 0.0};
    if (t > 0) {
      const store::PortfolioSnapshot& before = snaps[t - 1];
      if (s.pnl_1d_amount && !skips_a_trading_day(before.as_of, s.as_of, trading_days)) {
        v.flow = *s.net_value_amount - *before.net_value_amount - *s.pnl_1d_amount;
        // The value and the P&L are sums of the same products in another order: a difference
        // below a millionth of the value is their rounding, not a trade.
        if (std::abs(v.flow) < 1e-6 * std::abs(*s.net_value_amount)) v.flow = 0.0;
        pnl[t].emplace(*s.pnl_1d_amount);
        out.pnl_amount += *s.pnl_1d_amount;
        out.flows_amount += v.flow;
      } else {
        ++out.gaps;
        if (gap_spans.size() < 5) gap_spans.push_back(before.as_of.to_string() + ".." + s.as_of.to_string());
      }
    }
    series.push_back(v);
  }
  if (out.gaps > 0) {
    out.warnings.push_back(fmt::format(
        "{} span(s) between snapshots skip a trading day or have no 1-day P&L ({}{}): each is measured as the change of "
        "value, as if nothing was traded; a backfill over them fills them (keel batch backfill --from --to)",
        out.gaps, fmt::join(gap_spans, ", "), out.gaps > gap_spans.size() ? ", ..." : ""));
  }

  ledger::PerformanceOptions po;
  po.risk_free_annual = req.risk_free;
  const ledger::PerformanceResult r = ledger::measure_performance(series, po);
  out.start = r.start.to_string();
  out.end = r.end.to_string();
  out.days = r.end - r.start;
  out.points = series.size();
  out.start_value_amount = r.start_value;
  out.end_value_amount = r.end_value;
  out.twr = r.twr;
  out.cagr = r.cagr;
  out.volatility = r.volatility;
  out.sharpe = r.sharpe;
  out.sortino = r.sortino;
  out.max_drawdown = ledger_detail::drawdown_result(r.max_drawdown);
  out.calmar = r.calmar;

  std::vector<double> benchmark_index;
  if (req.benchmark) {
    const auto components = ledger::parse_benchmark(*req.benchmark);
    std::vector<std::string> symbols;
    for (const auto& c : components) symbols.push_back(c.symbol);
    // Total-return closes; a component's close up to a year before the first snapshot prices it.
    const PriceHistory closes = store.price_histories(symbols, r.start.add_years(-1), r.end).adjusted;
    ledger::BenchmarkOptions bo;
    bo.risk_free_annual = req.risk_free;
    const ledger::BenchmarkComparison c = ledger::compare_to_benchmark(series, r, closes, components, bo);
    benchmark_index = c.index;
    out.benchmark = ledger_detail::benchmark_result(*req.benchmark, components, c, r.end_value);
  }
  if (req.series) {
    auto& days = out.series.emplace();
    for (std::size_t t = 0; t < series.size(); ++t) {
      PortfolioPerformanceDay d;
      d.date = series[t].date.to_string();
      d.value_amount = series[t].value;
      d.pnl_amount = pnl[t];
      d.flow_amount = series[t].flow;
      if (t > 0 && t - 1 < r.daily_returns.size()) d.return_pct.emplace(r.daily_returns[t - 1]);
      d.wealth = r.wealth[t];
      d.drawdown = r.drawdown[t];
      if (t < benchmark_index.size()) d.benchmark_index.emplace(benchmark_index[t]);
      days.push_back(std::move(d));
    }
  }
  return out;
}

}  // namespace keel::service
