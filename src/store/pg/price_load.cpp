// Daily prices written to PostgreSQL with COPY (PgConnection::upsert_prices) — the path of `keel
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
// Both COPYs send COPY's binary format (copy_stage.h), so the server converts no number from text.
// The load first takes a transaction-level advisory lock that every keel price writer takes, so
// no other keel writer stores a price between the check that an instrument has none and the
// COPY. (A writer outside keel that did would make the COPY fail with a unique violation, and the
// whole load roll back.) Everything happens in the caller's transaction: a failure later rolls
// the whole load back.
#include <fmt/format.h>

#include <cmath>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "../price_order.h"
#include "copy_stage.h"
#include "keel/core/error.h"
#include "pg_connection.h"

namespace keel::store::pg {
namespace {

// Taken by every keel price writer for the rest of its transaction (see the file comment).
constexpr std::int64_t kPriceWriteLock = 0x6b65656c7072;  // "keelpr"

constexpr const char* kColumns = "instrument_id, date, close, adj_close, open, high, low, volume";
constexpr std::size_t kCopyMessageBytes = std::size_t{1} << 18;  // rows sent per COPY message

// A PostgreSQL array literal of text elements, each quoted: {"A","B\"C"}.
std::string text_array(const std::vector<std::string>& values) {
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (const char ch : values[i]) {
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    out += '"';
  }
  out += '}';
  return out;
}

// One row of `prices` in COPY's binary format. prices.date is text (ISO dates, compared as
// bytes), so it goes as its bytes; close is never NULL (NaN stays NaN), the optional fields'
// NaN (missing) is NULL.
void append_row(BinaryRows& out, const PriceRef& ref, const PriceRows& c) {
  const std::size_t i = ref.row;
  out.row(8);
  out.int8(ref.instrument);
  out.text(Date::from_serial(ref.date).to_string());
  out.float8(c.close[i]);
  for (const double v : {c.adj_close[i], c.open[i], c.high[i], c.low[i], c.volume[i]}) {
    if (std::isnan(v)) {
      out.null();
    } else {
      out.float8(v);
    }
  }
}

// Writes every chunk `next_chunk` hands out, in `c`'s running transaction.
PriceImportStats write_prices(PgConnection& c, const std::function<bool(PriceRows&)>& next_chunk) {
  c.exec("SELECT pg_advisory_xact_lock($1)", Params().add(kPriceWriteLock));
  std::unordered_map<std::int64_t, bool> empty_before;  // instrument -> it had no prices at the start
  std::size_t inserted = 0;

  auto resolve = [&](const std::vector<std::string>& symbols) {
    const std::string array = text_array(symbols);
    // NOT EXISTS first: ON CONFLICT alone would draw an identity value for every stored symbol.
    c.exec(
        "INSERT INTO instruments (symbol) SELECT u.symbol "
        "FROM unnest($1::text[]) WITH ORDINALITY AS u(symbol, n) "
        "WHERE NOT EXISTS (SELECT 1 FROM instruments i WHERE i.symbol = u.symbol) ORDER BY u.n "
        "ON CONFLICT (symbol) DO NOTHING",
        Params().add(array));
    const auto found = c.exec(
        "SELECT u.n, i.id, NOT EXISTS (SELECT 1 FROM prices p WHERE p.instrument_id = i.id) "
        "FROM unnest($1::text[]) WITH ORDINALITY AS u(symbol, n) JOIN instruments i ON i.symbol = u.symbol",
        Params().add(array));
    std::vector<std::int64_t> ids(symbols.size(), -1);
    for (std::size_t r = 0; r < found.size(); ++r) {
      const auto n = static_cast<std::size_t>(found.integer(r, 0) - 1);
      if (n >= ids.size()) continue;
      ids[n] = found.integer(r, 1);
      empty_before[ids[n]] = found.value(r, 2) == "t";
    }
    for (std::size_t k = 0; k < ids.size(); ++k) {
      if (ids[k] < 0)
        throw Error::internal(fmt::format("no instrument for {} after creating it", symbols[k]));
    }
    return ids;
  };

  BinaryRows rows_out;
  auto write = [&](const PriceRun& run) {
    const auto& refs = run.refs;
    // Of equal keys (adjacent, in file order) only the last is written: it is the one that wins.
    auto last_of_key = [&](std::size_t k) { return k + 1 == refs.size() || !refs[k + 1].same_key(refs[k]); };
    auto straight = [&](const PriceRef& ref) {
      if (!run.after_earlier_runs) return false;
      const auto it = empty_before.find(ref.instrument);
      return it != empty_before.end() && it->second;
    };
    // The last row of each key that `pick` takes, COPYed in messages of kCopyMessageBytes into the
    // COPY that `open` opens at the first of them; returns how many were sent (none: not opened).
    auto copy_rows = [&](auto pick, auto open) {
      CopyIn* copy = nullptr;
      std::size_t sent = 0;
      rows_out.clear();
      for (std::size_t k = 0; k < refs.size(); ++k) {
        if (!last_of_key(k) || !pick(refs[k])) continue;
        if (copy == nullptr) copy = &open();
        append_row(rows_out, refs[k], run.chunks[refs[k].chunk]);
        ++sent;
        if (rows_out.size() >= kCopyMessageBytes) {
          copy->send(rows_out.bytes());
          rows_out.clear();
        }
      }
      if (copy != nullptr) copy->send(rows_out.bytes());
      return sent;
    };
    // Rows that cannot meet a stored one: COPY into prices. Two COPYs cannot be open at once on
    // one connection, so the run is read twice.
    std::optional<CopyIn> direct;
    inserted += copy_rows(
        straight, [&]() -> CopyIn& { return direct.emplace(c.tx(), "prices", kColumns, /*binary=*/true); });
    if (direct) direct->complete();
    // The others: staged, then merged into prices by one upsert.
    std::optional<CopyIn> staged;
    copy_rows([&](const PriceRef& ref) { return !straight(ref); },
              [&]() -> CopyIn& {
                empty_stage(c.tx(), "keel_price_stage", "prices", kColumns);
                return staged.emplace(c.tx(), "keel_price_stage", kColumns, /*binary=*/true);
              });
    if (!staged) return;
    staged->complete();
    const auto r = c.exec1(
        "WITH up AS (INSERT INTO prices (instrument_id, date, close, adj_close, open, high, low, volume) "
        "SELECT instrument_id, date, close, adj_close, open, high, low, volume FROM keel_price_stage "
        "ON CONFLICT (instrument_id, date) DO UPDATE SET close = excluded.close, "
        "adj_close = excluded.adj_close, open = excluded.open, high = excluded.high, low = excluded.low, "
        "volume = excluded.volume "
        "RETURNING (xmax = 0) AS fresh) "
        "SELECT count(*) FILTER (WHERE fresh) FROM up");
    inserted += static_cast<std::size_t>(r.integer(0, 0));
  };

  PriceImportStats stats = write_prices_in_key_order(next_chunk, resolve, write);
  stats.inserted = inserted;
  // A pair given twice counts its later writes as updates, as on SQLite: rows = inserted + updated.
  stats.updated = stats.rows - inserted;
  return stats;
}

}  // namespace

PriceImportStats PgConnection::upsert_prices(const std::function<bool(PriceRows&)>& next_chunk,
                                             const std::function<void()>& before_commit) {
  return transaction(std::nullopt, [&] {
    // Each run goes by COPY while the reader parses the next chunk.
    PriceImportStats stats = write_prices(*this, next_chunk);
    before_commit();
    return stats;
  });
}

}  // namespace keel::store::pg
