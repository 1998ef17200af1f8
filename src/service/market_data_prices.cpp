// fetch_prices / sync_prices: incremental, validated, all-or-nothing price sync (keel/service/market_data.h).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <map>
#include <set>
#include <string_view>

#include <fmt/format.h>

#include "keel/core/error.h"
#include "keel/core/parse.h"
#include "keel/core/strings.h"
#include "keel/io/readers.h"
#include "keel/ledger/booking.h"
#include "keel/net/outbound.h"
#include "keel/service/ledger_accounts.h"
#include "keel/service/market_data.h"
#include "keel/service/portfolio_view.h"
#include "keel/service/secrets.h"
#include "keel/store/assistant_repository.h"
#include "keel/store/ledger_repository.h"
#include "keel/store/market_data_repository.h"
#include "market_data_internal.h"

namespace keel::service {
namespace {

namespace md = keel::marketdata;

Date next_day(Date d) { return Date::from_serial(d.serial() + 1); }
Date prev_day(Date d) { return Date::from_serial(d.serial() - 1); }

struct Range {
  Date from, to;
};

// The ranges of from..to outside the coverage, stretched to touch it so that coverage stays one
// interval; ranges without an exchange business day are dropped.
std::vector<Range> missing_ranges(Date from, Date to, const std::optional<store::Coverage>& cov, const std::string& calendar) {
  std::vector<Range> out;
  if (!cov) {
    out.push_back({from, to});
  } else {
    if (from < cov->from) out.push_back({from, std::max(from, prev_day(cov->from))});
    if (to > cov->to) out.push_back({std::min(to, next_day(cov->to)), to});
  }
  std::erase_if(out, [&](const Range& r) {
    return r.from > r.to || (calendar != "none" && md::exchange_business_days(r.from, r.to, calendar).empty());
  });
  return out;
}

struct SymbolOutcome {
  std::string symbol;
  std::vector<Range> requested;
  md::PriceSeries series;
  std::vector<CorporateAction> new_actions;
  md::ValidationReport validation;
  std::optional<Error> error;
  store::BarsToStore bars;
  std::optional<store::BarsToStore> readjusted;
  std::size_t new_bars = 0;
};

// Every priced symbol of a stored portfolio, in position order, without duplicates.
std::vector<std::string> held_symbols(Store& store, const std::string& tenant, const std::string& portfolio) {
  std::vector<std::string> out;
  for (const auto& p : store.positions(tenant, portfolio)) {
    if (p.type == InstrumentType::kCash || p.type == InstrumentType::kOther) continue;
    const std::string& s = p.price_symbol();
    if (!s.empty() && std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  }
  return out;
}

// The calendars of the gap checks.
void check_calendar(const std::string& calendar) {
  if (calendar != "NYSE" && calendar != "NASDAQ" && calendar != "none") {
    throw Error::usage("calendar: expected NYSE, NASDAQ or none, got \"" + calendar + "\"");
  }
}

}  // namespace

namespace detail {

// Every symbol a ledger account holds in open lots (its rows booked), in symbol order.
std::vector<std::string> account_symbols(Store& store, const std::string& tenant, const std::string& account) {
  const auto a = store.ledger().find_account(tenant, account);
  if (!a) return {};
  ledger::BookOptions options;
  options.accounts[a->name] = {a->method, a->allow_short};
  options.keep_realized = false;
  std::set<std::string> held;
  try {
    const auto b = ledger::book(store.ledger().transactions(tenant, account), options);
    for (const auto& lot : b.open_lots) {
      if (!lot.quantity.is_zero()) held.insert(b.key(lot).symbol);
    }
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kInvalidInput) throw;
    // A ledger that does not book (a repair under way): every symbol it names.
    for (const auto& t : store.ledger().transactions(tenant, account)) {
      if (!t.symbol.empty()) held.insert(t.symbol);
    }
  }
  return {held.begin(), held.end()};
}

Date utc_today(const Clock& clock) {
  const std::time_t t = static_cast<std::time_t>(clock.unix_seconds());
  std::tm tm{};
  gmtime_r(&t, &tm);
  return Date::from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

std::vector<MarketDataFinding> findings_of(const std::vector<md::Finding>& fs) {
  std::vector<MarketDataFinding> out;
  out.reserve(fs.size());
  for (const auto& f : fs) out.push_back({f.symbol, f.date, f.kind, f.message});
  return out;
}

ProviderStats stats_of(const md::Provider& p) {
  const auto& s = p.http_stats();
  return {s.requests, s.retries, s.bytes, p.cache_reads(), s.waited_ms};
}

std::unique_ptr<md::Provider> open_provider(const Context& cx, const std::string& tenant,
                                            const MarketDataSource& source) {
  md::ProviderOptions options = source.provider_options();
  const std::string key_name = md::api_key_name(source.provider);
  options.http.outbound = cx.outbound;
  options.clock = &cx.env.clock;
  // The host an operator configured (keel serve's KEEL_MARKET_DATA_BASE_URL, the command's
  // --base-url; never a request body) is theirs to allow: a vendor emulator on loopback.
  if (!options.base_url.empty()) options.http.outbound.allowed_hosts.push_back(net::host_for_policy(options.base_url));
  // The hosts the tenant's administrator listed (the assistant policy's allowed_hosts) are allowed
  // too, private or not; unlike the assistant's requests, market data is not limited to them.
  if (options.http.outbound.enforce && cx.store != nullptr) {
    if (const auto policy = cx.store->assistant().policy(tenant)) {
      auto& allowed = options.http.outbound.allowed_hosts;
      allowed.insert(allowed.end(), policy->allowed_hosts.begin(), policy->allowed_hosts.end());
    }
  }
  options.http.outbound.on_refused = [&cx, tenant](const Error& e) {
    audit_outbound_refusal(cx, tenant, "market-data", e);
  };
  if (options.api_key.empty() && !key_name.empty() && cx.secrets != nullptr && !options.offline) {
    const std::string destination = options.base_url.empty() ? md::default_base_url(source.provider) : options.base_url;
    try {
      if (auto key = cx.secrets->get_for(tenant, key_name, destination)) {
        options.api_key = std::move(key->value);
        options.http.secret_origins = std::move(key->origins);
        options.http.key_name = key_name;
      }
    } catch (const Error& e) {
      audit_outbound_refusal(cx, tenant, "key/" + key_name, e);
      throw;
    }
  }
  return md::make_provider(source.provider, std::move(options));
}

}  // namespace detail

namespace {

// The whole run; `outcome_error` is set (and nothing stored) when any symbol failed.
FetchPricesResult run_prices(const Context& cx, const FetchPricesRequest& req,
                             std::optional<Error>& outcome_error) {
  Store& store = require_store(cx, "fetched prices are stored (--db)");
  check_calendar(req.validation.calendar);
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::string> symbols = req.symbols;
  auto take = [&symbols](const std::vector<std::string>& more) {
    for (const auto& s : more) {
      if (std::find(symbols.begin(), symbols.end(), s) == symbols.end()) symbols.push_back(s);
    }
  };
  if (req.portfolio) {
    if (!store.find_portfolio(cx.actor.tenant, *req.portfolio)) throw Error::not_found("no portfolio named \"" + *req.portfolio + "\"");
    take(held_symbols(store, cx.actor.tenant, *req.portfolio));
  }
  if (req.account) {
    if (!store.ledger().find_account(cx.actor.tenant, *req.account)) {
      throw Error::not_found("no ledger account named \"" + *req.account + "\"");
    }
    take(detail::account_symbols(store, cx.actor.tenant, *req.account));
  }
  if (req.all_holdings) {
    for (const auto& p : store.list_portfolios(cx.actor.tenant)) take(held_symbols(store, cx.actor.tenant, p.name));
    for (const auto& a : store.ledger().list_accounts(cx.actor.tenant)) take(detail::account_symbols(store, cx.actor.tenant, a.name));
  }
  if (symbols.empty()) {
    throw Error::usage(req.account || req.all_holdings || req.portfolio
                           ? "no symbols to fetch: nothing is held"
                           : "no symbols to fetch (--symbols A,B, --portfolio NAME, --account NAME or --all-holdings)");
  }
  auto provider = detail::open_provider(cx, cx.actor.tenant, req.source);
  if (!provider->capabilities().prices) {
    throw Error::usage(req.source.provider + " does not serve prices (providers with prices: yahoo, stooq, polygon)");
  }
  const bool provider_actions = req.with_actions && provider->capabilities().actions && req.source.provider != "yahoo";
  const Date today = req.today.value_or(detail::utc_today(store.clock()));
  const Date to = std::min(req.to.value_or(today), today);
  if (req.from && *req.from > to) throw Error::invalid_input("--from " + req.from->to_string() + " is after --to " + to.to_string());
  // Today's bar is not final until the close: coverage stops the day before.
  const Date covered_to = to < today ? to : prev_day(today);

  store::MarketDataRepository& repo = store.market_data();
  std::vector<SymbolOutcome> outcomes;
  std::optional<Error> unreachable;  // once the host cannot be reached, the other symbols are not tried
  for (std::size_t k = 0; k < symbols.size(); ++k) {
    const std::string& sym = symbols[k];
    if (req.progress) req.progress(sym, k, symbols.size());
    SymbolOutcome o;
    o.symbol = sym;
    if (unreachable) {
      o.error = Error(unreachable->code(), std::string("not tried: ") + unreachable->what());
      outcomes.push_back(std::move(o));
      continue;
    }
    try {
      const auto cov = req.full ? std::nullopt : repo.coverage("prices", sym);
      Date from = to;
      if (req.from) {
        from = *req.from;
      } else if (cov) {
        from = cov->from;
      } else if (auto last = store.latest_price(sym, std::nullopt)) {
        from = std::min(to, next_day(last->date));
      } else {
        from = to.add_years(-5);
      }
      o.requested = missing_ranges(from, to, cov, req.validation.calendar);
      std::vector<md::PriceSeries> parts;
      for (const auto& r : o.requested) {
        parts.push_back(provider->prices(sym, r.from, r.to));
        if (provider_actions) {
          auto acts = provider->actions(sym, r.from, r.to);
          parts.back().actions.insert(parts.back().actions.end(), acts.begin(), acts.end());
        }
      }
      if (!parts.empty()) {
        md::PriceSeries s = std::move(parts.front());
        for (std::size_t i = 1; i < parts.size(); ++i) {
          // Ranges are disjoint: concatenating keeps duplicates within one response for validation.
          auto& p = parts[i];
          s.date.insert(s.date.end(), p.date.begin(), p.date.end());
          for (auto [dst, src] : {std::pair{&s.open, &p.open}, {&s.high, &p.high}, {&s.low, &p.low}, {&s.close, &p.close},
                                  {&s.adj_close, &p.adj_close}, {&s.volume, &p.volume}}) {
            dst->insert(dst->end(), src->begin(), src->end());
          }
          s.actions.insert(s.actions.end(), p.actions.begin(), p.actions.end());
          s.skipped.insert(s.skipped.end(), p.skipped.begin(), p.skipped.end());
        }
        if (parts.size() > 1) {
          std::vector<std::size_t> order(s.size());
          for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
          std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return s.date[a] < s.date[b]; });
          md::PriceSeries sorted = s;
          for (std::size_t i = 0; i < order.size(); ++i) {
            sorted.date[i] = s.date[order[i]];
            sorted.open[i] = s.open[order[i]];
            sorted.high[i] = s.high[order[i]];
            sorted.low[i] = s.low[order[i]];
            sorted.close[i] = s.close[order[i]];
            sorted.adj_close[i] = s.adj_close[order[i]];
            sorted.volume[i] = s.volume[order[i]];
          }
          s = std::move(sorted);
        }
        o.series = std::move(s);
      }
      o.series.symbol = sym;
      // Actions: the stored ones, then the response's (which win an ex-date).
      std::vector<CorporateAction> all = repo.actions(sym);
      for (auto& a : o.series.actions) {
        a.symbol = sym;
        std::erase_if(all, [&](const CorporateAction& b) { return b.ex_date == a.ex_date && b.kind == a.kind; });
        all.push_back(a);
        o.new_actions.push_back(a);
      }
      std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.ex_date < b.ex_date; });
      o.validation = md::validate_series(o.series, all, req.validation);

