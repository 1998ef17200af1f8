// A synthetic but realistically shaped US BSL CLO for tests: n_loans loans over 20 industries,
// B1..Caa1 ratings, 300-500 bp spreads, a 2-year reinvestment period and a 10-year legal final;
// notes A (61%), B (11%), C (6%, deferrable), D (6%, deferrable), Sub (16%).
#pragma once

#include <string>

#include "keel/clo/deal.h"

namespace keel::clo::testing {

inline Deal realistic_deal(int n_loans = 60) {
  Deal d;
  d.name = "test realistic";
  d.dates.closing = Date::from_ymd(2024, 1, 20);
  d.dates.first_payment = Date::from_ymd(2024, 4, 20);
  d.dates.reinvestment_end = Date::from_ymd(2026, 1, 20);
  d.dates.non_call_end = Date::from_ymd(2026, 1, 20);
  d.dates.legal_maturity = Date::from_ymd(2034, 1, 20);
  d.reference_dates = {d.dates.closing, Date::from_ymd(2025, 1, 20)};
  d.reference_rates = {0.053, 0.045};
  const MoodysRating ratings[] = {MoodysRating::kB1, MoodysRating::kB2, MoodysRating::kB2, MoodysRating::kB3,
                                  MoodysRating::kBa3, MoodysRating::kCaa1};
  double total = 0.0;
  for (int i = 0; i < n_loans; ++i) {
    Loan l;
    l.obligor = "Obligor " + std::to_string(i);
    l.industry = "Industry " + std::to_string(i % 20);
    l.par = 4e6 + 1e5 * (i % 7);
    l.price = 0.90 + 0.015 * (i % 7);
    l.spread = 0.030 + 0.0025 * (i % 9);
    l.floor = i % 3 == 0 ? 0.005 : 0.0;
    l.rating = ratings[i % 6];
    l.maturity = Date::from_ymd(2027 + i % 6, 1 + i % 12, 15);
    total += l.par;
    d.collateral.push_back(l);
  }
  auto note = [&](const char* name, double share, double spread, bool deferrable, double oc, double ic) {
    Tranche t;
    t.name = name;
    t.balance = total * share;
    t.spread = spread;
    t.deferrable = deferrable;
    t.oc_trigger = oc;
    t.ic_trigger = ic;
    return t;
  };
  d.tranches = {note("A", 0.61, 0.0140, false, 1.22, 1.20), note("B", 0.11, 0.0190, false, 1.16, 1.15),
                note("C", 0.06, 0.0250, true, 1.09, 1.10), note("D", 0.06, 0.0420, true, 1.04, 1.05)};
  Tranche e;
  e.name = "Sub";
  e.is_equity = true;
  e.balance = total * 0.16;
  e.price = 0.90;
  d.tranches.push_back(e);
  d.target_par = total;
  d.fees.taxes_admin = {200000, 2.0, 300000};
  d.fees.senior_bps = 15;
  d.fees.sub_bps = 35;
  d.fees.incentive = {0.20, 0.12};
  d.reinvestment.price = 0.995;
  d.reinvestment.spread = 0.036;
  d.reinvestment.term_months = 72;
  d.reinvestment.diversion_class = "D";
  d.reinvestment.diversion_threshold = 1.05;
  return d;
}

}  // namespace keel::clo::testing
