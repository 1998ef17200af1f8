#include "keel/alm/irrbb.h"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "calendar_table.h"
#include "cash_flow_kernel.h"
#include "civil.h"
#include "day_count.h"
#include "keel/core/cancel.h"
#include "keel/core/error.h"

namespace keel::alm {
namespace {

using detail::Accum;
using detail::CurrencyContext;

constexpr std::size_t kMaxReported = 200;
constexpr std::size_t kGrain = 1024;

std::string fmt_years(double y) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", y);
  return buf;
}

// The scenarios of one currency: base, the six supervisory shocks, then the user's.
std::vector<Scenario> scenarios_for(const ShockSizes& sizes, const AlmOptions& options) {
  std::vector<Scenario> out;
  Scenario base;
  base.name = "base";
  out.push_back(base);
  for (ShockKind k : kSupervisoryShocks) {
    Scenario s = supervisory_scenario(k, sizes);
    s.apply_floor = options.apply_floor;
    out.push_back(s);
  }
  for (const Scenario& c : options.custom_scenarios) {
    Scenario s = c;
    s.kind = ShockKind::kCustom;
    out.push_back(s);
  }
  return out;
}

struct Groups {
  std::vector<std::vector<std::uint32_t>> by_currency;
  std::int32_t min_serial = 0;
  std::int32_t max_serial = 0;
};

Groups group_positions(const BalanceSheet& book, std::int32_t as_of) {
  Groups g;
  g.by_currency.resize(book.currencies.size());
  g.min_serial = as_of;
  g.max_serial = as_of;
  for (std::size_t i = 0; i < book.size(); ++i) {
    const PositionTerms& t = book.terms[i];
    g.by_currency[t.currency].push_back(static_cast<std::uint32_t>(i));
    if (t.behavioural_years <= 0) g.min_serial = std::min(g.min_serial, t.start_date.serial());
    g.max_serial = std::max(g.max_serial, detail::last_cash_flow_serial(t, as_of));
  }
  return g;
}

std::vector<detail::BusinessDayTable> calendar_tables(const BalanceSheet& book) {
  std::vector<detail::BusinessDayTable> out;
  out.reserve(book.calendars.size());
  for (const std::string& name : book.calendars) out.emplace_back(name);
  return out;
}

CurrencyContext make_context(const ZeroCurve& curve, const std::vector<Scenario>& scenarios,
                             const AlmOptions& options, int n_days,
                             const std::vector<detail::BusinessDayTable>& calendars,
                             const detail::DateTable& dates) {
  CurrencyContext ctx;
  ctx.as_of = options.as_of.serial();
  for (const Date& d : nii_period_bounds(options)) ctx.month_start.push_back(d.serial());
  ctx.months = static_cast<int>(ctx.month_start.size()) - 1;
  ctx.horizon_end = ctx.month_start.back();
  ctx.n_days = std::max(n_days, ctx.horizon_end - ctx.as_of + 800);
  ctx.n_scenarios = static_cast<int>(scenarios.size());
  ctx.nii = options.run_nii;
  const std::size_t width = static_cast<std::size_t>(ctx.n_days + 1);
  ctx.discount.resize(scenarios.size() * width);
  for (std::size_t s = 0; s < scenarios.size(); ++s) {
    double* row = ctx.discount.data() + s * width;
    row[0] = 1.0;
    for (std::size_t d = 1; d < width; ++d) {
      const double t = static_cast<double>(d) / 365.0;
      row[d] = std::exp(-shocked_zero(scenarios[s], curve.zero(t), t) * t);
    }
  }
  ctx.day_bucket.resize(width);
  for (std::size_t d = 0; d < width; ++d) {
    ctx.day_bucket[d] = static_cast<std::uint8_t>(bucket_of_days(static_cast<int>(d)));
  }
  ctx.calendars = &calendars;
  ctx.dates = &dates;
  for (int dc = 0; dc < 4; ++dc) {
    for (int m = 0; m < ctx.months; ++m) {
      ctx.month_tau[static_cast<std::size_t>(dc)][static_cast<std::size_t>(m)] =
          detail::year_fraction(static_cast<DayCount>(dc), ctx.month_start[static_cast<std::size_t>(m)],
                                ctx.month_start[static_cast<std::size_t>(m + 1)], dates);
    }
  }
  return ctx;
}

double weighted(double delta, double gain_weight) { return delta < 0.0 ? delta : gain_weight * delta; }

OutlierTest outlier(std::optional<double> tier1, double worst_delta, double threshold) {
  OutlierTest o;
  o.tier1 = tier1;
  o.threshold = threshold;
  if (tier1 && *tier1 > 0.0) {
    o.ratio = -worst_delta / *tier1;
    o.outlier = *o.ratio > threshold;
  }
  return o;
}

int days_needed(const BalanceSheet& book, const std::vector<std::uint32_t>& idx, std::int32_t as_of) {
  int n = 0;
  for (std::uint32_t i : idx) {
    const PositionTerms& t = book.terms[i];
    n = std::max(n, detail::last_cash_flow_serial(t, as_of) - as_of + 31);
    n = std::max(n, std::min<int>(detail::term_days(t), 60 * 366) + 1);
  }
  return n;
}

}  // namespace

