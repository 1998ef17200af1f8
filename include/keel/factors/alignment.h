// keel/factors/alignment.h: factor returns lined up with the dates of a return matrix.
//
// A return r_t of keel::risk::simple_returns runs from the previous return date d_{t-1} to d_t
// (more than one trading day when a symbol had no price in between). Its factor returns are the
// compounded factor returns over the same interval: f_t = prod_{u in (d_{t-1}, d_t]} (1 + f_u) - 1,
// taken from the factor rows dated in that interval; the first return uses the row dated d_0 only.
// The factor table must hold a row on every return date d_t (else the window cannot be matched).
// The risk-free column (named `rf` by default, as in the Fama-French files) is not a regressor:
// it is compounded the same way and returned apart, to turn returns into excess returns.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/portfolio/market_data.h"

namespace keel::factors {

struct AlignOptions {
  std::string rf_column = "rf";  // risk-free column; absent from the table = zero risk-free rate
  std::string source = "factor data";  // how error messages name the factor table (file or set)
};

// T x K factor returns (decimal) on the return dates, plus the risk-free return per date.
struct AlignedFactors {
  std::vector<Date> dates;          // the return dates, T
  std::vector<std::string> names;   // regressors, K (the table's columns without rf)
  std::vector<double> values;       // T x K row-major
  std::vector<double> rf;           // T; zeros when the table has no rf column
  bool has_rf = false;
  std::size_t compounded = 0;       // returns whose interval spans more than one factor row

  std::size_t rows() const { return dates.size(); }
  std::size_t cols() const { return names.size(); }
};

// Lines `factors` up with `return_dates` (ascending). Throws keel::Error(invalid_input):
// when return_dates is empty or the table has no factor besides rf; when the date ranges do not
// overlap ("factor data covers A .. B, the returns cover C .. D"); and when the table lacks rows on
// return dates, listing the first missing dates and their count.
AlignedFactors align_factors(std::span<const Date> return_dates, const FactorTable& factors,
                             const AlignOptions& options = {});

// Compounded return of every factor column (rf included) over the factor rows dated in
// (start, end]: prod (1 + f_u) - 1. Throws invalid_input when start >= end, or when the table does
// not cover the interval (its first row after `start` must exist and its last row must reach
// `end`, naming the dates).
std::vector<double> compounded_factor_returns(const FactorTable& factors, Date start, Date end,
                                              const std::string& source = "factor data");

}  // namespace keel::factors
