// Option quotes reader (keel/io/option_quotes_reader.h): one row per option, validated cell by cell.
#include "keel/io/option_quotes_reader.h"

#include <fmt/format.h>

#include <cmath>
#include <string>

#include "keel/io/input.h"

namespace keel::io {
namespace {

std::string num_text(double v) {
  std::string s = fmt::format("{:f}", v);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

}  // namespace

std::vector<OptionQuote> read_option_quotes(CsvReader& csv, Diagnostics& diags) {
  std::vector<OptionQuote> out;
  CsvColumns cols(csv, {"spot", "price"},
                  {"symbol", "option_type", "strike", "expiry", "years", "exercise", "rate", "dividend_yield"}, diags);
  if (diags.has_errors()) return out;
  const int c_sym = cols.index("symbol"), c_type = cols.index("option_type"), c_strike = cols.index("strike"),
            c_expiry = cols.index("expiry"), c_years = cols.index("years"), c_ex = cols.index("exercise"),
            c_spot = cols.index("spot"), c_price = cols.index("price"), c_rate = cols.index("rate"),
            c_div = cols.index("dividend_yield");
  // Without an OCC symbol column the contract needs its three columns in the header.
  if (c_sym < 0) {
    for (const char* need : {"option_type", "strike"}) {
      if (!cols.has(need)) {
        diags.error({csv.name(), csv.header_line(), 0, "",
                     std::string("missing column \"") + need + "\" (or an OCC option symbol in \"symbol\")"});
      }
    }
    if (c_expiry < 0 && c_years < 0) {
      diags.error({csv.name(), csv.header_line(), 0, "",
                   "missing column \"expiry\" or \"years\" (or an OCC option symbol in \"symbol\")"});
    }
    if (diags.has_errors()) return out;
  }
  CsvCells cells(csv, diags);
  CsvRecord r;
  while (csv.next(r)) {
    const std::size_t errors_before = diags.error_count();
    OptionQuote q;
    q.line = r.line;
    q.symbol = std::string(cells.text(r, c_sym));
    const std::optional<OccSymbol> occ = q.symbol.empty() ? std::nullopt : OccSymbol::parse(q.symbol);

    // The contract: its own cells, else the OCC symbol's fields; both must agree.
    std::optional<OptionRight> right;
    if (!cells.empty(r, c_type)) {
      right = parse_option_right(cells.text(r, c_type));
      if (!right) cells.error(r, c_type, shown(cells.text(r, c_type)) + " is not an option type: expected call or put");
    }
    if (occ && right && *right != occ->right) {
      cells.error(r, c_type, "option_type " + shown_with(cells.text(r, c_type), 64, '\0') + " disagrees with the OCC symbol " +
                                 shown(q.symbol));
    }
    if (!right && occ) right = occ->right;
    if (!right && cells.empty(r, c_type)) {
      cells.error(r, c_type < 0 ? c_sym : c_type, "missing value: expected call or put (or an OCC option symbol)");
    }

    double strike = 0.0;  // > 0 once known
    if (!cells.empty(r, c_strike)) {
      const auto v = cells.number(r, c_strike, true);
      if (v && !(*v > 0.0 && *v <= kMaxPrice)) {
        cells.error(r, c_strike, "strike must be > 0 and at most 1e9, got " + shown_with(cells.text(r, c_strike), 64, '\0'));
      } else if (v && occ && std::abs(*v - occ->strike) > 1e-9 * occ->strike) {
        cells.error(r, c_strike, "strike " + shown_with(cells.text(r, c_strike), 64, '\0') + " disagrees with the OCC symbol " +
                                     shown(q.symbol) + " (" + num_text(occ->strike) + ")");
      } else if (v) {
        strike = *v;
      }
    } else if (occ) {
      strike = occ->strike;
    } else {
      cells.error(r, c_strike < 0 ? c_sym : c_strike, "missing value: expected the strike (or an OCC option symbol)");
    }

    const bool has_years = !cells.empty(r, c_years), has_expiry = !cells.empty(r, c_expiry);
    if (has_years && has_expiry) {
      cells.error(r, c_years, "give either years or expiry, not both");
    } else if (has_years) {
      q.years = cells.number(r, c_years, true);
      if (q.years && !(*q.years >= 0.0 && *q.years <= 200.0)) {
        cells.error(r, c_years, "years to expiry must be from 0 to 200, got " + shown_with(cells.text(r, c_years), 64, '\0'));
      }
    } else if (has_expiry) {
      q.expiry = cells.date(r, c_expiry, true);
      q.expiry_column = static_cast<std::size_t>(c_expiry) + 1;
      if (q.expiry && occ && *q.expiry != occ->expiry) {
        cells.error(r, c_expiry, "expiry " + q.expiry->to_string() + " disagrees with the OCC symbol " + shown(q.symbol) +
                                     " (" + occ->expiry.to_string() + ")");
      }
    } else if (occ) {
      q.expiry = occ->expiry;
      q.expiry_column = static_cast<std::size_t>(c_sym) + 1;
    } else {
      cells.error(r, c_expiry >= 0 ? c_expiry : (c_years >= 0 ? c_years : c_sym),
                  "missing value: expected expiry (YYYY-MM-DD) or years (or an OCC option symbol)");
    }

    if (!cells.empty(r, c_ex)) {
      q.exercise = parse_exercise_style(cells.text(r, c_ex));
      if (!q.exercise) cells.error(r, c_ex, shown(cells.text(r, c_ex)) + " is not an exercise style: expected european or american");
    }
    auto positive = [&](int col, const char* what, double& dest) {
      const auto v = cells.number(r, col, true);
      if (!v) return;
      if (!(*v > 0.0 && *v <= kMaxPrice)) {
        cells.error(r, col, std::string(what) + " must be > 0 and at most 1e9, got " + shown_with(cells.text(r, col), 64, '\0'));
        return;
      }
      dest = *v;
    };
    positive(c_spot, "spot", q.spot);
    if (const auto p = cells.number(r, c_price, true)) {
      if (!(*p >= 0.0 && *p <= kMaxPrice)) {
        cells.error(r, c_price, "price must be from 0 to 1e9, got " + shown_with(cells.text(r, c_price), 64, '\0'));
      }
      q.price = *p;
    }
    auto decimal = [&](int col, const char* what, std::optional<double>& dest) {
      if (cells.empty(r, col)) return;
      const auto v = cells.number(r, col, true);
      if (!v) return;
      if (!(std::abs(*v) <= 1.0)) {
        cells.error(r, col, std::string(what) + " must be a continuous decimal from -1 to 1 (0.05 = 5%), got " +
                                shown_with(cells.text(r, col), 64, '\0'));
        return;
      }
      dest = *v;
    };
    decimal(c_rate, "rate", q.rate);
    decimal(c_div, "dividend_yield", q.div);
    if (diags.error_count() != errors_before || !right || !(strike > 0.0)) continue;
    q.right = *right;
    q.strike = strike;
    out.push_back(std::move(q));
  }
  return out;
}

}  // namespace keel::io
