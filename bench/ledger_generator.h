// bench/ledger_generator.h: a reproducible synthetic brokerage history for benchmarks and the
// beancount cross-check.
//
// Trades over `symbols` tickers ("S0001"...) on consecutive weekdays from 2005-01-03, several per
// day. Each row picks a symbol; when shares are held it sells (with probability `sell_share`) a
// random 1..held integer quantity, otherwise it buys 1..100 shares. Prices follow a per-symbol
// random walk quoted in whole cents, so quantity x price is exact (no rounding anywhere), which
// lets an independent ledger (beancount) book the same history to the cent. Fees are `fee` per
// trade (zero for the cross-check). A symbol trades at most once a day, so "first/last in" never
// depends on how a ledger orders lots bought on the same day. Seeded PhiloxStream: the same arguments give the same history.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/core/rng.h"
#include "keel/ledger/transaction.h"

namespace keel::ledger::bench {

struct GeneratorOptions {
  std::size_t transactions = 10000;
  std::size_t symbols = 50;
  std::size_t per_day = 20;         // rows per weekday (at most `symbols`)
  double sell_share = 0.45;         // probability of a sale when shares are held
  std::string fee = "0";            // per trade, currency units
  std::uint64_t seed = 1;
};

inline std::vector<Transaction> generate_history(const GeneratorOptions& o) {
  PhiloxStream rng(o.seed, 0);
  std::vector<std::string> names(o.symbols);
  std::vector<std::int64_t> price_cents(o.symbols);
  std::vector<std::int64_t> held(o.symbols, 0);
  std::vector<std::size_t> traded_on(o.symbols, static_cast<std::size_t>(-1));
  std::size_t day_index = 0;
  for (std::size_t s = 0; s < o.symbols; ++s) {
    std::string n = std::to_string(s + 1);
    names[s] = "S" + std::string(4 - std::min<std::size_t>(4, n.size()), '0') + n;
    price_cents[s] = 1000 + static_cast<std::int64_t>(rng.uniform() * 19000);  // 10.00 .. 200.00
  }
  const Decimal fee = Decimal::parse(o.fee).value();
  std::vector<Transaction> out;
  out.reserve(o.transactions);
  Date d = Date::from_ymd(2005, 1, 3);
  std::size_t today = 0;
  for (std::size_t i = 0; i < o.transactions; ++i) {
    if (today == o.per_day) {
      today = 0;
      ++day_index;
      d = d.add_days(1);
      while (d.is_weekend()) d = d.add_days(1);
    }
    ++today;
    auto s = static_cast<std::size_t>(rng.uniform() * static_cast<double>(o.symbols)) % o.symbols;
    while (traded_on[s] == day_index) s = (s + 1) % o.symbols;
    traded_on[s] = day_index;
    // Daily-ish log-normal move of about 2%, floored at 1.00.
    const double move = std::exp(0.02 * rng.normal());
    price_cents[s] = std::max<std::int64_t>(100, std::llround(static_cast<double>(price_cents[s]) * move));
    Transaction t;
    t.date = d;
    t.symbol = names[s];
    t.price = Decimal::from_raw(price_cents[s] * (Decimal::kOne / 100));
    t.fees = fee;
    if (held[s] > 0 && rng.uniform() < o.sell_share) {
      const auto q = 1 + static_cast<std::int64_t>(rng.uniform() * static_cast<double>(held[s])) % held[s];
      t.type = TxType::kSell;
      t.quantity = Decimal::from_int(q);
      held[s] -= q;
    } else {
      const auto q = 1 + static_cast<std::int64_t>(rng.uniform() * 100.0) % 100;
      t.type = TxType::kBuy;
      t.quantity = Decimal::from_int(q);
      held[s] += q;
    }
    t.line = i + 2;  // as if read from a CSV with a header
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace keel::ledger::bench
