// The descriptions of the requests and results of keel/service/option_ivs.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/option_ivs.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void OptionIvsRequest::fields(V& v, S& s) {
  v.field({.name = "file",
           .help = "CSV file: spot,price and option_type,strike,expiry|years or an OCC symbol",
           .faces = spec::kCli,
           .required = true,
           .cli_positional = true},
          s.file);
  v.field({.name = "as_of", .help = "Valuation date for rows with an expiry (default: today)"}, s.as_of);
  v.field({.name = "rate", .help = "Risk-free rate of rows without a rate column or cell",
           .unit = "continuous decimal, 0.05 = 5%", .min = -1, .max = 1},
          s.rate);
  v.field({.name = "div", .help = "Dividend yield of rows without a dividend_yield", .unit = "continuous decimal",
           .min = -1, .max = 1},
          s.div);
  v.choice({.name = "exercise", .help = "Exercise of rows without an exercise column or cell"}, s.exercise,
           kExerciseStyleNames);
  v.choice({.name = "american_engine",
            .help = "American rows: alo (Andersen-Lake-Offengenden fixed point) or baw (Barone-Adesi-Whaley "
                    "approximation)"},
           s.american_engine, kAmericanEngineNames);
}
KEEL_SPEC_REQUEST_FIELDS(OptionIvsRequest)

template <class V, class S>
void OptionIvRow::fields(V& v, S& s) {
  v.field({.name = "line", .help = "Line of the row in the file"}, s.line);
  v.field({.name = "symbol", .help = "The row's symbol, as given"}, s.symbol);
  v.field({.name = "option_type", .help = "call or put"}, s.option_type);
  v.field({.name = "exercise", .help = "european or american"}, s.exercise);
  v.field({.name = "spot", .unit = "price units"}, s.spot);
  v.field({.name = "strike", .unit = "price units"}, s.strike);
  v.field({.name = "years", .help = "Time to expiry", .unit = "years, act/365"}, s.years);
  v.field({.name = "price", .help = "The quoted option price", .unit = "price units"}, s.price);
  v.field({.name = "rate", .unit = "continuous decimal"}, s.rate);
  v.field({.name = "div", .help = "Dividend yield", .unit = "continuous decimal"}, s.div);
  v.field({.name = "implied_vol", .help = "The vol that reproduces price (null without one)",
           .unit = "annualised decimal"},
          s.implied_vol);
  v.field({.name = "status",
           .help = "ok, invalid_input, below_lower_bound, above_upper_bound or outside_vol_range"},
          s.status);
  v.field({.name = "problem", .help = "Why there is no implied vol (empty when ok)"}, s.problem);
}
KEEL_SPEC_FIELDS(OptionIvRow)

template <class V, class S>
void OptionIvsResult::fields(V& v, S& s) {
  v.field({.name = "file", .help = "The file read"}, s.file);
  v.field({.name = "as_of", .help = "Valuation date of rows with an expiry"}, s.as_of);
  v.field({.name = "solved", .help = "Rows with an implied vol"}, s.solved);
  v.field({.name = "without_vol", .help = "Rows without one (status and problem say why)"}, s.without_vol);
  v.field({.name = "rows", .help = "Every row of the file, in file order"}, s.rows);
  v.field({.name = "warnings", .help = "The file's warnings (a cut last line, ...), file:line: message"},
          s.warnings);
}
KEEL_SPEC_FIELDS(OptionIvsResult)

}  // namespace keel::service
