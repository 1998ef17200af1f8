// Rating marks, price marks, rating migration matrices and obligor pair correlations of a CLO
// pool, from CSV (keel/io/clo_marks_reader.h, docs/clo.md).
#include "keel/io/clo_marks_reader.h"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <set>
#include <utility>

#include "keel/core/diagnostics.h"
#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "keel/io/csv.h"

namespace keel::io {
namespace {

// "YYYY-MM-DD|obligor" seen on an earlier line, to refuse a second mark of the same day.
class SameDay {
 public:
  bool repeated(Date d, const std::string& obligor, std::size_t line, std::size_t* first) {
    const auto [it, added] = seen_.emplace(std::make_pair(d, obligor), line);
    *first = it->second;
    return !added;
  }

 private:
  std::map<std::pair<Date, std::string>, std::size_t> seen_;
};

std::vector<clo::RatingMark> rating_marks(CsvReader csv, Diagnostics& diags) {
  CsvColumns cols(csv, {"as_of", "obligor", "rating"}, {}, diags);
  CsvCells cells(csv, diags);
  const int c_date = cols.index("as_of"), c_ob = cols.index("obligor"), c_rat = cols.index("rating");
  std::vector<clo::RatingMark> out;
  SameDay same;
  CsvRecord r;
  while (csv.next(r)) {
    clo::RatingMark m;
    m.as_of = cells.date(r, c_date, true).value_or(Date());
    m.obligor = std::string(cells.text(r, c_ob));
    if (m.obligor.empty()) cells.error(r, c_ob, "obligor must not be empty");
    const auto text = cells.text(r, c_rat);
    const auto rating = clo::parse_rating_any_scale(text);
    if (!rating) {
      cells.error(r, c_rat,
                  "unknown rating " + shown_with(text, 64, '\'') +
                      " (expected Moody's Aaa .. C or S&P AAA .. C; a default (D, SD) is a defaulted loan of the pool)");
    } else {
      m.rating = *rating;
    }
    std::size_t first = 0;
    if (!m.obligor.empty() && c_date >= 0 && same.repeated(m.as_of, m.obligor, r.line, &first)) {
      cells.error(r, c_ob, fmt::format("a second rating of this obligor on {} (first on line {})", m.as_of.to_string(), first));
    }
    out.push_back(std::move(m));
  }
  if (out.empty() && !diags.has_errors()) diags.error({csv.name(), 0, 0, "", "the ratings file has no rows"});
  return out;
}

std::vector<clo::PriceMark> price_marks(CsvReader csv, Diagnostics& diags) {
  CsvColumns cols(csv, {"as_of", "obligor", "price"}, {}, diags);
  CsvCells cells(csv, diags);
  const int c_date = cols.index("as_of"), c_ob = cols.index("obligor"), c_price = cols.index("price");
  std::vector<clo::PriceMark> out;
  SameDay same;
  CsvRecord r;
  while (csv.next(r)) {
    clo::PriceMark m;
    m.as_of = cells.date(r, c_date, true).value_or(Date());
    m.obligor = std::string(cells.text(r, c_ob));
    if (m.obligor.empty()) cells.error(r, c_ob, "obligor must not be empty");
    const auto price = cells.number(r, c_price, true);
    if (price && !(*price > 0.0 && *price <= 1000.0)) {
      cells.error(r, c_price, "price must be positive and at most 1000 (percent of par, 98.5)");
    }
    m.price = price.value_or(100.0) / 100.0;
    std::size_t first = 0;
    if (!m.obligor.empty() && c_date >= 0 && same.repeated(m.as_of, m.obligor, r.line, &first)) {
      cells.error(r, c_ob, fmt::format("a second price of this obligor on {} (first on line {})", m.as_of.to_string(), first));
    }
    out.push_back(std::move(m));
  }
  if (out.empty() && !diags.has_errors()) diags.error({csv.name(), 0, 0, "", "the marks file has no rows"});
  return out;
}

clo::MigrationMatrix migration(CsvReader csv, Diagnostics& diags) {
  const std::string path = csv.name();
  const auto& header = csv.header();
  clo::MigrationMatrix out;
  if (header.size() < 2 || !iequals(header[0], "from")) {
    diags.error({path, csv.header_line(), 1, "", "expected a header from,<rating 1>,...,<rating n>"});
    return out;
  }
  std::set<clo::MoodysRating> seen;
  for (std::size_t k = 1; k < header.size(); ++k) {
    const auto r = clo::parse_rating_any_scale(header[k]);
    if (!r) {
      diags.error({path, csv.header_line(), k + 1, header[k], "unknown rating (expected Moody's Aaa .. C or S&P AAA .. C)"});
    } else if (!seen.insert(*r).second) {
      diags.error({path, csv.header_line(), k + 1, header[k], "this rating is already a column"});
    }
    out.states.push_back(r.value_or(clo::MoodysRating::kAaa));
  }
  const std::size_t n = out.states.size();
  CsvCells cells(csv, diags);
  CsvRecord r;
  std::size_t row = 0;
  while (csv.next(r)) {
    if (row >= n) {
      cells.error(r, -1, fmt::format("more rows than the header's {} ratings", n));
      ++row;
      continue;
    }
    const auto from = clo::parse_rating_any_scale(cells.text(r, 0));
    if (!from || *from != out.states[row]) {
      cells.error(r, 0, fmt::format("row {} must be {} (the header's order)", row + 1, header[row + 1]));
    }
    double sum = 0.0;
    bool complete = true;
    for (std::size_t k = 1; k <= n; ++k) {
      const auto v = cells.number(r, static_cast<int>(k), true);
      if (!v) {
        complete = false;
      } else if (!(*v >= 0.0 && *v <= 1.0)) {
        cells.error(r, static_cast<int>(k), "a probability must lie in [0, 1] (a fraction, not percent)");
        complete = false;
      }
      sum += v.value_or(0.0);
      out.probability.push_back(v.value_or(0.0));
    }
    if (complete && !(std::fabs(sum - 1.0) <= 1e-6)) {
      cells.error(r, -1, fmt::format("the row sums to {:.10g}; a row of a migration matrix must sum to 1", sum));
    }
    ++row;
  }
  if (row < n) diags.error({path, 0, 0, "", fmt::format("expected {} rows (one per rating), found {}", n, row)});
  return out;
}

std::vector<clo::MonteCarloOptions::PairCorrelation> pairs(CsvReader csv, Diagnostics& diags) {
  CsvColumns cols(csv, {"obligor_a", "obligor_b", "correlation"}, {}, diags);
  CsvCells cells(csv, diags);
  const int c_a = cols.index("obligor_a"), c_b = cols.index("obligor_b"), c_c = cols.index("correlation");
  std::vector<clo::MonteCarloOptions::PairCorrelation> out;
  std::map<std::pair<std::string, std::string>, std::size_t> seen;
  CsvRecord r;
  while (csv.next(r)) {
    clo::MonteCarloOptions::PairCorrelation p;
    p.obligor_a = std::string(cells.text(r, c_a));
    p.obligor_b = std::string(cells.text(r, c_b));
    if (p.obligor_a.empty()) cells.error(r, c_a, "obligor must not be empty");
    if (p.obligor_b.empty()) cells.error(r, c_b, "obligor must not be empty");
    if (!p.obligor_a.empty() && p.obligor_a == p.obligor_b) cells.error(r, c_b, "a pair needs two different obligors");
    const auto c = cells.number(r, c_c, true);
    if (c && !(*c >= -1.0 && *c <= 1.0)) cells.error(r, c_c, "a correlation must lie in [-1, 1]");
    p.correlation = c.value_or(0.0);
    auto key = p.obligor_a < p.obligor_b ? std::make_pair(p.obligor_a, p.obligor_b) : std::make_pair(p.obligor_b, p.obligor_a);
    const auto [it, added] = seen.emplace(std::move(key), r.line);
    if (!added) cells.error(r, -1, fmt::format("this pair is already on line {}", it->second));
    out.push_back(std::move(p));
  }
  if (out.empty() && !diags.has_errors()) diags.error({csv.name(), 0, 0, "", "the pair correlation file has no rows"});
  return out;
}

// The reader's warnings (a last line without a line ending, ...) as "file:line: message" lines.
void keep_warnings(const Diagnostics& diags, std::vector<std::string>* warnings) {
  if (warnings == nullptr) return;
  for (const auto& w : diags.warnings()) warnings->push_back(w.to_string());
}

template <class F>
auto read_all(std::unique_ptr<ByteSource> file, const char* what, F parse, std::vector<std::string>* warnings) {
  Diagnostics diags;
  const std::string name = file->name();
  auto out = parse(CsvReader::open(std::move(file), diags), diags);
  diags.throw_if_errors(fmt::format("invalid {} {}", what, name));
  keep_warnings(diags, warnings);
  return out;
}

template <class F>
auto parse_all(const std::string& text, const std::string& name, const char* what, F parse,
               std::vector<std::string>* warnings) {
  Diagnostics diags;
  auto out = parse(CsvReader::from_text(name, text, diags), diags);
  diags.throw_if_errors(fmt::format("invalid {} {}", what, name));
  keep_warnings(diags, warnings);
  return out;
}

constexpr const char* kRatings = "CLO rating marks";
constexpr const char* kMarks = "CLO price marks";
constexpr const char* kMigration = "rating migration matrix";
constexpr const char* kPairs = "obligor pair correlations";

clo::MigrationMatrix checked(clo::MigrationMatrix m) {
  clo::validate_migration(m);
  return m;
}

}  // namespace

std::vector<clo::RatingMark> read_clo_rating_marks(std::unique_ptr<ByteSource> file,
                                                   std::vector<std::string>* warnings) {
  return read_all(std::move(file), kRatings, rating_marks, warnings);
}
std::vector<clo::RatingMark> parse_clo_rating_marks(const std::string& text, const std::string& display_name,
                                                    std::vector<std::string>* warnings) {
  return parse_all(text, display_name, kRatings, rating_marks, warnings);
}
std::vector<clo::PriceMark> read_clo_price_marks(std::unique_ptr<ByteSource> file,
                                                 std::vector<std::string>* warnings) {
  return read_all(std::move(file), kMarks, price_marks, warnings);
}
std::vector<clo::PriceMark> parse_clo_price_marks(const std::string& text, const std::string& display_name,
                                                  std::vector<std::string>* warnings) {
  return parse_all(text, display_name, kMarks, price_marks, warnings);
}
clo::MigrationMatrix read_clo_migration_matrix(std::unique_ptr<ByteSource> file,
                                               std::vector<std::string>* warnings) {
  return checked(read_all(std::move(file), kMigration, migration, warnings));
}
clo::MigrationMatrix parse_clo_migration_matrix(const std::string& text, const std::string& display_name,
                                                std::vector<std::string>* warnings) {
  return checked(parse_all(text, display_name, kMigration, migration, warnings));
}
std::vector<clo::MonteCarloOptions::PairCorrelation> read_clo_pair_correlations(std::unique_ptr<ByteSource> file,
                                                                                std::vector<std::string>* warnings) {
  return read_all(std::move(file), kPairs, pairs, warnings);
}
std::vector<clo::MonteCarloOptions::PairCorrelation> parse_clo_pair_correlations(
    const std::string& text, const std::string& display_name, std::vector<std::string>* warnings) {
  return parse_all(text, display_name, kPairs, pairs, warnings);
}

}  // namespace keel::io
