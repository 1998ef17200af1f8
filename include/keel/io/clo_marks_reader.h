// keel/io/clo_marks_reader.h: the dated files that move a CLO pool (docs/clo.md, "Ratings,
// prices and migration"): rating marks, price marks, an annual rating migration matrix and
// obligor pair correlations, all CSV.
//
//   ratings:    as_of,obligor,rating        (rating: Moody's Aaa .. C or S&P AAA .. C)
//   marks:      as_of,obligor,price         (price in percent of par, 98.5)
//   migration:  from,<rating 1>,...,<rating n> then one row per rating in the header's order,
//               annual probabilities (fractions) whose rows sum to 1
//   pairs:      obligor_a,obligor_b,correlation   (asset correlation in [-1, 1])
//
// Every bad cell is reported as FILE:LINE:COLUMN with what was expected, and nothing is returned
// unless the whole file is valid (a file with no rows is an error). The readers' warnings (the
// CSV reader's rules, docs/formats.md: a last line without a line ending, an unknown column) are
// appended to `warnings` as "file:line: message" when it is given.
//
// Thread-safety: stateless functions.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "keel/clo/migration.h"
#include "keel/clo/simulation.h"
#include "keel/io/input.h"

namespace keel::io {

// Throws invalid_input listing every problem (a rating not on either scale, a date not
// YYYY-MM-DD, the same obligor twice on one date, ...).
std::vector<clo::RatingMark> read_clo_rating_marks(std::unique_ptr<ByteSource> file,
                                                   std::vector<std::string>* warnings = nullptr);
std::vector<clo::RatingMark> parse_clo_rating_marks(const std::string& text, const std::string& display_name,
                                                    std::vector<std::string>* warnings = nullptr);

// Prices are converted to fractions of par (98.5 -> 0.985); a price must be positive.
std::vector<clo::PriceMark> read_clo_price_marks(std::unique_ptr<ByteSource> file,
                                                 std::vector<std::string>* warnings = nullptr);
std::vector<clo::PriceMark> parse_clo_price_marks(const std::string& text, const std::string& display_name,
                                                  std::vector<std::string>* warnings = nullptr);

// Checks the cells, the row order and each row's sum (within 1e-6), then
// keel::clo::validate_migration (a matrix with no real period power).
clo::MigrationMatrix read_clo_migration_matrix(std::unique_ptr<ByteSource> file,
                                               std::vector<std::string>* warnings = nullptr);
clo::MigrationMatrix parse_clo_migration_matrix(const std::string& text, const std::string& display_name,
                                                std::vector<std::string>* warnings = nullptr);

std::vector<clo::MonteCarloOptions::PairCorrelation> read_clo_pair_correlations(
    std::unique_ptr<ByteSource> file, std::vector<std::string>* warnings = nullptr);
std::vector<clo::MonteCarloOptions::PairCorrelation> parse_clo_pair_correlations(
    const std::string& text, const std::string& display_name, std::vector<std::string>* warnings = nullptr);

}  // namespace keel::io
