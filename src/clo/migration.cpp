// Rating and price marks, and rating migration over a period (keel/clo/migration.h).
#include "keel/clo/migration.h"

#include <Eigen/Dense>
#include <unsupported/Eigen/MatrixFunctions>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <map>
#include <set>

#include "keel/core/error.h"

namespace keel::clo {

MarksApplied apply_marks(std::vector<Loan>& pool, std::span<const RatingMark> ratings,
                         std::span<const PriceMark> prices, Date as_of) {
  // Latest mark per obligor on or before as_of (a later mark of the same date replaces an earlier one).
  std::map<std::string, const RatingMark*> rating_of;
  for (const RatingMark& m : ratings) {
    if (m.as_of > as_of) continue;
    const RatingMark*& slot = rating_of[m.obligor];
    if (slot == nullptr || !(m.as_of < slot->as_of)) slot = &m;
  }
  std::map<std::string, const PriceMark*> price_of;
  for (const PriceMark& m : prices) {
    if (m.as_of > as_of) continue;
    const PriceMark*& slot = price_of[m.obligor];
    if (slot == nullptr || !(m.as_of < slot->as_of)) slot = &m;
  }
  MarksApplied out;
  std::set<std::string> seen;
  for (Loan& l : pool) {
    seen.insert(l.obligor);
    if (const auto it = rating_of.find(l.obligor); it != rating_of.end()) {
      l.rating = it->second->rating;
      ++out.loans_rated;
    }
    if (const auto it = price_of.find(l.obligor); it != price_of.end()) {
      l.price = it->second->price;
      ++out.loans_priced;
    }
  }
  std::set<std::string> unknown;
  for (const auto& [name, m] : rating_of) {
    if (!seen.contains(name)) unknown.insert(name);
  }
  for (const auto& [name, m] : price_of) {
    if (!seen.contains(name)) unknown.insert(name);
  }
  out.unknown_obligors.assign(unknown.begin(), unknown.end());
  return out;
}

namespace {

Eigen::MatrixXd to_eigen(const MigrationMatrix& m) {
  const auto n = static_cast<Eigen::Index>(m.states.size());
  Eigen::MatrixXd p(n, n);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < n; ++j) p(i, j) = m.probability[static_cast<std::size_t>(i * n + j)];
  }
  return p;
}

}  // namespace

void validate_migration(const MigrationMatrix& m) {
  const std::size_t n = m.states.size();
  std::vector<std::string> problems;
  if (n == 0) problems.push_back("the migration matrix has no states");
  if (m.probability.size() != n * n) {
    problems.push_back(fmt::format("the migration matrix needs {} x {} entries, found {}", n, n, m.probability.size()));
  }
  std::set<MoodysRating> distinct(m.states.begin(), m.states.end());
  if (distinct.size() != n) problems.push_back("the migration matrix lists a rating twice");
  if (!problems.empty()) throw Error::invalid_input("invalid rating migration matrix", problems);
  for (std::size_t i = 0; i < n; ++i) {
    double sum = 0.0;
    for (std::size_t j = 0; j < n; ++j) {
      const double v = m.probability[i * n + j];
      if (!(v >= 0.0 && v <= 1.0)) {
        problems.push_back(fmt::format("{} -> {}: a probability must lie in [0, 1], got {}", rating_name(m.states[i]),
                                       rating_name(m.states[j]), v));
      }
      sum += v;
    }
    if (!(std::fabs(sum - 1.0) <= 1e-6)) {
      problems.push_back(fmt::format("row {}: sums to {:.10g}, must sum to 1", rating_name(m.states[i]), sum));
    }
  }
  if (!problems.empty()) throw Error::invalid_input("invalid rating migration matrix", problems);
  const Eigen::EigenSolver<Eigen::MatrixXd> es(to_eigen(m), false);
  for (Eigen::Index k = 0; k < es.eigenvalues().size(); ++k) {
    const std::complex<double> ev = es.eigenvalues()(k);
    if (std::fabs(ev.imag()) <= 1e-12 && ev.real() <= 1e-12) {
      throw Error::invalid_input(
          "invalid rating migration matrix",
          {fmt::format("the matrix has the eigenvalue {:.6g}: no real power P^dt exists (a migration matrix's "
                       "diagonal is usually above 0.5, which rules this out)",
                       ev.real())});
    }
  }
}

