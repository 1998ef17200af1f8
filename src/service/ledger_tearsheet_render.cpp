// The tearsheet as HTML and as Markdown (keel/service/ledger_tearsheet.h): the sections are built
// once as plain text — paragraphs, tables, charts — and each renderer escapes every text it writes
// (report::xml_escape for HTML, the report's Markdown escaping for Markdown), so that no name from
// the data can become markup in either.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "keel/report/report_format.h"
#include "keel/report/svg_chart.h"
#include "keel/service/ledger_tearsheet.h"
#include "markdown_text.h"

namespace keel::service {
namespace {

using report::format_amount;
using report::format_number;
using report::format_percent;

constexpr const char* kNa = "n/a";

// A table of plain texts; `shade` (HTML only) colours a cell by a signed figure (NaN: none).
struct Table {
  std::string caption;
  std::vector<std::string> headers;
  std::string align;  // 'l' or 'r' per column
  std::vector<std::vector<std::string>> rows;
  std::vector<std::vector<double>> shade;
};

// An SVG chart (HTML only: its data is in the section's tables, which the Markdown shows).
struct Chart {
  std::string svg;
  std::string title;
  std::string desc;
};

struct Section {
  std::string heading;
  std::vector<std::string> paragraphs;
  std::vector<Chart> charts;
  std::vector<std::string> closing;  // after the tables
  std::vector<Table> tables;
  bool tables_alternative = false;  // HTML: the tables are the charts' data, folded under them
};

std::string percent(double v) {
  return std::isfinite(v) ? format_percent(v) : kNa;
}
std::string ratio(double v) {
  return std::isfinite(v) ? format_number(v, 2) : kNa;
}
std::string amount(double v) {
  return std::isfinite(v) ? format_amount(v) : kNa;
}
std::string amount(ledger::Decimal v) {
  return format_amount(v.to_double());
}
std::string words(const spec::Nullable<std::string>& v) {
  return v ? *v : kNa;
}

std::string metric_text(const spec::Nullable<double>& v, const std::string& unit) {
  if (!v) return "—";
  if (unit == "ratio") return ratio(*v);
  if (unit == "account currency") return amount(*v);
  return percent(*v);
}

std::string benchmark_words(const LedgerTearsheet& t) {
  if (t.components.size() <= 1) return t.benchmark;
  std::string out;
  for (const auto& c : t.components) out += (out.empty() ? "" : ", ") + format_percent(c.weight, 0) + " " + c.symbol;
  return t.benchmark + " (" + out + ", rebalanced monthly)";
}

Section title_section(const LedgerTearsheet& t) {
  Section s;
  s.heading = "Tearsheet: " + t.scope + " against " + t.benchmark;
  s.paragraphs.push_back(fmt::format("Period {} to {} ({} days) · currency {} · benchmark {} · source {}", t.start,
                                     t.end, t.days, t.currency, benchmark_words(t), t.source));
  s.paragraphs.push_back(fmt::format("Value {} at the start, {} at the end; net flows {}.", amount(t.start_value),
                                     amount(t.end_value), amount(t.net_flows)));
  return s;
}

Section metrics_section(const LedgerTearsheet& t) {
  Section s;
  s.heading = "Metrics";
  Table m{"", {"Metric", "Portfolio", "Benchmark"}, "lrr", {}, {}};
  for (const auto& x : t.metrics) m.rows.push_back({x.label, metric_text(x.portfolio, x.unit), metric_text(x.benchmark, x.unit)});
  s.tables.push_back(std::move(m));
  Table d{"Maximum drawdown", {"", "Depth", "Peak", "Trough", "Recovery"}, "lrlll", {}, {}};
  for (const auto& [name, dd] : {std::pair<const char*, const PerformanceDrawdown*>{"Portfolio", &t.max_drawdown},
                                 {"Benchmark", &t.benchmark_drawdown}}) {
    d.rows.push_back({name, percent(dd->depth), words(dd->peak), words(dd->trough),
                      dd->recovery ? *dd->recovery : std::string("not recovered")});
  }
  s.tables.push_back(std::move(d));
  const auto& f = t.same_flows;
  s.closing.push_back(fmt::format(
      "Had every flow of the account bought {} instead: end value {} (XIRR {}) against the account's {}; "
      "difference {}.",
      t.benchmark, amount(f.end_value), f.xirr ? percent(*f.xirr) : kNa, amount(f.portfolio_end_value),
      amount(f.difference)));
  return s;
}

// The last point of each month.
std::vector<std::size_t> month_ends(const std::vector<TearsheetPoint>& points) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const bool last = i + 1 == points.size() || points[i + 1].date.compare(0, 7, points[i].date, 0, 7) != 0;
    if (last) out.push_back(i);
  }
  return out;
}

