// keel/service/alm_runs.h: the IRRBB runs — `keel alm eve|nii|gap`, POST /api/v1/alm/{eve,nii,gap}
// (and the same on a session, GET /api/v1/alm/sessions/{id}/{eve,nii,gap}), the assistant's EVE and
// NII tools and keel.alm in Python — and the stored curves a run may name (GET /api/v1/alm/curves).
//
// A request names a balance sheet (a file or an uploaded text; or a stored session), one curve
// per currency (a `tenor,rate` file, the wide Treasury par file with a date, or a curve stored by
// `keel import curve`), the shock table (built-in unless a file is given), the as-of date, Tier 1
// and FX rates. The use cases read and validate everything (all problems at once, nothing stored
// when any input is bad), run keel::alm::run_irrbb and return typed results (AlmEveResult,
// AlmNiiResult, AlmGapResult). Requests and results are described structs (keel/service/spec.h):
// the CLI flags, the HTTP body, the JSON and the OpenAPI schemas all come from their `fields`;
// docs/alm.md explains each figure.
// Files named on the command line are read through the Context's Env (the HTTP face may not name
// files: it sends the CSV texts inline); uploaded texts are parsed in memory, never written to disk.
// A run on a session (AlmRequest::session, keel/service/alm_sessions.h) reads the session's inputs
// and settings from the store, and writes nothing: what a session keeps (its inputs and the results
// computed when it was created) changes only through its own operations, so a run with overrides
// (?tier1=, ?nii_horizon_months=) by one user does not change what the others read.
//
// Thread-safety: stateless; the Store must not be shared across threads.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "keel/alm/irrbb.h"
#include "keel/core/date.h"
#include "keel/io/readers.h"
#include "keel/portfolio/market_data.h"
#include "keel/service/admission.h"
#include "keel/service/context.h"
#include "keel/service/curve_names.h"
#include "keel/service/spec.h"
#include "keel/store/store.h"

namespace keel::service {

// One currency's curve: the CSV text (HTTP), a file (the CLI's --curve), or a curve stored with
// `keel import curve`.
struct AlmCurveInput {
  std::string currency;                 // empty: AlmRequest::currency
  std::optional<std::string> text;      // `tenor,rate` or the wide Treasury file, inline
  std::optional<std::string> stored;    // or a curve stored with `keel import curve` (by name)
  CurveKind kind = CurveKind::kZero;    // how a `tenor,rate` file is quoted
  io::RateUnits units = io::RateUnits::kDecimal;
  std::optional<Date> date;             // row of a dated file; also the stored curve's date
  // Not described: where the text came from (error messages), or a file to read through the Env.
  std::string name = "curve";
  std::optional<std::string> file;

  static constexpr const char* kSchemaName = "AlmCurve";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "currency", .help = "ISO currency of the curve (default: the request's currency)"}, s.currency);
    v.field({.name = "text", .help = "The curve CSV: tenor,rate or the dated Treasury file (date,1 Mo,...)"}, s.text);
    v.field({.name = "stored", .help = "Or the name of a curve stored by `keel import curve`"}, s.stored);
    v.choice({.name = "kind", .help = "How tenor,rate files are quoted"}, s.kind, kCurveKindNames);
    v.choice({.name = "units", .help = "Rate units"}, s.units, kRateUnitsNames);
    v.field({.name = "date", .help = "Row of a dated curve file; also the stored curve's date"}, s.date);
  }
};

// POST /api/v1/alm/{eve,nii,gap}, `keel alm eve|nii|gap`, and the inputs of a new session. Texts
// over HTTP, files on the command line; the CLI's curve and FX forms ([CCY=]FILE, CCY=RATE) are
// turned into `curves` and `fx` by the use case.
// How NII is split into periods: months from the as-of date, or calendar months.
enum class NiiBuckets { kAnniversary, kCalendar };
inline constexpr spec::Choice<NiiBuckets> kNiiBucketsNames[] = {{NiiBuckets::kAnniversary, "anniversary"},
                                                                {NiiBuckets::kCalendar, "calendar"}};

