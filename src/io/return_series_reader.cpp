// Historical return series for the retirement bootstrap (keel plan retire --returns bootstrap:FILE).
#include "keel/io/return_series_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "keel/core/error.h"
#include "keel/core/strings.h"

namespace keel::io {

namespace {

ReturnFrequency infer_frequency(const std::vector<Date>& dates) {
  if (dates.size() < 2) return ReturnFrequency::kAnnual;
  std::vector<int> gaps;
  gaps.reserve(dates.size() - 1);
  for (std::size_t i = 1; i < dates.size(); ++i) gaps.push_back(dates[i] - dates[i - 1]);
  std::nth_element(gaps.begin(), gaps.begin() + static_cast<std::ptrdiff_t>(gaps.size() / 2), gaps.end());
  const int median = gaps[gaps.size() / 2];
  if (median <= 7) return ReturnFrequency::kDaily;
  if (median <= 45) return ReturnFrequency::kMonthly;
  return ReturnFrequency::kAnnual;
}

const char* frequency_name(ReturnFrequency f) {
  switch (f) {
    case ReturnFrequency::kDaily: return "daily";
    case ReturnFrequency::kMonthly: return "monthly";
    case ReturnFrequency::kAnnual: return "annual";
  }
  return "?";
}

}  // namespace

ReturnSeries read_return_series(CsvReader& csv, Diagnostics& diags, RateUnits units) {
  ReturnSeries out;
  bool fama_french = false;
  for (const auto& h : csv.header()) {
    const std::string l = to_lower(h);
    if (l == "mkt_rf" || l == "mkt-rf") fama_french = true;
  }
  int c_date = -1, c_a = -1, c_b = -1;
  if (fama_french) {
    CsvColumns cols(csv, {"date", "rf"}, {}, diags, /*warn_unknown=*/false);
    c_date = cols.index("date");
    c_a = cols.has("mkt_rf") ? cols.index("mkt_rf") : cols.index("mkt-rf");
    c_b = cols.index("rf");
    out.source = "fama-french mkt_rf + rf";
  } else {
    CsvColumns cols(csv, {"date", "return"}, {}, diags);
    c_date = cols.index("date");
    c_a = cols.index("return");
    out.source = "date,return";
  }
  if (diags.has_errors()) return out;
  const double scale = fama_french || units == RateUnits::kPercent ? 0.01 : 1.0;
  CsvCells cells(csv, diags);
  CsvRecord r;
  std::size_t prev_line = 0;
  while (csv.next(r)) {
    const std::size_t before = diags.error_count();
    const auto d = cells.date(r, c_date, true);
    const auto a = cells.number(r, c_a, true);
    std::optional<double> b = 0.0;
    if (c_b >= 0) b = cells.number(r, c_b, true);
    if (diags.error_count() != before) continue;
    const double ret = (*a + *b) * scale;
    if (!(ret > -1.0)) {
      cells.error(r, c_a, "a return must be > -100 %");
      continue;
    }
    if (!out.dates.empty() && !(*d > out.dates.back())) {
      cells.error(r, c_date,
                  fmt::format("dates must increase: {} is not after line {}", d->to_string(), prev_line));
      continue;
    }
    prev_line = r.line;
    out.dates.push_back(*d);
    out.returns.push_back(ret);
  }
  if (!diags.has_errors() && out.returns.size() < 2)
    diags.error({csv.name(), 0, 0, "", "a return series needs at least 2 rows"});
  out.frequency = infer_frequency(out.dates);
  return out;
}

ReturnSeries to_frequency(const ReturnSeries& s, ReturnFrequency target) {
  if (static_cast<int>(target) < static_cast<int>(s.frequency))
    throw Error::invalid_input(std::string("cannot turn a ") + frequency_name(s.frequency) +
                               " return series into " + frequency_name(target) + " returns");
  if (target == s.frequency) return s;
  ReturnSeries out;
  out.frequency = target;
  out.source = s.source;
  auto key = [&](Date d) { return target == ReturnFrequency::kMonthly ? d.year() * 12 + d.month() - 1 : d.year(); };
  std::vector<int> keys;
  for (std::size_t i = 0; i < s.dates.size();) {
    const int k = key(s.dates[i]);
    double g = 1.0;
    std::size_t j = i;
    for (; j < s.dates.size() && key(s.dates[j]) == k; ++j) g *= 1.0 + s.returns[j];
    out.dates.push_back(s.dates[j - 1]);
    out.returns.push_back(g - 1.0);
    keys.push_back(k);
    i = j;
  }
  // Drop edge periods that the source may not cover fully: for a monthly source aggregated to
  // years, a year is complete with 12 months; for a daily source, only interior periods are
  // known to be complete.
  std::size_t first = 0, last = out.returns.size();
  if (s.frequency == ReturnFrequency::kMonthly) {
    auto months_in = [&](int k) {
      return std::count_if(s.dates.begin(), s.dates.end(), [&](Date d) { return key(d) == k; });
    };
    if (last > 0 && months_in(keys.front()) < 12) first = 1;
    if (last > first && months_in(keys.back()) < 12) --last;
  } else {
    if (last > 0) first = 1;
    if (last > first) --last;
  }
  ReturnSeries trimmed;
  trimmed.frequency = target;
  trimmed.source = s.source;
  trimmed.dates.assign(out.dates.begin() + static_cast<std::ptrdiff_t>(first),
                       out.dates.begin() + static_cast<std::ptrdiff_t>(last));
  trimmed.returns.assign(out.returns.begin() + static_cast<std::ptrdiff_t>(first),
                         out.returns.begin() + static_cast<std::ptrdiff_t>(last));
  if (trimmed.returns.size() < 2)
    throw Error::invalid_input(std::string("the return series has fewer than 2 complete ") +
                               frequency_name(target) + " periods");
  return trimmed;
}

ReturnSeries read_return_series_file(std::unique_ptr<ByteSource> file, ReturnFrequency target,
                                     RateUnits units, std::vector<std::string>* warnings) {
  const std::string path = file->name();
  Diagnostics diags;
  auto csv = CsvReader::open(std::move(file), diags);
  auto series = read_return_series(csv, diags, units);
  diags.throw_if_errors("invalid return series in " + path);
  if (warnings != nullptr) {
    for (const auto& w : diags.warnings()) warnings->push_back(w.to_string());
  }
  return to_frequency(series, target);
}

}  // namespace keel::io
