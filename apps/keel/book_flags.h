// apps/keel/book_flags.h: the flags that select and value a book for `keel options greeks` and
// `keel exposures` (--portfolio|--positions, --prices, --as-of, --rate, --div, --vol-window,
// --sectors), shared so both commands read them the same way.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "context.h"
#include "keel/options/historical_vol.h"
#include "keel/service/exposures.h"

namespace keel::cli {

struct BookFlags {
  std::string portfolio;
  std::string positions;
  std::string prices;
  std::string as_of;
  std::string sectors;
  std::string curve;
  std::string curve_type = "zero";
  std::string rate_units = "decimal";
  std::string curve_date;
  double rate = 0.0;
  double div = 0.0;
  std::size_t vol_window = options::kDefaultVolWindow;
  std::string american_engine = "alo";
};

void add_book_risk_flags(CLI::App* cmd, BookFlags& f);
// Loads and values the book; warnings and unvalued positions go to stderr.
service::PricedBook price_book_from_flags(Context& ctx, const BookFlags& f);

}  // namespace keel::cli
