// report.md from report.json: one function per section, in document order.
#include "keel/report/report_markdown.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "keel/core/error.h"
#include "keel/report/report_json.h"
#include "keel/report/report_schema.h"

namespace keel::report {

std::string format_number(double value, int decimals) {
  if (!std::isfinite(value)) return "n/a";
  decimals = std::clamp(decimals, 0, 12);
  // Sized from a first pass: %f of a double can need over 300 characters (1e300).
  const int length = std::snprintf(nullptr, 0, "%.*f", decimals, std::fabs(value));
  std::string digits(static_cast<std::size_t>(length) + 1, '\0');
  std::snprintf(digits.data(), digits.size(), "%.*f", decimals, std::fabs(value));
  digits.pop_back();
  const std::size_t dot = digits.find('.');
  const std::string whole = digits.substr(0, dot);
  std::string out;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) out += ',';
    out += whole[i];
  }
  if (dot != std::string::npos) out += digits.substr(dot);
  // A value that rounds to zero prints without a sign ("0.00", not "-0.00").
  const bool nonzero = digits.find_first_not_of("0.") != std::string::npos;
  return (value < 0 && nonzero ? "-" : "") + out;
}

std::string format_amount(double value) {
  return format_number(value, 2);
}

std::string format_percent(double fraction, int decimals) {
  if (!std::isfinite(fraction)) return "n/a";
  return format_number(fraction * 100.0, decimals) + "%";
}

namespace {

using detail::array;
using detail::Json;
using detail::member;
using detail::number;
using detail::section_ok;
using detail::section_reason;
using detail::text;

constexpr const char* kNa = "n/a";

// --- small formatting helpers ------------------------------------------------------------------

std::string amount_of(const Json& o, std::string_view key) {
  return format_amount(number(o, key));
}
std::string percent_of(const Json& o, std::string_view key) {
  return format_percent(number(o, key));
}
std::string decimal_of(const Json& o, std::string_view key, int decimals = 2) {
  return format_number(number(o, key), decimals);
}
std::string text_of(const Json& o, std::string_view key) {
  return text(o, key, kNa);
}

// Whole numbers without decimals (counts, share quantities); otherwise up to 4 decimals.
std::string count_of(const Json& o, std::string_view key) {
  const double v = number(o, key);
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

// A Markdown table cell: pipes escaped, line breaks flattened.
std::string cell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n' || c == '\r')
      out += ' ';
    else
      out += c;
  }
  return out.empty() ? " " : out;
}

class Table {
 public:
  // `align` holds 'l' or 'r' per column.
  Table(std::vector<std::string> headers, std::string align)
      : headers_(std::move(headers)), align_(std::move(align)) {}
  void row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  bool empty() const { return rows_.empty(); }
  std::string render() const {
    std::string out = "|";
    for (const auto& h : headers_) out += " " + cell(h) + " |";
    out += "\n|";
    for (std::size_t i = 0; i < headers_.size(); ++i)
      out += (i < align_.size() && align_[i] == 'r') ? " ---: |" : " --- |";
    out += "\n";
    for (const auto& r : rows_) {
      out += "|";
      for (std::size_t i = 0; i < headers_.size(); ++i) out += " " + cell(i < r.size() ? r[i] : "") + " |";
      out += "\n";
    }
    return out + "\n";
  }

 private:
  std::vector<std::string> headers_;
  std::string align_;
  std::vector<std::vector<std::string>> rows_;
};

std::string not_available(const Json& section) {
  return "N/A — " + section_reason(section) + "\n\n";
}

struct Context {
  const Json& report;
  const std::vector<ReportChart>& charts;

  const Json& section(std::string_view name) const { return member(report, name); }

  std::string chart(std::string_view file) const {
    for (const auto& c : charts) {
      if (c.file_name != file) continue;
      if (c.svg.empty()) return "_Chart not drawn: " + c.reason + "._\n\n";
      return "![" + c.title + "](" + c.file_name + ")\n\n";
    }
    return "";
  }
};

// --- sections ----------------------------------------------------------------------------------

