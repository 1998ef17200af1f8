// book(): the transactions replayed by partitions of their symbols on the thread pool, merged in
// the order one replay makes (booking_partition.h); keel/ledger/booking.h has the rules.
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cstdint>
#include <exception>
#include <map>
#include <numeric>
#include <string>
#include <string_view>
#include <utility>

#include "booking_partition.h"
#include "names_hash.h"
#include "keel/core/diagnostics.h"
#include "keel/ledger/booking.h"

namespace keel::ledger {
namespace {

using detail::Partial;
using detail::TxScratch;

// True for a row that books lots (a trade, split or share transfer); the rest only move cash or
// record income.
bool books_lots(const Transaction& tx) {
  switch (tx.type) {
    case TxType::kBuy:
    case TxType::kSell:
    case TxType::kSplit: return true;
    case TxType::kTransferIn:
    case TxType::kTransferOut: return !tx.symbol.empty();
    default: return false;
  }
}

// Cash per account and the income rows, in processing order; an exception is kept with its step.
struct CashAndIncome {
  std::map<std::string, Decimal> cash;
  std::vector<IncomeEntry> income;
  std::exception_ptr failure;
  std::uint32_t failure_step = 0;
  bool failed_on_cash = false;  // the exception came from the step's cash effect (before booking)
};

CashAndIncome cash_and_income(std::span<const Transaction> txs, std::span<const std::uint32_t> order) {
  CashAndIncome r;
  Decimal* cash = nullptr;
  const std::string* cash_account = nullptr;
  std::uint32_t step = 0;
  bool on_cash = false;
  try {
    for (; step < order.size(); ++step) {
      const Transaction& tx = txs[order[step]];
      if (cash_account == nullptr || *cash_account != tx.account) {
        cash = &r.cash[tx.account];  // map nodes are stable
        cash_account = &tx.account;
      }
      on_cash = true;
      *cash += cash_effect(tx);
      on_cash = false;
      switch (tx.type) {
        case TxType::kDividend:
        case TxType::kDistribution:
        case TxType::kInterest:
          r.income.push_back({tx.date, tx.type, tx.account, tx.symbol, income_amount(tx)});
          break;
        case TxType::kWithholding:
        case TxType::kFee:
          r.income.push_back({tx.date, tx.type, tx.account, tx.symbol, cash_effect(tx)});
          break;
        default: break;
      }
    }
  } catch (...) {
    r.failure = std::current_exception();
    r.failure_step = step;
    r.failed_on_cash = on_cash;
  }
  return r;
}

// The partitions' results as one booking without realized rows (partition_count), every table in
// the order a single replay in step order makes it: positions and lot ids by the step that
// created them, open lots by position, warnings by step.
BookResult merge(std::vector<Partial>& parts) {
  BookResult out;
  struct Ref {
    std::uint32_t step;
    std::uint32_t part;
    std::uint32_t local;
  };
  // Items numbered locally in each partition, in creation (step) order: their global order, by a
  // counting sort on the step. Within a step every item comes from one partition, where the local
  // number keeps their order.
  auto global_order = [&](auto steps_of) {
    std::uint32_t end = 0;
    std::size_t total = 0;
    for (const Partial& part : parts) {
      for (const std::uint32_t step : steps_of(part)) end = std::max(end, step + 1);
      total += steps_of(part).size();
    }
    std::vector<std::uint32_t> next(end + 1, 0);  // per step, where its first item goes
    for (const Partial& part : parts) {
      for (const std::uint32_t step : steps_of(part)) ++next[step + 1];
    }
    std::partial_sum(next.begin(), next.end(), next.begin());
    std::vector<Ref> refs(total);
    for (std::uint32_t p = 0; p < parts.size(); ++p) {
      const std::vector<std::uint32_t>& steps = steps_of(parts[p]);
      for (std::uint32_t k = 0; k < steps.size(); ++k) refs[next[steps[k]]++] = {steps[k], p, k};
    }
    return refs;
  };
  const auto positions = global_order([](const Partial& p) -> const auto& { return p.position_step; });
  out.positions.reserve(positions.size());
  for (const Ref& r : positions) {
    out.positions.push_back(std::move(parts[r.part].out.positions[r.local]));
    const auto& window_sums = parts[r.part].out.realized_in_window;
    if (!window_sums.empty()) out.realized_in_window.push_back(window_sums[r.local]);
  }
  const auto lots = global_order([](const Partial& p) -> const auto& { return p.lot_step; });
  out.lot_ids.reserve(lots.size());
  out.lot_origins.reserve(lots.size());
  for (const Ref& r : lots) {
    out.lot_ids.push_back(std::move(parts[r.part].out.lot_ids[r.local]));
    out.lot_origins.push_back(parts[r.part].out.lot_origins[r.local]);
  }
  for (std::uint32_t g = 0; g < positions.size(); ++g) {
    const Ref& r = positions[g];
    Partial& part = parts[r.part];
    for (std::size_t k = part.lots_begin[r.local]; k < part.lots_begin[r.local + 1]; ++k) {
      Lot lot = std::move(part.open_lots[k]);
      lot.position = g;
      out.open_lots.push_back(std::move(lot));
    }
  }
  std::vector<std::pair<std::uint32_t, std::string>> warnings;
  for (Partial& p : parts) {
    for (auto& w : p.warnings) warnings.push_back(std::move(w));
  }
  std::stable_sort(warnings.begin(), warnings.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& w : warnings) out.warnings.push_back(std::move(w.second));
  return out;
}

// How many partitions to book in: a few per thread so that the threads stay busy when the
// symbols' sizes differ; one on a single thread. One too when the realized rows are kept: merging
// them would copy every row (hundreds of megabytes with wash sales), which costs about what the
// threads save and adds the copy to the peak memory.
std::size_t partition_count(std::size_t symbols, const BookOptions& options) {
  const auto threads = static_cast<std::size_t>(std::max(1, tbb::this_task_arena::max_concurrency()));
  if (threads == 1 || options.keep_realized) return 1;
  return std::max<std::size_t>(1, std::min(symbols, threads * 4));
}

}  // namespace

BookResult book(std::span<const Transaction> txs, const BookOptions& options) {
  const auto n = static_cast<std::uint32_t>(txs.size());
  // The symbols of the rows that book lots, each with its row count, in order of appearance in
  // the file; read in the same pass that finds whether the rows are in date order already.
  detail::NameIds symbol_ids;
  std::vector<std::size_t> symbol_rows;
  std::vector<std::uint32_t> step_symbol(n, 0xffffffffu);  // per row here, per step below
  bool in_order = true;
  for (std::uint32_t i = 0; i < n; ++i) {
    const Transaction& tx = txs[i];
    in_order = in_order && (i == 0 || !(tx.date < txs[i - 1].date));
    if (!books_lots(tx)) continue;
    const auto [id, added] = symbol_ids.intern(tx.symbol);
    if (added) symbol_rows.push_back(0);
    ++symbol_rows[id];
    step_symbol[i] = id;
  }
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  if (!in_order) {
    sort_by_date(txs, order);
    std::vector<std::uint32_t> by_step(n);
    for (std::uint32_t step = 0; step < n; ++step) by_step[step] = step_symbol[order[step]];
    step_symbol = std::move(by_step);
  }
  // Symbols to partitions, largest first to the partition with the fewest rows so far. The result
  // does not depend on the assignment (nor on the number of partitions): merge() restores the
  // order of a single replay.
  const std::size_t n_parts = partition_count(symbol_rows.size(), options);
  std::vector<std::uint32_t> part_of(symbol_rows.size(), 0);
  if (n_parts > 1) {
    std::vector<std::uint32_t> by_size(symbol_rows.size());
    std::iota(by_size.begin(), by_size.end(), 0u);
    std::stable_sort(by_size.begin(), by_size.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return symbol_rows[a] > symbol_rows[b]; });
    std::vector<std::size_t> load(n_parts, 0);
    for (const std::uint32_t s : by_size) {
      const auto p = static_cast<std::uint32_t>(std::min_element(load.begin(), load.end()) - load.begin());
      part_of[s] = p;
      load[p] += symbol_rows[s];
    }
  }
  std::vector<std::vector<std::uint32_t>> steps(n_parts);
  for (std::uint32_t step = 0; step < n; ++step) {
    if (step_symbol[step] != 0xffffffffu) steps[part_of[step_symbol[step]]].push_back(step);
  }
  step_symbol = {};

