#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "keel/core/cancel.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <string>

#include "keel/core/error.h"
#include "keel/core/rng.h"
#include "keel/core/stats.h"
#include "keel/risk/monte_carlo.h"
#include "keel/risk/covariance.h"
#include "keel/risk/stage_profile.h"
#include "keel/risk/var.h"
#include "path_order.h"
#include "keel/core/philox_words.h"
#include "ziggurat.h"

namespace keel::risk {
namespace {

constexpr std::uint64_t kChiSquaredStream = std::uint64_t{1} << 63;

// FNV-1a over raw bytes.
struct Digest {
  std::uint64_t h = 1469598103934665603ull;
  void bytes(const void* p, std::size_t n) {
    const auto* c = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) {
      h ^= c[i];
      h *= 1099511628211ull;
    }
  }
  template <class T>
  void value(const T& v) {
    bytes(&v, sizeof v);
  }
};

// Paths are drawn kGroup at a time: the group's sums are independent chains of additions.
constexpr std::size_t kGroup = 4;

// out[l] = sum_{j < len} b[j] z[l k + j] for the first `group` paths of a group, each sum in the
// order j = 0, 1, ... (so its bits do not depend on the grouping); a full group runs the paths
// innermost, which the compiler vectorises. The sums live in a local array: nothing else can alias it.
inline void group_dots(const double* b, const double* z, std::size_t k, std::size_t len, std::size_t group,
                       double* out) {
  double sums[kGroup] = {};
  if (group == kGroup) {
    for (std::size_t j = 0; j < len; ++j) {
      for (std::size_t l = 0; l < kGroup; ++l) sums[l] += b[j] * z[l * k + j];
    }
  } else {
    for (std::size_t l = 0; l < group; ++l) {
      for (std::size_t j = 0; j < len; ++j) sums[l] += b[j] * z[l * k + j];
    }
  }
  for (std::size_t l = 0; l < group; ++l) out[l] = sums[l];
}

}  // namespace

// What one path needs, precomputed once: P&L of linear positions = h mu_lin + s (b . z) with
// b = A' e_lin; return of option underlying u = h mu_u + s (A_u . z).
struct MonteCarloSimulation::Plan {
  std::size_t k = 0;
  Eigen::VectorXd b;                   // A' e_lin
  double mu_lin = 0.0;                 // mu' e_lin (per day)
  Eigen::MatrixXd option_rows;         // rows of A for option underlyings (row-major use below)
  std::vector<double> option_mu;       // mu of each option underlying
  std::vector<std::size_t> option_pos; // option positions
  std::vector<std::size_t> option_row; // their row in option_rows
  std::vector<std::string> warnings;   // of the factorisation
  // Currency risk (empty without): the linear P&L is e.r + sum_c f_c (e_c.r) with e holding the
  // foreign values W_c on the FX columns, so a path needs e_c.r = h mu_c + s (b_c . z) per
  // currency c, and f_c = h mu_fc + s (A_fc . z). bg is k x (1 + C), row-major: column 0 is b,
  // column 1 + c is b_c, so one pass over z gives every sum. The factor is of the covariance with
  // the FX columns first, so A_fc has only its first fx_len[c] entries nonzero (Cholesky).
  std::vector<double> bg;
  std::vector<std::size_t> b_len;      // per currency: b_c's nonzero prefix
  std::vector<double> mu_cur;          // mu' e_c per currency
  Eigen::MatrixXd fx_rows;             // k x C: rows of A for the FX columns
  std::vector<std::size_t> fx_len;     // nonzero prefix of each
  std::vector<double> fx_mu;           // mu of each FX column
  std::vector<std::size_t> option_fx;  // per option position: its currency c, or kNoAsset
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> factor;  // A (simulate_returns)
  std::vector<double> mu;              // per day, per column
};

