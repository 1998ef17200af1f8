#include "price_load.h"

#include <cmath>

namespace keel::store::pg {
namespace {

constexpr const char* kDefinition =
    "seq bigint, symbol text, date text, close double precision, adj_close double precision, "
    "open double precision, high double precision, low double precision, volume double precision";

std::optional<double> opt(double v) {
  return std::isnan(v) ? std::nullopt : std::optional<double>(v);
}

}  // namespace

PriceLoad::PriceLoad(Tx& tx)
    : tx_(&tx),
      stage_(tx, "keel_price_stage", kDefinition,
             {"seq", "symbol", "date", "close", "adj_close", "open", "high", "low", "volume"}) {}

void PriceLoad::begin() {
  stage_.begin();
}

void PriceLoad::row(const std::string& symbol, Date date, double close, double adj_close, double open,
                    double high, double low, double volume) {
  Params p;
  p.add(seq_++)
      .add(symbol)
      .add(date.to_string())
      .add(close)
      .add(opt(adj_close))
      .add(opt(open))
      .add(opt(high))
      .add(opt(low))
      .add(opt(volume));
  stage_.row(p);
}

PriceLoad::Merged PriceLoad::merge() {
  Merged m;
  m.rows = stage_.finish();
  if (m.rows == 0) return m;
  // NOT EXISTS first: ON CONFLICT alone would draw an identity value for every stored symbol.
  tx_->exec(
      "INSERT INTO instruments (symbol) SELECT DISTINCT s.symbol FROM keel_price_stage s "
      "WHERE NOT EXISTS (SELECT 1 FROM instruments i WHERE i.symbol = s.symbol) "
      "ON CONFLICT (symbol) DO NOTHING");
  const auto r = tx_->exec1(
      "WITH up AS (INSERT INTO prices (instrument_id, date, close, adj_close, open, high, low, volume) "
      "SELECT DISTINCT ON (i.id, s.date) i.id, s.date, s.close, s.adj_close, s.open, s.high, s.low, s.volume "
      "FROM keel_price_stage s JOIN instruments i ON i.symbol = s.symbol ORDER BY i.id, s.date, s.seq DESC "
      "ON CONFLICT (instrument_id, date) DO UPDATE SET close = excluded.close, adj_close = "
      "excluded.adj_close, "
      "open = excluded.open, high = excluded.high, low = excluded.low, volume = excluded.volume "
      "RETURNING (xmax = 0) AS fresh) "
      "SELECT count(*) FILTER (WHERE fresh) FROM up");
  m.inserted = static_cast<std::size_t>(integer(r[0]));
  return m;
}

}  // namespace keel::store::pg
