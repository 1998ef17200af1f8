// Scenario grid and Monte Carlo of correlated defaults for a CLO (keel/clo/simulation.h).
#include "keel/clo/simulation.h"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <functional>
#include <map>

#include "keel/core/cancel.h"
#include "keel/core/distributions.h"
#include "keel/core/error.h"
#include "keel/core/rng.h"
#include "keel/core/stats.h"

namespace keel::clo {

std::size_t grid_points(const GridSpec& grid) {
  if (!grid.scenarios.empty()) return grid.scenarios.size();
  return grid.cdr.size() * grid.cpr.size() * grid.recovery.size();
}

void run_grid(const CloModel& model, const GridSpec& grid,
              const std::function<void(std::size_t index, GridPoint&& point)>& sink) {
  if (grid.scenarios.empty() && (grid.cdr.empty() || grid.cpr.empty() || grid.recovery.empty())) {
    throw Error::invalid_input("CLO grid: every axis (cdr, cpr, recovery) needs at least one value");
  }
  if (!std::all_of(grid.scenarios.begin(), grid.scenarios.end(), [](const Scenario& s) { return s.valid(); })) {
    throw Error::invalid_input("CLO grid: a scenario's cdr and cpr must be in [0, 1), recovery in [0, 1], lag >= 0");
  }
  // Validate the axes up front so an error is not raised inside a worker.
  const auto rate = [](double x) { return x >= 0 && x < 1; };
  if (!std::all_of(grid.cdr.begin(), grid.cdr.end(), rate) || !std::all_of(grid.cpr.begin(), grid.cpr.end(), rate) ||
      !std::all_of(grid.recovery.begin(), grid.recovery.end(), [](double x) { return x >= 0 && x <= 1; }) ||
      grid.recovery_lag_months < 0) {
    throw Error::invalid_input("CLO grid: cdr and cpr must be in [0, 1), recovery in [0, 1], lag >= 0");
  }
  ProjectionOptions opt;
  opt.record_periods = false;
  std::optional<RatingPath> path;
  if (grid.migration) path = expected_rating_path(*grid.migration, model.deal().collateral, model.period_months());
  const RatingPath* ratings = path ? &*path : nullptr;
  // A point's scenario from its index (CDR slowest, recovery fastest): no list of every scenario.
  const std::size_t n_cpr = grid.cpr.size(), n_rec = grid.recovery.size();
  const auto scenario = [&](std::size_t k) {
    if (!grid.scenarios.empty()) return grid.scenarios[k];
    return Scenario{grid.cdr[k / (n_cpr * n_rec)], grid.cpr[(k / n_rec) % n_cpr], grid.recovery[k % n_rec],
                    grid.recovery_lag_months};
  };
  // Blocks of points computed on every core, then handed to the sink in order on this thread: at
  // most one block's points are held besides what the sink keeps, and the caller's Cancellation
  // is asked between points.
  const Cancellation* cancel = current_cancellation();
  const std::size_t total = grid_points(grid);
  const std::size_t block = std::max<std::size_t>(64, 8 * static_cast<std::size_t>(tbb::this_task_arena::max_concurrency()));
  std::vector<GridPoint> points;
  for (std::size_t first = 0; first < total; first += block) {
    const std::size_t n = std::min(block, total - first);
    points.assign(n, GridPoint{});
    tbb::parallel_for(std::size_t{0}, n, [&](std::size_t i) {
      if (cancel != nullptr) cancel->check();
      GridPoint& p = points[i];
      p.scenario = scenario(first + i);
      const ProjectionResult r = model.project(p.scenario, opt, {}, ratings);
      p.tranches.reserve(r.tranches.size());
      for (const TrancheSummary& s : r.tranches) {
        p.tranches.push_back({s.irr, s.wal_years, s.loss, s.loss_fraction, s.unpaid_interest,
                              s.unpaid_interest_fraction, s.pv_loss_fraction});
      }
    });
    for (std::size_t i = 0; i < n; ++i) sink(first + i, std::move(points[i]));
  }
}

std::vector<GridPoint> run_grid(const CloModel& model, const GridSpec& grid) {
  std::vector<GridPoint> points;
  points.reserve(grid_points(grid));
  run_grid(model, grid, [&](std::size_t, GridPoint&& p) { points.push_back(std::move(p)); });
  return points;
}

namespace {

struct CopulaSetup {
  std::vector<double> thresholds;  // Phi^-1(PD(t)) per period, ascending
  // Industry model: loan -> industry row; Cholesky factor (row-major, n x n); idiosyncratic weight.
  std::vector<int> loan_industry;
  std::vector<double> chol;
  std::vector<double> idio;
  int n_ind = 0;
  // Obligor model (pair overrides): loan -> obligor; Cholesky factor of the obligor matrix.
  std::vector<int> loan_obligor;
  int n_obligors = 0;
  bool by_obligor = false;
  std::vector<double> obligor_chol;
  // Migration: loan -> state at closing; per period, the cumulative rows of P^(months/12).
  bool migrates = false;
  std::size_t n_states = 0;
  std::vector<int> loan_state;
  std::vector<std::vector<double>> period_cdf;
  std::vector<unsigned char> state_caa;
};

std::vector<double> cholesky_psd(const std::vector<std::vector<double>>& c) {
  const std::size_t n = c.size();
  std::vector<double> l(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j <= i; ++j) {
      double s = c[i][j];
      for (std::size_t k = 0; k < j; ++k) s -= l[i * n + k] * l[j * n + k];
      if (i == j) {
        if (s < -1e-10) throw Error::invalid_input("CLO Monte Carlo: the industry correlation matrix is not positive semi-definite");
        l[i * n + i] = s > 0.0 ? std::sqrt(s) : 0.0;
      } else {
        l[i * n + j] = l[j * n + j] > 0.0 ? s / l[j * n + j] : 0.0;
      }
    }
  }
  return l;
}

void index_obligors(const CloModel& model, CopulaSetup& s) {
  std::map<std::string, int> index;
  for (const Loan& l : model.deal().collateral) {
    const auto [it, added] = index.emplace(l.obligor, static_cast<int>(index.size()));
    s.loan_obligor.push_back(it->second);
  }
  s.n_obligors = static_cast<int>(index.size());
}

// The obligor correlation matrix (base model, pair overrides) and its Cholesky factor.
void setup_pairs(const CloModel& model, const MonteCarloOptions& o, CopulaSetup& s) {
  const auto& pool = model.deal().collateral;
  const std::size_t n = static_cast<std::size_t>(s.n_obligors);
  std::map<std::string, int> index;
  std::vector<int> industry_of(n, 0);
  for (std::size_t i = 0; i < pool.size(); ++i) {
    index[pool[i].obligor] = s.loan_obligor[i];
    if (s.n_ind > 0) industry_of[static_cast<std::size_t>(s.loan_obligor[i])] = s.loan_industry[i];
  }
  std::vector<std::vector<double>> c(n, std::vector<double>(n, 0.0));
  for (std::size_t a = 0; a < n; ++a) {
    for (std::size_t b = 0; b < n; ++b) {
      if (a == b) {
        c[a][b] = 1.0;
      } else if (s.n_ind > 0) {
        c[a][b] = o.industry_correlation[static_cast<std::size_t>(industry_of[a])][static_cast<std::size_t>(industry_of[b])];
      } else {
        c[a][b] = o.asset_correlation;
      }
    }
  }
  std::vector<std::string> problems;
  for (const auto& p : o.pair_correlation) {
    const auto ia = index.find(p.obligor_a);
    const auto ib = index.find(p.obligor_b);
    if (ia == index.end() || ib == index.end()) {
      problems.push_back(fmt::format("{} / {}: obligor not in the pool", p.obligor_a, p.obligor_b));
      continue;
    }
    if (ia->second == ib->second) {
      problems.push_back(fmt::format("{} / {}: a pair needs two obligors", p.obligor_a, p.obligor_b));
      continue;
    }
    if (!(p.correlation >= -1.0 && p.correlation <= 1.0)) {
      problems.push_back(fmt::format("{} / {}: a correlation must lie in [-1, 1]", p.obligor_a, p.obligor_b));
      continue;
    }
    const auto a = static_cast<std::size_t>(ia->second), b = static_cast<std::size_t>(ib->second);
    c[a][b] = c[b][a] = p.correlation;
  }
  if (!problems.empty()) throw Error::invalid_input("CLO Monte Carlo: invalid obligor pair correlations", problems);
  try {
    s.obligor_chol = cholesky_psd(c);
  } catch (const Error&) {
    throw Error::invalid_input(
        "CLO Monte Carlo: the obligor correlation matrix (the pair overrides over the base correlation) is not "
        "positive semi-definite");
  }
  s.by_obligor = true;
}

void setup_migration(const CloModel& model, const MonteCarloOptions& o, CopulaSetup& s) {
  const MigrationMatrix& mm = *o.migration;
  validate_migration(mm);
  s.loan_state = migration_states_of(mm, model.deal().collateral);
  s.n_states = mm.states.size();
  for (MoodysRating r : mm.states) s.state_caa.push_back(is_caa_or_below(r) ? 1 : 0);
  std::map<double, std::vector<double>> cdf_of;
  for (double months : model.period_months()) {
    auto it = cdf_of.find(months);
    if (it == cdf_of.end()) {
      std::vector<double> q = migration_power(mm, months / 12.0);
      for (std::size_t i = 0; i < s.n_states; ++i) {
        for (std::size_t j = 1; j < s.n_states; ++j) q[i * s.n_states + j] += q[i * s.n_states + j - 1];
        q[i * s.n_states + s.n_states - 1] = 1.0;  // rounding of the cumulative sum
      }
      it = cdf_of.emplace(months, std::move(q)).first;
    }
    s.period_cdf.push_back(it->second);
  }
  s.migrates = true;
}

CopulaSetup make_setup(const CloModel& model, const MonteCarloOptions& o) {
  if (o.scenarios < 1) throw Error::invalid_input("CLO Monte Carlo: scenarios must be >= 1");
  if (!o.base.valid()) {
    throw Error::invalid_input("CLO Monte Carlo: cdr and cpr must be in [0, 1), recovery in [0, 1], lag >= 0");
  }
  if (!(o.confidence > 0 && o.confidence < 1)) throw Error::invalid_input("CLO Monte Carlo: confidence must be in (0, 1)");
  CopulaSetup s;
  // Cumulative default probability to each payment date: survival multiplies period by period at
  // that period's annual CDR (the scenario's vector, else its constant).
  // A constant CDR keeps its one power of the elapsed months.
  double survival = 1.0, months = 0.0;
  int period = 0;
  for (double m : model.period_months()) {
    survival *= std::pow(1.0 - o.base.cdr_at(period++), m / 12.0);
    months += m;
    const double pd = o.base.cdr_path.empty() ? 1.0 - std::pow(1.0 - o.base.cdr, months / 12.0) : 1.0 - survival;
    s.thresholds.push_back(pd <= 0.0 ? -std::numeric_limits<double>::infinity()
                                     : (pd >= 1.0 ? std::numeric_limits<double>::infinity() : normal_quantile(pd)));
  }
  index_obligors(model, s);
  if (o.migration) setup_migration(model, o, s);
  if (o.industry_correlation.empty()) {
    if (!(o.asset_correlation >= 0 && o.asset_correlation < 1)) {
      throw Error::invalid_input("CLO Monte Carlo: asset correlation must be in [0, 1)");
    }
    if (!o.pair_correlation.empty()) setup_pairs(model, o, s);
    return s;
  }
  const auto& c = o.industry_correlation;
  const std::size_t n = c.size();
  if (o.industries.size() != n) throw Error::invalid_input("CLO Monte Carlo: one industry name per matrix row is needed");
  for (std::size_t i = 0; i < n; ++i) {
    if (c[i].size() != n) throw Error::invalid_input("CLO Monte Carlo: the industry correlation matrix is not square");
    if (!(c[i][i] >= 0 && c[i][i] < 1)) {
      throw Error::invalid_input("CLO Monte Carlo: within-industry correlation of '" + o.industries[i] + "' must be in [0, 1)");
    }
    for (std::size_t j = 0; j < n; ++j) {
      if (std::fabs(c[i][j] - c[j][i]) > 1e-12) throw Error::invalid_input("CLO Monte Carlo: the industry correlation matrix is not symmetric");
    }
  }
  s.chol = cholesky_psd(c);
  s.n_ind = static_cast<int>(n);
  std::map<std::string, int> index;
  for (std::size_t i = 0; i < n; ++i) index[o.industries[i]] = static_cast<int>(i);
  std::vector<std::string> missing;
  for (const Loan& l : model.deal().collateral) {
    const auto it = index.find(l.industry);
    if (it == index.end()) {
      missing.push_back(l.industry);
      s.loan_industry.push_back(0);
    } else {
      s.loan_industry.push_back(it->second);
    }
  }
  if (!missing.empty()) {
    std::sort(missing.begin(), missing.end());
    missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
    throw Error::invalid_input("CLO Monte Carlo: industries of the pool missing from the correlation matrix", missing);
  }
  for (std::size_t i = 0; i < n; ++i) s.idio.push_back(std::sqrt(1.0 - c[i][i]));
  if (!o.pair_correlation.empty()) setup_pairs(model, o, s);
  return s;
}

void draw(const CopulaSetup& s, const MonteCarloOptions& o, std::size_t n_loans, std::int64_t scenario,
          std::vector<double>& sys, std::vector<int>& out, RatingPath* path = nullptr) {
  PhiloxStream rng(o.seed, static_cast<std::uint64_t>(scenario));
  out.resize(n_loans);
  auto period_of = [&](double x) {
    const auto it = std::lower_bound(s.thresholds.begin(), s.thresholds.end(), x);
    return it == s.thresholds.end() ? kNeverDefaults : static_cast<int>(it - s.thresholds.begin());
  };
  if (s.by_obligor) {
    const std::size_t n = static_cast<std::size_t>(s.n_obligors);
    std::vector<double> e(n);
    rng.fill_normal(e);
    sys.assign(n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t k = 0; k <= i; ++k) sys[i] += s.obligor_chol[i * n + k] * e[k];
    }
    for (std::size_t i = 0; i < n_loans; ++i) out[i] = period_of(sys[static_cast<std::size_t>(s.loan_obligor[i])]);
  } else if (s.n_ind == 0) {
    const double a = std::sqrt(o.asset_correlation);
    const double b = std::sqrt(1.0 - o.asset_correlation);
    const double z = rng.normal();
    for (std::size_t i = 0; i < n_loans; ++i) out[i] = period_of(a * z + b * rng.normal());
  } else {
    const std::size_t n = static_cast<std::size_t>(s.n_ind);
    std::vector<double> z(n);
    rng.fill_normal(z);
    sys.assign(n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t k = 0; k <= i; ++k) sys[i] += s.chol[i * n + k] * z[k];
    }
    for (std::size_t i = 0; i < n_loans; ++i) {
      const std::size_t a = static_cast<std::size_t>(s.loan_industry[i]);
      out[i] = period_of(sys[a] + s.idio[a] * rng.normal());
    }
  }
  if (path == nullptr || !s.migrates) return;
  // Ratings: after the default draws, one uniform per period and obligor from the same stream.
  const std::size_t periods = s.period_cdf.size();
  path->caa.assign(periods * n_loans, 0.0);
  std::vector<int> state(s.loan_state);
  std::vector<double> u(static_cast<std::size_t>(s.n_obligors));
  for (std::size_t t = 0; t < periods; ++t) {
    for (double& x : u) x = rng.uniform();
    const std::vector<double>& cdf = s.period_cdf[t];
    for (std::size_t i = 0; i < n_loans; ++i) {
      const double x = u[static_cast<std::size_t>(s.loan_obligor[i])];
      const double* row = cdf.data() + static_cast<std::size_t>(state[i]) * s.n_states;
      std::size_t j = 0;
      while (j + 1 < s.n_states && row[j] < x) ++j;
      state[i] = static_cast<int>(j);
      path->caa[t * n_loans + i] = s.state_caa[j];
    }
  }
}

}  // namespace

