// Private helpers of the ledger use cases (src/service/ledger*.cpp).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "keel/ledger/booking.h"
#include "keel/service/ledger.h"

namespace keel::service::ledger_detail {

// A cent amount or a quantity as a JSON number (shortest double that prints the decimal back).
inline nlohmann::json num(ledger::Decimal d) { return d.to_double(); }

// Books the loaded ledger; the result covers every account.
ledger::BookResult book_loaded(const LoadedLedger& l);

// True when `account` is reported under the source's filter.
inline bool selected(const LedgerSource& s, const std::string& account) {
  return !s.account || *s.account == account;
}

// RFC 4180 field quoting.
std::string csv_field(const std::string& s);

}  // namespace keel::service::ledger_detail
