#include "cash_flow_kernel.h"

#include <algorithm>
#include <cmath>

#include "civil.h"
#include "day_count.h"

namespace keel::alm::detail {
namespace {

constexpr double kNoFloor = -1.0e8;
constexpr double kNoCap = 1.0e8;

inline double clamp_coupon(double c, const PositionTerms& t) {
  if (t.floor > kNoFloor && c < t.floor) c = t.floor;
  if (t.cap < kNoCap && c > t.cap) c = t.cap;
  return c;
}

int behavioural_months(const PositionTerms& t) {
  const long m = std::lround(t.behavioural_years * 12.0);
  return m < 1 ? 1 : static_cast<int>(m);
}

// Month of the horizon that contains `serial` (serial in [as_of, horizon_end)).
inline int month_of(const CurrencyContext& ctx, std::int32_t serial, int guess) {
  int m = guess < 0 ? 0 : guess;
  while (m + 1 < ctx.months && ctx.month_start[static_cast<std::size_t>(m + 1)] <= serial) ++m;
  return m;
}

// Interest of `amount` at `coupon` accrued over [a, b) ∩ [as_of, horizon_end), split by month.
inline void accrue(const CurrencyContext& ctx, DayCount dc, double amount, double coupon,
                   std::int32_t a, std::int32_t b, double* months_out) {
  std::int32_t x = a > ctx.as_of ? a : ctx.as_of;
  const std::int32_t y = b < ctx.horizon_end ? b : ctx.horizon_end;
  int m = month_of(ctx, x, 0);
  while (x < y) {
    const std::int32_t month_end = ctx.month_start[static_cast<std::size_t>(m + 1)];
    const std::int32_t e = y < month_end ? y : month_end;
    const double tau = (e == month_end && x == ctx.month_start[static_cast<std::size_t>(m)])
                           ? ctx.month_tau[static_cast<std::size_t>(dc)][static_cast<std::size_t>(m)]
                           : year_fraction(dc, x, e, *ctx.dates);
    months_out[m] += amount * coupon * tau;
    x = e;
    ++m;
  }
}

}  // namespace

void Accum::add(const Accum& o) {
  for (std::size_t i = 0; i < pv_assets.size(); ++i) {
    pv_assets[i] += o.pv_assets[i];
    pv_liabilities[i] += o.pv_liabilities[i];
  }
  for (std::size_t i = 0; i < bucket_cf.size(); ++i) bucket_cf[i] += o.bucket_cf[i];
  for (std::size_t i = 0; i < income.size(); ++i) {
    income[i] += o.income[i];
    expense[i] += o.expense[i];
  }
  for (std::size_t i = 0; i < gap_assets.size(); ++i) {
    gap_assets[i] += o.gap_assets[i];
    gap_liabilities[i] += o.gap_liabilities[i];
  }
}

std::int32_t last_cash_flow_serial(const PositionTerms& t, std::int32_t as_of) {
  if (t.behavioural_years > 0) return add_months(ymd_from_serial(as_of), behavioural_months(t)) + 7;
  return t.maturity_date.serial() + 7;  // room for a business-day adjustment
}

std::int32_t term_days(const PositionTerms& t) {
  if (t.behavioural_years > 0) return static_cast<std::int32_t>(std::lround(t.behavioural_years * 365.0));
  return t.maturity_date - t.start_date;
}

void process_position(const PositionTerms& t, const CurrencyContext& ctx, Scratch& sc, Accum& acc,
                      const Trace* trace) {
  const std::int32_t as_of = ctx.as_of;
  const BusinessDayTable& cal = (*ctx.calendars)[t.calendar];
  const bool nmd = t.behavioural_years > 0;
  const bool floating = t.rate_type == RateType::kFloating;
  const Ymd as_of_ymd = ctx.dates->get(as_of);

  // Maturity and start of the schedule.
  std::int32_t mat_unadj = 0;
  std::int32_t start = 0;
  std::int32_t start_adj = 0;
  if (nmd) {
    mat_unadj = add_months(as_of_ymd, behavioural_months(t));
    start = as_of;
    start_adj = as_of;
  } else {
    mat_unadj = t.maturity_date.serial();
    start = t.start_date.serial();
    start_adj = cal.modified_following(start);
  }
  const std::int32_t mat = cal.modified_following(mat_unadj);
  const Ymd mat_ymd = ctx.dates->get(mat_unadj);

  // Payment dates, backward from maturity (QuantLib DateGeneration::Backward), only those after
  // the as-of date plus the start p0 of the period in progress.
  sc.pay.clear();
  sc.pay.push_back(mat);
  std::int32_t p0 = start_adj;
  const int pm = t.payment_months;
  if (pm > 0) {
    for (int k = 1;; ++k) {
      const std::int32_t u = add_months(mat_ymd, -k * pm);
      if (u <= start) {
        p0 = start_adj;
        break;
      }
      const std::int32_t a = cal.modified_following(u);
      if (a == sc.pay.back()) continue;
      if (a <= as_of) {
        p0 = a;
        break;
      }
      sc.pay.push_back(a);
    }
  }
  std::reverse(sc.pay.begin(), sc.pay.end());
  const std::size_t n = sc.pay.size();

  // Principal schedule on the outstanding notional.
  sc.principal.assign(n, 0.0);
  sc.balance.assign(n, 0.0);
  const double notional = t.notional;
  Amortization amort = t.amortization;
  const double periodic = t.rate * pm / 12.0;
  if (amort == Amortization::kAnnuity && (pm == 0 || std::fabs(periodic) < 1e-12)) {
    amort = pm == 0 ? Amortization::kBullet : Amortization::kLinear;
  }
  {
    double outstanding = notional;
    const double level = amort == Amortization::kAnnuity
                             ? notional * periodic / (1.0 - std::pow(1.0 + periodic, -static_cast<double>(n)))
                             : 0.0;
    for (std::size_t k = 0; k < n; ++k) {
      sc.balance[k] = outstanding;
      double p = 0.0;
      if (k + 1 == n) {
        p = outstanding;
      } else if (amort == Amortization::kLinear) {
        p = notional / static_cast<double>(n);
      } else if (amort == Amortization::kAnnuity) {
        p = level - outstanding * periodic;
      }
      sc.principal[k] = p;
      outstanding -= p;
    }
  }

  // Future reset dates (floating): forward from the first reset date when one is given,
  // otherwise backward from maturity like the payments.
  sc.reset.clear();
  if (floating) {
    const int rm = t.reset_months > 0 ? t.reset_months : 3;
    if (!nmd && t.first_reset_date != t.start_date) {
      const Ymd fr = ctx.dates->get(t.first_reset_date.serial());
      int j0 = ((as_of_ymd.y - fr.y) * 12 + (as_of_ymd.m - fr.m)) / rm - 1;
      if (j0 < 0) j0 = 0;
      for (int j = j0;; ++j) {
        const std::int32_t u = add_months(fr, j * rm);
        if (u >= mat_unadj) break;
        const std::int32_t a = cal.modified_following(u);
        if (a > as_of && a < mat && (sc.reset.empty() || a > sc.reset.back())) sc.reset.push_back(a);
      }
    } else {
      for (int k = 1;; ++k) {
        const std::int32_t u = add_months(mat_ymd, -k * rm);
        if (u <= start) break;
        const std::int32_t a = cal.modified_following(u);
        if (a <= as_of) break;
        if (a < mat && (sc.reset.empty() || a != sc.reset.back())) sc.reset.push_back(a);
      }
      std::reverse(sc.reset.begin(), sc.reset.end());
    }
  }
  const std::size_t nr = sc.reset.size();
  sc.reset_end.resize(nr);
  sc.reset_tau.resize(nr);
  sc.fixing.resize(nr);
  for (std::size_t j = 0; j < nr; ++j) {
    sc.reset_end[j] = j + 1 < nr ? sc.reset[j + 1] : mat;
    sc.reset_tau[j] = year_fraction(t.day_count, sc.reset[j], sc.reset_end[j], *ctx.dates);
  }

  // Accrual segments: payment periods cut at reset dates.
  sc.seg_a.clear();
  sc.seg_b.clear();
  sc.seg_period.clear();
  sc.seg_reset.clear();
  sc.seg_tau.clear();
  {
    std::size_t r = 0;  // next reset candidate
    int governing = -1;
    std::int32_t lo = p0;
    for (std::size_t k = 0; k < n; ++k) {
      const std::int32_t hi = sc.pay[k];
      while (r < nr && sc.reset[r] <= lo) governing = static_cast<int>(r++);
      std::int32_t a = lo;
      while (r < nr && sc.reset[r] < hi) {
        if (sc.reset[r] > a) {
          sc.seg_a.push_back(a);
          sc.seg_b.push_back(sc.reset[r]);
          sc.seg_period.push_back(static_cast<int>(k));
          sc.seg_reset.push_back(governing);
          a = sc.reset[r];
        }
        governing = static_cast<int>(r++);
      }
      sc.seg_a.push_back(a);
      sc.seg_b.push_back(hi);
      sc.seg_period.push_back(static_cast<int>(k));
      sc.seg_reset.push_back(governing);
      lo = hi;
    }
    for (std::size_t i = 0; i < sc.seg_a.size(); ++i) {
      sc.seg_tau.push_back(year_fraction(t.day_count, sc.seg_a[i], sc.seg_b[i], *ctx.dates));
    }
  }
  const std::size_t ns = sc.seg_a.size();

  // Repricing gap (base): fixed principal at repayment, floating principal at the next reset.
  {
    auto& gap = t.side == Side::kAsset ? acc.gap_assets : acc.gap_liabilities;
    const std::int32_t first_reset = nr > 0 ? sc.reset[0] : 0;
    double at_reset = 0.0;
    for (std::size_t k = 0; k < n; ++k) {
      if (nr > 0 && sc.pay[k] >= first_reset) {
        at_reset += sc.principal[k];
      } else {
        gap[ctx.bucket(sc.pay[k])] += sc.principal[k];
      }
    }
    if (at_reset != 0.0) gap[ctx.bucket(first_reset)] += at_reset;
  }

  const double sign = t.side == Side::kAsset ? 1.0 : -1.0;
  auto& pv = t.side == Side::kAsset ? acc.pv_assets : acc.pv_liabilities;
  sc.interest.assign(n, 0.0);
  sc.last_coupon.assign(n, t.rate);

  // Renewal inputs for NII.
  const std::int32_t term = std::max<std::int32_t>(1, std::min<std::int32_t>(term_days(t), ctx.n_days));
  const double term_years = term / 365.0;
  const double z0_term = -std::log(ctx.df(0, as_of + term)) / term_years;
  const int rm = t.reset_months > 0 ? t.reset_months : 3;

  sc.pay_day.resize(n);
  sc.pay_bucket.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    sc.pay_day[k] = std::min(sc.pay[k] - as_of, ctx.n_days);
    sc.pay_bucket[k] = ctx.day_bucket[static_cast<std::size_t>(sc.pay_day[k])];
  }
  const std::size_t width = static_cast<std::size_t>(ctx.n_days + 1);

