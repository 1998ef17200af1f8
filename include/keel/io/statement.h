// keel/io/statement.h: a broker statement read into the ledger's transactions, whatever its
// format: OFX/QFX (keel/io/ofx_reader.h), IBKR Flex Query XML (keel/io/ibkr_flex_reader.h) or a
// CSV (keel/io/transaction_reader.h). The format is told from the content, not the file name.
//
// A statement's transactions carry the source's own id in Transaction::external_id (OFX FITID,
// IBKR transactionID), prefixed by the format ("ofx:", "ibkr:"), so importing an overlapping
// statement again adds nothing twice; the positions it reports (OFX INVPOSLIST, IBKR
// OpenPositions) are what keel reconciles its lots against before anything is stored.
//
// Thread-safety: plain data and pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keel/core/date.h"
#include "keel/core/diagnostics.h"
#include "keel/core/env.h"
#include "keel/ledger/transaction.h"

namespace keel::io {

enum class StatementFormat { kCsv, kOfx, kIbkrFlex };

// "csv", "ofx", "ibkr_flex".
std::string_view statement_format_name(StatementFormat format);

// The format of a statement from its first bytes (a kilobyte is enough): OFX 1.x starts with its
// `OFXHEADER:` line, OFX 2.x is XML with an <?OFX ...?> instruction or an <OFX> element, a Flex
// Query with <FlexQueryResponse> or <FlexStatements>; anything else is a CSV. A byte-order mark and
// leading white space are skipped.
StatementFormat detect_statement_format(std::string_view head);

// A position the statement reports as held at its end.
struct StatementPosition {
  std::string symbol;
  ledger::Decimal quantity;  // signed: negative for a short position
  std::optional<ledger::Decimal> price;         // the statement's price of the day, when given
  std::optional<ledger::Decimal> market_value;  // signed like the quantity, when given
  std::optional<ledger::Decimal> cost_basis;    // the total (IBKR costBasisMoney), when given
  std::size_t line = 0;
};

struct Statement {
  StatementFormat format = StatementFormat::kCsv;
  std::string broker_account;  // OFX ACCTID, IBKR accountId (empty when not given)
  // The statement's currency (OFX CURDEF): rows without a currency of their own are in it (their
  // `currency` is left empty for the importer, which knows the account's). Empty when not given.
  std::string currency;
  std::optional<Date> start;   // the period covered (DTSTART/fromDate), when given
  std::optional<Date> end;     // DTEND/toDate
  std::optional<Date> positions_as_of;  // INVPOSLIST's DTASOF, the Flex statement's toDate
  bool has_positions = false;  // the statement carries a position list (possibly empty)
  std::vector<ledger::Transaction> transactions;
  std::vector<StatementPosition> positions;
};

struct StatementReadOptions {
  std::string default_account;  // every transaction's account
  // Read only the statement of this broker account (OFX ACCTID, IBKR accountId), for a file that
  // holds several; a file without it is refused, naming the accounts it holds. Empty: every one.
  std::string broker_account;
};

// Reads `text`, an OFX or Flex statement of `format` (not kCsv), with read_ofx or read_ibkr_flex
// (keel/io/ofx_reader.h, keel/io/ibkr_flex_reader.h): every problem in `diags` with its place.
Statement read_statement(std::string_view text, StatementFormat format, const std::string& name,
                         const StatementReadOptions& options, Diagnostics& diags);

// The format of the file at `path` (detect_statement_format on its first kilobytes, gzip
// decompressed), opened for `what` (the request field messages name). Throws as Files::open does.
StatementFormat detect_statement_file(const Files& files, const std::string& path,
                                      std::string_view what = "transactions");

// The first `size` bytes of the file at `path` (gzip decompressed): what a reader's format is told
// from. Throws as Files::open does.
std::string read_file_head(const Files& files, const std::string& path, std::size_t size = 4096,
                           std::string_view what = "transactions");

// The whole file at `path` through `files` for a statement reader: gzip-compressed files are
// decompressed, and a file that is not UTF-8 is read as Windows-1252 (OFX 1.x CHARSET:1252).
// At most 256 MiB. Throws forbidden / not_found / invalid_input as Files::open does.
std::string read_statement_file(const Files& files, const std::string& path,
                                std::string_view what = "transactions");

}  // namespace keel::io
