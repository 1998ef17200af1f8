// Positions reader: stocks, ETFs and options (OCC symbols or explicit option columns), in keel's
// columns or as a broker's positions download (keel/io/broker_positions.h).
#include <fmt/format.h>

#include <cmath>

#include "keel/core/error.h"
#include "keel/io/broker_positions.h"
#include "keel/io/readers.h"
#include "position_row.h"

namespace keel::io {

std::vector<Position> read_positions(CsvReader& csv, Diagnostics& diags, std::string_view broker_account) {
  if (auto broker = read_broker_positions(csv, diags)) {
    if (!broker_account.empty() && !diags.has_errors())
      select_broker_account(*broker, broker_account, csv.name());
    auto out = positions_from_broker(*broker, csv.name(), diags);
    if (out.empty() && !diags.has_errors()) {
      diags.error({csv.name(), 0, 0, "", "no positions: the download holds no position rows"});
    }
    return out;
  }
  if (!broker_account.empty()) {
    const std::string why =
        fmt::format("{} has keel's positions columns, not a broker's positions download", csv.name());
    throw Error::invalid_input(why, {"broker_account: " + why});
  }
  CsvColumns cols(
      csv, {"symbol", "quantity"},
      {"entry_price", "entry_date", "type", "underlying", "strike", "expiry", "option_type", "multiplier",
       "implied_vol", "sector", "tags", "strategy", "currency", "exercise", "dividend_yield"},
      diags);
  std::vector<Position> out;
  if (diags.has_errors()) return out;
  const detail::PositionColumns c(cols);
  CsvCells cells(csv, diags);
  CsvRecord r;
  while (csv.next(r)) {
    if (auto p = detail::parse_position_row(cells, r, c, diags, "the position has no effect"))
      out.push_back(std::move(*p));
  }
  if (out.empty() && !diags.has_errors()) {
    diags.error({csv.name(), 0, 0, "", "no positions: the file has a header but no rows"});
  }
  return out;
}

}  // namespace keel::io
