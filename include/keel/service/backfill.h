// keel/service/backfill.h: a portfolio's history, built after the fact — `keel batch backfill`,
// POST /api/v1/batch/backfill and the batch.backfill job.
//
// backfill_history runs the batch's analyses (build_report, keel/service/report_build.h) for each
// portfolio on each price date between `from` and `to`, and stores each day's snapshot (the one
// `keel batch run` stores: keel/store/snapshot_repository.h; a day already kept is replaced). A
// day's book holds only the positions entered by that day (load_book leaves out those with a later
// entry date and says so); a day on which none was held, and a weekday without a price for any of
// the book's symbols, is skipped and named with the reason. No report files are written.
//
// The days are independent, so they run in parallel: `threads` workers, each with its own
// connection to the store (BackfillRequest::open_store); without an opener (an in-memory store,
// the server's job, which runs on one worker so that a backfill does not take the shared server
// from everyone) they run one after another on the Context's store. The figures of a day do not
// depend on the thread count: Monte Carlo seeds are the request's.
//
// Thread-safety: the Context's store is used on the calling thread only; each worker's store on
// that worker only. The progress callback is called on the calling thread.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/service/admission.h"
#include "keel/service/context.h"
#include "keel/service/report_build.h"
#include "keel/service/spec.h"

namespace keel {
class Store;
}

namespace keel::service {

// The steps a backfill runs unless told otherwise: what a snapshot holds (value and 1-day P&L,
// VaR and ES, the backtest's zone, the market beta), and the snapshot.
inline constexpr const char* kBackfillDefaultSteps[] = {"exposures", "factors", "var", "backtest", "snapshot"};

struct BackfillRequest {
  std::vector<std::string> portfolios;  // names (over HTTP ids or names); empty = every portfolio
  Date from;
  Date to;
  // Steps of the batch (kBatchStepNames, without market-data and reports); empty:
  // kBackfillDefaultSteps. The snapshot is always among them.
  std::vector<std::string> steps;
  std::size_t threads = 0;  // workers; 0 = the machine's cores (1 without open_store)
  ReportRequest report;     // settings of every day's analyses (its source is ignored)
  // Opens another connection to the Context's store, one per worker; null: one worker.
  std::function<std::unique_ptr<Store>()> open_store;
  // Called with the days done and in all (portfolio x price date), at most once per day.
  std::function<void(std::size_t done, std::size_t total)> progress;

  static constexpr const char* kSchemaName = "BackfillRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// One portfolio on one day.
struct BackfillDay {
  std::string portfolio;
  std::string as_of;
  std::string status;   // stored, partial (stored, a step failed), skipped or failed (nothing stored)
  std::string message;  // why it was skipped or failed; the failed steps of a partial day
  spec::Nullable<double> net_value_amount;
  spec::Nullable<double> pnl_1d_amount;
  spec::Nullable<double> var_amount;
  double elapsed_ms = 0.0;

  static constexpr const char* kSchemaName = "BackfillDay";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct BackfillResult {
  std::string from;
  std::string to;
  std::string tenant;
  std::vector<std::string> portfolios;
  std::vector<BackfillDay> days;  // by portfolio, then date
  std::size_t stored = 0;
  std::size_t partial = 0;
  std::size_t skipped = 0;
  std::size_t failed = 0;
  std::size_t threads = 1;
  double elapsed_ms = 0.0;

  static constexpr const char* kSchemaName = "BackfillResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// What a backfill costs: its days x the portfolio's positions, at the measured rate of one
// position's analyses on one day (the time of one worker). Reads the store (the portfolios and
// their price dates); throws as backfill_history before it computes.
ComputeCost backfill_cost(const Context& cx, const BackfillRequest& request);

// Throws keel::Error: invalid_input for from after to, for more than kMaxBackfillDays calendar days,
// or for a step that is not a backfill step (market-data, reports, or not a batch step), naming
// the field.
inline constexpr int kMaxBackfillDays = 366 * 30;
void check_backfill_request(const BackfillRequest& request);

// `keel batch backfill`, POST /api/v1/batch/backfill (job batch.backfill). Throws keel::Error as
// check_backfill_request; usage without a store; not_found naming every unknown portfolio (nothing
// runs then); invalid_input when the tenant has no portfolios; payload_too_large when the cost is
// over the limits (keel/service/admission.h). A day's failure is the day's, not the backfill's.
BackfillResult backfill_history(const Context& cx, const BackfillRequest& request);

}  // namespace keel::service
