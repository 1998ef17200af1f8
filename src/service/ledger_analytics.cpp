// Ledger use cases that need prices or a broker statement: holdings, performance, reconcile,
// income.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_set>

#include <fmt/format.h>

#include "keel/core/diagnostics.h"
#include "keel/core/error.h"
#include "keel/core/release.h"
#include "keel/io/csv.h"
#include "keel/ledger/benchmark.h"
#include "keel/ledger/income.h"
#include "keel/io/broker_positions.h"
#include "keel/ledger/reconcile.h"
#include "keel/ledger/valuation.h"
#include "keel/risk/stage_profile.h"
#include "keel/service/imports.h"
#include "keel/service/ledger_holdings.h"
#include "keel/service/ledger_income.h"
#include "keel/core/strings.h"
#include "broker_files.h"
#include "ledger_internal.h"
#include "ledger_performance_detail.h"

namespace keel::service {

using ledger::Decimal;
using ledger_detail::selected;

namespace {

// A holding's last close and its date, as holdings and income report them (null: no price).
void set_quote(const std::optional<ledger::Quote>& q, spec::Nullable<ledger::Decimal>& price,
               spec::Nullable<std::string>& price_date) {
  if (!q) return;
  price.emplace(q->price);
  price_date.emplace(q->date.to_string());
}

spec::Nullable<ledger::Decimal> nullable(const std::optional<Decimal>& d) {
  spec::Nullable<ledger::Decimal> out;
  if (d) out.emplace(*d);
  return out;
}

spec::Nullable<std::string> date_or_null(const std::optional<Date>& d) {
  spec::Nullable<std::string> out;
  if (d) out.emplace(d->to_string());
  return out;
}

std::vector<AllocationSliceResult> slices_of(const std::vector<ledger::AllocationSlice>& s) {
  std::vector<AllocationSliceResult> out;
  for (const auto& x : s) out.push_back({x.key, x.market_value, x.weight});
  return out;
}

std::vector<PeriodGrowthResult> growth_of(const std::vector<ledger::PeriodGrowth>& g) {
  std::vector<PeriodGrowthResult> out;
  for (const auto& p : g) {
    out.push_back({p.period, p.start.to_string(), p.end.to_string(), p.start_value, p.end_value, p.flows, p.twr});
  }
  return out;
}

}  // namespace

namespace ledger_detail {

LedgerPrices::LedgerPrices(Store* store, const LedgerSource& source, std::vector<std::string>& warnings,
                           const Files& files)
    : store_(store) {
  if (source.prices_file || source.prices_text) {
    const InputFile input = source.prices_text ? InputFile{"prices", source.prices_text}
                                               : InputFile{*source.prices_file, std::nullopt};
    const PriceRows rows = read_prices_file(input, &warnings, files);
    // Gathered by the reader's symbol index, then moved into the map: one string lookup per
    // symbol, not per row.
    std::vector<std::vector<std::pair<Date, double>>> by_index(rows.symbols.size());
    std::vector<std::size_t> count(rows.symbols.size(), 0);
    for (const std::uint32_t k : rows.symbol_index) ++count[k];
    for (std::size_t k = 0; k < count.size(); ++k) by_index[k].reserve(count[k]);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      by_index[rows.symbol_index[i]].push_back({rows.date[i], rows.close[i]});
    }
    for (std::size_t k = 0; k < by_index.size(); ++k) {
      auto& s = by_index[k];
      auto by_date = [](auto& a, auto& b) { return a.first < b.first; };
      if (!std::is_sorted(s.begin(), s.end(), by_date)) std::sort(s.begin(), s.end(), by_date);
      series_[rows.symbols[k]] = std::move(s);
    }
    from_file_ = true;
  }
}

std::future<LedgerPrices> read_prices_ahead(const Context& cx, const LedgerSource& source,
                                           std::vector<std::string>* warnings) {
  const bool file = source.prices_file || source.prices_text;
  return std::async(file ? std::launch::async : std::launch::deferred, [&cx, &source, warnings] {
    return LedgerPrices(cx.store, source, *warnings, cx.env.files);
  });
}

void take_price_warnings(const LedgerSource& source, std::vector<std::string>& price_warnings, LoadedLedger& l) {
  if (!source.prices_file && !source.prices_text) return;
  l.warnings.insert(l.warnings.end(), std::make_move_iterator(price_warnings.begin()),
                    std::make_move_iterator(price_warnings.end()));
}

std::optional<Date> LedgerPrices::last_date() {
  if (from_file_) {
    std::optional<Date> d;
    for (const auto& [sym, s] : series_) {
      if (!s.empty() && (!d || s.back().first > *d)) d = s.back().first;
    }
    return d;
  }
  return store_ != nullptr ? store_->last_price_date() : std::nullopt;
}

std::optional<ledger::Quote> LedgerPrices::quote(const std::string& symbol, Date as_of) {
  if (from_file_) {
    auto it = series_.find(symbol);
    if (it == series_.end()) return std::nullopt;
    const auto& s = it->second;
    auto p = std::upper_bound(s.begin(), s.end(), as_of, [](Date d, const auto& x) { return d < x.first; });
    if (p == s.begin()) return std::nullopt;
    --p;
    return ledger::Quote{Decimal::from_double(p->second), p->first};
  }
  if (store_ == nullptr) return std::nullopt;
  auto lp = store_->latest_price(symbol, as_of);
  if (!lp) return std::nullopt;
  return ledger::Quote{Decimal::from_double(lp->close), lp->date};
}

PriceHistory LedgerPrices::history(const std::vector<std::string>& symbols, Date from, Date to) {
  if (!from_file_) {
    if (store_ == nullptr) return {};
    return store_->price_history(symbols, from, to, PriceField::kClose);
  }
  PriceHistory h;
  h.symbols = symbols;
  // The dates with a close, marked on a calendar of [from, to] (one byte a day; any span of
  // dates a ledger has), then read in order: distinct and ascending without sorting every close's
  // date. A wider span sorts the dates.
  constexpr int kCalendarDays = 1 << 20;
  const bool calendar = from <= to && to - from < kCalendarDays;
  std::vector<std::uint8_t> has_close(calendar ? static_cast<std::size_t>(to - from) + 1 : 0, 0);
  for (const auto& s : symbols) {
    auto it = series_.find(s);
    if (it == series_.end()) continue;
    for (const auto& [d, v] : it->second) {
      if (d < from || d > to) continue;
      if (calendar) has_close[static_cast<std::size_t>(d - from)] = 1;
      else h.dates.push_back(d);
    }
  }
  // With the calendar, each day's row (the closes are placed by it, no search).
  std::vector<std::uint32_t> row_of_day;
  if (calendar) {
    row_of_day.resize(has_close.size());
    for (std::size_t k = 0; k < has_close.size(); ++k) {
      row_of_day[k] = static_cast<std::uint32_t>(h.dates.size());
      if (has_close[k]) h.dates.push_back(from.add_days(static_cast<int>(k)));
    }
  } else {
    std::sort(h.dates.begin(), h.dates.end());
    h.dates.erase(std::unique(h.dates.begin(), h.dates.end()), h.dates.end());
  }
  h.values.assign(h.dates.size() * symbols.size(), kMissing);
  for (std::size_t c = 0; c < symbols.size(); ++c) {
    auto it = series_.find(symbols[c]);
    if (it == series_.end()) continue;
    if (calendar) {
      for (const auto& [d, v] : it->second) {
        if (d >= from && d <= to) h.at(row_of_day[static_cast<std::size_t>(d - from)], c) = v;
      }
      continue;
    }
    // Both ascending: one forward walk.
    auto r = h.dates.begin();
    for (const auto& [d, v] : it->second) {
      r = std::lower_bound(r, h.dates.end(), d);
      if (r != h.dates.end() && *r == d) h.at(static_cast<std::size_t>(r - h.dates.begin()), c) = v;
    }
  }
  return h;
}



// The allocation class of a security master's asset type: an ETF, a fund, a bond, an option, or
// equity for shares (common stock and ADRs); "" (keel's own rule) for a type it does not class.
static std::string asset_class(std::string_view type) {
  const std::string t = to_lower(std::string(type));
  if (t == "equity" || t == "stock" || t == "adr") return "equity";
  if (t == "etf" || t == "fund" || t == "bond" || t == "option") return t;
  if (t == "mutualfund" || t == "mutual_fund") return "fund";
  return {};
}

// A close older than this many calendar days before the as-of date (a long weekend and a holiday
// are 4) is stale: the holdings say so.
constexpr int kStalePriceDays = 7;

LedgerHoldingsResult holdings_of(const Context& cx, const LedgerSource& source, const LoadedLedger& l,
                                 const ledger::BookResult& b, LedgerPrices& prices,
                                 const std::optional<std::string>& reporting_currency) {
  Store* store = cx.store;
  std::vector<std::string> warnings = l.warnings;
  // Only the selected account's lots and cash are valued.
  ledger::BookResult sel;
  sel.positions = b.positions;
  for (const auto& lot : b.open_lots) {
    if (selected(source, b.key(lot).account)) sel.open_lots.push_back(lot);
  }
  for (const auto& [acct, c] : b.cash) {
    if (selected(source, acct)) sel.cash[acct] = c;
  }
  // The default as-of date is the holdings' own: their latest price (or the selected rows' last
  // date, when later), not the latest price of anything the tenant has stored.
  Date as_of = source.as_of.value_or(Date());
  if (!source.as_of) {
    for (const auto& t : l.transactions) {
      if (selected(source, t.account)) as_of = std::max(as_of, t.date);
    }
    const Date far = Date::from_ymd(2199, 12, 31);
    std::set<std::string> held;
    for (const auto& lot : sel.open_lots) held.insert(sel.key(lot).symbol);
    for (const auto& sym : held) {
      if (auto q = prices.quote(sym, far)) as_of = std::max(as_of, q->date);
    }
  }
  std::map<std::string, ledger::Quote> quotes;
  std::map<std::string, std::string> sectors;
  std::map<std::string, std::string> asset_types;  // the security master's class of each symbol
  for (const auto& lot : sel.open_lots) {
    const std::string& sym = sel.key(lot).symbol;
    if (quotes.count(sym)) continue;
    if (auto q = prices.quote(sym, as_of)) quotes[sym] = *q;
    if (store != nullptr && !sectors.count(sym)) {
      if (auto info = store->symbol_info(sym)) {
        sectors[sym] = info->sector;
        if (const std::string c = asset_class(info->asset_type); !c.empty()) asset_types[sym] = c;
      }
    }
  }
  // Positions bought in another currency than their account's are quoted in it: converted at the
  // as-of rate, or unpriced (and said why) when there is none.
  std::map<std::uint32_t, ledger::PositionFx> fx;
  for (const auto& lot : sel.open_lots) {
    if (lot.buy_tx >= l.conversion.source.size() || l.conversion.source[lot.buy_tx] == ledger::RateSource::kSame ||
        fx.count(lot.position)) {
      continue;
    }
    ledger::PositionFx& f = fx[lot.position];
    f.currency = l.conversion.currency_of(lot.buy_tx);
    const std::string& account_ccy = l.currencies.of(sel.key(lot).account);
    const std::optional<FxQuote> q = l.fx ? l.fx->find(f.currency, account_ccy, as_of) : std::nullopt;
    if (q) {
      f.rate = ledger::Decimal::from_double(q->rate);
    } else {
      warnings.push_back(fmt::format("{}/{}: no {}/{} rate on or up to {} days before {} to value it{}",
                                       sel.key(lot).account, sel.key(lot).symbol, f.currency, account_ccy,
                                       kFxMaxStaleDays, as_of.to_string(), l.fx ? "" : " (give --fx FILE)"));
    }
  }
  // The totals in one currency: each account's amounts at the as-of date's rate when it is not it.
  LedgerHoldingsResult out;
  out.currency = ledger_detail::report_currency(l, source, reporting_currency);
  std::map<std::string, Decimal> account_rates;
  std::set<std::string> accounts;
  for (const auto& lot : sel.open_lots) accounts.insert(sel.key(lot).account);
  for (const auto& [acct, c] : sel.cash) accounts.insert(acct);
  std::shared_ptr<const FxRates> rates;
  for (const auto& acct : accounts) {
    const std::string& ccy = l.currencies.of(acct);
    if (ccy == out.currency) continue;
    if (!rates) rates = ledger_fx(cx, source, l, out.currency, &warnings);
    if (!rates) {
      throw Error::invalid_input(fmt::format("no FX rate for {}/{} on {}: no FX rates are stored or given", ccy,
                                             out.currency, as_of.to_string()));
    }
    account_rates[acct] = Decimal::from_double(rates->rate(ccy, out.currency, as_of).rate);
    if (!out.account_rates) out.account_rates.emplace();
    out.account_rates->push_back({acct, ccy, account_rates[acct]});
  }
  const auto h = ledger::value_holdings(sel, as_of, quotes, sectors, fx, account_rates, asset_types);
  out.as_of = as_of;
  for (const auto& p : h.positions) {
    HoldingPosition r;
    r.account = p.account;
    r.symbol = p.symbol;
    r.quantity = p.quantity;
    r.basis = p.basis;
    set_quote(p.quote, r.price, r.price_date);
    r.market_value = nullable(p.market_value);
    r.unrealized = nullable(p.unrealized);
    r.weight = p.weight;
    r.sector = p.sector;
    r.asset_type = p.asset_type;
    if (!p.currency.empty()) {
      r.currency = p.currency;
      r.fx_rate = p.fx_rate;
    }
    out.positions.push_back(std::move(r));
  }
  for (const auto& lv : h.lots) {
    const auto& lot = sel.open_lots[lv.lot];
    out.lots.push_back({sel.key(lot).account, sel.key(lot).symbol, lot.lot_id, lot.purchase_date, lot.acquired,
                        lot.quantity, lot.basis, nullable(lv.market_value), nullable(lv.unrealized),
                        std::string(ledger::term_name(lv.term_if_sold))});
  }
  for (const auto& [acct, c] : h.cash) out.cash[acct] = c;
  if (l.conversion.any()) {
    auto& lines = out.cash_by_currency.emplace();
    for (const auto& [key, amount] : l.conversion.cash) {
      if (selected(source, key.first)) lines.push_back({key.first, key.second, amount});
    }
  }
  for (const auto& u : h.unpriced) warnings.push_back("no price on or before " + as_of.to_string() + " for " + u);
  // A value from an old close is said, with the command that brings it up to date.
  std::set<std::string> stale;
  for (const auto& p : h.positions) {
    if (!p.quote || stale.count(p.symbol)) continue;
    const int days = as_of.serial() - p.quote->date.serial();
    if (days <= kStalePriceDays) continue;
    stale.insert(p.symbol);
    warnings.push_back(fmt::format("{}: valued at its close of {}, {} days before {}: stale (keel fetch prices "
                                   "--account {} --provider NAME)",
                                   p.symbol, p.quote->date.to_string(), days, as_of.to_string(),
                                   source.account.value_or(p.account)));
  }
  out.totals = {h.securities_value, h.basis, h.unrealized, h.cash_total, h.net_worth};
  out.allocation = {slices_of(h.by_asset_type), slices_of(h.by_sector), slices_of(h.by_account)};
  out.unpriced = h.unpriced;
  out.source = l.name;
  out.warnings = std::move(warnings);
  return out;
}

PerformanceDrawdown drawdown_result(const ledger::Drawdown& d) {
  return {d.depth, date_or_null(d.peak), date_or_null(d.trough), date_or_null(d.recovery)};
}

BenchmarkResult benchmark_result(const std::string& benchmark, std::span<const ledger::BenchmarkComponent> components,
                                 const ledger::BenchmarkComparison& c, double portfolio_end_value) {
  BenchmarkResult b;
  b.benchmark = benchmark;
  for (const auto& x : components) b.components.push_back({x.symbol, x.weight});
  b.portfolio_return = c.portfolio_return;
  b.benchmark_return = c.benchmark_return;
  b.excess_return = c.excess_return;
  b.portfolio_cagr = c.portfolio_cagr;
  b.benchmark_cagr = c.benchmark_cagr;
  b.excess_cagr = c.excess_cagr;
  b.benchmark_volatility = c.benchmark_volatility;
  b.tracking_error = c.tracking_error;
  b.information_ratio = c.information_ratio;
  b.beta = c.beta;
  b.alpha = c.alpha;
  b.correlation = c.correlation;
  if (c.up_capture) b.up_capture.emplace(*c.up_capture);
  if (c.down_capture) b.down_capture.emplace(*c.down_capture);
  b.benchmark_drawdown = drawdown_result(c.benchmark_drawdown);
  b.same_flows.end_value = c.same_flows_end_value;
  if (c.same_flows_xirr) b.same_flows.xirr.emplace(*c.same_flows_xirr);
  b.same_flows.portfolio_end_value = portfolio_end_value;
  b.same_flows.difference = portfolio_end_value - c.same_flows_end_value;
  for (const auto& p : c.monthly) b.monthly.push_back({p.period, p.portfolio, p.benchmark, p.excess});
  for (const auto& p : c.annual) b.annual.push_back({p.period, p.portfolio, p.benchmark, p.excess});
  for (const auto& w : c.rolling_12m) {
    b.rolling_12m.push_back({w.end.to_string(), w.portfolio_return, w.benchmark_return, w.portfolio_volatility,
                             w.benchmark_volatility, w.beta});
  }
  return b;
}

}  // namespace ledger_detail

