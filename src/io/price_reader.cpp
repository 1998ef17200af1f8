// Prices reader: long and wide layouts, validated, with duplicate detection.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <numeric>
#include <string>
#include <unordered_map>

#include "keel/core/memory.h"
#include "keel/core/parse.h"
#include "keel/io/readers.h"
#include "keel/io/input.h"

namespace keel::io {
namespace {

// Interns symbols. A file grouped by symbol repeats the last one; a file by date, then symbol,
// gives the symbols in the same order every day, so the one that followed the last symbol the
// time before is tried next: either way most rows need no hash lookup.
class SymbolDictionary {
 public:
  explicit SymbolDictionary(PriceRows& rows) : rows_(rows) {}
  // True when `s` is the symbol interned last or the one that followed it last time: a look
  // without hashing, for the rows of a file that repeats its symbols in one order.
  bool recent(std::string_view s) const {
    if (!has_last_) return false;
    if (s == rows_.symbols[last_]) return true;
    const std::uint32_t guess = follower_[last_];
    return guess != kNone && s == rows_.symbols[guess];
  }
  std::uint32_t intern(std::string_view s) {
    if (has_last_) {
      if (s == rows_.symbols[last_]) return last_;
      const std::uint32_t guess = follower_[last_];
      if (guess != kNone && s == rows_.symbols[guess]) return last_ = guess;
    }
    auto it = index_.find(s);
    if (it == index_.end()) {
      it = index_.emplace(std::string(s), static_cast<std::uint32_t>(rows_.symbols.size())).first;
      rows_.symbols.emplace_back(s);
      follower_.push_back(kNone);
    }
    if (has_last_) follower_[last_] = it->second;
    last_ = it->second;
    has_last_ = true;
    return last_;
  }

