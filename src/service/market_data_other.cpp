// fetch_actions, fetch_curve, fetch_factors (keel/service/market_data.h).
#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "keel/service/market_data.h"
#include "keel/store/market_data_repository.h"
#include "market_data_internal.h"

namespace keel::service {
namespace {

namespace md = keel::marketdata;

FetchedAction action_of(const CorporateAction& a) {
  FetchedAction out;
  out.symbol = a.symbol;
  out.ex_date = a.ex_date;
  out.currency = a.currency;
  if (a.kind == ActionKind::kSplit) {
    out.kind = "split";
    out.split_ratio = a.split_ratio;
  } else {
    out.kind = "dividend";
    out.cash_amount = a.cash_amount;
  }
  return out;
}

}  // namespace

namespace detail {

std::vector<std::string> symbols_of(Store& store, const std::vector<std::string>& given,
                                    const std::optional<std::string>& portfolio, const std::string& tenant) {
  std::vector<std::string> out = given;
  if (portfolio) {
    if (!store.find_portfolio(tenant, *portfolio)) throw Error::not_found("no portfolio named \"" + *portfolio + "\"");
    for (const auto& p : store.positions(tenant, *portfolio)) {
      if (p.type == InstrumentType::kCash || p.type == InstrumentType::kOther) continue;
      if (!p.price_symbol().empty() && std::find(out.begin(), out.end(), p.price_symbol()) == out.end()) {
        out.push_back(p.price_symbol());
      }
    }
  }
  if (out.empty()) throw Error::usage("no symbols (--symbols A,B or --portfolio NAME)");
  return out;
}

}  // namespace detail

md::ProviderOptions MarketDataSource::provider_options() const {
  if (no_cache && options.offline) throw Error::usage("offline reads the cache: it cannot go with no_cache");
  md::ProviderOptions o = options;
  if (no_cache) o.cache_dir.clear();
  o.http.total_timeout_ms = std::lround(timeout_s * 1000);
  o.http.connect_timeout_ms = std::lround(connect_timeout_s * 1000);
  return o;
}

FetchActionsResult fetch_actions(const Context& cx, const FetchActionsRequest& req) {
  Store& store = require_store(cx, "fetched actions are stored (--db)");
  const auto symbols = detail::symbols_of(store, req.symbols, req.portfolio, cx.actor.tenant);
  auto provider = detail::open_provider(cx, cx.actor.tenant, req.source);
  if (!provider->capabilities().actions) {
    throw Error::usage(req.source.provider + " does not serve corporate actions (providers with actions: yahoo, polygon)");
  }
  const Date to = req.to.value_or(detail::utc_today(store.clock()));
  const Date from = req.from.value_or(Date::from_ymd(1970, 1, 1));
  if (from > to) throw Error::invalid_input("--from " + from.to_string() + " is after --to " + to.to_string());
  store::MarketDataRepository& repo = store.market_data();
  store::MarketDataWrite write;
  write.source = req.source.provider;
  std::vector<std::string> problems;
  std::optional<ErrorCode> code;
  FetchActionsResult out;
  for (const auto& sym : symbols) {
    try {
      auto acts = provider->actions(sym, from, to);
      for (auto& a : acts) {
        a.symbol = sym;
        if (a.kind == ActionKind::kSplit && !(a.split_ratio > 0 && std::isfinite(a.split_ratio))) {
          problems.push_back(sym + " " + a.ex_date.to_string() + ": split ratio must be positive");
        }
        if (a.kind == ActionKind::kDividend && !(a.cash_amount >= 0 && std::isfinite(a.cash_amount))) {
          problems.push_back(sym + " " + a.ex_date.to_string() + ": dividend must be >= 0");
        }
        out.actions.push_back(action_of(a));
        write.actions.push_back(a);
      }
    } catch (const Error& e) {
      std::string msg = provider->redact(e.what());
      for (const auto& d : e.details()) msg += "; " + d;
      problems.push_back(sym + ": " + msg);
      if (!code) code = e.code();
    }
  }
  if (!problems.empty()) {
    throw Error(code.value_or(ErrorCode::kInvalidInput), "fetch of actions from " + req.source.provider + " failed; nothing was stored", problems);
  }
  // Symbols whose stored closes are raw get their adjusted closes recomputed with the new actions.
  for (const auto& sym : symbols) {
    const auto cov = repo.coverage("prices", sym);
    if (!cov || cov->provider != "polygon") continue;
    auto [dates, closes] = repo.closes(sym);
    if (dates.empty()) continue;
    std::vector<CorporateAction> all = repo.actions(sym);
    for (const auto& a : write.actions) {
      if (a.symbol != sym) continue;
      std::erase_if(all, [&](const CorporateAction& b) { return b.ex_date == a.ex_date && b.kind == a.kind; });
      all.push_back(a);
    }
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.ex_date < b.ex_date; });
    store::BarsToStore b;
    b.symbol = sym;
    b.date = dates;
    b.adj_close = md::adjusted_closes(dates, closes, all, false);
    write.adjusted_only.push_back(std::move(b));
    out.recomputed.push_back(sym);
  }
  repo.save_fetch(write);
  out.provider = req.source.provider;
  out.from = from;
  out.to = to;
  out.stored = write.actions.size();
  out.stats = detail::stats_of(*provider);
  return out;
}

