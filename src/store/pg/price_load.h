// src/store/pg/price_load.h: daily prices written to PostgreSQL with COPY — the path of `keel
// import prices` and of fetched bars.
//
// The rows come in the key order of store/price_order.h (symbols resolved to instrument ids here,
// the instruments of new symbols created), and each run is written in one of two ways:
// - the rows of an instrument that had no prices when the load began, in a run whose keys all
//   follow the keys written before it, cannot meet a stored row: they are COPYed straight into
//   `prices`, in key order (the later of two rows for one key in the file kept, as everywhere);
// - every other row is COPYed into the connection's temporary table keel_price_stage
//   (copy_stage.h) and merged by one upsert (ON CONFLICT ... DO UPDATE), whose RETURNING (xmax = 0)
//   tells the rows inserted from those updated.
// The load first takes a transaction-level advisory lock that every keel price writer takes, so
// no other keel writer stores a price between the check that an instrument has none and the
// COPY. (A writer outside keel that did would make the COPY fail with a unique violation, and the
// whole load roll back.) Everything happens in the caller's transaction: a failure later rolls
// the whole load back.
//
// Thread-safety: like Tx, one thread.
#pragma once

#include <functional>

#include "keel/portfolio/market_data.h"
#include "keel/store/store.h"
#include "session.h"

namespace keel::store::pg {

// Writes every chunk `next_chunk` hands out (store.h's upsert_price_chunks), in `tx`.
PriceImportStats write_prices(Tx& tx, const std::function<bool(PriceRows&)>& next_chunk);

}  // namespace keel::store::pg
