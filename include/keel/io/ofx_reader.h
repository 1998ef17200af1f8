// keel/io/ofx_reader.h: OFX/QFX statements (OFX 1.x SGML and 2.x XML) into ledger transactions.
//
// Investment statements (INVSTMTRS): BUY*/SELL* (STOCK, MF, OPT, DEBT, OTHER) as BUY/SELL with the
// statement's TOTAL as the amount; INCOME as DIVIDEND (DIV), INTEREST (INTEREST) or DISTRIBUTION
// (CGLONG, CGSHORT, MISC), its WITHHOLDING as a WITHHOLDING row; REINVEST as the income and the BUY
// it paid for; INVBANKTRAN as cash rows; SPLIT (NUMERATOR:DENOMINATOR); TRANSFER (TFERACTION IN or
// OUT) as TRANSFER_IN/TRANSFER_OUT; RETOFCAP as a DISTRIBUTION (with a warning: keel does not lower
// the basis); MARGININTEREST and INVEXPENSE as FEE. Securities are named by the SECLIST's TICKER for
// their UNIQUEID (CUSIP, ISIN), else by the UNIQUEID itself (warned). INVPOSLIST is the statement's
// positions. Bank and credit card statements (STMTRS, CCSTMTRS) give cash rows by TRNTYPE and sign.
// FITID is each row's stable id ("ofx:FITID"; a REINVEST's purchase "ofx:FITID/REINVEST", an
// income's withholding "ofx:FITID/WITHHOLDING").
//
// Every problem is recorded with the file, line:column and the element path, e.g.
// "statement.ofx:57:12: INVTRAN/DTTRADE: expected a date YYYYMMDD[HHMMSS[.XXX]][[-5:EST]], got '2024-13-01'".
//
// Thread-safety: stateless functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "keel/core/date.h"
#include "keel/core/diagnostics.h"
#include "keel/io/statement.h"

namespace keel::io {

Statement read_ofx(std::string_view text, const std::string& name, const StatementReadOptions& options,
                   Diagnostics& diags);

// An OFX date-time "YYYYMMDD[HHMMSS[.XXX]][[-5:EST]]", its date part (as written: the time zone
// does not move it). nullopt when malformed.
std::optional<Date> parse_ofx_date(std::string_view text);

}  // namespace keel::io
