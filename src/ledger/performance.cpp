#include "keel/ledger/performance.h"

#include <cmath>
#include <cstdio>

#include "keel/core/error.h"

namespace keel::ledger {
namespace {

double npv(std::span<const DatedFlow> flows, double rate) {
  const Date d0 = flows.front().date;
  double s = 0.0;
  for (const auto& f : flows) s += f.amount / std::pow(1.0 + rate, (f.date - d0) / 365.0);
  return s;
}

std::vector<PeriodGrowth> growth(std::span<const ValuePoint> s, const std::vector<double>& r, char kind) {
  std::vector<PeriodGrowth> out;
  for (std::size_t t = 1; t < s.size(); ++t) {
    const std::string key = period_key(s[t].date, kind);
    if (out.empty() || out.back().period != key) {
      PeriodGrowth g;
      g.period = key;
      g.start = s[t - 1].date;
      g.start_value = s[t - 1].value;
      out.push_back(g);
    }
    PeriodGrowth& g = out.back();
    g.end = s[t].date;
    g.end_value = s[t].value;
    g.flows += s[t].flow;
    g.twr = (1.0 + g.twr) * (1.0 + r[t - 1]) - 1.0;
  }
  return out;
}

}  // namespace

std::string period_key(Date d, char kind) {
  char buf[48];
  if (kind == 'm') std::snprintf(buf, sizeof buf, "%04d-%02d", d.year(), d.month());
  else if (kind == 'q') std::snprintf(buf, sizeof buf, "%04d-Q%d", d.year(), (d.month() - 1) / 3 + 1);
  else std::snprintf(buf, sizeof buf, "%04d", d.year());
  return buf;
}

std::optional<double> xirr(std::span<const DatedFlow> flows) {
  bool pos = false, neg = false;
  for (const auto& f : flows) {
    pos = pos || f.amount > 0;
    neg = neg || f.amount < 0;
  }
  if (!pos || !neg) return std::nullopt;
  // Bracket a sign change on a grid, then bisect (robust; NPV is smooth in the rate).
  double lo = -0.9999;
  double flo = npv(flows, lo);
  const double grid[] = {-0.99, -0.9, -0.5, -0.2, 0.0, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 100.0, 10000.0};
  double hi = lo;
  double fhi = flo;
  bool found = false;
  for (double g : grid) {
    const double fg = npv(flows, g);
    if (std::isfinite(fg) && std::isfinite(flo) && (fg == 0.0 || (fg > 0) != (flo > 0))) {
      hi = g;
      fhi = fg;
      found = true;
      break;
    }
    lo = g;
    flo = fg;
  }
  if (!found) return std::nullopt;
  if (fhi == 0.0) return hi;
  for (int i = 0; i < 300 && hi - lo > 1e-14; ++i) {
    const double mid = 0.5 * (lo + hi);
    const double fm = npv(flows, mid);
    if ((fm > 0) == (flo > 0)) {
      lo = mid;
      flo = fm;
    } else {
      hi = mid;
    }
  }
  return 0.5 * (lo + hi);
}

PerformanceResult measure_performance(std::span<const ValuePoint> s, const PerformanceOptions& o) {
  if (s.size() < 2) throw Error::invalid_input("performance needs at least two dated values");
  for (std::size_t t = 1; t < s.size(); ++t) {
    if (!(s[t - 1].date < s[t].date)) {
      throw Error::invalid_input("performance series dates must increase strictly (" + s[t].date.to_string() + ")");
    }
  }
  PerformanceResult r;
  r.start = s.front().date;
  r.end = s.back().date;
  r.start_value = s.front().value;
  r.end_value = s.back().value;
  double wealth = 1.0, peak = 1.0;
  Date peak_date = s.front().date;
  double cur_depth = 0.0;
  r.wealth.reserve(s.size());
  r.drawdown.reserve(s.size());
  r.wealth.push_back(1.0);
  r.drawdown.push_back(0.0);
  for (std::size_t t = 1; t < s.size(); ++t) {
    const double base = s[t - 1].value + s[t].flow;
    const double ret = base > 0 ? s[t].value / base - 1.0 : 0.0;
    r.daily_returns.push_back(ret);
    r.net_flows += s[t].flow;
    wealth *= 1.0 + ret;
    r.wealth.push_back(wealth);
    r.drawdown.push_back(wealth >= peak ? 0.0 : 1.0 - wealth / peak);
    if (wealth >= peak) {
      if (cur_depth > 0 && r.max_drawdown.peak == peak_date && !r.max_drawdown.recovery) {
        r.max_drawdown.recovery = s[t].date;
      }
      peak = wealth;
      peak_date = s[t].date;
      cur_depth = 0;
      continue;
    }
    const double depth = 1.0 - wealth / peak;
    cur_depth = std::max(cur_depth, depth);
    if (depth > r.max_drawdown.depth) {
      r.max_drawdown.depth = depth;
      r.max_drawdown.peak = peak_date;
      r.max_drawdown.trough = s[t].date;
      r.max_drawdown.recovery.reset();
    }
  }
  r.twr = wealth - 1.0;
  const int days = r.end - r.start;
  r.cagr = days > 0 && wealth > 0 ? std::pow(wealth, 365.0 / days) - 1.0 : 0.0;

  const auto n = static_cast<double>(r.daily_returns.size());
  const double rf = o.risk_free_annual / o.periods_per_year;
  double mean = 0;
  for (double x : r.daily_returns) mean += x;
  mean /= n;
  double ss = 0, down = 0;
  for (double x : r.daily_returns) {
    ss += (x - mean) * (x - mean);
    const double d = std::min(x - rf, 0.0);
    down += d * d;
  }
  const double sd = n > 1 ? std::sqrt(ss / (n - 1)) : 0.0;
  const double dd = std::sqrt(down / n);
  const double ann = std::sqrt(static_cast<double>(o.periods_per_year));
  r.volatility = sd * ann;
  r.sharpe = sd > 0 ? (mean - rf) / sd * ann : 0.0;
  r.sortino = dd > 0 ? (mean - rf) / dd * ann : 0.0;
  r.calmar = r.max_drawdown.depth > 0 ? r.cagr / r.max_drawdown.depth : 0.0;

  std::vector<DatedFlow> flows;
  flows.push_back({s.front().date, -s.front().value});
  for (std::size_t t = 1; t < s.size(); ++t) {
    if (s[t].flow != 0.0) flows.push_back({s[t].date, -s[t].flow});
  }
  flows.push_back({s.back().date, s.back().value});
  r.xirr = xirr(flows);

  r.monthly = growth(s, r.daily_returns, 'm');
  r.quarterly = growth(s, r.daily_returns, 'q');
  r.annual = growth(s, r.daily_returns, 'y');
  return r;
}

}  // namespace keel::ledger
