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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

struct AlmWorst {
  std::string name;
  double delta = 0.0;

  static constexpr const char* kSchemaName = "AlmWorst";
  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

struct AlmGapCurrency {
  std::string currency;
  std::size_t positions = 0;
  double fx_rate = 1.0;
  std::vector<AlmGapBucket> buckets;

  static constexpr const char* kSchemaName = "AlmGapCurrency";
  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

struct AlmStoredCurves {
  std::vector<AlmStoredCurve> items;

  static constexpr const char* kSchemaName = "AlmStoredCurves";
  template <class V, class S>
  static void fields(V& v, S& s);
};
AlmStoredCurves alm_stored_curves(const Context& cx);
}  // namespace keel::service