MonteCarloSimulation::MonteCarloSimulation(const RiskBook& book, const ReturnMatrix& returns,
                                           const VarOptions& options)
    : plan_(std::make_unique<Plan>()), book_(book), options_(options) {
  validate_var_inputs(book, returns, options);
  const Eigen::MatrixXd cov = covariance(returns, options.covariance);
  profile_mark("Monte Carlo: covariance");
  Plan& plan = *plan_;
  const std::size_t n_fx = book.fx_currencies.size();
  const std::size_t k_all = returns.cols();
  Eigen::MatrixXd a;
  if (n_fx == 0) {
    CovarianceFactor f = factorize(cov, options.repair_psd);
    plan.warnings = std::move(f.warnings);
    a = std::move(f.factor);
  } else {
    // Factor the covariance with the FX columns first, then the price drivers of each foreign
    // currency in turn, then the rest, and put the rows back: A A' = Sigma still, each FX row of
    // the lower factor has at most C nonzero entries, and b_c = A' e_c (e_c nonzero on currency
    // c's drivers only) is zero past that currency's block, so its sum stops there.
    const std::size_t fb = k_all - n_fx;
    std::vector<std::size_t> block(fb, n_fx);  // a price driver's currency, n_fx for the reporting one
    for (std::size_t i = 0; i < book.size(); ++i) {
      const std::size_t fc = book.fx_of(i);
      if (book.asset[i] != kNoAsset && fc != kNoAsset) block[book.asset[i]] = fc - fb;
    }
    std::vector<Eigen::Index> order;  // order[new] = old
    for (std::size_t c = 0; c < n_fx; ++c) order.push_back(static_cast<Eigen::Index>(fb + c));
    for (std::size_t c = 0; c <= n_fx; ++c) {
      for (std::size_t j = 0; j < fb; ++j) {
        if (block[j] == c) order.push_back(static_cast<Eigen::Index>(j));
      }
    }
    const auto kk = static_cast<Eigen::Index>(k_all);
    Eigen::MatrixXd permuted(kk, kk);
    for (Eigen::Index x = 0; x < kk; ++x) {
      for (Eigen::Index y = 0; y < kk; ++y) permuted(x, y) = cov(order[static_cast<std::size_t>(x)], order[static_cast<std::size_t>(y)]);
    }
    CovarianceFactor f = factorize(permuted, options.repair_psd);
    plan.warnings = std::move(f.warnings);
    a.resize(kk, kk);
    for (Eigen::Index x = 0; x < kk; ++x) a.row(order[static_cast<std::size_t>(x)]) = f.factor.row(x);
  }
  profile_mark("Monte Carlo: Cholesky");

  plan.k = returns.cols();
  std::vector<double> mu(plan.k, 0.0);
  if (options.mean == MeanModel::kSample) {
    for (std::size_t t = 0; t < returns.rows(); ++t) {
      const auto r = returns.row(t);
      for (std::size_t j = 0; j < plan.k; ++j) mu[j] += r[j];
    }
    for (double& m : mu) m /= static_cast<double>(returns.rows());
  }
  Eigen::VectorXd e_lin = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(plan.k));
  std::vector<std::size_t> row_of_asset(plan.k, kNoAsset);
  std::vector<std::size_t> option_assets;
  for (std::size_t i = 0; i < book.size(); ++i) {
    const std::size_t j = book.asset[i];
    if (j == kNoAsset) continue;
    if (!book.option[i]) {
      e_lin(static_cast<Eigen::Index>(j)) += book.exposure[i];
      continue;
    }
    if (row_of_asset[j] == kNoAsset) {
      row_of_asset[j] = option_assets.size();
      option_assets.push_back(j);
    }
    plan.option_pos.push_back(i);
    plan.option_row.push_back(row_of_asset[j]);
  }
  if (n_fx > 0) {
    // Foreign linear positions and foreign cash: their value W_c on the FX column (the f term of
    // V (r + f + r f)), their exposure also in e_c (the cross term r f).
    const auto kk = static_cast<Eigen::Index>(plan.k);
    Eigen::MatrixXd e_cur = Eigen::MatrixXd::Zero(kk, static_cast<Eigen::Index>(n_fx));
    for (std::size_t i = 0; i < book.size(); ++i) {
      const std::size_t fc = book.fx_of(i);
      if (fc == kNoAsset || book.option[i]) continue;
      const auto c = static_cast<Eigen::Index>(fc - book.fx_begin());
      e_lin(static_cast<Eigen::Index>(fc)) += book.value[i];
      if (book.asset[i] != kNoAsset) e_cur(static_cast<Eigen::Index>(book.asset[i]), c) += book.exposure[i];
    }
    const Eigen::MatrixXd b_cur = a.transpose() * e_cur;
    const Eigen::VectorXd b0 = a.transpose() * e_lin;
    // bg: b, then each b_c, one after the other (k values each).
    const std::size_t g = 1 + n_fx;
    plan.bg.assign(plan.k * g, 0.0);
    for (std::size_t j = 0; j < plan.k; ++j) {
      plan.bg[j] = b0(static_cast<Eigen::Index>(j));
      for (std::size_t c = 0; c < n_fx; ++c) {
        plan.bg[(1 + c) * plan.k + j] = b_cur(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(c));
      }
    }
    for (std::size_t c = 0; c < n_fx; ++c) {
      std::size_t len = plan.k;
      while (len > 0 && plan.bg[(1 + c) * plan.k + len - 1] == 0.0) --len;
      plan.b_len.push_back(len);
    }
    plan.fx_rows.resize(kk, static_cast<Eigen::Index>(n_fx));
    for (std::size_t c = 0; c < n_fx; ++c) {
      const auto row = static_cast<Eigen::Index>(book.fx_begin() + c);
      plan.fx_rows.col(static_cast<Eigen::Index>(c)) = a.row(row).transpose();
      std::size_t len = plan.k;
      while (len > 0 && a(row, static_cast<Eigen::Index>(len - 1)) == 0.0) --len;
      plan.fx_len.push_back(len);
      plan.fx_mu.push_back(mu[book.fx_begin() + c]);
      double m = 0.0;
      for (std::size_t j = 0; j < plan.k; ++j) m += mu[j] * e_cur(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(c));
      plan.mu_cur.push_back(m);
    }
    for (std::size_t i : plan.option_pos) {
      const std::size_t fc = book.fx_of(i);
      plan.option_fx.push_back(fc == kNoAsset ? kNoAsset : fc - book.fx_begin());
    }
  }
  plan.b = a.transpose() * e_lin;
  for (std::size_t j = 0; j < plan.k; ++j) plan.mu_lin += mu[j] * e_lin(static_cast<Eigen::Index>(j));
  // Row-major copy of the option rows so each dot product reads contiguous memory.
  plan.option_rows.resize(static_cast<Eigen::Index>(plan.k),
                          static_cast<Eigen::Index>(option_assets.size()));
  for (std::size_t u = 0; u < option_assets.size(); ++u) {
    plan.option_rows.col(static_cast<Eigen::Index>(u)) =
        a.row(static_cast<Eigen::Index>(option_assets[u])).transpose();
    plan.option_mu.push_back(mu[option_assets[u]]);
  }
  plan.factor = std::move(a);
  plan.mu = std::move(mu);
  profile_mark("Monte Carlo: plan (b = A'e)");
}

