// Positions reader: stocks, ETFs and options (OCC symbols or explicit option columns), in keel's
// columns or as a broker's positions download (keel/io/broker_positions.h).
#include <fmt/format.h>

#include <cmath>

#include "keel/core/error.h"
#include "keel/io/broker_positions.h"
#include "keel/io/readers.h"
#include "position_row.h"

namespace keel::io {
namespace {

// A broker's rows as positions: the option's terms from its symbol, the entry price the cost basis
// over the shares (per share for an option, as the canonical entry_price), the currency the
// broker's (USD).
std::vector<Position> positions_of(const BrokerPositions& file, const std::string& name, Diagnostics& diags) {
  std::vector<Position> out;
  for (const auto& row : file.rows) {
    Position p;
    p.symbol = row.symbol;
    p.type = row.type;
    p.quantity = row.quantity.to_double();
    if (std::abs(p.quantity) > kMaxQuantity) {
      diags.error({name, row.line, 0, "", "quantity is out of range (at most 1e12 in magnitude)"});
      continue;
    }
    if (row.option) {
      p.underlying = row.option->root;
      p.strike = row.option->strike;
      p.expiry = row.option->expiry;
      p.option_type = row.option->right;
      p.multiplier = 100.0;
      p.exercise = default_exercise_style(p.underlying);
    }
    if (row.cost_basis && !row.quantity.is_zero() && row.type != InstrumentType::kCash) {
      p.entry_price = row.cost_basis->abs().to_double() / (std::abs(p.quantity) * p.multiplier);
    }
    if (row.quantity.is_zero()) {
      diags.warning({name, row.line, 0, "", "quantity is zero: the position has no effect"});
    }
    out.push_back(std::move(p));
  }
  std::string accounts;
  for (const auto& a : file.accounts) accounts += (accounts.empty() ? "" : ", ") + a;
  diags.warning(
      {name, 0, 0, "",
       fmt::format("read as a {} download: {} position{}{}", broker_positions_format_name(file.format),
                   out.size(), out.size() == 1 ? "" : "s",
                   file.accounts.size() > 1 ? " from the accounts " + accounts
                   : accounts.empty()       ? std::string()
                                            : " of the account " + accounts)});
  return out;
}

}  // namespace

std::vector<Position> read_positions(CsvReader& csv, Diagnostics& diags, std::string_view broker_account) {
  if (auto broker = read_broker_positions(csv, diags)) {
    if (!broker_account.empty() && !diags.has_errors())
      select_broker_account(*broker, broker_account, csv.name());
    auto out = positions_of(*broker, csv.name(), diags);
    if (out.empty() && !diags.has_errors()) {
      diags.error({csv.name(), 0, 0, "", "no positions: the download holds no position rows"});
    }
    return out;
  }
  if (!broker_account.empty()) {
    throw Error::invalid_input(fmt::format(
        "broker_account: {} has keel's positions columns, not a broker's positions download", csv.name()));
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