LedgerHoldingsResult ledger_holdings(const Context& cx, const LedgerHoldingsRequest& request) {
  std::vector<std::string> price_warnings;
  auto ahead = ledger_detail::read_prices_ahead(cx, request.source, &price_warnings);
  LoadedLedger l = load_ledger(cx, request.source);
  auto b = ledger_detail::book_loaded(l, false);
  ledger_detail::LedgerPrices prices = ahead.get();
  risk::profile_mark("ledger: prices (read on a second thread meanwhile)");
  ledger_detail::take_price_warnings(request.source, price_warnings, l);
  auto out = ledger_detail::holdings_of(cx, request.source, l, b, prices, request.reporting_currency);
  release_later(std::move(l));
  release_later(std::move(b));
  return out;
}

namespace {

// A broker's positions (a download, a statement's list) as the broker's side: its securities are
// compared with the ledger's total over the selected accounts (the broker's account numbers are
// not the ledger's names), its cash is not (the ledger's lots hold securities).
std::vector<ledger::BrokerHolding> holdings_of(io::BrokerPositions& positions, const std::string& file,
                                               LedgerReconcileResult& out) {
  out.broker_format = std::string(io::broker_positions_format_id(positions.format));
  std::vector<ledger::BrokerHolding> rows;
  for (auto& p : positions.rows) {
    if (p.type == InstrumentType::kCash) {
      out.warnings.push_back(fmt::format("{}:{}: {} {} is cash, not compared (the ledger's lots are securities)",
                                         file, p.line, p.symbol, p.quantity.to_string(2)));
      continue;
    }
    ledger::BrokerHolding h;
    h.line = p.line;
    h.symbol = std::move(p.symbol);
    h.quantity = p.quantity;
    h.cost_basis = p.cost_basis;
    rows.push_back(std::move(h));
  }
  return rows;
}

// The broker's side of a reconciliation from a CSV: keel's holdings columns (symbol, quantity,
// cost_basis, account), or a broker's positions download (keel/io/broker_positions.h).
std::vector<ledger::BrokerHolding> read_broker_holdings(io::CsvReader& csv,
                                                        const std::optional<std::string>& broker_account,
                                                        Diagnostics& diags, LedgerReconcileResult& out) {
  if (auto download = io::read_broker_positions(csv, diags)) {
    if (broker_account && !diags.has_errors()) io::select_broker_account(*download, *broker_account, csv.name());
    auto rows = holdings_of(*download, csv.name(), out);
    for (const auto& w : diags.warnings()) out.warnings.push_back(w.to_string());
    return rows;
  }
  std::vector<ledger::BrokerHolding> rows;
  if (broker_account) {
    const std::string why = fmt::format(
        "{} has keel's holdings columns, not a broker's positions download; its rows name their ledger account in "
        "the account column",
        csv.name());
    throw Error::invalid_input(why, {"broker_account: " + why});
  }
  out.broker_format = "holdings";
  io::CsvColumns cols(csv, {"symbol", "quantity"}, {"account", "cost_basis"}, diags);
  io::CsvCells cells(csv, diags);
  io::CsvRecord rec;
  while (csv.next(rec)) {
    ledger::BrokerHolding h;
    h.line = rec.line;
    h.symbol = to_upper(cells.text(rec, cols.index("symbol")));
    h.account = std::string(cells.text(rec, cols.index("account")));
    if (h.symbol.empty()) cells.error(rec, cols.index("symbol"), "is empty; a symbol is required");
    const auto q = Decimal::parse(cells.text(rec, cols.index("quantity")));
    if (!q) cells.error(rec, cols.index("quantity"), "is not a decimal number");
    else h.quantity = *q;
    if (const auto t = cells.text(rec, cols.index("cost_basis")); !t.empty()) {
      const auto c = Decimal::parse(t);
      if (!c) cells.error(rec, cols.index("cost_basis"), "is not a decimal number");
      else h.cost_basis = *c;
    }
    rows.push_back(std::move(h));
  }
  for (const auto& w : diags.warnings()) out.warnings.push_back(w.to_string());
  return rows;
}

}  // namespace