std::vector<int> draw_default_periods(const CloModel& model, const MonteCarloOptions& options,
                                      std::int64_t first_scenario, std::int64_t count) {
  const CopulaSetup s = make_setup(model, options);
  const std::size_t n = model.deal().collateral.size();
  std::vector<double> sys;
  std::vector<int> one;
  std::vector<int> out;
  out.reserve(n * static_cast<std::size_t>(std::max<std::int64_t>(0, count)));
  for (std::int64_t k = 0; k < count; ++k) {
    draw(s, options, n, first_scenario + k, sys, one);
    out.insert(out.end(), one.begin(), one.end());
  }
  return out;
}

RatingPath draw_rating_path(const CloModel& model, const MonteCarloOptions& options, std::int64_t scenario) {
  if (!options.migration) throw Error::invalid_input("CLO Monte Carlo: no migration matrix to draw ratings from");
  const CopulaSetup s = make_setup(model, options);
  std::vector<double> sys;
  std::vector<int> periods;
  RatingPath path;
  draw(s, options, model.deal().collateral.size(), scenario, sys, periods, &path);
  return path;
}

std::size_t scenario_value_count(const CloModel& model) { return 3 * model.deal().tranches.size() + 2; }

std::vector<double> simulate_scenarios(const CloModel& model, const MonteCarloOptions& options, std::int64_t first,
                                       std::int64_t last) {
  const CopulaSetup setup = make_setup(model, options);
  if (first < 0 || first >= last || last > options.scenarios) {
    throw Error::invalid_input(
        fmt::format("CLO Monte Carlo: scenarios [{}, {}) are not a range of the run's {}", first, last,
                    options.scenarios));
  }
  // Validate the base scenario once (project() would throw inside a worker otherwise).
  ProjectionOptions popt;
  popt.record_periods = false;
  popt.compute_irr = false;
  (void)model.project(options.base, popt);
  popt.compute_irr = true;
  popt.equity_irr_only = true;

  const std::size_t n_tr = model.deal().tranches.size();
  const std::size_t n_loans = model.deal().collateral.size();
  const std::size_t stride = scenario_value_count(model);
  double initial_par = 0.0;
  for (const Loan& l : model.deal().collateral) initial_par += l.par;
  std::size_t equity = 0;
  for (std::size_t j = 0; j < n_tr; ++j) {
    if (model.deal().tranches[j].is_equity) equity = j;
  }
  const auto n = static_cast<std::size_t>(last - first);
  std::vector<double> values(n * stride, 0.0);
  const Cancellation* cancel = current_cancellation();
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 64), [&](const tbb::blocked_range<std::size_t>& r) {
    std::vector<double> sys;
    std::vector<int> periods;
    RatingPath path;
    RatingPath* ratings = setup.migrates ? &path : nullptr;
    for (std::size_t i = r.begin(); i != r.end(); ++i) {
      if (cancel != nullptr && i % 16 == 0) cancel->check();
      draw(setup, options, n_loans, first + static_cast<std::int64_t>(i), sys, periods, ratings);
      const ProjectionResult res = model.project(options.base, popt, periods, ratings);
      double* v = values.data() + i * stride;
      for (std::size_t j = 0; j < n_tr; ++j) {
        v[j] = res.tranches[j].loss;
        v[n_tr + j] = res.tranches[j].unpaid_interest;
        v[2 * n_tr + j] = res.tranches[j].pv_loss_fraction;
      }
      v[3 * n_tr] = res.tranches[equity].irr;
      v[3 * n_tr + 1] = initial_par > 0.0 ? res.total_defaults / initial_par : 0.0;
    }
  });
  return values;
}