std::vector<double> migration_power(const MigrationMatrix& m, double years) {
  if (!(years > 0.0)) throw Error::invalid_input("rating migration: the period must be positive");
  const std::size_t n = m.states.size();
  const Eigen::MatrixXd p = to_eigen(m);
  const Eigen::MatrixXd q = Eigen::MatrixPower<Eigen::MatrixXd>(p)(years);
  std::vector<double> out(n * n);
  for (std::size_t i = 0; i < n; ++i) {
    double sum = 0.0;
    for (std::size_t j = 0; j < n; ++j) {
      const double v = std::max(0.0, q(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)));
      out[i * n + j] = v;
      sum += v;
    }
    for (std::size_t j = 0; j < n; ++j) out[i * n + j] /= sum;
  }
  return out;
}

std::vector<int> migration_states_of(const MigrationMatrix& m, std::span<const Loan> pool) {
  std::map<MoodysRating, int> index;
  for (std::size_t k = 0; k < m.states.size(); ++k) index[m.states[k]] = static_cast<int>(k);
  std::vector<int> out;
  std::set<std::string> missing;
  for (const Loan& l : pool) {
    const auto it = index.find(l.rating);
    if (it == index.end()) {
      missing.insert(std::string(rating_name(l.rating)));
      out.push_back(0);
    } else {
      out.push_back(it->second);
    }
  }
  if (!missing.empty()) {
    throw Error::invalid_input("rating migration: ratings of the pool missing from the migration matrix",
                               std::vector<std::string>(missing.begin(), missing.end()));
  }
  return out;
}

RatingPath expected_rating_path(const MigrationMatrix& m, std::span<const Loan> pool,
                                std::span<const double> period_months) {
  validate_migration(m);
  const std::vector<int> state = migration_states_of(m, pool);
  const std::size_t n = m.states.size();
  const std::size_t loans = pool.size();
  const std::size_t periods = period_months.size();
  // dist[s] = distribution today of a loan rated states[s] at closing, rolled period by period.
  std::vector<double> dist(n * n, 0.0);
  for (std::size_t s = 0; s < n; ++s) dist[s * n + s] = 1.0;
  std::map<double, std::vector<double>> q_of;  // period matrix per length in months
  std::vector<double> caa_of(n), factor_of(n);
  for (std::size_t r = 0; r < n; ++r) {
    caa_of[r] = is_caa_or_below(m.states[r]) ? 1.0 : 0.0;
    factor_of[r] = rating_factor(m.states[r]);
  }
  RatingPath path;
  path.caa.resize(periods * loans);
  path.factor.resize(periods * loans);
  std::vector<double> next(n * n);
  for (std::size_t t = 0; t < periods; ++t) {
    auto it = q_of.find(period_months[t]);
    if (it == q_of.end()) it = q_of.emplace(period_months[t], migration_power(m, period_months[t] / 12.0)).first;
    const std::vector<double>& q = it->second;
    for (std::size_t s = 0; s < n; ++s) {
      for (std::size_t j = 0; j < n; ++j) {
        double v = 0.0;
        for (std::size_t k = 0; k < n; ++k) v += dist[s * n + k] * q[k * n + j];
        next[s * n + j] = v;
      }
    }
    dist.swap(next);
    std::vector<double> caa_s(n, 0.0), factor_s(n, 0.0);
    for (std::size_t s = 0; s < n; ++s) {
      for (std::size_t j = 0; j < n; ++j) {
        caa_s[s] += dist[s * n + j] * caa_of[j];
        factor_s[s] += dist[s * n + j] * factor_of[j];
      }
    }
    for (std::size_t i = 0; i < loans; ++i) {
      const auto s = static_cast<std::size_t>(state[i]);
      path.caa[t * loans + i] = caa_s[s];
      path.factor[t * loans + i] = factor_s[s];
    }
  }
  return path;
}

}  // namespace keel::clo
