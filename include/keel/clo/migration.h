// keel/clo/migration.h: dated rating and price marks of the collateral, and rating migration.
//
// Marks (docs/clo.md, "Ratings, prices and migration"): each loan takes the latest rating mark
// and the latest price mark of its obligor dated on or before the determination date; loans
// without a mark keep the pool's values.
//
// Migration: an annual transition matrix P over rating states (rows sum to 1) is turned into the
// matrix of a period of dt years by the real matrix power P^dt (Eigen's MatrixPower: real Schur
// decomposition and Pade approximants of the triangular factor, Higham and Lin 2011), so that
// compounding the period matrices over a year gives P back exactly whenever P^dt is stochastic.
// P^dt may have small negative entries (the embedding problem: not every annual matrix is the
// power of a period matrix); they are set to zero and the row rescaled to sum to 1 (Kreinin and
// Sidelnikova 2001, "regularisation by row rescaling"). Migration is conditional on survival:
// defaults still come from the CDR (or the copula), so the matrix has no default state.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "keel/clo/deal.h"
#include "keel/clo/rating.h"
#include "keel/core/date.h"

namespace keel::clo {

struct RatingMark {
  Date as_of;
  std::string obligor;
  MoodysRating rating = MoodysRating::kB2;
};

struct PriceMark {
  Date as_of;
  std::string obligor;
  double price = 1.0;  // fraction of par (0.985)
};

struct MarksApplied {
  int loans_rated = 0;   // loans whose rating came from a mark
  int loans_priced = 0;  // loans whose price came from a mark
  std::vector<std::string> unknown_obligors;  // obligors of marks dated on or before as_of that no loan has
};

// Sets each loan's rating and price to the latest mark of its obligor dated on or before `as_of`
// (marks dated after it are ignored; among marks of one date the last one in the span wins).
MarksApplied apply_marks(std::vector<Loan>& pool, std::span<const RatingMark> ratings,
                         std::span<const PriceMark> prices, Date as_of);

// An annual rating transition matrix: probability[i * n + j] = P(rating states[j] in one year |
// states[i] now, no default), n = states.size().
struct MigrationMatrix {
  std::vector<MoodysRating> states;
  std::vector<double> probability;
};

// Throws invalid_input unless the matrix is square over distinct states, every entry lies in
// [0, 1], every row sums to 1 (within 1e-6) and P has no eigenvalue on the non-positive real axis
// (then no real P^dt exists).
void validate_migration(const MigrationMatrix& m);

// The matrix of a period of `years` (> 0): P^years, negative entries cleared and rows rescaled
// (see above). Row-major n x n.
std::vector<double> migration_power(const MigrationMatrix& m, double years);

// The rating of each original loan of a deal at the determination date of each period:
// `caa[t * loans + i]` the probability (deterministic run) or indicator (one Monte Carlo
// scenario) that loan i is rated Caa1 or below at payment date t, and `factor[t * loans + i]`
// its expected Moody's rating factor (may be empty: the loan's own factor is used).
struct RatingPath {
  std::vector<double> caa;
  std::vector<double> factor;
};

// The indices of the matrix's states for each loan of `pool`; throws invalid_input naming the
// ratings of the pool (and of `extra`, e.g. the reinvestment rating) the matrix does not have.
std::vector<int> migration_states_of(const MigrationMatrix& m, std::span<const Loan> pool);

// The expected path: every loan's rating distribution at payment date t is e_{rating} x
// Q_1 ... Q_t with Q_k = P^(months_k / 12); caa = its Caa1-and-below mass and factor = its
// expected rating factor. `period_months` are the months of each accrual period.
RatingPath expected_rating_path(const MigrationMatrix& m, std::span<const Loan> pool,
                                std::span<const double> period_months);

}  // namespace keel::clo
