// keel/report/report_schema.h: fixed names of the report.json contract (schema "keel.report/2").
//
// report.json is the document the daily batch produces (service::build_report) and the renderers
// consume (Markdown + SVG charts, positions.csv, report.xlsx). The field names are the contract,
// described in full in docs/reports.md; this header holds the few lists both sides must agree on
// in code: the positions.csv columns in order, the section names and the chart file names.
//
// Thread-safety: constants only.
#pragma once

#include <array>
#include <string_view>

namespace keel::report {

inline constexpr std::string_view kReportSchema = "keel.report/2";

// Keys of one positions.rows object, in the order of the positions.csv columns (37 columns; a
// value is null where it does not apply, e.g. the Greeks of a stock).
inline constexpr std::array<std::string_view, 37> kPositionColumns = {
    "symbol",
    "type",
    "underlying",
    "option_type",
    "strike",
    "expiry",
    "quantity",
    "multiplier",
    "sector",
    "strategy",
    "tags",
    "currency",
    "entry_price",
    "entry_date",
    "price",
    "price_date",
    "price_source",
    "market_value_amount",
    "weight",
    "cost_basis_amount",
    "unrealized_pnl_amount",
    "pnl_1d_amount",
    "notional_amount",
    "delta",
    "delta_adjusted_amount",
    "gamma",
    "dollar_gamma_1pct_amount",
    "vega_per_point_amount",
    "theta_per_day_amount",
    "rho_per_point_amount",
    "implied_vol",
    "beta_mkt",
    "factor_r2",
    "component_var_amount",
    "component_var_pct",
    "marginal_var",
    "stress_worst_pnl_amount",
};

// Section objects of the report, in document order. Each has "status" ("ok" | "n/a" | "failed")
// and, unless ok, "reason". ("steps" is an array, not a section object.)
inline constexpr std::array<std::string_view, 12> kReportSections = {
    "provenance", "summary", "data_quality", "positions",   "exposures",     "greeks",
    "factors",    "var",     "stress",       "correlation", "concentration", "history",
};

// Chart files, relative to the report folder.
inline constexpr std::string_view kPnlDistributionChart = "pnl_distribution.svg";
inline constexpr std::string_view kExposureBySectorChart = "exposure_by_sector.svg";
inline constexpr std::string_view kFactorBetasChart = "factor_betas.svg";
inline constexpr std::string_view kStressImpactsChart = "stress_impacts.svg";
inline constexpr std::string_view kValueHistoryChart = "value_history.svg";

}  // namespace keel::report