struct AlmRequest {
  std::optional<std::string> balance_sheet;       // HTTP: the CSV text
  std::optional<std::string> balance_sheet_zip;   // HTTP: a zip of CSVs, base64
  std::optional<std::string> balance_sheet_file;  // CLI: the CSV file
  std::optional<std::string> session;             // or a stored session
  std::vector<AlmCurveInput> curves;              // HTTP
  std::vector<std::string> curve_files;           // CLI: [CCY=]FILE
  std::vector<std::string> stored_curves;         // CLI: [CCY=]NAME
  CurveKind curve_type = CurveKind::kZero;        // CLI: of every --curve
  io::RateUnits rate_units = io::RateUnits::kDecimal;
  std::optional<Date> curve_date;                 // CLI: of every --curve / --stored-curve
  std::optional<std::string> currency;            // reporting and default position currency (USD)
  std::optional<Date> as_of;                      // default: the curve's date
  std::optional<double> tier1;                    // reporting currency
  std::optional<std::string> shock_table;         // HTTP: CSV text; default: built-in table
  std::optional<std::string> shock_table_file;    // CLI
  std::optional<std::string> scenarios;           // HTTP: CSV text name,tenor,shift_bp
  std::optional<std::string> scenarios_file;      // CLI
  std::map<std::string, double> fx;               // reporting units per unit of currency
  std::vector<std::string> fx_pairs;              // CLI: CCY=RATE
  std::optional<int> nii_horizon_months;          // 12
  std::optional<bool> floor;                      // HTTP: post-shock floor (true)
  bool no_floor = false;                          // CLI
  std::optional<double> gain_weight;              // 0.5 (EU); 0 for BCBS
  // A stored macro series of rates in percent and a look-back, "SERIES[:MONTHS]" (fred:DGS10:12):
  // its move over the look-back sizes the parallel shock of the reporting currency (docs/macro.md).
  std::optional<std::string> rate_driver;
  std::optional<NiiBuckets> nii_buckets;          // default anniversary, or the session's
  bool skip_inactive = false;                     // drop matured and forward-starting rows, with a warning
  // Not described: set by the face.
  std::string balance_sheet_name = "balance_sheet";  // names the inline text in messages

  static constexpr const char* kSchemaName = "AlmRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "balance_sheet", .help = "The balance-sheet CSV (docs/alm.md columns), inline",
             .faces = spec::kHttp},
            s.balance_sheet);
    v.field({.name = "balance_sheet_zip",
             .help = "Or a zip archive of balance-sheet CSVs (every .csv entry, one book), base64", .faces = spec::kHttp},
            s.balance_sheet_zip);
    v.field({.name = "balance_sheet_file",
             .help = "Balance-sheet CSV (docs/alm.md columns), or a .zip of them (every .csv entry, one book)",
             .faces = spec::kCli, .cli_name = "balance-sheet"},
            s.balance_sheet_file);
    v.field({.name = "session", .help = "Use a stored ALM session instead of a balance sheet and curves"},
            s.session);
    v.field({.name = "curves", .help = "One curve per currency", .faces = spec::kHttp}, s.curves);
    v.field({.name = "curve_files",
             .help = "Curve file, [CCY=]FILE (repeat per currency): tenor,rate or the dated Treasury file",
             .faces = spec::kCli,
             .cli_name = "curve"},
            s.curve_files);
    v.field({.name = "stored_curves", .help = "Curve stored by `keel import curve`, [CCY=]NAME",
             .faces = spec::kCli, .cli_name = "stored-curve"},
            s.stored_curves);
    v.choice({.name = "curve_type", .help = "How tenor,rate files are quoted", .faces = spec::kCli}, s.curve_type,
             kCurveKindNames);
    v.choice({.name = "rate_units", .help = "Curve rate units", .faces = spec::kCli}, s.rate_units,
             kRateUnitsNames);
    v.field({.name = "curve_date", .help = "Row of a dated curve file; also the default as-of date",
             .faces = spec::kCli, .cli_name = "date"},
            s.curve_date);
    v.field({.name = "currency", .help = "Reporting currency and default position/curve currency (default USD)"},
            s.currency);
    v.field({.name = "as_of", .help = "Valuation date (default: the curve's date)"}, s.as_of);
    v.field({.name = "tier1", .help = "Tier 1 capital for the outlier tests", .unit = "reporting currency",
             .min = 0, .min_exclusive = true},
            s.tier1);
    v.field({.name = "shock_table",
             .help = "Shock sizes CSV currency,parallel_bp,short_bp,long_bp, inline (default: built-in EU table)",
             .faces = spec::kHttp},
            s.shock_table);
    v.field({.name = "shock_table_file",
             .help = "Shock sizes CSV currency,parallel_bp,short_bp,long_bp (default: built-in EU table)",
             .faces = spec::kCli, .cli_name = "shock-table"},
            s.shock_table_file);
    v.field({.name = "scenarios", .help = "User-defined EVE scenarios CSV name,tenor,shift_bp, inline",
             .faces = spec::kHttp},
            s.scenarios);
    v.field({.name = "scenarios_file", .help = "User-defined EVE scenarios CSV: name,tenor,shift_bp",
             .faces = spec::kCli, .cli_name = "scenarios"},
            s.scenarios_file);
    v.field({.name = "fx", .help = "FX to the reporting currency by currency", .unit = "reporting units per unit",
             .min = 0, .min_exclusive = true, .faces = spec::kHttp},
            s.fx);
    v.field({.name = "fx_pairs", .help = "FX to the reporting currency, CCY=RATE (repeat)", .faces = spec::kCli,
             .cli_name = "fx"},
            s.fx_pairs);
    v.field({.name = "nii_horizon_months", .help = "NII horizon (default 12, or the session's)", .unit = "months",
             .min = 1, .max = 600, .cli_name = "horizon-months"},
            s.nii_horizon_months);
    v.field({.name = "floor", .help = "Apply the post-shock floor (default true, or the session's)",
             .faces = spec::kHttp},
            s.floor);
    v.field({.name = "no_floor", .help = "Do not apply the post-shock floor", .faces = spec::kCli}, s.no_floor);
    v.field({.name = "gain_weight",
             .help = "Weight of gains when aggregating currencies (default 0.5 EU, 0 for BCBS)", .min = 0, .max = 1},
            s.gain_weight);
    v.choice({.name = "nii_buckets",
              .help = "NII periods: months from the as-of date (anniversary, the default) or calendar months (a "
                      "stub to the 1st of the next month, whole months, a stub to the horizon's end)"},
             s.nii_buckets, kNiiBucketsNames);
    v.field({.name = "skip_inactive",
             .help = "Leave out positions matured on or before the as-of date and those starting after it, with a "
                     "warning naming them (default: such a row is an error)"},
            s.skip_inactive);
    v.field({.name = "rate_driver",
             .help = "Size the reporting currency's parallel shock (EVE and NII) by a stored macro series' move: "
                     "SERIES[:MONTHS] (percent; default 12 months), e.g. fred:DGS10"},
            s.rate_driver);
  }
};

