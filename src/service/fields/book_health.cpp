// The descriptions of the requests and results of keel/service/book_health.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/book_health.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void BookHealthRequest::fields(V& v, S& s) {
  v.flatten(s.book);
  v.field({.name = "max_position_weight", .help = "Largest holding of one symbol before a warning",
           .unit = "fraction of gross", .min = 0, .max = 1},
          s.max_position_weight);
  v.field({.name = "max_top_five_weight", .help = "The five largest holdings together",
           .unit = "fraction of gross", .min = 0, .max = 1},
          s.max_top_five_weight);
  v.field({.name = "max_sector_weight", .help = "Largest sector", .unit = "fraction of gross", .min = 0, .max = 1},
          s.max_sector_weight);
  v.field({.name = "max_unclassified_weight", .help = "Holdings with no sector",
           .unit = "fraction of gross", .min = 0, .max = 1},
          s.max_unclassified_weight);
  v.field({.name = "max_foreign_weight", .help = "Holdings in other currencies than the book's",
           .unit = "fraction of gross", .min = 0, .max = 1},
          s.max_foreign_weight);
  v.field({.name = "max_cash_weight", .help = "Cash positions", .unit = "fraction of gross", .min = 0, .max = 1},
          s.max_cash_weight);
  v.field({.name = "stale_days", .help = "A last close older than this before the as-of date is stale",
           .unit = "calendar days", .min = 0, .max = 3650},
          s.stale_days);
  v.field({.name = "expiry_days", .help = "Options expiring within this many days are listed",
           .unit = "calendar days", .min = 0, .max = 3650},
          s.expiry_days);
}
KEEL_SPEC_REQUEST_FIELDS(BookHealthRequest)

template <class V, class S>
void HealthCheck::fields(V& v, S& s) {
  v.field({.name = "id",
           .help = "position, top_five, sector, unclassified, foreign, cash, stale_prices, expiring or unvalued"},
          s.id);
  v.field({.name = "status", .help = "ok, warn (above its limit), alert (the figures cannot be trusted) or na"},
          s.status);
  v.field({.name = "figure", .help = "The measured value: a weight, or a count of positions (null when na)"},
          s.figure);
  v.field({.name = "limit", .help = "The limit the figure is held to"}, s.limit);
  v.field({.name = "unit", .help = "fraction of gross, or positions"}, s.unit);
  v.field({.name = "subject", .help = "What the figure is of: a symbol, a sector, a currency (\"\" when none)"},
          s.subject);
  v.field({.name = "positions", .help = "The symbols that make the figure, largest first (at most 20)"},
          s.positions);
}
KEEL_SPEC_FIELDS(HealthCheck)

template <class V, class S>
void BookHealthResult::fields(V& v, S& s) {
  v.flatten(s.header);
  v.field({.name = "portfolio_id", .help = "The stored portfolio's id (HTTP)"}, s.portfolio_id);
  v.field({.name = "currency", .help = "The book's reporting currency"}, s.currency);
  v.field({.name = "gross_amount", .help = "Σ|market value|, what the weights are of", .unit = "reporting currency"},
          s.gross_amount);
  v.field({.name = "checks", .help = "In a fixed order"}, s.checks);
  v.field({.name = "warnings", .help = "Checks in warn"}, s.warnings);
  v.field({.name = "alerts", .help = "Checks in alert"}, s.alerts);
  v.field({.name = "stale_days", .help = "stale_prices counts closes older than this", .unit = "calendar days"},
          s.stale_days);
  v.field({.name = "expiry_days", .help = "expiring counts options expiring within this", .unit = "calendar days"},
          s.expiry_days);
}
KEEL_SPEC_FIELDS(BookHealthResult)

}  // namespace keel::service
