// keel/factors/diversification.h: how diversified a book is: correlations and concentration.
//
// Inputs: a keel::risk::RiskBook (delta exposures e_i, driver asset a(i)), the covariance Sigma of the
// assets' daily returns, and a sector per position. Definitions (docs/factors.md):
//  - position correlation: corr(e_i r_a(i), e_j r_a(j)) = sign(e_i e_j) rho_a(i)a(j) (delta view:
//    a short position is negatively correlated with its own asset); cash positions are left out;
//  - average pairwise correlation: mean of the off-diagonal entries (i < j) of that matrix, and the
//    same weighted by |w_i w_j|;
//  - diversification ratio (Choueifaty & Coignard, "Toward maximum diversification", J. Portfolio
//    Management 35(1), 2008): DR = sum_a |E_a| sigma_a / sigma_p, E_a the net exposure per asset,
//    sigma_p = sqrt(E' Sigma E); 1 for a single asset, larger when correlations are low;
//  - effective number of bets (Meucci, "Managing diversification", Risk 22(5), 2009): with
//    Sigma = V Lambda V', the principal-portfolio exposures z = V' E, variance shares
//    p_k = z_k^2 lambda_k / sigma_p^2 and ENB = exp(-sum_k p_k ln p_k), in [1, number of assets];
//  - concentration on gross delta-exposure weights w_i = |e_i| / sum_j |e_j| (risky positions):
//    HHI = sum w_i^2, effective number of positions 1/HHI, top-10 weight (sum of the 10 largest
//    w_i), and sector weights (sum of w_i per sector; "Unknown" when a position has none).
//
// Thread-safety: pure functions.
#pragma once

#include <Eigen/Dense>
#include <span>
#include <string>
#include <vector>

#include "keel/risk/book.h"

namespace keel::factors {

struct SectorWeight {
  std::string sector;
  double weight = 0.0;  // fraction of gross delta exposure
};

struct Diversification {
  std::vector<std::string> symbols;        // risky positions, book order
  Eigen::MatrixXd position_correlation;    // symbols x symbols
  double average_pairwise_correlation = 0.0;           // 0 with fewer than two positions
  double weighted_average_pairwise_correlation = 0.0;  // weights |w_i w_j|
  double diversification_ratio = 0.0;
  double effective_number_of_bets = 0.0;
  double effective_number_of_positions = 0.0;  // 1 / HHI
  double hhi = 0.0;
  double top10_weight = 0.0;
  std::vector<SectorWeight> sectors;  // descending weight
  SectorWeight largest_sector;
};

// `asset_cov` is assets x assets (book.assets order); `sectors` has one entry per position (may
// be empty strings). Throws keel::Error(invalid_input) when sizes disagree or the book has no
// risky exposure.
Diversification diversification(const risk::RiskBook& book, const Eigen::MatrixXd& asset_cov,
                                std::span<const std::string> sectors);

// Meucci's effective number of bets of exposures `e` under `cov` (see above); 0 when e' cov e = 0.
double effective_number_of_bets(const Eigen::MatrixXd& cov, const Eigen::VectorXd& e);

}  // namespace keel::factors
