// Private helpers of the ledger use cases (src/service/ledger*.cpp).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "keel/ledger/booking.h"
#include "keel/service/ledger_source.h"

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

// `s` when it is UTF-8, else with its invalid bytes shown as \xNN (safe to serialise as JSON).
std::string printable(const std::string& s);

// Books `after` (the tenant's ledger with an import applied) and returns its warnings. Throws
// keel::Error(invalid_input) naming the offending transactions when the import adds a problem;
// problems already present in `before` (the stored ledger) come back as warnings instead, so an
// inconsistent ledger can still be added to and repaired.
std::vector<std::string> book_for_import(const std::vector<ledger::Transaction>& before,
                                         const std::vector<ledger::Transaction>& after,
                                         const ledger::BookOptions& options);

}  // namespace keel::service::ledger_detail
