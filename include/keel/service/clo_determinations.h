// keel/service/clo_determinations.h: a CLO deal's compliance kept on each determination date —
// `keel clo determine --deal D --as-of DATE`, `keel clo determinations --deal D`,
// POST and GET /api/v1/clo/deals/{id}/determinations.
//
// A determination runs the deal's tests (clo_deal_tests: the collateral quality tests at the
// date with the stored ratings and prices in force then — the latest of each obligor on or before
// it — and the coverage tests) on the deal's latest version (or the one named), and keeps them
// with their cushions for that date; a later determination of the same date replaces it. A test
// that fails is a breach; a passing test whose cushion is under `alert_below` of its threshold (a
// fraction: 0.02 = within 2 % of the trigger) is an alert. Breaches and alerts are published in
// the audit trail (clo.determine, outcome "breach" or "alert" when there are any) and listed in
// the result. A date before the deal's closing is refused. The history gives every kept date with
// each test's value, threshold, cushion and pass, oldest first: a test's cushion over time.
//
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/service/clo.h"
#include "keel/service/context.h"
#include "keel/service/rules.h"
#include "keel/service/spec.h"

namespace keel::service {

// The fields a determination and a backfill share: S has version and alert_below.
template <class V, class S>
void clo_determination_options(V& v, S& s) {
  v.field({.name = "version", .help = "The version tested (default: the latest)", .min = 1}, s.version);
  v.field({.name = "alert_below",
           .help = "A passing test whose cushion is under this fraction of its threshold is an alert",
           .unit = "fraction of the threshold",
           .min = 0,
           .max = 1},
          s.alert_below);
}

inline constexpr UseCase kCloDetermine{"keep CLO determination-date tests", Permission::kCompute, "clo.determine"};

struct CloDetermineRequest {
  std::string deal;  // id or name (CLI: --deal; HTTP: the path's id)
  std::optional<Date> as_of;
  std::optional<std::int64_t> version;  // default: the latest
  double alert_below = 0.02;            // fraction of the threshold

  static constexpr const char* kSchemaName = "CloDetermineRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// One test on one date, as the history shows it.
struct CloTestOnDate {
  std::string name;
  spec::Nullable<double> value;
  double threshold = 0.0;
  std::string bound;
  spec::Nullable<double> cushion;
  bool pass = true;
  std::string kind;  // quality or coverage
  std::optional<std::string> subject;  // the obligor or industry of a rank test

  static constexpr const char* kSchemaName = "CloTestOnDate";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct CloDetermination {
  std::int64_t id = 0;
  std::int64_t deal_id = 0;
  std::string deal;
  std::string as_of;
  std::int64_t version = 0;
  bool passed = false;
  std::size_t breaches = 0;
  std::size_t alerts = 0;
  std::vector<std::string> events;  // "breach: NAME VALUE < THRESHOLD", "alert: ..."
  std::vector<CloTestOnDate> tests;
  std::string determined_at;
  std::string determined_by;

  static constexpr const char* kSchemaName = "CloDetermination";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct CloDeterminationsRequest {
  std::string deal;  // id or name
  std::optional<Date> from;
  std::optional<Date> to;

  static constexpr const char* kSchemaName = "CloDeterminationsRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct CloDeterminations {
  std::int64_t deal_id = 0;
  std::string deal;
  std::vector<CloDetermination> items;  // oldest first

  static constexpr const char* kSchemaName = "CloDeterminations";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// `keel clo backfill --deal D --from D1 --to D2`, POST /api/v1/clo/deals/{id}/determinations/backfill:
// a determination on every month-end from `from` to `to` (both included), each kept and audited as
// clo_determine keeps it; month-ends before the deal's closing are skipped. Its cost (one projection
// per month-end) is stated and admitted before anything runs.
inline constexpr int kMaxBackfillDeterminations = 600;  // 50 years of month-ends

struct CloBackfillRequest {
  std::string deal;  // id or name (CLI: --deal; HTTP: the path's id)
  std::optional<Date> from;
  std::optional<Date> to;
  std::optional<std::int64_t> version;
  double alert_below = 0.02;

  static constexpr const char* kSchemaName = "CloBackfillRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Throws keel::Error: forbidden (kCloDetermine), invalid_input naming as_of (missing, before the
// deal's closing), not_found for a deal or version the tenant does not have, and as
// clo_deal_tests does.
CloDetermination clo_determine(const Context& cx, const CloDetermineRequest& request);
// The same, but nullopt (nothing kept) when the deal closes after as_of, with `closing` set: the
// batch's clo step skips such a deal rather than failing.
std::optional<CloDetermination> clo_determine_if_closed(const Context& cx, const CloDetermineRequest& request,
                                                        Date& closing);

// The month-ends of [from, to] determined, oldest first. Throws as clo_determine, and
// invalid_input for to before from or more than kMaxBackfillDeterminations month-ends.
CloDeterminations clo_backfill(const Context& cx, const CloBackfillRequest& request);

// Reads only (every role). Throws not_found for a deal the tenant does not have.
CloDeterminations clo_determinations(const Context& cx, const CloDeterminationsRequest& request);

}  // namespace keel::service
