// The sections of report.json (keel/service/report_build.h, keel/service/report.h,
// docs/reports.md): the use cases' results embedded as they are, and the report's own picks
// computed from them. Nothing here recomputes an engine result.
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

ReportExposures exposures_section(ExposuresResult by_sector, const ExposuresResult& by_type) {
  ReportExposures out;
  out.result = std::move(by_sector);
  out.by_type = by_type.groups;
  return out;
}

ReportGreeks greeks_section(OptionGreeksResult greeks) {
  const bool any_option = std::any_of(greeks.positions.begin(), greeks.positions.end(),
                                      [](const GreeksPosition& p) { return p.position.type == "option"; });
  if (!any_option) return unavailable_section<ReportGreeks>("n/a", "no option positions");
  ReportGreeks out;
  out.result = std::move(greeks);
  return out;
}

ReportFactors factors_section(FactorsResult factors) {
  ReportFactors out;
  out.market_factor = market_factor(factors);
  out.result = std::move(factors);
  return out;
}

ReportVar var_section(RiskVarResult var, StepResult<RiskBacktestResult> backtest) {
  ReportVar out;
  out.result = std::move(var);
  if (backtest.ok() && backtest.value) {
    out.backtest.status = "ok";
    out.backtest.reason.reset();
    out.backtest.result = std::move(*backtest.value);
  } else {
    out.backtest = unavailable_section<ReportBacktest>(backtest.ok() ? "n/a" : backtest.status,
                                                       backtest.reason.value_or("the backtest did not run"));
  }
  return out;
}

ReportAttribution attribution_section(FactorAttributionResult attribution) {
  ReportAttribution out;
  out.result = std::move(attribution);
  return out;
}

ReportStress stress_section(StressResult stress) {
  ReportStress out;
  out.result = std::move(stress);
  return out;
}

ReportCorrelation correlation_section(RiskCorrelationResult c) {
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
  out.result = std::move(c);
  return out;
}

// Weights of |market value| in gross market value (valued positions): HHI = sum w^2, effective
// positions 1/HHI, top-n sums; sector weights are the exposures step's group gross / gross.
ReportConcentration concentration_section(const PricedBook& priced, const ExposuresResult& by_sector) {
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
  for (const auto& g : by_sector.groups) out.by_sector.push_back({g.key, g.market_value.gross / gross});
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
      row.rho_per_point_amount = gp.rho_per_point;
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

namespace keel::service {

const VarMethodResult* find_var_method(const ReportVar& var, std::string_view method) {
  for (const auto& m : var.result.results) {
    if (m.method == method) return &m;
  }
  return nullptr;
}

const StressScenarioResult* worst_stress_scenario(const ReportStress& stress) {
  const StressScenarioResult* worst = nullptr;
  for (const auto& e : stress.result.scenarios) {
    if (worst == nullptr || e.pnl < worst->pnl) worst = &e;
  }
  return worst;
}

}  // namespace keel::service
