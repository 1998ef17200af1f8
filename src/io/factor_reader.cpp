// Factor returns reader: `date,<factor>...`, complete rows, ascending unique dates.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numeric>
#include <string>
#include <unordered_map>

#include "keel/io/readers.h"
#include "keel/io/input.h"
#include "keel/core/strings.h"

namespace keel::io {

FactorTable read_factors(CsvReader& csv, RateUnits units, Diagnostics& diags) {
  FactorTable out;
  CsvColumns cols(csv, {"date"}, {}, diags, /*warn_unknown=*/false);
  if (diags.has_errors()) return out;
  const int c_date = cols.index("date");
  std::vector<int> fcols;
  for (std::size_t i = 0; i < csv.header().size(); ++i) {
    if (static_cast<int>(i) == c_date) continue;
    const std::string name = to_lower(csv.header()[i]);
    if (std::find(out.names.begin(), out.names.end(), name) != out.names.end()) {
      diags.error({csv.name(), csv.header_line(), i + 1, "", "factor " + shown(name) + " appears twice in the header"});
    }
    out.names.push_back(name);
    fcols.push_back(static_cast<int>(i));
  }
  if (fcols.empty()) {
    diags.error({csv.name(), csv.header_line(), 0, "", "no factor columns: expected date,<factor1>,<factor2>,..."});
    return out;
  }
  const double scale = units == RateUnits::kPercent ? 0.01 : 1.0;
  CsvCells cells(csv, diags);
  std::unordered_map<std::int32_t, std::size_t> seen;
  std::vector<std::size_t> lines;
  CsvRecord r;
  while (csv.next(r)) {
    const std::size_t before = diags.error_count();
    auto d = cells.date(r, c_date, true);
    std::vector<double> row(fcols.size());
    for (std::size_t k = 0; k < fcols.size(); ++k) {
      auto v = cells.number(r, fcols[k], true);
      if (v && std::abs(*v * scale) > 10.0) {
        cells.error(r, fcols[k], "factor return " + shown(cells.text(r, fcols[k])) +
                                     " is out of range (at most 10 = 1000% in magnitude; --units percent for percentages)");
        v.reset();
      }
      row[k] = v ? *v * scale : kMissing;
    }
    if (d) {
      auto [it, fresh] = seen.emplace(d->serial(), r.line);
      if (!fresh) {
        cells.error(r, c_date,
                    fmt::format("duplicate date {} (first on line {})", d->to_string(), it->second));
      }
    }
    if (diags.error_count() != before) continue;
    out.dates.push_back(*d);
    out.values.insert(out.values.end(), row.begin(), row.end());
  }
  // Sort rows by date when the file is not in order.
  if (!std::is_sorted(out.dates.begin(), out.dates.end())) {
    std::vector<std::size_t> order(out.dates.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return out.dates[a] < out.dates[b]; });
    FactorTable sorted;
    sorted.names = out.names;
    for (auto i : order) {
      sorted.dates.push_back(out.dates[i]);
      sorted.values.insert(sorted.values.end(), out.values.begin() + static_cast<long>(i * out.cols()),
                           out.values.begin() + static_cast<long>((i + 1) * out.cols()));
    }
    out = std::move(sorted);
  }
  if (out.dates.empty() && !diags.has_errors()) {
    diags.error({csv.name(), 0, 0, "", "no rows: the file has a header but no factor returns"});
  }
  return out;
}

}  // namespace keel::io
