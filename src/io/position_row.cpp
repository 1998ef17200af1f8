// One positions-like CSV row into a Position (src/io/position_row.h).
#include "position_row.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "keel/io/input.h"
#include "keel/io/readers.h"
#include "keel/portfolio/fx.h"

namespace keel::io::detail {
namespace {

std::vector<std::string> split_tags(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(';', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view t = text.substr(start, end - start);
    while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
    while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
    if (!t.empty()) out.emplace_back(t);
    start = end + 1;
  }
  return out;
}

// Same bound as the `--div` flag (service/exposures.cpp): |q| <= 100% a year.
constexpr double kMaxDividendYield = 1.0;

}  // namespace

PositionColumns::PositionColumns(const CsvColumns& cols)
    : symbol(cols.index("symbol")), quantity(cols.index("quantity")), entry_price(cols.index("entry_price")),
      entry_date(cols.index("entry_date")), type(cols.index("type")), underlying(cols.index("underlying")),
      strike(cols.index("strike")), expiry(cols.index("expiry")), option_type(cols.index("option_type")),
      multiplier(cols.index("multiplier")), implied_vol(cols.index("implied_vol")), sector(cols.index("sector")),
      tags(cols.index("tags")), strategy(cols.index("strategy")), currency(cols.index("currency")),
      exercise(cols.index("exercise")), dividend_yield(cols.index("dividend_yield")) {}

std::optional<Position> parse_position_row(const CsvCells& cells, const CsvRecord& r, const PositionColumns& c,
                                           Diagnostics& diags, std::string_view zero_quantity_note) {
  const std::size_t errors_before = diags.error_count();
  Position p;
  const std::string_view sym = cells.text(r, c.symbol);
  std::optional<OccSymbol> occ;
  // The one symbol rule of every reader (keel/io/readers.h).
  if (auto problem = symbol_problem(sym)) {
    cells.error(r, c.symbol, std::move(*problem));
  } else if ((occ = OccSymbol::parse(sym))) {
    p.type = InstrumentType::kOption;
  }
  p.symbol = occ ? occ->compact() : std::string(sym);

  if (auto q = cells.number(r, c.quantity, true)) {
    p.quantity = *q;
    if (std::abs(*q) > kMaxQuantity) {
      cells.error(r, c.quantity, "quantity " + shown(cells.text(r, c.quantity)) + " is out of range (at most 1e12 in magnitude)");
    }
    if (*q == 0) cells.warning(r, c.quantity, "quantity is zero: " + std::string(zero_quantity_note));
  }
  if (!cells.empty(r, c.type)) {
    auto t = parse_instrument_type(cells.text(r, c.type));
    if (!t) {
      cells.error(r, c.type, "unknown type " + shown(cells.text(r, c.type)) +
                                 ": expected stock, etf, option, cash or other");
    } else if (occ && *t != InstrumentType::kOption) {
      cells.error(r, c.type, "the symbol is an OCC option symbol but type says " + shown_with(cells.text(r, c.type), 64, '\0'));
    } else {
      p.type = *t;
    }
  }
  if (auto v = cells.number(r, c.entry_price, false)) {
    if (*v < 0) cells.error(r, c.entry_price, "entry_price must not be negative");
    p.entry_price = v;
  }
  p.entry_date = cells.date(r, c.entry_date, false);

  // Option terms: from the OCC symbol, from the columns, and the two must agree.
  const std::string_view under = cells.text(r, c.underlying);
  auto strike = cells.number(r, c.strike, false);
  auto expiry = cells.date(r, c.expiry, false);
  std::optional<OptionRight> right;
  if (!cells.empty(r, c.option_type)) {
    right = parse_option_right(cells.text(r, c.option_type));
    if (!right) cells.error(r, c.option_type, "expected call or put, got " + shown(cells.text(r, c.option_type)));
  }
  if (strike && *strike <= 0) cells.error(r, c.strike, "strike must be positive");
  if (p.type == InstrumentType::kOption) {
    if (occ) {
      if (!under.empty() && under != occ->root) {
        cells.error(r, c.underlying, "underlying " + shown_with(under, 64, '\0') + " disagrees with the OCC root " + occ->root);
      }
      if (strike && std::fabs(*strike - occ->strike) > 1e-9) {
        cells.error(r, c.strike, fmt::format("strike disagrees with the OCC symbol's {:f}", occ->strike));
      }
      if (expiry && *expiry != occ->expiry) {
        cells.error(r, c.expiry, "expiry disagrees with the OCC symbol's " + occ->expiry.to_string());
      }
      if (right && *right != occ->right) cells.error(r, c.option_type, "option_type disagrees with the OCC symbol");
      p.underlying = under.empty() ? occ->root : std::string(under);
      p.strike = occ->strike;
      p.expiry = occ->expiry;
      p.option_type = occ->right;
    } else {
      if (under.empty()) cells.error(r, c.underlying, "an option needs its underlying (or an OCC symbol)");
      else if (!is_valid_ticker(under)) cells.error(r, c.underlying, shown(under) + " is not a ticker");
      if (!strike && c.strike >= 0 && cells.empty(r, c.strike)) cells.error(r, c.strike, "an option needs a strike");
      if (c.strike < 0) cells.error(r, -1, "an option needs a strike column (or an OCC symbol)");
      if (!expiry && cells.empty(r, c.expiry)) cells.error(r, c.expiry < 0 ? -1 : c.expiry, "an option needs an expiry date");
      if (!right && cells.empty(r, c.option_type)) cells.error(r, c.option_type < 0 ? -1 : c.option_type, "an option needs option_type call or put");
      p.underlying = std::string(under);
      p.strike = strike;
      p.expiry = expiry;
      p.option_type = right;
    }
    p.multiplier = 100.0;
    if (!cells.empty(r, c.exercise)) {
      auto e = parse_exercise_style(cells.text(r, c.exercise));
      if (!e) cells.error(r, c.exercise, "expected european or american");
      else p.exercise = *e;
    } else {
      p.exercise = default_exercise_style(p.underlying);
    }
  } else if (!under.empty() || strike || expiry || right) {
    cells.error(r, -1, "option columns (underlying, strike, expiry, option_type) are set on a " +
                           std::string(instrument_type_name(p.type)) + " position: use type option or an OCC symbol");
  }
  if (auto m = cells.number(r, c.multiplier, false)) {
    if (*m <= 0) cells.error(r, c.multiplier, "multiplier must be positive");
    else p.multiplier = *m;
  }
  if (auto v = cells.number(r, c.implied_vol, false)) {
    if (*v < 0) cells.error(r, c.implied_vol, "implied_vol must not be negative");
    else if (*v > 5) cells.error(r, c.implied_vol, "implied_vol " + shown_with(cells.text(r, c.implied_vol), 64, '\0') +
                                               " is above 500%: give it as a decimal (0.25 = 25%)");
    else p.implied_vol = v;
  }
  if (auto y = cells.number(r, c.dividend_yield, false)) {
    if (p.type != InstrumentType::kOption) {
      cells.warning(r, c.dividend_yield, "dividend_yield is ignored on a " + std::string(instrument_type_name(p.type)) +
                                             " position: it applies to options (the yield of their underlying)");
    } else if (!(std::fabs(*y) <= kMaxDividendYield)) {
      cells.error(r, c.dividend_yield, "dividend_yield " + shown_with(cells.text(r, c.dividend_yield), 64, '\0') +
                                           " is outside [-1, 1]: give it as a continuous decimal (0.02 = 2%)");
    } else {
      p.dividend_yield = y;
    }
  }
  p.sector = std::string(cells.text(r, c.sector));
  p.tags = split_tags(cells.text(r, c.tags));
  p.strategy = std::string(cells.text(r, c.strategy));
  if (!cells.empty(r, c.currency)) {
    const auto ccy = cells.text(r, c.currency);
    if (!is_currency_code(ccy)) cells.error(r, c.currency, "expected a 3-letter ISO currency code such as USD");
    else p.currency = std::string(ccy);
  }
  if (diags.error_count() != errors_before) return std::nullopt;
  return p;
}

}  // namespace keel::io::detail
