// src/store/pg/price_load.h: daily prices bulk-loaded into PostgreSQL with COPY, then merged into
// `prices` by one upsert — the path of `keel import prices` and of fetched bars.
//
// Rows are streamed into the connection's temporary table keel_price_stage (copy_stage.h) with a
// sequence number, then one statement creates the instruments of symbols not stored yet and
// upserts every (instrument, date) in key order. Of several rows for one key in a batch the later
// one wins (DISTINCT ON ... ORDER BY seq DESC), and counts as an update, as on SQLite; the
// statement's RETURNING (xmax = 0) tells a row inserted from one updated. Everything happens in
// the caller's transaction: a failure later rolls the whole load back.
//
// Thread-safety: like Tx, one thread.
#pragma once

#include <cstddef>
#include <string>

#include "copy_stage.h"
#include "keel/core/date.h"
#include "session.h"

namespace keel::store::pg {

class PriceLoad {
 public:
  explicit PriceLoad(Tx& tx);

  // Opens a batch.
  void begin();
  // One bar; NaN in any field but close is NULL.
  void row(const std::string& symbol, Date date, double close, double adj_close, double open, double high,
           double low, double volume);

  struct Merged {
    std::size_t rows = 0;      // rows of the batch
    std::size_t inserted = 0;  // (instrument, date) pairs new to the store; the rest were updates
  };
  // Ends the batch's COPY and merges it into `prices`.
  Merged merge();

 private:
  Tx* tx_;
  CopyStage stage_;
  std::int64_t seq_ = 0;
};

}  // namespace keel::store::pg
