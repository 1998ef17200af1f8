#include "keel/factors/diversification.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>

#include "keel/core/error.h"

namespace keel::factors {

double effective_number_of_bets(const Eigen::MatrixXd& cov, const Eigen::VectorXd& e) {
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(cov);
  const Eigen::VectorXd z = eig.eigenvectors().transpose() * e;
  const Eigen::VectorXd lambda = eig.eigenvalues().cwiseMax(0.0);
  const Eigen::VectorXd v = z.cwiseProduct(z).cwiseProduct(lambda);
  const double total = v.sum();
  if (!(total > 0.0)) return 0.0;
  double entropy = 0.0;
  for (Eigen::Index k = 0; k < v.size(); ++k) {
    const double p = v(k) / total;
    if (p > 0.0) entropy -= p * std::log(p);
  }
  return std::exp(entropy);
}

Diversification diversification(const risk::RiskBook& book, const Eigen::MatrixXd& asset_cov,
                                std::span<const std::string> sectors) {
  const auto A = static_cast<Eigen::Index>(book.assets.size());
  if (asset_cov.rows() != A || asset_cov.cols() != A) {
    throw Error::invalid_input("diversification: the covariance is not assets x assets");
  }
  if (sectors.size() != book.size()) throw Error::invalid_input("diversification: one sector per position needed");

  Diversification d;
  std::vector<std::size_t> risky;
  double gross = 0.0;
  for (std::size_t i = 0; i < book.size(); ++i) {
    if (book.asset[i] == risk::kNoAsset || book.exposure[i] == 0.0) continue;
    risky.push_back(i);
    d.symbols.push_back(book.ids[i]);
    gross += std::abs(book.exposure[i]);
  }
  if (risky.empty() || !(gross > 0.0)) throw Error::invalid_input("diversification: the book has no risky exposure");

  const auto n = static_cast<Eigen::Index>(risky.size());
  std::vector<double> w(risky.size());
  for (std::size_t p = 0; p < risky.size(); ++p) w[p] = std::abs(book.exposure[risky[p]]) / gross;

  d.position_correlation.resize(n, n);
  double sum = 0.0;
  double wsum = 0.0;
  double wtot = 0.0;
  std::size_t pairs = 0;
  for (Eigen::Index p = 0; p < n; ++p) {
    const std::size_t i = risky[static_cast<std::size_t>(p)];
    const auto a = static_cast<Eigen::Index>(book.asset[i]);
    for (Eigen::Index q = 0; q < n; ++q) {
      const std::size_t j = risky[static_cast<std::size_t>(q)];
      const auto b = static_cast<Eigen::Index>(book.asset[j]);
      const double denom = std::sqrt(asset_cov(a, a) * asset_cov(b, b));
      double rho = denom > 0.0 ? asset_cov(a, b) / denom : (a == b ? 1.0 : 0.0);
      if (p == q) rho = 1.0;
      const double sign = (book.exposure[i] > 0.0) == (book.exposure[j] > 0.0) ? 1.0 : -1.0;
      d.position_correlation(p, q) = p == q ? 1.0 : sign * rho;
      if (q > p) {
        sum += d.position_correlation(p, q);
        const double ww = w[static_cast<std::size_t>(p)] * w[static_cast<std::size_t>(q)];
        wsum += ww * d.position_correlation(p, q);
        wtot += ww;
        ++pairs;
      }
    }
  }
  d.average_pairwise_correlation = pairs > 0 ? sum / static_cast<double>(pairs) : 0.0;
  d.weighted_average_pairwise_correlation = wtot > 0.0 ? wsum / wtot : 0.0;

  const std::vector<double> e = book.asset_exposures();
  const Eigen::Map<const Eigen::VectorXd> E(e.data(), A);
  const double var_p = E.dot(asset_cov * E);
  double weighted_vol = 0.0;
  for (Eigen::Index a = 0; a < A; ++a) weighted_vol += std::abs(E(a)) * std::sqrt(std::max(asset_cov(a, a), 0.0));
  d.diversification_ratio = var_p > 0.0 ? weighted_vol / std::sqrt(var_p) : 0.0;
  d.effective_number_of_bets = effective_number_of_bets(asset_cov, E);

  for (double x : w) d.hhi += x * x;
  d.effective_number_of_positions = 1.0 / d.hhi;
  std::vector<double> sorted = w;
  std::sort(sorted.begin(), sorted.end(), std::greater<>());
  for (std::size_t p = 0; p < std::min<std::size_t>(10, sorted.size()); ++p) d.top10_weight += sorted[p];

  std::map<std::string, double> by_sector;
  for (std::size_t p = 0; p < risky.size(); ++p) {
    const std::string& s = sectors[risky[p]];
    by_sector[s.empty() ? "Unknown" : s] += w[p];
  }
  for (const auto& [s, x] : by_sector) d.sectors.push_back({s, x});
  std::stable_sort(d.sectors.begin(), d.sectors.end(),
                   [](const SectorWeight& a, const SectorWeight& b) { return a.weight > b.weight; });
  d.largest_sector = d.sectors.front();
  return d;
}

}  // namespace keel::factors
