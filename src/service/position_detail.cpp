// position_detail (keel/service/position_detail.h).
#include "keel/service/position_detail.h"

#include <fmt/format.h>

#include "keel/core/error.h"
#include "keel/service/report_build.h"
#include "keel/store/store.h"

namespace keel::service {
namespace {

// Positions are told apart by what a row shows of them: symbol, strategy and quantity.
bool same_position(const Position& p, const ReportPositionRow& row) {
  return row.symbol == p.symbol && row.strategy.value_or("") == p.strategy && row.quantity == p.quantity;
}

}  // namespace

PositionDetail position_detail(const Context& cx, const PositionDetailRequest& req) {
  Store& store = require_store(cx, "a stored portfolio is read");
  const PortfolioSummary summary = resolve_portfolio(cx, req.portfolio);
  std::vector<std::int64_t> numbers;
  const std::vector<Position> stored = store.positions(cx.actor.tenant, summary.name, &numbers);
  const std::size_t k = stored_position_index(summary.name, numbers, req.position);
  const Position& wanted = stored[k];

  ReportRequest rr;
  rr.source.portfolio = summary.name;
  rr.source.as_of = req.as_of;
  rr.only_steps = {"exposures", "greeks"};
  rr.with_history = false;
  const Report report = build_report(cx, rr);

  PositionDetail out;
  out.id = req.position;
  out.position = position_record(wanted);
  out.portfolio = summary.name;
  out.as_of = report.as_of;
  out.reporting_currency = report.summary.currency;
  out.rate_source = report.provenance.rate_source;
  out.warnings = report.provenance.warnings;
  // The row of the n-th stored position that looks like this one is the n-th such row (rows follow
  // the stored order, without the positions entered after the as-of date).
  std::size_t nth = 0;
  for (std::size_t i = 0; i < k; ++i) {
    const Position& p = stored[i];
    if (p.symbol == wanted.symbol && p.strategy == wanted.strategy && p.quantity == wanted.quantity) ++nth;
  }
  const bool held = !wanted.entry_date || report.as_of.empty() || wanted.entry_date->to_string() <= report.as_of;
  if (held) {
    for (const ReportPositionRow& row : report.positions.rows) {
      if (!same_position(wanted, row)) continue;
      if (nth-- == 0) {
        out.valuation.emplace(row);
        break;
      }
    }
  }
  // (One entered after the as-of date is named in the book's warnings already.)
  if (!out.valuation && held) out.warnings.push_back(fmt::format("{} could not be valued on {}", wanted.symbol, report.as_of));
  return out;
}

}  // namespace keel::service
