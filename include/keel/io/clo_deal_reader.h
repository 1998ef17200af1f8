// keel/io/clo_deal_reader.h: the CLO deal file (JSON, docs/clo.md) into a keel::clo::Deal.
//
// The collateral is either inline (`"collateral": [{"obligor": .., "par": .., "rating": ..}, ..]`)
// or a path to a CSV file (`"collateral": "pool.csv"`, relative to the deal file), read with
// keel::io::CsvReader. Units in the file: rates, spreads, floors and coupons are decimals per year
// (0.035 = 350 bp); prices are in percent of par (98.5); fees carry their unit in the name
// (`senior_bps`, `fixed_per_year`). Every problem is reported with its JSON field path
// (`tranches[2].balance`, `collateral[7].rating`) or, for a CSV pool, file:line:column; nothing
// is returned unless the whole file is valid (the semantic checks of keel::clo::validate_deal
// included).
//
// Thread-safety: stateless functions.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "keel/clo/deal.h"
#include "keel/clo/projection.h"
#include "keel/clo/simulation.h"
#include "keel/clo/trade.h"
#include "keel/core/env.h"

namespace keel::io {

struct IndustryCorrelation {
  std::vector<std::string> industries;
  std::vector<std::vector<double>> matrix;  // asset correlations, unit-free
};

// The most payment periods a scenario vector may list (a 30-year monthly deal has 360).
inline constexpr std::size_t kMaxScenarioPeriods = 1200;

struct CloDealFile {
  clo::Deal deal;
  std::optional<clo::Scenario> scenario;  // the file's "scenario" block, when present
  // The deal's named scenario library ("scenarios"), in name order: constants or vectors by period.
  std::vector<std::pair<std::string, clo::Scenario>> scenarios;
  // The deal's asset correlations ("correlation": industry matrix and obligor pairs), which a Monte
  // Carlo uses when its request brings none.
  std::optional<IndustryCorrelation> industry_correlation;
  std::vector<clo::MonteCarloOptions::PairCorrelation> pair_correlation;
  std::vector<std::string> warnings;      // unknown fields, ignored
};

// Reads the deal at `path`, and the CSV files it names (collateral, reference curve), through
// `files`. Throws keel::Error: forbidden when `files` refuses paths; not_found when the file (or
// its collateral CSV) does not exist; invalid_input listing every problem otherwise.
CloDealFile read_clo_deal(const Files& files, const std::string& path);

// Parses deal JSON `text` (e.g. an HTTP body) reported as `display_name`; a collateral or
// reference-curve CSV path is resolved against `base_dir` and opened through `files` (none by
// default: a path named in a body is refused). Same errors as read_clo_deal.
CloDealFile parse_clo_deal(const std::string& text, const std::string& display_name,
                           const std::string& base_dir, const Files& files = no_files());

// Parses deal JSON `text` whose collateral is given apart (a stored deal, or a deal uploaded with
// its pool as a CSV): the document's own "collateral" member, if any, is ignored and `collateral`
// is the pool, checked with the rest (keel::clo::validate_deal). Same errors as read_clo_deal.
CloDealFile parse_clo_deal(const std::string& text, const std::string& display_name,
                           const std::vector<clo::Loan>& collateral, const Files& files = no_files());

// The loans of a collateral CSV given as text (docs/clo.md: obligor,par,maturity,rating required;
// industry,price,spread,floor,coupon_type,coupon,lien,defaulted optional), reported as
// `display_name`. Throws invalid_input listing every bad cell as display_name:LINE:COLUMN.
std::vector<clo::Loan> parse_clo_collateral_csv(const std::string& text, const std::string& display_name);

// A trade ticket (docs/clo.md): columns action (buy, sell, upsize, downsize) and price (percent of
// par), the loan traded as asset_id or obligor with par (a sell without par sells the whole loan),
// and for a buy the loan tape's columns of the loan bought. Every bad cell as NAME:LINE:COLUMN,
// nothing returned (Error::invalid_input).
std::vector<clo::Trade> parse_clo_trades_csv(const std::string& text, const std::string& display_name);

}  // namespace keel::io

namespace keel::io {

// An industry asset-correlation matrix as CSV: header `industry,<name 1>,...,<name n>`, then one
// row per industry in the same order (`<name i>,c_i1,...,c_in`). Checks: square, the row names
// match the header, numbers in [-1, 1]. Throws invalid_input (file:line:column); the reader's
// warnings (a cut last line, ...) go to `warnings` when given.
IndustryCorrelation read_industry_correlation(std::unique_ptr<ByteSource> file,
                                              std::vector<std::string>* warnings = nullptr);

}  // namespace keel::io
