// Collateral quality tests: WARF, WAS, WAL, Moody's diversity score, CCC share, concentrations,
// and the CCC excess haircut of the OC numerator (keel/clo/quality.h).
#include "keel/clo/quality.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <map>
#include <memory>
#include <numeric>

#include <fmt/format.h>

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

const char* bucket_key(Bucket b) {
  switch (b) {
    case Bucket::kSecondLien: return "second_lien";
    case Bucket::kCovLite: return "cov_lite";
    case Bucket::kFixedRate: return "fixed_rate";
    case Bucket::kNonDomestic: return "non_domestic";
    case Bucket::kRevolver: return "revolver";
    case Bucket::kDip: return "dip";
  }
  return "";
}

const std::optional<double>& bucket_limit(const QualityLimits& q, Bucket b) {
  switch (b) {
    case Bucket::kSecondLien: return q.max_second_lien_share;
    case Bucket::kCovLite: return q.max_cov_lite_share;
    case Bucket::kFixedRate: return q.max_fixed_rate_share;
    case Bucket::kNonDomestic: return q.max_non_domestic_share;
    case Bucket::kRevolver: return q.max_revolver_share;
    case Bucket::kDip: return q.max_dip_share;
  }
  return q.max_dip_share;
}

namespace {

const char* bucket_test_name(Bucket b) {
  switch (b) {
    case Bucket::kSecondLien: return "Second lien share";
    case Bucket::kCovLite: return "Cov-lite share";
    case Bucket::kFixedRate: return "Fixed rate share";
    case Bucket::kNonDomestic: return "Non-domestic share";
    case Bucket::kRevolver: return "Revolver share";
    case Bucket::kDip: return "DIP share";
  }
  return "";
}

// The par a loan puts in bucket `b` (0 when outside it).
double bucket_par(const Loan& l, Bucket b, const QualityLimits& q) {
  switch (b) {
    case Bucket::kSecondLien: return l.lien != "first" ? l.par : 0.0;
    case Bucket::kCovLite: return l.cov_lite ? l.par : 0.0;
    case Bucket::kFixedRate: return l.coupon_type == CouponType::kFixed ? l.par : 0.0;
    case Bucket::kNonDomestic:
      return !l.country.empty() && std::find(q.domestic_countries.begin(), q.domestic_countries.end(), l.country) ==
                                       q.domestic_countries.end()
                 ? l.par
                 : 0.0;
    case Bucket::kRevolver: return l.unfunded > 0.0 ? l.par + l.unfunded : 0.0;
    case Bucket::kDip: return l.dip ? l.par : 0.0;
  }
  return 0.0;
}

std::vector<Concentration> ranked(const std::map<std::string, double>& by_name, double total) {
  std::vector<Concentration> out;
  out.reserve(by_name.size());
  for (const auto& [name, par] : by_name) out.push_back({name, par, par / total});
  // std::map gives names in order, so a stable sort by par keeps ties by name.
  std::stable_sort(out.begin(), out.end(), [](const Concentration& a, const Concentration& b) { return a.par > b.par; });
  return out;
}

// Rank tests of `ranks` (largest first) against a schedule whose last limit holds for later ranks.
void rank_tests(std::vector<TestResult>& out, const char* what, const std::vector<Concentration>& ranks,
                const std::vector<double>& schedule) {
  if (schedule.empty()) return;
  // Ranks past the schedule share its last limit; being smaller than the last scheduled rank,
  // they pass whenever it does, so the schedule's own ranks are the tests.
  for (std::size_t k = 0; k < schedule.size(); ++k) {
    const double value = k < ranks.size() ? ranks[k].share : 0.0;
    TestResult t{fmt::format("{} rank {}", what, k + 1), value, schedule[k], value <= schedule[k], true, {}};
    if (k < ranks.size()) t.subject = ranks[k].name;
    out.push_back(std::move(t));
  }
  // A later rank can still exceed the last limit when the schedule's limits grow with the rank.
  const double last = schedule.back();
  for (std::size_t k = schedule.size(); k < ranks.size() && ranks[k].share > last; ++k) {
    out.push_back({fmt::format("{} rank {}", what, k + 1), ranks[k].share, last, false, true, ranks[k].name});
  }
}

}  // namespace

