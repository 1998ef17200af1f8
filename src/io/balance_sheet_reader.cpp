#include "keel/io/balance_sheet_reader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <unordered_set>

#include "keel/core/error.h"
#include "keel/core/parse.h"
#include "keel/core/tenor.h"
#include "keel/io/input.h"
#include "keel/core/strings.h"
#include "keel/portfolio/fx.h"

namespace keel::io {
namespace {

std::string upper(std::string_view s) { return to_upper(s); }

// Months of a frequency tenor (1M..12M, 1Y); 0 for "0"/"maturity"/"bullet" when allowed.
std::optional<int> frequency_months(std::string_view text, bool allow_zero) {
  const std::string t = upper(trim(text));
  if (allow_zero && (t == "0" || t == "MATURITY" || t == "BULLET" || t == "ZC" || t == "NONE")) return 0;
  auto tenor = Tenor::parse(t);
  if (!tenor) return std::nullopt;
  int months = 0;
  if (tenor->unit == Tenor::Unit::kMonth) months = tenor->count;
  else if (tenor->unit == Tenor::Unit::kYear) months = 12 * tenor->count;
  else return std::nullopt;
  if (months < 1 || months > 12) return std::nullopt;
  return months;
}

std::optional<double> behavioural_years(std::string_view text) {
  if (auto y = parse_double(text)) return *y;
  auto tenor = Tenor::parse(text);
  if (!tenor || tenor->unit == Tenor::Unit::kDay || tenor->unit == Tenor::Unit::kWeek) return std::nullopt;
  return tenor->years();
}

}  // namespace

alm::BalanceSheet read_balance_sheet(CsvReader& csv, const BalanceSheetReadOptions& options, Diagnostics& diags) {
  alm::BalanceSheet book;
  book.source = csv.name();
  CsvColumns cols(csv,
                  {"id", "side", "type", "notional", "start_date", "maturity_date", "rate_type", "rate"},
                  {"currency", "spread", "index", "reset_frequency", "payment_frequency", "amortization", "day_count",
                   "first_reset_date", "floor", "cap", "behavioural_maturity", "calendar"},
                  diags);
  if (diags.has_errors()) return book;
  const int c_id = cols.index("id"), c_side = cols.index("side"), c_type = cols.index("type"),
            c_notional = cols.index("notional"), c_start = cols.index("start_date"),
            c_maturity = cols.index("maturity_date"), c_rate_type = cols.index("rate_type"), c_rate = cols.index("rate"),
            c_ccy = cols.index("currency"), c_spread = cols.index("spread"), c_index = cols.index("index"),
            c_reset = cols.index("reset_frequency"), c_pay = cols.index("payment_frequency"),
            c_amort = cols.index("amortization"), c_dc = cols.index("day_count"), c_first = cols.index("first_reset_date"),
            c_floor = cols.index("floor"), c_cap = cols.index("cap"), c_beh = cols.index("behavioural_maturity"),
            c_cal = cols.index("calendar");
  CsvCells cells(csv, diags);
  std::unordered_set<std::string> ids;
  CsvRecord r;
  const std::size_t errors_before = diags.error_count();
  while (csv.next(r)) {
    const std::size_t errors_at_row = diags.error_count();
    alm::PositionTerms t;
    const std::string id(cells.text(r, c_id));
    if (id.empty()) cells.error(r, c_id, "an id is required");
    else if (!ids.insert(id).second) cells.error(r, c_id, "id " + shown(id) + " is used by another row");

    if (auto s = alm::parse_side(cells.text(r, c_side))) t.side = *s;
    else cells.error(r, c_side, shown(cells.text(r, c_side)) + " is not a side: expected asset or liability");

    const std::string type(cells.text(r, c_type));
    if (type.empty()) cells.error(r, c_type, "a type is required (loan, mortgage, bond, deposit, nmd, ...)");

    if (auto n = cells.number(r, c_notional, true)) {
      if (!(*n > 0.0)) {
        cells.error(r, c_notional, "notional " + shown_with(cells.text(r, c_notional), 64, '\0') +
                                       " must be positive: the side (asset or liability) gives the direction");
      }
      t.notional = *n;
    }

    std::optional<double> beh;
    if (!cells.empty(r, c_beh)) {
      beh = behavioural_years(cells.text(r, c_beh));
      if (!beh || !(*beh > 0.0) || *beh > 50.0) {
        cells.error(r, c_beh, shown(cells.text(r, c_beh)) +
                                  " is not a behavioural maturity: expected a tenor (5Y, 18M) or years (0 < y <= 50)");
        beh.reset();
      } else {
        t.behavioural_years = *beh;
      }
    }
    auto start = cells.date(r, c_start, true);
    auto maturity = cells.date(r, c_maturity, !beh.has_value() && cells.empty(r, c_beh));
    if (start) t.start_date = *start;
    if (maturity) t.maturity_date = *maturity;
    else if (start) t.maturity_date = start->add_days(1);
    if (start && maturity && *maturity <= *start) {
      cells.error(r, c_maturity, "maturity_date " + maturity->to_string() + " is not after start_date " +
                                     start->to_string());
    }

    if (auto rt = alm::parse_rate_type(cells.text(r, c_rate_type))) t.rate_type = *rt;
    else cells.error(r, c_rate_type, shown(cells.text(r, c_rate_type)) + " is not a rate type: expected fixed or floating");

    auto decimal = [&](int col, bool required, const char* what) -> std::optional<double> {
      auto v = cells.number(r, col, required);
      if (v && std::fabs(*v) >= 1.0) {
        cells.error(r, col, std::string(what) + " " + std::string(cells.text(r, col)) +
                                " looks like a percentage: give decimals (0.035 = 3.5%)");
        return std::nullopt;
      }
      return v;
    };
    if (auto v = decimal(c_rate, true, "rate")) t.rate = *v;
    if (auto v = decimal(c_spread, false, "spread")) {
      t.spread = *v;
      t.has_margin = true;
    }
    if (auto v = decimal(c_floor, false, "floor")) t.floor = *v;
    if (auto v = decimal(c_cap, false, "cap")) t.cap = *v;
    if (t.floor > t.cap) cells.error(r, c_floor, "floor is above cap");

    std::string ccy = cells.empty(r, c_ccy) ? options.default_currency : upper(cells.text(r, c_ccy));
    if (!is_currency_code(ccy)) {
      cells.error(r, c_ccy, shown(ccy) + " is not a currency code (three letters, e.g. USD, EUR)");
      ccy = options.default_currency;
    }

    if (!cells.empty(r, c_pay)) {
      if (auto m = frequency_months(cells.text(r, c_pay), true)) t.payment_months = static_cast<std::uint8_t>(*m);
      else cells.error(r, c_pay, shown(cells.text(r, c_pay)) + " is not a payment frequency: expected 1M, 3M, 6M, 12M or 0 (at maturity)");
    }
    if (!cells.empty(r, c_reset)) {
      if (auto m = frequency_months(cells.text(r, c_reset), false)) t.reset_months = static_cast<std::uint8_t>(*m);
      else cells.error(r, c_reset, shown(cells.text(r, c_reset)) + " is not a reset frequency: expected 1M, 3M, 6M or 12M");
    } else if (t.rate_type == alm::RateType::kFloating && t.payment_months > 0) {
      t.reset_months = t.payment_months;
    }
    if (!cells.empty(r, c_amort)) {
      if (auto a = alm::parse_amortization(cells.text(r, c_amort))) t.amortization = *a;
      else cells.error(r, c_amort, shown(cells.text(r, c_amort)) + " is not an amortization: expected bullet, annuity or linear");
    }
    if (!cells.empty(r, c_dc)) {
      if (auto d = alm::parse_day_count(cells.text(r, c_dc))) t.day_count = *d;
      else cells.error(r, c_dc, shown(cells.text(r, c_dc)) + " is not a day count: expected act/365, act/360, 30/360 or act/act");
    }
    t.first_reset_date = t.start_date;
    if (auto f = cells.date(r, c_first, false)) {
      if (t.rate_type != alm::RateType::kFloating) cells.warning(r, c_first, "first_reset_date ignored on a fixed-rate position");
      else if (start && *f < *start) cells.error(r, c_first, "first_reset_date is before start_date");
      else t.first_reset_date = *f;
    }
    std::string calendar = cells.empty(r, c_cal) ? ccy : std::string(trim(cells.text(r, c_cal)));
    if (!alm::is_known_calendar(calendar)) {
      if (cells.empty(r, c_cal)) {
        calendar = "weekends";  // a currency without a QuantLib calendar: weekends only
      } else {
        cells.error(r, c_cal, shown(calendar) + " is not a calendar: expected a currency code (USD, EUR, GBP, ...), TARGET, weekends or none");
      }
    }
    if (diags.error_count() != errors_at_row) continue;
    t.currency = book.intern_currency(ccy);
    t.calendar = book.intern_calendar(calendar);
    book.add(t, id, type, std::string(cells.text(r, c_index)), r.line);
  }
  if (diags.error_count() == errors_before && book.size() == 0) {
    diags.error({csv.name(), 0, 0, "", "the balance sheet has no positions"});
  }
  if (diags.has_errors()) return alm::BalanceSheet{};
  return book;
}

alm::ShockTable read_shock_table(CsvReader& csv, Diagnostics& diags) {
  alm::ShockTable table;
  table.source = csv.name();
  CsvColumns cols(csv, {"currency", "parallel_bp", "short_bp", "long_bp"}, {}, diags);
  if (diags.has_errors()) return table;
  const int c_ccy = cols.index("currency"), c_par = cols.index("parallel_bp"), c_short = cols.index("short_bp"),
            c_long = cols.index("long_bp");
  CsvCells cells(csv, diags);
  CsvRecord r;
  while (csv.next(r)) {
    alm::ShockSizes s;
    s.currency = upper(trim(cells.text(r, c_ccy)));
    if (!is_currency_code(s.currency)) {
      cells.error(r, c_ccy, shown(s.currency) + " is not a currency code");
      continue;
    }
    if (table.find(s.currency) != nullptr) {
      cells.error(r, c_ccy, "currency " + s.currency + " is given twice");
      continue;
    }
    bool ok = true;
    for (auto [col, out] : {std::pair{c_par, &s.parallel_bp}, std::pair{c_short, &s.short_bp}, std::pair{c_long, &s.long_bp}}) {
      auto v = cells.number(r, col, true);
      if (!v) {
        ok = false;
      } else if (*v < 0.0 || *v > 2000.0) {
        cells.error(r, col, "a shock size is a positive number of basis points (at most 2000)");
        ok = false;
      } else {
        *out = *v;
      }
    }
    if (ok) table.rows.push_back(s);
  }
  return table;
}

std::vector<alm::Scenario> read_scenarios(CsvReader& csv, Diagnostics& diags) {
  std::vector<alm::Scenario> out;
  CsvColumns cols(csv, {"name", "tenor", "shift_bp"}, {}, diags);
  if (diags.has_errors()) return out;
  const int c_name = cols.index("name"), c_tenor = cols.index("tenor"), c_shift = cols.index("shift_bp");
  CsvCells cells(csv, diags);
  CsvRecord r;
  std::vector<std::vector<std::pair<double, double>>> points;
  while (csv.next(r)) {
    const std::string name(cells.text(r, c_name));
    if (name.empty()) {
      cells.error(r, c_name, "a scenario name is required");
      continue;
    }
    if (alm::parse_shock_name(name)) {
      cells.error(r, c_name, shown(name) + " is the name of a supervisory scenario: choose another");
      continue;
    }
    auto tenor = Tenor::parse(cells.text(r, c_tenor));
    if (!tenor) {
      cells.error(r, c_tenor, shown(cells.text(r, c_tenor)) + " is not a tenor (1M, 3M, 1Y, 30Y, ...)");
      continue;
    }
    auto shift = cells.number(r, c_shift, true);
    if (!shift) continue;
    std::size_t i = 0;
    while (i < out.size() && out[i].name != name) ++i;
    if (i == out.size()) {
      alm::Scenario s;
      s.name = name;
      s.kind = alm::ShockKind::kCustom;
      out.push_back(s);
      points.emplace_back();
    }
    for (const auto& [y, bp] : points[i]) {
      if (std::fabs(y - tenor->years()) < 1e-12) cells.error(r, c_tenor, "tenor given twice for scenario " + name);
    }
    points[i].emplace_back(tenor->years(), *shift);
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    std::sort(points[i].begin(), points[i].end());
    for (const auto& [y, bp] : points[i]) {
      out[i].custom_years.push_back(y);
      out[i].custom_bp.push_back(bp);
    }
  }
  return out;
}

alm::ShockTable default_shock_table() {
  Diagnostics diags;
  CsvReader csv = CsvReader::from_text("built-in shock table (Delegated Regulation (EU) 2024/856 Annex)",
                                       std::string(alm::embedded_shock_table_csv()), diags);
  alm::ShockTable t = read_shock_table(csv, diags);
  if (diags.has_errors() || t.rows.empty()) throw Error::internal("the built-in IRRBB shock table does not parse");
  return t;
}

}  // namespace keel::io
