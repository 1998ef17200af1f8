// keel/service/ledger_tearsheet.h: an account's performance against a benchmark on one page —
// `keel report tearsheet --account A --benchmark SPY`, GET /api/v1/accounts/{id}/tearsheet — as one
// offline HTML file (inline SVG charts, no script, no external resource) or its Markdown twin
// (docs/ledger.md, "Tearsheet").
//
// ledger_tearsheet builds the model from the ledger's own use cases and recomputes none of their
// figures: ledger_performance with its daily series and the benchmark comparison (TWR, CAGR,
// XIRR, volatility, Sharpe, Sortino, drawdowns, excess return, tracking error, information
// ratio, beta, alpha, capture, month and year returns, rolling twelve months, the same flows in
// the benchmark), ledger_income by month and by symbol, ledger_gains and ledger_holdings for the
// contributions by symbol. The benchmark's Sharpe, Sortino and Calmar are measure_performance
// (keel/ledger/performance.h) of its daily index, so they follow the account's formulas.
// render_tearsheet writes it; the same model gives byte-identical output.
//
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/service/context.h"
#include "keel/service/ledger_holdings.h"
#include "keel/service/ledger_income.h"
#include "keel/service/ledger_source.h"
#include "keel/service/rules.h"
#include "keel/service/spec.h"

namespace keel::service {

// A read: any role of the tenant may build it; nothing is stored, so nothing is audited.
inline constexpr UseCase kLedgerTearsheet{"build account tearsheets", Permission::kRead, ""};

enum class TearsheetFormat { kHtml, kMarkdown, kJson };
inline constexpr spec::Choice<TearsheetFormat> kTearsheetFormatNames[] = {
    {TearsheetFormat::kHtml, "html"}, {TearsheetFormat::kMarkdown, "md"}, {TearsheetFormat::kJson, "json"}};

// `keel report tearsheet --account A --benchmark SPY [--from D] [--to D]`,
// GET /api/v1/accounts/{id}/tearsheet?benchmark=SPY.
struct LedgerTearsheetRequest {
  LedgerSource source;
  std::optional<Date> from;  // default: the first transaction
  std::optional<Date> to;    // default: as_of, else the later of the last transaction and price
  std::optional<std::string> benchmark;
  double risk_free = 0.0;
  int periods_per_year = 252;
  // Absent: HTML over HTTP; on the command line the extension of --out, else HTML.
  std::optional<TearsheetFormat> format;

  static constexpr const char* kSchemaName = "LedgerTearsheetRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// One row of the metrics table: the account's figure and the benchmark's (null where the figure
// has no benchmark side, e.g. tracking error).
struct TearsheetMetric {
  std::string key;    // the field of `keel ledger performance --json` it comes from
  std::string label;  // "Time-weighted return"
  std::string unit;   // fraction, fraction per year, ratio or account currency
  spec::Nullable<double> portfolio;
  spec::Nullable<double> benchmark;

  static constexpr const char* kSchemaName = "TearsheetMetric";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// One day of two curves: the account's and the benchmark's.
struct TearsheetPoint {
  std::string date;
  double portfolio = 0.0;
  double benchmark = 0.0;

  static constexpr const char* kSchemaName = "TearsheetPoint";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// One year of the monthly returns table.
struct TearsheetYear {
  std::string year;
  std::vector<double> months;  // 12 time-weighted returns, January first; NaN (null) outside the period
  double total = 0.0;          // the calendar year (or its part inside the period)
  double benchmark = 0.0;
  double excess = 0.0;

  static constexpr const char* kSchemaName = "TearsheetYear";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// What one symbol gained the account over the period.
struct TearsheetContributor {
  std::string symbol;
  ledger::Decimal realized;            // gains of the sales in the period
  ledger::Decimal unrealized_change;   // unrealized at the end - unrealized at the start
  ledger::Decimal income;              // gross income paid in the period
  ledger::Decimal total;
  bool unpriced = false;               // no price at the start or end: its unrealized counts as 0 there

  static constexpr const char* kSchemaName = "TearsheetContributor";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct TearsheetContributions {
  std::vector<TearsheetContributor> symbols;  // largest total first
  ledger::Decimal total;                      // of the symbols
  double account_gain = 0.0;                  // end_value - start_value - net_flows
  double other = 0.0;                         // account_gain - total: cash interest, fees, rounding

  static constexpr const char* kSchemaName = "TearsheetContributions";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct TearsheetIncome {
  IncomeTotalsResult totals;                // paid in the period
  IncomeTotalsResult trailing_12m;          // the twelve months up to the end
  ProjectedIncomeResult projected_12m;      // the next twelve months
  spec::Nullable<double> yield_on_cost;     // projected gross / basis of the paying holdings
  std::vector<IncomeGroupResult> by_month;
  std::vector<IncomeGroupResult> by_symbol;

  static constexpr const char* kSchemaName = "TearsheetIncome";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct LedgerTearsheet {
  std::string scope;      // the account, or "household"
  std::string benchmark;  // as asked
  std::vector<BenchmarkComponentResult> components;
  std::string currency;   // the accounts' currency
  std::string start;
  std::string end;
  int days = 0;
  double start_value = 0.0;
  double end_value = 0.0;
  double net_flows = 0.0;
  std::vector<TearsheetMetric> metrics;
  PerformanceDrawdown max_drawdown;
  PerformanceDrawdown benchmark_drawdown;
  BenchmarkSameFlows same_flows;
  std::vector<TearsheetPoint> cumulative;  // W_t - 1 and B_t - 1, daily
  std::vector<TearsheetPoint> drawdown;    // daily, >= 0
  std::vector<TearsheetYear> years;
  std::vector<RollingWindowResult> rolling_12m;
  TearsheetContributions contributions;
  TearsheetIncome income;
  double risk_free_rate = 0.0;
  int periods_per_year = 0;
  std::string source;
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "LedgerTearsheet";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Throws what ledger_performance throws (invalid_input naming `benchmark` for a bad benchmark or
// one without prices), usage without a benchmark, forbidden for a role without read.
LedgerTearsheet ledger_tearsheet(const Context& cx, const LedgerTearsheetRequest& request);

// The tearsheet as a document: HTML (one file: inline CSS and SVG, no script, no external URL;
// every text from data escaped), Markdown (the same sections, charts as tables) or the model's JSON.
struct TearsheetDocument {
  std::string body;
  std::string media_type;  // text/html; charset=utf-8, text/markdown; charset=utf-8, application/json
};
TearsheetDocument render_tearsheet(const LedgerTearsheet& tearsheet, TearsheetFormat format);
std::string tearsheet_html(const LedgerTearsheet& tearsheet);
std::string tearsheet_markdown(const LedgerTearsheet& tearsheet);

}  // namespace keel::service
