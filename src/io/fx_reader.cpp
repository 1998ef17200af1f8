// FX rates reader: `date,base,quote,rate` (or a `pair` column), columns renamable.
#include <fmt/format.h>

#include <cmath>
#include <string>
#include <unordered_map>

#include "keel/core/error.h"
#include "keel/core/parse.h"
#include "keel/core/strings.h"
#include "keel/io/input.h"
#include "keel/io/readers.h"

namespace keel::io {
namespace {

// Index of the column named `name` (case-insensitive, trimmed), or -1.
int column_of(const CsvReader& csv, std::string_view name) {
  const auto& header = csv.header();
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (iequals(trim(header[i]), trim(name))) return static_cast<int>(i);
  }
  return -1;
}

// "EUR/USD", "EURUSD", "EUR.USD" or "EUR-USD" as (base, quote); nullopt for anything else.
std::optional<std::pair<std::string, std::string>> split_pair(std::string_view text) {
  std::string s = to_upper(text);
  if (s.size() == 7 && (s[3] == '/' || s[3] == '.' || s[3] == '-')) s.erase(3, 1);
  if (s.size() != 6) return std::nullopt;
  std::string base = s.substr(0, 3), quote = s.substr(3);
  if (!is_currency_code(base) || !is_currency_code(quote)) return std::nullopt;
  return std::pair{std::move(base), std::move(quote)};
}

}  // namespace

void apply_fx_column_spec(std::string_view spec, FxColumnNames& names) {
  std::size_t start = 0;
  while (start <= spec.size()) {
    const std::size_t end = std::min(spec.find(',', start), spec.size());
    const std::string_view entry = trim(spec.substr(start, end - start));
    start = end + 1;
    if (entry.empty()) continue;
    const auto eq = entry.find('=');
    if (eq == std::string_view::npos || trim(entry.substr(eq + 1)).empty()) {
      throw Error::usage(fmt::format("--columns: \"{}\" is not NAME=COLUMN (e.g. date=TIME_PERIOD)", entry));
    }
    const std::string key = to_lower(trim(entry.substr(0, eq)));
    std::string column(trim(entry.substr(eq + 1)));
    if (key == "date") names.date = std::move(column);
    else if (key == "base") names.base = std::move(column);
    else if (key == "quote") names.quote = std::move(column);
    else if (key == "rate") names.rate = std::move(column);
    else if (key == "pair") names.pair = std::move(column);
    else throw Error::usage(fmt::format("--columns: \"{}\" is not one of date, base, quote, rate, pair", key));
  }
}

FxRows read_fx(CsvReader& csv, const FxColumnNames& names, Diagnostics& diags) {
  FxRows out;
  const int c_date = column_of(csv, names.date), c_rate = column_of(csv, names.rate);
  const int c_base = column_of(csv, names.base), c_quote = column_of(csv, names.quote);
  const int c_pair = column_of(csv, names.pair);
  const bool by_pair = c_pair >= 0 && (c_base < 0 || c_quote < 0);
  auto missing = [&](const std::string& what) {
    diags.error({csv.name(), csv.header_line(), 0, "", fmt::format("missing column \"{}\"", what)});
  };
  if (c_date < 0) missing(names.date);
  if (c_rate < 0) missing(names.rate);
  if (!by_pair) {
    if (c_base < 0) missing(fmt::format("{}\" (or \"{}", names.base, names.pair));
    if (c_quote < 0) missing(names.quote);
  }
  if (diags.has_errors()) return out;

  CsvCells cells(csv, diags);
  // First line of each (date, base, quote), to name it when the key comes again.
  std::unordered_map<std::string, std::size_t> first_line;
  CsvRecord r;
  while (csv.next(r)) {
    const auto date = cells.date(r, c_date, true);
    std::string base, quote;
    if (by_pair) {
      const auto pair = split_pair(cells.text(r, c_pair));
      if (!pair) {
        cells.error(r, c_pair, fmt::format("{} is not a currency pair: expected BASE/QUOTE such as EUR/USD",
                                           shown(cells.text(r, c_pair))));
        continue;
      }
      std::tie(base, quote) = *pair;
    } else {
      base = to_upper(cells.text(r, c_base));
      quote = to_upper(cells.text(r, c_quote));
      bool ok = true;
      if (!is_currency_code(base)) {
        cells.error(r, c_base, fmt::format("{} is not a currency: expected a three-letter code such as EUR",
                                           shown(cells.text(r, c_base))));
        ok = false;
      }
      if (!is_currency_code(quote)) {
        cells.error(r, c_quote, fmt::format("{} is not a currency: expected a three-letter code such as USD",
                                            shown(cells.text(r, c_quote))));
        ok = false;
      }
      if (!ok) continue;
      if (base == quote) {
        cells.error(r, c_quote, fmt::format("quote {} is the base currency: a rate converts one currency into another",
                                            quote));
        continue;
      }
    }
    const auto rate = cells.number(r, c_rate, true);
    if (!date || !rate) continue;
    if (!std::isfinite(*rate) || *rate <= 0.0 || *rate > kMaxInputMagnitude) {
      cells.error(r, c_rate, fmt::format("{} is not a rate: expected a positive number of {} per {}",
                                         shown(cells.text(r, c_rate)), quote, base));
      continue;
    }
    const std::string key = fmt::format("{}{}{}", date->serial(), base, quote);
    const auto [it, fresh] = first_line.emplace(key, r.line);
    if (!fresh) {
      cells.error(r, c_date, fmt::format("a second {}/{} rate for {} (first given on line {})", base, quote,
                                     date->to_string(), it->second));
      continue;
    }
    out.add(*date, std::move(base), std::move(quote), *rate);
  }
  return out;
}

}  // namespace keel::io
