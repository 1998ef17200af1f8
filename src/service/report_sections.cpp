// The sections of report.json, mapped from the use cases' results (keel/service/report_build.h,
// keel/service/report.h, docs/reports.md). Nothing here recomputes an engine result: the mappers
// rename, flatten and pick.
#include <algorithm>
#include <cmath>
#include <map>

#include "report_internal.h"

namespace keel::service::detail {
namespace {

using nlohmann::json;

spec::Nullable<double> or_null(const std::optional<double>& v) { return v ? spec::Nullable<double>(*v) : spec::Nullable<double>(); }
spec::Nullable<std::string> text_or_null(const std::string& s) {
  return s.empty() ? spec::Nullable<std::string>() : spec::Nullable<std::string>(s);
}


double value_or_zero(const std::map<std::string, double>& m, const std::string& key) {
  const auto it = m.find(key);
  return it == m.end() ? 0.0 : it->second;
}

std::vector<ReportExposureGroup> group_rows(const ExposuresResult& exposures) {
  const double gross = exposures.market_value.gross;
  std::vector<ReportExposureGroup> rows;
  for (const auto& g : exposures.groups) {
    ReportExposureGroup r;
    r.key = g.key;
    r.gross_amount = g.market_value.gross;
    r.net_amount = g.market_value.net;
    r.delta_adjusted_net_amount = g.delta_adjusted.net;
    r.weight = gross != 0.0 ? g.market_value.gross / gross : 0.0;
    r.positions = g.positions;
    rows.push_back(std::move(r));
  }
  return rows;
}

// First entry per symbol of a use case's per-position list.
template <class Row, class Symbol>
std::map<std::string, const Row*> by_symbol(const std::vector<Row>* rows, Symbol symbol) {
  std::map<std::string, const Row*> out;
  if (rows == nullptr) return out;
  for (const auto& r : *rows) out.emplace(symbol(r), &r);
  return out;
}

}  // namespace

std::string error_text(const Error& e) {
  std::string reason = e.what();
  for (const auto& d : e.details()) reason += "; " + d;
  return reason;
}

bool StepFilter::wants(std::string_view name) const {
  return only.empty() || std::find(only.begin(), only.end(), name) != only.end();
}

json unavailable(const std::string& status, const std::string& reason) {
  return {{"status", status}, {"reason", reason}};
}

std::string market_factor(const FactorsResult& factors) {
  for (const auto& n : factors.factors) {
    if (n == "mkt_rf") return "mkt_rf";
  }
  return factors.factors.empty() ? "" : factors.factors.front();
}

ReportDataQuality data_quality_section(const risk::DataQualityReport& r) {
  ReportDataQuality s;
  for (const auto& i : r.issues) {
    s.issues.push_back({i.symbol, std::string(risk::data_issue_kind_name(i.kind)), i.date.to_string(), i.detail});
  }
  s.symbols_checked = r.symbols_checked;
  s.reference_date = r.reference_date.to_string();
  s.gaps_count = r.gaps;
  s.stale_count = r.stale;
  s.outliers_count = r.outliers;
  s.missing_count = r.missing;
  return s;
}

ReportExposures exposures_section(const ExposuresResult& s, const ExposuresResult& t) {
  ReportExposures out;
  out.gross_amount = s.market_value.gross;
  out.net_amount = s.market_value.net;
  out.long_amount = s.market_value.long_;
  out.short_amount = s.market_value.short_;
  out.delta_adjusted_gross_amount = s.delta_adjusted.gross;
  out.delta_adjusted_net_amount = s.delta_adjusted.net;
  out.notional_gross_amount = s.notional.gross;
  out.positions_valued = s.header.positions_valued;
  out.positions_failed = s.header.positions_failed;
  out.errors = s.errors;
  out.by_sector = group_rows(s);
  out.by_type = group_rows(t);
  return out;
}

ReportGreeks greeks_section(const OptionGreeksResult& g) {
  ReportGreeks out;
  for (const auto& p : g.positions) {
    if (p.position.type != "option") continue;
    const double qm = p.position.quantity * p.position.multiplier;
    // option_greeks gives rho per 1.00 of rate per share; a rate point is 1/100 of that.
    const double rho_point = qm * p.rho / 100.0;
    out.dollar_delta_amount += p.dollar_delta;
    out.dollar_gamma_1pct_amount += p.dollar_gamma_1pct;
    out.vega_per_point_amount += p.vega_per_point;
    out.theta_per_day_amount += p.theta_per_day;
    out.rho_per_point_amount += rho_point;
    ReportOptionGreeks o;
    o.symbol = p.position.symbol;
    o.underlying = p.position.underlying;
    o.quantity = p.position.quantity;
    o.price = p.position.price;
    if (p.option.vol) o.implied_vol = *p.option.vol;
    o.vol_source = p.option.vol_source.value_or("");
    o.delta = p.delta;
    o.gamma = p.gamma;
    o.dollar_delta_amount = p.dollar_delta;
    o.dollar_gamma_1pct_amount = p.dollar_gamma_1pct;
    o.vega_per_point_amount = p.vega_per_point;
    o.theta_per_day_amount = p.theta_per_day;
    o.rho_per_point_amount = rho_point;
    out.options.push_back(std::move(o));
  }
  if (out.options.empty()) return unavailable_section<ReportGreeks>("n/a", "no option positions");
  out.options_count = out.options.size();
  out.book_dollar_delta_amount = g.totals.dollar_delta;
  return out;
}

ReportFactors factors_section(const FactorsResult& f) {
  const FactorPortfolio& p = f.portfolio;
  const FactorFit& reg = p.regression;
  ReportFactors out;
  for (const auto& n : f.factors) {
    out.betas.push_back({n, value_or_zero(p.betas, n), value_or_zero(reg.t_stats, n), value_or_zero(p.exposures, n)});
  }
  out.factor_source = f.factor_source;
  out.market_factor = market_factor(f);
  out.window_days = f.window;
  out.first_date = f.first_date;
  out.last_date = f.last_date;
  out.alpha_annual = p.alpha;
  out.r2 = p.r2;
  out.adj_r2 = reg.adj_r2;
  out.residual_vol_annual = reg.residual_vol;
  out.weight_basis = f.weight_basis;
  return out;
}

ReportVar var_section(const RiskVarResult& v, const StepResult<RiskBacktestResult>& bt) {
  ReportVar out;
  out.window_days = v.window;
  out.window_start = v.window_start;
  out.value_amount = v.value;
  out.covariance = v.covariance;
  out.contributions_method = v.contributions_method;
  for (const auto& r : v.results) {
    const std::string& m = r.method;  // the API's names (kVarMethodNames): the report says what the API says
    out.confidence = r.confidence;
    out.horizon_days = r.horizon_days;
    if (m == "parametric") {
      out.parametric_var_amount = r.var;
      out.parametric_es_amount = r.es;
      out.volatility_amount = r.volatility;
    } else if (m == "historical") {
      out.historical_var_amount = r.var;
      out.historical_es_amount = r.es;
    } else if (m == "montecarlo") {
      out.monte_carlo_var_amount = r.var;
      out.monte_carlo_es_amount = r.es;
    }
    out.methods.push_back({m, r.var, r.es, r.var_pct});
  }
  for (const auto& c : v.contributions) {
    out.contributions.push_back({c.symbol, c.component_var, c.component_pct, c.marginal_var});
  }
  out.warnings = v.warnings;
  // The backtest's hypothetical P&L series of today's book: its last `window` days are the
  // scenarios of historical VaR (risk_backtest and risk_var take the same returns).
  if (bt.ok() && bt.value) {
    const RiskBacktestResult& b = *bt.value;
    out.backtest_zone = b.zone;
    out.backtest_plus_factor = b.plus_factor;
    out.backtest_method = b.method;
    out.backtest_exceptions = b.exceptions;
    out.backtest_observations = b.observations;
    out.backtest_expected_exceptions = b.expected_exceptions;
    out.kupiec_p_value = b.kupiec.p_value;
    out.christoffersen_p_value = b.christoffersen.p_value;
    const std::vector<BacktestDay> none;
    const std::vector<BacktestDay>& series = b.series ? *b.series : none;
    const std::size_t n = series.size();
    const std::size_t w = std::min<std::size_t>(out.window_days, n);
    for (std::size_t k = n - w; k < n; ++k) out.pnl_distribution_amount.push_back(series[k].pnl);
    out.pnl_distribution_first_date =
        w > 0 ? spec::Nullable<std::string>(series[n - w].date) : spec::Nullable<std::string>();
  } else {
    out.backtest_reason = bt.reason.value_or("the backtest did not run");
  }
  return out;
}

ReportAttribution attribution_section(const FactorAttributionResult& a) {
  ReportAttribution out;
  out.start_date = a.start_date;
  out.end_date = a.end_date;
  out.days = a.days;
  out.factor_source = a.factor_source;
  out.window_days = a.window;
  const AttributionTotals& b = a.book;
  out.market_value_amount = b.market_value;
  out.pnl_amount = b.pnl_amount;
  out.factor_amount = b.factor_amount;
  out.risk_free_amount = b.risk_free_amount;
  out.alpha_amount = b.alpha_amount;
  out.residual_amount = b.residual_amount;
  for (const auto& f : a.factors) out.factors.push_back({f, a.factor_returns.at(f), b.factors.at(f)});
  for (const auto& p : a.positions) {
    out.positions.push_back({p.symbol, p.market_value, p.pnl_amount, p.factor_amount, p.risk_free_amount,
                             p.alpha_amount, p.residual_amount});
  }
  for (const auto& x : a.excluded) out.excluded.push_back(x.symbol + ": " + x.reason);
  return out;
}

ReportStress stress_section(const StressResult& s) {
  ReportStress out;
  const StressScenarioResult* worst = nullptr;
  for (const auto& e : s.scenarios) {
    out.scenarios.push_back({e.name, e.label, e.kind, e.method, e.pnl, e.pnl_pct});
    if (worst == nullptr || e.pnl < worst->pnl) worst = &e;
  }
  out.scenarios_count = out.scenarios.size();
  out.factor_source = s.factor_source;
  out.book_value_amount = s.book_value;
  if (worst != nullptr) {
    out.worst_scenario = worst->name;
    out.worst_method = worst->method;
    out.worst_pnl_amount = worst->pnl;
    out.worst_pnl_pct = worst->pnl_pct;
  }
  out.warnings = s.warnings;
  return out;
}

ReportCorrelation correlation_section(const RiskCorrelationResult& c) {
  const auto& symbols = c.symbols;
  const auto& m = c.matrix;
  struct Pair {
    std::size_t i, j;
    double rho;
  };
  std::vector<Pair> pairs;
  double sum = 0.0;
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    for (std::size_t j = i + 1; j < symbols.size(); ++j) {
      // An undefined correlation (a constant series) is no highlight.
      if (std::isnan(m[i][j])) continue;
      pairs.push_back({i, j, m[i][j]});
      sum += pairs.back().rho;
    }
  }
  ReportCorrelation out;
  // The assets' mean off-diagonal correlation (the matrix the pairs come from); the engine's
  // position figure is the delta view, where a short or a put counts against its asset.
  if (!pairs.empty()) out.average_pairwise = sum / static_cast<double>(pairs.size());
  std::stable_sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) { return a.rho > b.rho; });
  auto pair_of = [&](const Pair& p) { return ReportCorrelationPair{symbols[p.i], symbols[p.j], p.rho}; };
  const std::size_t k = std::min<std::size_t>(5, pairs.size());
  for (std::size_t n = 0; n < k; ++n) out.highest_pairs.push_back(pair_of(pairs[n]));
  for (std::size_t n = 0; n < k; ++n) out.lowest_pairs.push_back(pair_of(pairs[pairs.size() - 1 - n]));
  out.window_days = c.window;
  out.covariance = c.covariance;
  out.symbols_count = symbols.size();
  out.positions_count = c.correlated_positions;
  out.position_average_pairwise = c.diversification.average_pairwise_correlation;
  out.weighted_average_pairwise = c.diversification.weighted_average_pairwise_correlation;
  out.diversification_ratio = c.diversification.diversification_ratio;
  out.effective_bets = c.diversification.effective_number_of_bets;
  out.portfolio_volatility_annual = c.portfolio_volatility;
  out.portfolio_volatility_amount = c.portfolio_volatility_amount;
  return out;
}