std::string title_section(const Context& ctx) {
  const Json& r = ctx.report;
  std::string out = "# Risk report: " + text_of(r, "portfolio") + "\n\n";
  out += "As of **" + text_of(r, "as_of") + "** · generated " + text_of(r, "generated_at") + " · keel " +
         text_of(r, "keel_version") + " · schema " + text_of(r, "schema") + "\n\n";
  const Json& p = ctx.section("provenance");
  if (!section_ok(p)) return out + "Provenance: " + not_available(p);
  out += "Provenance: prices from " + text_of(p, "prices_source") + " (" + text_of(p, "prices_first_date") +
         " to " + text_of(p, "prices_last_date") + ", " +
         plural(number(p, "price_symbols"), "symbol", "symbols") +
         "); factors: " + text_of(p, "factor_source") + " (last date " + text_of(p, "factor_last_date") +
         "); rate " + percent_of(p, "rate") + " (" + text_of(p, "rate_source") +
         "); sectors: " + text_of(p, "sectors_source") + "; risk window " +
         plural(number(p, "window_days"), "day", "days") + ", confidence " + percent_of(p, "confidence") +
         ", horizon " + plural(number(p, "horizon_days"), "day", "days") + ".\n\n";
  return out;
}

std::string summary_section(const Context& ctx) {
  std::string out = "## Executive summary\n\n";
  const Json& s = ctx.section("summary");
  if (!section_ok(s)) return out + not_available(s);
  const Json& p = ctx.section("provenance");
  const double confidence = number(p, "confidence");
  const double horizon = number(p, "horizon_days");
  const double net = number(s, "net_value_amount");
  const double es_pct = net != 0 ? number(s, "es_amount") / std::fabs(net) : NAN;
  const std::string method = text(s, "var_method", "historical");
  const std::string risk_params =
      method + ", " + format_percent(confidence) + ", " + plural(horizon, "day", "days");

  Table t({"Metric", "Value"}, "lr");
  t.row({"Positions", count_of(s, "positions_count")});
  t.row({"Net value", amount_of(s, "net_value_amount")});
  t.row({"Gross value", amount_of(s, "gross_value_amount")});
  t.row(
      {"Long / short value", amount_of(s, "long_value_amount") + " / " + amount_of(s, "short_value_amount")});
  t.row({"1-day P&L", amount_of(s, "pnl_1d_amount") + " (" + percent_of(s, "pnl_1d_pct") + ")"});
  t.row({"VaR (" + risk_params + ")",
         amount_of(s, "var_amount") + " (" + percent_of(s, "var_pct") + " of net value)"});
  t.row({"ES (" + risk_params + ")",
         amount_of(s, "es_amount") + " (" + format_percent(es_pct) + " of net value)"});
  t.row({"Backtest zone", text_of(s, "backtest_zone")});
  t.row({"Market beta", decimal_of(s, "beta_mkt")});
  t.row(
      {"Worst stress", text_of(s, "worst_stress_scenario") + ": " + amount_of(s, "worst_stress_pnl_amount")});
  t.row({"Largest position", text_of(s, "largest_position_symbol") + " (" +
                                 percent_of(s, "largest_position_weight") + " of gross)"});
  t.row({"Data warnings", count_of(s, "data_warnings_count")});
  out += t.render();

  // Plain sentences, each only when its figures are present.
  std::vector<std::string> sentences;
  if (std::isfinite(net))
    sentences.push_back("The book holds " + plural(number(s, "positions_count"), "position", "positions") +
                        " worth " + format_amount(net) + " net (" + amount_of(s, "gross_value_amount") +
                        " gross).");
  const double pnl = number(s, "pnl_1d_amount");
  if (std::isfinite(pnl))
    sentences.push_back(std::string("Over the last day it ") + (pnl < 0 ? "lost " : "gained ") +
                        format_amount(std::fabs(pnl)) + " (" + percent_of(s, "pnl_1d_pct") + ").");
  if (std::isfinite(number(s, "var_amount")))
    sentences.push_back("At " + format_percent(confidence) + " confidence the " + method +
                        " method expects the book to lose no more than " + amount_of(s, "var_amount") + " (" +
                        percent_of(s, "var_pct") + " of net value) over " + plural(horizon, "day", "days") +
                        "; on the days it does, the average loss (ES) is " + amount_of(s, "es_amount") + ".");
  if (member(s, "backtest_zone").is_string())
    sentences.push_back("The VaR backtest is in the " + text_of(s, "backtest_zone") + " zone.");
  if (std::isfinite(number(s, "beta_mkt")))
    sentences.push_back("A 1% market move moves the book by about " +
                        format_percent(number(s, "beta_mkt") / 100) + " (market beta " +
                        decimal_of(s, "beta_mkt") + ").");
  if (std::isfinite(number(s, "worst_stress_pnl_amount")))
    sentences.push_back("The worst stress scenario, " + text_of(s, "worst_stress_scenario") +
                        ", gives a P&L of " + amount_of(s, "worst_stress_pnl_amount") + ".");
  if (member(s, "largest_position_symbol").is_string())
    sentences.push_back("The largest position is " + text_of(s, "largest_position_symbol") + " at " +
                        percent_of(s, "largest_position_weight") + " of gross exposure.");
  const double warnings = number(s, "data_warnings_count");
  if (std::isfinite(warnings))
    sentences.push_back(warnings == 0 ? std::string("The data check found no problems.")
                                      : "The data check raised " + plural(warnings, "warning", "warnings") +
                                            " (see Data quality).");
  for (std::size_t i = 0; i < sentences.size(); ++i) out += (i ? " " : "") + sentences[i];
  return out + (sentences.empty() ? "" : "\n\n");
}