      o.bars.symbol = sym;
      o.bars.date = o.series.date;
      o.bars.open = o.series.open;
      o.bars.high = o.series.high;
      o.bars.low = o.series.low;
      o.bars.close = o.series.close;
      o.bars.volume = o.series.volume;
      o.bars.adj_close = o.series.adj_close;
      if (!o.series.has_adj_close && o.validation.errors.empty()) {
        // Raw closes only: adjusted closes over the whole stored history plus the new bars.
        auto [dates, closes] = repo.closes(sym);
        std::map<Date, double> merged;
        for (std::size_t i = 0; i < dates.size(); ++i) merged[dates[i]] = closes[i];
        for (std::size_t i = 0; i < o.series.size(); ++i) merged[o.series.date[i]] = o.series.close[i];
        std::vector<Date> md_dates;
        std::vector<double> md_close;
        for (const auto& [d, c] : merged) {
          md_dates.push_back(d);
          md_close.push_back(c);
        }
        const auto adj = md::adjusted_closes(md_dates, md_close, all, o.series.close_split_adjusted);
        std::map<Date, double> adj_of;
        for (std::size_t i = 0; i < md_dates.size(); ++i) adj_of[md_dates[i]] = adj[i];
        for (std::size_t i = 0; i < o.bars.date.size(); ++i) o.bars.adj_close[i] = adj_of[o.bars.date[i]];
        store::BarsToStore old;
        old.symbol = sym;
        const std::set<Date> fresh(o.series.date.begin(), o.series.date.end());
        for (const Date d : dates) {
          if (!fresh.count(d)) {
            old.date.push_back(d);
            old.adj_close.push_back(adj_of[d]);
          }
        }
        if (!old.date.empty() && !o.new_actions.empty()) o.readjusted = std::move(old);
      }
      {
        const auto stored = repo.closes(sym).first;
        for (const Date d : o.series.date) {
          if (!std::binary_search(stored.begin(), stored.end(), d)) ++o.new_bars;
        }
      }
    } catch (const Error& e) {
      o.error = Error(e.code(), provider->redact(e.what()), e.details());
      if (e.code() == ErrorCode::kInternal && std::string_view(e.what()).find(": cannot reach ") != std::string_view::npos) {
        unreachable = o.error;
      }
    } catch (const std::exception& e) {
      o.error = Error::internal(provider->redact(std::string(sym) + ": " + e.what()));
    }
    outcomes.push_back(std::move(o));
  }
  if (req.progress) req.progress("", symbols.size(), symbols.size());

  FetchPricesResult report;
  std::vector<std::string> problems;
  std::optional<ErrorCode> first_code;
  std::size_t failed = 0;
  store::MarketDataWrite write;
  write.source = req.source.provider;
  for (auto& o : outcomes) {
    FetchedSymbol item;
    item.symbol = o.symbol;
    for (const auto& r : o.requested) item.requested.push_back({r.from, r.to});
    if (o.error) {
      item.status = "failed";
      std::string msg = o.error->what();
      for (const auto& d : o.error->details()) msg += "; " + d;
      item.error = msg;
      problems.push_back(o.symbol + ": " + msg);
      if (!first_code) first_code = o.error->code();
      ++failed;
      report.symbols.push_back(std::move(item));
      continue;
    }
    const bool invalid = !o.validation.errors.empty();
    if (invalid) {
      item.status = "failed";
      item.errors = detail::findings_of(o.validation.errors);
      for (const auto& f : o.validation.errors) problems.push_back(f.symbol + " " + f.date + ": " + f.kind + ": " + f.message);
      if (!first_code) first_code = ErrorCode::kInvalidInput;
      ++failed;
    } else {
      item.status = o.requested.empty() ? "up_to_date" : "fetched";
    }
    item.bars = o.series.size();
    item.new_bars = o.new_bars;
    item.actions = o.new_actions.size();
    item.skipped = o.series.skipped;
    item.flags = o.validation.flags.size();
    if (o.validation.splits_explaining_jumps)
      item.jumps_explained_by_splits = o.validation.splits_explaining_jumps;
    report.fetched_bars += o.series.size();
    report.skipped += o.series.skipped.size();
    report.flagged += o.validation.flags.size();
    for (auto& f : detail::findings_of(o.validation.flags)) report.flags.push_back(std::move(f));
    report.symbols.push_back(std::move(item));
    if (!o.requested.empty() && !invalid) {
      write.bars.push_back(std::move(o.bars));
      write.actions.insert(write.actions.end(), o.new_actions.begin(), o.new_actions.end());
      if (o.readjusted) write.adjusted_only.push_back(std::move(*o.readjusted));
      const auto cov = req.full ? std::nullopt : repo.coverage("prices", o.symbol);
      Date cf = o.requested.front().from;
      Date ct = std::max(o.requested.back().to, cf);
      if (cov) {
        cf = std::min(cf, cov->from);
        ct = std::max(ct, cov->to);
      }
      write.coverage.push_back({"prices", o.symbol, req.source.provider, cf, std::min(ct, std::max(cf, covered_to)), ""});
    }
  }
  report.failed = failed;
  if (failed < report.symbols.size()) {
    // The symbols that came back valid are stored; each failed one is said (nothing of it stored).
    repo.save_fetch(write);
    report.stored = true;
    for (const auto& s : report.symbols) {
      if (s.status != "failed") continue;
      std::string why = s.error.value_or("");
      if (s.errors) {
        for (const auto& f : *s.errors) why += (why.empty() ? "" : "; ") + f.date + ": " + f.kind + ": " + f.message;
      }
      report.warnings.push_back(fmt::format("{}: not stored: {}", s.symbol, why));
    }
  } else {
    outcome_error = Error(*first_code,
                          fmt::format("fetch from {} failed for {} of {} symbols; nothing was stored",
                                      req.source.provider, failed, report.symbols.size()),
                          problems);
  }
  report.provider = req.source.provider;
  report.offline = req.source.options.offline;
  report.to = to;
  report.elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  report.stats = detail::stats_of(*provider);
  return report;
}

}  // namespace

