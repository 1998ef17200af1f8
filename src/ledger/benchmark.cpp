#include "keel/ledger/benchmark.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "keel/core/error.h"
#include "keel/core/parse.h"
#include "keel/core/strings.h"

namespace keel::ledger {
namespace {

double mean_of(std::span<const double> x) {
  double s = 0.0;
  for (double v : x) s += v;
  return x.empty() ? 0.0 : s / static_cast<double>(x.size());
}

// Sample covariance (n - 1).
double cov_of(std::span<const double> x, std::span<const double> y) {
  const std::size_t n = x.size();
  if (n < 2) return 0.0;
  const double mx = mean_of(x), my = mean_of(y);
  double s = 0.0;
  for (std::size_t i = 0; i < n; ++i) s += (x[i] - mx) * (y[i] - my);
  return s / static_cast<double>(n - 1);
}

Drawdown drawdown_of(std::span<const ValuePoint> s, std::span<const double> wealth) {
  Drawdown d;
  double peak = wealth[0];
  Date peak_date = s[0].date;
  double cur = 0.0;
  for (std::size_t t = 1; t < wealth.size(); ++t) {
    if (wealth[t] >= peak) {
      if (cur > 0 && d.peak == peak_date && !d.recovery) d.recovery = s[t].date;
      peak = wealth[t];
      peak_date = s[t].date;
      cur = 0.0;
      continue;
    }
    const double depth = 1.0 - wealth[t] / peak;
    cur = std::max(cur, depth);
    if (depth > d.depth) {
      d.depth = depth;
      d.peak = peak_date;
      d.trough = s[t].date;
      d.recovery.reset();
    }
  }
  return d;
}

// Returns of both per period: the product of the daily factors of the points dated in it.
std::vector<PeriodComparison> periods(std::span<const ValuePoint> s, std::span<const double> r,
                                      std::span<const double> b, char kind) {
  std::vector<PeriodComparison> out;
  for (std::size_t t = 1; t < s.size(); ++t) {
    const std::string key = period_key(s[t].date, kind);
    if (out.empty() || out.back().period != key) out.push_back({key, 1.0, 1.0, 0.0});
    out.back().portfolio *= 1.0 + r[t - 1];
    out.back().benchmark *= 1.0 + b[t - 1];
  }
  for (auto& p : out) {
    p.portfolio -= 1.0;
    p.benchmark -= 1.0;
    p.excess = p.portfolio - p.benchmark;
  }
  return out;
}

}  // namespace

std::vector<BenchmarkComponent> parse_benchmark(std::string_view text) {
  std::vector<BenchmarkComponent> out;
  std::vector<std::string> problems;
  std::set<std::string> seen;
  const std::string all(trim(text));
  if (all.empty()) throw Error::invalid_input("invalid benchmark", {"benchmark: empty (expected SPY or 60:SPY,40:AGG)"});
  std::size_t start = 0;
  while (start <= all.size()) {
    const std::size_t comma = std::min(all.find(',', start), all.size());
    const std::string_view part = trim(std::string_view(all).substr(start, comma - start));
    start = comma + 1;
    if (part.empty()) {
      problems.push_back("benchmark: an empty component (expected SPY or 60:SPY,40:AGG)");
      continue;
    }
    BenchmarkComponent c;
    const auto colon = part.find(':');
    if (colon == std::string_view::npos) {
      c.symbol = to_upper(part);
    } else {
      c.symbol = to_upper(trim(part.substr(colon + 1)));
      const auto w = parse_double(trim(part.substr(0, colon)));
      if (!w || !(*w > 0) || !std::isfinite(*w)) {
        problems.push_back(fmt::format("benchmark: weight of '{}' is not a positive number", part));
        continue;
      }
      c.weight = *w;
    }
    if (c.symbol.empty()) {
      problems.push_back(fmt::format("benchmark: '{}' names no symbol", part));
      continue;
    }
    if (!seen.insert(c.symbol).second) {
      problems.push_back(fmt::format("benchmark: {} is named twice", c.symbol));
      continue;
    }
    out.push_back(std::move(c));
    if (comma == all.size()) break;
  }
  if (!problems.empty()) throw Error::invalid_input("invalid benchmark", problems);
  double total = 0.0;
  for (const auto& c : out) total += c.weight;
  for (auto& c : out) c.weight /= total;
  return out;
}

BenchmarkComparison compare_to_benchmark(std::span<const ValuePoint> s, const PerformanceResult& perf,
                                         const PriceHistory& closes, std::span<const BenchmarkComponent> components,
                                         const BenchmarkOptions& options) {
  const std::size_t n = s.size();
  if (n < 2 || perf.daily_returns.size() + 1 != n) {
    throw Error::invalid_input("benchmark comparison needs the account's daily values and their performance");
  }
  // Each component's last close on or before each date of the series.
  std::vector<std::vector<double>> px(components.size(), std::vector<double>(n, 0.0));
  for (std::size_t c = 0; c < components.size(); ++c) {
    const auto it = std::find(closes.symbols.begin(), closes.symbols.end(), components[c].symbol);
    const std::size_t col = it == closes.symbols.end() ? closes.cols() : static_cast<std::size_t>(it - closes.symbols.begin());
    double last = kMissing;
    std::size_t row = 0;
    for (std::size_t t = 0; t < n; ++t) {
      for (; row < closes.rows() && closes.dates[row] <= s[t].date; ++row) {
        if (col < closes.cols() && !is_missing(closes.at(row, col))) last = closes.at(row, col);
      }
      if (is_missing(last) || !(last > 0)) {
        throw Error::invalid_input(fmt::format("benchmark {} has no price on or before {}", components[c].symbol,
                                               s[t].date.to_string()));
      }
      px[c][t] = last;
    }
  }

  BenchmarkComparison r;
  r.index.resize(n);
  r.index[0] = 1.0;
  std::vector<double> units(components.size());
  const auto rebalance = [&](std::size_t t) {
    for (std::size_t c = 0; c < components.size(); ++c) units[c] = components[c].weight * r.index[t] / px[c][t];
  };
  rebalance(0);
  for (std::size_t t = 1; t < n; ++t) {
    double v = 0.0;
    for (std::size_t c = 0; c < components.size(); ++c) v += units[c] * px[c][t];
    r.index[t] = v;
    r.returns.push_back(v / r.index[t - 1] - 1.0);
    // The last point of a month: back to the weights.
    if (t + 1 < n && s[t + 1].date.month() != s[t].date.month()) rebalance(t);
  }

  const std::span<const double> pr = perf.daily_returns;
  const std::span<const double> br = r.returns;
  double wealth = 1.0;
  std::vector<double> bw(n, 1.0);
  for (std::size_t t = 1; t < n; ++t) {
    wealth *= 1.0 + br[t - 1];
    bw[t] = wealth;
  }
  const int days = s[n - 1].date - s[0].date;
  const double ppy = options.periods_per_year;
  const double ann = std::sqrt(ppy);
  r.portfolio_return = perf.twr;
  r.benchmark_return = wealth - 1.0;
  r.excess_return = r.portfolio_return - r.benchmark_return;
  r.portfolio_cagr = perf.cagr;
  r.benchmark_cagr = days > 0 && wealth > 0 ? std::pow(wealth, 365.0 / days) - 1.0 : 0.0;
  r.excess_cagr = r.portfolio_cagr - r.benchmark_cagr;

  std::vector<double> active(pr.size());
  for (std::size_t i = 0; i < pr.size(); ++i) active[i] = pr[i] - br[i];
  const double sd_active = std::sqrt(cov_of(active, active));
  r.tracking_error = sd_active * ann;
  r.information_ratio = sd_active > 0 ? mean_of(active) / sd_active * ann : 0.0;
  const double var_b = cov_of(br, br);
  const double var_p = cov_of(pr, pr);
  const double cov_pb = cov_of(pr, br);
  r.benchmark_volatility = std::sqrt(var_b) * ann;
  r.beta = var_b > 0 ? cov_pb / var_b : 0.0;
  r.correlation = var_b > 0 && var_p > 0 ? cov_pb / std::sqrt(var_b * var_p) : 0.0;
  const double rf = options.risk_free_annual / ppy;
  r.alpha = (mean_of(pr) - rf - r.beta * (mean_of(br) - rf)) * ppy;
  double up_p = 0, up_b = 0, dn_p = 0, dn_b = 0;
  std::size_t up_n = 0, dn_n = 0;
  for (std::size_t i = 0; i < br.size(); ++i) {
    if (br[i] > 0) {
      up_p += pr[i];
      up_b += br[i];
      ++up_n;
    } else if (br[i] < 0) {
      dn_p += pr[i];
      dn_b += br[i];
      ++dn_n;
    }
  }
  // The counts cancel: mean(r) / mean(b) over the same days is sum(r) / sum(b).
  if (up_n > 0) r.up_capture = up_p / up_b;
  if (dn_n > 0) r.down_capture = dn_p / dn_b;
  r.benchmark_drawdown = drawdown_of(s, bw);
  r.monthly = periods(s, pr, br, 'm');
  // Rolling twelve months at every month end with a full year of points behind it.
  for (std::size_t t = 1; t < n; ++t) {
    if (t + 1 < n && s[t + 1].date.month() == s[t].date.month()) continue;
    const Date begin = s[t].date.add_years(-1);
    if (s[0].date > begin) continue;
    std::size_t first = t;  // the first point dated after `begin`
    while (first > 1 && s[first - 1].date > begin) --first;
    const std::span<const double> wr = pr.subspan(first - 1, t - first + 1);
    const std::span<const double> wb = br.subspan(first - 1, t - first + 1);
    RollingWindow w;
    w.end = s[t].date;
    double gp = 1.0, gb = 1.0;
    for (std::size_t i = 0; i < wr.size(); ++i) {
      gp *= 1.0 + wr[i];
      gb *= 1.0 + wb[i];
    }
    w.portfolio_return = gp - 1.0;
    w.benchmark_return = gb - 1.0;
    const double vb = cov_of(wb, wb);
    w.portfolio_volatility = std::sqrt(cov_of(wr, wr)) * ann;
    w.benchmark_volatility = std::sqrt(vb) * ann;
    w.beta = vb > 0 ? cov_of(wr, wb) / vb : 0.0;
    r.rolling_12m.push_back(w);
  }
  r.annual = periods(s, pr, br, 'y');

  double held = s[0].value / r.index[0];
  std::vector<DatedFlow> flows{{s[0].date, -s[0].value}};
  for (std::size_t t = 1; t < n; ++t) {
    if (s[t].flow == 0.0) continue;
    held += s[t].flow / r.index[t - 1];
    flows.push_back({s[t].date, -s[t].flow});
  }
  r.same_flows_end_value = held * r.index[n - 1];
  flows.push_back({s[n - 1].date, r.same_flows_end_value});
  r.same_flows_xirr = xirr(flows);
  return r;
}

}  // namespace keel::ledger
