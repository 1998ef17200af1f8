// The body of the broker-statement fuzz targets (ofx_fuzz, ibkr_flex_fuzz): a reader, then the
// conversion into the account's currency at the rows' own rates and the booking of what it
// accepts (FIFO with wash sales, then HIFO with shorts allowed). A refusal is a keel::Error or
// errors in the Diagnostics with bounded UTF-8 messages; anything else is a crash.
#pragma once

#include "fuzz_common.h"
#include "keel/io/statement.h"
#include "keel/ledger/booking.h"
#include "keel/ledger/currency.h"

namespace keel::fuzz {

// `read(text, name, options, diags)` is io::read_ofx or io::read_ibkr_flex.
template <class Reader>
void statement(const std::uint8_t* data, std::size_t size, Reader read) {
  const std::string text = fuzz::text(data, size);
  (void)io::detect_statement_format(text);
  fuzz::run([&] {
    Diagnostics d;
    io::StatementReadOptions o;
    o.default_account = "main";
    io::Statement st = read(text, "statement", o, d);
    fuzz::check(d);
    if (d.has_errors()) return;
    if (!st.broker_account.empty()) {
      // The same file read for its first account alone: that account's statement is there.
      fuzz::run([&] {
        Diagnostics one;
        io::StatementReadOptions only = o;
        only.broker_account = st.broker_account;
        const io::Statement part = read(text, "statement", only, one);
        fuzz::check(one);
        if (!one.has_errors() && part.broker_account != st.broker_account) std::abort();
      });
    }
    for (const auto& p : st.positions) {
      if (p.symbol.empty()) std::abort();  // a position names its security
    }
    fuzz::run([&] { ledger::convert_to_account_currency(st.transactions, ledger::AccountCurrencies{}, nullptr); });
    for (const bool shorts : {false, true}) {
      fuzz::run([&] {
        ledger::BookOptions b;
        b.default_method = shorts ? ledger::LotMethod::kHifo : ledger::LotMethod::kFifo;
        b.allow_short = shorts;
        const auto booked = ledger::book(st.transactions, b);
        for (const auto& w : booked.warnings) fuzz::check_message(w);
      });
    }
  });
}

}  // namespace keel::fuzz