// Everything a run needs, read and validated.
struct AlmInputs {
  alm::BalanceSheet book;
  std::map<std::string, CurveData> curves;  // as quoted, by currency
  std::optional<alm::ShockTable> user_shocks;
  alm::AlmMarket market;
  alm::AlmOptions options;
  std::vector<std::string> warnings;
  std::optional<std::int64_t> session_id;
  std::optional<std::string> rate_driver;  // how AlmRequest::rate_driver sized the parallel shock
};

// Throws keel::Error: usage (no balance sheet, no curve, no as-of date), not_found (file, stored
// curve or session), invalid_input (every bad row of every file); payload_too_large when running
// them would be over the actor's limits (alm_cost; keel/service/admission.h), since every caller
// runs the engine on what it loads.
AlmInputs load_alm_inputs(const Context& cx, const AlmRequest& request);

// What one run of the IRRBB engine on `in` costs: scenarios (the base, the six standard shocks and
// the custom ones; twice, for EVE and NII) x the payments of every position from the as-of date to
// its maturity (a non-maturity deposit: monthly over its behavioural life). ALM runs have no job
// kind: a balance sheet over the foreground limit is refused, naming the positions.
ComputeCost alm_cost(const AlmInputs& in);

// ---- results ----------------------------------------------------------------------------------

struct AlmOutlierTest {
  spec::Nullable<double> tier1;
  spec::Nullable<double> ratio;
  spec::Nullable<bool> outlier;
  double threshold = 0.0;
  std::optional<double> limit;  // threshold x tier1

  static constexpr const char* kSchemaName = "AlmOutlierTest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "tier1", .help = "Tier 1 capital (null when not given)", .unit = "reporting currency"},
            s.tier1);
    v.field({.name = "ratio", .help = "Worst regulatory decline over Tier 1 (positive = decline)",
             .unit = "fraction"},
            s.ratio);
    v.field({.name = "outlier", .help = "ratio above threshold (null without Tier 1)"}, s.outlier);
    v.field({.name = "threshold", .help = "0.15 for EVE (SOT), 0.05 for NII", .unit = "fraction"}, s.threshold);
    v.field({.name = "limit",
             .help = "threshold x Tier 1: the largest regulatory decline that is not an outlier (left out "
                     "without Tier 1)",
             .unit = "reporting currency"},
            s.limit);
  }
};