std::string group_table(const Json& rows, const char* key_header) {
  Table t({key_header, "Positions", "Gross", "Net", "Delta-adjusted net", "Weight"}, "lrrrrr");
  for (const Json& g : rows)
    t.row({text_of(g, "key"), count_of(g, "positions"), amount_of(g, "gross_amount"),
           amount_of(g, "net_amount"), amount_of(g, "delta_adjusted_net_amount"), percent_of(g, "weight")});
  return t.empty() ? "No groups.\n\n" : t.render();
}

std::string positions_section(const Context& ctx) {
  std::string out = "## Positions and exposures\n\n";
  const Json& e = ctx.section("exposures");
  if (!section_ok(e)) {
    out += "Exposures: " + not_available(e) + ctx.chart(kExposureBySectorChart);
  } else {
    Table t({"Exposure", "Amount"}, "lr");
    t.row({"Gross", amount_of(e, "gross_amount")});
    t.row({"Net", amount_of(e, "net_amount")});
    t.row({"Long", amount_of(e, "long_amount")});
    t.row({"Short", amount_of(e, "short_amount")});
    t.row({"Delta-adjusted gross", amount_of(e, "delta_adjusted_gross_amount")});
    t.row({"Delta-adjusted net", amount_of(e, "delta_adjusted_net_amount")});
    out += t.render();
    out += "### By sector\n\n" + group_table(array(e, "by_sector"), "Sector") +
           ctx.chart(kExposureBySectorChart);
    out += "### By type\n\n" + group_table(array(e, "by_type"), "Type");
  }
  out += "### Positions\n\n";
  const Json& p = ctx.section("positions");
  if (!section_ok(p)) return out + not_available(p);
  Table t({"Symbol", "Type", "Sector", "Quantity", "Price", "Market value", "Weight", "1-day P&L",
           "Component VaR"},
          "lllrrrrrr");
  for (const Json& r : array(p, "rows"))
    t.row({text_of(r, "symbol"), text_of(r, "type"), text_of(r, "sector"), count_of(r, "quantity"),
           amount_of(r, "price"), amount_of(r, "market_value_amount"), percent_of(r, "weight"),
           amount_of(r, "pnl_1d_amount"), amount_of(r, "component_var_amount")});
  if (t.empty()) return out + "The book has no positions.\n\n";
  return out + t.render() + "All 37 columns per position are in positions.csv and report.xlsx.\n\n";
}

