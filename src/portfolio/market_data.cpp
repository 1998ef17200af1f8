#include "keel/portfolio/market_data.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace keel {

void PriceRows::reserve(std::size_t n) {
  symbol_index.reserve(n);
  date.reserve(n);
  close.reserve(n);
  adj_close.reserve(n);
  open.reserve(n);
  high.reserve(n);
  low.reserve(n);
  volume.reserve(n);
}

std::optional<std::size_t> PriceHistory::find(const std::string& symbol) const {
  auto it = std::find(symbols.begin(), symbols.end(), symbol);
  if (it == symbols.end()) return std::nullopt;
  return static_cast<std::size_t>(it - symbols.begin());
}

std::optional<std::size_t> FactorTable::find(const std::string& name) const {
  auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) return std::nullopt;
  return static_cast<std::size_t>(it - names.begin());
}

PriceHistory pivot_prices(const PriceRows& rows, const std::vector<std::string>& symbols, bool adjusted,
                          std::optional<Date> to) {
  std::unordered_map<std::string, std::size_t> wanted;
  for (std::size_t i = 0; i < symbols.size(); ++i) wanted.emplace(symbols[i], i);
  std::vector<long> column_of(rows.symbols.size(), -1);
  for (std::size_t i = 0; i < rows.symbols.size(); ++i) {
    auto it = wanted.find(rows.symbols[i]);
    if (it != wanted.end()) column_of[i] = static_cast<long>(it->second);
  }
  std::map<std::int32_t, std::vector<double>> by_date;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const long c = column_of[rows.symbol_index[r]];
    if (c < 0 || (to && rows.date[r] > *to)) continue;
    auto& row = by_date[rows.date[r].serial()];
    if (row.empty()) row.assign(symbols.size(), kMissing);
    const double adj = rows.adj_close[r];
    row[static_cast<std::size_t>(c)] = adjusted && !is_missing(adj) ? adj : rows.close[r];
  }
  PriceHistory h;
  h.symbols = symbols;
  for (auto& [serial, row] : by_date) {
    h.dates.push_back(Date::from_serial(serial));
    h.values.insert(h.values.end(), row.begin(), row.end());
  }
  return h;
}

}  // namespace keel