  auto compute_interest = [&](int s) {
    if (floating) {
      for (std::size_t j = 0; j < nr; ++j) {
        const double fwd = (ctx.df(s, sc.reset[j]) / ctx.df(s, sc.reset_end[j]) - 1.0) / sc.reset_tau[j];
        sc.fixing[j] = clamp_coupon(fwd + t.spread, t);
      }
    }
    std::fill(sc.interest.begin(), sc.interest.end(), 0.0);
    for (std::size_t i = 0; i < ns; ++i) {
      const int j = sc.seg_reset[i];
      const double c = j < 0 ? t.rate : sc.fixing[static_cast<std::size_t>(j)];
      const std::size_t k = static_cast<std::size_t>(sc.seg_period[i]);
      sc.interest[k] += sc.balance[k] * c * sc.seg_tau[i];
      sc.last_coupon[k] = c;
    }
  };

  if (!floating) {
    // Fixed coupons do not depend on the scenario: one pass over the flows, all scenarios.
    compute_interest(0);
    std::array<double, kMaxScenarios> pv_local{};
    const int S = ctx.n_scenarios;
    for (std::size_t k = 0; k < n; ++k) {
      const double cf = sc.principal[k] + sc.interest[k];
      const double* col = ctx.discount.data() + static_cast<std::size_t>(sc.pay_day[k]);
      for (int s = 0; s < S; ++s) pv_local[static_cast<std::size_t>(s)] += cf * col[static_cast<std::size_t>(s) * width];
      acc.bucket_cf_fixed[sc.pay_bucket[k]] += sign * cf;
    }
    for (int s = 0; s < S; ++s) pv[static_cast<std::size_t>(s)] += pv_local[static_cast<std::size_t>(s)];
  }

