// keel/io/construct_reader.h: the inputs of portfolio construction read from files: investor views
// for Black-Litterman (`keel optimize --views FILE`) and group bounds (`--group-bounds FILE`).
//
// Views, CSV with the header view,return,confidence (docs/construction.md):
//   view,return,confidence
//   AAPL,0.10,0.6              absolute: AAPL returns 10% a year
//   AAPL - MSFT,0.02,0.5       relative: AAPL outperforms MSFT by 2% a year
//   AAPL + GOOG - MSFT,0.01,0.3   a basket: the plain names of each side share +1 and -1 equally
//   0.3 AAPL + 0.7 GOOG - MSFT,0.01,0.3   explicit coefficients are kept as written
// or JSON, the same rows as objects: [{"view": "AAPL - MSFT", "return": 0.02, "confidence": 0.5}]
// (or {"views": [...]}). `return` is an annual decimal, `confidence` in [0, 1]. Every symbol must
// be one of `universe` (the book's). Problems are reported with file:line:column (CSV) or the file
// and the JSON path (views[2].confidence), every one of them, and nothing is returned then.
//
// Group bounds, CSV kind,name,lower,upper: kind sector, tag, currency or symbols (name then lists
// the symbols, separated by spaces); lower and upper are fractions of the portfolio's value, one
// of them may be empty (no bound).
//
// Symbol weights, CSV symbol,weight (the benchmark weights of `keel optimize --benchmark FILE`, the
// target of `keel rebalance --target FILE`): a symbol as keel/io/readers.h symbol_problem accepts
// it, given once; a finite weight, a fraction of the portfolio.
//
// Thread-safety: stateless functions.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "keel/core/diagnostics.h"

namespace keel::io {

struct ViewRow {
  std::string expression;                              // as written, trimmed
  std::vector<std::pair<std::string, double>> terms;   // symbol and coefficient
  double annual_return = 0.0;
  double confidence = 0.0;
};

// One view expression: symbols joined by + and -, each optionally preceded by a coefficient.
// On failure returns nullopt with `error` set and `offset` the 0-based byte where it went wrong.
std::optional<std::vector<std::pair<std::string, double>>> parse_view_expression(std::string_view text,
                                                                                  std::string& error,
                                                                                  std::size_t& offset);

// The views of `text` (CSV or JSON, told apart by the first non-blank character) named
// `display_name` in messages.
std::vector<ViewRow> parse_views(std::string_view text, const std::string& display_name,
                                 const std::vector<std::string>& universe, Diagnostics& diags);

struct GroupBoundRow {
  std::string kind;  // sector, tag, currency, symbols
  std::string name;
  std::optional<double> lower, upper;
  std::size_t line = 0;
};

std::vector<GroupBoundRow> parse_group_bounds(std::string_view text, const std::string& display_name,
                                              Diagnostics& diags);

// Every problem in `diags` (file:line:column), and then nothing returned; the CSV rules' warnings
// (a cut last line, ...) in `diags` too.
std::map<std::string, double> parse_symbol_weights(std::string_view text, const std::string& display_name,
                                                   Diagnostics& diags);

}  // namespace keel::io