LedgerReconcileResult ledger_reconcile(const Context& cx, const LedgerReconcileRequest& request) {
  const LedgerSource& source = request.source;
  InputFile broker;
  if (request.broker) broker = {"broker.csv", request.broker};
  else if (request.broker_file) broker = {*request.broker_file, std::nullopt};
  else throw Error::usage("reconcile needs the broker holdings (broker)");
  const std::string& broker_file = broker.name;
  // The broker's file first: a bad one is refused before the ledger is loaded and booked.
  LedgerReconcileResult out;
  std::vector<ledger::BrokerHolding> rows;
  if (auto statement = read_statement_positions(broker, cx.env.files, request.broker_account.value_or(""), "broker")) {
    // An OFX or IBKR Flex statement: the positions it lists.
    rows = holdings_of(*statement, broker_file, out);
  } else {
    Diagnostics diags;
    auto csv = broker.text ? io::CsvReader::from_text(broker.name, *broker.text, diags)
                           : io::CsvReader::open(cx.env.files.open(broker.name, "broker"), diags);
    rows = read_broker_holdings(csv, request.broker_account, diags, out);
    diags.throw_if_errors(broker_file + ": bad broker holdings file");
  }
  const LoadedLedger l = load_ledger(cx, source);
  auto b = ledger_detail::book_loaded(l, false);
  std::erase_if(b.open_lots, [&](const ledger::Lot& lot) { return !selected(source, b.key(lot).account); });
  ledger::ReconcileOptions opts;
  // The shortest decimal that reads back as the tolerance (0.01 stays 0.01).
  opts.basis_tolerance = Decimal::from_double(request.tolerance);
  const auto r = ledger::reconcile(b, rows, opts);
  for (const auto& row : r.rows) {
    ReconcileRowResult x;
    x.account = row.account;
    x.symbol = row.symbol;
    x.ledger_quantity = row.ledger_quantity;
    x.broker_quantity = row.broker_quantity;
    x.quantity_difference = row.broker_quantity - row.ledger_quantity;
    x.ledger_basis = row.ledger_basis;
    x.broker_basis = nullable(row.broker_basis);
    if (row.broker_basis) x.basis_difference.emplace(*row.broker_basis - row.ledger_basis);
    x.status = row.status;
    out.rows.push_back(std::move(x));
  }
  out.discrepancies = r.discrepancies;
  out.source = l.name;
  out.broker_file = broker_file;
  return out;
}