void MonteCarloSimulation::simulate_returns(std::size_t first, std::size_t last, double* out) const {
  const MonteCarloOptions& mc = options_.monte_carlo;
  if (!(first < last) || last > mc.paths) {
    throw Error::invalid_input(fmt::format("Monte Carlo paths [{}, {}) are not a range of the run's {} paths",
                                           first, last, mc.paths));
  }
  const Plan& plan = *plan_;
  const double h = options_.horizon_days;
  const detail::ZigguratTables& zig = detail::ziggurat_tables();
  const std::size_t k = plan.k;
  std::vector<double> z(k);
  for (std::size_t p = first; p < last; ++p) {
    PhiloxWords normals(mc.seed, p);
    detail::ziggurat_fill(normals, zig, z.data(), k);
    double s = std::sqrt(h);
    if (mc.distribution == McDistribution::kStudentT) {
      PhiloxStream chi(mc.seed, p | kChiSquaredStream);
      s *= std::sqrt((mc.df - 2.0) / chi.chi_squared(mc.df));
    }
    double* r = out + (p - first) * k;
    // Row j of A times z, in the order j = 0, 1, ... of its entries.
    for (std::size_t j = 0; j < k; ++j) {
      double d = 0.0;
      const double* row = plan.factor.data() + j * k;
      for (std::size_t m = 0; m < k; ++m) d += row[m] * z[m];
      r[j] = h * plan.mu[j] + s * d;
    }
  }
}

