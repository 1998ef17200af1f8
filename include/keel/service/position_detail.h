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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

// Throws keel::Error: not_found for an unknown portfolio or position id; as build_report when the
// book cannot be valued at all.
PositionDetail position_detail(const Context& cx, const PositionDetailRequest& request);

}  // namespace keel::service