LedgerPerformanceResult ledger_detail::performance_of(const Context& cx, const LedgerPerformanceRequest& request,
                                                       LoadedLedger& l, LedgerPrices& prices,
                                                       std::vector<double>* benchmark_index) {
  const LedgerSource& source = request.source;
  // The selected rows' symbols and accounts, gathered as views (a million rows, a few hundred names).
  std::unordered_set<std::string_view> symbol_views, accounts;
  Date first = l.transactions.empty() ? Date() : l.transactions.front().date;
  Date last = first;
  for (const auto& t : l.transactions) {
    if (!selected(source, t.account)) continue;
    if (!t.symbol.empty()) symbol_views.insert(t.symbol);
    accounts.insert(t.account);
    first = std::min(first, t.date);
    last = std::max(last, t.date);
  }
  const std::set<std::string> symbol_set(symbol_views.begin(), symbol_views.end());
  Date to = source.as_of.value_or(std::max(last, prices.last_date().value_or(last)));
  const std::vector<std::string> symbols(symbol_set.begin(), symbol_set.end());
  const PriceHistory closes = prices.history(symbols, first, to);
  risk::profile_mark("performance: close matrix");
  std::vector<std::string> no_prices;
  for (std::size_t c = 0; c < closes.cols(); ++c) {
    bool any = false;
    for (std::size_t t = 0; t < closes.rows() && !any; ++t) any = !is_missing(closes.at(t, c));
    if (!any) no_prices.push_back(closes.symbols[c]);
  }
  for (const auto& s : no_prices) l.warnings.push_back("no prices for " + s + ": valued at its last trade price");
  ledger::SeriesOptions so;
  if (source.account) so.accounts = std::set<std::string>{*source.account};
  so.from = request.from;
  so.to = to;
  // Every amount in one currency: the accounts' own, a symbol's closes in its quote currency, each
  // converted at its day's rate when it is not the reporting currency.
  const std::string currency = ledger_detail::report_currency(l, source, request.reporting_currency);
  ledger::SeriesCurrency& sc = so.currency.emplace();
  sc.currency = currency;
  sc.accounts = l.currencies;
  for (std::size_t i = 0; i < l.transactions.size() && i < l.conversion.source.size(); ++i) {
    const auto& t = l.transactions[i];
    if (l.conversion.source[i] != ledger::RateSource::kSame && !t.symbol.empty()) {
      sc.quote_currency.try_emplace(t.symbol, l.conversion.currency_of(i));
    }
  }
  bool converts = false;
  for (const std::string_view a : accounts) converts = converts || l.currencies.of(std::string(a)) != currency;
  for (const auto& [sym, ccy] : sc.quote_currency) converts = converts || symbol_set.count(sym) > 0;
  std::shared_ptr<const FxRates> rates;
  if (converts) {
    rates = ledger_detail::ledger_fx(cx, source, l, currency, &l.warnings);
    sc.rates = rates.get();
  } else {
    so.currency.reset();  // one currency: the daily loop needs no conversion at all
  }
  ledger::PerformanceOptions options;
  options.risk_free_annual = request.risk_free;
  options.periods_per_year = request.periods_per_year;
  const auto series = ledger::daily_values(l.transactions, closes, so);
  risk::profile_mark("performance: daily values");
  const auto r = ledger::measure_performance(series, options);
  risk::profile_mark("performance: measure");
  LedgerPerformanceResult out;
  out.currency = currency;
  // The gain's parts: income (net of withholding) and fees after the first day, each in the
  // reporting currency at its day's rate and at the first day's (constant) rate.
  double income = 0.0, income_const = 0.0, fees = 0.0, fees_const = 0.0;
  for (const auto& t : l.transactions) {
    const bool is_income = t.type == ledger::TxType::kDividend || t.type == ledger::TxType::kInterest ||
                           t.type == ledger::TxType::kDistribution || t.type == ledger::TxType::kWithholding;
    if ((!is_income && t.type != ledger::TxType::kFee) || !selected(source, t.account)) continue;
    if (t.date <= r.start || t.date > r.end) continue;
    const double amount = ledger::cash_effect(t).to_double();
    const std::string& from = l.currencies.of(t.account);
    const double day = from == currency || !rates ? 1.0 : rates->rate(from, currency, t.date).rate;
    const double first = from == currency || !rates ? 1.0 : rates->rate(from, currency, r.start).rate;
    (is_income ? income : fees) += amount * day;
    (is_income ? income_const : fees_const) += amount * first;
  }
  out.gain.total = r.end_value - r.start_value - r.net_flows;
  out.gain.income = income;
  out.gain.fees = fees;
  out.gain.price = out.gain.total - income_const - fees_const;
  if (converts) {
    so.currency->constant_rates = true;
    const auto local = ledger::measure_performance(ledger::daily_values(l.transactions, closes, so), options);
    out.twr_local = local.twr;
    out.end_value_local = local.end_value;
    out.fx_effect = (1.0 + r.twr) / (1.0 + local.twr) - 1.0;
    out.gain.price = local.end_value - local.start_value - local.net_flows - income_const - fees_const;
  }
  // Each part to the cent, the currency's the difference in whole cents, so the parts add up exactly.
  const auto cents = [](double v) { return static_cast<std::int64_t>(std::llround(v * 100.0)); };
  const std::int64_t total_c = cents(out.gain.total), price_c = cents(out.gain.price),
                     income_c = cents(out.gain.income), fees_c = cents(out.gain.fees);
  out.gain.total = static_cast<double>(total_c) / 100.0;
  out.gain.price = static_cast<double>(price_c) / 100.0;
  out.gain.income = static_cast<double>(income_c) / 100.0;
  out.gain.fees = static_cast<double>(fees_c) / 100.0;
  out.gain.currency = static_cast<double>(total_c - price_c - income_c - fees_c) / 100.0;
  out.scope = source.account ? *source.account : std::string("household");
  out.start = r.start.to_string();
  out.end = r.end.to_string();
  out.days = r.end - r.start;
  out.start_value = r.start_value;
  out.end_value = r.end_value;
  out.net_flows = r.net_flows;
  out.twr = r.twr;
  out.cagr = r.cagr;
  if (r.xirr) out.xirr.emplace(*r.xirr);
  out.volatility = r.volatility;
  out.sharpe = r.sharpe;
  out.sortino = r.sortino;
  out.max_drawdown = ledger_detail::drawdown_result(r.max_drawdown);
  out.calmar = r.calmar;
  out.risk_free_rate = options.risk_free_annual;
  out.periods_per_year = options.periods_per_year;
  for (const auto& m : r.monthly) out.net_worth.push_back({m.end.to_string(), m.end_value});
  out.growth = {growth_of(r.monthly), growth_of(r.quarterly), growth_of(r.annual)};
  out.points = series.size();
  if (request.series) {
    auto& u = out.series.emplace();
    u.reserve(series.size());
    for (std::size_t t = 0; t < series.size(); ++t)
      u.push_back({series[t].date.to_string(), r.wealth[t], r.drawdown[t], std::nullopt});
  }
  if (request.benchmark) {
    const auto components = ledger::parse_benchmark(*request.benchmark);
    std::vector<std::string> bsyms;
    for (const auto& c : components) bsyms.push_back(c.symbol);
    // A component's last close up to a year before the series starts prices its first day.
    const PriceHistory bcloses = prices.history(bsyms, series.front().date.add_years(-1), to);
    ledger::BenchmarkOptions bo;
    bo.risk_free_annual = request.risk_free;
    bo.periods_per_year = request.periods_per_year;
    risk::profile_mark("benchmark: closes");
    const auto c = ledger::compare_to_benchmark(series, r, bcloses, components, bo);
    risk::profile_mark("benchmark: compare");
    if (benchmark_index) *benchmark_index = c.index;
    // The benchmark's index beside the account's wealth index, so that one chart draws both.
    if (out.series)
      for (std::size_t t = 0; t < out.series->size() && t < c.index.size(); ++t)
        (*out.series)[t].benchmark_index = c.index[t];
    out.benchmark = ledger_detail::benchmark_result(*request.benchmark, components, c, r.end_value);
  }
  out.source = l.name;
  out.warnings = l.warnings;
  return out;
}

