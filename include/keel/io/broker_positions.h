// keel/io/broker_positions.h: brokers' positions downloads, read as they come.
//
// Three downloads are told from their header lines (docs/formats.md, "Brokers' positions
// downloads"), so `keel import positions` and `keel ledger reconcile --broker` take them without
// a mapping:
//   - Fidelity "Portfolio Positions" (Portfolio_Positions_Mmm-dd-yyyy.csv): a header
//     `Account Number, Account Name, Symbol, Description, Quantity, Last Price, ..., Current Value,
//     ..., Cost Basis Total, Average Cost Basis, Type`, one row per account and holding, the core
//     money market as `SPAXX**` (its value in Current Value), a "Pending Activity" row, options as
//     ` -AAPL250117C150` (root, YYMMDD, C or P, the strike as written), then a blank line and the
//     disclaimers and "Date downloaded ...".
//   - Schwab "Positions" (Individual-Positions-... or All-Accounts-Positions-...): a title line
//     "Positions for account Individual ...234 as of 12:52 PM ET, 2023/04/23" (or "Positions for
//     All-Accounts ..." and a title line per account), a header `Symbol, Description, Quantity`
//     (or `Qty (Quantity)`), `Price, ..., Market Value` (or `Mkt Val (Market Value)`), `Cost Basis,
//     ..., Security Type` (or `Asset Type`), the rows, "Cash & Cash Investments" (its value in
//     Market Value) and "Account Total" (or "Positions Total"); options as
//     "AAPL 01/17/2025 150.00 C".
//   - Vanguard brokerage "Download" (OfxDownload.csv): its holdings section first, a header
//     `Account Number, Investment Name, Symbol, Shares, Share Price, Total Value`, one row per
//     account and holding (the settlement fund, a money market, among them), then blank lines and
//     the transactions section (read by `keel import transactions` with the Vanguard mapping), where
//     reading stops. The download holds no cost basis.
// Numbers may carry `$`, thousands separators, a sign or parentheses; "--" and "n/a" are empty.
// Every figure is read exactly (keel::ledger::Decimal): a reconciliation compares to the cent.
//
// Thread-safety: stateless functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keel/core/diagnostics.h"
#include "keel/io/csv.h"
#include "keel/io/statement.h"
#include "keel/ledger/decimal.h"
#include "keel/portfolio/occ_symbol.h"
#include "keel/portfolio/position.h"

namespace keel::io {

// The three CSV downloads, and the position lists of the statements keel reads for transactions
// (keel/io/statement.h: OFX INVPOSLIST, IBKR Flex OpenPositions).
enum class BrokerPositionsFormat { kFidelity, kSchwab, kVanguard, kOfxStatement, kIbkrFlexStatement };

// "Fidelity positions" / "Schwab positions" / "Vanguard positions", for messages.
std::string_view broker_positions_format_name(BrokerPositionsFormat f);
// fidelity_positions, schwab_positions, vanguard_positions: the results' broker_format.
std::string_view broker_positions_format_id(BrokerPositionsFormat f);

struct BrokerPositionRow {
  std::size_t line = 0;  // the row's line in the file
  std::string account;   // Fidelity's Account Number; Schwab's account title ("Individual ...234")
  std::string symbol;    // a ticker, an option's compact OCC symbol, or the cash row's name
  InstrumentType type = InstrumentType::kStock;  // stock, etf, option, cash or other
  std::optional<OccSymbol> option;               // an option's terms
  ledger::Decimal quantity;                      // shares or contracts (negative: short); cash: its amount
  std::optional<ledger::Decimal> cost_basis;     // the total, in dollars; absent when the broker has none
  std::optional<ledger::Decimal> market_value;   // in dollars
  std::string description;
};

struct BrokerPositions {
  BrokerPositionsFormat format = BrokerPositionsFormat::kFidelity;
  std::vector<BrokerPositionRow> rows;
  std::vector<std::string> accounts;  // in the order the file names them
  std::optional<Date> as_of;          // a statement's: the date its positions are held on
};

// When the header `csv` has read is one of a broker's positions downloads: moves the reader to its
// column header (past Schwab's title lines) and reads every row, recording each bad cell in
// `diags` with its line and column (the row is then left out), and each row that is not a
// position (Pending Activity, a totals row, the closing lines, where reading stops) as a warning. nullopt,
// with the reader untouched, for any other file (keel's own positions columns among them).
std::optional<BrokerPositions> read_broker_positions(CsvReader& csv, Diagnostics& diags);

// The positions a statement reports (its OFX INVPOSLIST or Flex OpenPositions) as a download's rows:
// an OCC symbol is an option with its terms; the statement gives no cost basis. Its broker account
// is every row's.
BrokerPositions broker_positions_of(const Statement& statement);

// A download's rows as positions: the option's terms from its symbol (multiplier 100, the listed
// contract's exercise), the entry price the cost basis over the shares (per share for an option,
// as the entry_price column has it), cash as its amount. Records a warning naming the download
// ("read as a Fidelity positions download: 6 positions from the accounts ...") and an error at the
// row for a quantity out of range.
std::vector<Position> positions_from_broker(const BrokerPositions& file, const std::string& name,
                                            Diagnostics& diags);

// Keeps the rows of one broker account of a download of several (its Account Number, or its
// Schwab title or the title's "...234" part, any case). Throws keel::Error(invalid_input) naming
// the file's accounts when none matches.
void select_broker_account(BrokerPositions& file, std::string_view account, std::string_view file_name);

}  // namespace keel::io
