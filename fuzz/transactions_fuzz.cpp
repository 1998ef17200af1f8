// Fuzz target: broker mappings, the transactions reader and the booking of what it accepts. The
// input is a mapping (JSON) and a transactions file separated by a line "----"; without the
// separator the whole input is read as a canonical transactions file and as a mapping. Accepted
// rows are booked twice: FIFO with wash sales, and HIFO with shorts allowed (a refusal is a
// keel::Error with bounded messages; anything else is a crash).
#include <nlohmann/json.hpp>

#include "fuzz_common.h"
#include "keel/io/json_input.h"
#include "keel/io/transaction_reader.h"
#include "keel/ledger/booking.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace keel;
  const std::string text = fuzz::text(data, size);
  const auto sep = text.find("\n----\n");
  const std::string mapping_text = sep == std::string::npos ? text : text.substr(0, sep);
  const std::string csv_text = sep == std::string::npos ? text : text.substr(sep + 6);
  std::optional<io::TransactionMapping> mapping;
  fuzz::run([&] {
    if (auto problem = io::check_json_text(mapping_text, "mapping.json")) {
      fuzz::check_message(problem->to_string());
      return;
    }
    mapping = io::parse_mapping(nlohmann::json::parse(mapping_text), "mapping.json");
  });
  fuzz::run([&] {
    io::TransactionReadOptions o;
    o.default_account = "main";
    o.mapping = mapping;
    Diagnostics d;
    auto csv = io::CsvReader::from_text("tx.csv", csv_text, d, mapping ? mapping->delimiter : ',');
    const auto rows = io::read_transactions(csv, o, d);
    fuzz::check(d);
    if (d.has_errors()) return;
    for (const bool shorts : {false, true}) {
      fuzz::run([&] {
        ledger::BookOptions b;
        b.default_method = shorts ? ledger::LotMethod::kHifo : ledger::LotMethod::kFifo;
        b.allow_short = shorts;
        const auto booked = ledger::book(rows, b);
        for (const auto& w : booked.warnings) fuzz::check_message(w);
        for (const auto& g : booked.realized) {
          if (!g.quantity.is_positive()) std::abort();  // a realized row closes a positive quantity
        }
      });
    }
  });
  return 0;
}