LedgerPerformanceResult ledger_performance(const Context& cx, const LedgerPerformanceRequest& request) {
  std::vector<std::string> price_warnings;
  auto ahead = ledger_detail::read_prices_ahead(cx, request.source, &price_warnings);
  LoadedLedger l = load_ledger(cx, request.source);
  ledger_detail::LedgerPrices prices = ahead.get();
  risk::profile_mark("ledger: prices (read on a second thread meanwhile)");
  ledger_detail::take_price_warnings(request.source, price_warnings, l);
  auto out = ledger_detail::performance_of(cx, request, l, prices, nullptr);
  release_later(std::move(l));
  return out;
}

namespace {

IncomeTotalsResult totals_of(const ledger::IncomeTotals& t) {
  return {t.gross, t.withholding, t.net, t.dividends, t.interest, t.distributions, t.reinvested, t.payments};
}

}  // namespace

LedgerIncomeResult ledger_income(const Context& cx, const LedgerIncomeRequest& request) {
  LedgerSource source = request.source;
  if (request.to) source.as_of = request.to;
  if (request.from && source.as_of && *request.from > *source.as_of) {
    throw Error::invalid_input("invalid income request",
                               {fmt::format("from: {} is after to {}", request.from->to_string(),
                                            source.as_of->to_string())});
  }
  std::vector<std::string> price_warnings;
  auto ahead = ledger_detail::read_prices_ahead(cx, source, &price_warnings);
  LoadedLedger l = load_ledger(cx, source);
  ledger_detail::LedgerPrices prices = ahead.get();
  risk::profile_mark("ledger: prices (read on a second thread meanwhile)");
  ledger_detail::take_price_warnings(request.source, price_warnings, l);
  auto history = ledger_detail::income_history_ahead(request, l, prices);
  auto b = ledger_detail::book_loaded(l, false);
  auto out = ledger_detail::income_of(cx, request, l, b, prices, history.get());
  release_later(std::move(l));
  release_later(std::move(b));
  return out;
}