MonteCarloSimulation::~MonteCarloSimulation() = default;

std::size_t MonteCarloSimulation::paths() const { return options_.monte_carlo.paths; }

void MonteCarloSimulation::simulate(std::size_t first, std::size_t last, double* out) const {
  const MonteCarloOptions& mc = options_.monte_carlo;
  if (!(first < last) || last > mc.paths) {
    throw Error::invalid_input(fmt::format("Monte Carlo paths [{}, {}) are not a range of the run's {} paths",
                                           first, last, mc.paths));
  }
  if (!plan_->fx_len.empty()) {
    simulate_fx(first, last, out);
    return;
  }
  const Plan& plan = *plan_;
  const double h = options_.horizon_days;
  const double sqrt_h = std::sqrt(h);
  const bool student = mc.distribution == McDistribution::kStudentT;
  const double df = mc.df;
  const detail::ZigguratTables& zig = detail::ziggurat_tables();
  const std::size_t k = plan.k;
  const double* b = plan.b.data();
  // Paths go kGroup at a time: their normals first, then their sums b . z side by side. Each sum
  // keeps its own order (j = 0, 1, ...), so a path's bits are those of a path done alone, but
  // kGroup independent chains of additions keep the floating-point unit busy where a single chain
  // would wait on each addition (and the drawing loop, which may call the Ziggurat's rare case,
  // no longer holds the sum in memory across that call).
  std::vector<double> z(kGroup * k);
  std::vector<double> ru(plan.option_mu.size());
  for (std::size_t p0 = first; p0 < last; p0 += kGroup) {
    const std::size_t group = std::min(kGroup, last - p0);
    for (std::size_t l = 0; l < group; ++l) {
      PhiloxWords normals(mc.seed, p0 + l);
      detail::ziggurat_fill(normals, zig, z.data() + l * k, k);
    }
    double dot[kGroup] = {};
    group_dots(b, z.data(), k, k, group, dot);
    for (std::size_t l = 0; l < group; ++l) {
      const std::size_t p = p0 + l;
      double s = sqrt_h;
      if (student) {
        PhiloxStream chi(mc.seed, p | kChiSquaredStream);
        s *= std::sqrt((df - 2.0) / chi.chi_squared(df));
      }
      double value = h * plan.mu_lin + s * dot[l];
      if (!plan.option_pos.empty()) {
        const double* zl = z.data() + l * k;
        for (std::size_t u = 0; u < ru.size(); ++u) {
          const double* row = plan.option_rows.col(static_cast<Eigen::Index>(u)).data();
          double d = 0.0;
          for (std::size_t j = 0; j < k; ++j) d += row[j] * zl[j];
          ru[u] = h * plan.option_mu[u] + s * d;
        }
        for (std::size_t q = 0; q < plan.option_pos.size(); ++q) {
          value += position_pnl(book_, plan.option_pos[q], ru[plan.option_row[q]], options_.horizon_days);
        }
      }
      out[p - first] = value;
    }
  }
}