std::string greeks_section(const Context& ctx) {
  std::string out = "## Greeks\n\n";
  const Json& g = ctx.section("greeks");
  if (!section_ok(g)) return out + not_available(g);
  Table t({"Greek (book total)", "Value"}, "lr");
  t.row({"Options", count_of(g, "options_count")});
  t.row({"Dollar delta", amount_of(g, "dollar_delta_amount")});
  t.row({"Dollar gamma (change of dollar delta for a 1% rise)", amount_of(g, "dollar_gamma_1pct_amount")});
  t.row({"Vega (per vol point)", amount_of(g, "vega_per_point_amount")});
  t.row({"Theta (per calendar day)", amount_of(g, "theta_per_day_amount")});
  t.row({"Rho (per rate point)", amount_of(g, "rho_per_point_amount")});
  out += t.render();
  Table o({"Option", "Underlying", "Quantity", "Price", "Implied vol", "Delta", "Gamma", "Dollar delta",
           "Vega/pt", "Theta/day"},
          "llrrrrrrrr");
  for (const Json& r : array(g, "options"))
    o.row({text_of(r, "symbol"), text_of(r, "underlying"), count_of(r, "quantity"), amount_of(r, "price"),
           percent_of(r, "implied_vol"), decimal_of(r, "delta", 4), decimal_of(r, "gamma", 4),
           amount_of(r, "dollar_delta_amount"), amount_of(r, "vega_per_point_amount"),
           amount_of(r, "theta_per_day_amount")});
  return out + (o.empty() ? "" : o.render());
}

std::string factors_section(const Context& ctx) {
  std::string out = "## Factor exposures\n\n";
  const Json& f = ctx.section("factors");
  if (!section_ok(f)) return out + not_available(f) + ctx.chart(kFactorBetasChart);
  out += "Source: " + text_of(f, "factor_source") + "; window " +
         plural(number(f, "window_days"), "day", "days") + " (" + text_of(f, "first_date") + " to " +
         text_of(f, "last_date") + "). Alpha " + percent_of(f, "alpha_annual") + " a year, R² " +
         decimal_of(f, "r2", 4) + ", residual volatility " + percent_of(f, "residual_vol_annual") +
         " a year.\n\n";
  Table t({"Factor", "Beta", "t-stat", "Exposure"}, "lrrr");
  for (const Json& b : array(f, "betas"))
    t.row({text_of(b, "factor"), decimal_of(b, "beta"), decimal_of(b, "t_stat"),
           amount_of(b, "exposure_amount")});
  return out + (t.empty() ? "No factor betas.\n\n" : t.render()) + ctx.chart(kFactorBetasChart);
}

std::string method_name(const std::string& m) {
  if (m == "parametric") return "Parametric";
  if (m == "historical") return "Historical";
  if (m == "monte_carlo") return "Monte Carlo";
  return m;
}

std::string var_section(const Context& ctx) {
  std::string out = "## VaR and ES\n\n";
  const Json& v = ctx.section("var");
  if (!section_ok(v)) return out + not_available(v) + ctx.chart(kPnlDistributionChart);
  out += "Window " + plural(number(v, "window_days"), "day", "days") + ", confidence " +
         percent_of(v, "confidence") + ", horizon " + plural(number(v, "horizon_days"), "day", "days") +
         "; P&L volatility " + amount_of(v, "volatility_amount") + " a day. Losses are positive.\n\n";
  Table t({"Method", "VaR", "ES", "VaR % of value"}, "lrrr");
  for (const Json& m : array(v, "methods"))
    t.row({method_name(text_of(m, "method")), amount_of(m, "var_amount"), amount_of(m, "es_amount"),
           percent_of(m, "var_pct")});
  out += t.empty() ? "No VaR methods ran.\n\n" : t.render();
  if (member(v, "backtest_zone").is_string()) {
    out += "Backtest: **" + text_of(v, "backtest_zone") + "** zone, " +
           plural(number(v, "backtest_exceptions"), "exception", "exceptions") + " in " +
           plural(number(v, "backtest_observations"), "observation", "observations") + " (Kupiec p-value " +
           decimal_of(v, "kupiec_p_value", 4) + ", Christoffersen p-value " +
           decimal_of(v, "christoffersen_p_value", 4) + ").\n\n";
  } else {
    out += "Backtest: n/a (not enough history for a backtest).\n\n";
  }
  // Top contributors: the 10 largest component VaRs, largest first.
  std::vector<const Json*> rows;
  for (const Json& c : array(v, "contributions")) rows.push_back(&c);
  std::stable_sort(rows.begin(), rows.end(), [](const Json* a, const Json* b) {
    const double x = number(*a, "component_var_amount"), y = number(*b, "component_var_amount");
    return (std::isnan(y) ? -INFINITY : y) < (std::isnan(x) ? -INFINITY : x);
  });
  if (rows.size() > 10) rows.resize(10);
  Table c({"Top contributor", "Component VaR", "Share of VaR", "Marginal VaR"}, "lrrr");
  for (const Json* r : rows)
    c.row({text_of(*r, "symbol"), amount_of(*r, "component_var_amount"), percent_of(*r, "component_pct"),
           decimal_of(*r, "marginal_var", 4)});
  if (!c.empty()) out += c.render();
  return out + ctx.chart(kPnlDistributionChart);
}