MonteCarloResult run_monte_carlo(const CloModel& model, const MonteCarloOptions& options) {
  return reduce_scenarios(model, options, simulate_scenarios(model, options, 0, options.scenarios));
}

MonteCarloResult reduce_scenarios(const CloModel& model, const MonteCarloOptions& options,
                                  const std::vector<double>& values) {
  const std::size_t n_s = static_cast<std::size_t>(std::max<std::int64_t>(0, options.scenarios));
  const std::size_t n_tr = model.deal().tranches.size();
  const std::size_t stride = scenario_value_count(model);
  if (n_s == 0 || values.size() != n_s * stride) {
    throw Error::invalid_input(
        fmt::format("CLO Monte Carlo: {} values for {} scenarios of {}", values.size(), n_s, stride));
  }
  std::vector<double> losses(n_s * n_tr), unpaid_interest(n_s * n_tr), pv_losses(n_s * n_tr);
  std::vector<double> equity_irr(n_s), default_fraction(n_s);
  for (std::size_t s = 0; s < n_s; ++s) {
    const double* v = values.data() + s * stride;
    for (std::size_t j = 0; j < n_tr; ++j) {
      losses[s * n_tr + j] = v[j];
      unpaid_interest[s * n_tr + j] = v[n_tr + j];
      pv_losses[s * n_tr + j] = v[2 * n_tr + j];
    }
    equity_irr[s] = v[3 * n_tr];
    default_fraction[s] = v[3 * n_tr + 1];
  }

  MonteCarloResult out;
  out.scenarios = options.scenarios;
  out.mean_default_fraction = mean(default_fraction);
  for (std::size_t j = 0; j < n_tr; ++j) {
    const Tranche& tr = model.deal().tranches[j];
    if (tr.is_equity) continue;
    TrancheLossStats st;
    st.name = tr.name;
    st.original_balance = tr.balance;
    st.loss_fractions.resize(n_s);
    double sum = 0.0, sum_interest = 0.0, sum_pv = 0.0;
    std::size_t hit = 0;
    for (std::size_t s = 0; s < n_s; ++s) {
      const double l = losses[s * n_tr + j];
      sum += l;
      sum_interest += unpaid_interest[s * n_tr + j];
      sum_pv += pv_losses[s * n_tr + j];
      if (l > 0.5) ++hit;
      st.loss_fractions[s] = l / tr.balance;
    }
    std::sort(st.loss_fractions.begin(), st.loss_fractions.end());
    st.expected_loss = sum / static_cast<double>(n_s);
    st.expected_loss_fraction = st.expected_loss / tr.balance;
    st.expected_unpaid_interest = sum_interest / static_cast<double>(n_s);
    st.expected_unpaid_interest_fraction = st.expected_unpaid_interest / tr.balance;
    st.expected_pv_loss_fraction = sum_pv / static_cast<double>(n_s);
    st.probability_of_loss = static_cast<double>(hit) / static_cast<double>(n_s);
    st.var_fraction = quantile_sorted(st.loss_fractions, options.confidence);
    st.p50_fraction = quantile_sorted(st.loss_fractions, 0.50);
    st.p90_fraction = quantile_sorted(st.loss_fractions, 0.90);
    // ES: mean of the worst k = ceil((1 - c) n) losses (the tail beyond the VaR; a loss
    // distribution with an atom at zero does not pull it down).
    const std::size_t k = std::max<std::size_t>(
        1, static_cast<std::size_t>(std::ceil((1.0 - options.confidence) * static_cast<double>(n_s) - 1e-9)));
    double tail = 0.0;
    for (std::size_t s = n_s - k; s < n_s; ++s) tail += st.loss_fractions[s];
    st.es_fraction = tail / static_cast<double>(k);
    out.tranches.push_back(std::move(st));
  }
  std::vector<double> irrs;
  for (double v : equity_irr) {
    if (std::isfinite(v)) irrs.push_back(v);
  }
  if (!irrs.empty()) {
    std::sort(irrs.begin(), irrs.end());
    out.equity_irr_mean = mean(irrs);
    out.equity_irr_p5 = quantile_sorted(irrs, 0.05);
    out.equity_irr_p50 = quantile_sorted(irrs, 0.50);
    out.equity_irr_p95 = quantile_sorted(irrs, 0.95);
  } else {
    out.equity_irr_mean = out.equity_irr_p5 = out.equity_irr_p50 = out.equity_irr_p95 =
        std::numeric_limits<double>::quiet_NaN();
  }
  return out;
}

}  // namespace keel::clo
