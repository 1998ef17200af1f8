// Factor engine on real data: Fama-French five-factor betas (with alpha, t-statistics, R^2 and
// residual vol) of all 489 stocks of ../shared/data/equities/sp500_daily_2012_2017.csv.gz over the
// last 252 and all 1,259 daily returns, value-weighted and regression portfolio betas of an
// equal-weight book (1,000,000 USD), and the six historical stress scenarios of the built-in library
// on that book. A stock's return is missing on a day when it has no price that day or the day
// before (only 81 dates are common to all 489 symbols), and each stock with gaps is fitted on its
// own valid days (MissingReturns::kPerSeries). Inputs are loaded once, outside the timing.
// Peer: bench/peers/factors_betas.py (numpy lstsq, same inputs and steps); counters print the
// portfolio market beta and the GFC P&L so the two can be compared number for number.
#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "keel/factors/alignment.h"
#include "keel/factors/regression.h"
#include "keel/factors/stress.h"
#include "keel/io/csv.h"
#include "keel/io/readers.h"
#include "keel/io/scenario_reader.h"

namespace {

using namespace keel;
using namespace keel::factors;

const std::string kPrices = std::string(KEEL_SHARED_DIR) + "/data/equities/sp500_daily_2012_2017.csv.gz";
const std::string kFactors = std::string(KEEL_SHARED_DIR) + "/data/factors/ff5_daily_1963_2024.csv";

struct Data {
  std::vector<Date> dates;            // return dates (1,259)
  std::vector<std::string> symbols;   // 489
  std::vector<double> returns;        // dates x symbols, NaN = no return that day
  FactorTable factors;
  std::vector<Scenario> historical;
  risk::RiskBook book;
  bool ok = false;
};

const Data& data() {
  static const Data d = [] {
    Data x;
    if (!std::filesystem::exists(kPrices) || !std::filesystem::exists(kFactors)) return x;
    Diagnostics diags;
    auto csv = io::CsvReader::open(local_files().open(kPrices, "prices"), diags);
    const PriceRows rows = io::read_prices(csv, diags);
    std::vector<std::string> symbols = rows.symbols;
    std::sort(symbols.begin(), symbols.end());
    const PriceHistory prices = pivot_prices(rows, symbols, /*adjusted=*/true);
    // Each stock's own daily returns; a return is missing where either day lacks a price.
    const std::size_t T = prices.rows() - 1;
    const std::size_t N = prices.cols();
    x.symbols = symbols;
    for (std::size_t t = 1; t < prices.rows(); ++t) x.dates.push_back(prices.dates[t]);
    x.returns.assign(T * N, kMissing);
    for (std::size_t t = 1; t < prices.rows(); ++t) {
      for (std::size_t j = 0; j < N; ++j) {
        const double a = prices.at(t - 1, j), b = prices.at(t, j);
        if (!is_missing(a) && !is_missing(b)) x.returns[(t - 1) * N + j] = b / a - 1.0;
      }
    }
    auto fcsv = io::CsvReader::open(local_files().open(kFactors, "factors"), diags);
    x.factors = io::read_factors(fcsv, io::RateUnits::kPercent, diags);
    diags.throw_if_errors("benchmark inputs");
    for (const auto& s : io::builtin_scenarios().scenarios) {
      if (s.kind == ScenarioKind::kHistorical) x.historical.push_back(s);
    }
    const double each = 1'000'000.0 / static_cast<double>(N);
    x.book.assets = x.symbols;
    for (std::size_t a = 0; a < N; ++a) {
      x.book.ids.push_back(x.symbols[a]);
      x.book.asset.push_back(a);
      x.book.value.push_back(each);
      x.book.exposure.push_back(each);
      x.book.units.push_back(0.0);
      x.book.spot.push_back(1.0);
      x.book.option.emplace_back();
    }
    x.ok = true;
    return x;
  }();
  return d;
}

struct RunResult {
  std::vector<double> port_betas_weighted;
  FactorFits portfolio;
  std::vector<double> scenario_pnl;
};

// Everything the numpy peer times: excess returns, 489 regressions with statistics, value-weighted
// and regression portfolio betas, six historical scenarios (direct impact).
RunResult factor_run(const Data& d, const AlignedFactors& f, std::size_t first) {
  const std::size_t N = d.symbols.size();
  const std::size_t T = f.rows();
  const std::size_t K = f.cols();
  std::vector<double> y(T * N);
  for (std::size_t t = 0; t < T; ++t) {
    const double rf = f.rf[t];
    const double* r = d.returns.data() + (first + t) * N;
    for (std::size_t a = 0; a < N; ++a) y[t * N + a] = r[a] - rf;  // NaN stays NaN
  }
  const FactorFits fits = fit_factor_model(y, N, f.values, K, {.missing = MissingReturns::kPerSeries}, f.names);
  RunResult out;
  const double w = 1.0 / static_cast<double>(N);
  StressModel model;
  model.factor_names = f.names;
  model.asset_betas = fits.betas;
  for (double& b : model.asset_betas) b = std::isnan(b) ? 0.0 : b;
  out.port_betas_weighted.assign(K, 0.0);
  for (std::size_t a = 0; a < N; ++a) {
    for (std::size_t k = 0; k < K; ++k) out.port_betas_weighted[k] += w * model.asset_betas[a * K + k];
  }
  std::vector<double> yp(T, 0.0);
  for (std::size_t t = 0; t < T; ++t) {
    double s = 0.0;
    for (std::size_t a = 0; a < N; ++a) {
      const double v = y[t * N + a];
      if (!std::isnan(v)) s += w * v;
    }
    yp[t] = s;
  }
  out.portfolio = fit_factor_model(yp, 1, f.values, K, {}, f.names);
  for (const auto& s : d.historical) {
    out.scenario_pnl.push_back(run_stress(d.book, model, s, StressMethod::kDirect).pnl);
  }
  return out;
}

void BM_FactorRun489(benchmark::State& state) {
  const Data& d = data();
  if (!d.ok) {
    state.SkipWithError("needs ../shared/data/equities and ../shared/data/factors");
    return;
  }
  const auto window = static_cast<std::size_t>(state.range(0));
  const tbb::global_control threads(tbb::global_control::max_allowed_parallelism,
                                    static_cast<std::size_t>(state.range(1)));
  const std::size_t first = d.dates.size() - window;
  const std::vector<Date> dates(d.dates.begin() + static_cast<long>(first), d.dates.end());
  const AlignedFactors f = align_factors(dates, d.factors);
  RunResult r;
  for (auto _ : state) {
    r = factor_run(d, f, first);
    benchmark::DoNotOptimize(r);
  }
  std::size_t gaps = 0;
  for (std::size_t a = 0; a < d.symbols.size(); ++a) {
    for (std::size_t t = first; t < d.dates.size(); ++t) {
      if (std::isnan(d.returns[t * d.symbols.size() + a])) {
        ++gaps;
        break;
      }
    }
  }
  state.counters["stocks"] = static_cast<double>(d.symbols.size());
  state.counters["stocks_with_gaps"] = static_cast<double>(gaps);
  state.counters["beta_mkt_weighted"] = r.port_betas_weighted[0];
  state.counters["beta_mkt_regression"] = r.portfolio.betas[0];
  state.counters["pnl_gfc_2008"] = r.scenario_pnl[2];
  state.counters["pnl_covid_2020"] = r.scenario_pnl[4];
}
// Args: window (returns), threads (oneTBB parallelism).
BENCHMARK(BM_FactorRun489)
    ->Args({252, 1})
    ->Args({252, 2})
    ->Args({1259, 1})
    ->Args({1259, 2})
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2.0)
    ->UseRealTime();

// Only the 489 regressions (the kernel), for the split.
void BM_Betas489(benchmark::State& state) {
  const Data& d = data();
  if (!d.ok) {
    state.SkipWithError("needs ../shared/data");
    return;
  }
  const auto window = static_cast<std::size_t>(state.range(0));
  const std::size_t first = d.dates.size() - window;
  const std::size_t N = d.symbols.size();
  const std::vector<Date> dates(d.dates.begin() + static_cast<long>(first), d.dates.end());
  const AlignedFactors f = align_factors(dates, d.factors);
  std::vector<double> y(window * N);
  for (std::size_t t = 0; t < window; ++t) {
    for (std::size_t a = 0; a < N; ++a) y[t * N + a] = d.returns[(first + t) * N + a] - f.rf[t];
  }
  for (auto _ : state) {
    auto fits = fit_factor_model(y, N, f.values, f.cols(), {.missing = MissingReturns::kPerSeries});
    benchmark::DoNotOptimize(fits);
  }
}
BENCHMARK(BM_Betas489)->Arg(252)->Arg(1259)->Unit(benchmark::kMillisecond)->MinTime(2.0)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