struct AlmWorst {
  std::string name;
  double delta = 0.0;

  static constexpr const char* kSchemaName = "AlmWorst";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "name", .help = "Scenario with the most negative regulatory delta"}, s.name);
    v.field({.name = "delta", .help = "Its regulatory delta", .unit = "reporting currency"}, s.delta);
  }
};

struct AlmEveScenario {
  std::string name;
  double eve = 0.0;
  double delta = 0.0;
  double delta_regulatory = 0.0;
  double assets = 0.0;
  double liabilities = 0.0;
  double eve_standardised = 0.0;

  static constexpr const char* kSchemaName = "AlmEveScenario";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "name", .help = "parallel_up, parallel_down, steepener, flattener, short_up, short_down "
                                     "or a user-defined scenario"},
            s.name);
    v.field({.name = "eve", .help = "PV of assets minus PV of liabilities", .unit = "currency"}, s.eve);
    v.field({.name = "delta", .help = "eve minus base eve", .unit = "currency"}, s.delta);
    v.field({.name = "delta_regulatory", .help = "Losses in full, gains times gain_weight, over currencies",
             .unit = "currency"},
            s.delta_regulatory);
    v.field({.name = "assets", .help = "PV of asset cash flows", .unit = "currency"}, s.assets);
    v.field({.name = "liabilities", .help = "PV of liability cash flows", .unit = "currency"}, s.liabilities);
    v.field({.name = "eve_standardised", .help = "EVE with flows slotted at the 19 bucket midpoints",
             .unit = "currency"},
            s.eve_standardised);
  }
};

struct AlmEveCurrency {
  std::string currency;
  std::size_t positions = 0;
  double fx_rate = 1.0;
  double base = 0.0;
  double base_standardised = 0.0;
  std::vector<AlmEveScenario> scenarios;

  static constexpr const char* kSchemaName = "AlmEveCurrency";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "currency"}, s.currency);
    v.field({.name = "positions"}, s.positions);
    v.field({.name = "fx_rate", .unit = "reporting units per unit"}, s.fx_rate);
    v.field({.name = "base", .help = "Base EVE", .unit = "currency"}, s.base);
    v.field({.name = "base_standardised", .help = "Base EVE, standardised", .unit = "currency"},
            s.base_standardised);
    v.field({.name = "scenarios"}, s.scenarios);
  }
};

// Economic value of equity under the six supervisory shocks (and user-defined scenarios).
struct AlmEveResult {
  std::string as_of;
  std::string currency;
  std::size_t positions = 0;
  double base = 0.0;
  double base_assets = 0.0;
  double base_liabilities = 0.0;
  double base_standardised = 0.0;
  std::vector<AlmEveScenario> scenarios;
  AlmWorst worst;
  AlmOutlierTest sot;
  std::vector<AlmEveCurrency> currencies;
  std::optional<std::string> rate_driver;  // with AlmRequest::rate_driver: the series, its move, the shock
  std::vector<std::string> warnings;       // what reading the inputs noted (rows skipped, ...)
  std::optional<std::int64_t> session_id;  // HTTP runs on a session

  static constexpr const char* kSchemaName = "AlmEveResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "as_of", .help = "Valuation date, YYYY-MM-DD"}, s.as_of);
    v.field({.name = "currency", .help = "Reporting currency"}, s.currency);
    v.field({.name = "positions"}, s.positions);
    v.field({.name = "base", .help = "Base EVE", .unit = "reporting currency"}, s.base);
    v.field({.name = "base_assets", .unit = "reporting currency"}, s.base_assets);
    v.field({.name = "base_liabilities", .unit = "reporting currency"}, s.base_liabilities);
    v.field({.name = "base_standardised", .unit = "reporting currency"}, s.base_standardised);
    v.field({.name = "scenarios", .help = "Aggregated over currencies"}, s.scenarios);
    v.field({.name = "worst"}, s.worst);
    v.field({.name = "sot", .help = "Supervisory outlier test"}, s.sot);
    v.field({.name = "currencies"}, s.currencies);
    v.field({.name = "rate_driver",
             .help = "With rate_driver: the series' two observations, their difference and the parallel shock it gave"},
            s.rate_driver);
    v.field({.name = "warnings", .help = "What reading the inputs noted: rows left out (skip_inactive), columns ignored"},
            s.warnings);
    v.field({.name = "session_id", .help = "The session the run used (HTTP session runs)"}, s.session_id);
  }
};

