// `keel risk attribution`: a period's P&L split into factor, risk-free, alpha and residual amounts
// (keel/service/factor_attribution.h, docs/factors.md).
#include <fmt/format.h>

#include <algorithm>
#include <span>

#include "factors_inputs.h"
#include "keel/core/error.h"
#include "keel/core/exact_sum.h"
#include "keel/service/factor_attribution.h"

namespace keel::service {
namespace {

// The book's totals: each amount the exact sum of the positions' (so they agree to the last bit
// the sum can be rounded to).
AttributionTotals totals_of(const std::vector<AttributionPosition>& positions, const std::vector<std::string>& names) {
  ExactSum mv, end, pnl, factor, rf, alpha, residual;
  std::vector<ExactSum> per_factor(names.size());
  for (const AttributionPosition& p : positions) {
    mv.add(p.market_value);
    end.add(p.end_value);
    pnl.add(p.pnl_amount);
    factor.add(p.factor_amount);
    rf.add(p.risk_free_amount);
    alpha.add(p.alpha_amount);
    residual.add(p.residual_amount);
    for (std::size_t k = 0; k < names.size(); ++k) per_factor[k].add(p.factors.at(names[k]));
  }
  AttributionTotals t;
  t.market_value = mv.value();
  t.end_value = end.value();
  t.pnl_amount = pnl.value();
  t.return_period = t.market_value != 0.0 ? t.pnl_amount / t.market_value : 0.0;
  t.factor_amount = factor.value();
  t.risk_free_amount = rf.value();
  t.alpha_amount = alpha.value();
  t.residual_amount = residual.value();
  for (std::size_t k = 0; k < names.size(); ++k) t.factors[names[k]] = per_factor[k].value();
  return t;
}

}  // namespace

FactorAttributionResult factor_attribution(const Context& cx, const FactorAttributionRequest& req) {
  const BookSource& source = req.inputs.source;
  authorize(cx, kFactorAttribution,
            "portfolio/" + source.portfolio.value_or(source.positions_file.value_or(source.positions_name)));
  if (!req.from || !req.to) throw Error::invalid_input("factor attribution needs a period: from and to (YYYY-MM-DD)");
  if (!(*req.from < *req.to)) {
    throw Error::invalid_input(
        fmt::format("from ({}) must be before to ({})", req.from->to_string(), req.to->to_string()));
  }
  if (!(req.periods_per_year > 0.0)) throw Error::invalid_input("periods per year must be positive");

  // Ex ante: the book valued at the close of `from` and its betas over the window ending there.
  RiskInputsRequest at_start = req.inputs;
  at_start.source.as_of = *req.from;
  detail::BookFactorInputs b =
      detail::load_book_factor_model(cx, at_start, req.factors, req.window, req.periods_per_year, "factor attribution");
  const risk::RiskBook& rb = b.inputs.risk_book;
  const factors::BookFactorModel& model = b.model;
  const std::vector<std::string>& names = model.factor_names;
  const std::size_t K = names.size();
  const Date start = b.returns.dates.back();

  // The period: the same drivers' returns on the common dates after `start`, up to `to`.
  RiskInputsRequest at_end = req.inputs;
  at_end.source.as_of = *req.to;
  const Book end_book = load_book(cx, at_end.source);
  const std::span<const std::string> drivers(rb.assets.data(), rb.fx_begin());
  const risk::ReturnMatrix all =
      risk::simple_returns(end_book.prices, drivers, {.window = 0, .as_of = *req.to, .missing = req.inputs.missing});
  const auto first = std::upper_bound(all.dates.begin(), all.dates.end(), start);
  if (first == all.dates.end()) {
    throw Error::invalid_input(fmt::format("no price date of the book's drivers after {} up to {}: the period holds "
                                           "no return",
                                           start.to_string(), req.to->to_string()));
  }
  const std::size_t t0 = static_cast<std::size_t>(first - all.dates.begin());
  if (t0 == 0 || all.dates[t0 - 1] != start) {
    throw Error::invalid_input(fmt::format("the period's first return does not start at {}, the end of the beta "
                                           "window (the drivers' common price dates changed)",
                                           start.to_string()));
  }
  const std::size_t T = all.rows() - t0;

  // Factor returns of the period's days, compounded over gaps as the window's are; the row of
  // `start` only anchors the first interval.
  std::vector<Date> dates{start};
  dates.insert(dates.end(), all.dates.begin() + static_cast<std::ptrdiff_t>(t0), all.dates.end());
  const detail::LoadedFactors lf = detail::load_factors(cx, req.factors, start, dates.back());
  const factors::AlignedFactors period =
      factors::align_factors(dates, lf.table, {req.factors.rf_column, lf.source});
  if (period.names != names) {
    throw Error::invalid_input(lf.source + ": the factors of the period are not those of the beta window");
  }

  FactorAttributionResult out;
  out.portfolio_name = b.inputs.book.name;
  out.currency = b.inputs.book.currency;
  out.start_date = start.to_string();
  out.end_date = dates.back().to_string();
  out.days = T;
  out.factors = names;
  out.factor_source = b.factor_source;
  out.excess_returns = b.aligned.has_rf;
  out.window = b.returns.rows();
  out.window_first_date = b.returns.dates.front().to_string();
  out.window_last_date = start.to_string();
  for (std::size_t k = 0; k < K; ++k) {
    double growth = 1.0;
    for (std::size_t t = 1; t <= T; ++t) growth *= 1.0 + period.values[t * K + k];
    out.factor_returns[names[k]] = growth - 1.0;
  }
  double rf_growth = 1.0;
  for (std::size_t t = 1; t <= T; ++t) rf_growth *= 1.0 + (b.aligned.has_rf ? period.rf[t] : 0.0);
  out.risk_free_return = rf_growth - 1.0;

  for (std::size_t i = 0; i < rb.size(); ++i) {
    if (rb.asset[i] == risk::kNoAsset) {
      out.excluded.push_back({rb.ids[i], "no market risk (cash)"});
      continue;
    }
    if (rb.option[i]) {
      out.excluded.push_back({rb.ids[i], "an option: its P&L is not its value times its underlying's return"});
      continue;
    }
    if (rb.fx_of(i) != risk::kNoAsset) {
      out.excluded.push_back(
          {rb.ids[i], fmt::format("quoted in {}: its P&L in {} holds a currency move the factor model does not split",
                                  rb.position_currency[i], rb.currency)});
      continue;
    }
    const std::size_t a = rb.asset[i];
    AttributionPosition p;
    p.symbol = rb.ids[i];
    p.driver = rb.assets[a];
    p.market_value = rb.value[i];
    p.alpha_daily = model.asset_fits.alpha[a];
    for (std::size_t k = 0; k < K; ++k) p.betas[names[k]] = model.asset_fits.beta(a, k);
    // Each day: the value at the previous close times the day's model terms; then the value grows
    // by the day's return (held constant: no trade in the period).
    std::vector<ExactSum> per_factor(K);
    ExactSum rf, alpha;
    double value = p.market_value;
    double growth = 1.0;
    for (std::size_t t = 1; t <= T; ++t) {
      const double r = all.at(t0 + t - 1, a);
      for (std::size_t k = 0; k < K; ++k) per_factor[k].add(value * p.betas[names[k]] * period.values[t * K + k]);
      if (b.aligned.has_rf) rf.add(value * period.rf[t]);
      alpha.add(value * p.alpha_daily);
      growth *= 1.0 + r;
      value = p.market_value * growth;
    }
    p.end_value = value;
    p.return_period = growth - 1.0;
    p.pnl_amount = p.end_value - p.market_value;
    ExactSum factor;
    for (std::size_t k = 0; k < K; ++k) {
      p.factors[names[k]] = per_factor[k].value();
      factor.add(p.factors[names[k]]);
    }
    p.factor_amount = factor.value();
    p.risk_free_amount = rf.value();
    p.alpha_amount = alpha.value();
    p.residual_amount = p.pnl_amount - p.factor_amount - p.risk_free_amount - p.alpha_amount;
    out.positions.push_back(std::move(p));
  }
  if (out.positions.empty()) {
    throw Error::invalid_input("no position of " + out.portfolio_name +
                               " can be attributed (options, cash and positions in other currencies are not)");
  }
  out.book = totals_of(out.positions, names);
  out.warnings = b.inputs.warnings;
  out.warnings.insert(out.warnings.end(), lf.warnings.begin(), lf.warnings.end());
  if (period.compounded > 0) {
    out.warnings.push_back(fmt::format("{} return(s) of the period span more than one factor date; their factor "
                                       "returns are compounded over the gap",
                                       period.compounded));
  }
  for (const auto& w : end_book.warnings) {
    if (std::find(out.warnings.begin(), out.warnings.end(), w) == out.warnings.end()) out.warnings.push_back(w);
  }
  return out;
}

}  // namespace keel::service
