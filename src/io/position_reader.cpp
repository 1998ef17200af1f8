// Positions reader: stocks, ETFs and options (OCC symbols or explicit option columns).
#include "keel/io/readers.h"
#include "position_row.h"

namespace keel::io {

std::vector<Position> read_positions(CsvReader& csv, Diagnostics& diags) {
  CsvColumns cols(csv, {"symbol", "quantity"},
                  {"entry_price", "entry_date", "type", "underlying", "strike", "expiry", "option_type",
                   "multiplier", "implied_vol", "sector", "tags", "strategy", "currency", "exercise", "dividend_yield"},
                  diags);
  std::vector<Position> out;
  if (diags.has_errors()) return out;
  const detail::PositionColumns c(cols);
  CsvCells cells(csv, diags);
  CsvRecord r;
  while (csv.next(r)) {
    if (auto p = detail::parse_position_row(cells, r, c, diags, "the position has no effect")) out.push_back(std::move(*p));
  }
  if (out.empty() && !diags.has_errors()) {
    diags.error({csv.name(), 0, 0, "", "no positions: the file has a header but no rows"});
  }
  return out;
}

}  // namespace keel::io