std::string stress_section(const Context& ctx) {
  std::string out = "## Stress tests\n\n";
  const Json& s = ctx.section("stress");
  if (!section_ok(s)) return out + not_available(s) + ctx.chart(kStressImpactsChart);
  out += "Worst of " + plural(number(s, "scenarios_count"), "scenario", "scenarios") + ": " +
         text_of(s, "worst_scenario") + ", P&L " + amount_of(s, "worst_pnl_amount") + " (" +
         percent_of(s, "worst_pnl_pct") + ").\n\n";
  // One row per scenario, its direct and correlated results side by side ("—" for a method not run),
  // in the order the scenarios first appear.
  std::vector<std::string> names;
  std::map<std::string, std::vector<std::string>> rows;
  for (const Json& r : array(s, "scenarios")) {
    const std::string name = text_of(r, "name");
    auto [it, added] = rows.try_emplace(name, std::vector<std::string>{name, text(r, "description"), "—", "—", "—", "—"});
    if (added) names.push_back(name);
    const std::size_t col = text(r, "method") == "correlated" ? 4 : 2;
    it->second[col] = amount_of(r, "pnl_amount");
    it->second[col + 1] = percent_of(r, "pnl_pct");
  }
  Table t({"Scenario", "Description", "Direct P&L", "Direct %", "Correlated P&L", "Correlated %"}, "llrrrr");
  for (const auto& name : names) t.row(rows.at(name));
  return out + (t.empty() ? "" : t.render()) + ctx.chart(kStressImpactsChart);
}

std::string pairs_table(const Json& pairs, const char* title) {
  Table t({title, "With", "Correlation"}, "llr");
  for (const Json& p : pairs) t.row({text_of(p, "a"), text_of(p, "b"), decimal_of(p, "correlation")});
  return t.empty() ? "" : t.render();
}

std::string correlation_section(const Context& ctx) {
  std::string out = "## Correlation highlights\n\n";
  const Json& c = ctx.section("correlation");
  if (!section_ok(c)) return out + not_available(c);
  out += "Average pairwise correlation " + decimal_of(c, "average_pairwise") + " across " +
         plural(number(c, "symbols_count"), "symbol", "symbols") + " over " +
         plural(number(c, "window_days"), "day", "days") +
         (c.contains("position_average_pairwise")
              ? " (" + decimal_of(c, "position_average_pairwise") + " across the " +
                    plural(number(c, "positions_count"), "position", "positions") +
                    " in the delta view, where a short or a put counts against its asset)"
              : std::string()) +
         "; diversification ratio " +
         decimal_of(c, "diversification_ratio") + ", effective number of bets " +
         decimal_of(c, "effective_bets") + ".\n\n";
  return out + pairs_table(array(c, "highest_pairs"), "Most correlated") +
         pairs_table(array(c, "lowest_pairs"), "Least correlated");
}

