// The descriptions of the requests and results of keel/service/alm_runs.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/alm_runs.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void AlmCurveInput::fields(V& v, S& s) {
  v.field({.name = "currency", .help = "ISO currency of the curve (default: the request's currency)"}, s.currency);
  v.field({.name = "text", .help = "The curve CSV: tenor,rate or the dated Treasury file (date,1 Mo,...)"}, s.text);
  v.field({.name = "stored", .help = "Or the name of a curve stored by `keel import curve`"}, s.stored);
  v.choice({.name = "kind", .help = "How tenor,rate files are quoted"}, s.kind, kCurveKindNames);
  v.choice({.name = "units", .help = "Rate units"}, s.units, kRateUnitsNames);
  v.field({.name = "date", .help = "Row of a dated curve file; also the stored curve's date"}, s.date);
}
KEEL_SPEC_FIELDS(AlmCurveInput)

template <class V, class S>
void AlmRequest::fields(V& v, S& s) {
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
KEEL_SPEC_REQUEST_FIELDS(AlmRequest)

template <class V, class S>
void AlmOutlierTest::fields(V& v, S& s) {
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
KEEL_SPEC_FIELDS(AlmOutlierTest)

template <class V, class S>
void AlmWorst::fields(V& v, S& s) {
  v.field({.name = "name", .help = "Scenario with the most negative regulatory delta"}, s.name);
  v.field({.name = "delta", .help = "Its regulatory delta", .unit = "reporting currency"}, s.delta);
}
KEEL_SPEC_FIELDS(AlmWorst)

template <class V, class S>
void AlmEveScenario::fields(V& v, S& s) {
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
KEEL_SPEC_FIELDS(AlmEveScenario)

template <class V, class S>
void AlmEveCurrency::fields(V& v, S& s) {
  v.field({.name = "currency"}, s.currency);
  v.field({.name = "positions"}, s.positions);
  v.field({.name = "fx_rate", .unit = "reporting units per unit"}, s.fx_rate);
  v.field({.name = "base", .help = "Base EVE", .unit = "currency"}, s.base);
  v.field({.name = "base_standardised", .help = "Base EVE, standardised", .unit = "currency"},
          s.base_standardised);
  v.field({.name = "scenarios"}, s.scenarios);
}
KEEL_SPEC_FIELDS(AlmEveCurrency)

template <class V, class S>
void AlmEveResult::fields(V& v, S& s) {
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
KEEL_SPEC_REQUEST_FIELDS(AlmEveResult)

template <class V, class S>
void AlmNiiScenario::fields(V& v, S& s) {
  v.field({.name = "name", .help = "parallel_up or parallel_down"}, s.name);
  v.field({.name = "nii", .help = "Net interest income over the horizon", .unit = "currency"}, s.nii);
  v.field({.name = "delta", .help = "nii minus base nii", .unit = "currency"}, s.delta);
  v.field({.name = "delta_regulatory", .help = "Losses in full, gains times gain_weight, over currencies",
           .unit = "currency"},
          s.delta_regulatory);
  v.field({.name = "income", .help = "Asset interest", .unit = "currency"}, s.income);
  v.field({.name = "expense", .help = "Liability interest", .unit = "currency"}, s.expense);
}
KEEL_SPEC_FIELDS(AlmNiiScenario)

template <class V, class S>
void AlmNiiMonth::fields(V& v, S& s) {
  v.field({.name = "month", .help = "1 = the first period of the horizon"}, s.month);
  v.field({.name = "start", .help = "First day of the period, YYYY-MM-DD"}, s.start);
  v.field({.name = "end", .help = "The day after the period's last, YYYY-MM-DD"}, s.end);
  v.field({.name = "base", .help = "Base NII of the month", .unit = "currency"}, s.base);
  v.field({.name = "parallel_up", .unit = "currency"}, s.parallel_up);
  v.field({.name = "parallel_down", .unit = "currency"}, s.parallel_down);
}
KEEL_SPEC_FIELDS(AlmNiiMonth)

template <class V, class S>
void AlmNiiCurrency::fields(V& v, S& s) {
  v.field({.name = "currency"}, s.currency);
  v.field({.name = "positions"}, s.positions);
  v.field({.name = "fx_rate", .unit = "reporting units per unit"}, s.fx_rate);
  v.field({.name = "base", .help = "Base NII", .unit = "currency"}, s.base);
  v.field({.name = "scenarios"}, s.scenarios);
  v.field({.name = "monthly"}, s.monthly);
}
KEEL_SPEC_FIELDS(AlmNiiCurrency)

template <class V, class S>
void AlmNiiResult::fields(V& v, S& s) {
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
KEEL_SPEC_REQUEST_FIELDS(AlmNiiResult)

template <class V, class S>
void AlmGapBucket::fields(V& v, S& s) {
  v.field({.name = "name", .help = "BCBS time bucket"}, s.name);
  v.field({.name = "from_years", .unit = "years"}, s.from_years);
  v.field({.name = "to_years", .help = "null for the last, open-ended bucket", .unit = "years"}, s.to_years);
  v.field({.name = "midpoint_years", .unit = "years"}, s.midpoint_years);
  v.field({.name = "assets", .help = "Asset notional repricing in the bucket", .unit = "currency"}, s.assets);
  v.field({.name = "liabilities", .unit = "currency"}, s.liabilities);
  v.field({.name = "gap", .help = "assets minus liabilities", .unit = "currency"}, s.gap);
  v.field({.name = "cumulative_gap", .unit = "currency"}, s.cumulative_gap);
}
KEEL_SPEC_FIELDS(AlmGapBucket)

template <class V, class S>
void AlmGapCurrency::fields(V& v, S& s) {
  v.field({.name = "currency"}, s.currency);
  v.field({.name = "positions"}, s.positions);
  v.field({.name = "fx_rate", .unit = "reporting units per unit"}, s.fx_rate);
  v.field({.name = "buckets"}, s.buckets);
}
KEEL_SPEC_FIELDS(AlmGapCurrency)

template <class V, class S>
void AlmGapResult::fields(V& v, S& s) {
  v.field({.name = "as_of", .help = "Valuation date, YYYY-MM-DD"}, s.as_of);
  v.field({.name = "currency", .help = "Reporting currency"}, s.currency);
  v.field({.name = "positions"}, s.positions);
  v.field({.name = "buckets", .help = "In the reporting currency"}, s.buckets);
  v.field({.name = "currencies"}, s.currencies);
  v.field({.name = "session_id", .help = "The session the run used (HTTP session runs)"}, s.session_id);
  v.field({.name = "warnings", .help = "What reading the inputs noted: rows left out (skip_inactive), columns ignored"},
          s.warnings);
}
KEEL_SPEC_REQUEST_FIELDS(AlmGapResult)

template <class V, class S>
void AlmStoredCurve::fields(V& v, S& s) {
  v.field({.name = "name", .help = "The name a request gives as curves[].stored"}, s.name);
  v.field({.name = "as_of", .help = "The curve's date (curves[].date), null for an undated curve"}, s.as_of);
  v.field({.name = "kind", .help = "zero or par, as the curve was quoted"}, s.kind);
  v.field({.name = "currency"}, s.currency);
  v.field({.name = "points", .help = "Tenors quoted"}, s.points);
}
KEEL_SPEC_FIELDS(AlmStoredCurve)

template <class V, class S>
void AlmStoredCurves::fields(V& v, S& s) {
  v.field({.name = "items", .help = "By name, then date"}, s.items);
}
KEEL_SPEC_FIELDS(AlmStoredCurves)

}  // namespace keel::service
