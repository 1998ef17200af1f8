// The sections of report.json, mapped from the use cases' JSON (keel/service/batch.h,
// docs/reports.md). Nothing here recomputes an engine result: the mappers rename, flatten and pick.
#include <algorithm>
#include <cmath>
#include <map>

#include "batch_internal.h"

namespace keel::service::detail {
namespace {

using nlohmann::json;

json or_null(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }
json text_or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

// "montecarlo" (the engine's name) is "monte_carlo" in the report.
std::string report_method(const std::string& m) { return m == "montecarlo" ? "monte_carlo" : m; }

json group_rows(const json& exposures) {
  const double gross = exposures.value("gross", 0.0);
  json rows = json::array();
  for (const auto& g : exposures.at("groups")) {
    const double g_gross = g.value("gross", 0.0);
    rows.push_back({{"key", g.at("key")},
                    {"gross_amount", g_gross},
                    {"net_amount", g.value("net", 0.0)},
                    {"delta_adjusted_net_amount", g.at("delta_adjusted").value("net", 0.0)},
                    {"weight", gross != 0.0 ? g_gross / gross : 0.0},
                    {"positions", g.value("positions", 0)}});
  }
  return rows;
}

// First entry per symbol of a use case's per-position list.
std::map<std::string, const json*> by_symbol(const json& doc, const char* list) {
  std::map<std::string, const json*> out;
  if (!doc.is_object() || !doc.contains(list)) return out;
  for (const auto& p : doc.at(list)) out.emplace(p.value("symbol", ""), &p);
  return out;
}

}  // namespace

std::string error_text(const Error& e) {
  std::string reason = e.what();
  for (const auto& d : e.details()) reason += "; " + d;
  return reason;
}

json unavailable(const std::string& status, const std::string& reason) {
  return {{"status", status}, {"reason", reason}};
}

bool is_ok(const json& section) { return section.is_object() && section.value("status", "") == "ok"; }

std::string market_factor(const json& factors) {
  if (!factors.is_object() || !factors.contains("factors")) return "";
  const auto& names = factors.at("factors");
  for (const auto& n : names) {
    if (n == "mkt_rf") return "mkt_rf";
  }
  return names.empty() ? "" : names.front().get<std::string>();
}

json data_quality_section(const risk::DataQualityReport& r) {
  json issues = json::array();
  for (const auto& i : r.issues) {
    issues.push_back({{"symbol", i.symbol},
                      {"kind", std::string(risk::data_issue_kind_name(i.kind))},
                      {"date", i.date.to_string()},
                      {"detail", i.detail}});
  }
  return {{"status", "ok"},
          {"message", std::to_string(r.symbols_checked) + " symbols checked, " + std::to_string(r.issues.size()) +
                          (r.issues.size() == 1 ? " warning" : " warnings")},
          {"symbols_checked", r.symbols_checked},
          {"reference_date", r.reference_date.to_string()},
          {"gaps_count", r.gaps},
          {"stale_count", r.stale},
          {"outliers_count", r.outliers},
          {"missing_count", r.missing},
          {"issues", std::move(issues)}};
}

json exposures_section(const json& s, const json& t) {
  const json& da = s.at("delta_adjusted");
  return {{"status", "ok"},
          {"gross_amount", s.value("gross", 0.0)},
          {"net_amount", s.value("net", 0.0)},
          {"long_amount", s.value("long", 0.0)},
          {"short_amount", s.value("short", 0.0)},
          {"delta_adjusted_gross_amount", da.value("gross", 0.0)},
          {"delta_adjusted_net_amount", da.value("net", 0.0)},
          {"notional_gross_amount", s.at("notional").value("gross", 0.0)},
          {"positions_valued", s.value("positions_valued", 0)},
          {"positions_failed", s.value("positions_failed", 0)},
          {"errors", s.value("errors", json::array())},
          {"by_sector", group_rows(s)},
          {"by_type", group_rows(t)}};
}

json greeks_section(const json& g) {
  json options = json::array();
  double dollar_delta = 0.0;
  double dollar_gamma = 0.0;
  double vega = 0.0;
  double theta = 0.0;
  double rho = 0.0;
  for (const auto& p : g.at("positions")) {
    if (p.value("type", "") != "option") continue;
    const double qm = p.value("quantity", 0.0) * p.value("multiplier", 1.0);
    // option_greeks_json gives rho per 1.00 of rate per share; a rate point is 1/100 of that.
    const double rho_point = qm * p.value("rho", 0.0) / 100.0;
    dollar_delta += p.value("dollar_delta", 0.0);
    dollar_gamma += p.value("dollar_gamma_1pct", 0.0);
    vega += p.value("vega_per_point", 0.0);
    theta += p.value("theta_per_day", 0.0);
    rho += rho_point;
    options.push_back({{"symbol", p.at("symbol")},
                       {"underlying", p.at("underlying")},
                       {"quantity", p.at("quantity")},
                       {"price", p.at("price")},
                       {"implied_vol", p.contains("vol") ? p.at("vol") : json(nullptr)},
                       {"vol_source", p.value("vol_source", "")},
                       {"delta", p.at("delta")},
                       {"gamma", p.at("gamma")},
                       {"dollar_delta_amount", p.at("dollar_delta")},
                       {"dollar_gamma_1pct_amount", p.at("dollar_gamma_1pct")},
                       {"vega_per_point_amount", p.at("vega_per_point")},
                       {"theta_per_day_amount", p.at("theta_per_day")},
                       {"rho_per_point_amount", rho_point}});
  }
  if (options.empty()) return unavailable("n/a", "no option positions");
  return {{"status", "ok"},
          {"options_count", options.size()},
          {"dollar_delta_amount", dollar_delta},
          {"dollar_gamma_1pct_amount", dollar_gamma},
          {"vega_per_point_amount", vega},
          {"theta_per_day_amount", theta},
          {"rho_per_point_amount", rho},
          {"book_dollar_delta_amount", g.at("totals").value("dollar_delta", 0.0)},
          {"options", std::move(options)}};
}

json factors_section(const json& f) {
  const json& p = f.at("portfolio");
  const json& reg = p.at("regression");
  json betas = json::array();
  for (const auto& name : f.at("factors")) {
    const std::string n = name.get<std::string>();
    betas.push_back({{"factor", n},
                     {"beta", p.at("betas").value(n, 0.0)},
                     {"t_stat", reg.at("t_stats").value(n, 0.0)},
                     {"exposure_amount", p.at("exposures").value(n, 0.0)}});
  }
  return {{"status", "ok"},
          {"factor_source", f.value("factor_source", "")},
          {"market_factor", market_factor(f)},
          {"window_days", f.value("window", 0)},
          {"first_date", f.value("first_date", "")},
          {"last_date", f.value("last_date", "")},
          {"alpha_annual", p.value("alpha", 0.0)},
          {"r2", p.value("r2", 0.0)},
          {"adj_r2", reg.value("adj_r2", 0.0)},
          {"residual_vol_annual", reg.value("residual_vol", 0.0)},
          {"weight_basis", f.value("weight_basis", "")},
          {"betas", std::move(betas)}};
}

json var_section(const json& v, const json& bt, std::size_t window) {
  json out = {{"status", "ok"},
              {"window_days", v.value("window", window)},
              {"window_start", v.value("window_start", "")},
              {"value_amount", v.value("value", 0.0)},
              {"covariance", v.value("covariance", "")},
              {"contributions_method", v.value("contributions_method", "")}};
  json methods = json::array();
  for (const auto& r : v.at("results")) {
    const std::string m = report_method(r.value("method", ""));
    out["confidence"] = r.at("confidence");
    out["horizon_days"] = r.at("horizon_days");
    out[m + "_var_amount"] = r.at("var");
    out[m + "_es_amount"] = r.at("es");
    if (m == "parametric") out["volatility_amount"] = r.at("volatility");
    methods.push_back({{"method", m}, {"var_amount", r.at("var")}, {"es_amount", r.at("es")}, {"var_pct", r.at("var_pct")}});
  }
  out["methods"] = std::move(methods);
  json contributions = json::array();
  for (const auto& c : v.at("contributions")) {
    contributions.push_back({{"symbol", c.at("symbol")},
                             {"component_var_amount", c.at("component_var")},
                             {"component_pct", c.at("component_pct")},
                             {"marginal_var", c.at("marginal_var")}});
  }
  out["contributions"] = std::move(contributions);
  out["warnings"] = v.value("warnings", json::array());
  // The backtest's hypothetical P&L series of today's book: its last `window` days are the
  // scenarios of historical VaR (risk_backtest_json and risk_var_json take the same returns).
  if (is_ok(bt)) {
    out["backtest_zone"] = bt.at("zone");
    out["backtest_method"] = bt.at("method");
    out["backtest_exceptions"] = bt.at("exceptions");
    out["backtest_observations"] = bt.at("observations");
    out["backtest_expected_exceptions"] = bt.at("expected_exceptions");
    out["kupiec_p_value"] = bt.at("kupiec").at("p_value");
    out["christoffersen_p_value"] = bt.at("christoffersen").at("p_value");
    json pnl = json::array();
    const json& series = bt.at("series");
    const std::size_t n = series.size();
    const std::size_t w = std::min<std::size_t>(out["window_days"].get<std::size_t>(), n);
    for (std::size_t k = n - w; k < n; ++k) pnl.push_back(series[k].at("pnl"));
    out["pnl_distribution_amount"] = std::move(pnl);
    out["pnl_distribution_first_date"] = w > 0 ? series[n - w].at("date") : json(nullptr);
  } else {
    for (const char* k : {"backtest_zone", "backtest_exceptions", "backtest_observations", "kupiec_p_value",
                          "christoffersen_p_value"}) {
      out[k] = nullptr;
    }
    out["backtest_reason"] = bt.value("reason", "the backtest did not run");
    out["pnl_distribution_amount"] = json::array();
  }
  return out;
}

json stress_section(const json& s) {
  json scenarios = json::array();
  json worst;
  for (const auto& e : s.at("scenarios")) {
    scenarios.push_back({{"name", e.at("name")},
                         {"description", e.value("label", "")},
                         {"kind", e.value("kind", "")},
                         {"method", e.at("method")},
                         {"pnl_amount", e.at("pnl")},
                         {"pnl_pct", e.at("pnl_pct")}});
    if (worst.is_null() || e.at("pnl").get<double>() < worst.at("pnl").get<double>()) worst = e;
  }
  json out = {{"status", "ok"},
              {"scenarios_count", scenarios.size()},
              {"factor_source", s.value("factor_source", "")},
              {"book_value_amount", s.value("book_value", 0.0)},
              {"worst_scenario", worst.is_null() ? json(nullptr) : worst.at("name")},
              {"worst_method", worst.is_null() ? json(nullptr) : worst.at("method")},
              {"worst_pnl_amount", worst.is_null() ? json(nullptr) : worst.at("pnl")},
              {"worst_pnl_pct", worst.is_null() ? json(nullptr) : worst.at("pnl_pct")},
              {"warnings", s.value("warnings", json::array())},
              {"scenarios", std::move(scenarios)}};
  return out;
}

json correlation_section(const json& c) {
  const json& symbols = c.at("symbols");
  const json& m = c.at("matrix");
  struct Pair {
    std::size_t i, j;
    double rho;
  };
  std::vector<Pair> pairs;
  double sum = 0.0;
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    for (std::size_t j = i + 1; j < symbols.size(); ++j) {
      pairs.push_back({i, j, m[i][j].get<double>()});
      sum += pairs.back().rho;
    }
  }
  // The assets' mean off-diagonal correlation (the matrix the pairs come from); the engine's
  // position figure is the delta view, where a short or a put counts against its asset.
  const json asset_average = pairs.empty() ? json(nullptr) : json(sum / static_cast<double>(pairs.size()));
  std::stable_sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) { return a.rho > b.rho; });
  auto pair_json = [&](const Pair& p) { return json{{"a", symbols[p.i]}, {"b", symbols[p.j]}, {"correlation", p.rho}}; };
  json highest = json::array();
  json lowest = json::array();
  const std::size_t k = std::min<std::size_t>(5, pairs.size());
  for (std::size_t n = 0; n < k; ++n) highest.push_back(pair_json(pairs[n]));
  for (std::size_t n = 0; n < k; ++n) lowest.push_back(pair_json(pairs[pairs.size() - 1 - n]));
  return {{"status", "ok"},
          {"window_days", c.value("window", 0)},
          {"covariance", c.value("covariance", "")},
          {"symbols_count", symbols.size()},
          {"average_pairwise", asset_average},
          {"positions_count", c.value("correlated_positions", 0)},
          {"position_average_pairwise", c.value("average_pairwise_correlation", 0.0)},
          {"weighted_average_pairwise", c.value("weighted_average_pairwise_correlation", 0.0)},
          {"diversification_ratio", c.value("diversification_ratio", 0.0)},
          {"effective_bets", c.value("effective_number_of_bets", 0.0)},
          {"portfolio_volatility_annual", c.value("portfolio_volatility", 0.0)},
          {"portfolio_volatility_amount", c.value("portfolio_volatility_amount", 0.0)},
          {"highest_pairs", std::move(highest)},
          {"lowest_pairs", std::move(lowest)}};
}