Chart line_chart(const std::vector<TearsheetPoint>& points, const std::string& benchmark, double sign,
                 const std::string& title, const std::string& value_label, const std::string& desc) {
  std::vector<std::string> x;
  report::LineSeries p{"Portfolio", {}}, b{benchmark, {}};
  for (const auto& pt : points) {
    x.push_back(pt.date);
    p.y.push_back(sign * pt.portfolio);
    b.y.push_back(sign * pt.benchmark);
  }
  report::ChartStyle style;
  style.title = title;
  style.value_label = value_label;
  style.percent_ticks = true;
  const std::vector<report::LineSeries> series{p, b};
  return {report::multi_line_chart_svg(x, series, style), title, desc};
}

Section growth_section(const LedgerTearsheet& t) {
  Section s;
  s.heading = "Cumulative return and drawdown";
  s.charts.push_back(line_chart(
      t.cumulative, t.benchmark, 1.0, "Cumulative time-weighted return", "cumulative return",
      fmt::format("Daily cumulative return from {} to {}: the portfolio ends at {}, {} at {}.", t.start, t.end,
                  t.cumulative.empty() ? kNa : percent(t.cumulative.back().portfolio), t.benchmark,
                  t.cumulative.empty() ? kNa : percent(t.cumulative.back().benchmark))));
  s.charts.push_back(line_chart(
      t.drawdown, t.benchmark, -1.0, "Drawdown from the running peak (underwater)", "drawdown",
      fmt::format("Daily drawdown from the running peak: the portfolio's deepest is {} (peak {}, trough {}), {}'s "
                  "{}.",
                  percent(t.max_drawdown.depth), words(t.max_drawdown.peak), words(t.max_drawdown.trough),
                  t.benchmark, percent(t.benchmark_drawdown.depth))));
  Table m{"At each month end",
          {"Month end", "Portfolio return", "Benchmark return", "Portfolio drawdown", "Benchmark drawdown"},
          "lrrrr",
          {},
          {}};
  for (const std::size_t i : month_ends(t.cumulative)) {
    const auto& c = t.cumulative[i];
    const auto& d = t.drawdown[i];
    m.rows.push_back({c.date, percent(c.portfolio), percent(c.benchmark), percent(d.portfolio), percent(d.benchmark)});
  }
  s.tables.push_back(std::move(m));
  s.tables_alternative = true;
  return s;
}

Section monthly_section(const LedgerTearsheet& t) {
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  Section s;
  s.heading = "Monthly returns";
  s.paragraphs.push_back("Time-weighted return of each month; the year's columns are the calendar year inside the "
                         "period, the benchmark's and the difference.");
  Table m{"", {"Year"}, "l", {}, {}};
  for (const char* month : kMonths) {
    m.headers.push_back(month);
    m.align += 'r';
  }
  for (const char* h : {"Year", "Benchmark", "Excess"}) {
    m.headers.push_back(h);
    m.align += 'r';
  }
  for (const auto& y : t.years) {
    std::vector<std::string> row{y.year};
    std::vector<double> shade{std::nan("")};
    for (std::size_t i = 0; i < 12; ++i) {
      const double v = i < y.months.size() ? y.months[i] : std::nan("");
      row.push_back(std::isfinite(v) ? percent(v) : "");
      shade.push_back(v);
    }
    row.push_back(percent(y.total));
    row.push_back(percent(y.benchmark));
    row.push_back(percent(y.excess));
    shade.insert(shade.end(), {y.total, std::nan(""), y.excess});
    m.rows.push_back(std::move(row));
    m.shade.push_back(std::move(shade));
  }
  s.tables.push_back(std::move(m));
  return s;
}