  for (int s = 0; s < ctx.n_scenarios; ++s) {
    if (floating) {
      compute_interest(s);
      double pv_s = 0.0;
      double* bucket = acc.bucket_cf.data() + static_cast<std::size_t>(s) * kBucketCount;
      const double* row = ctx.discount.data() + static_cast<std::size_t>(s) * width;
      for (std::size_t k = 0; k < n; ++k) {
        const double cf = sc.principal[k] + sc.interest[k];
        pv_s += cf * row[sc.pay_day[k]];
        bucket[sc.pay_bucket[k]] += sign * cf;
      }
      pv[static_cast<std::size_t>(s)] += pv_s;
    } else if ((s >= kNiiScenarios || !ctx.nii) && trace == nullptr) {
      break;
    }
    if (trace != nullptr && trace->scenario == s) {
      for (std::size_t k = 0; k < n; ++k) {
        trace->out->push_back(CashFlow{Date::from_serial(sc.pay[k]), sc.principal[k], sc.interest[k],
                                       ctx.df(s, sc.pay[k]), sc.last_coupon[k]});
      }
    }

    if (s >= kNiiScenarios || !ctx.nii) continue;
    // NII: contractual accrual per segment, then renewals of principal repaid in the horizon.
    double* months = (t.side == Side::kAsset ? acc.income.data() : acc.expense.data()) +
                     static_cast<std::size_t>(s) * kMaxPeriods;
    for (std::size_t i = 0; i < ns; ++i) {
      if (sc.seg_a[i] >= ctx.horizon_end) break;
      if (sc.seg_b[i] <= as_of) continue;
      const int j = sc.seg_reset[i];
      const double c = j < 0 ? t.rate : sc.fixing[static_cast<std::size_t>(j)];
      const std::size_t k = static_cast<std::size_t>(sc.seg_period[i]);
      accrue(ctx, t.day_count, sc.balance[k], c, sc.seg_a[i], sc.seg_b[i], months);
    }
    double renewal_fixed = 0.0;
    if (!floating) {
      const double zs_term = -std::log(ctx.df(s, as_of + term)) / term_years;
      renewal_fixed = t.has_margin ? zs_term + t.spread : t.rate + (zs_term - z0_term);
    }
    for (std::size_t k = 0; k < n && sc.pay[k] < ctx.horizon_end; ++k) {
      const double amount = sc.principal[k];
      if (amount == 0.0) continue;
      const std::int32_t from = sc.pay[k];
      if (!floating) {
        accrue(ctx, t.day_count, amount, renewal_fixed, from, ctx.horizon_end, months);
      } else {
        const Ymd from_ymd = ctx.dates->get(from);
        std::int32_t x = from;
        for (int j = 1; x < ctx.horizon_end; ++j) {
          const std::int32_t nx = cal.modified_following(add_months(from_ymd, j * rm));
          const double tau = year_fraction(t.day_count, x, nx, *ctx.dates);
          const double fwd = (ctx.df(s, x) / ctx.df(s, nx) - 1.0) / tau;
          accrue(ctx, t.day_count, amount, clamp_coupon(fwd + t.spread, t), x, nx, months);
          x = nx;
        }
      }
    }
  }
}

}  // namespace keel::alm::detail