struct AlmNiiScenario {
  std::string name;
  double nii = 0.0;
  double delta = 0.0;
  double delta_regulatory = 0.0;
  double income = 0.0;
  double expense = 0.0;

  static constexpr const char* kSchemaName = "AlmNiiScenario";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "name", .help = "parallel_up or parallel_down"}, s.name);
    v.field({.name = "nii", .help = "Net interest income over the horizon", .unit = "currency"}, s.nii);
    v.field({.name = "delta", .help = "nii minus base nii", .unit = "currency"}, s.delta);
    v.field({.name = "delta_regulatory", .help = "Losses in full, gains times gain_weight, over currencies",
             .unit = "currency"},
            s.delta_regulatory);
    v.field({.name = "income", .help = "Asset interest", .unit = "currency"}, s.income);
    v.field({.name = "expense", .help = "Liability interest", .unit = "currency"}, s.expense);
  }
};

struct AlmNiiMonth {
  std::size_t month = 0;
  std::string start;
  std::string end;
  double base = 0.0;
  std::optional<double> parallel_up;
  std::optional<double> parallel_down;

  static constexpr const char* kSchemaName = "AlmNiiMonth";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "month", .help = "1 = the first period of the horizon"}, s.month);
    v.field({.name = "start", .help = "First day of the period, YYYY-MM-DD"}, s.start);
    v.field({.name = "end", .help = "The day after the period's last, YYYY-MM-DD"}, s.end);
    v.field({.name = "base", .help = "Base NII of the month", .unit = "currency"}, s.base);
    v.field({.name = "parallel_up", .unit = "currency"}, s.parallel_up);
    v.field({.name = "parallel_down", .unit = "currency"}, s.parallel_down);
  }
};

struct AlmNiiCurrency {
  std::string currency;
  std::size_t positions = 0;
  double fx_rate = 1.0;
  double base = 0.0;
  std::vector<AlmNiiScenario> scenarios;
  std::vector<AlmNiiMonth> monthly;

  static constexpr const char* kSchemaName = "AlmNiiCurrency";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "currency"}, s.currency);
    v.field({.name = "positions"}, s.positions);
    v.field({.name = "fx_rate", .unit = "reporting units per unit"}, s.fx_rate);
    v.field({.name = "base", .help = "Base NII", .unit = "currency"}, s.base);
    v.field({.name = "scenarios"}, s.scenarios);
    v.field({.name = "monthly"}, s.monthly);
  }
};

// Net interest income over the horizon under parallel up and down.
struct AlmNiiResult {
  std::string as_of;
  std::string currency;
  std::size_t positions = 0;
  std::size_t horizon_months = 0;
  std::string nii_buckets = "anniversary";
  double base = 0.0;
  double base_income = 0.0;
  double base_expense = 0.0;
  std::vector<AlmNiiScenario> scenarios;
  AlmWorst worst;
  AlmOutlierTest outlier_test;
  std::vector<AlmNiiMonth> monthly;
  std::vector<AlmNiiCurrency> currencies;
  std::optional<std::string> rate_driver;  // with AlmRequest::rate_driver: the series, its move, the shock
  std::vector<std::string> warnings;       // what reading the inputs noted (rows skipped, ...)
  std::optional<std::int64_t> session_id;

  static constexpr const char* kSchemaName = "AlmNiiResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "as_of", .help = "Valuation date, YYYY-MM-DD"}, s.as_of);
    v.field({.name = "currency", .help = "Reporting currency"}, s.currency);
    v.field({.name = "positions"}, s.positions);
    v.field({.name = "horizon_months", .unit = "months"}, s.horizon_months);
    v.field({.name = "nii_buckets", .help = "How `monthly` splits the horizon: anniversary or calendar"},
            s.nii_buckets);
    v.field({.name = "base", .help = "Base NII", .unit = "reporting currency"}, s.base);
    v.field({.name = "base_income", .unit = "reporting currency"}, s.base_income);
    v.field({.name = "base_expense", .unit = "reporting currency"}, s.base_expense);
    v.field({.name = "scenarios"}, s.scenarios);
    v.field({.name = "worst"}, s.worst);
    v.field({.name = "outlier_test", .help = "NII outlier test"}, s.outlier_test);
    v.field({.name = "monthly"}, s.monthly);
    v.field({.name = "currencies"}, s.currencies);
    v.field({.name = "rate_driver",
             .help = "With rate_driver: the series' two observations, their difference and the parallel shock it gave"},
            s.rate_driver);
    v.field({.name = "warnings", .help = "What reading the inputs noted: rows left out (skip_inactive), columns ignored"},
            s.warnings);
    v.field({.name = "session_id", .help = "The session the run used (HTTP session runs)"}, s.session_id);
  }
};