std::string concentration_section(const Context& ctx) {
  std::string out = "## Concentration\n\n";
  const Json& c = ctx.section("concentration");
  if (!section_ok(c)) return out + not_available(c);
  out += "Herfindahl index " + decimal_of(c, "hhi", 4) + " (effective number of positions " +
         decimal_of(c, "effective_positions") + "); the largest position is " + percent_of(c, "top1_weight") +
         " of gross exposure, the top 5 " + percent_of(c, "top5_weight") + ", the top 10 " +
         percent_of(c, "top10_weight") + ".\n\n";
  Table l({"Largest positions", "Weight"}, "lr");
  for (const Json& r : array(c, "largest")) l.row({text_of(r, "symbol"), percent_of(r, "weight")});
  Table s({"Sector", "Weight"}, "lr");
  for (const Json& r : array(c, "by_sector")) s.row({text_of(r, "sector"), percent_of(r, "weight")});
  return out + (l.empty() ? "" : l.render()) + (s.empty() ? "" : s.render());
}

std::string history_section(const Context& ctx) {
  std::string out = "## Value history\n\n";
  const Json& h = ctx.section("history");
  if (!section_ok(h)) return out + not_available(h) + ctx.chart(kValueHistoryChart);
  out += ctx.chart(kValueHistoryChart);
  const Json& points = array(h, "points");
  constexpr std::size_t kShown = 10;
  const std::size_t first = points.size() > kShown ? points.size() - kShown : 0;
  Table t({"As of", "Net value", "1-day P&L", "VaR", "ES"}, "lrrrr");
  for (std::size_t i = first; i < points.size(); ++i) {
    const Json& p = points[i];
    t.row({text_of(p, "as_of"), amount_of(p, "net_value_amount"), amount_of(p, "pnl_1d_amount"),
           amount_of(p, "var_amount"), amount_of(p, "es_amount")});
  }
  if (t.empty()) return out + "No snapshots stored yet.\n\n";
  if (first > 0)
    out += "The last " + std::to_string(kShown) + " of " + std::to_string(points.size()) + " snapshots:\n\n";
  return out + t.render();
}

std::string data_quality_section(const Context& ctx) {
  std::string out = "## Data quality\n\n";
  const Json& d = ctx.section("data_quality");
  if (!section_ok(d)) return out + not_available(d);
  out += plural(number(d, "symbols_checked"), "symbol", "symbols") +
         " checked: " + plural(number(d, "gaps_count"), "gap", "gaps") + ", " + count_of(d, "stale_count") +
         " stale, " + plural(number(d, "outliers_count"), "outlier", "outliers") + ", " +
         count_of(d, "missing_count") + " missing.\n\n";
  Table t({"Symbol", "Issue", "Date", "Detail"}, "llll");
  for (const Json& i : array(d, "issues"))
    t.row({text_of(i, "symbol"), text_of(i, "kind"), text_of(i, "date"), text(i, "detail")});
  return out + (t.empty() ? "No issues found.\n\n" : t.render());
}

std::string steps_section(const Context& ctx) {
  std::string out = "## Run steps\n\n";
  const Json& steps = array(ctx.report, "steps");
  if (steps.empty()) return out + "N/A — the report does not list its run steps\n\n";
  Table t({"Step", "Status", "Time (ms)", "Message"}, "llrl");
  double total_ms = 0;
  for (const Json& s : steps) {
    const double ms = number(s, "elapsed_ms");
    if (std::isfinite(ms)) total_ms += ms;
    t.row({text_of(s, "name"), text_of(s, "status"), format_number(ms, 2), text(s, "message")});
  }
  t.row({"total", "", format_number(total_ms, 2), ""});
  return out + t.render();
}

}  // namespace

std::map<std::string, std::string> render_markdown_report(const nlohmann::json& report) {
  if (!report.is_object())
    throw Error::invalid_input("a report must be a JSON object (schema " + std::string(kReportSchema) + ")");
  const std::vector<ReportChart> charts = render_report_charts(report);
  const Context ctx{report, charts};
  std::string md;
  md += title_section(ctx);
  md += summary_section(ctx);
  md += positions_section(ctx);
  md += greeks_section(ctx);
  md += factors_section(ctx);
  md += var_section(ctx);
  md += stress_section(ctx);
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

}  // namespace keel::report