QualityMetrics collateral_quality(std::span<const Loan> pool, Date as_of, const QualityLimits& limits) {
  QualityMetrics m;
  double rf = 0.0, spread_par = 0.0, spread_sum = 0.0, life = 0.0, caa = 0.0;
  std::map<std::string, double> by_obligor;
  std::map<std::string, double> by_industry;
  std::map<std::string, std::string> industry_of;
  for (Bucket b : kBuckets) m.buckets.push_back({b, 0.0, 0.0, 0});
  std::vector<double> caa_par, caa_price;
  for (const Loan& l : pool) {
    if (l.defaulted) {
      ++m.defaulted_loans;
      m.defaulted_par += l.par;
    }
    if (l.defaulted || l.par <= 0.0) continue;
    ++m.loans;
    m.performing_par += l.par;
    m.unfunded += l.unfunded;
    for (BucketShare& b : m.buckets) {
      const double p = bucket_par(l, b.bucket, limits);
      if (p > 0.0) {
        b.par += p;
        ++b.loans;
      }
    }
    if (is_caa_or_below(l.rating)) {
      caa_par.push_back(l.par);
      caa_price.push_back(l.price);
    }
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
  m.caa_par = caa;
  m.caa_excess_par = std::max(0.0, caa - limits.ccc_excess_threshold * m.performing_par);
  {
    // ccc_haircut over the Caa loans alone: the performing par outside them enters as one
    // non-Caa entry so the threshold applies to the whole performing par.
    std::vector<double> par = caa_par, price = caa_price;
    par.push_back(m.performing_par - caa);
    price.push_back(1.0);
    const auto is_caa = std::make_unique<bool[]>(par.size());
    for (std::size_t i = 0; i + 1 < par.size(); ++i) is_caa[i] = true;
    m.caa_haircut = ccc_haircut(par, price, std::span<const bool>(is_caa.get(), par.size()),
                                limits.ccc_excess_threshold);
  }
  for (BucketShare& b : m.buckets) b.share = b.par / m.performing_par;
  m.obligors = ranked(by_obligor, m.performing_par);
  m.industries = ranked(by_industry, m.performing_par);
  if (!m.obligors.empty()) {
    m.max_obligor_share = m.obligors.front().share;
    m.max_obligor = m.obligors.front().name;
  }
  if (!m.industries.empty()) {
    m.max_industry_share = m.industries.front().share;
    m.max_industry = m.industries.front().name;
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
    if (limit) out.push_back({name, value, *limit, value <= *limit, true, {}});
  };
  auto min_test = [&](const char* name, double value, const std::optional<double>& limit) {
    if (limit) out.push_back({name, value, *limit, value >= *limit, false, {}});
  };
  max_test("WARF", m.warf, limits.max_warf);
  min_test("WAS", m.was, limits.min_was);
  max_test("WAL", m.wal_years, limits.max_wal_years);
  min_test("Diversity", m.diversity_score, limits.min_diversity);
  max_test("CCC share", m.ccc_share, limits.max_ccc_share);
  max_test("Obligor concentration", m.max_obligor_share, limits.max_obligor_share);
  max_test("Industry concentration", m.max_industry_share, limits.max_industry_share);
  rank_tests(out, "Obligor", m.obligors, limits.obligor_limits);
  rank_tests(out, "Industry", m.industries, limits.industry_limits);
  if (limits.max_top_obligors_share) {
    const std::size_t n = std::min(m.obligors.size(), static_cast<std::size_t>(std::max(1, limits.top_obligors_count)));
    double share = 0.0;
    for (std::size_t k = 0; k < n; ++k) share += m.obligors[k].share;
    max_test(fmt::format("Top {} obligors share", limits.top_obligors_count).c_str(), share,
             limits.max_top_obligors_share);
  }
  for (const BucketShare& b : m.buckets) max_test(bucket_test_name(b.bucket), b.share, bucket_limit(limits, b.bucket));
  return out;
}

double adjusted_collateral_par(const Deal& deal, const QualityMetrics& m, double recovery) {
  double defaulted_value = 0.0;
  for (const Loan& l : deal.collateral) {
    if (l.defaulted && l.par > 0.0) defaulted_value += l.par * std::min(recovery, l.price);
  }
  return m.performing_par - m.caa_haircut + defaulted_value + deal.principal_cash;
}

std::vector<TestResult> oc_tests_at(const Deal& deal, const QualityMetrics& m, Date as_of, double recovery) {
  std::vector<TestResult> out;
  const double acpa = adjusted_collateral_par(deal, m, recovery);
  // The projection's test of a ratio against its trigger (keel/clo/projection.cpp): a minimum met
  // to 1e-12 of the trigger passes.
  auto test = [&](std::string name, double den, double threshold) {
    const double ratio = acpa / den;
    out.push_back({std::move(name), ratio, threshold, ratio >= threshold * (1.0 - 1e-12), false, {}});
  };
  double senior = 0.0;
  for (const Tranche& t : deal.tranches) {
    if (t.is_equity) continue;
    senior += t.balance;
    if (t.oc_trigger && senior > 0.0) test(t.name + " OC", senior, *t.oc_trigger);
  }
  const Reinvestment& r = deal.reinvestment;
  if (r.diversion_threshold && as_of <= deal.dates.reinvestment_end) {
    double den = 0.0;
    for (const Tranche& t : deal.tranches) {
      if (t.is_equity) continue;
      den += t.balance;
      if (t.name == r.diversion_class) break;
    }
    if (den > 0.0) test(r.diversion_class + " Interest Diversion", den, *r.diversion_threshold);
  }
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