// Weights of |market value| in gross market value (valued positions): HHI = sum w^2, effective
// positions 1/HHI, top-n sums; sector weights are the exposures step's group gross / gross.
ReportConcentration concentration_section(const PricedBook& priced, const std::vector<ReportExposureGroup>& by_sector) {
  const auto& r = priced.report;
  const double gross = r.market_value.gross;
  if (!(gross > 0.0)) return unavailable_section<ReportConcentration>("n/a", "no valued position with a market value");
  std::vector<std::pair<double, std::string>> w;
  for (const auto& e : r.positions) {
    if (e.error.empty()) w.emplace_back(std::fabs(e.market_value) / gross, e.symbol);
  }
  std::stable_sort(w.begin(), w.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  double hhi = 0.0;
  for (const auto& [x, s] : w) hhi += x * x;
  auto top = [&](std::size_t n) {
    double t = 0.0;
    for (std::size_t k = 0; k < std::min(n, w.size()); ++k) t += w[k].first;
    return t;
  };
  ReportConcentration out;
  for (std::size_t k = 0; k < std::min<std::size_t>(10, w.size()); ++k) out.largest.push_back({w[k].second, w[k].first});
  for (const auto& g : by_sector) out.by_sector.push_back({g.key, g.weight});
  out.weight_basis = "gross_market_value";
  out.hhi = hhi;
  out.effective_positions = hhi > 0.0 ? 1.0 / hhi : 0.0;
  out.top1_weight = top(1);
  out.top5_weight = top(5);
  out.top10_weight = top(10);
  return out;
}

ReportPositions positions_section(const RowSources& src) {
  if (src.priced == nullptr) {
    return unavailable_section<ReportPositions>("failed", "the book could not be valued (see the exposures step)");
  }
  const PricedBook& pb = *src.priced;
  const auto& r = pb.report;
  const auto greeks = by_symbol(src.greeks ? &src.greeks->positions : nullptr,
                                [](const GreeksPosition& g) { return g.position.symbol; });
  const auto fits = by_symbol(src.factors ? &src.factors->positions : nullptr,
                              [](const FactorPosition& f) { return f.symbol; });
  const auto contributions = by_symbol(src.var ? &src.var->contributions : nullptr,
                                       [](const VarContribution& c) { return c.symbol; });
  const std::string mkt = src.factors ? market_factor(*src.factors) : std::string();
  // Worst stress P&L per position over every scenario and method.
  std::map<std::string, double> worst_stress;
  if (src.stress != nullptr) {
    for (const auto& s : src.stress->scenarios) {
      for (const auto& p : s.positions) {
        auto it = worst_stress.find(p.symbol);
        if (it == worst_stress.end()) {
          worst_stress.emplace(p.symbol, p.pnl);
        } else {
          it->second = std::min(it->second, p.pnl);
        }
      }
    }
  }
  const PriceHistory& closes = pb.book.closes;
  ReportPositions out;
  // Each position's valuation the day before: the same symbol's next position there, in book order
  // (a position entered on the as-of date has none: its P&L is null, its value a flow of the day).
  std::map<std::string, std::vector<std::size_t>> before_of;
  if (src.previous != nullptr) {
    out.pnl_1d_from = src.previous->book.as_of.to_string();
    const auto& prev = src.previous->book.positions;
    for (std::size_t k = prev.size(); k-- > 0;) before_of[prev[k].symbol].push_back(k);
  }
  for (std::size_t i = 0; i < pb.book.positions.size(); ++i) {
    const Position& p = pb.book.positions[i];
    const exposures::PositionExposure& e = r.positions[i];
    const bool valued = e.error.empty();
    const double qm = p.quantity * p.multiplier;
    ReportPositionRow row;
    row.symbol = p.symbol;
    row.type = std::string(instrument_type_name(p.type));
    if (p.is_option()) row.underlying = p.underlying;
    if (p.option_type) row.option_type = std::string(option_right_name(*p.option_type));
    row.strike = or_null(p.strike);
    if (p.expiry) row.expiry = p.expiry->to_string();
    row.quantity = p.quantity;
    row.multiplier = p.multiplier;
    row.sector = p.sector.empty() ? "Unknown" : p.sector;
    row.strategy = text_or_null(p.strategy);
    std::string tags;
    for (const auto& t : p.tags) tags += (tags.empty() ? "" : ";") + t;
    row.tags = text_or_null(tags);
    row.currency = p.currency;
    row.entry_price = or_null(p.entry_price);
    if (p.entry_date) row.entry_date = p.entry_date->to_string();
    // Price date of the close the position is valued at, and the change of its market value since
    // the previous price date (the same position valued there the same way).
    spec::Nullable<std::string> price_date;
    spec::Nullable<double> pnl_1d;
    if (const auto col = closes.find(p.price_symbol())) {
      for (std::size_t t = closes.rows(); t-- > 0;) {
        if (is_missing(closes.at(t, *col))) continue;
        price_date = p.is_option() ? pb.book.as_of.to_string() : closes.dates[t].to_string();
        break;
      }
    }
    if (auto it = before_of.find(p.symbol); it != before_of.end() && !it->second.empty()) {
      const exposures::PositionExposure& before = src.previous->report.positions[it->second.back()];
      it->second.pop_back();
      if (valued && before.error.empty()) pnl_1d = e.market_value - before.market_value;
    }
    if (valued) {
      row.price = e.price;
      row.price_date = price_date;
      row.price_source = p.is_option() ? std::string("model") : src.price_source;
      row.market_value_amount = e.market_value;
      if (r.market_value.gross > 0.0) row.weight = e.market_value / r.market_value.gross;
      row.notional_amount = e.notional;
      row.delta = p.is_option() ? e.delta : 1.0;
      row.delta_adjusted_amount = e.delta_adjusted;
    }
    if (p.entry_price) row.cost_basis_amount = qm * *p.entry_price;
    if (valued && p.entry_price) row.unrealized_pnl_amount = e.market_value - qm * *p.entry_price;
    row.pnl_1d_amount = pnl_1d;
    const auto g = greeks.find(p.symbol);
    if (valued && p.is_option() && g != greeks.end()) {
      const GreeksPosition& gp = *g->second;
      row.gamma = gp.gamma;
      row.dollar_gamma_1pct_amount = gp.dollar_gamma_1pct;
      row.vega_per_point_amount = gp.vega_per_point;
      row.theta_per_day_amount = gp.theta_per_day;
      row.rho_per_point_amount = qm * gp.rho / 100.0;
      if (gp.option.vol) row.implied_vol = *gp.option.vol;
    }
    const auto f = fits.find(p.symbol);
    if (f != fits.end() && !mkt.empty()) {
      row.beta_mkt = value_or_zero(f->second->fit.betas, mkt);
      row.factor_r2 = f->second->fit.r2;
    }
    const auto c = contributions.find(p.symbol);
    if (c != contributions.end()) {
      row.component_var_amount = c->second->component_var;
      row.component_var_pct = c->second->component_pct;
      row.marginal_var = c->second->marginal_var;
    }
    const auto s = worst_stress.find(p.symbol);
    if (s != worst_stress.end()) row.stress_worst_pnl_amount = s->second;
    out.rows.push_back(std::move(row));
  }
  out.count = out.rows.size();
  return out;
}

}  // namespace keel::service::detail
