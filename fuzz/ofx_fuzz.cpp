// Fuzz target: OFX/QFX statements (SGML 1.x and XML 2.x): the markup tokenizer, the reader and the booking of what it
// accepts (FIFO with wash sales, then HIFO with shorts allowed). A refusal is a keel::Error or
// errors in the Diagnostics with bounded UTF-8 messages; anything else is a crash.
#include "fuzz_common.h"
#include "keel/io/ofx_reader.h"
#include "keel/io/statement.h"
#include "keel/ledger/booking.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace keel;
  const std::string text = fuzz::text(data, size);
  (void)io::detect_statement_format(text);
  fuzz::run([&] {
    Diagnostics d;
    io::StatementReadOptions o;
    o.default_account = "main";
    const io::Statement st = io::read_ofx(text, "statement", o, d);
    fuzz::check(d);
    if (d.has_errors()) return;
    for (const auto& p : st.positions) {
      if (p.symbol.empty()) std::abort();  // a position names its security
    }
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
  return 0;
}