FetchPricesResult fetch_prices(const Context& cx, const FetchPricesRequest& request) {
  authorize(cx, kPricesFetch, "prices");
  std::optional<Error> failed;
  FetchPricesResult report = run_prices(cx, request, failed);
  if (failed) throw *failed;
  std::size_t new_bars = 0;
  for (const auto& s : report.symbols) new_bars += s.new_bars.value_or(0);
  audit(cx, kPricesFetch, "prices",
        {{"provider", report.provider},
         {"symbols", report.symbols.size()},
         {"failed", report.failed},
         {"new_bars", new_bars}});
  return report;
}

FetchPricesRequest prices_fetch_request(const Context& cx, const PricesFetchRequest& request,
                                        const MarketDataStep& server) {
  authorize(cx, kPricesFetch, "prices");
  FetchPricesRequest out;
  out.source = server_source(server, server.provider);
  if (request.symbols.empty() && !request.portfolio && !request.account && !request.all_holdings) {
    throw Error::invalid_input("nothing to fetch",
                               {"symbols: expected symbols, a portfolio, an account or all_holdings: true"});
  }
  for (std::size_t i = 0; i < request.symbols.size(); ++i) {
    std::string symbol = to_upper(trim(request.symbols[i]));
    if (auto problem = io::symbol_problem(symbol)) {
      throw Error::invalid_input("a symbol keel cannot fetch", {fmt::format("symbols[{}]: {}", i, *problem)});
    }
    out.symbols.push_back(std::move(symbol));
  }
  if (request.portfolio) out.portfolio = resolve_portfolio(cx, *request.portfolio).name;
  if (request.account) out.account = resolve_account(cx, *request.account).name;
  out.all_holdings = request.all_holdings;
  out.from = request.from;
  out.to = request.to;
  out.full = request.full;
  return out;
}

MarketDataStepResult sync_prices(const Context& cx, const FetchPricesRequest& request) {
  std::optional<Error> failed;
  MarketDataStepResult out;
  try {
    FetchPricesResult report = run_prices(cx, request, failed);
    if (failed) {
      std::string reason = failed->what();
      for (const auto& d : failed->details()) reason += "; " + d;
      out.status = "failed";
      out.reason = reason;
      out.report = std::move(report);
      return out;
    }
    out.status = "ok";
    out.message = fmt::format("{} bars of {} symbols from {}, {} requests, {} flagged", report.fetched_bars,
                              report.symbols.size(), request.source.provider, report.stats.requests,
                              report.flagged);
    if (report.failed > 0) {
      std::string failed_symbols;
      for (const auto& s : report.symbols) {
        if (s.status == "failed") failed_symbols += (failed_symbols.empty() ? "" : ", ") + s.symbol;
      }
      *out.message += fmt::format("; {} not stored (failed: {})", report.failed, failed_symbols);
    }
    out.report = std::move(report);
    return out;
  } catch (const Error& e) {
    std::string reason = e.what();
    for (const auto& d : e.details()) reason += "; " + d;
    out.status = "failed";
    out.reason = reason;
    return out;
  }
}

}  // namespace keel::service
