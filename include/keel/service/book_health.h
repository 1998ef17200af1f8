// keel/service/book_health.h: health checks of a book (`keel health`, POST
// /api/v1/portfolios/{id}/health) — the rules a portfolio review runs by hand, each with the
// figure behind it, the limit it was held to and the positions that make it (docs/health.md).
//
// The book is valued as the exposures use case values it (price_book: options at their model
// value, every amount in the reporting currency). Weights are of the gross market value
// Σ|MV_i|, so a long-short book is weighed by what it holds, not by its small net. The checks:
//
//   position      the largest holding of one symbol (its options' market values included)
//   top_five      the five largest holdings together
//   sector        the largest sector (the position's, else the security master's)
//   unclassified  holdings with no sector, which the sector check cannot see
//   foreign       holdings quoted in another currency than the book's (FX risk)
//   cash          cash positions (cash drag)
//   stale_prices  holdings whose last close is older than `stale_days` before the as-of date
//   expiring      options expiring within `expiry_days` of the as-of date
//   unvalued      positions that could not be valued (no price, no volatility)
//
// Each check is `ok`, `warn` (above its limit) or `alert` (stale prices and unvalued positions:
// the figures above cannot be trusted), or `na` when the book has nothing it applies to. A read:
// nothing is kept, nothing audited beyond what pricing reads.
//
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "keel/service/exposures.h"

namespace keel::service {

struct BookHealthRequest {
  BookRiskRequest book;
  double max_position_weight = 0.10;
  double max_top_five_weight = 0.50;
  double max_sector_weight = 0.30;
  double max_unclassified_weight = 0.10;
  double max_foreign_weight = 0.50;
  double max_cash_weight = 0.10;
  int stale_days = 7;
  int expiry_days = 7;

  static constexpr const char* kSchemaName = "BookHealthRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct HealthCheck {
  std::string id;       // position, top_five, sector, unclassified, foreign, cash, stale_prices, expiring, unvalued
  std::string status;   // ok, warn, alert or na
  spec::Nullable<double> figure;  // the measured value (a weight, or a count for expiring and unvalued)
  double limit = 0.0;             // what it is held to (a weight, or a count)
  std::string unit;               // "fraction of gross" or "positions"
  std::string subject;            // what the figure is of: a symbol, a sector, a currency ("" when none)
  std::vector<std::string> positions;  // the symbols that make the figure, largest first (at most 20)

  static constexpr const char* kSchemaName = "HealthCheck";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct BookHealthResult {
  ValuationHeader header;
  std::optional<std::int64_t> portfolio_id;  // HTTP
  std::string currency;
  double gross_amount = 0.0;
  std::vector<HealthCheck> checks;
  std::size_t warnings = 0;  // checks in warn
  std::size_t alerts = 0;    // checks in alert
  int stale_days = 7;        // the request's: what stale_prices and expiring were measured with
  int expiry_days = 7;

  static constexpr const char* kSchemaName = "BookHealthResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Prices the book (price_book: its cost admitted) and runs the checks. Throws as price_book does,
// and invalid_input for a limit outside [0, 1] or a negative day count.
BookHealthResult book_health(const Context& cx, const BookHealthRequest& request);

}  // namespace keel::service
