// bench/options_domain_sample.h: random American options over the fixed-point method's accuracy
// domain, all of them or those of one scheme class (src/options/alo.h), and their worst error:
// for the slow accuracy checks (tests/options/american_alo_slow_test.cpp) and the scheme tuning
// tool (bench/options_alo_scheme_tune.cpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "alo.h"
#include "keel/options/black_scholes.h"
#include "options_book.h"

namespace keel::options::bench {

inline constexpr int kAnyClass = -1;

// Calls and puts over the accuracy domain of docs/options.md (spot 50..200 on strike 100,
// log-uniform; 1 day to 30 years, log-uniform in whole days; vol 5..120 %, rate 0..20 %, yield
// 0..15 %, uniform), drawn from `rng` until there are `count` of them; with a class, only those
// whose put form (a call is the put with rate and yield exchanged) falls in scheme class `cls`.
struct DomainSample {
  DomainSample(int cls, std::size_t count, Lcg& rng) {
    while (spot.size() < count) {
      const OptionRight rt = rng.next() < 0.5 ? OptionRight::kCall : OptionRight::kPut;
      const double s = 100.0 * std::exp(std::log(0.5) + rng.next() * std::log(4.0));
      const double t = std::max(1.0, std::round(std::exp(rng.next() * std::log(30.0 * 365.0)))) / 365.0;
      const double v = 0.05 + 1.15 * rng.next(), r = 0.2 * rng.next(), q = 0.15 * rng.next();
      const bool call = rt == OptionRight::kCall;
      const double pr = call ? q : r, pq = call ? r : q;
      if (cls != kAnyClass && (!(pr > 0.0) || detail::scheme_class(pr, pq, v, t) != cls)) continue;
      right.push_back(rt);
      spot.push_back(s);
      strike.push_back(100.0);
      years.push_back(t);
      vol.push_back(v);
      rate.push_back(r);
      div.push_back(q);
      put_rate.push_back(pr);
      put_div.push_back(pq);
      put_spot.push_back(call ? 100.0 / s : s / 100.0);  // spot / strike of the put form
    }
  }
  std::size_t size() const { return spot.size(); }
  BsmColumns columns() const { return {right, spot, strike, years, vol, rate, div}; }

  std::vector<OptionRight> right;
  std::vector<double> spot, strike, years, vol, rate, div;
  std::vector<double> put_rate, put_div, put_spot;  // the put form, strike 1
};

// The worst relative error of `got` against `reference`, prices below `floor` (of the strike
// units) taken on `floor`, where it is and how many are over `limit`.
struct WorstError {
  double relative = 0.0;
  std::size_t at = 0;
  std::size_t over = 0;
};
inline WorstError worst_error(const std::vector<double>& got, const std::vector<double>& reference,
                              double floor, double limit) {
  WorstError w;
  for (std::size_t i = 0; i < got.size(); ++i) {
    const double e = std::abs(got[i] - reference[i]) / std::max(reference[i], floor);
    if (e > w.relative) {
      w.relative = e;
      w.at = i;
    }
    if (e > limit) ++w.over;
  }
  return w;
}

}  // namespace keel::options::bench