Section rolling_section(const LedgerTearsheet& t) {
  Section s;
  s.heading = "Rolling twelve months";
  if (t.rolling_12m.empty()) {
    s.paragraphs.push_back("No window: the period has no month end with a full year behind it.");
    return s;
  }
  std::vector<std::string> x;
  report::LineSeries pr{"Portfolio return", {}}, br{t.benchmark + " return", {}};
  report::LineSeries pv{"Portfolio volatility", {}}, bv{t.benchmark + " volatility", {}};
  report::LineSeries beta{"Beta", {}};
  Table m{"Each window is the year up to a month end",
          {"Window end", "Portfolio return", "Benchmark return", "Portfolio volatility", "Benchmark volatility", "Beta"},
          "lrrrrr",
          {},
          {}};
  for (const auto& w : t.rolling_12m) {
    x.push_back(w.end);
    pr.y.push_back(w.portfolio_return);
    br.y.push_back(w.benchmark_return);
    pv.y.push_back(w.portfolio_volatility);
    bv.y.push_back(w.benchmark_volatility);
    beta.y.push_back(w.beta);
    m.rows.push_back({w.end, percent(w.portfolio_return), percent(w.benchmark_return), percent(w.portfolio_volatility),
                      percent(w.benchmark_volatility), ratio(w.beta)});
  }
  const std::string range = x.front() + " to " + x.back();
  report::ChartStyle style;
  style.percent_ticks = true;
  style.title = "Rolling 12-month return";
  style.value_label = "return over the year to the month end";
  s.charts.push_back({report::multi_line_chart_svg(x, std::vector<report::LineSeries>{pr, br}, style), style.title,
                      "Return of the portfolio and the benchmark over each year ending " + range + "."});
  style.title = "Rolling 12-month volatility";
  style.value_label = "annualised volatility";
  s.charts.push_back({report::multi_line_chart_svg(x, std::vector<report::LineSeries>{pv, bv}, style), style.title,
                      "Annualised volatility of the daily returns over each year ending " + range + "."});
  style.title = "Rolling 12-month beta";
  style.value_label = "beta to the benchmark";
  style.percent_ticks = false;
  s.charts.push_back({report::multi_line_chart_svg(x, std::vector<report::LineSeries>{beta}, style), style.title,
                      "Beta of the daily returns to the benchmark's over each year ending " + range + "."});
  s.tables.push_back(std::move(m));
  s.tables_alternative = true;
  return s;
}

Section contributions_section(const LedgerTearsheet& t) {
  Section s;
  s.heading = "Contributions by symbol";
  const auto& c = t.contributions;
  s.paragraphs.push_back(fmt::format(
      "What each symbol gained the account from {} to {}: the realized gains of its sales in the period, the change "
      "of its unrealized gain from the start's holdings to the end's, and the income it paid (gross).",
      t.start, t.end));
  Table m{"", {"Symbol", "Realized", "Unrealized change", "Income", "Total"}, "lrrrr", {}, {}};
  std::vector<report::Bar> bars;
  bool unpriced = false;
  for (const auto& r : c.symbols) {
    m.rows.push_back({r.symbol + (r.unpriced ? " *" : ""), amount(r.realized), amount(r.unrealized_change),
                      amount(r.income), amount(r.total)});
    bars.push_back({r.symbol, r.total.to_double()});
    unpriced = unpriced || r.unpriced;
  }
  m.rows.push_back({"Symbols", "", "", "", amount(c.total)});
  m.rows.push_back({"Cash interest, fees and other", "", "", "", amount(c.other)});
  m.rows.push_back({"Account gain (end - start - net flows)", "", "", "", amount(c.account_gain)});
  if (!bars.empty()) {
    report::ChartStyle style;
    style.title = "Gain by symbol";
    style.value_label = "gain, " + t.currency;
    style.height_px = static_cast<int>(std::clamp<std::size_t>(80 + 28 * bars.size(), 200, 1200));
    s.charts.push_back({report::bar_chart_svg(bars, style), style.title,
                        "Total gain of each symbol over the period; the table below lists its parts."});
  }
  s.tables.push_back(std::move(m));
  if (unpriced) s.closing.push_back("* No price at the start or the end: its unrealized gain counts as 0 there.");
  return s;
}

