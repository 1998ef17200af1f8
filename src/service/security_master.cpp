// fetch_symbols and list_symbols (keel/service/security_master.h).
#include "keel/service/security_master.h"

#include <fmt/format.h>

#include <algorithm>

#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "keel/marketdata/validate.h"
#include "keel/service/portfolio_view.h"
#include "market_data_internal.h"

namespace keel::service {

SymbolRecord symbol_record(const SymbolInfo& i) {
  return {i.symbol, i.name,       i.exchange, i.currency,   i.sector,    i.industry,
          i.market_cap, i.country, i.asset_type, i.source, i.fetched_at};
}

namespace {

// Whether a stored record is recent enough to skip: fetched on or after today - refresh_days.
bool fresh(const std::optional<SymbolInfo>& stored, Date today, int refresh_days) {
  if (!stored || stored->fetched_at.size() < 10) return false;
  const auto day = Date::parse(stored->fetched_at.substr(0, 10));
  return day && *day >= today.add_days(-refresh_days);
}

}  // namespace

FetchSymbolsRequest symbols_fetch_request(const Context& cx, const SymbolsFetchRequest& request,
                                          const MarketDataStep& server) {
  authorize(cx, kSymbolsFetchFromServer, "symbols");
  FetchSymbolsRequest out;
  out.source = server_source(server, server.provider);
  if (server.provider != "yahoo" && server.provider != "polygon") {
    throw Error(ErrorCode::kConflict, "this server's market-data provider " + server.provider +
                                          " has no reference data (sectors come from yahoo or polygon); import a "
                                          "sectors file instead");
  }
  if (request.symbols.empty() && !request.portfolio) {
    throw Error::invalid_input("nothing to fetch", {"symbols: expected symbols or a portfolio"});
  }
  out.symbols = request.symbols;
  if (request.portfolio) out.portfolio = resolve_portfolio(cx, *request.portfolio).name;
  out.refresh_days = request.refresh_days;
  out.full = request.full;
  out.from_server_provider = true;
  return out;
}

FetchSymbolsResult fetch_symbols(const Context& cx, const FetchSymbolsRequest& req) {
  authorize(cx, req.from_server_provider ? kSymbolsFetchFromServer : kSymbolsFetch, "symbols");
  Store& store = require_store(cx, "the fetched security master is stored (--db)");
  const auto symbols = detail::symbols_of(store, req.symbols, req.portfolio, cx.actor.tenant);
  auto provider = detail::open_provider(cx, cx.actor.tenant, req.source);
  if (!provider->capabilities().profile) {
    throw Error::usage(req.source.provider +
                       " does not serve the security master (providers with it: yahoo, polygon)");
  }
  if (req.refresh_days < 0) throw Error::usage("refresh_days: expected 0 or more days");
  const Date today = detail::utc_today(store.clock());
  const std::string now = store.clock().iso8601();

  FetchSymbolsResult out;
  out.provider = provider->name();
  out.offline = provider->offline();
  std::vector<SymbolInfo> write;
  std::vector<std::string> problems;
  std::optional<ErrorCode> code;
  for (const auto& sym : symbols) {
    FetchedSymbolInfo f;
    f.symbol = sym;
    const auto stored = store.symbol_info(sym);
    if (!req.full && fresh(stored, today, req.refresh_days)) {
      f.status = "up_to_date";
      f.record = symbol_record(*stored);
      ++out.up_to_date;
      out.symbols.push_back(std::move(f));
      continue;
    }
    try {
      SymbolInfo info = provider->profile(sym);
      const auto refused = marketdata::validate_profile(info, sym);
      if (!refused.empty()) {
        f.status = "failed";
        f.error = "the record was refused";
        f.errors = refused;
        for (const auto& r : refused) problems.push_back(sym + ": " + r);
        if (!code) code = ErrorCode::kInvalidInput;
      } else {
        info.symbol = sym;  // the requested spelling is the store's key
        // A provider without sectors (polygon) keeps the sector a file gave.
        if (info.sector.empty() && stored) info.sector = stored->sector;
        info.source = provider->name();
        info.fetched_at = now;
        f.status = "fetched";
        f.record = symbol_record(info);
        write.push_back(std::move(info));
      }
    } catch (const Error& e) {
      std::string msg = provider->redact(e.what());
      for (const auto& d : e.details()) msg += "; " + provider->redact(d);
      f.status = "failed";
      f.error = msg;
      problems.push_back(sym + ": " + msg);
      if (!code) code = e.code();
    }
    out.symbols.push_back(std::move(f));
  }
  if (!problems.empty()) {
    throw Error(code.value_or(ErrorCode::kInvalidInput),
                "fetch of the security master from " + req.source.provider + " failed; nothing was stored",
                problems);
  }
  if (!write.empty()) store.upsert_security_master(write);
  out.fetched = write.size();
  out.stats = detail::stats_of(*provider);
  audit(cx, kSymbolsFetch, "symbols",
        {{"provider", out.provider}, {"fetched", out.fetched}, {"up_to_date", out.up_to_date}});
  return out;
}

SymbolsList list_symbols(const Context& cx, const SymbolsListRequest& req) {
  Store& store = require_store(cx, "the security master is stored (--db)");
  SymbolsList out;
  for (const auto& i : store.list_symbol_info()) {
    if (!req.symbols.empty() &&
        std::none_of(req.symbols.begin(), req.symbols.end(), [&](const std::string& s) { return iequals(s, i.symbol); })) {
      continue;
    }
    if (req.sector && !iequals(*req.sector, i.sector)) continue;
    out.symbols.push_back(symbol_record(i));
  }
  out.total = out.symbols.size();
  return out;
}

}  // namespace keel::service
