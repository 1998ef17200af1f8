#include "keel/service/fx_fetch.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "keel/portfolio/fx.h"
#include "keel/service/fx.h"
#include "keel/service/portfolio_view.h"
#include "keel/store/fx_repository.h"
#include "market_data_internal.h"

namespace keel::service {

FetchFxResult fetch_fx(const Context& cx, const FetchFxRequest& req) {
  authorize(cx, req.from_server_provider ? kFxFetchFromServer : kFxFetch, "fx");
  Store& store = require_store(cx, "fetched FX rates are stored (--db)");
  auto provider = detail::open_provider(cx, cx.actor.tenant, req.source);
  if (!provider->capabilities().fx) {
    throw Error::usage(req.source.provider + " does not serve FX rates (providers with FX rates: ecb, fred)");
  }
  const std::vector<std::string> currencies =
      req.currencies.empty() ? provider->default_fx_currencies() : req.currencies;
  const Date to = req.to.value_or(detail::utc_today(store.clock()));
  const Date first_default = req.from.value_or(to.add_days(-365));

  // What is stored of each currency's pairs (either direction, against any currency: the pair
  // the provider quotes is known only from its answer, so the latest of the currency's pairs
  // decides where it continues).
  std::map<std::string, Date> stored;  // "BASE/QUOTE" -> last stored date
  for (const auto& p : store.fx().pairs()) stored[fmt::format("{}/{}", p.base, p.quote)] = p.last;
  const std::string home = req.source.provider == "ecb" ? "EUR" : "USD";
  // The stored pair of `c` with the provider's currency (either direction) and its last date.
  auto stored_pair = [&](const std::string& c) -> std::optional<std::pair<std::string, Date>> {
    std::optional<std::pair<std::string, Date>> out;
    for (const auto& key : {fmt::format("{}/{}", home, c), fmt::format("{}/{}", c, home)}) {
      if (auto it = stored.find(key); it != stored.end() && (!out || it->second > out->second)) out = *it;
    }
    return out;
  };
  auto last_stored = [&](const std::string& c) -> std::optional<Date> {
    const auto p = stored_pair(c);
    return p ? std::optional<Date>(p->second) : std::nullopt;
  };
  Date from = to.add_days(1);
  for (const auto& c : currencies) {
    const auto last = last_stored(c);
    const Date start = req.full || !last ? first_default : std::max(first_default, last->add_days(1));
    from = std::min(from, start);
  }

  FetchFxResult out;
  out.provider = provider->name();
  out.from = from;
  out.to = to;
  if (from > to) {
    out.status = "up_to_date";
    for (const auto& c : currencies) {
      FetchedFxPair p;
      const auto sp = stored_pair(c);
      p.pair = sp ? sp->first : fmt::format("{}/{}", home, c);
      if (sp) p.stored_until.emplace(sp->second);
      out.pairs.push_back(std::move(p));
    }
    out.stats = detail::stats_of(*provider);
    return out;
  }
  const FxRows rows = provider->fx_rates(currencies, from, to);
  // The checks of a rates file: codes, positive finite rates, one rate per pair and date.
  const FxRates table(rows);
  for (const auto& pair : table.pairs()) {
    FetchedFxPair p;
    p.pair = fmt::format("{}/{}", pair.base, pair.quote);
    if (auto it = stored.find(p.pair); it != stored.end()) p.stored_until.emplace(it->second);
    p.rates = pair.dates.size();
    if (!pair.dates.empty()) {
      p.first.emplace(pair.dates.front());
      p.last.emplace(pair.dates.back());
    }
    out.pairs.push_back(std::move(p));
  }
  if (rows.size() > 0) {
    store.transaction([&] {
      check_stored_inverses(store, rows, provider->name());
      store.fx().upsert(rows);
    });
  }
  out.rates = rows.size();
  out.status = rows.size() > 0 ? "fetched" : "no_new_data";
  out.stats = detail::stats_of(*provider);
  audit(cx, req.from_server_provider ? kFxFetchFromServer : kFxFetch, "fx",
        {{"provider", out.provider}, {"rates", out.rates}, {"from", from.to_string()}, {"to", to.to_string()}});
  return out;
}

FetchFxRequest fx_fetch_request(const Context& cx, const FxFetchRequest& request, const MarketDataStep& server) {
  authorize(cx, kFxFetchFromServer, "fx");
  std::vector<std::string> problems;
  for (std::size_t i = 0; i < request.currencies.size(); ++i) {
    if (auto p = currency_problem(fmt::format("currencies[{}]", i), request.currencies[i]); !p.empty()) {
      problems.push_back(std::move(p));
    }
  }
  if (request.currencies.empty() && !request.portfolio) {
    problems.push_back("currencies: expected currencies or a portfolio");
  }
  if (!problems.empty()) throw Error::invalid_input("invalid FX fetch", problems);
  FetchFxRequest out;
  out.source = server_source(server, "ecb");
  out.from = request.from;
  out.full = request.full;
  out.from_server_provider = true;
  std::set<std::string> wanted(request.currencies.begin(), request.currencies.end());
  if (request.portfolio) {
    const PortfolioSummary p = resolve_portfolio(cx, *request.portfolio);
    std::set<std::string> needed{p.base_currency};
    for (const Position& pos : require_store(cx, "a stored portfolio is read").positions(cx.actor.tenant, p.name)) {
      if (!pos.currency.empty()) needed.insert(pos.currency);
    }
    // One currency needs no rate; several convert through the euro.
    if (needed.size() > 1) wanted.insert(needed.begin(), needed.end());
  }
  wanted.erase("EUR");
  if (wanted.empty()) {
    throw Error::invalid_input("nothing to fetch",
                               {request.portfolio ? "portfolio: its positions and reporting currency need no rate"
                                                  : "currencies: the ECB quotes every currency against EUR"});
  }
  out.currencies.assign(wanted.begin(), wanted.end());
  return out;
}

}  // namespace keel::service