std::future<ledger::IncomeHistory> ledger_detail::income_history_ahead(
    const LedgerIncomeRequest& request, const LoadedLedger& l, LedgerPrices& prices) {
  ledger::IncomeOptions options;
  options.as_of = request.to.value_or(request.source.as_of.value_or(Date()));
  // Without a date: the latest of the rows' and the prices' (the rows' found on the other thread,
  // which reads every row anyway).
  const bool latest = !request.to && !request.source.as_of;
  if (latest) {
    if (auto d = prices.last_date()) options.as_of = *d;
  }
  if (request.source.account) options.accounts = std::set<std::string>{*request.source.account};
  options.from = request.from;
  options.by = request.by;
  // On another thread when one can start (else when the future is read).
  return std::async(std::launch::async | std::launch::deferred, [&l, options, latest]() mutable {
    if (latest) {
      for (const auto& t : l.transactions) options.as_of = std::max(options.as_of, t.date);
    }
    return ledger::IncomeHistory(l.transactions, options);
  });
}

LedgerIncomeResult ledger_detail::income_of(const Context&, const LedgerIncomeRequest& request, const LoadedLedger& l,
                                            const ledger::BookResult& b, LedgerPrices& prices,
                                            ledger::IncomeHistory history, ledger::IncomeGrouping other_by,
                                            std::vector<IncomeGroupResult>* other_groups) {
  LedgerSource source = request.source;
  if (request.to) source.as_of = request.to;
  std::vector<std::string> warnings = l.warnings;
  const Date to = history.as_of();
  std::map<std::string, ledger::Quote> quotes;
  std::set<std::string> unpriced;
  for (const auto& lot : b.open_lots) {
    const auto& key = b.key(lot);
    if (!selected(source, key.account) || quotes.count(key.symbol) || unpriced.count(key.symbol)) continue;
    if (auto q = prices.quote(key.symbol, to)) quotes[key.symbol] = *q;
    else unpriced.insert(key.symbol);
  }
  for (const auto& s : unpriced) {
    warnings.push_back(
        fmt::format("no price on or before {} for {}: no market value or current yield", to.to_string(), s));
  }
  risk::profile_mark("income: quotes");
  const auto r = ledger::measure_income(std::move(history), b, quotes);
  risk::profile_mark("income: measure");

  LedgerIncomeResult out;
  out.scope = source.account ? *source.account : std::string("household");
  out.from = date_or_null(r.from);
  out.to = to.to_string();
  out.by = std::string(spec::choice_name(kIncomeGroupingNames, request.by));
  out.totals = totals_of(r.totals);
  for (const auto& g : r.groups) out.groups.push_back({g.key, totals_of(g.totals)});
  if (other_groups != nullptr) {
    for (const auto& g : ledger::group_payments(r.payments, other_by)) {
      other_groups->push_back({g.key, totals_of(g.totals)});
    }
  }
  out.trailing_12m = totals_of(r.trailing_12m);
  out.projected_12m = {r.projected_gross, r.projected_withholding, r.projected_net};
  for (const auto& h : r.holdings) {
    HoldingIncomeResult x;
    x.account = h.account;
    x.symbol = h.symbol;
    x.shares = h.shares;
    x.basis = h.basis;
    set_quote(h.quote, x.price, x.price_date);
    x.market_value = nullable(h.market_value);
    x.trailing_12m = totals_of(h.trailing);
    x.frequency = std::string(ledger::pay_frequency_name(h.frequency));
    x.payments_per_year = ledger::payments_per_year(h.frequency);
    x.payment_dates = h.payment_count;
    x.last_paid = date_or_null(h.last_paid);
    x.last_gross = h.last_gross;
    x.last_per_share = nullable(h.last_per_share);
    x.projected_gross = h.projected_gross;
    x.projected_withholding = h.projected_withholding;
    x.projected_net = h.projected_net;
    x.next_payment = date_or_null(h.next_payment);
    if (h.yield_on_cost) x.yield_on_cost.emplace(*h.yield_on_cost);
    if (h.current_yield) x.current_yield.emplace(*h.current_yield);
    out.holdings.push_back(std::move(x));
  }
  for (const auto& p : r.payments) {
    out.payments.push_back({p.date, p.account, p.symbol, std::string(ledger::income_kind_name(p.kind)), p.gross,
                            p.withholding, p.net, p.reinvested, p.reinvested_shares});
  }
  for (const auto& c : r.calendar) out.calendar.push_back({c.date, c.account, c.symbol, c.gross, c.withholding, c.net});
  out.source = l.name;
  out.warnings = std::move(warnings);
  return out;
}

}  // namespace keel::service
