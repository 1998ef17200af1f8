// keel/service/position_detail.h: one position with its valuation — `keel portfolio position NAME
// ID` and GET /api/v1/portfolios/{id}/positions/{position}.
//
// position_detail finds the position (by its id, PositionItem::id) and values
// the whole book at the as-of date the way the report does (build_report's exposures and Greeks
// steps, keel/service/report_build.h): its price, market value and weight, cost basis and
// unrealized P&L from its entry price, its 1-day P&L (the change of its value since the previous
// price date), and for an option its delta, gamma, vega, theta and rho in money. The valuation is
// the row the report's positions section (and positions.csv) has for it: the same numbers.
//
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/service/context.h"
#include "keel/service/portfolio_view.h"
#include "keel/service/report.h"
#include "keel/service/spec.h"

namespace keel::service {

struct PositionDetailRequest {
  std::string portfolio;      // id or name (CLI: positional; HTTP: the path's id)
  std::int64_t position = 0;  // its id (PositionItem::id; CLI: positional; HTTP: the path)
  std::optional<Date> as_of;  // default: the store's last price date

  static constexpr const char* kSchemaName = "PositionDetailRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "portfolio", .help = "Portfolio id or name", .faces = spec::kCli, .required = true,
             .cli_positional = true},
            s.portfolio);
    v.field({.name = "position", .help = "The position's id (the id GET .../positions lists)",
             .faces = spec::kCli, .required = true, .cli_positional = true},
            s.position);
    v.field({.name = "as_of", .help = "Value at this date (default: the latest prices)"}, s.as_of);
  }
};

struct PositionDetail {
  std::int64_t id = 0;
  PositionRecord position;
  std::string portfolio;
  std::string as_of;      // the valuation date
  std::string reporting_currency;  // of every *_amount of the valuation
  // The report's row of this position; null when it was not held at as_of (entered later).
  spec::Nullable<ReportPositionRow> valuation;
  std::string rate_source;
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "PositionDetail";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "id", .help = "The position's id within the portfolio, kept across re-imports"}, s.id);
    v.flatten(s.position);
    v.field({.name = "portfolio"}, s.portfolio);
    v.field({.name = "as_of", .help = "Valuation date, YYYY-MM-DD"}, s.as_of);
    v.field({.name = "reporting_currency",
             .help = "Currency of the valuation's amounts (the portfolio's reporting currency)"},
            s.reporting_currency);
    v.field({.name = "valuation",
             .help = "Price, market value, weight, cost basis, unrealized and 1-day P&L, Greeks: the report's row "
                     "(null: not held at as_of)"},
            s.valuation);
    v.field({.name = "rate_source", .help = "Where the options' rates came from (docs/exposures.md)"}, s.rate_source);
    v.field({.name = "warnings", .help = "Warnings of valuing the book"}, s.warnings);
  }
};

// Throws keel::Error: not_found for an unknown portfolio or position id; as build_report when the
// book cannot be valued at all.
PositionDetail position_detail(const Context& cx, const PositionDetailRequest& request);

}  // namespace keel::service
