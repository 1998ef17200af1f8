#include "keel/factors/alignment.h"

#include <fmt/format.h>

#include <algorithm>

#include "keel/core/error.h"

namespace keel::factors {

AlignedFactors align_factors(std::span<const Date> return_dates, const FactorTable& factors,
                             const AlignOptions& options) {
  if (return_dates.empty()) throw Error::invalid_input("no returns to match with " + options.source);
  const std::size_t cols = factors.cols();
  const auto rf_col = factors.find(options.rf_column);
  AlignedFactors out;
  std::vector<std::size_t> keep;
  for (std::size_t k = 0; k < cols; ++k) {
    if (rf_col && k == *rf_col) continue;
    keep.push_back(k);
    out.names.push_back(factors.names[k]);
  }
  if (keep.empty()) {
    throw Error::invalid_input(options.source + " has no factor column besides " + options.rf_column);
  }
  if (factors.rows() == 0) throw Error::invalid_input(options.source + " has no rows");
  out.has_rf = rf_col.has_value();

  const Date first_ret = return_dates.front();
  const Date last_ret = return_dates.back();
  const Date first_f = factors.dates.front();
  const Date last_f = factors.dates.back();
  if (last_f < first_ret || first_f > last_ret) {
    throw Error::invalid_input(options.source + " covers " + first_f.to_string() + " .. " + last_f.to_string() +
                               " but the returns cover " + first_ret.to_string() + " .. " +
                               last_ret.to_string() + ": the dates do not overlap");
  }

  // Row index of each return date in the factor table.
  std::vector<std::size_t> row(return_dates.size());
  std::vector<std::string> missing;
  std::size_t n_missing = 0;
  for (std::size_t t = 0; t < return_dates.size(); ++t) {
    const auto it = std::lower_bound(factors.dates.begin(), factors.dates.end(), return_dates[t]);
    if (it == factors.dates.end() || *it != return_dates[t]) {
      if (missing.size() < 10) missing.push_back(return_dates[t].to_string());
      ++n_missing;
      continue;
    }
    row[t] = static_cast<std::size_t>(it - factors.dates.begin());
  }
  if (n_missing > 0) {
    std::string list;
    for (const auto& d : missing) list += (list.empty() ? "" : ", ") + d;
    if (n_missing > missing.size()) list += fmt::format(" and {} more", n_missing - missing.size());
    throw Error::invalid_input(
        fmt::format(
            "{} has no row for {} of the {} return dates the window {} .. {} needs (it covers {} .. {})",
            options.source, n_missing, return_dates.size(), first_ret.to_string(), last_ret.to_string(),
            first_f.to_string(), last_f.to_string()),
        {"missing dates: " + list});
  }

  const std::size_t k_out = keep.size();
  out.dates.assign(return_dates.begin(), return_dates.end());
  out.values.assign(return_dates.size() * k_out, 0.0);
  out.rf.assign(return_dates.size(), 0.0);
  std::vector<double> growth(cols);
  for (std::size_t t = 0; t < return_dates.size(); ++t) {
    const std::size_t hi = row[t];
    std::size_t lo = hi;  // first factor row of the interval (d_{t-1}, d_t]
    if (t > 0) lo = row[t - 1] + 1;
    if (hi == lo) {  // one factor row: its returns as they are (no rounding through 1 + f)
      for (std::size_t k = 0; k < k_out; ++k) out.values[t * k_out + k] = factors.at(hi, keep[k]);
      if (rf_col) out.rf[t] = factors.at(hi, *rf_col);
      continue;
    }
    ++out.compounded;
    std::fill(growth.begin(), growth.end(), 1.0);
    for (std::size_t u = lo; u <= hi; ++u) {
      for (std::size_t k = 0; k < cols; ++k) growth[k] *= 1.0 + factors.at(u, k);
    }
    for (std::size_t k = 0; k < k_out; ++k) out.values[t * k_out + k] = growth[keep[k]] - 1.0;
    if (rf_col) out.rf[t] = growth[*rf_col] - 1.0;
  }
  return out;
}

std::vector<double> compounded_factor_returns(const FactorTable& factors, Date start, Date end,
                                              const std::string& source) {
  if (!(start < end)) {
    throw Error::invalid_input("the window start " + start.to_string() + " must be before its end " + end.to_string());
  }
  if (factors.rows() == 0) throw Error::invalid_input(source + " has no rows");
  if (factors.dates.front() > start || factors.dates.back() < end) {
    throw Error::invalid_input(source + " covers " + factors.dates.front().to_string() + " .. " +
                               factors.dates.back().to_string() + ", which does not contain the window " +
                               start.to_string() + " .. " + end.to_string());
  }
  std::vector<double> growth(factors.cols(), 1.0);
  auto it = std::upper_bound(factors.dates.begin(), factors.dates.end(), start);
  for (; it != factors.dates.end() && *it <= end; ++it) {
    const auto t = static_cast<std::size_t>(it - factors.dates.begin());
    for (std::size_t k = 0; k < factors.cols(); ++k) growth[k] *= 1.0 + factors.at(t, k);
  }
  for (double& g : growth) g -= 1.0;
  return growth;
}

}  // namespace keel::factors