void MonteCarloSimulation::simulate_fx(std::size_t first, std::size_t last, double* out) const {
  const MonteCarloOptions& mc = options_.monte_carlo;
  const Plan& plan = *plan_;
  const double h = options_.horizon_days;
  const double sqrt_h = std::sqrt(h);
  const bool student = mc.distribution == McDistribution::kStudentT;
  const double df = mc.df;
  const detail::ZigguratTables& zig = detail::ziggurat_tables();
  const std::size_t k = plan.k;
  const std::size_t n_fx = plan.fx_len.size();
  const std::size_t g = 1 + n_fx;
  const double* bg = plan.bg.data();
  // Paths kGroup at a time as in simulate(): each of a path's sums keeps its own order (j = 0, 1,
  // ...), so its bits do not depend on the grouping, and the group's g sums per path are
  // independent chains of additions.
  std::vector<double> z(kGroup * k);
  std::vector<double> dot(kGroup * g);
  std::vector<double> f(n_fx);
  std::vector<double> ru(plan.option_mu.size());
  for (std::size_t p0 = first; p0 < last; p0 += kGroup) {
    const std::size_t group = std::min(kGroup, last - p0);
    for (std::size_t l = 0; l < group; ++l) {
      PhiloxWords normals(mc.seed, p0 + l);
      detail::ziggurat_fill(normals, zig, z.data() + l * k, k);
    }
    std::fill(dot.begin(), dot.end(), 0.0);
    for (std::size_t q = 0; q < g; ++q) {
      const double* b = bg + q * k;
      const std::size_t len = q == 0 ? k : plan.b_len[q - 1];
      double sums[kGroup] = {};
      group_dots(b, z.data(), k, len, group, sums);
      for (std::size_t l = 0; l < group; ++l) dot[l * g + q] = sums[l];
    }
    for (std::size_t l = 0; l < group; ++l) {
      const std::size_t p = p0 + l;
      const double* zl = z.data() + l * k;
      const double* dl = dot.data() + l * g;
      double s = sqrt_h;
      if (student) {
        PhiloxStream chi(mc.seed, p | kChiSquaredStream);
        s *= std::sqrt((df - 2.0) / chi.chi_squared(df));
      }
      double value = h * plan.mu_lin + s * dl[0];
      for (std::size_t c = 0; c < n_fx; ++c) {
        const double* row = plan.fx_rows.col(static_cast<Eigen::Index>(c)).data();
        double d = 0.0;
        for (std::size_t j = 0; j < plan.fx_len[c]; ++j) d += row[j] * zl[j];
        f[c] = h * plan.fx_mu[c] + s * d;
        value += f[c] * (h * plan.mu_cur[c] + s * dl[1 + c]);
      }
      if (!plan.option_pos.empty()) {
        for (std::size_t u = 0; u < ru.size(); ++u) {
          const double* row = plan.option_rows.col(static_cast<Eigen::Index>(u)).data();
          double d = 0.0;
          for (std::size_t j = 0; j < k; ++j) d += row[j] * zl[j];
          ru[u] = h * plan.option_mu[u] + s * d;
        }
        for (std::size_t q = 0; q < plan.option_pos.size(); ++q) {
          const std::size_t c = plan.option_fx[q];
          value += position_pnl_parts(book_, plan.option_pos[q], ru[plan.option_row[q]],
                                      c == kNoAsset ? 0.0 : f[c], options_.horizon_days)
                       .total();
        }
      }
      out[p - first] = value;
    }
  }
}

void MonteCarloSimulation::simulate_parallel(std::size_t first, std::size_t last, double* out) const {
  const std::size_t chunk = std::max<std::size_t>(1, options_.monte_carlo.chunk_paths);
  if (!(first < last) || last > paths()) {
    simulate(first, last, out);  // throws the range error
    return;
  }
  const std::size_t n_chunks = (last - first + chunk - 1) / chunk;
  // A chunk of a book of stocks is a few milliseconds of work, but one of a book of many options
  // (each valued again on every path) can be a second: a cancelled run is asked every kSlice paths.
  // A path's value depends on the path alone, so the slices give the chunk's bits.
  constexpr std::size_t kSlice = 128;
  const Cancellation* cancel = current_cancellation();
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n_chunks), [&](const auto& range) {
    for (std::size_t c = range.begin(); c != range.end(); ++c) {
      const std::size_t a = first + c * chunk;
      const std::size_t e = std::min(last, a + chunk);
      if (cancel == nullptr) {
        simulate(a, e, out + (a - first));
        continue;
      }
      for (std::size_t s = a; s < e; s += kSlice) {
        cancel->check();
        simulate(s, std::min(e, s + kSlice), out + (s - first));
      }
    }
  });
}