// Weights of |market value| in gross market value (valued positions): HHI = sum w^2, effective
// positions 1/HHI, top-n sums; sector weights are the exposures step's group gross / gross.
json concentration_section(const PricedBook& priced, const json& by_sector) {
  const auto& r = priced.report;
  const double gross = r.market_value.gross;
  if (!(gross > 0.0)) return unavailable("n/a", "no valued position with a market value");
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
  json largest = json::array();
  for (std::size_t k = 0; k < std::min<std::size_t>(10, w.size()); ++k) {
    largest.push_back({{"symbol", w[k].second}, {"weight", w[k].first}});
  }
  json sectors = json::array();
  for (const auto& g : by_sector) sectors.push_back({{"sector", g.at("key")}, {"weight", g.at("weight")}});
  return {{"status", "ok"},
          {"weight_basis", "gross_market_value"},
          {"hhi", hhi},
          {"effective_positions", hhi > 0.0 ? 1.0 / hhi : 0.0},
          {"top1_weight", top(1)},
          {"top5_weight", top(5)},
          {"top10_weight", top(10)},
          {"largest", std::move(largest)},
          {"by_sector", std::move(sectors)}};
}

json positions_section(const RowSources& src) {
  if (src.priced == nullptr) return unavailable("failed", "the book could not be valued (see the exposures step)");
  const PricedBook& pb = *src.priced;
  const auto& r = pb.report;
  const auto greeks = by_symbol(src.greeks, "positions");
  const auto fits = by_symbol(src.factors, "positions");
  const auto contributions = by_symbol(src.var, "contributions");
  const std::string mkt = market_factor(src.factors);
  // Worst stress P&L per position over every scenario and method.
  std::map<std::string, double> worst_stress;
  if (src.stress.is_object() && src.stress.contains("scenarios")) {
    for (const auto& s : src.stress.at("scenarios")) {
      for (const auto& p : s.at("positions")) {
        const std::string sym = p.value("symbol", "");
        const double pnl = p.value("pnl", 0.0);
        auto it = worst_stress.find(sym);
        if (it == worst_stress.end()) {
          worst_stress.emplace(sym, pnl);
        } else {
          it->second = std::min(it->second, pnl);
        }
      }
    }
  }
  const PriceHistory& closes = pb.book.closes;
  json rows = json::array();
  for (std::size_t i = 0; i < pb.book.positions.size(); ++i) {
    const Position& p = pb.book.positions[i];
    const exposures::PositionExposure& e = r.positions[i];
    const bool valued = e.error.empty();
    const double qm = p.quantity * p.multiplier;
    json row;
    row["symbol"] = p.symbol;
    row["type"] = std::string(instrument_type_name(p.type));
    row["underlying"] = p.is_option() ? json(p.underlying) : json(nullptr);
    row["option_type"] = p.option_type ? json(std::string(option_right_name(*p.option_type))) : json(nullptr);
    row["strike"] = or_null(p.strike);
    row["expiry"] = p.expiry ? json(p.expiry->to_string()) : json(nullptr);
    row["quantity"] = p.quantity;
    row["multiplier"] = p.multiplier;
    row["sector"] = p.sector.empty() ? json("Unknown") : json(p.sector);
    row["strategy"] = text_or_null(p.strategy);
    std::string tags;
    for (const auto& t : p.tags) tags += (tags.empty() ? "" : ";") + t;
    row["tags"] = text_or_null(tags);
    row["currency"] = p.currency;
    row["entry_price"] = or_null(p.entry_price);
    row["entry_date"] = p.entry_date ? json(p.entry_date->to_string()) : json(nullptr);
    // Price date and the last day's change of the close the position is valued at.
    json price_date = nullptr;
    json pnl_1d = nullptr;
    if (const auto col = closes.find(p.price_symbol())) {
      std::optional<std::size_t> last;
      std::optional<std::size_t> prev;
      for (std::size_t t = closes.rows(); t-- > 0;) {
        if (is_missing(closes.at(t, *col))) continue;
        if (!last) {
          last = t;
        } else {
          prev = t;
          break;
        }
      }
      if (last) price_date = p.is_option() ? pb.book.as_of.to_string() : closes.dates[*last].to_string();
      if (last && prev && !p.is_option() && valued) {
        pnl_1d = qm * (closes.at(*last, *col) - closes.at(*prev, *col));
      }
    }
    row["price"] = valued ? json(e.price) : json(nullptr);
    row["price_date"] = valued ? price_date : json(nullptr);
    row["price_source"] = valued ? json(p.is_option() ? std::string("model") : src.price_source) : json(nullptr);
    row["market_value_amount"] = valued ? json(e.market_value) : json(nullptr);
    row["weight"] = valued && r.market_value.gross > 0.0 ? json(e.market_value / r.market_value.gross) : json(nullptr);
    const bool has_cost = valued && p.entry_price.has_value();
    row["cost_basis_amount"] = p.entry_price ? json(qm * *p.entry_price) : json(nullptr);
    row["unrealized_pnl_amount"] = has_cost ? json(e.market_value - qm * *p.entry_price) : json(nullptr);
    row["pnl_1d_amount"] = pnl_1d;
    row["notional_amount"] = valued ? json(e.notional) : json(nullptr);
    row["delta"] = valued ? json(p.is_option() ? e.delta : 1.0) : json(nullptr);
    row["delta_adjusted_amount"] = valued ? json(e.delta_adjusted) : json(nullptr);
    const auto g = greeks.find(p.symbol);
    const bool option_greeks = valued && p.is_option() && g != greeks.end();
    row["gamma"] = option_greeks ? g->second->at("gamma") : json(nullptr);
    row["dollar_gamma_1pct_amount"] = option_greeks ? g->second->at("dollar_gamma_1pct") : json(nullptr);
    row["vega_per_point_amount"] = option_greeks ? g->second->at("vega_per_point") : json(nullptr);
    row["theta_per_day_amount"] = option_greeks ? g->second->at("theta_per_day") : json(nullptr);
    row["rho_per_point_amount"] = option_greeks ? json(qm * g->second->value("rho", 0.0) / 100.0) : json(nullptr);
    row["implied_vol"] = option_greeks && g->second->contains("vol") ? g->second->at("vol") : json(nullptr);
    const auto f = fits.find(p.symbol);
    const bool fitted = f != fits.end() && !mkt.empty();
    row["beta_mkt"] = fitted ? json(f->second->at("betas").value(mkt, 0.0)) : json(nullptr);
    row["factor_r2"] = fitted ? f->second->at("r2") : json(nullptr);
    const auto c = contributions.find(p.symbol);
    const bool contributed = c != contributions.end();
    row["component_var_amount"] = contributed ? c->second->at("component_var") : json(nullptr);
    row["component_var_pct"] = contributed ? c->second->at("component_pct") : json(nullptr);
    row["marginal_var"] = contributed ? c->second->at("marginal_var") : json(nullptr);
    const auto s = worst_stress.find(p.symbol);
    row["stress_worst_pnl_amount"] = s != worst_stress.end() ? json(s->second) : json(nullptr);
    rows.push_back(std::move(row));
  }
  return {{"status", "ok"}, {"count", rows.size()}, {"rows", std::move(rows)}};
}

}  // namespace keel::service::detail
