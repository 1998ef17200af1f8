// Collateral quality tests: WARF, WAS, WAL, Moody's diversity score, CCC share, concentrations,
// and the CCC excess haircut of the OC numerator (keel/clo/quality.h).
#include "keel/clo/quality.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <map>
#include <numeric>

namespace keel::clo {

double industry_diversity_score(double units) {
  if (units <= 0.0) return 0.0;
  // Moody's table is given in 0.1 steps of the unit score (bands +-0.05): round first.
  const double u = std::round(units * 10.0) / 10.0;
  if (u <= 1.0) return u;
  if (u <= 3.0) return 1.0 + (u - 1.0) / 2.0;
  if (u <= 6.0) return 2.0 + (u - 3.0) / 3.0;
  if (u <= 10.0) return 3.0 + (u - 6.0) / 4.0;
  return 4.0;
}

QualityMetrics collateral_quality(std::span<const Loan> pool, Date as_of) {
  QualityMetrics m;
  double rf = 0.0, spread_par = 0.0, spread_sum = 0.0, life = 0.0, caa = 0.0;
  std::map<std::string, double> by_obligor;
  std::map<std::string, double> by_industry;
  std::map<std::string, std::string> industry_of;
  for (const Loan& l : pool) {
    if (l.defaulted || l.par <= 0.0) continue;
    m.performing_par += l.par;
    rf += l.par * rating_factor(l.rating);
    if (l.coupon_type == CouponType::kFloating) {
      spread_par += l.par;
      spread_sum += l.par * l.spread;
    }
    life += l.par * std::max(0.0, year_fraction_act365(as_of, l.maturity));
    if (is_caa_or_below(l.rating)) caa += l.par;
    by_obligor[l.obligor] += l.par;
    by_industry[l.industry] += l.par;
    industry_of[l.obligor] = l.industry;
  }
  if (m.performing_par <= 0.0) return m;
  m.warf = rf / m.performing_par;
  m.was = spread_par > 0.0 ? spread_sum / spread_par : 0.0;
  m.wal_years = life / m.performing_par;
  m.ccc_share = caa / m.performing_par;
  for (const auto& [name, par] : by_obligor) {
    if (par / m.performing_par > m.max_obligor_share) {
      m.max_obligor_share = par / m.performing_par;
      m.max_obligor = name;
    }
  }
  for (const auto& [name, par] : by_industry) {
    if (par / m.performing_par > m.max_industry_share) {
      m.max_industry_share = par / m.performing_par;
      m.max_industry = name;
    }
  }
  // Diversity: an obligor belongs to the industry of its (last) loan.
  const double average_par = m.performing_par / static_cast<double>(by_obligor.size());
  std::map<std::string, double> units;
  for (const auto& [name, par] : by_obligor) {
    units[industry_of[name]] += std::min(1.0, par / average_par);
  }
  for (const auto& [industry, u] : units) m.diversity_score += industry_diversity_score(u);
  return m;
}

std::vector<TestResult> quality_tests(const QualityMetrics& m, const QualityLimits& limits) {
  std::vector<TestResult> out;
  auto max_test = [&](const char* name, double value, const std::optional<double>& limit) {
    if (limit) out.push_back({name, value, *limit, value <= *limit, true});
  };
  auto min_test = [&](const char* name, double value, const std::optional<double>& limit) {
    if (limit) out.push_back({name, value, *limit, value >= *limit, false});
  };
  max_test("WARF", m.warf, limits.max_warf);
  min_test("WAS", m.was, limits.min_was);
  max_test("WAL", m.wal_years, limits.max_wal_years);
  min_test("Diversity", m.diversity_score, limits.min_diversity);
  max_test("CCC share", m.ccc_share, limits.max_ccc_share);
  max_test("Obligor concentration", m.max_obligor_share, limits.max_obligor_share);
  max_test("Industry concentration", m.max_industry_share, limits.max_industry_share);
  return out;
}

double ccc_haircut(std::span<const double> par, std::span<const double> price,
                   std::span<const bool> is_caa, double threshold) {
  double total = 0.0, caa = 0.0;
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < par.size(); ++i) {
    total += par[i];
    if (is_caa[i] && par[i] > 0.0) {
      caa += par[i];
      order.push_back(i);
    }
  }
  double excess = caa - threshold * total;
  if (excess <= 0.0) return 0.0;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return price[a] < price[b]; });
  double haircut = 0.0;
  for (std::size_t i : order) {
    if (excess <= 0.0) break;
    const double take = std::min(excess, par[i]);
    haircut += take * (1.0 - price[i]);
    excess -= take;
  }
  return haircut;
}

}  // namespace keel::clo
