// report.md from a Report: one function per section, in document order.
#include "keel/service/report_markdown.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string_view>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "keel/report/report_format.h"
#include "keel/report/report_schema.h"
#include "keel/service/report.h"
#include "markdown_text.h"
#include "report_figures.h"

namespace keel::service {

namespace {

using report::format_amount;
using report::format_number;
using report::format_percent;
using report_detail::figure;
using report_detail::figure_at;
using report_detail::kNa;
using report_detail::section_ok;
using report_detail::section_reason;
using report_detail::words;
using report_detail::md;
using Table = report_detail::MarkdownTable;

// --- small formatting helpers ------------------------------------------------------------------

template <class T>
std::string amount_of(const T& v) {
  return format_amount(figure(v));
}
template <class T>
std::string percent_of(const T& v) {
  return format_percent(figure(v));
}
template <class T>
std::string decimal_of(const T& v, int decimals = 2) {
  return format_number(figure(v), decimals);
}

// Whole numbers without decimals (counts, share quantities); otherwise up to 4 decimals.
template <class T>
std::string count_of(const T& x) {
  const double v = figure(x);
  if (std::isfinite(v) && v == std::round(v)) return format_number(v, 0);
  std::string s = format_number(v, 4);
  if (s.find('.') != std::string::npos && s != kNa) {
    s.erase(s.find_last_not_of('0') + 1);
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

std::string plural(double n, const char* one, const char* many) {
  return format_number(n, 0) + " " + (n == 1 ? one : many);
}

template <class T>
std::string md_words(const T& v) {
  return md(words(v));
}

template <class Section>
std::string not_available(const Section& section) {
  return "N/A — " + md(section_reason(section)) + "\n\n";
}

struct Render {
  const Report& report;
  const std::vector<ReportChart>& charts;

  std::string chart(std::string_view file) const {
    for (const auto& c : charts) {
      if (c.file_name != file) continue;
      if (c.svg.empty()) return "_Chart not drawn: " + md(c.reason) + "._\n\n";
      return "![" + md(c.title) + "](" + c.file_name + ")\n\n";
    }
    return "";
  }
};

// --- sections ----------------------------------------------------------------------------------

std::string title_section(const Render& ctx) {
  const Report& r = ctx.report;
  std::string out = "# Risk report: " + md(r.portfolio) + "\n\n";
  out += "As of **" + md(r.as_of) + "** · generated " + md(r.generated_at) + " · keel " + md(r.keel_version) +
         " · schema " + md(r.schema) + "\n\n";
  // Every amount below is in the reporting currency; a position's price is in its own currency.
  out += "Amounts in **" + md(r.summary.currency) +
         "**, the reporting currency; prices in each position's currency.\n\n";
  const ReportProvenance& p = r.provenance;
  if (!section_ok(p)) return out + "Provenance: " + not_available(p);
  out += "Provenance: prices from " + md(p.prices_source) + " (" + md(p.prices_first_date) + " to " +
         md(p.prices_last_date) + ", " + plural(figure(p.price_symbols), "symbol", "symbols") +
         "); factors: " + md_words(p.factor_source) + " (last date " + md_words(p.factor_last_date) +
         "); rate " + percent_of(p.rate) + " (" + md(p.rate_source) + "); sectors: " + md(p.sectors_source) +
         "; risk window " +
         plural(figure(p.window_days), "day", "days") + ", confidence " + percent_of(p.confidence) +
         ", horizon " + plural(figure(p.horizon_days), "day", "days") + ".\n\n";
  return out;
}

std::string summary_section(const Render& ctx) {
  std::string out = "## Executive summary\n\n";
  const ReportSummary& s = ctx.report.summary;
  if (!section_ok(s)) return out + not_available(s);
  const ReportProvenance& p = ctx.report.provenance;
  // The provenance's settings, when it is ok (a section that is not ok has no figures).
  const double confidence = section_ok(p) ? p.confidence : std::nan("");
  const double horizon = section_ok(p) ? figure(p.horizon_days) : std::nan("");
  const double net = figure(s.net_value_amount);
  const double es_pct = net != 0 ? figure(s.es_amount) / std::fabs(net) : NAN;
  const std::string method = md(s.var_method);
  const std::string risk_params =
      method + ", " + format_percent(confidence) + ", " + plural(horizon, "day", "days");

  Table t({"Metric", "Value"}, "lr");
  t.row({"Positions", count_of(s.positions_count)});
  t.row({"Net value", amount_of(s.net_value_amount)});
  t.row({"Gross value", amount_of(s.gross_value_amount)});
  t.row({"Long / short value", amount_of(s.long_value_amount) + " / " + amount_of(s.short_value_amount)});
  t.row({"1-day P&L", amount_of(s.pnl_1d_amount) + " (" + percent_of(s.pnl_1d_pct) + ")"});
  t.row({"VaR (" + risk_params + ")",
         amount_of(s.var_amount) + " (" + percent_of(s.var_pct) + " of net value)"});
  t.row({"ES (" + risk_params + ")",
         amount_of(s.es_amount) + " (" + format_percent(es_pct) + " of net value)"});
  t.row({"Backtest zone", md_words(s.backtest_zone)});
  t.row({"Market beta", decimal_of(s.beta_mkt)});
  t.row({"Worst stress", md_words(s.worst_stress_scenario) + ": " + amount_of(s.worst_stress_pnl_amount)});
  t.row({"Largest position",
         md_words(s.largest_position_symbol) + " (" + percent_of(s.largest_position_weight) + " of gross)"});
  t.row({"Data warnings", count_of(s.data_warnings_count)});
  out += t.render();

  // Plain sentences, each only when its figures are present.
  std::vector<std::string> sentences;
  if (std::isfinite(net))
    sentences.push_back("The book holds " + plural(figure(s.positions_count), "position", "positions") +
                        " worth " + format_amount(net) + " net (" + amount_of(s.gross_value_amount) +
                        " gross).");
  const double pnl = figure(s.pnl_1d_amount);
  if (std::isfinite(pnl))
    sentences.push_back(std::string("Over the last day it ") + (pnl < 0 ? "lost " : "gained ") +
                        format_amount(std::fabs(pnl)) + " (" + percent_of(s.pnl_1d_pct) + ").");
  if (std::isfinite(figure(s.var_amount)))
    sentences.push_back("At " + format_percent(confidence) + " confidence the " + method +
                        " method expects the book to lose no more than " + amount_of(s.var_amount) + " (" +
                        percent_of(s.var_pct) + " of net value) over " + plural(horizon, "day", "days") +
                        "; on the days it does, the average loss (ES) is " + amount_of(s.es_amount) + ".");
  if (s.backtest_zone) sentences.push_back("The VaR backtest is in the " + md(*s.backtest_zone) + " zone.");
  if (std::isfinite(figure(s.beta_mkt)))
    sentences.push_back("A 1% market move moves the book by about " +
                        format_percent(figure(s.beta_mkt) / 100) + " (market beta " + decimal_of(s.beta_mkt) +
                        ").");
  if (std::isfinite(figure(s.worst_stress_pnl_amount)))
    sentences.push_back("The worst stress scenario, " + md_words(s.worst_stress_scenario) + ", gives a P&L of " +
                        amount_of(s.worst_stress_pnl_amount) + ".");
  if (s.largest_position_symbol)
    sentences.push_back("The largest position is " + md(*s.largest_position_symbol) + " at " +
                        percent_of(s.largest_position_weight) + " of gross exposure.");
  const double warnings = figure(s.data_warnings_count);
  sentences.push_back(warnings == 0 ? std::string("The data check found no problems.")
                                    : "The data check raised " + plural(warnings, "warning", "warnings") +
                                          " (see Data quality).");
  for (std::size_t i = 0; i < sentences.size(); ++i) out += (i ? " " : "") + sentences[i];
  return out + "\n\n";
}

// Groups of an exposures result; weights of the book's gross market value.
std::string group_table(const std::vector<ExposureGroup>& rows, double gross, const char* key_header) {
  Table t({key_header, "Positions", "Gross", "Net", "Delta-adjusted net", "Weight"}, "lrrrrr");
  for (const auto& g : rows)
    t.row({md(g.key), count_of(g.positions), amount_of(g.market_value.gross), amount_of(g.market_value.net),
           amount_of(g.delta_adjusted.net), format_percent(gross != 0.0 ? g.market_value.gross / gross : 0.0)});
  return t.empty() ? "No groups.\n\n" : t.render();
}

std::string positions_section(const Render& ctx) {
  std::string out = "## Positions and exposures\n\n";
  const ReportExposures& e = ctx.report.exposures;
  if (!section_ok(e)) {
    out += "Exposures: " + not_available(e) + ctx.chart(report::kExposureBySectorChart);
  } else {
    Table t({"Exposure", fmt::format("Amount ({})", md(ctx.report.summary.currency))}, "lr");
    const ExposuresResult& x = e.result;
    t.row({"Gross", amount_of(x.market_value.gross)});
    t.row({"Net", amount_of(x.market_value.net)});
    t.row({"Long", amount_of(x.market_value.long_)});
    t.row({"Short", amount_of(x.market_value.short_)});
    t.row({"Delta-adjusted gross", amount_of(x.delta_adjusted.gross)});
    t.row({"Delta-adjusted net", amount_of(x.delta_adjusted.net)});
    out += t.render();
    const double gross = x.market_value.gross;
    out += "### By sector\n\n" + group_table(x.groups, gross, "Sector") + ctx.chart(report::kExposureBySectorChart);
    out += "### By type\n\n" + group_table(e.by_type, gross, "Type");
  }
  out += "### Positions\n\n";
  const ReportPositions& p = ctx.report.positions;
  if (!section_ok(p)) return out + not_available(p);
  // Prices are in each position's currency, market values converted into the reporting one.
  const std::string& currency = ctx.report.summary.currency;
  Table t({"Symbol", "Type", "Sector", "Quantity", "Price", fmt::format("Market value ({})", md(currency)),
           "Weight", "1-day P&L", "Component VaR"},
          "lllrrrrrr");
  for (const auto& r : p.rows)
    t.row({md(r.symbol), md(r.type), md(r.sector), count_of(r.quantity), amount_of(r.price),
           amount_of(r.market_value_amount), percent_of(r.weight), amount_of(r.pnl_1d_amount),
           amount_of(r.component_var_amount)});
  if (t.empty()) return out + "The book has no positions.\n\n";
  return out + t.render() + "All 37 columns per position are in positions.csv and report.xlsx.\n\n";
}

std::string greeks_section(const Render& ctx) {
  std::string out = "## Greeks\n\n";
  const ReportGreeks& g = ctx.report.greeks;
  if (!section_ok(g)) return out + not_available(g);
  // Totals over the options, then the book's dollar delta over every position.
  Table o({"Option", "Underlying", "Quantity", "Price", "Implied vol", "Delta", "Gamma", "Dollar delta",
           "Vega/pt", "Theta/day"},
          "llrrrrrrrr");
  double options = 0, dollar_delta = 0, dollar_gamma = 0, vega = 0, theta = 0, rho = 0;
  for (const auto& r : g.result.positions) {
    if (r.position.type != "option") continue;
    options += 1;
    dollar_delta += r.dollar_delta;
    dollar_gamma += r.dollar_gamma_1pct;
    vega += r.vega_per_point;
    theta += r.theta_per_day;
    rho += r.rho_per_point;
    o.row({md(r.position.symbol), md(r.position.underlying), count_of(r.position.quantity),
           amount_of(r.position.price), percent_of(r.option.vol), decimal_of(r.delta, 4), decimal_of(r.gamma, 4),
           amount_of(r.dollar_delta), amount_of(r.vega_per_point), amount_of(r.theta_per_day)});
  }
  Table t({"Greek (book total)", "Value"}, "lr");
  t.row({"Options", count_of(options)});
  t.row({"Dollar delta", format_amount(dollar_delta)});
  t.row({"Dollar gamma (change of dollar delta for a 1% rise)", format_amount(dollar_gamma)});
  t.row({"Vega (per vol point)", format_amount(vega)});
  t.row({"Theta (per calendar day)", format_amount(theta)});
  t.row({"Rho (per rate point)", format_amount(rho)});
  out += t.render();
  return out + (o.empty() ? "" : o.render());
}

std::string factors_section(const Render& ctx) {
  std::string out = "## Factor exposures\n\n";
  const ReportFactors& f = ctx.report.factors;
  if (!section_ok(f)) return out + not_available(f) + ctx.chart(report::kFactorBetasChart);
  const FactorsResult& r = f.result;
  const FactorPortfolio& p = r.portfolio;
  out += "Source: " + md(r.factor_source) + "; window " + plural(figure(r.window), "day", "days") + " (" +
         md(r.first_date) + " to " + md(r.last_date) + "). Alpha " + percent_of(p.alpha) + " a year, R² " +
         decimal_of(p.r2, 4) + ", residual volatility " + percent_of(p.regression.residual_vol) + " a year.\n\n";
  Table t({"Factor", "Beta", "t-stat", "Exposure"}, "lrrr");
  for (const auto& n : r.factors)
    t.row({md(n), decimal_of(figure_at(p.betas, n)), decimal_of(figure_at(p.regression.t_stats, n)),
           format_amount(figure_at(p.exposures, n))});
  return out + (t.empty() ? "No factor betas.\n\n" : t.render()) + ctx.chart(report::kFactorBetasChart);
}

std::string method_name(const std::string& m) {
  if (m == "parametric") return "Parametric";
  if (m == "historical") return "Historical";
  if (m == "montecarlo") return "Monte Carlo";
  return md(m);
}

std::string var_section(const Render& ctx) {
  std::string out = "## VaR and ES\n\n";
  const ReportVar& v = ctx.report.var;
  if (!section_ok(v)) return out + not_available(v) + ctx.chart(report::kPnlDistributionChart);
  const RiskVarResult& r = v.result;
  const VarMethodResult* first = r.results.empty() ? nullptr : &r.results.front();
  const VarMethodResult* parametric = find_var_method(v, "parametric");
  out += "Window " + plural(figure(r.window), "day", "days") + ", confidence " +
         format_percent(first ? first->confidence : std::nan("")) + ", horizon " +
         plural(first ? figure(first->horizon_days) : std::nan(""), "day", "days") + "; P&L volatility " +
         format_amount(parametric ? parametric->volatility : std::nan("")) + " a day. Losses are positive.\n\n";
  Table t({"Method", "VaR", "ES", "VaR % of value"}, "lrrr");
  for (const auto& m : r.results)
    t.row({method_name(m.method), amount_of(m.var), amount_of(m.es), percent_of(m.var_pct)});
  out += t.empty() ? "No VaR methods ran.\n\n" : t.render();
  if (v.backtest.ok()) {
    const RiskBacktestResult& b = v.backtest.result;
    out += "Backtest: **" + md(b.zone) + "** zone (Basel plus factor " + decimal_of(b.plus_factor, 2) + "), " +
           plural(figure(b.exceptions), "exception", "exceptions") + " in " +
           plural(figure(b.observations), "observation", "observations") + " (Kupiec p-value " +
           decimal_of(b.kupiec.p_value, 4) + ", Christoffersen p-value " + decimal_of(b.christoffersen.p_value, 4) +
           ").\n\n";
  } else {
    out += "Backtest: n/a (" + md(section_reason(v.backtest)) + ").\n\n";
  }
  // Top contributors: the 10 largest component VaRs, largest first.
  std::vector<const VarContribution*> rows;
  for (const auto& c : r.contributions) rows.push_back(&c);
  std::stable_sort(rows.begin(), rows.end(), [](const VarContribution* a, const VarContribution* b) {
    const double x = a->component_var, y = b->component_var;
    return (std::isnan(y) ? -INFINITY : y) < (std::isnan(x) ? -INFINITY : x);
  });
  if (rows.size() > 10) rows.resize(10);
  Table c({"Top contributor", "Component VaR", "Share of VaR", "Marginal VaR"}, "lrrr");
  for (const VarContribution* x : rows)
    c.row({md(x->symbol), amount_of(x->component_var), percent_of(x->component_pct), decimal_of(x->marginal_var, 4)});
  if (!c.empty()) out += c.render();
  return out + ctx.chart(report::kPnlDistributionChart);
}

std::string stress_section(const Render& ctx) {
  std::string out = "## Stress tests\n\n";
  const ReportStress& s = ctx.report.stress;
  if (!section_ok(s)) return out + not_available(s) + ctx.chart(report::kStressImpactsChart);
  const StressScenarioResult* worst = worst_stress_scenario(s);
  out += "Worst of " + plural(figure(s.result.scenarios.size()), "scenario", "scenarios") + ": " +
         (worst ? md(worst->name) : std::string(kNa)) + ", P&L " +
         format_amount(worst ? worst->pnl : std::nan("")) + " (" +
         format_percent(worst ? worst->pnl_pct : std::nan("")) + ").\n\n";
  // One row per scenario, its direct and correlated results side by side ("—" for a method not run),
  // in the order the scenarios first appear.
  std::vector<std::string> names;
  std::map<std::string, std::vector<std::string>> rows;
  for (const auto& r : s.result.scenarios) {
    auto [it, added] =
        rows.try_emplace(r.name, std::vector<std::string>{md(r.name), md(r.label), "—", "—", "—", "—"});
    if (added) names.push_back(r.name);
    const std::size_t col = r.method == "correlated" ? 4 : 2;
    it->second[col] = amount_of(r.pnl);
    it->second[col + 1] = percent_of(r.pnl_pct);
  }
  Table t({"Scenario", "Description", "Direct P&L", "Direct %", "Correlated P&L", "Correlated %"}, "llrrrr");
  for (const auto& name : names) t.row(rows.at(name));
  return out + (t.empty() ? "" : t.render()) + ctx.chart(report::kStressImpactsChart);
}

std::string attribution_section(const Render& ctx) {
  if (!ctx.report.attribution) return "";
  std::string out = "## Factor attribution\n\n";
  const ReportAttribution& s = *ctx.report.attribution;
  if (!section_ok(s)) return out + not_available(s);
  const FactorAttributionResult& a = s.result;
  const AttributionTotals& b = a.book;
  out += "P&L from the close of " + md(a.start_date) + " to the close of " + md(a.end_date) + " (" +
         plural(figure(a.days), "day", "days") + ", positions held constant): " + amount_of(b.pnl_amount) +
         " = factors " + amount_of(b.factor_amount) + " + risk free " + amount_of(b.risk_free_amount) +
         " + alpha " + amount_of(b.alpha_amount) + " + residual " + amount_of(b.residual_amount) +
         ". Betas over the " + plural(figure(a.window), "day", "days") + " before the period (" +
         md(a.factor_source) + ").\n\n";
  Table f({"Factor", "Return", "P&L"}, "lrr");
  for (const auto& x : a.factors) f.row({md(x), format_percent(figure_at(a.factor_returns, x)), format_amount(figure_at(b.factors, x))});
  Table t({"Position", "Value", "P&L", "Factors", "Risk free", "Alpha", "Residual"}, "lrrrrrr");
  for (const auto& p : a.positions) {
    t.row({md(p.symbol), amount_of(p.market_value), amount_of(p.pnl_amount), amount_of(p.factor_amount),
           amount_of(p.risk_free_amount), amount_of(p.alpha_amount), amount_of(p.residual_amount)});
  }
  t.row({"Book", amount_of(b.market_value), amount_of(b.pnl_amount), amount_of(b.factor_amount),
         amount_of(b.risk_free_amount), amount_of(b.alpha_amount), amount_of(b.residual_amount)});
  out += (f.empty() ? "" : f.render()) + t.render();
  for (const auto& x : a.excluded) out += "Not attributed: " + md(x.symbol + ": " + x.reason) + "\n\n";
  return out;
}

std::string pairs_table(const std::vector<ReportCorrelationPair>& pairs, const char* title) {
  Table t({title, "With", "Correlation"}, "llr");
  for (const auto& p : pairs) t.row({md(p.a), md(p.b), decimal_of(p.correlation)});
  return t.empty() ? "" : t.render();
}

std::string correlation_section(const Render& ctx) {
  std::string out = "## Correlation highlights\n\n";
  const ReportCorrelation& c = ctx.report.correlation;
  if (!section_ok(c)) return out + not_available(c);
  const RiskCorrelationResult& r = c.result;
  const DiversificationFigures& d = r.diversification;
  out += "Average pairwise correlation " + decimal_of(c.average_pairwise) + " across " +
         plural(figure(r.symbols.size()), "symbol", "symbols") + " over " + plural(figure(r.window), "day", "days") +
         " (" + decimal_of(d.average_pairwise_correlation) + " across the " +
         plural(figure(r.correlated_positions), "position", "positions") +
         " in the delta view, where a short or a put counts against its asset); diversification ratio " +
         decimal_of(d.diversification_ratio) + ", effective number of bets " +
         decimal_of(d.effective_number_of_bets) + ".\n\n";
  return out + pairs_table(c.highest_pairs, "Most correlated") +
         pairs_table(c.lowest_pairs, "Least correlated");
}

std::string concentration_section(const Render& ctx) {
  std::string out = "## Concentration\n\n";
  const ReportConcentration& c = ctx.report.concentration;
  if (!section_ok(c)) return out + not_available(c);
  out += "Herfindahl index " + decimal_of(c.hhi, 4) + " (effective number of positions " +
         decimal_of(c.effective_positions) + "); the largest position is " + percent_of(c.top1_weight) +
         " of gross exposure, the top 5 " + percent_of(c.top5_weight) + ", the top 10 " +
         percent_of(c.top10_weight) + ".\n\n";
  Table l({"Largest positions", "Weight"}, "lr");
  for (const auto& r : c.largest) l.row({md(r.symbol), percent_of(r.weight)});
  Table s({"Sector", "Weight"}, "lr");
  for (const auto& r : c.by_sector) s.row({md(r.sector), percent_of(r.weight)});
  return out + (l.empty() ? "" : l.render()) + (s.empty() ? "" : s.render());
}

std::string history_section(const Render& ctx) {
  std::string out = "## Value history\n\n";
  const ReportHistory& h = ctx.report.history;
  if (!section_ok(h)) return out + not_available(h) + ctx.chart(report::kValueHistoryChart);
  out += ctx.chart(report::kValueHistoryChart);
  const auto& points = h.points;
  constexpr std::size_t kShown = 10;
  const std::size_t first = points.size() > kShown ? points.size() - kShown : 0;
  Table t({"As of", "Net value", "1-day P&L", "VaR", "ES"}, "lrrrr");
  for (std::size_t i = first; i < points.size(); ++i) {
    const ReportHistoryPoint& p = points[i];
    t.row({md(p.as_of), amount_of(p.net_value_amount), amount_of(p.pnl_1d_amount), amount_of(p.var_amount),
           amount_of(p.es_amount)});
  }
  if (t.empty()) return out + "No snapshots stored yet.\n\n";
  if (first > 0)
    out += fmt::format("The last {} of {} snapshots:\n\n", kShown, points.size());
  return out + t.render();
}

std::string data_quality_section(const Render& ctx) {
  std::string out = "## Data quality\n\n";
  const ReportDataQuality& d = ctx.report.data_quality;
  if (!section_ok(d)) return out + not_available(d);
  out += plural(figure(d.symbols_checked), "symbol", "symbols") +
         " checked: " + plural(figure(d.gaps_count), "gap", "gaps") + ", " + count_of(d.stale_count) +
         " stale, " + plural(figure(d.outliers_count), "outlier", "outliers") + ", " +
         count_of(d.missing_count) + " missing.\n\n";
  Table t({"Symbol", "Issue", "Date", "Detail"}, "llll");
  for (const auto& i : d.issues) t.row({md(i.symbol), md(i.kind), md(i.date), md(i.detail)});
  return out + (t.empty() ? "No issues found.\n\n" : t.render());
}

std::string steps_section(const Render& ctx) {
  std::string out = "## Run steps\n\n";
  const auto& steps = ctx.report.steps;
  if (steps.empty()) return out + "N/A — the report does not list its run steps\n\n";
  Table t({"Step", "Status", "Time (ms)", "Message"}, "llrl");
  double total_ms = 0;
  for (const auto& s : steps) {
    if (std::isfinite(s.elapsed_ms)) total_ms += s.elapsed_ms;
    t.row({md(s.name), md(s.status), format_number(s.elapsed_ms, 2), md(s.message)});
  }
  t.row({"total", "", format_number(total_ms, 2), ""});
  return out + t.render();
}

}  // namespace

std::map<std::string, std::string> render_markdown_report(const Report& report) {
  const std::vector<ReportChart> charts = render_report_charts(report);
  const Render ctx{report, charts};
  std::string md;
  md += title_section(ctx);
  md += summary_section(ctx);
  md += positions_section(ctx);
  md += greeks_section(ctx);
  md += factors_section(ctx);
  md += var_section(ctx);
  md += stress_section(ctx);
  md += attribution_section(ctx);
  md += correlation_section(ctx);
  md += concentration_section(ctx);
  md += history_section(ctx);
  md += data_quality_section(ctx);
  md += steps_section(ctx);
  while (md.size() > 1 && md[md.size() - 1] == '\n' && md[md.size() - 2] == '\n') md.pop_back();

  std::map<std::string, std::string> files;
  files["report.md"] = std::move(md);
  for (const auto& c : charts)
    if (!c.svg.empty()) files[c.file_name] = c.svg;
  return files;
}

}  // namespace keel::service
