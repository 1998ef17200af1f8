// keel/alm/balance_sheet.h: a bank's banking book as the ALM engine sees it.
//
// A BalanceSheet holds positions (loans, bonds, deposits, non-maturity deposits) as a compact
// record of numeric terms per position (`terms`, what the cash-flow kernel reads) plus columns of
// text kept for reporting (`id`, `type`, `line`). Currencies are interned into a small dictionary
// so that the kernel works with indexes. Amounts are in the position's currency; rates are
// decimals per year (0.035 = 3.5 %).
//
// Conventions (docs/alm.md):
// - `notional` is the principal outstanding at the as-of date (what the bank's ledger shows),
//   always positive; `side` says whether it is an asset or a liability.
// - Fixed positions pay `rate`. Floating positions pay `rate` (the all-in coupon in force now)
//   until their next reset date, then clamp(forward + spread, floor, cap) at each reset.
// - A non-maturity deposit carries `behavioural_years`: its cash flows run off from the as-of
//   date over that many years (with its amortisation and payment frequency) instead of running
//   to `maturity_date`.
//
// Thread-safety: plain data; safe to read from many threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keel/core/date.h"

namespace keel::alm {

enum class Side : std::uint8_t { kAsset, kLiability };
enum class RateType : std::uint8_t { kFixed, kFloating };
enum class Amortization : std::uint8_t { kBullet, kAnnuity, kLinear };
// Day counts of accrual (ISDA 2006 definitions; same results as QuantLib's Actual365Fixed,
// Actual360, Thirty360(BondBasis) and ActualActual(ISDA)).
enum class DayCount : std::uint8_t { kAct365F, kAct360, kThirty360, kActActIsda };

// Parsers and names, case-insensitive: "asset"/"liability"; "fixed"/"floating";
// "bullet"/"annuity"/"linear"; "act/365" ("act/365f", "actual/365"), "act/360", "30/360",
// "act/act". nullopt for anything else.
std::optional<Side> parse_side(std::string_view text);
std::optional<RateType> parse_rate_type(std::string_view text);
std::optional<Amortization> parse_amortization(std::string_view text);
std::optional<DayCount> parse_day_count(std::string_view text);
std::string_view side_name(Side s);
std::string_view rate_type_name(RateType r);
std::string_view amortization_name(Amortization a);
std::string_view day_count_name(DayCount d);
// True for the calendars the engine knows: an ISO code of a currency with a QuantLib calendar
// (USD, EUR = TARGET, GBP, JPY, CHF, CAD, AUD, SEK, DKK, ...), "TARGET", "weekends" or "none".
bool is_known_calendar(const std::string& name);

// Numeric terms of one position: what the cash-flow kernel reads (no strings, no allocation).
struct PositionTerms {
  double notional = 0.0;        // principal outstanding at the as-of date, > 0
  double rate = 0.0;            // fixed coupon, or the floating all-in coupon in force now (decimal)
  double spread = 0.0;          // floating: margin over the index; fixed: optional commercial margin
  double floor = -1.0e9;        // floating all-in coupon floor (decimal); -1e9 = none
  double cap = 1.0e9;           // floating all-in coupon cap (decimal); 1e9 = none
  double behavioural_years = 0; // > 0: non-maturity deposit running off over this many years
  Date start_date;
  Date maturity_date;
  Date first_reset_date;        // floating: first reset; = start_date when not given
  std::uint16_t currency = 0;   // index into BalanceSheet::currencies
  std::uint16_t calendar = 0;   // index into BalanceSheet::calendars
  std::uint8_t payment_months = 12;  // 1, 3, 6, 12; 0 = one payment at maturity
  std::uint8_t reset_months = 3;     // floating: 1, 3, 6, 12
  Side side = Side::kAsset;
  RateType rate_type = RateType::kFixed;
  Amortization amortization = Amortization::kBullet;
  DayCount day_count = DayCount::kAct365F;
  bool has_margin = false;      // fixed: `spread` was given (the margin kept on renewal)
};

struct BalanceSheet {
  std::vector<PositionTerms> terms;
  std::vector<std::string> id;     // position identifiers, as in the file
  std::vector<std::string> type;   // free text: loan, mortgage, bond, deposit, nmd, ...
  std::vector<std::string> index;  // floating index name (informative), "" for fixed
  std::vector<std::size_t> line;   // source line (0 when not from a file)
  std::vector<std::string> currencies;  // dictionary: ISO codes, upper case
  std::vector<std::string> calendars;   // dictionary: calendar names ("USD", "EUR", "none", ...)
  std::string source;                   // file name or "<request>"
  // A book read from several files (a zip's CSV entries): the files, and which one each position
  // came from (`part` empty: every position from `source`).
  std::vector<std::string> parts;
  std::vector<std::uint16_t> part;

  std::size_t size() const { return terms.size(); }
  // Index of `code` in `currencies`, adding it when new.
  std::uint16_t intern_currency(const std::string& code);
  std::uint16_t intern_calendar(const std::string& name);
  // Appends one position (all columns together).
  void add(const PositionTerms& t, std::string id_text, std::string type_text,
           std::string index_text, std::size_t source_line);
  void reserve(std::size_t n);
  // Appends every position of `other` (read from file other.source), its currencies and calendars
  // interned here; where() then names that file for them. Throws Error::invalid_input past 65,535 files.
  void append(const BalanceSheet& other);
  // The positions at `keep` (ascending indices), with their dictionaries and files.
  BalanceSheet select(const std::vector<std::size_t>& keep) const;
  // "balance.csv:12 (id L-0042)" or "position L-0042" when there is no line.
  std::string where(std::size_t i) const;
};

}  // namespace keel::alm
