#include "price_order.h"

#include <algorithm>
#include <optional>
#include <unordered_map>

namespace keel::store {

PriceImportStats write_prices_in_key_order(const std::function<bool(PriceRows&)>& next_chunk,
                                           const ResolveSymbols& resolve,
                                           const std::function<void(const PriceRun&)>& write) {
  PriceImportStats stats;
  auto key_less = [](const PriceRef& a, const PriceRef& b) {
    return a.instrument != b.instrument ? a.instrument < b.instrument : a.date < b.date;
  };
  std::unordered_map<std::string, std::int64_t> ids;  // symbol -> instrument, for the whole import
  std::vector<PriceRows> held;  // chunks being written, or kept for the end; written ones are emptied
  std::vector<PriceRef> refs;   // the rows not written yet
  std::optional<PriceRef> last_written;
  bool deferring = false;
  std::vector<std::int64_t> sym_ids;
  std::vector<std::string> fresh;
  std::vector<std::uint32_t> fresh_index;
  PriceRows rows;
  while (next_chunk(rows)) {
    const auto chunk_no = static_cast<std::uint32_t>(held.size());
    const PriceRows& c = held.emplace_back(std::move(rows));
    rows = PriceRows();
    // The chunk's symbols that its rows use: known ones from the map, the others resolved at once.
    sym_ids.assign(c.symbols.size(), -1);
    std::vector<bool> used(c.symbols.size(), false);
    for (const std::uint32_t s : c.symbol_index) used[s] = true;
    fresh.clear();
    fresh_index.clear();
    for (std::uint32_t s = 0; s < c.symbols.size(); ++s) {
      if (!used[s]) continue;
      auto it = ids.find(c.symbols[s]);
      if (it != ids.end()) {
        sym_ids[s] = it->second;
      } else {
        fresh.push_back(c.symbols[s]);
        fresh_index.push_back(s);
      }
    }
    if (!fresh.empty()) {
      const std::vector<std::int64_t> got = resolve(fresh);
      for (std::size_t k = 0; k < fresh.size(); ++k) {
        sym_ids[fresh_index[k]] = got.at(k);
        ids.emplace(fresh[k], got[k]);
      }
    }
    const std::size_t first_ref = refs.size();
    for (std::size_t i = 0; i < c.size(); ++i) {
      const Date d = c.date[i];
      if (!stats.first_date || d < *stats.first_date) stats.first_date = d;
      if (!stats.last_date || d > *stats.last_date) stats.last_date = d;
      refs.push_back({sym_ids[c.symbol_index[i]], d.serial(), chunk_no, static_cast<std::uint32_t>(i)});
    }
    stats.rows += c.size();
    if (deferring) continue;
    const auto begin = refs.begin() + static_cast<std::ptrdiff_t>(first_ref);
    if (!std::is_sorted(begin, refs.end(), key_less)) std::stable_sort(begin, refs.end(), key_less);
    if (last_written && begin != refs.end() && !key_less(*last_written, *begin)) {
      deferring = true;
      continue;
    }
    write(PriceRun{refs, held, true});
    if (!refs.empty()) last_written = refs.back();
    refs.clear();
    held.back() = PriceRows();  // written: free it
  }
  if (!refs.empty()) {
    // The kept chunks: sorted whole (stable, so file order among equal keys), then written.
    std::stable_sort(refs.begin(), refs.end(), key_less);
    write(PriceRun{refs, held, !last_written || key_less(*last_written, refs.front())});
  }
  stats.symbols = ids.size();
  return stats;
}

}  // namespace keel::store