Section income_section(const LedgerTearsheet& t) {
  Section s;
  s.heading = "Income";
  const auto& inc = t.income;
  s.paragraphs.push_back(fmt::format(
      "In the period: gross {}, withheld {}, net {} ({} payments). Trailing twelve months: gross {}, net {}. "
      "Projected next twelve months: gross {}, net {}; yield on cost {}.",
      amount(inc.totals.gross), amount(inc.totals.withholding), amount(inc.totals.net), inc.totals.payments,
      amount(inc.trailing_12m.gross), amount(inc.trailing_12m.net), amount(inc.projected_12m.gross),
      amount(inc.projected_12m.net), inc.yield_on_cost ? percent(*inc.yield_on_cost) : kNa));
  Table month{"By month", {"Month", "Gross", "Withheld", "Net", "Payments"}, "lrrrr", {}, {}};
  std::vector<report::Bar> bars;
  for (const auto& g : inc.by_month) {
    month.rows.push_back({g.key, amount(g.totals.gross), amount(g.totals.withholding), amount(g.totals.net),
                          fmt::format("{}", g.totals.payments)});
    bars.push_back({g.key, g.totals.net.to_double()});
  }
  Table symbol{"By symbol", {"Symbol", "Gross", "Withheld", "Net", "Payments"}, "lrrrr", {}, {}};
  for (const auto& g : inc.by_symbol) {
    symbol.rows.push_back({g.key.empty() ? "cash interest" : g.key, amount(g.totals.gross),
                           amount(g.totals.withholding), amount(g.totals.net), fmt::format("{}", g.totals.payments)});
  }
  if (!bars.empty()) {
    report::ChartStyle style;
    style.title = "Net income by month";
    style.value_label = "net income, " + t.currency;
    style.height_px = static_cast<int>(std::clamp<std::size_t>(80 + 28 * bars.size(), 200, 1200));
    s.charts.push_back({report::bar_chart_svg(bars, style), style.title,
                        "Net income received in each month with a payment; the table below lists it."});
  }
  if (month.rows.empty()) s.paragraphs.push_back("No income was paid in the period.");
  else {
    s.tables.push_back(std::move(month));
    s.tables.push_back(std::move(symbol));
  }
  return s;
}

std::vector<Section> sections_of(const LedgerTearsheet& t) {
  std::vector<Section> out{title_section(t),  metrics_section(t),       growth_section(t), monthly_section(t),
                           rolling_section(t), contributions_section(t), income_section(t)};
  Section notes;
  notes.heading = "Notes";
  notes.paragraphs.push_back(fmt::format(
      "Figures are those of keel ledger performance, income, gains and holdings (docs/ledger.md): daily returns, "
      "{} periods a year, risk-free rate {}.",
      t.periods_per_year, format_percent(t.risk_free_rate)));
  for (const auto& w : t.warnings) notes.paragraphs.push_back("Warning: " + w);
  out.push_back(std::move(notes));
  return out;
}

// --- HTML ----------------------------------------------------------------------------------------

std::string h(const std::string& text) {
  return report::xml_escape(text);
}

// A cell's background for a signed figure: green above 0, red below, deeper with |v| / scale.
std::string shade_style(double v, double scale) {
  if (!std::isfinite(v) || v == 0 || scale <= 0) return "";
  const double a = 0.12 + 0.6 * std::min(1.0, std::fabs(v) / scale);
  return v > 0 ? fmt::format(" style=\"background:rgba(47,133,90,{:.2f})\"", a)
               : fmt::format(" style=\"background:rgba(197,48,48,{:.2f})\"", a);
}

