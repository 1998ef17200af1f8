// Private: ledger_performance (keel/service/ledger_holdings.h) with what its result leaves out and
// the tearsheet (keel/service/ledger_tearsheet.h) draws: the benchmark's daily index.
#pragma once

#include <vector>

#include "keel/service/ledger_holdings.h"

namespace keel::service::ledger_detail {

// ledger_performance(cx, request); with a benchmark, `*benchmark_index` (when not null) receives
// the benchmark index B_t of keel/ledger/benchmark.h, one per point of the daily series (1 at the
// first).
LedgerPerformanceResult performance_with_index(const Context& cx, const LedgerPerformanceRequest& request,
                                               std::vector<double>* benchmark_index);

}  // namespace keel::service::ledger_detail
