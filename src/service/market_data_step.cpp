// The batch's market-data step and the ledger's split events from the store (keel/service/market_data.h).
#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "keel/core/error.h"
#include "keel/service/market_data.h"
#include "keel/store/ledger_repository.h"
#include "keel/store/market_data_repository.h"
#include "market_data_internal.h"

namespace keel::service {

using nlohmann::json;

MarketDataStepResult market_data_step(const Context& cx, const MarketDataStep& step,
                                      const std::vector<std::string>& portfolios, bool with_accounts) {
  const std::string& tenant = cx.actor.tenant;
  Store& store = require_store(cx, "the market-data step syncs into a store");
  MarketDataStepResult out;
  out.status = "n/a";
  if (step.provider.empty()) {
    out.reason = "no provider configured (keel batch run --market-data NAME, or KEEL_MARKET_DATA_PROVIDER)";
    return out;
  }
  FetchPricesRequest req;
  req.source.provider = step.provider;
  req.source.options = step.options;
  for (const auto& name : portfolios) {
    for (const auto& p : store.positions(tenant, name)) {
      if (p.type == InstrumentType::kCash || p.type == InstrumentType::kOther) continue;
      const std::string& s = p.price_symbol();
      if (!s.empty() && std::find(req.symbols.begin(), req.symbols.end(), s) == req.symbols.end()) req.symbols.push_back(s);
    }
  }
  if (with_accounts) {
    for (const auto& a : store.ledger().list_accounts(tenant)) {
      for (auto& s : detail::account_symbols(store, tenant, a.name)) {
        if (std::find(req.symbols.begin(), req.symbols.end(), s) == req.symbols.end()) req.symbols.push_back(s);
      }
    }
  }
  if (req.symbols.empty()) {
    out.reason = "no priced symbols held";
    return out;
  }
  return sync_prices(cx, req);
}

std::size_t add_store_splits(Store& store, std::vector<ledger::Transaction>& txs) {
  store::MarketDataRepository& repo = store.market_data();
  // First transaction date per (account, symbol), and the splits the ledger already has.
  std::map<std::pair<std::string, std::string>, Date> first;
  std::set<std::tuple<std::string, std::string, Date>> have;
  for (const auto& t : txs) {
    if (t.symbol.empty()) continue;
    auto key = std::make_pair(t.account, t.symbol);
    if (!first.count(key) || t.date < first[key]) first[key] = t.date;
    if (t.type == ledger::TxType::kSplit) have.insert({t.account, t.symbol, t.date});
  }
  std::size_t added = 0;
  std::map<std::string, std::vector<CorporateAction>> by_symbol;
  for (const auto& [key, since] : first) {
    const auto& [account, symbol] = key;
    if (!by_symbol.count(symbol)) by_symbol[symbol] = repo.actions(symbol);
    for (const auto& a : by_symbol[symbol]) {
      if (a.kind != ActionKind::kSplit || a.ex_date <= since || have.count({account, symbol, a.ex_date})) continue;
      // The ledger keeps ratios as integers new:old; providers give e.g. 7 or 1.5 or 0.1.
      ledger::SplitRatio r;
      const double x = a.split_ratio;
      bool exact = false;
      for (std::int64_t den = 1; den <= 1000 && !exact; ++den) {
        const double num = x * static_cast<double>(den);
        if (std::abs(num - std::round(num)) < 1e-9 * std::max(1.0, num) && std::round(num) >= 1) {
          r = {static_cast<std::int64_t>(std::round(num)), den};
          exact = true;
        }
      }
      if (!exact) {
        throw Error::invalid_input(fmt::format("stored split of {} on {} has ratio {:f}, not a ratio of whole numbers "
                                               "up to 1000",
                                               symbol, a.ex_date.to_string(), x));
      }
      ledger::Transaction t;
      t.date = a.ex_date;
      t.type = ledger::TxType::kSplit;
      t.account = account;
      t.symbol = symbol;
      t.split_ratio = r;
      t.note = "split from the store";
      t.source = "store";
      txs.push_back(std::move(t));
      ++added;
    }
  }
  // A split applies to the shares held at the open of its ex-date: before that day's other rows.
  std::stable_sort(txs.begin(), txs.end(), [](const auto& a, const auto& b) {
    const bool sa = a.source == "store" && a.type == ledger::TxType::kSplit;
    const bool sb = b.source == "store" && b.type == ledger::TxType::kSplit;
    return a.date < b.date || (a.date == b.date && sa && !sb);
  });
  return added;
}

}  // namespace keel::service