 private:
  static constexpr std::uint32_t kNone = ~std::uint32_t{0};
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  PriceRows& rows_;
  std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>> index_;
  std::vector<std::uint32_t> follower_;  // per symbol: the symbol that came after it last time
  std::uint32_t last_ = 0;
  bool has_last_ = false;
};

void push_row(PriceRows& rows, std::uint32_t sym, Date d, double close, double adj, double open,
              double high, double low, double volume) {
  rows.symbol_index.push_back(sym);
  rows.date.push_back(d);
  rows.close.push_back(close);
  rows.adj_close.push_back(adj);
  rows.open.push_back(open);
  rows.high.push_back(high);
  rows.low.push_back(low);
  rows.volume.push_back(volume);
}

bool same_value(double a, double b) { return (is_missing(a) && is_missing(b)) || a == b; }

// Finds every (symbol, date) given more than once. A repeat with the same prices (vendors
// re-send rows with a revised volume) is dropped with a warning; a repeat with different prices
// is an error naming both lines, since keel cannot know which one is right.
void check_duplicates(PriceRows& rows, const std::vector<std::uint32_t>& lines, const std::string& file,
                      Diagnostics& diags) {
  const std::size_t n = rows.size();
  // No repeat at all when each symbol's dates rise strictly in file order (a file by date, or by
  // symbol then date): one pass with the last date of each symbol, instead of ordering the rows.
  {
    std::vector<Date> last(rows.symbols.size());
    std::vector<char> seen(rows.symbols.size(), 0);
    bool rising = true;
    for (std::size_t i = 0; i < n && rising; ++i) {
      const std::uint32_t s = rows.symbol_index[i];
      rising = !seen[s] || last[s] < rows.date[i];
      seen[s] = 1;
      last[s] = rows.date[i];
    }
    if (rising) return;
  }
  auto less = [&](std::size_t a, std::size_t b) {
    if (rows.symbol_index[a] != rows.symbol_index[b]) return rows.symbol_index[a] < rows.symbol_index[b];
    if (rows.date[a] != rows.date[b]) return rows.date[a] < rows.date[b];
    return lines[a] < lines[b];
  };
  std::vector<std::uint32_t> order;
  bool sorted = true;
  for (std::size_t i = 1; i < n && sorted; ++i) sorted = less(i - 1, i);
  if (!sorted) {
    // The order of `less`: rows bucketed by symbol in file order (a counting sort; files are
    // often by date, then symbol), then each bucket sorted by date unless it already is.
    std::vector<std::uint32_t> start(rows.symbols.size() + 1, 0);
    for (std::size_t i = 0; i < n; ++i) ++start[rows.symbol_index[i] + 1];
    for (std::size_t s = 1; s < start.size(); ++s) start[s] += start[s - 1];
    order.resize(n);
    std::vector<std::uint32_t> next(start.begin(), start.end() - 1);
    for (std::size_t i = 0; i < n; ++i) order[next[rows.symbol_index[i]]++] = static_cast<std::uint32_t>(i);
    for (std::size_t s = 0; s + 1 < start.size(); ++s) {
      const auto first = order.begin() + start[s], last = order.begin() + start[s + 1];
      if (!std::is_sorted(first, last, less)) std::sort(first, last, less);
    }
  }
  auto at = [&](std::size_t k) -> std::size_t { return sorted ? k : order[k]; };
  std::vector<bool> drop;
  for (std::size_t k = 1; k < n; ++k) {
    const std::size_t b = at(k);
    std::size_t a = at(k - 1);
    if (rows.symbol_index[a] != rows.symbol_index[b] || rows.date[a] != rows.date[b]) continue;
    // Compare with the first row of this (symbol, date) run.
    std::size_t j = k - 1;
    while (j > 0 && rows.symbol_index[at(j - 1)] == rows.symbol_index[b] && rows.date[at(j - 1)] == rows.date[b]) --j;
    a = at(j);
    const std::string what = rows.symbols[rows.symbol_index[b]] + " on " + rows.date[b].to_string();
    const bool same = same_value(rows.close[a], rows.close[b]) && same_value(rows.adj_close[a], rows.adj_close[b]) &&
                      same_value(rows.open[a], rows.open[b]) && same_value(rows.high[a], rows.high[b]) &&
                      same_value(rows.low[a], rows.low[b]);
    if (same) {
      diags.warning(
          {file, lines[b], 0, "",
           fmt::format("repeated row for {} with the same prices (also on line {}): the later row is kept",
                       what, lines[a])});
      if (drop.empty()) drop.assign(n, false);
      drop[at(k - 1)] = true;
    } else {
      diags.error({file, lines[b], 0, "",
                   fmt::format("duplicate price for {} with different values (first given on line {})", what,
                               lines[a])});
    }
  }
  if (drop.empty()) return;
  std::size_t w = 0;
  for (std::size_t r = 0; r < n; ++r) {
    if (drop[r]) continue;
    rows.symbol_index[w] = rows.symbol_index[r];
    rows.date[w] = rows.date[r];
    rows.close[w] = rows.close[r];
    rows.adj_close[w] = rows.adj_close[r];
    rows.open[w] = rows.open[r];
    rows.high[w] = rows.high[r];
    rows.low[w] = rows.low[r];
    rows.volume[w] = rows.volume[r];
    ++w;
  }
  rows.symbol_index.resize(w);
  rows.date.resize(w);
  rows.close.resize(w);
  rows.adj_close.resize(w);
  rows.open.resize(w);
  rows.high.resize(w);
  rows.low.resize(w);
  rows.volume.resize(w);
}

double positive_or_missing(const CsvCells& cells, const CsvRecord& r, int col, bool required,
                           const char* what) {
  auto v = cells.number(r, col, required);
  if (!v) return kMissing;
  if (*v > kMaxPrice) {
    cells.error(r, col, std::string(what) + " " + shown(cells.text(r, col)) + " is out of range (at most 1e9)");
    return kMissing;
  }
  if (*v <= 0) {
    cells.error(r, col, std::string(what) + " must be positive, got " + shown_with(cells.text(r, col), 64, '\0'));
    return kMissing;
  }
  return *v;
}

// The digits of a number cell in its common form: digits, optionally '.' and more digits, 15 digits
// in all at most, nothing else (no sign, blank or exponent). Its value is m / 10^fraction, computed
// as CsvCells::number computes it (one correctly rounded division), so the same double.
struct PlainDigits {
  std::uint64_t m = 0;
  std::size_t int_digits = 0;
  std::size_t fraction = 0;