struct AlmGapBucket {
  std::string name;
  double from_years = 0.0;
  spec::Nullable<double> to_years;  // null: open-ended
  double midpoint_years = 0.0;
  double assets = 0.0;
  double liabilities = 0.0;
  double gap = 0.0;
  double cumulative_gap = 0.0;

  static constexpr const char* kSchemaName = "AlmGapBucket";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "name", .help = "BCBS time bucket"}, s.name);
    v.field({.name = "from_years", .unit = "years"}, s.from_years);
    v.field({.name = "to_years", .help = "null for the last, open-ended bucket", .unit = "years"}, s.to_years);
    v.field({.name = "midpoint_years", .unit = "years"}, s.midpoint_years);
    v.field({.name = "assets", .help = "Asset notional repricing in the bucket", .unit = "currency"}, s.assets);
    v.field({.name = "liabilities", .unit = "currency"}, s.liabilities);
    v.field({.name = "gap", .help = "assets minus liabilities", .unit = "currency"}, s.gap);
    v.field({.name = "cumulative_gap", .unit = "currency"}, s.cumulative_gap);
  }
};

struct AlmGapCurrency {
  std::string currency;
  std::size_t positions = 0;
  double fx_rate = 1.0;
  std::vector<AlmGapBucket> buckets;

  static constexpr const char* kSchemaName = "AlmGapCurrency";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "currency"}, s.currency);
    v.field({.name = "positions"}, s.positions);
    v.field({.name = "fx_rate", .unit = "reporting units per unit"}, s.fx_rate);
    v.field({.name = "buckets"}, s.buckets);
  }
};

// Repricing gap over the 19 BCBS time buckets.
struct AlmGapResult {
  std::string as_of;
  std::string currency;
  std::size_t positions = 0;
  std::vector<AlmGapBucket> buckets;
  std::vector<AlmGapCurrency> currencies;
  std::optional<std::int64_t> session_id;
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "AlmGapResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "as_of", .help = "Valuation date, YYYY-MM-DD"}, s.as_of);
    v.field({.name = "currency", .help = "Reporting currency"}, s.currency);
    v.field({.name = "positions"}, s.positions);
    v.field({.name = "buckets", .help = "In the reporting currency"}, s.buckets);
    v.field({.name = "currencies"}, s.currencies);
    v.field({.name = "session_id", .help = "The session the run used (HTTP session runs)"}, s.session_id);
    v.field({.name = "warnings", .help = "What reading the inputs noted: rows left out (skip_inactive), columns ignored"},
            s.warnings);
  }
};

AlmEveResult eve_result(const alm::AlmResult& r);
AlmNiiResult nii_result(const alm::AlmResult& r);
AlmGapResult gap_result(const alm::AlmResult& r);

// The commands. A run reads, and keeps nothing.
AlmEveResult alm_eve(const Context& cx, const AlmRequest& request);
AlmNiiResult alm_nii(const Context& cx, const AlmRequest& request);
AlmGapResult alm_gap(const Context& cx, const AlmRequest& request);

// GET /api/v1/alm/curves: the curves stored with `keel import curve` a request may name as
// {"stored": name, "date": as_of}.
struct AlmStoredCurve {
  std::string name;
  spec::Nullable<std::string> as_of;
  std::string kind;
  std::string currency;
  std::size_t points = 0;

  static constexpr const char* kSchemaName = "AlmStoredCurve";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "name", .help = "The name a request gives as curves[].stored"}, s.name);
    v.field({.name = "as_of", .help = "The curve's date (curves[].date), null for an undated curve"}, s.as_of);
    v.field({.name = "kind", .help = "zero or par, as the curve was quoted"}, s.kind);
    v.field({.name = "currency"}, s.currency);
    v.field({.name = "points", .help = "Tenors quoted"}, s.points);
  }
};

struct AlmStoredCurves {
  std::vector<AlmStoredCurve> items;

  static constexpr const char* kSchemaName = "AlmStoredCurves";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "items", .help = "By name, then date"}, s.items);
  }
};
AlmStoredCurves alm_stored_curves(const Context& cx);
}  // namespace keel::service
