// Curve reader: `tenor,rate` rows or one date of the wide Treasury par-yield file.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>

#include "keel/core/tenor.h"
#include "keel/io/readers.h"
#include "keel/io/input.h"

namespace keel::io {
namespace {

void add_point(CurveData& curve, const CsvCells& cells, const CsvRecord& r, int col, std::string_view tenor_text,
               double rate, Diagnostics& diags, const std::string& file, std::size_t header_line) {
  auto tenor = Tenor::parse(tenor_text);
  if (!tenor) {
    if (col >= 0 && header_line > 0) {
      diags.error({file, header_line, static_cast<std::size_t>(col) + 1, "",
                   shown(tenor_text) + " is not a tenor (1M, 3M, 1Y, 30Y, ...)"});
    } else {
      cells.error(r, col, shown(tenor_text) + " is not a tenor (1M, 3M, 1Y, 30Y, ...)");
    }
    return;
  }
  for (const auto& p : curve.points) {
    if (std::abs(p.years - tenor->years()) < 1e-12) {
      cells.error(r, col, "tenor " + tenor->to_string() + " given twice");
      return;
    }
  }
  curve.points.push_back({tenor->to_string(), tenor->years(), rate});
}

}  // namespace

CurveData read_curve(CsvReader& csv, const CurveReadOptions& options, Diagnostics& diags) {
  CurveData curve;
  curve.name = options.name.empty() ? std::filesystem::path(csv.name()).stem().string() : options.name;
  // "ust.csv.gz" has stem "ust.csv": drop a second extension too.
  if (auto dot = curve.name.find('.'); options.name.empty() && dot != std::string::npos) curve.name.resize(dot);
  curve.currency = options.currency;
  curve.kind = options.kind;
  curve.as_of = options.date;
  CsvColumns probe(csv, {}, {}, diags, false);
  if (csv.header().empty()) return curve;
  CsvCells cells(csv, diags);
  CsvRecord r;
  if (probe.has("tenor")) {
    CsvColumns cols(csv, {"tenor", "rate"}, {"date"}, diags);
    if (diags.has_errors()) return curve;
    const double scale = options.units == RateUnits::kPercent ? 0.01 : 1.0;
    const int c_tenor = cols.index("tenor"), c_rate = cols.index("rate");
    while (csv.next(r)) {
      auto rate = cells.number(r, c_rate, true);
      if (!rate) continue;
      const double v = *rate * scale;
      if (options.units == RateUnits::kDecimal && std::abs(v) > 0.5) {
        cells.error(r, c_rate, "rate " + shown_with(cells.text(r, c_rate), 64, '\0') +
                                   " looks like a percentage: give decimals (0.05 = 5%) or use --rate-units percent");
        continue;
      }
      if (std::abs(v) > 1.0) {
        cells.error(r, c_rate, "rate " + shown(cells.text(r, c_rate)) + " is out of range (at most 100% in magnitude)");
        continue;
      }
      add_point(curve, cells, r, c_tenor, cells.text(r, c_tenor), v, diags, csv.name(), 0);
    }
  } else if (probe.has("date")) {
    // Wide Treasury layout: par yields in percent, one row per date.
    curve.kind = CurveKind::kPar;
    if (!options.date) {
      diags.error({csv.name(), csv.header_line(), 0, "",
                   "this is a dated curve file (date,1m,...,30y): choose the row with --date YYYY-MM-DD"});
      return curve;
    }
    const int c_date = probe.index("date");
    std::optional<Date> first, last;
    bool found = false;
    while (csv.next(r)) {
      auto d = Date::parse(cells.text(r, c_date));
      if (!d) continue;
      if (!first || *d < *first) first = d;
      if (!last || *d > *last) last = d;
      if (*d != *options.date) continue;
      found = true;
      for (std::size_t i = 0; i < csv.header().size(); ++i) {
        if (static_cast<int>(i) == c_date || cells.empty(r, static_cast<int>(i))) continue;
        auto rate = cells.number(r, static_cast<int>(i), false);
        if (rate) {
          add_point(curve, cells, r, static_cast<int>(i), csv.header()[i], *rate * 0.01, diags, csv.name(),
                    csv.header_line());
        }
      }
    }
    if (!found) {
      diags.error({csv.name(), 0, 0, "",
                   "no row for " + options.date->to_string() +
                       (first ? " (the file covers " + first->to_string() + " to " + last->to_string() +
                                    "; pick a published business day)"
                              : "")});
    }
  } else {
    diags.error({csv.name(), csv.header_line(), 0, "",
                 "expected a tenor,rate file or a dated file date,1m,...,30y"});
  }
  std::sort(curve.points.begin(), curve.points.end(), [](auto& a, auto& b) { return a.years < b.years; });
  if (curve.points.empty() && !diags.has_errors()) {
    diags.error({csv.name(), 0, 0, "", "the curve has no points"});
  }
  return curve;
}

}  // namespace keel::io
