// Helpers for the ledger tests: terse constructors of transactions.
#pragma once

#include <string>

#include "keel/core/date.h"
#include "keel/ledger/booking.h"

namespace keel::ledger::testing {

inline Decimal D(const std::string& s) { return Decimal::parse(s).value(); }
inline Date day(const char* iso) { return Date::parse(iso).value(); }

inline Transaction trade(TxType type, const char* date, const std::string& symbol, const std::string& qty,
                         const std::string& price, const std::string& fees = "0",
                         const std::string& lot_id = "", const std::string& account = "") {
  Transaction t;
  t.date = day(date);
  t.type = type;
  t.account = account;
  t.symbol = symbol;
  t.quantity = D(qty);
  t.price = D(price);
  t.fees = D(fees);
  t.lot_id = lot_id;
  return t;
}

inline Transaction buy(const char* date, const std::string& symbol, const std::string& qty,
                       const std::string& price, const std::string& fees = "0",
                       const std::string& lot_id = "", const std::string& account = "") {
  return trade(TxType::kBuy, date, symbol, qty, price, fees, lot_id, account);
}

inline Transaction sell(const char* date, const std::string& symbol, const std::string& qty,
                        const std::string& price, const std::string& fees = "0",
                        const std::string& lot_id = "", const std::string& account = "") {
  return trade(TxType::kSell, date, symbol, qty, price, fees, lot_id, account);
}

inline Transaction split(const char* date, const std::string& symbol, std::int64_t num, std::int64_t den,
                         const std::string& account = "") {
  Transaction t;
  t.date = day(date);
  t.type = TxType::kSplit;
  t.symbol = symbol;
  t.account = account;
  t.split_ratio = SplitRatio{num, den};
  return t;
}

inline Transaction cash(TxType type, const char* date, const std::string& amount,
                        const std::string& account = "", const std::string& symbol = "") {
  Transaction t;
  t.date = day(date);
  t.type = type;
  t.account = account;
  t.symbol = symbol;
  t.amount = D(amount);
  return t;
}

}  // namespace keel::ledger::testing