std::uint64_t MonteCarloSimulation::fingerprint() const {
  const Plan& plan = *plan_;
  const MonteCarloOptions& mc = options_.monte_carlo;
  Digest d;
  d.value(plan.k);
  d.bytes(plan.b.data(), sizeof(double) * static_cast<std::size_t>(plan.b.size()));
  d.value(plan.mu_lin);
  d.bytes(plan.option_rows.data(), sizeof(double) * static_cast<std::size_t>(plan.option_rows.size()));
  d.bytes(plan.option_mu.data(), sizeof(double) * plan.option_mu.size());
  for (std::size_t q = 0; q < plan.option_pos.size(); ++q) {
    const std::size_t i = plan.option_pos[q];
    d.value(i);
    d.value(plan.option_row[q]);
    // The option's valuation at a few underlying returns stands for its terms.
    for (const double r : {-0.1, 0.0, 0.1}) d.value(position_pnl(book_, i, r, options_.horizon_days));
  }
  d.bytes(plan.bg.data(), sizeof(double) * plan.bg.size());
  for (const std::size_t len : plan.b_len) d.value(len);
  d.bytes(plan.mu_cur.data(), sizeof(double) * plan.mu_cur.size());
  d.bytes(plan.fx_rows.data(), sizeof(double) * static_cast<std::size_t>(plan.fx_rows.size()));
  d.bytes(plan.fx_mu.data(), sizeof(double) * plan.fx_mu.size());
  for (const std::size_t c : plan.option_fx) d.value(c);
  d.value(options_.horizon_days);
  d.value(static_cast<int>(mc.distribution));
  d.value(mc.df);
  d.value(mc.seed);
  d.value(mc.paths);
  return d.h;
}