  TxScratch scratch;
  scratch.buy_slot.assign(n, 0xffffffffu);
  scratch.paired_in.assign(n, 0xffffffffu);
  scratch.is_paired_in.assign(n, 0);
  std::vector<Partial> parts(n_parts);
  CashAndIncome flows;
  if (n_parts == 1) {
    flows = cash_and_income(txs, order);
    parts[0] = detail::book_partition(txs, order, steps[0], options, scratch);
  } else {
    // Partition n_parts books the cash and income.
    tbb::parallel_for(std::size_t{0}, n_parts + 1, [&](std::size_t p) {
      if (p == n_parts) flows = cash_and_income(txs, order);
      else parts[p] = detail::book_partition(txs, order, steps[p], options, scratch);
    });
  }
  // A replay in step order stops at the first exception: the earliest step's, and at one step the
  // cash effect's before the booking's.
  std::exception_ptr failure = flows.failure;
  std::uint32_t failure_step = flows.failure_step;
  bool failure_first_half = flows.failed_on_cash;
  for (const Partial& p : parts) {
    if (!p.failure) continue;
    if (!failure || p.failure_step < failure_step || (p.failure_step == failure_step && !failure_first_half)) {
      failure = p.failure;
      failure_step = p.failure_step;
      failure_first_half = false;
    }
  }
  if (failure) std::rethrow_exception(failure);
  std::vector<std::pair<std::uint32_t, const Diagnostic*>> errors;
  std::size_t error_count = 0;
  for (const Partial& p : parts) {
    for (const auto& e : p.errors) errors.emplace_back(e.first, &e.second);
    error_count += p.error_count;
  }
  if (error_count > 0) {
    std::stable_sort(errors.begin(), errors.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    Diagnostics diags;
    for (const auto& e : errors) diags.error(*e.second);
    for (std::size_t k = errors.size(); k < error_count; ++k) diags.error(Diagnostic{});  // counted only
    diags.throw_if_errors("transactions cannot be booked");
  }
  BookResult out;
  if (n_parts == 1) {
    out = std::move(parts[0].out);
    out.open_lots = std::move(parts[0].open_lots);
    for (auto& w : parts[0].warnings) out.warnings.push_back(std::move(w.second));
  } else {
    out = merge(parts);
  }
  out.cash = std::move(flows.cash);
  out.income = std::move(flows.income);
  return out;
}

}  // namespace keel::ledger