std::vector<std::string> validate(const BalanceSheet& book, const AlmMarket& market,
                                  const AlmOptions& options) {
  std::vector<std::string> out;
  std::size_t more = 0;
  auto report = [&](std::string msg) {
    if (out.size() < kMaxReported) {
      out.push_back(std::move(msg));
    } else {
      ++more;
    }
  };
  if (options.nii_horizon_months < 1 || options.nii_horizon_months > detail::kMaxMonths) {
    report(fmt::format("NII horizon must be 1 to {} months", detail::kMaxMonths));
  }
  if (options.custom_scenarios.size() + 7 > static_cast<std::size_t>(detail::kMaxScenarios)) {
    report(fmt::format("at most {} user-defined scenarios", detail::kMaxScenarios - 7));
  }
  for (const Scenario& s : options.custom_scenarios) {
    bool ok = !s.custom_years.empty() && s.custom_years.size() == s.custom_bp.size();
    for (std::size_t i = 1; ok && i < s.custom_years.size(); ++i) ok = s.custom_years[i] > s.custom_years[i - 1];
    if (!ok) report("scenario " + s.name + ": maturities must be given, ascending, one shift each");
  }
  const Date as_of = options.as_of;
  for (std::size_t i = 0; i < book.size(); ++i) {
    const PositionTerms& t = book.terms[i];
    const bool nmd = t.behavioural_years > 0;
    if (!(t.notional > 0.0) || !std::isfinite(t.notional)) {
      report(book.where(i) + ": notional must be a positive amount (the side says asset or liability)");
    }
    if (!std::isfinite(t.rate) || std::fabs(t.rate) >= 1.0) report(book.where(i) + ": rate must be a decimal rate (0.035 = 3.5%)");
    if (t.floor > t.cap) report(book.where(i) + ": floor is above cap");
    if (!nmd) {
      if (t.maturity_date <= t.start_date) {
        report(book.where(i) + ": maturity_date " + t.maturity_date.to_string() + " is not after start_date " +
               t.start_date.to_string());
      } else if (t.maturity_date <= as_of) {
        report(book.where(i) + ": maturity_date " + t.maturity_date.to_string() +
               " is on or before the as-of date " + as_of.to_string() + " (the position has matured)");
      }
      if (t.start_date > as_of) {
        report(book.where(i) + ": start_date " + t.start_date.to_string() + " is after the as-of date " +
               as_of.to_string() + " (forward-starting positions are not supported)");
      }
    } else if (t.behavioural_years > 50.0) {
      report(book.where(i) + ": behavioural_maturity must be at most 50 years");
    }
    if (t.rate_type == RateType::kFloating && (t.reset_months < 1 || t.reset_months > 12)) {
      report(book.where(i) + ": reset_frequency must be 1 to 12 months");
    }
    if (t.payment_months > 12) report(book.where(i) + ": payment_frequency must be at most 12 months");
  }
  // Per currency: a curve long enough, shock sizes.
  std::vector<std::size_t> count(book.currencies.size(), 0);
  std::vector<std::size_t> first(book.currencies.size(), 0);
  for (std::size_t i = 0; i < book.size(); ++i) {
    const std::uint16_t c = book.terms[i].currency;
    if (count[c]++ == 0) first[c] = i;
  }
  for (std::size_t c = 0; c < book.currencies.size(); ++c) {
    if (count[c] == 0) continue;
    const std::string& ccy = book.currencies[c];
    const std::string used_by = fmt::format(" (needed by {} position{}, first {})", count[c],
                                            count[c] == 1 ? "" : "s", book.where(first[c]));
    if (market.shocks.find(ccy) == nullptr) {
      report("currency " + ccy + ": no shock sizes in " +
             (market.shocks.source.empty() ? std::string("the shock table") : market.shocks.source) +
             used_by + "; give a shock table with its parallel, short and long sizes");
    }
    auto it = market.curves.find(ccy);
    if (it == market.curves.end() || it->second.empty()) {
      report("currency " + ccy + ": no curve" + used_by);
      continue;
    }
    const double limit = it->second.last_years() + options.max_extrapolation_years;
    std::size_t too_long = 0;
    for (std::size_t i = 0; i < book.size(); ++i) {
      const PositionTerms& t = book.terms[i];
      if (t.currency != c) continue;
      const double years = (detail::last_cash_flow_serial(t, as_of.serial()) - 7 - as_of.serial()) / 365.0;
      if (years > limit) {
        if (too_long++ < 20) {
          report(book.where(i) + ": cash flows run to " + fmt_years(years) + " years but the " + ccy +
                 " curve ends at " + fmt_years(it->second.last_years()) +
                 " years; add the missing longer tenors to the curve");
        }
      }
    }
    if (too_long > 20)
      report(fmt::format("... and {} more {} positions beyond the curve", too_long - 20, ccy));
  }
  if (book.currencies.size() > 1 || (book.currencies.size() == 1 && book.currencies[0] != options.reporting_currency)) {
    for (std::size_t c = 0; c < book.currencies.size(); ++c) {
      if (count[c] == 0 || book.currencies[c] == options.reporting_currency) continue;
      auto fx = options.fx_rates.find(book.currencies[c]);
      if (fx == options.fx_rates.end() || !(fx->second > 0.0)) {
        report("currency " + book.currencies[c] + ": no FX rate to the reporting currency " +
               options.reporting_currency + " (give --fx " + book.currencies[c] + "=RATE)");
      }
    }
  }
  if (more > 0) out.push_back(fmt::format("... and {} more problems", more));
  return out;
}

