// keel/portfolio/market_data.h: market data as columns (the shapes engines compute on).
//
// PriceRows is what a price file holds (long rows, used for import); PriceHistory is the
// dates x symbols matrix that engines read (row-major, NaN where a symbol has no price that day).
// FactorTable is dates x factors in decimal units. Plain data; thread-safe to read.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"

namespace keel {

inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();
inline bool is_missing(double x) { return std::isnan(x); }

// Long-form daily prices, one entry per (date, symbol). Optional fields hold kMissing.
struct PriceRows {
  std::vector<std::string> symbols;          // dictionary of distinct symbols
  std::vector<std::uint32_t> symbol_index;   // per row, into `symbols`
  std::vector<Date> date;
  std::vector<double> close;
  std::vector<double> adj_close;
  std::vector<double> open;
  std::vector<double> high;
  std::vector<double> low;
  std::vector<double> volume;

  std::size_t size() const { return date.size(); }
  void reserve(std::size_t n);
};

// Dates x symbols matrix, dates ascending, values row-major: value(t, s) = values[t * cols + s].
struct PriceHistory {
  std::vector<Date> dates;
  std::vector<std::string> symbols;
  std::vector<double> values;

  std::size_t rows() const { return dates.size(); }
  std::size_t cols() const { return symbols.size(); }
  double at(std::size_t t, std::size_t s) const { return values[t * symbols.size() + s]; }
  double& at(std::size_t t, std::size_t s) { return values[t * symbols.size() + s]; }
  // Column index of a symbol, or nullopt.
  std::optional<std::size_t> find(const std::string& symbol) const;
};

// Dates x factors matrix in decimal units (0.01 = 1%), dates ascending, row-major.
struct FactorTable {
  std::vector<Date> dates;
  std::vector<std::string> names;
  std::vector<double> values;

  std::size_t rows() const { return dates.size(); }
  std::size_t cols() const { return names.size(); }
  double at(std::size_t t, std::size_t f) const { return values[t * names.size() + f]; }
  std::optional<std::size_t> find(const std::string& name) const;
};

enum class CurveKind { kZero, kPar };

// A yield curve as quoted: tenors with rates in decimal (0.05 = 5%).
// Zero rates are continuously compounded act/365; par yields are bond-equivalent (semi-annual).
struct CurvePoint {
  std::string tenor;  // "1M", "10Y"
  double years = 0.0;
  double rate = 0.0;
};

struct CurveData {
  std::string name;
  std::optional<Date> as_of;
  CurveKind kind = CurveKind::kZero;
  std::string currency = "USD";
  std::vector<CurvePoint> points;  // ascending in years
};

// A corporate action on its ex-date. A split multiplies shares by `split_ratio` (new shares per
// old: 7 for 7-for-1, 0.1 for 1-for-10); a cash dividend pays `cash_amount` per share, in the
// same per-share basis as the close of the day before the ex-date.
enum class ActionKind { kSplit, kDividend };

struct CorporateAction {
  std::string symbol;
  Date ex_date;
  ActionKind kind = ActionKind::kSplit;
  double split_ratio = 1.0;  // kSplit only
  double cash_amount = 0.0;  // kDividend only, per share
  std::string currency = "USD";
};

// Pivots long rows into a dates x symbols history for `symbols` (in that order), using adjusted
// closes (falling back to the close) when `adjusted`, raw closes otherwise; dates after `to` are
// dropped. Dates are those where at least one requested symbol has a price.
PriceHistory pivot_prices(const PriceRows& rows, const std::vector<std::string>& symbols, bool adjusted,
                          std::optional<Date> to = std::nullopt);

}  // namespace keel