FetchCurveResult fetch_curve(const Context& cx, const FetchCurveRequest& req) {
  authorize(cx, kCurveFetch, "curve/" + req.name);
  Store& store = require_store(cx, "fetched curves are stored (--db)");
  auto provider = detail::open_provider(cx, cx.actor.tenant, req.source);
  if (!provider->capabilities().curve) {
    throw Error::usage(req.source.provider + " does not serve yield curves (providers with curves: treasury, fred)");
  }
  const Date to = req.to.value_or(detail::utc_today(store.clock()));
  Date from = to.add_days(-30);
  if (req.from) {
    from = *req.from;
  } else {
    std::optional<Date> last;
    for (const auto& c : store.list_curves()) {
      if (c.name == req.name && c.as_of && (!last || *c.as_of > *last)) last = c.as_of;
    }
    if (last) from = last->add_days(1);
  }
  FetchCurveResult out;
  out.provider = req.source.provider;
  out.name = req.name;
  out.from = from;
  out.to = to;
  if (from > to) {
    out.status = "up_to_date";
    out.stats = detail::stats_of(*provider);
    return out;
  }
  auto curves = provider->curves(from, to);
  std::vector<std::string> problems;
  for (auto& c : curves) {
    c.name = req.name;
    for (const auto& p : c.points) {
      if (!(p.rate >= -0.05 && p.rate <= 0.30)) {
        problems.push_back(
            fmt::format("{} {}: yield {:f}% is outside -5%..30%", c.as_of->to_string(), p.tenor, p.rate * 100));
      }
    }
  }
  if (!problems.empty()) throw Error::invalid_input("curve from " + req.source.provider + " refused; nothing was stored", problems);
  // Every curve passed the checks above; all of them are saved in one transaction.
  store.transaction([&] {
    for (const auto& c : curves) store.save_curve(c);
  });
  for (const auto& c : curves) out.dates.push_back(*c.as_of);
  out.curves = curves.size();
  out.status = curves.empty() ? "no_new_data" : "fetched";
  out.stats = detail::stats_of(*provider);
  audit(cx, kCurveFetch, "curve/" + req.name,
        {{"provider", out.provider}, {"curves", out.curves}, {"from", from.to_string()}, {"to", to.to_string()}});
  return out;
}

namespace {

// The dataset's problem ("" when it is one of French's daily datasets the provider reads).
std::string dataset_problem(const std::string& dataset) {
  if (dataset == "ff5" || dataset == "ff3" || dataset == "mom") return "";
  return "dataset: expected ff5, ff3 or mom, got " + shown_with(dataset, 40, '"');
}

}  // namespace

