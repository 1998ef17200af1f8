// src/store/price_order.h: the order in which both backends write an import's prices (shared by
// SqliteConnection's and PgConnection's upsert_prices).
//
// Rows are written in (instrument, date) order, so the prices table's B-tree grows at its right
// edge instead of splitting pages in the middle (on SQLite a file sorted by date rather than by
// symbol took 4x the CPU). Each chunk the reader hands out has its symbols resolved to instrument
// ids (`resolve`, once per symbol new to the import), is sorted (stably: equal keys keep file
// order, so the later row of one (symbol, date) comes last and wins) and is handed to `write` at
// once when all its keys come after every key written so far — every chunk of a file grouped by
// symbol, whose writes then overlap the parsing. Once a chunk does not (a file sorted by date,
// say), it and every later chunk are held and handed out at the end as one sorted run.
//
// Thread-safety: a function of its arguments; call from the writing thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "keel/portfolio/market_data.h"
#include "keel/store/store.h"

namespace keel::store {

// One row to write: its key, and where its values are.
struct PriceRef {
  std::int64_t instrument = 0;
  std::int32_t date = 0;  // Date::serial
  std::uint32_t chunk = 0;
  std::uint32_t row = 0;

  bool same_key(const PriceRef& o) const { return instrument == o.instrument && date == o.date; }
};

struct PriceRun {
  // Sorted by key; equal keys adjacent, in file order.
  const std::vector<PriceRef>& refs;
  // The chunks the refs point into (PriceRef::chunk indexes this).
  const std::vector<PriceRows>& chunks;
  // True when every key of this run comes after every key of the runs written before it: no key
  // of the run was written earlier in this import.
  bool after_earlier_runs = true;
};

// Instrument ids of `symbols` (each new to this import), creating the instruments that do not
// exist, in the order given.
using ResolveSymbols = std::function<std::vector<std::int64_t>(const std::vector<std::string>& symbols)>;

// Hands every chunk `next_chunk` gives out to `write` in runs as described above, and returns the
// rows, symbols and date range seen (inserted and updated are the writer's to fill in).
PriceImportStats write_prices_in_key_order(const std::function<bool(PriceRows&)>& next_chunk,
                                           const ResolveSymbols& resolve,
                                           const std::function<void(const PriceRun&)>& write);

}  // namespace keel::store
