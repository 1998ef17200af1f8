// Fuzz target: broker mappings and the transactions reader. The input is a mapping (JSON) and a
// transactions file separated by a line "----"; without the separator the whole input is read as
// a canonical transactions file and as a mapping.
#include <nlohmann/json.hpp>

#include "fuzz_common.h"
#include "keel/io/json_input.h"
#include "keel/io/transaction_reader.h"

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
    io::read_transactions(csv, o, d);
    fuzz::check(d);
  });
  return 0;
}