  double value() const {
    static constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                        1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    return static_cast<double>(m) / kPow10[fraction];
  }
};

bool plain_digits(std::string_view s, PlainDigits& out) {
  const char* p = s.data();
  const char* const end = p + s.size();
  std::uint64_t m = 0;
  const char* const int_start = p;
  while (p < end && static_cast<unsigned>(*p - '0') < 10u) {
    m = 10 * m + static_cast<std::uint64_t>(*p++ - '0');
  }
  out.int_digits = static_cast<std::size_t>(p - int_start);
  if (out.int_digits == 0) return false;
  out.fraction = 0;
  if (p < end && *p == '.') {
    const char* const frac_start = ++p;
    while (p < end && static_cast<unsigned>(*p - '0') < 10u) {
      m = 10 * m + static_cast<std::uint64_t>(*p++ - '0');
    }
    out.fraction = static_cast<std::size_t>(p - frac_start);
    if (out.fraction == 0) return false;
  }
  out.m = m;
  return p == end && out.int_digits + out.fraction <= 15;
}

// A price cell that needs no check but its form: plain digits (above), at most 9 before the point
// (so below kMaxPrice, 1e9) and not zero (so positive). Every other cell — empty, signed, padded,
// zero, too large, not plain — gives false and goes through positive_or_missing, whose checks and
// messages are the reader's; a cell accepted here is one they accept, with the same value.
bool fast_price(const CsvRecord& r, int col, double& out) {
  PlainDigits d;
  if (col < 0 || !plain_digits(r[static_cast<std::size_t>(col)], d)) return false;
  if (d.int_digits > 9 || d.m == 0) return false;
  out = d.value();
  return true;
}

// The same for volume: plain digits are a number, never negative, below the 1e15 input bound.
bool fast_volume(const CsvRecord& r, int col, double& out) {
  PlainDigits d;
  if (col < 0 || !plain_digits(r[static_cast<std::size_t>(col)], d)) return false;
  out = d.value();
  return true;
}

// Reserves room for `n` rows; columns of several MB are filled front to back, one page fault per
// 2 MiB instead of per 4 KiB.
void reserve_rows(PriceRows& rows, std::size_t n) {
  rows.reserve(n);
  auto advise = [](const auto& v) { advise_huge_pages(v.data(), v.capacity() * sizeof(v[0])); };
  advise(rows.symbol_index);
  advise(rows.date);
  advise(rows.close);
  advise(rows.adj_close);
  advise(rows.open);
  advise(rows.high);
  advise(rows.low);
  advise(rows.volume);
}

// Hands rows [from, rows.size()) to `on_chunk` as one chunk (with the dictionary so far).
void emit_chunk(const PriceRows& rows, std::size_t& from, const PriceChunkFn& on_chunk) {
  if (!on_chunk || from == rows.size()) return;
  PriceRows c;
  c.symbols = rows.symbols;
  auto slice = [&](const auto& v) { return std::vector(v.begin() + static_cast<long>(from), v.end()); };
  c.symbol_index = slice(rows.symbol_index);
  c.date = slice(rows.date);
  c.close = slice(rows.close);
  c.adj_close = slice(rows.adj_close);
  c.open = slice(rows.open);
  c.high = slice(rows.high);
  c.low = slice(rows.low);
  c.volume = slice(rows.volume);
  from = rows.size();
  on_chunk(std::move(c));
}

PriceRows read_long(CsvReader& csv, Diagnostics& diags, const PriceChunkFn& on_chunk, std::size_t chunk_rows) {
  CsvColumns cols(csv, {"date", "symbol", "close"}, {"adj_close", "open", "high", "low", "volume"}, diags);
  PriceRows rows;
  if (diags.has_errors()) return rows;
  const int c_date = cols.index("date"), c_sym = cols.index("symbol"), c_close = cols.index("close"),
            c_adj = cols.index("adj_close"), c_open = cols.index("open"), c_high = cols.index("high"),
            c_low = cols.index("low"), c_vol = cols.index("volume");
  CsvCells cells(csv, diags);
  SymbolDictionary dict(rows);
  std::vector<std::uint32_t> lines;
  std::size_t emitted = 0;
  reserve_rows(rows, csv.estimated_records());
  lines.reserve(csv.estimated_records());
  CsvRecord r;
  while (csv.next(r)) {
    const std::size_t errors_before = diags.error_count();
    auto d = cells.date(r, c_date, true);
    std::string_view sym = cells.text(r, c_sym);
    if (dict.recent(sym)) {
      // A symbol of the rows just before (interned, so checked when it first came).
    } else if (sym.empty()) {
      cells.error(r, c_sym, "missing value: expected a ticker symbol");
    } else if (!is_valid_ticker(sym) && !OccSymbol::parse(sym)) {
      cells.error(r, c_sym, shown(sym) +
                                " is not a ticker (1-12 of A-Z 0-9 . - ^ / =, upper case) or an OCC option symbol");
    }
    // Most cells are plain positive decimals: those skip the general checks (fast_price). A column
    // the file does not have is missing in every row.
    auto price = [&](int col, bool required, const char* what) {
      double v;
      if (col < 0 && !required) return kMissing;
      return fast_price(r, col, v) ? v : positive_or_missing(cells, r, col, required, what);
    };
    const double close = price(c_close, true, "close");
    const double adj = price(c_adj, false, "adj_close");
    const double open = price(c_open, false, "open");
    const double high = price(c_high, false, "high");
    const double low = price(c_low, false, "low");
    double volume = kMissing;
    if (c_vol >= 0 && !fast_volume(r, c_vol, volume)) {
      if (auto v = cells.number(r, c_vol, false)) {
        if (*v < 0) cells.error(r, c_vol, "volume must not be negative");
        else volume = *v;
      }
    }
    if (diags.error_count() != errors_before) continue;
    push_row(rows, dict.intern(sym), *d, close, adj, open, high, low, volume);
    lines.push_back(static_cast<std::uint32_t>(r.line));
    if (rows.size() - emitted >= chunk_rows) emit_chunk(rows, emitted, on_chunk);
  }
  emit_chunk(rows, emitted, on_chunk);
  check_duplicates(rows, lines, csv.name(), diags);
  return rows;
}

PriceRows read_wide(CsvReader& csv, Diagnostics& diags, const PriceChunkFn& on_chunk, std::size_t chunk_rows) {
  PriceRows rows;
  const auto& header = csv.header();
  CsvColumns cols(csv, {"date"}, {}, diags, /*warn_unknown=*/false);
  const int c_date = cols.index("date");
  std::vector<std::pair<int, std::uint32_t>> symbol_cols;
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (static_cast<int>(i) == c_date) continue;
    const std::string& sym = header[i];
    if (!is_valid_ticker(sym)) {
      diags.error({csv.name(), csv.header_line(), i + 1, "",
                   "column " + shown(sym) + " is not a ticker symbol (wide price files are date,<SYM1>,<SYM2>,...)"});
      continue;
    }
    symbol_cols.emplace_back(static_cast<int>(i), static_cast<std::uint32_t>(rows.symbols.size()));
    rows.symbols.push_back(sym);
  }
  if (symbol_cols.empty() && !diags.has_errors()) {
    diags.error({csv.name(), csv.header_line(), 0, "", "no symbol columns: expected date,<SYM1>,<SYM2>,... or date,symbol,close"});
  }
  if (diags.has_errors()) return rows;
  CsvCells cells(csv, diags);
  std::unordered_map<std::int32_t, std::size_t> seen_dates;
  std::vector<std::uint32_t> lines;
  std::size_t emitted = 0;
  CsvRecord r;
  while (csv.next(r)) {
    auto d = cells.date(r, c_date, true);
    if (d) {
      auto [it, fresh] = seen_dates.emplace(d->serial(), r.line);
      if (!fresh) {
        cells.error(r, c_date,
                    fmt::format("duplicate date {} (first given on line {})", d->to_string(), it->second));
        continue;
      }
    }
    for (auto [col, sym] : symbol_cols) {
      if (cells.empty(r, col)) continue;  // no price that day
      const double close = positive_or_missing(cells, r, col, false, "price");
      if (!d || is_missing(close)) continue;
      push_row(rows, sym, *d, close, kMissing, kMissing, kMissing, kMissing, kMissing);
      lines.push_back(static_cast<std::uint32_t>(r.line));
    }
    if (rows.size() - emitted >= chunk_rows) emit_chunk(rows, emitted, on_chunk);
  }
  emit_chunk(rows, emitted, on_chunk);
  return rows;
}

}  // namespace

bool is_valid_ticker(std::string_view s) {
  if (s.empty() || s.size() > 12) return false;
  const unsigned char first = static_cast<unsigned char>(s.front());
  if (!(std::isupper(first) || std::isdigit(first) || first == '^')) return false;
  for (char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (!(std::isupper(c) || std::isdigit(c) || c == '.' || c == '-' || c == '^' || c == '/' || c == '=')) {
      return false;
    }
  }
  return true;
}

PriceRows read_prices(CsvReader& csv, Diagnostics& diags, const PriceChunkFn& on_chunk, std::size_t chunk_rows) {
  if (csv.header().empty()) return {};
  CsvColumns probe(csv, {}, {}, diags, /*warn_unknown=*/false);
  if (probe.has("symbol")) return read_long(csv, diags, on_chunk, chunk_rows);
  return read_wide(csv, diags, on_chunk, chunk_rows);
}

}  // namespace keel::io
