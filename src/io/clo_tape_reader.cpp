// The loan tape (the collateral CSV) and the trade ticket (keel/io/clo_deal_reader.h,
// docs/clo.md): one row reader for a loan, both agencies' ratings, the tape's flags and ids.
#include <fmt/format.h>

#include <initializer_list>
#include <string>

#include "clo_tape.h"
#include "keel/clo/rating.h"
#include "keel/clo/trade.h"
#include "keel/core/strings.h"
#include "keel/io/clo_deal_reader.h"

namespace keel::io {
namespace clo_tape {

bool valid_country(std::string_view c) {
  return c.size() == 2 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z';
}

std::optional<clo::CouponType> coupon_type(std::string_view s) {
  if (s == "floating" || s == "float") return clo::CouponType::kFloating;
  if (s == "fixed") return clo::CouponType::kFixed;
  return std::nullopt;
}

namespace {

// A yes/no cell of the loan tape: true/false, 1/0, yes/no, y/n (any case); empty is false.
std::optional<bool> flag_cell(std::string_view t) {
  if (t.empty() || iequals(t, "false") || t == "0" || iequals(t, "no") || iequals(t, "n")) return false;
  if (iequals(t, "true") || t == "1" || iequals(t, "yes") || iequals(t, "y")) return true;
  return std::nullopt;
}

// The loan tape's optional columns, beside obligor, par and maturity (required) — the collateral
// CSV's and a trade ticket's.
const std::initializer_list<std::string_view> kLoanColumns{
    "industry", "price",    "spread",      "floor",    "coupon_type", "coupon",  "lien",
    "defaulted", "id",      "name",        "rating",   "moodys_rating", "sp_rating", "asset_id",
    "facility_id", "unfunded", "country", "cov_lite", "dip"};

// The columns of a loan tape in one file.
struct LoanColumns {
  int obligor, industry, par, price, spread, floor, coupon_type, coupon, maturity, rating, lien, defaulted, moodys, sp,
      asset, facility, unfunded, country, cov_lite, dip;
  explicit LoanColumns(const CsvColumns& c)
      : obligor(c.index("obligor")), industry(c.index("industry")), par(c.index("par")), price(c.index("price")),
        spread(c.index("spread")), floor(c.index("floor")), coupon_type(c.index("coupon_type")),
        coupon(c.index("coupon")), maturity(c.index("maturity")), rating(c.index("rating")), lien(c.index("lien")),
        defaulted(c.index("defaulted")), moodys(c.index("moodys_rating")), sp(c.index("sp_rating")),
        asset(c.has("asset_id") ? c.index("asset_id") : c.index("id")), facility(c.index("facility_id")),
        unfunded(c.index("unfunded")), country(c.index("country")), cov_lite(c.index("cov_lite")),
        dip(c.index("dip")) {}
  bool any_rating() const { return rating >= 0 || moodys >= 0 || sp >= 0; }
};

// The loan of one row, every bad cell reported. Its rating: `moodys_rating` and/or `sp_rating`
// (the deal's rating rule derives the tested one), or the older single `rating` column (Moody's).
clo::Loan read_loan_cells(const CsvCells& cells, const CsvRecord& r, const LoanColumns& c) {
  clo::Loan l;
  auto flag = [&](int col, bool& to) {
    if (col < 0) return;
    const auto v = flag_cell(cells.text(r, col));
    if (!v) {
      cells.error(r, col, "must be true or false");
    } else {
      to = *v;
    }
  };
  l.obligor = std::string(cells.text(r, c.obligor));
  if (l.obligor.empty()) cells.error(r, c.obligor, "obligor must not be empty");
  l.industry = cells.empty(r, c.industry) ? "Unknown" : std::string(cells.text(r, c.industry));
  const auto par = cells.number(r, c.par, true);  // a cell that is not a number is reported once
  l.par = par.value_or(0.0);
  if (par && *par <= 0.0) cells.error(r, c.par, "par must be positive");
  l.price = cells.number(r, c.price, false).value_or(100.0) / 100.0;
  if (!cells.empty(r, c.coupon_type)) {
    const auto t = coupon_type(cells.text(r, c.coupon_type));
    if (!t) {
      cells.error(r, c.coupon_type, "must be floating or fixed");
    } else {
      l.coupon_type = *t;
    }
  }
  // A rate a loan of its coupon type needs, named even when the file has no such column.
  auto rate = [&](int col, const char* name, bool required) {
    if (col < 0 && required) {
      cells.error(r, -1, std::string(name) + ": required for a " +
                             (l.coupon_type == clo::CouponType::kFixed ? "fixed" : "floating") +
                             " loan, and the file has no " + name + " column");
      return 0.0;
    }
    return cells.number(r, col, required).value_or(0.0);
  };
  l.spread = rate(c.spread, "spread", l.coupon_type == clo::CouponType::kFloating);
  l.floor = cells.number(r, c.floor, false).value_or(0.0);
  l.coupon = rate(c.coupon, "coupon", l.coupon_type == clo::CouponType::kFixed);
  if (c.maturity < 0) {
    cells.error(r, -1, "maturity: required, and the file has no maturity column");
  } else {
    l.maturity = cells.date(r, c.maturity, true).value_or(Date());
  }
  // The single `rating` column is Moody's; moodys_rating wins when both are given.
  const int moodys_col = c.moodys >= 0 && !cells.empty(r, c.moodys) ? c.moodys : c.rating;
  if (moodys_col >= 0 && !cells.empty(r, moodys_col)) {
    const auto text = cells.text(r, moodys_col);
    l.moodys = clo::parse_moodys_rating(text);
    if (!l.moodys) cells.error(r, moodys_col, "unknown Moody's rating " + shown_with(text, 64, '\'') + " (expected Aaa .. C)");
  }
  const bool sp_given = c.sp >= 0 && !cells.empty(r, c.sp);
  if (sp_given) {
    const auto text = cells.text(r, c.sp);
    l.sp = clo::parse_sp_rating(text);
    if (!l.sp) cells.error(r, c.sp, "unknown S&P rating " + shown_with(text, 64, '\'') + " (expected AAA .. C)");
  }
  if (!c.any_rating()) {
    cells.error(r, -1, "rating: required, and the file has no rating, moodys_rating or sp_rating column");
  } else if ((moodys_col < 0 || cells.empty(r, moodys_col)) && !sp_given) {
    cells.error(r, moodys_col >= 0 ? moodys_col : c.sp, "the loan needs a Moody's or an S&P rating");
  }
  if (!cells.empty(r, c.lien)) l.lien = std::string(cells.text(r, c.lien));
  flag(c.defaulted, l.defaulted);
  flag(c.cov_lite, l.cov_lite);
  flag(c.dip, l.dip);
  if (c.asset >= 0) l.asset_id = std::string(cells.text(r, c.asset));
  if (c.facility >= 0) l.facility_id = std::string(cells.text(r, c.facility));
  if (c.country >= 0) l.country = std::string(cells.text(r, c.country));
  if (!l.country.empty() && !valid_country(l.country)) {
    cells.error(r, c.country, "must be an ISO 3166 alpha-2 country code such as US or GB");
  }
  const auto unfunded = cells.number(r, c.unfunded, false);
  l.unfunded = unfunded.value_or(0.0);
  if (unfunded && *unfunded < 0.0) cells.error(r, c.unfunded, "unfunded must be an amount >= 0");
  l.rating = l.moodys ? *l.moodys : l.sp.value_or(clo::MoodysRating::kB2);  // the deal's rule applies later
  return l;
}

// A trade ticket: action, price and the loan (asset_id or obligor), with par; a buy's row is a
// loan of the tape. Line numbers go into each trade's `where`.
void read_trades_csv(Diagnostics& diags, CsvReader csv, std::vector<clo::Trade>& out) {
  // Columns other than the tape's are the manager's own (a note, a trader): not warned about.
  CsvColumns cols(csv, {"action", "price"}, {}, diags, false);
  const LoanColumns c(cols);
  const int c_action = cols.index("action"), c_price = cols.index("price");
  CsvCells cells(csv, diags);
  CsvRecord r;
  while (csv.next(r)) {
    clo::Trade t;
    t.where = fmt::format("{}:{}", csv.name(), r.line);
    const auto action_text = cells.text(r, c_action);
    const auto action = clo::parse_trade_action(action_text);
    if (!action) {
      cells.error(r, c_action, "must be buy, sell, upsize or downsize, got " + shown_with(action_text, 32, '\''));
      continue;
    }
    t.action = *action;
    const auto price = cells.number(r, c_price, true);
    t.price = price.value_or(100.0) / 100.0;
    if (price && !(*price > 0.0 && *price <= 200.0)) cells.error(r, c_price, "must be in percent of par, above 0 and at most 200");
    if (t.action == clo::TradeAction::kBuy) {
      t.loan = read_loan_cells(cells, r, c);
      t.par = t.loan.par;
    } else {
      t.asset = std::string(cells.text(r, c.asset));
      if (t.asset.empty()) t.asset = std::string(cells.text(r, c.obligor));
      if (t.asset.empty()) cells.error(r, c.asset >= 0 ? c.asset : c.obligor, "name the loan: asset_id or obligor");
      t.par = cells.number(r, c.par, t.action != clo::TradeAction::kSell);
      if (t.par && *t.par <= 0.0) cells.error(r, c.par, "par must be positive");
    }
    out.push_back(std::move(t));
  }
}

}  // namespace

void read_collateral_csv(Diagnostics& diags, CsvReader csv, std::vector<clo::Loan>& out) {
  CsvColumns cols(csv, {"obligor", "par", "maturity"}, kLoanColumns, diags);
  const LoanColumns c(cols);
  if (!c.any_rating()) {
    diags.error({csv.name(), csv.header_line(), 0, "",
                 "missing a rating column: rating (Moody's), or moodys_rating and/or sp_rating"});
    return;
  }
  CsvCells cells(csv, diags);
  CsvRecord r;
  while (csv.next(r)) out.push_back(read_loan_cells(cells, r, c));
}

}  // namespace clo_tape

std::vector<clo::Trade> parse_clo_trades_csv(const std::string& text, const std::string& display_name) {
  Diagnostics diags;
  std::vector<clo::Trade> out;
  clo_tape::read_trades_csv(diags, CsvReader::from_text(display_name, text, diags), out);
  if (out.empty() && !diags.has_errors()) diags.error({display_name, 0, 0, "", "the trade ticket has no trades"});
  diags.throw_if_errors("invalid CLO trades " + display_name);
  return out;
}

std::vector<clo::Loan> parse_clo_collateral_csv(const std::string& text, const std::string& display_name) {
  Diagnostics diags;
  std::vector<clo::Loan> out;
  clo_tape::read_collateral_csv(diags, CsvReader::from_text(display_name, text, diags), out);
  if (out.empty() && !diags.has_errors()) diags.error({display_name, 0, 0, "", "the collateral file has no loans"});
  diags.throw_if_errors("invalid CLO collateral " + display_name);
  return out;
}

}  // namespace keel::io