std::vector<Date> nii_period_bounds(const AlmOptions& options) {
  const std::int32_t as_of = options.as_of.serial();
  const detail::Ymd start = detail::ymd_from_serial(as_of);
  const std::int32_t end = detail::add_months(start, options.nii_horizon_months);
  std::vector<Date> out{options.as_of};
  if (!options.nii_calendar_months || start.d == 1) {
    for (int m = 1; m <= options.nii_horizon_months; ++m) out.push_back(Date::from_serial(detail::add_months(start, m)));
    return out;
  }
  // The 1st of each month after the as-of date up to the horizon's end, then the end itself.
  for (int m = 1;; ++m) {
    const std::int32_t first = detail::add_months(detail::Ymd{start.y, start.m, 1}, m);
    if (first >= end) break;
    out.push_back(Date::from_serial(first));
  }
  out.push_back(Date::from_serial(end));
  return out;
}

AlmResult run_irrbb(const BalanceSheet& book, const AlmMarket& market, const AlmOptions& options) {
  const auto problems = validate(book, market, options);
  if (!problems.empty()) {
    throw Error::invalid_input(fmt::format("the balance sheet cannot be analysed ({} problem{})",
                                           problems.size(), problems.size() == 1 ? "" : "s"),
                               problems);
  }
  const std::int32_t as_of = options.as_of.serial();
  const Groups groups = group_positions(book, as_of);
  const std::vector<Date> bounds = nii_period_bounds(options);
  const std::size_t periods = bounds.size() - 1;
  const std::int32_t horizon_end = bounds.back().serial();
  const auto calendars = calendar_tables(book);
  const detail::DateTable dates(groups.min_serial - 10, std::max(groups.max_serial, horizon_end) + 800);

  AlmResult result;
  result.as_of = options.as_of;
  result.reporting_currency = options.reporting_currency;
  result.positions = book.size();
  const auto& buckets = time_buckets();
  tbb::enumerable_thread_specific<detail::Scratch> scratch;
  const Cancellation* cancel = current_cancellation();  // the caller's (keel/core/cancel.h), if any

  for (std::size_t c = 0; c < book.currencies.size(); ++c) {
    const auto& idx = groups.by_currency[c];
    if (idx.empty()) continue;
    const std::string& ccy = book.currencies[c];
    const ZeroCurve& curve = market.curves.at(ccy);
    const std::vector<Scenario> scenarios = scenarios_for(*market.shocks.find(ccy), options);
    const CurrencyContext ctx = make_context(curve, scenarios, options, days_needed(book, idx, as_of), calendars, dates);

    const Accum acc = tbb::parallel_deterministic_reduce(
        tbb::blocked_range<std::size_t>(0, idx.size(), kGrain), Accum{},
        [&](const tbb::blocked_range<std::size_t>& r, Accum a) {
          if (cancel != nullptr) cancel->check();  // a block of positions: well under 100 ms
          detail::Scratch& sc = scratch.local();
          for (std::size_t i = r.begin(); i != r.end(); ++i) detail::process_position(book.terms[idx[i]], ctx, sc, a);
          return a;
        },
        [](Accum a, const Accum& b) {
          a.add(b);
          return a;
        });

    CurrencyResult cr;
    cr.currency = ccy;
    cr.positions = idx.size();
    cr.fx_rate = ccy == options.reporting_currency ? 1.0 : options.fx_rates.at(ccy);
    std::vector<EveScenarioResult> eve(scenarios.size());
    for (std::size_t s = 0; s < scenarios.size(); ++s) {
      EveScenarioResult& e = eve[s];
      e.name = scenarios[s].name;
      e.assets = acc.pv_assets[s];
      e.liabilities = acc.pv_liabilities[s];
      e.eve = e.assets - e.liabilities;
      double std_eve = 0.0;
      for (std::size_t b = 0; b < kBucketCount; ++b) {
        const double t = buckets[b].midpoint_years;
        std_eve += (acc.bucket_cf[s * kBucketCount + b] + acc.bucket_cf_fixed[b]) * std::exp(-shocked_zero(scenarios[s], curve.zero(t), t) * t);
      }
      e.eve_standardised = std_eve;
    }
    for (auto& e : eve) {
      e.delta = e.eve - eve[0].eve;
      e.delta_regulatory = weighted(e.delta, options.gain_weight);
    }
    cr.eve_base = eve[0];
    cr.eve.assign(eve.begin() + 1, eve.end());

    const int months = static_cast<int>(periods);
    for (int s = 0; s < detail::kNiiScenarios; ++s) {
      NiiScenarioResult n;
      n.name = scenarios[static_cast<std::size_t>(s)].name;
      n.monthly.resize(static_cast<std::size_t>(months));
      for (int m = 0; m < months; ++m) {
        const double inc = acc.income[static_cast<std::size_t>(s * detail::kMaxPeriods + m)];
        const double exp = acc.expense[static_cast<std::size_t>(s * detail::kMaxPeriods + m)];
        n.income += inc;
        n.expense += exp;
        n.monthly[static_cast<std::size_t>(m)] = inc - exp;
      }
      n.nii = n.income - n.expense;
      if (s == 0) {
        cr.nii_base = n;
      } else {
        n.delta = n.nii - cr.nii_base.nii;
        n.delta_regulatory = weighted(n.delta, options.gain_weight);
        cr.nii.push_back(n);
      }
    }
    double cumulative = 0.0;
    for (std::size_t b = 0; b < kBucketCount; ++b) {
      GapBucket& g = cr.gap[b];
      g.name = std::string(buckets[b].name);
      g.from_years = buckets[b].from_years;
      g.to_years = buckets[b].to_years;
      g.midpoint_years = buckets[b].midpoint_years;
      g.assets = acc.gap_assets[b];
      g.liabilities = acc.gap_liabilities[b];
      g.gap = g.assets - g.liabilities;
      cumulative += g.gap;
      g.cumulative_gap = cumulative;
    }
    result.currencies.push_back(std::move(cr));
  }

  // Aggregation in the reporting currency.
  const auto& first = result.currencies.empty() ? CurrencyResult{} : result.currencies.front();
  result.eve_base.name = "base";
  result.nii_base.name = "base";
  result.nii_base.monthly.assign(periods, 0.0);
  result.eve = first.eve;
  result.nii = first.nii;
  for (auto& e : result.eve) e = EveScenarioResult{e.name};
  for (auto& n : result.nii) {
    NiiScenarioResult z;
    z.name = n.name;
    z.monthly.assign(periods, 0.0);
    n = z;
  }
  for (std::size_t b = 0; b < kBucketCount; ++b) {
    result.gap[b] = GapBucket{std::string(buckets[b].name), buckets[b].from_years, buckets[b].to_years,
                              buckets[b].midpoint_years, 0, 0, 0, 0};
  }
  for (const CurrencyResult& cr : result.currencies) {
    const double fx = cr.fx_rate;
    result.eve_base.eve += fx * cr.eve_base.eve;
    result.eve_base.assets += fx * cr.eve_base.assets;
    result.eve_base.liabilities += fx * cr.eve_base.liabilities;
    result.eve_base.eve_standardised += fx * cr.eve_base.eve_standardised;
    for (std::size_t s = 0; s < result.eve.size(); ++s) {
      result.eve[s].delta += fx * cr.eve[s].delta;
      result.eve[s].delta_regulatory += weighted(fx * cr.eve[s].delta, options.gain_weight);
      result.eve[s].assets += fx * cr.eve[s].assets;
      result.eve[s].liabilities += fx * cr.eve[s].liabilities;
      result.eve[s].eve_standardised += fx * cr.eve[s].eve_standardised;
    }
    result.nii_base.nii += fx * cr.nii_base.nii;
    result.nii_base.income += fx * cr.nii_base.income;
    result.nii_base.expense += fx * cr.nii_base.expense;
    for (std::size_t m = 0; m < cr.nii_base.monthly.size(); ++m) result.nii_base.monthly[m] += fx * cr.nii_base.monthly[m];
    for (std::size_t s = 0; s < result.nii.size(); ++s) {
      result.nii[s].delta += fx * cr.nii[s].delta;
      result.nii[s].delta_regulatory += weighted(fx * cr.nii[s].delta, options.gain_weight);
      result.nii[s].income += fx * cr.nii[s].income;
      result.nii[s].expense += fx * cr.nii[s].expense;
      for (std::size_t m = 0; m < cr.nii[s].monthly.size(); ++m) result.nii[s].monthly[m] += fx * cr.nii[s].monthly[m];
    }
    for (std::size_t b = 0; b < kBucketCount; ++b) {
      result.gap[b].assets += fx * cr.gap[b].assets;
      result.gap[b].liabilities += fx * cr.gap[b].liabilities;
    }
  }
  for (auto& e : result.eve) e.eve = result.eve_base.eve + e.delta;
  for (auto& n : result.nii) n.nii = result.nii_base.nii + n.delta;
  double cumulative = 0.0;
  for (auto& g : result.gap) {
    g.gap = g.assets - g.liabilities;
    cumulative += g.gap;
    g.cumulative_gap = cumulative;
  }
  result.eve_worst_delta = std::numeric_limits<double>::infinity();
  for (const auto& e : result.eve) {
    if (e.delta_regulatory < result.eve_worst_delta) {
      result.eve_worst_delta = e.delta_regulatory;
      result.eve_worst = e.name;
    }
  }
  result.nii_worst_delta = std::numeric_limits<double>::infinity();
  for (const auto& n : result.nii) {
    if (n.delta_regulatory < result.nii_worst_delta) {
      result.nii_worst_delta = n.delta_regulatory;
      result.nii_worst = n.name;
    }
  }
  if (result.eve.empty()) result.eve_worst_delta = 0.0;
  if (result.nii.empty()) result.nii_worst_delta = 0.0;
  result.sot = outlier(options.tier1, result.eve_worst_delta, options.eve_outlier_threshold);
  result.nii_test = outlier(options.tier1, result.nii_worst_delta, options.nii_outlier_threshold);
  result.nii_month_starts.assign(bounds.begin(), bounds.end() - 1);
  result.nii_horizon_end = bounds.back();
  result.nii_horizon_months = options.nii_horizon_months;
  result.nii_calendar_months = options.nii_calendar_months;
  return result;
}

