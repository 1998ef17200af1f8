// bench/alm_synthetic_book.h: synthetic, realistic bank balance sheets for ALM benchmarks.
//
// A small retail/commercial bank's banking book by count of positions: 40% residential
// mortgages (annuity, monthly, 70% fixed / 30% adjustable with 12M resets), 15% consumer loans
// (annuity or linear, monthly), 15% corporate loans (floating 3M, quarterly, bullet or linear,
// some with a 0% floor), 5% bonds held (fixed bullet, semi-annual), 15% term deposits (fixed,
// paid at maturity), 8% non-maturity deposits (behavioural 1-5 years, linear run-off),
// 2% wholesale funding (floating 3M, bullet). Draws come from keel::PhiloxStream keyed by
// (seed, position index), so the book is the same for any n prefix and any thread count.
// `business_calendars = false` puts every position on the "none" calendar (no holiday
// adjustment) so the numpy peer (bench/peers/alm_eve_peer.py) computes the same schedules.
#pragma once

#include <cmath>
#include <cstdint>
#include <ostream>
#include <string>

#include "keel/alm/balance_sheet.h"
#include "keel/core/rng.h"

namespace keel::alm::bench {

inline BalanceSheet make_synthetic_book(std::size_t n, std::uint64_t seed, Date as_of,
                                        bool business_calendars = true) {
  BalanceSheet book;
  book.source = "synthetic";
  book.reserve(n);
  const std::uint16_t usd = book.intern_currency("USD");
  const std::uint16_t cal = book.intern_calendar(business_calendars ? "USD" : "none");
  for (std::size_t i = 0; i < n; ++i) {
    PhiloxStream rng(seed, i);
    const double kind = rng.uniform();
    auto uni = [&](double lo, double hi) { return lo + (hi - lo) * rng.uniform(); };
    auto months_ago = [&](int max_months) {
      return as_of.add_months(-static_cast<int>(rng.uniform() * max_months) - 1).add_days(-static_cast<int>(rng.uniform() * 27));
    };
    PositionTerms t;
    t.currency = usd;
    t.calendar = cal;
    std::string type;
    if (kind < 0.40) {  // mortgages
      type = "mortgage";
      const int term_years = rng.uniform() < 0.5 ? 30 : 15;
      t.start_date = months_ago(std::min(term_years, 10) * 12);
      t.maturity_date = t.start_date.add_years(term_years);
      t.amortization = Amortization::kAnnuity;
      t.payment_months = 1;
      t.day_count = DayCount::kThirty360;
      t.notional = uni(50'000, 500'000);
      if (rng.uniform() < 0.7) {
        t.rate = uni(0.025, 0.05);
      } else {
        t.rate_type = RateType::kFloating;
        t.reset_months = 12;
        t.spread = uni(0.02, 0.03);
        t.rate = 0.001 + t.spread;
        t.cap = t.rate + 0.05;
      }
    } else if (kind < 0.55) {  // consumer loans
      type = "consumer_loan";
      const int term_years = 3 + static_cast<int>(rng.uniform() * 5);
      t.start_date = months_ago(term_years * 12 - 1);
      t.maturity_date = t.start_date.add_years(term_years);
      t.amortization = rng.uniform() < 0.7 ? Amortization::kAnnuity : Amortization::kLinear;
      t.payment_months = 1;
      t.day_count = DayCount::kAct365F;
      t.notional = uni(5'000, 60'000);
      t.rate = uni(0.05, 0.12);
    } else if (kind < 0.70) {  // corporate loans
      type = "corporate_loan";
      const int term_years = 3 + static_cast<int>(rng.uniform() * 5);
      t.start_date = months_ago(term_years * 12 - 1);
      t.maturity_date = t.start_date.add_years(term_years);
      t.rate_type = RateType::kFloating;
      t.reset_months = 3;
      t.payment_months = 3;
      t.amortization = rng.uniform() < 0.6 ? Amortization::kBullet : Amortization::kLinear;
      t.day_count = DayCount::kAct360;
      t.notional = uni(1'000'000, 20'000'000);
      t.spread = uni(0.015, 0.035);
      t.rate = 0.0022 + t.spread;
      if (rng.uniform() < 0.5) t.floor = t.spread;  // 0% index floor
    } else if (kind < 0.75) {  // bonds held
      type = "bond";
      const int term_years = 2 + static_cast<int>(rng.uniform() * 28);
      t.start_date = months_ago(std::min(term_years * 12 - 1, 60));
      t.maturity_date = t.start_date.add_years(term_years);
      t.payment_months = 6;
      t.day_count = DayCount::kThirty360;
      t.notional = uni(1'000'000, 10'000'000);
      t.rate = uni(0.005, 0.03);
    } else if (kind < 0.90) {  // term deposits
      type = "term_deposit";
      t.side = Side::kLiability;
      const int term_months = 3 * (1 + static_cast<int>(rng.uniform() * 20));
      t.start_date = as_of.add_days(-static_cast<int>(rng.uniform() * (term_months * 30 - 5)) - 1);
      t.maturity_date = t.start_date.add_months(term_months);
      if (t.maturity_date <= as_of) t.maturity_date = as_of.add_days(7);
      t.payment_months = 0;
      t.day_count = DayCount::kAct365F;
      t.notional = uni(10'000, 250'000);
      t.rate = uni(0.001, 0.015);
    } else if (kind < 0.98) {  // non-maturity deposits
      type = "nmd";
      t.side = Side::kLiability;
      t.start_date = as_of.add_years(-5);
      t.maturity_date = as_of.add_days(1);
      t.behavioural_years = 1 + static_cast<int>(rng.uniform() * 5);
      t.amortization = Amortization::kLinear;
      t.payment_months = 1;
      t.day_count = DayCount::kAct365F;
      t.notional = uni(1'000, 100'000);
      t.rate = uni(0.0, 0.005);
    } else {  // wholesale funding
      type = "wholesale";
      t.side = Side::kLiability;
      const int term_years = 1 + static_cast<int>(rng.uniform() * 5);
      t.start_date = months_ago(term_years * 12 - 1);
      t.maturity_date = t.start_date.add_years(term_years);
      t.rate_type = RateType::kFloating;
      t.reset_months = 3;
      t.payment_months = 3;
      t.day_count = DayCount::kAct360;
      t.notional = uni(10'000'000, 50'000'000);
      t.spread = uni(0.002, 0.01);
      t.rate = 0.0022 + t.spread;
    }
    if (t.maturity_date <= as_of) t.maturity_date = as_of.add_months(1);
    t.first_reset_date = t.start_date;
    book.add(t, "P" + std::to_string(i), type, t.rate_type == RateType::kFloating ? "SOFR" : "", 0);
  }
  return book;
}

// The book as a balance-sheet CSV (the columns of docs/alm.md).
inline void write_balance_sheet_csv(const BalanceSheet& book, std::ostream& out) {
  out << "id,side,type,currency,notional,start_date,maturity_date,rate_type,rate,spread,index,"
         "reset_frequency,payment_frequency,amortization,day_count,floor,cap,behavioural_maturity,calendar\n";
  out.precision(17);
  for (std::size_t i = 0; i < book.size(); ++i) {
    const PositionTerms& t = book.terms[i];
    out << book.id[i] << ',' << side_name(t.side) << ',' << book.type[i] << ',' << book.currencies[t.currency] << ','
        << t.notional << ',' << t.start_date.to_string() << ',' << t.maturity_date.to_string() << ','
        << rate_type_name(t.rate_type) << ',' << t.rate << ',' << t.spread << ',' << book.index[i] << ','
        << (t.rate_type == RateType::kFloating ? std::to_string(t.reset_months) + "M" : std::string()) << ','
        << (t.payment_months == 0 ? std::string("0") : std::to_string(t.payment_months) + "M") << ','
        << amortization_name(t.amortization) << ',' << day_count_name(t.day_count) << ',';
    if (t.floor > -1e8) out << t.floor;
    out << ',';
    if (t.cap < 1e8) out << t.cap;
    out << ',';
    if (t.behavioural_years > 0) out << t.behavioural_years << 'Y';
    out << ',' << book.calendars[t.calendar] << '\n';
  }
}

}  // namespace keel::alm::bench
