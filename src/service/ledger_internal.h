// Private helpers of the ledger use cases (src/service/ledger*.cpp).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "keel/core/env.h"
#include "keel/io/statement.h"
#include "keel/io/transaction_reader.h"
#include "keel/ledger/benchmark.h"
#include "keel/ledger/booking.h"
#include "keel/ledger/currency.h"
#include "keel/service/imports.h"
#include "keel/service/ledger.h"
#include "keel/service/ledger_holdings.h"
#include "keel/service/ledger_source.h"

namespace keel::service::ledger_detail {

// A cent amount or a quantity as a JSON number (shortest double that prints the decimal back).
inline nlohmann::json num(ledger::Decimal d) { return d.to_double(); }

// Books the loaded ledger; the result covers every account. `realized` false leaves the realized
// rows out (BookOptions::keep_realized), for the reports that read only lots, income and cash;
// `realized_window` sums the gains realized in a period per position (BookOptions::realized_window).
ledger::BookResult book_loaded(const LoadedLedger& l, bool realized = true,
                               std::optional<std::pair<Date, Date>> realized_window = std::nullopt);

// True when `account` is reported under the source's filter.
inline bool selected(const LedgerSource& s, const std::string& account) {
  return !s.account || *s.account == account;
}

// The rates between every currency of the ledger (its accounts' and its rows') and `also` (when
// not empty): l.fx when it covers them, else source.fx_file's (its warnings added to `warnings`),
// else the store's from a week before the first transaction; l.fx without a store or file.
std::shared_ptr<const FxRates> ledger_fx(const Context& cx, const LedgerSource& source, const LoadedLedger& l,
                                         const std::string& also, std::vector<std::string>* warnings);

// Throws invalid_input naming reporting_currency when `asked` is given and not a three-letter code.
void check_reporting_currency(const std::optional<std::string>& asked);

// The currency a report of `source` is in: `asked` (the reporting currency), else the currency of
// the account reported, or of every account when they share one. Throws invalid_input for an
// asked code that is not three letters, and when the accounts differ and none is asked.
std::string report_currency(const LoadedLedger& l, const LedgerSource& source, const std::optional<std::string>& asked);


// `s` when it is UTF-8, else with its invalid bytes shown as \xNN (safe to serialise as JSON).
std::string printable(const std::string& s);

// Books `after` (the tenant's ledger with an import applied) and returns its warnings. Throws
// keel::Error(invalid_input) naming the offending transactions when the import adds a problem;
// problems already present in `before` (the stored ledger) come back as warnings instead, so an
// inconsistent ledger can still be added to and repaired.
std::vector<std::string> book_for_import(const std::vector<ledger::Transaction>& before,
                                         const std::vector<ledger::Transaction>& after,
                                         const ledger::BookOptions& options);

// A statement's currency (OFX CURDEF) given to the import's rows that have none of their own, when
// it is not the account's (a warning says so); a new account is created in it (`new_account`: the
// rows stay without one, and a warning says so unless it is USD, every new account's default).
void apply_statement_currency(const io::Statement& st, const std::string& account,
                              const std::string& account_currency, bool new_account,
                              std::vector<ledger::Transaction>& rows, std::vector<std::string>& warnings);

// Opening positions a statement implies when its history starts after the holdings were bought
// (its rows sell shares they never show bought): for each such symbol, the TRANSFER_IN on the
// statement's start date (or the symbol's first row) of the quantity that makes the rows end at the
// statement's reported position, at the first price the statement gives of it (the cost is not in
// the statement: the row's note and a warning say so). `account_rows` are the account's rows after
// the import (held and added). Nothing when the statement has no position list.
std::vector<ledger::Transaction> statement_openings(const io::Statement& st,
                                                    const std::vector<ledger::Transaction>& account_rows,
                                                    const std::string& account, std::vector<std::string>& warnings);

// When `text` is a keel JSON export of transactions (`keel export account`, or `keel export
// transactions --format json`: an object whose meta.format is keel.ledger.account or
// keel.ledger.transactions), its rows as the canonical transactions CSV, which the importer reads
// with every check of a CSV; nullopt for any other text. Throws invalid_input naming the field (a
// meta of an unknown format version, a row that is not an object of strings).
// Rows without a currency of their own get the export's (meta.currency), so an account in
// another currency converts them; `currency` is the export's, which a new account is opened in.
struct KeelExportRows {
  std::string csv;
  std::string currency;
};
std::optional<KeelExportRows> keel_export_as_csv(std::string_view text, const std::string& name);

// A JSON document's first bytes: '{' after white space and a byte-order mark.
bool looks_like_json_object(std::string_view head);

// The result shapes of the performance engine (keel/ledger/performance.h, benchmark.h), shared by
// an account's performance and a portfolio's (keel/service/portfolio_performance.h).
PerformanceDrawdown drawdown_result(const ledger::Drawdown& d);
BenchmarkResult benchmark_result(const std::string& benchmark, std::span<const ledger::BenchmarkComponent> components,
                                 const ledger::BenchmarkComparison& c, double portfolio_end_value);

// The rows of an input in any format (told from its content), and the statement when it is one.
struct ImportInput {
  std::vector<ledger::Transaction> rows;
  std::optional<io::Statement> statement;
  std::string export_currency;  // a keel export's currency: a new account is opened in it
};

// Reads `file` as a keel export, a broker statement (OFX, IBKR Flex: of `broker_account` alone when
// given) or a CSV (through `mapping` when given); throws invalid_input naming every problem.
ImportInput read_import_input(const InputFile& file, const std::optional<io::TransactionMapping>& mapping,
                              const std::string& default_account, std::vector<std::string>& warnings,
                              const Files& files, const std::optional<std::string>& broker_account = std::nullopt);

// YYYY-MM-DD, or null.
spec::Nullable<std::string> date_text(const std::optional<Date>& d);

// A realized gain as the reports show it; `conversion`: how the booked rows were converted (null:
// rows as given), for the currency part.
LedgerGain gain_of(const ledger::BookResult& b, const ledger::RealizedGain& g,
                   const ledger::LedgerConversion* conversion);

}  // namespace keel::service::ledger_detail