std::vector<CashFlow> project_cash_flows(const BalanceSheet& book, std::size_t position,
                                         const AlmMarket& market, const AlmOptions& options,
                                         const Scenario& scenario) {
  if (position >= book.size()) throw Error::not_found(fmt::format("no position {}", position));
  BalanceSheet one;
  one.source = book.source;
  one.currencies = book.currencies;
  one.calendars = book.calendars;
  one.add(book.terms[position], book.id[position], book.type[position], book.index[position], book.line[position]);
  AlmMarket m = market;
  if (m.shocks.find(book.currencies[book.terms[position].currency]) == nullptr) {
    m.shocks.rows.push_back(ShockSizes{book.currencies[book.terms[position].currency], 0, 0, 0});
  }
  AlmOptions o = options;
  o.reporting_currency = book.currencies[book.terms[position].currency];
  const auto problems = validate(one, m, o);
  if (!problems.empty()) throw Error::invalid_input("the position cannot be projected", problems);
  const std::int32_t as_of = options.as_of.serial();
  const Groups groups = group_positions(one, as_of);
  const std::int32_t horizon_end = detail::add_months(detail::ymd_from_serial(as_of), options.nii_horizon_months);
  const auto calendars = calendar_tables(one);
  const detail::DateTable dates(groups.min_serial - 10, std::max(groups.max_serial, horizon_end) + 800);
  const std::string& ccy = book.currencies[book.terms[position].currency];
  Scenario base;
  base.name = "base";
  const std::vector<Scenario> scenarios = {base, scenario, scenario};
  const CurrencyContext ctx =
      make_context(m.curves.at(ccy), scenarios, options, days_needed(one, groups.by_currency[one.terms[0].currency], as_of), calendars, dates);
  detail::Scratch sc;
  Accum acc;
  std::vector<CashFlow> out;
  detail::Trace trace{1, &out};
  detail::process_position(one.terms[0], ctx, sc, acc, &trace);
  return out;
}

}  // namespace keel::alm
