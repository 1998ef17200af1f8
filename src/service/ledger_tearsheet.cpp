// The tearsheet's model (keel/service/ledger_tearsheet.h) from the ledger's use cases; the
// renderers are in ledger_tearsheet_render.cpp.
#include "keel/service/ledger_tearsheet.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "keel/core/error.h"
#include "keel/core/release.h"
#include "keel/ledger/performance.h"
#include "keel/risk/stage_profile.h"
#include "keel/service/ledger_accounts.h"
#include "keel/service/ledger_lots.h"
#include "ledger_internal.h"
#include "ledger_performance_detail.h"

namespace keel::service {
namespace {

using ledger::Decimal;

spec::Nullable<double> both(double v) {
  return spec::Nullable<double>(v);
}
spec::Nullable<double> none() {
  return spec::Nullable<double>();
}
template <class T>
spec::Nullable<double> maybe(const T& v) {
  return v ? spec::Nullable<double>(*v) : spec::Nullable<double>();
}

// The rows of the metrics table; `bench` is measure_performance of the benchmark's index.
std::vector<TearsheetMetric> metrics_of(const LedgerPerformanceResult& p, const BenchmarkResult& b,
                                        const ledger::PerformanceResult& bench) {
  const std::string fraction = "fraction", per_year = "fraction per year", ratio = "ratio",
                    money = "account currency";
  return {
      {"twr", "Time-weighted return", fraction, both(p.twr), both(b.benchmark_return)},
      {"cagr", "CAGR", per_year, both(p.cagr), both(b.benchmark_cagr)},
      {"xirr", "XIRR (benchmark: the same flows)", per_year, p.xirr ? both(*p.xirr) : none(),
       maybe(b.same_flows.xirr)},
      {"volatility", "Volatility", fraction, both(p.volatility), both(b.benchmark_volatility)},
      {"sharpe", "Sharpe ratio", ratio, both(p.sharpe), both(bench.sharpe)},
      {"sortino", "Sortino ratio", ratio, both(p.sortino), both(bench.sortino)},
      {"max_drawdown.depth", "Max drawdown", fraction, both(p.max_drawdown.depth), both(b.benchmark_drawdown.depth)},
      {"calmar", "Calmar ratio", ratio, both(p.calmar), both(bench.calmar)},
      {"benchmark.excess_return", "Excess return", fraction, both(b.excess_return), none()},
      {"benchmark.excess_cagr", "Excess CAGR", per_year, both(b.excess_cagr), none()},
      {"benchmark.tracking_error", "Tracking error", fraction, both(b.tracking_error), none()},
      {"benchmark.information_ratio", "Information ratio", ratio, both(b.information_ratio), none()},
      {"benchmark.beta", "Beta", ratio, both(b.beta), none()},
      {"benchmark.alpha", "Alpha (Jensen, annualised)", per_year, both(b.alpha), none()},
      {"benchmark.correlation", "Correlation", ratio, both(b.correlation), none()},
      {"benchmark.up_capture", "Up capture", ratio, maybe(b.up_capture), none()},
      {"benchmark.down_capture", "Down capture", ratio, maybe(b.down_capture), none()},
      {"end_value", "End value (benchmark: the same flows)", money, both(p.end_value),
       both(b.same_flows.end_value)},
  };
}

// Months of b.monthly ("2017-03") in rows per year with the year's figures of b.annual.
std::vector<TearsheetYear> years_of(const BenchmarkResult& b) {
  std::map<std::string, TearsheetYear> years;
  for (const auto& m : b.monthly) {
    const std::string year = m.period.substr(0, 4);
    auto& y = years[year];
    if (y.months.empty()) {
      y.year = year;
      y.months.assign(12, std::nan(""));
    }
    const int month = std::stoi(m.period.substr(5, 2));
    if (month >= 1 && month <= 12) y.months[static_cast<std::size_t>(month - 1)] = m.portfolio;
  }
  for (const auto& a : b.annual) {
    auto& y = years[a.period];
    if (y.months.empty()) {
      y.year = a.period;
      y.months.assign(12, std::nan(""));
    }
    y.total = a.portfolio;
    y.benchmark = a.benchmark;
    y.excess = a.excess;
  }
  std::vector<TearsheetYear> out;
  for (auto& [key, y] : years) out.push_back(std::move(y));
  return out;
}

// The sales whose gains a tearsheet of (start, end] counts: those dated in it, and in the source's
// tax year when it names one (as keel ledger gains --year lists them).
std::pair<Date, Date> realized_window(const LedgerSource& source, Date start, Date end) {
  if (!source.year) return {start, end};
  return {std::max(start, Date::from_ymd(*source.year - 1, 12, 31)),
          std::min(end, Date::from_ymd(*source.year, 12, 31))};
}

// Gain by symbol over (start, end]: the gains of the sales in it, the change of unrealized from
// the start's holdings to the end's, and the income paid in it (docs/ledger.md, "Tearsheet").
TearsheetContributions contributions_of(const Context& cx, const LedgerSource& source, Date start, Date end,
                                        const LoadedLedger& at_end_ledger, const ledger::BookResult& at_end_book,
                                        ledger_detail::LedgerPrices& prices, const LedgerIncomeResult* by_symbol,
                                        double account_gain) {
  std::map<std::string, TearsheetContributor> rows;
  auto row = [&rows](const std::string& symbol) -> TearsheetContributor& {
    auto& r = rows[symbol];
    r.symbol = symbol;
    return r;
  };
  LedgerSource at_end = source;
  at_end.as_of = end;
  // The realized gains as keel ledger gains lists them, summed per position by the booking over
  // realized_window(source, start, end) (without the rows: a large ledger has millions).
  for (std::size_t p = 0; p < at_end_book.realized_in_window.size(); ++p) {
    const auto& key = at_end_book.positions[p];
    const auto& gain = at_end_book.realized_in_window[p];
    if (gain && ledger_detail::selected(at_end, key.account)) row(key.symbol).realized += *gain;
  }
  for (const auto& h : ledger_detail::holdings_of(cx, at_end, at_end_ledger, at_end_book, prices).positions) {
    auto& r = row(h.symbol);
    if (h.unrealized) r.unrealized_change += *h.unrealized;
    else r.unpriced = true;
  }
  LedgerSource at_start = source;
  at_start.as_of = start;
  const LoadedLedger start_ledger = ledger_detail::loaded_up_to(at_end_ledger, start);
  const auto start_book = ledger_detail::book_loaded(start_ledger, false);
  for (const auto& h : ledger_detail::holdings_of(cx, at_start, start_ledger, start_book, prices).positions) {
    auto& r = row(h.symbol);
    if (h.unrealized) r.unrealized_change -= *h.unrealized;
    else r.unpriced = true;
  }
  if (by_symbol) {
    for (const auto& g : by_symbol->groups)
      if (!g.key.empty()) row(g.key).income += g.totals.gross;
  }
  TearsheetContributions out;
  for (auto& [symbol, r] : rows) {
    r.total = r.realized + r.unrealized_change + r.income;
    out.total += r.total;
    out.symbols.push_back(r);
  }
  std::stable_sort(out.symbols.begin(), out.symbols.end(),
                   [](const TearsheetContributor& a, const TearsheetContributor& b) { return a.total > b.total; });
  out.account_gain = account_gain;
  out.other = account_gain - out.total.to_double();
  return out;
}

}  // namespace

LedgerTearsheet ledger_tearsheet(const Context& cx, const LedgerTearsheetRequest& request) {
  authorize(cx, kLedgerTearsheet, fmt::format("account/{}", request.source.account.value_or("*")));
  if (!request.benchmark || request.benchmark->empty())
    throw Error::usage("a tearsheet needs a benchmark (--benchmark SPY or 60:SPY,40:AGG)");
  LedgerSource source = request.source;
  if (request.to) source.as_of = request.to;
  if (request.from && source.as_of && *request.from > *source.as_of) {
    throw Error::invalid_input("invalid tearsheet request",
                               {fmt::format("from: {} is after to {}", request.from->to_string(),
                                            source.as_of->to_string())});
  }

  LedgerPerformanceRequest preq;
  preq.source = source;
  preq.from = request.from;
  preq.risk_free = request.risk_free;
  preq.periods_per_year = request.periods_per_year;
  preq.series = true;
  preq.benchmark = request.benchmark;
  // The ledger is read, its prices read and it is booked once for every part of the page.
  std::vector<std::string> price_warnings;
  auto ahead = ledger_detail::read_prices_ahead(cx, source, &price_warnings);
  LoadedLedger l = load_ledger(cx, source);
  ledger_detail::LedgerPrices prices = ahead.get();
  risk::profile_mark("ledger: prices (read on a second thread meanwhile)");
  ledger_detail::take_price_warnings(request.source, price_warnings, l);
  std::vector<double> index;
  const LedgerPerformanceResult p = ledger_detail::performance_of(cx, preq, l, prices, &index);
  const BenchmarkResult& b = *p.benchmark;
  const auto& series = *p.series;

  // The benchmark's Sharpe, Sortino and Calmar: its index measured as an account without flows.
  std::vector<ledger::ValuePoint> bench_points;
  bench_points.reserve(series.size());
  for (std::size_t t = 0; t < series.size() && t < index.size(); ++t)
    bench_points.push_back({Date::parse_or_throw(series[t].date), index[t], 0.0});
  ledger::PerformanceOptions bo;
  bo.risk_free_annual = request.risk_free;
  bo.periods_per_year = request.periods_per_year;
  const auto bench = ledger::measure_performance(bench_points, bo);

  LedgerTearsheet out;
  out.scope = p.scope;
  out.benchmark = b.benchmark;
  out.components = b.components;
  out.currency = p.currency;  // the accounts' (performance refuses accounts in several)
  out.start = p.start;
  out.end = p.end;
  out.days = p.days;
  out.start_value = p.start_value;
  out.end_value = p.end_value;
  out.net_flows = p.net_flows;
  out.metrics = metrics_of(p, b, bench);
  out.max_drawdown = p.max_drawdown;
  out.benchmark_drawdown = b.benchmark_drawdown;
  out.same_flows = b.same_flows;
  out.cumulative.reserve(series.size());
  out.drawdown.reserve(series.size());
  for (std::size_t t = 0; t < series.size(); ++t) {
    const double bi = t < index.size() ? index[t] : std::nan("");
    const double bdd = t < bench.drawdown.size() ? bench.drawdown[t] : std::nan("");
    out.cumulative.push_back({series[t].date, series[t].wealth_index - 1.0, bi - 1.0});
    out.drawdown.push_back({series[t].date, series[t].drawdown, bdd});
  }
  out.years = years_of(b);
  out.rolling_12m = b.rolling_12m;
  out.risk_free_rate = p.risk_free_rate;
  out.periods_per_year = p.periods_per_year;
  out.source = p.source;
  out.warnings = p.warnings;

  // Income and contributions over (start, end]: the start's value already holds what the first
  // day paid, as the time-weighted return does.
  const Date start = Date::parse_or_throw(p.start), end = Date::parse_or_throw(p.end);
  // The ledger as of the end (the series ends on its last date, which may be before the last
  // row when the request gives `to`), booked once for income, gains and holdings.
  const bool rows_after_end =
      std::any_of(l.transactions.begin(), l.transactions.end(), [&](const auto& t) { return t.date > end; });
  std::optional<LoadedLedger> prefix;
  if (rows_after_end) prefix = ledger_detail::loaded_up_to(l, end);
  const LoadedLedger& at_end = prefix ? *prefix : l;
  LedgerIncomeRequest ireq;
  ireq.source = source;
  ireq.from = start.add_days(1);
  ireq.to = end;
  ireq.by = ledger::IncomeGrouping::kSymbol;
  std::future<ledger::IncomeHistory> history;
  if (start < end) history = ledger_detail::income_history_ahead(ireq, at_end, prices);
  auto book = ledger_detail::book_loaded(at_end, false, realized_window(source, start, end));
  std::optional<LedgerIncomeResult> by_symbol;
  if (start < end) {
    TearsheetIncome& inc = out.income;
    by_symbol = ledger_detail::income_of(cx, ireq, at_end, book, prices, history.get(),
                                         ledger::IncomeGrouping::kMonth, &inc.by_month);
    inc.totals = by_symbol->totals;
    inc.trailing_12m = by_symbol->trailing_12m;
    inc.projected_12m = by_symbol->projected_12m;
    inc.by_symbol = by_symbol->groups;
    Decimal basis, projected;
    for (const auto& h : by_symbol->holdings) {
      if (h.projected_gross == Decimal()) continue;
      basis += h.basis;
      projected += h.projected_gross;
    }
    if (basis > Decimal()) inc.yield_on_cost.emplace(projected.to_double() / basis.to_double());
  }
  out.contributions = contributions_of(cx, source, start, end, at_end, book, prices,
                                       by_symbol ? &*by_symbol : nullptr, p.end_value - p.start_value - p.net_flows);
  release_later(std::move(book));
  release_later(std::move(prefix));
  release_later(std::move(l));
  return out;
}

TearsheetDocument render_tearsheet(const LedgerTearsheet& tearsheet, TearsheetFormat format) {
  switch (format) {
    case TearsheetFormat::kMarkdown:
      return {tearsheet_markdown(tearsheet), "text/markdown; charset=utf-8"};
    case TearsheetFormat::kJson:
      return {spec::to_json(tearsheet).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n",
              "application/json"};
    case TearsheetFormat::kHtml:
      break;
  }
  return {tearsheet_html(tearsheet), "text/html; charset=utf-8"};
}

}  // namespace keel::service
