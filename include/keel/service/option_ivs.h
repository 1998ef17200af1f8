// keel/service/option_ivs.h: `keel options iv FILE` — implied volatilities of a CSV of option
// quotes, European and American (docs/options.md, "Implied volatilities of a file"; the format in
// docs/formats.md, "Option quotes").
//
// The file is read whole and checked first: any bad cell fails the request with every problem at
// file:line:column, and nothing is computed. Valid rows then go through the batch solvers: the
// European rows through implied_vol_batch (vectorised Let's Be Rational), the American rows
// through american_implied_vol_batch (Brent's method on every row at once, each round one ALO
// batch). A valid quote whose price has no implied vol (outside the no-arbitrage bounds, or
// needing a vol outside [1e-4, 20] for an American option) is a row of the result with its status
// and the reason, not an error. The request and the result are described structs
// (keel/service/spec.h): the CLI flags and the JSON output come from their `fields`.
//
// Thread-safety: pure apart from reading the file and the Context's clock (the default as-of date).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/options/american.h"
#include "keel/portfolio/position.h"
#include "keel/service/context.h"
#include "keel/service/options.h"
#include "keel/service/spec.h"

namespace keel::service {

struct OptionIvsRequest {
  std::string file;              // the command's FILE (never an HTTP field)
  std::optional<Date> as_of;     // valuation date for rows with an expiry (default: today)
  double rate = 0.0;             // for rows without a rate
  double div = 0.0;              // for rows without a dividend_yield
  ExerciseStyle exercise = ExerciseStyle::kEuropean;  // for rows without an exercise
  options::AmericanEngine american_engine = options::kDefaultAmericanEngine;

  static constexpr const char* kSchemaName = "OptionIvsRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// One quote and its implied vol.
struct OptionIvRow {
  std::size_t line = 0;     // line of the row in the file
  std::string symbol;       // as given
  std::string option_type;  // call / put
  std::string exercise;     // european / american
  double spot = 0.0;
  double strike = 0.0;
  double years = 0.0;
  double price = 0.0;
  double rate = 0.0;
  double div = 0.0;
  spec::Nullable<double> implied_vol;
  std::string status;   // ok, invalid_input, below_lower_bound, above_upper_bound, outside_vol_range
  std::string problem;  // why there is no implied vol (empty when ok)

  static constexpr const char* kSchemaName = "OptionIvRow";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct OptionIvsResult {
  std::string file;
  std::string as_of;
  std::size_t solved = 0;       // rows with an implied vol
  std::size_t without_vol = 0;  // valid rows without one (status and problem say why)
  std::vector<OptionIvRow> rows;
  std::vector<std::string> warnings;  // the file's (a cut last line, ...): file:line: message

  static constexpr const char* kSchemaName = "OptionIvsResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Throws keel::Error: invalid_input listing every bad cell (file:line:column) or an expiry before
// the as-of date; not_found / io when the file cannot be read; forbidden where the Context allows
// no files.
OptionIvsResult implied_vols(const Context& cx, const OptionIvsRequest& request);

}  // namespace keel::service