std::string html_table(const Table& t) {
  double scale = 0;
  for (const auto& row : t.shade)
    for (const double v : row)
      if (std::isfinite(v)) scale = std::max(scale, std::fabs(v));
  std::string out = "<table>\n";
  if (!t.caption.empty()) out += "<caption>" + h(t.caption) + "</caption>\n";
  out += "<thead><tr>";
  for (std::size_t i = 0; i < t.headers.size(); ++i)
    out += std::string("<th") + (i < t.align.size() && t.align[i] == 'r' ? " class=\"num\"" : "") + " scope=\"col\">" +
           h(t.headers[i]) + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    out += "<tr>";
    for (std::size_t i = 0; i < t.headers.size(); ++i) {
      const std::string text = i < t.rows[r].size() ? t.rows[r][i] : "";
      const double v = r < t.shade.size() && i < t.shade[r].size() ? t.shade[r][i] : std::nan("");
      if (i == 0) {
        out += "<th scope=\"row\">" + h(text) + "</th>";
        continue;
      }
      out += std::string("<td") + (i < t.align.size() && t.align[i] == 'r' ? " class=\"num\"" : "") +
             shade_style(v, scale) + ">" + h(text) + "</td>";
    }
    out += "</tr>\n";
  }
  return out + "</tbody>\n</table>\n";
}

// The chart's SVG with role="img", a <title> and a <desc> (its text alternative) after the opening tag.
std::string html_chart(const Chart& c) {
  std::string svg = c.svg;
  const std::size_t open = svg.find("<svg ");
  const std::size_t close = svg.find('>', open);
  if (open == std::string::npos || close == std::string::npos) return "";
  svg.insert(close + 1, "\n<title>" + h(c.title) + "</title>\n<desc>" + h(c.desc) + "</desc>");
  svg.insert(open + 4, " role=\"img\"");
  return "<figure>\n" + svg + "<figcaption>" + h(c.desc) + "</figcaption>\n</figure>\n";
}

constexpr const char* kStyle = R"(body{font-family:sans-serif;color:#1a202c;max-width:1100px;margin:2em auto;padding:0 1em}
h1{font-size:1.6em}h2{font-size:1.25em;border-bottom:1px solid #cbd5e0;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.8em 0;font-size:.9em}caption{text-align:left;font-weight:bold;padding:.3em 0}
th,td{border:1px solid #cbd5e0;padding:.25em .5em;text-align:left}td.num,th.num{text-align:right}
thead th{background:#edf2f7}figure{margin:1em 0}figcaption{font-size:.85em;color:#4a5568}
svg{max-width:100%;height:auto}details{margin:.5em 0}summary{cursor:pointer;color:#2b6cb0})";

}  // namespace

std::string tearsheet_html(const LedgerTearsheet& t) {
  const auto sections = sections_of(t);
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + h(sections.front().heading) + "</title>\n<style>\n" + kStyle + "\n</style>\n</head>\n<body>\n";
  for (std::size_t i = 0; i < sections.size(); ++i) {
    const Section& s = sections[i];
    out += i == 0 ? "<h1>" + h(s.heading) + "</h1>\n" : "<section>\n<h2>" + h(s.heading) + "</h2>\n";
    for (const auto& p : s.paragraphs) out += "<p>" + h(p) + "</p>\n";
    for (const auto& c : s.charts) out += html_chart(c);
    if (s.tables_alternative && !s.tables.empty()) out += "<details>\n<summary>The charts' data</summary>\n";
    for (const auto& table : s.tables) out += html_table(table);
    if (s.tables_alternative && !s.tables.empty()) out += "</details>\n";
    for (const auto& p : s.closing) out += "<p>" + h(p) + "</p>\n";
    if (i != 0) out += "</section>\n";
  }
  return out + "</body>\n</html>\n";
}

std::string tearsheet_markdown(const LedgerTearsheet& t) {
  using report_detail::md;
  const auto sections = sections_of(t);
  std::string out;
  for (std::size_t i = 0; i < sections.size(); ++i) {
    const Section& s = sections[i];
    out += (i == 0 ? "# " : "## ") + md(s.heading) + "\n\n";
    for (const auto& p : s.paragraphs) out += md(p) + "\n\n";
    for (const auto& table : s.tables) {
      if (!table.caption.empty()) out += md(table.caption) + ":\n\n";
      report_detail::MarkdownTable m(table.headers, table.align);
      for (const auto& row : table.rows) {
        std::vector<std::string> cells;
        for (const auto& c : row) cells.push_back(md(c));
        m.row(std::move(cells));
      }
      out += m.render();
    }
    for (const auto& p : s.closing) out += md(p) + "\n\n";
  }
  return out;
}

}  // namespace keel::service
