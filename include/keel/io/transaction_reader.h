// keel/io/transaction_reader.h: reading broker transaction files into ledger::Transaction rows.
//
// The canonical file has the columns of docs/formats.md: `date,type,symbol,quantity,price` plus
// optional `account,fees,amount,lot_id,split_ratio,currency,note,method`. Magnitudes are
// non-negative and the type gives the direction (a negative quantity, price or fee is an error;
// the sign of `amount` is ignored, so "-500" on a WITHDRAWAL is read as 500).
//
// Broker exports are read through a TransactionMapping (a JSON file, see docs/ledger.md and
// examples/ledger/*.mapping.json): column renames (several broker columns may feed `fees`, which
// are summed), date formats, type names (exact or by prefix, "IGNORE" to skip a row), sign rules
// (fields taken as absolute values; a type chosen by the sign of a field) and number clean-up
// ("$1,234.50", "(12.00)" = -12).
//
// Every bad cell is reported as "file:line:column: column: message" in the Diagnostics; the
// caller throws when there is any (nothing is half-imported).
//
// Thread-safety: stateless functions.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "keel/core/diagnostics.h"
#include "keel/core/env.h"
#include "keel/io/csv.h"
#include "keel/ledger/transaction.h"

namespace keel::io {

struct SignRule {
  std::string field;     // canonical numeric field whose sign picks the type, e.g. "quantity"
  std::string positive;  // type when > 0, e.g. "BUY"
  std::string negative;  // type when < 0, e.g. "SELL"
};

struct TransactionMapping {
  std::string name;
  char delimiter = ',';
  // Broker column (case-insensitive) -> canonical column. Canonical columns not named here are
  // looked up under their own name.
  std::vector<std::pair<std::string, std::string>> columns;
  // strftime-like formats tried in order: %Y %m %d %y %b (Jan..Dec); %H %M %S are skipped over.
  // Empty = ISO YYYY-MM-DD.
  std::vector<std::string> date_formats;
  // Broker type text (case-insensitive, trimmed) -> canonical type or "IGNORE".
  std::vector<std::pair<std::string, std::string>> types;
  bool type_prefix = false;         // match `types` keys as prefixes of the cell (longest wins)
  std::vector<std::string> absolute;  // canonical fields read as absolute values
  std::optional<SignRule> type_by_sign;  // used when the type cell is empty or absent, or `types` says BY_SIGN
  // Each row gets a stable id (Transaction::external_id "csv:" + a hash of its trimmed cells, and
  // "#n" for the n-th identical row of the file), so a later download overlapping this one adds
  // nothing twice. For broker presets whose rows carry no id of their own.
  bool stable_ids = false;
  // The broker's closing lines (a disclaimer, a "Transactions Total" row, "Date downloaded ..."):
  // texts that the first non-empty cell of such a line begins with (any case). The first record
  // that begins with one ends the transactions: it and every record after it are not read, and a
  // warning names its line. A record whose cells are all empty is skipped like a blank line.
  std::vector<std::string> footer;
  // Column names the transactions' header line holds (any case), when the download has lines
  // before it (Vanguard's holdings section, a Schwab title line): the lines before the first one
  // that holds them all are not read (CsvReader::seek_header). Empty: the first line is the header.
  std::vector<std::string> header;
};

// Parses a mapping document; throws keel::Error(invalid_input) listing every bad field by JSON
// path (e.g. "columns.Amount: unknown canonical column 'amt'").
TransactionMapping parse_mapping(const nlohmann::json& doc, const std::string& display_name);
// Reads and parses the mapping file at `path`, opened through `files` (the request field
// "mapping"). Throws forbidden / not_found / invalid_input.
TransactionMapping read_mapping_file(const Files& files, const std::string& path);

struct TransactionReadOptions {
  std::optional<TransactionMapping> mapping;
  // Rows without an account cell get this account.
  std::string default_account;
};

// Reads every row; records each problem in `diags` and skips the row. Returned rows carry their
// line and the reader's name for later messages (e.g. from booking).
std::vector<ledger::Transaction> read_transactions(CsvReader& csv, const TransactionReadOptions& options,
                                                   Diagnostics& diags);

// Parses `text` with one strftime-like format (see TransactionMapping::date_formats).
std::optional<Date> parse_date_with_format(std::string_view text, std::string_view format);

// The canonical CSV of `txs` (header + one row each, every column, exact decimals), written by
// keel/core/csv_writer.h (a text such as "=1+1 acct" gets the formula guard's apostrophe), which
// read_transactions reads back to the same rows (the reader undoes the guard).
std::string write_transactions_csv(std::span<const ledger::Transaction> txs);

}  // namespace keel::io
