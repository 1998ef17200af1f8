// keel/io/ibkr_flex_reader.h: Interactive Brokers Flex Query XML statements into ledger
// transactions.
//
// FlexQueryResponse/FlexStatements/FlexStatement, attribute-based:
//   Trades/Trade (executions; buySell BUY or SELL, |quantity| at tradePrice, fees |ibCommission| +
//     |taxes|, the amount |netCash|, tradeDate); a "BUY (Ca.)"/"SELL (Ca.)" row cancels the trade
//     it names and both are dropped; assetCategory CASH (currency conversions) is skipped, warned;
//   CashTransactions/CashTransaction by type: Dividends and Payment In Lieu Of Dividends as DIVIDEND,
//     Withholding Tax as WITHHOLDING, Broker/Bond Interest Received as INTEREST, Broker/Bond Interest
//     Paid, Other Fees and Commission Adjustments as FEE, Deposits/Withdrawals as DEPOSIT or
//     WITHDRAWAL by sign. A row of the opposite sign (a reversed dividend, a refunded withholding)
//     cancels the row of the same type, symbol and amount it reverses; a reversal with nothing to
//     cancel is an error for income and a DEPOSIT (warned) for a refunded fee or tax;
//   CorporateActions/CorporateAction type FS (forward split) and RS (reverse split) as SPLIT, the
//     ratio "SPLIT N FOR M" of the description, else the new and old quantities of the action's
//     rows; other actions are warned and skipped;
//   OpenPositions/OpenPosition (SUMMARY rows, else the LOT rows summed) as the positions.
// transactionID is each row's stable id ("ibkr:ID"; a split's "ibkr:action:ACTIONID"); a row
// without one gets a hash of its attributes.
//
// Problems name the file, the element's line:column and its path with the attribute, e.g.
// "flex.xml:12:7: Trades/Trade@tradeDate: expected a date yyyyMMdd or yyyy-MM-dd, got '01/05/2024'".
//
// Thread-safety: stateless functions.
#pragma once

#include <string>
#include <string_view>

#include "keel/core/diagnostics.h"
#include "keel/io/statement.h"

namespace keel::io {

Statement read_ibkr_flex(std::string_view text, const std::string& name, const StatementReadOptions& options,
                         Diagnostics& diags);

}  // namespace keel::io
