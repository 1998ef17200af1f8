// Positions reader: stocks, ETFs and options (OCC symbols or explicit option columns).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

#include "keel/io/readers.h"

namespace keel::io {
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

bool is_currency_code(std::string_view s) {
  return s.size() == 3 && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

}  // namespace

std::vector<Position> read_positions(CsvReader& csv, Diagnostics& diags) {
  CsvColumns cols(csv, {"symbol", "quantity"},
                  {"entry_price", "entry_date", "type", "underlying", "strike", "expiry", "option_type",
                   "multiplier", "implied_vol", "sector", "tags", "strategy", "currency", "exercise"},
                  diags);
  std::vector<Position> out;
  if (diags.has_errors()) return out;
  const int c_sym = cols.index("symbol"), c_qty = cols.index("quantity"),
            c_entry_price = cols.index("entry_price"), c_entry_date = cols.index("entry_date"),
            c_type = cols.index("type"), c_under = cols.index("underlying"), c_strike = cols.index("strike"),
            c_expiry = cols.index("expiry"), c_right = cols.index("option_type"),
            c_mult = cols.index("multiplier"), c_vol = cols.index("implied_vol"),
            c_sector = cols.index("sector"), c_tags = cols.index("tags"), c_strategy = cols.index("strategy"),
            c_ccy = cols.index("currency"), c_ex = cols.index("exercise");
  CsvCells cells(csv, diags);
  CsvRecord r;
  while (csv.next(r)) {
    const std::size_t errors_before = diags.error_count();
    Position p;
    const std::string_view sym = cells.text(r, c_sym);
    std::optional<OccSymbol> occ;
    if (sym.empty()) {
      cells.error(r, c_sym, "missing value: expected a ticker or an OCC option symbol");
    } else if ((occ = OccSymbol::parse(sym))) {
      p.type = InstrumentType::kOption;
    } else if (looks_like_occ(sym)) {
      cells.error(r, c_sym, "malformed OCC option symbol \"" + std::string(sym) + "\": " +
                                OccSymbol::explain_invalid(sym));
    } else if (!is_valid_ticker(sym)) {
      cells.error(r, c_sym, "\"" + std::string(sym) +
                                "\" is not a ticker (1-12 of A-Z 0-9 . - ^ / =, upper case) or an OCC option symbol");
    }
    p.symbol = occ ? occ->compact() : std::string(sym);

    if (auto q = cells.number(r, c_qty, true)) {
      p.quantity = *q;
      if (*q == 0) cells.warning(r, c_qty, "quantity is zero: the position has no effect");
    }
    if (!cells.empty(r, c_type)) {
      auto t = parse_instrument_type(cells.text(r, c_type));
      if (!t) {
        cells.error(r, c_type, "unknown type \"" + std::string(cells.text(r, c_type)) +
                                   "\": expected stock, etf, option, cash or other");
      } else if (occ && *t != InstrumentType::kOption) {
        cells.error(r, c_type, "the symbol is an OCC option symbol but type says " + std::string(cells.text(r, c_type)));
      } else {
        p.type = *t;
      }
    }
    if (auto v = cells.number(r, c_entry_price, false)) {
      if (*v < 0) cells.error(r, c_entry_price, "entry_price must not be negative");
      p.entry_price = v;
    }
    p.entry_date = cells.date(r, c_entry_date, false);

    // Option terms: from the OCC symbol, from the columns, and the two must agree.
    const std::string_view under = cells.text(r, c_under);
    auto strike = cells.number(r, c_strike, false);
    auto expiry = cells.date(r, c_expiry, false);
    std::optional<OptionRight> right;
    if (!cells.empty(r, c_right)) {
      right = parse_option_right(cells.text(r, c_right));
      if (!right) cells.error(r, c_right, "expected call or put, got \"" + std::string(cells.text(r, c_right)) + "\"");
    }
    if (strike && *strike <= 0) cells.error(r, c_strike, "strike must be positive");
    if (p.type == InstrumentType::kOption) {
      if (occ) {
        if (!under.empty() && under != occ->root) {
          cells.error(r, c_under, "underlying " + std::string(under) + " disagrees with the OCC root " + occ->root);
        }
        if (strike && std::fabs(*strike - occ->strike) > 1e-9) {
          cells.error(r, c_strike, "strike disagrees with the OCC symbol's " + std::to_string(occ->strike));
        }
        if (expiry && *expiry != occ->expiry) {
          cells.error(r, c_expiry, "expiry disagrees with the OCC symbol's " + occ->expiry.to_string());
        }
        if (right && *right != occ->right) cells.error(r, c_right, "option_type disagrees with the OCC symbol");
        p.underlying = under.empty() ? occ->root : std::string(under);
        p.strike = occ->strike;
        p.expiry = occ->expiry;
        p.option_type = occ->right;
      } else {
        if (under.empty()) cells.error(r, c_under, "an option needs its underlying (or an OCC symbol)");
        else if (!is_valid_ticker(under)) cells.error(r, c_under, "\"" + std::string(under) + "\" is not a ticker");
        if (!strike && c_strike >= 0 && cells.empty(r, c_strike)) cells.error(r, c_strike, "an option needs a strike");
        if (c_strike < 0) cells.error(r, -1, "an option needs a strike column (or an OCC symbol)");
        if (!expiry && cells.empty(r, c_expiry)) cells.error(r, c_expiry < 0 ? -1 : c_expiry, "an option needs an expiry date");
        if (!right && cells.empty(r, c_right)) cells.error(r, c_right < 0 ? -1 : c_right, "an option needs option_type call or put");
        p.underlying = std::string(under);
        p.strike = strike;
        p.expiry = expiry;
        p.option_type = right;
      }
      p.multiplier = 100.0;
      if (!cells.empty(r, c_ex)) {
        auto e = parse_exercise_style(cells.text(r, c_ex));
        if (!e) cells.error(r, c_ex, "expected european or american");
        else p.exercise = *e;
      }
    } else if (!under.empty() || strike || expiry || right) {
      cells.error(r, -1, "option columns (underlying, strike, expiry, option_type) are set on a " +
                             std::string(instrument_type_name(p.type)) + " position: use type option or an OCC symbol");
    }
    if (auto m = cells.number(r, c_mult, false)) {
      if (*m <= 0) cells.error(r, c_mult, "multiplier must be positive");
      else p.multiplier = *m;
    }
    if (auto v = cells.number(r, c_vol, false)) {
      if (*v < 0) cells.error(r, c_vol, "implied_vol must not be negative");
      else if (*v > 5) cells.error(r, c_vol, "implied_vol " + std::string(cells.text(r, c_vol)) +
                                                 " is above 500%: give it as a decimal (0.25 = 25%)");
      else p.implied_vol = v;
    }
    p.sector = std::string(cells.text(r, c_sector));
    p.tags = split_tags(cells.text(r, c_tags));
    p.strategy = std::string(cells.text(r, c_strategy));
    if (!cells.empty(r, c_ccy)) {
      const auto ccy = cells.text(r, c_ccy);
      if (!is_currency_code(ccy)) cells.error(r, c_ccy, "expected a 3-letter ISO currency code such as USD");
      else p.currency = std::string(ccy);
    }
    if (diags.error_count() == errors_before) out.push_back(std::move(p));
  }
  if (out.empty() && !diags.has_errors()) {
    diags.error({csv.name(), 0, 0, "", "no positions: the file has a header but no rows"});
  }
  return out;
}

}  // namespace keel::io
