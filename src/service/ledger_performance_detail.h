// Private: the ledger use cases that need prices, on a ledger the caller has loaded (and booked)
// once. The tearsheet (keel/service/ledger_tearsheet.h) draws performance, income, gains and
// holdings from one ledger: loading and booking a million rows once instead of once per part.
#pragma once

#include <future>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "keel/ledger/valuation.h"
#include "keel/service/ledger_holdings.h"
#include "keel/service/ledger_income.h"

namespace keel::service::ledger_detail {

// Closes per symbol, from the source's prices file or text (read once, here), else the store.
class LedgerPrices {
 public:
  LedgerPrices(Store* store, const LedgerSource& source, std::vector<std::string>& warnings, const Files& files);

  // The latest date with a close (of the file; the store's latest).
  std::optional<Date> last_date();
  // The last close on or before `as_of`.
  std::optional<ledger::Quote> quote(const std::string& symbol, Date as_of);
  // The closes of `symbols` on every date in [from, to] any of them has one.
  PriceHistory history(const std::vector<std::string>& symbols, Date from, Date to);

 private:
  Store* store_;
  bool from_file_ = false;
  std::map<std::string, std::vector<std::pair<Date, double>>> series_;
};

// The source's prices read on another thread while the caller reads and books the ledger (the
// two files are independent; with a store, or no prices, nothing is read ahead). The reader's
// warnings go to `*warnings`, which must outlive the future; get() rethrows its error.
std::future<LedgerPrices> read_prices_ahead(const Context& cx, const LedgerSource& source,
                                           std::vector<std::string>* warnings);

// The warnings of read_prices_ahead after the ledger's: a report read from a prices file states
// both the ledger's warnings and the prices file's (the reader fills a vector of its own, as it
// runs on another thread while the ledger is read).
void take_price_warnings(const LedgerSource& source, std::vector<std::string>& price_warnings, LoadedLedger& l);

// ledger_performance(cx, request) on `l` (loaded from request.source) and its prices; with a
// benchmark, `*benchmark_index` (when not null) receives the benchmark index B_t of
// keel/ledger/benchmark.h, one per point of the daily series (1 at the first).
LedgerPerformanceResult performance_of(const Context& cx, const LedgerPerformanceRequest& request, LoadedLedger& l,
                                       LedgerPrices& prices, std::vector<double>* benchmark_index);

// The income rows of `l` (loaded from request.source with as_of = request.to) read for `request`
// (ledger::IncomeHistory) on another thread, so that they are read while `l` is booked: up to
// request.to, else the source's as_of, else the last transaction or close of `prices`. `l` must
// outlive the future.
std::future<ledger::IncomeHistory> income_history_ahead(const LedgerIncomeRequest& request,
                                                        const LoadedLedger& l, LedgerPrices& prices);

// ledger_income(cx, request) on `l`, its booking `b` and its income_history_ahead; `*other_groups`
// (when not null) receives the payments grouped by `other_by` too.
LedgerIncomeResult income_of(const Context& cx, const LedgerIncomeRequest& request, const LoadedLedger& l,
                             const ledger::BookResult& b, LedgerPrices& prices, ledger::IncomeHistory history,
                             ledger::IncomeGrouping other_by = ledger::IncomeGrouping::kMonth,
                             std::vector<IncomeGroupResult>* other_groups = nullptr);

// ledger_holdings(cx, {source}) on `l` (loaded from source) and its booking `b`.
LedgerHoldingsResult holdings_of(const Context& cx, const LedgerSource& source, const LoadedLedger& l,
                                 const ledger::BookResult& b, LedgerPrices& prices,
                                 const std::optional<std::string>& reporting_currency = std::nullopt);

// `l` as load_ledger would have loaded it with as_of: the rows dated up to `as_of` with their
// conversions (the statement's cash per currency, conversion.cash, is not carried: no caller of a
// prefix reads it).
LoadedLedger loaded_up_to(const LoadedLedger& l, Date as_of);

}  // namespace keel::service::ledger_detail
