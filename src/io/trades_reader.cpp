// What-if trades reader (keel/io/trades_reader.h): positions rows with a signed quantity and a price.
#include "keel/io/trades_reader.h"

#include <fmt/format.h>

#include "position_row.h"

namespace keel::io {

std::vector<Trade> read_trades(CsvReader& csv, Diagnostics& diags) {
  CsvColumns cols(csv, {"symbol", "quantity"},
                  {"price", "type", "underlying", "strike", "expiry", "option_type", "exercise", "multiplier",
                   "implied_vol", "sector", "tags", "strategy", "currency", "dividend_yield"},
                  diags);
  std::vector<Trade> out;
  if (diags.has_errors()) return out;
  const detail::PositionColumns c(cols);
  const int c_price = cols.index("price");
  CsvCells cells(csv, diags);
  CsvRecord r;
  while (csv.next(r)) {
    const std::size_t errors_before = diags.error_count();
    auto p = detail::parse_position_row(cells, r, c, diags, "the trade changes nothing");
    const auto price = cells.number(r, c_price, false);
    if (price && !(*price > 0)) cells.error(r, c_price, "price must be positive (per share; per-share premium for options)");
    if (p && diags.error_count() == errors_before) {
      out.push_back({std::move(*p), price, fmt::format("{}:{}", csv.name(), r.line)});
    }
  }
  if (out.empty() && !diags.has_errors()) {
    diags.error({csv.name(), 0, 0, "", "no trades: the file has a header but no rows"});
  }
  return out;
}

std::vector<Trade> read_trades_file(const std::string& name, const std::optional<std::string>& text,
                                    std::vector<std::string>* warnings, const Files& files) {
  Diagnostics diags;
  CsvReader csv = text ? CsvReader::from_text(name, *text, diags) : CsvReader::open(files.open(name, "trades"), diags);
  auto trades = read_trades(csv, diags);
  diags.throw_if_errors("invalid trades in " + name);
  if (warnings) {
    for (const auto& w : diags.warnings()) warnings->push_back(w.to_string());
  }
  return trades;
}

}  // namespace keel::io