FetchFactorsRequest factors_fetch_request(const Context& cx, const FactorsFetchRequest& request,
                                          const MarketDataStep& server) {
  authorize(cx, kFactorsFetchFromServer, "factors");
  std::vector<std::string> problems;
  if (auto p = dataset_problem(request.dataset); !p.empty()) problems.push_back(std::move(p));
  if (!request.set.empty()) {
    if (auto p = spec::name_problem(request.set, 100); !p.empty()) problems.push_back("set: " + p);
  }
  if (!problems.empty()) throw Error::invalid_input("invalid factors fetch", problems);
  FetchFactorsRequest out;
  out.source = server_source(server, "french");
  out.dataset = request.dataset;
  out.set = request.set;
  out.from_server_provider = true;
  return out;
}

FetchFactorsResult fetch_factors(const Context& cx, const FetchFactorsRequest& req) {
  const std::string set = req.set.empty() ? req.dataset : req.set;
  authorize(cx, req.from_server_provider ? kFactorsFetchFromServer : kFactorsFetch, "factors/" + set);
  Store& store = require_store(cx, "fetched factors are stored (--db)");
  if (auto p = dataset_problem(req.dataset); !p.empty()) throw Error::usage(p);
  auto provider = detail::open_provider(cx, cx.actor.tenant, req.source);
  if (!provider->capabilities().factors) {
    throw Error::usage(req.source.provider + " does not serve factors (provider with factors: french)");
  }
  const Date to = req.to.value_or(detail::utc_today(store.clock()));
  Date from = Date::from_ymd(1900, 1, 1);
  if (req.from) {
    from = *req.from;
  } else {
    const FactorTable stored = store.factors(set, std::nullopt, std::nullopt);
    if (stored.rows() > 0) from = stored.dates.back().add_days(1);
  }
  FactorTable t = from <= to ? provider->factors(req.dataset, from, to) : FactorTable{};
  std::vector<std::string> problems;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    for (std::size_t f = 0; f < t.cols(); ++f) {
      if (!(std::fabs(t.at(r, f)) < 0.5)) {
        problems.push_back(fmt::format("{} {}: daily return {:f} is not a plausible decimal return",
                                       t.dates[r].to_string(), t.names[f], t.at(r, f)));
      }
    }
  }
  if (!problems.empty()) throw Error::invalid_input("factors from " + req.source.provider + " refused; nothing was stored", problems);
  if (t.rows() > 0) store.upsert_factors(set, t);
  FetchFactorsResult out;
  out.provider = req.source.provider;
  out.dataset = req.dataset;
  out.set = set;
  out.rows = t.rows();
  if (t.rows() > 0) {
    out.first.emplace(t.dates.front());
    out.last.emplace(t.dates.back());
  }
  out.factors = t.names;
  out.status = t.rows() ? "fetched" : "up_to_date";
  out.stats = detail::stats_of(*provider);
  audit(cx, req.from_server_provider ? kFactorsFetchFromServer : kFactorsFetch, "factors/" + set,
        {{"provider", out.provider}, {"dataset", out.dataset}, {"rows", out.rows}});
  return out;
}

MarketDataSource server_source(const MarketDataStep& server, const std::string& provider) {
  if (server.provider.empty()) {
    throw Error(ErrorCode::kConflict,
                "this server fetches no market data: its operator names a provider with KEEL_MARKET_DATA_PROVIDER");
  }
  MarketDataSource out = provider_source(provider);
  out.options = server.options;
  if (const auto it = server.base_urls.find(provider); it != server.base_urls.end()) {
    out.options.base_url = it->second;
  } else if (provider != server.provider) {
    out.options.base_url.clear();  // the vendor's public host
  }
  if (provider != server.provider) out.options.api_key.clear();
  return out;
}

}  // namespace keel::service
