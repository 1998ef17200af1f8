// CloModel: a validated deal turned into columns and per-period constants (keel/clo/projection.h).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>

#include "keel/clo/projection.h"
#include "keel/core/day_count.h"
#include "keel/core/error.h"

namespace keel::clo {
namespace {

double months_between(Date a, Date b) {
  const int m = (b.year() - a.year()) * 12 + (b.month() - a.month());
  if (m > 0) return m;
  return (b - a) / (365.0 / 12.0);
}

}  // namespace

double period_rate_from_annual(double annual_rate, double months) {
  return 1.0 - std::pow(1.0 - annual_rate, months / 12.0);
}

CloModel::CloModel(Deal deal) : deal_(std::move(deal)) {
  Diagnostics diags;
  validate_deal(deal_, deal_.name.empty() ? std::string("<deal>") : deal_.name, diags);
  diags.throw_if_errors("invalid CLO deal");
  dates_ = payment_schedule(deal_);
  if (dates_.empty()) throw Error::invalid_input("CLO deal has no payment dates");
  const int n_periods = static_cast<int>(dates_.size());
  months_per_period_ = deal_.dates.payment_frequency_months;
  for (int t = 0; t < n_periods; ++t) {
    const Date start = t == 0 ? deal_.dates.closing : dates_[static_cast<std::size_t>(t - 1)];
    const Date end = dates_[static_cast<std::size_t>(t)];
    days_.push_back(end - start);
    months_.push_back(months_between(start, end));
    times_.push_back(year_fraction_act365(deal_.dates.closing, end));
    day_frac_.push_back((end - start) / 360.0);
    frac_30_360_.push_back(year_fraction_30_360(start, end));
    // Reference rate: last curve point dated on or before the accrual start.
    std::size_t k = 0;
    while (k + 1 < deal_.reference_dates.size() && deal_.reference_dates[k + 1] <= start) ++k;
    ref_.push_back(deal_.reference_rates[k]);
    if (end <= deal_.dates.reinvestment_end) last_reinvest_period_ = t;
  }
  // The last payment date liquidates the pool: no purchases then.
  last_reinvest_period_ = std::min(last_reinvest_period_, n_periods - 2);
  reinvest_term_periods_ = (deal_.reinvestment.term_months + months_per_period_ - 1) / months_per_period_;

  const std::size_t n_orig = deal_.collateral.size();
  const std::size_t n_slots = static_cast<std::size_t>(std::max(0, last_reinvest_period_ + 1));
  const std::size_t n = n_orig + n_slots;
  par_.assign(n, 0.0);
  price_.assign(n, deal_.reinvestment.price);
  spread_.assign(n, deal_.reinvestment.spread);
  floor_.assign(n, deal_.reinvestment.floor);
  coupon_.assign(n, 0.0);
  fixed_.assign(n, 0);
  caa_.assign(n, is_caa_or_below(deal_.reinvestment.rating) ? 1 : 0);
  factor_.assign(n, rating_factor(deal_.reinvestment.rating));
  defaulted_.assign(n, 0);
  maturity_period_.assign(n, n_periods - 1);
  for (std::size_t i = 0; i < n_orig; ++i) {
    const Loan& l = deal_.collateral[i];
    par_[i] = l.par;
    price_[i] = l.price;
    spread_[i] = l.spread;
    floor_[i] = l.floor;
    coupon_[i] = l.coupon;
    fixed_[i] = l.coupon_type == CouponType::kFixed ? 1 : 0;
    caa_[i] = is_caa_or_below(l.rating) ? 1 : 0;
    factor_[i] = rating_factor(l.rating);
    defaulted_[i] = l.defaulted ? 1 : 0;
    // A loan maturing after the last payment date never pays its bullet in the projection: it is
    // sold at its price on the last payment date.
    int m = n_periods;
    for (int t = 0; t < n_periods; ++t) {
      if (dates_[static_cast<std::size_t>(t)] >= l.maturity) {
        m = t;
        break;
      }
    }
    maturity_period_[i] = m;
  }
  for (std::size_t s = 0; s < n_slots; ++s) {
    // Bought on payment date s, the loan accrues from period s + 1.
    maturity_period_[n_orig + s] = std::min(n_periods - 1, static_cast<int>(s) + reinvest_term_periods_);
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (caa_[i]) caa_by_price_.push_back(static_cast<int>(i));
  }
  by_price_.resize(n);
  std::iota(by_price_.begin(), by_price_.end(), 0);
  std::stable_sort(by_price_.begin(), by_price_.end(),
                   [&](int a, int b) { return price_[static_cast<std::size_t>(a)] < price_[static_cast<std::size_t>(b)]; });
  std::stable_sort(caa_by_price_.begin(), caa_by_price_.end(),
                   [&](int a, int b) { return price_[static_cast<std::size_t>(a)] < price_[static_cast<std::size_t>(b)]; });
  interest_wf_ = deal_.interest_waterfall.empty() ? standard_interest_waterfall(deal_) : deal_.interest_waterfall;
  principal_wf_ = deal_.principal_waterfall.empty() ? standard_principal_waterfall(deal_) : deal_.principal_waterfall;
  for (std::size_t j = 0; j < deal_.tranches.size(); ++j) {
    if (deal_.tranches[j].is_equity) equity_ = static_cast<int>(j);
  }
}

}  // namespace keel::clo