namespace {

// The order statistics a run's result reads, for n paths at `confidence`: VaR's two (h = (n - 1)
// (1 - c), numpy's linear rule), and the error band's ends at 1 - c -+ sqrt(c (1 - c) / n).
struct TailIndices {
  double h = 0.0;
  std::size_t lo = 0;  // VaR interpolates between lo and lo + 1
  double band_lo = 0.0, band_hi = 0.0;
  std::size_t needed = 0;  // values through the highest index read
};

TailIndices tail_indices(std::size_t n, double confidence) {
  TailIndices t;
  const double p = 1.0 - confidence;
  t.h = (static_cast<double>(n) - 1.0) * p;
  t.lo = static_cast<std::size_t>(std::floor(t.h));
  const double band = std::sqrt(p * (1.0 - p) / static_cast<double>(n));
  t.band_lo = std::max(0.0, p - band);
  t.band_hi = std::min(1.0, p + band);
  const auto top = static_cast<std::size_t>(std::floor((static_cast<double>(n) - 1.0) * t.band_hi));
  t.needed = std::min(n, std::max(t.lo, top) + 2);
  return t;
}

// quantile_sorted (keel/core/stats.h) of n sorted values of which the first `sorted.size()` are given.
double quantile_of_prefix(std::span<const double> sorted, std::size_t n, double p) {
  const double h = (static_cast<double>(n) - 1.0) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, n - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

}  // namespace

std::size_t MonteCarloSimulation::tail_size() const {
  return options_.keep_pnl ? paths() : tail_indices(paths(), options_.confidence).needed;
}

PathSummary MonteCarloSimulation::summarize(std::span<double> pnl) const {
  PathSummary s;
  s.count = pnl.size();
  for (const double x : pnl) {
    s.sum.add(x);
    s.sum_squares.add_square(x);
  }
  const std::size_t keep = std::min(pnl.size(), tail_size());
  if (keep == 0) return s;
  const auto end = pnl.begin() + static_cast<std::ptrdiff_t>(keep);
  if (keep < pnl.size()) std::nth_element(pnl.begin(), end - 1, pnl.end(), detail::before);
  std::sort(pnl.begin(), end, detail::before);
  s.lowest.assign(pnl.begin(), end);
  const double last = s.lowest.back();
  for (auto it = end; it != pnl.end(); ++it) s.ties_left_out += detail::same_bits(*it, last) ? 1 : 0;
  return s;
}

VarResult MonteCarloSimulation::finish(std::span<const PathSummary> parts) const {
  const MonteCarloOptions& mc = options_.monte_carlo;
  const std::size_t n = mc.paths;
  const std::size_t keep = tail_size();
  std::size_t count = 0;
  ExactSum sum, squares;
  for (const PathSummary& p : parts) {
    if (p.lowest.size() < std::min(p.count, keep)) {
      throw Error::invalid_input(fmt::format("Monte Carlo: a summary of {} paths keeps {} values, not {}",
                                             p.count, p.lowest.size(), std::min(p.count, keep)));
    }
    count += p.count;
    sum.merge(p.sum);
    squares.merge(p.sum_squares);
  }
  if (count != n) {
    throw Error::invalid_input(fmt::format("Monte Carlo: {} path values for a run of {} paths", count, n));
  }
  // The run's lowest values: every value among them is among the lowest of its own part.
  std::vector<double> sorted;
  if (parts.size() == 1) {
    sorted = parts[0].lowest;
  } else {
    for (const PathSummary& p : parts) sorted.insert(sorted.end(), p.lowest.begin(), p.lowest.end());
    std::sort(sorted.begin(), sorted.end(), detail::before);
  }
  sorted.resize(std::min(sorted.size(), keep));

  VarResult out;
  out.method = VarMethod::kMonteCarlo;
  out.confidence = options_.confidence;
  out.horizon_days = options_.horizon_days;
  out.scenarios = n;
  out.warnings = plan_->warnings;
  out.volatility = std::sqrt(variance_of_sums(sum, squares, n));

  const TailIndices t = tail_indices(n, options_.confidence);
  const double x_lo = sorted[t.lo];
  const double x_hi = t.lo + 1 < n ? sorted[t.lo + 1] : x_lo;
  const double q = x_lo + (t.h - static_cast<double>(t.lo)) * (x_hi - x_lo);
  out.var = -q;
  // ES: every P&L at or below -VaR, added in ascending order. Values beyond the kept ones are at
  // least the last kept one, which is at least x_hi >= q: only copies of it can still be <= q.
  double tail = 0.0;
  std::size_t in_tail = 0;
  for (const double x : sorted) {
    if (x > q) break;
    tail += x;
    ++in_tail;
  }
  const double last = sorted.back();
  if (last <= q && sorted.size() < n) {
    std::size_t copies = 0;  // of `last` in the run, less those kept
    for (const PathSummary& p : parts) {
      copies += static_cast<std::size_t>(
          std::count_if(p.lowest.begin(), p.lowest.end(), [&](double x) { return detail::same_bits(x, last); }));
      if (!p.lowest.empty() && detail::same_bits(p.lowest.back(), last)) copies += p.ties_left_out;
    }
    copies -= static_cast<std::size_t>(
        std::count_if(sorted.begin(), sorted.end(), [&](double x) { return detail::same_bits(x, last); }));
    for (std::size_t i = 0; i < copies; ++i) tail += last;
    in_tail += copies;
  }
  out.es = in_tail > 0 ? -tail / static_cast<double>(in_tail) : out.var;
  // Distribution-free one-sigma band of the quantile: order statistics at p -/+ sqrt(p(1-p)/n).
  const double lo = quantile_of_prefix(sorted, n, t.band_lo);
  const double hi = quantile_of_prefix(sorted, n, t.band_hi);
  out.std_error = 0.5 * (hi - lo);
  if (options_.keep_pnl) out.pnl = std::move(sorted);  // every value, ascending
  return out;
}

VarResult MonteCarloSimulation::finish(std::vector<double> pnl) const {
  if (pnl.size() != paths()) {
    throw Error::invalid_input(
        fmt::format("Monte Carlo: {} path values for a run of {} paths", pnl.size(), paths()));
  }
  const PathSummary whole = summarize(pnl);
  return finish(std::span<const PathSummary>(&whole, 1));
}

VarResult monte_carlo_var(const RiskBook& book, const ReturnMatrix& returns, const VarOptions& options) {
  const MonteCarloSimulation sim(book, returns, options);
  std::vector<double> pnl(sim.paths());
  sim.simulate_parallel(0, sim.paths(), pnl.data());
  return sim.finish(std::move(pnl));
}

}  // namespace keel::risk
