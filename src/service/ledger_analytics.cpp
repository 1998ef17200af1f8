// Ledger use cases that need prices or a broker statement: holdings, performance, reconcile.
#include <algorithm>
#include <map>
#include <set>

#include "keel/core/diagnostics.h"
#include "keel/core/error.h"
#include "keel/io/csv.h"
#include "keel/ledger/reconcile.h"
#include "keel/ledger/valuation.h"
#include "keel/service/imports.h"
#include "keel/service/ledger.h"
#include "keel/core/strings.h"
#include "ledger_internal.h"

namespace keel::service {

using ledger::Decimal;
using ledger_detail::num;
using ledger_detail::selected;

namespace {

// Closes per symbol, from a prices file or the store.
class Prices {
 public:
  Prices(Store* store, const LedgerSource& source, std::vector<std::string>& warnings) : store_(store) {
    if (source.prices_file || source.prices_text) {
      const InputFile input = source.prices_text ? InputFile{"prices", source.prices_text}
                                                 : InputFile{*source.prices_file, std::nullopt};
      const PriceRows rows = read_prices_file(input, &warnings);
      for (std::size_t i = 0; i < rows.size(); ++i) {
        series_[rows.symbols[rows.symbol_index[i]]].push_back({rows.date[i], rows.close[i]});
      }
      for (auto& [sym, s] : series_) std::sort(s.begin(), s.end(), [](auto& a, auto& b) { return a.first < b.first; });
      from_file_ = true;
    }
  }

  std::optional<Date> last_date() {
    if (from_file_) {
      std::optional<Date> d;
      for (const auto& [sym, s] : series_) {
        if (!s.empty() && (!d || s.back().first > *d)) d = s.back().first;
      }
      return d;
    }
    return store_ != nullptr ? store_->last_price_date() : std::nullopt;
  }

  std::optional<ledger::Quote> quote(const std::string& symbol, Date as_of) {
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

  PriceHistory history(const std::vector<std::string>& symbols, Date from, Date to) {
    if (!from_file_) {
      if (store_ == nullptr) return {};
      return store_->price_history(symbols, from, to, PriceField::kClose);
    }
    PriceHistory h;
    h.symbols = symbols;
    std::set<Date> dates;
    for (const auto& s : symbols) {
      auto it = series_.find(s);
      if (it == series_.end()) continue;
      for (const auto& [d, v] : it->second) {
        if (d >= from && d <= to) dates.insert(d);
      }
    }
    h.dates.assign(dates.begin(), dates.end());
    h.values.assign(h.dates.size() * symbols.size(), kMissing);
    for (std::size_t c = 0; c < symbols.size(); ++c) {
      auto it = series_.find(symbols[c]);
      if (it == series_.end()) continue;
      for (const auto& [d, v] : it->second) {
        auto r = std::lower_bound(h.dates.begin(), h.dates.end(), d);
        if (r != h.dates.end() && *r == d) h.at(static_cast<std::size_t>(r - h.dates.begin()), c) = v;
      }
    }
    return h;
  }

 private:
  Store* store_;
  bool from_file_ = false;
  std::map<std::string, std::vector<std::pair<Date, double>>> series_;
};

nlohmann::json opt_num(const std::optional<Decimal>& d) { return d ? num(*d) : nlohmann::json(); }

nlohmann::json slices_json(const std::vector<ledger::AllocationSlice>& s) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& x : s) a.push_back({{"key", x.key}, {"market_value", num(x.market_value)}, {"weight", x.weight}});
  return a;
}

nlohmann::json date_or_null(const std::optional<Date>& d) { return d ? nlohmann::json(d->to_string()) : nlohmann::json(); }

nlohmann::json growth_json(const std::vector<ledger::PeriodGrowth>& g) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& p : g) {
    a.push_back({{"period", p.period},
                 {"start", p.start.to_string()},
                 {"end", p.end.to_string()},
                 {"start_value", p.start_value},
                 {"end_value", p.end_value},
                 {"flows", p.flows},
                 {"twr", p.twr}});
  }
  return a;
}

}  // namespace

nlohmann::json ledger_holdings(Store* store, const LedgerSource& source) {
  LoadedLedger l = load_ledger(store, source);
  const auto b = ledger_detail::book_loaded(l);
  Prices prices(store, source, l.warnings);
  Date as_of = source.as_of.value_or(Date());
  if (!source.as_of) {
    for (const auto& t : l.transactions) as_of = std::max(as_of, t.date);
    if (auto d = prices.last_date()) as_of = std::max(as_of, *d);
  }
  // Only the selected account's lots and cash are valued.
  ledger::BookResult sel;
  sel.positions = b.positions;
  for (const auto& lot : b.open_lots) {
    if (selected(source, b.key(lot).account)) sel.open_lots.push_back(lot);
  }
  for (const auto& [acct, c] : b.cash) {
    if (selected(source, acct)) sel.cash[acct] = c;
  }
  std::map<std::string, ledger::Quote> quotes;
  std::map<std::string, std::string> sectors;
  for (const auto& lot : sel.open_lots) {
    const std::string& sym = sel.key(lot).symbol;
    if (quotes.count(sym)) continue;
    if (auto q = prices.quote(sym, as_of)) quotes[sym] = *q;
    if (store != nullptr && !sectors.count(sym)) {
      if (auto info = store->symbol_info(sym)) sectors[sym] = info->sector;
    }
  }
  const auto h = ledger::value_holdings(sel, as_of, quotes, sectors);
  nlohmann::json positions = nlohmann::json::array();
  for (const auto& p : h.positions) {
    positions.push_back({{"account", p.account},
                         {"symbol", p.symbol},
                         {"quantity", num(p.quantity)},
                         {"basis", num(p.basis)},
                         {"price", p.quote ? num(p.quote->price) : nlohmann::json()},
                         {"price_date", p.quote ? nlohmann::json(p.quote->date.to_string()) : nlohmann::json()},
                         {"market_value", opt_num(p.market_value)},
                         {"unrealized", opt_num(p.unrealized)},
                         {"weight", p.weight},
                         {"sector", p.sector},
                         {"asset_type", p.asset_type}});
  }
  nlohmann::json lots = nlohmann::json::array();
  for (const auto& lv : h.lots) {
    const auto& lot = sel.open_lots[lv.lot];
    lots.push_back({{"account", sel.key(lot).account},
                    {"symbol", sel.key(lot).symbol},
                    {"lot_id", lot.lot_id},
                    {"buy_date", lot.purchase_date.to_string()},
                    {"acquired_date", lot.acquired.to_string()},
                    {"quantity", num(lot.quantity)},
                    {"basis", num(lot.basis)},
                    {"market_value", opt_num(lv.market_value)},
                    {"unrealized", opt_num(lv.unrealized)},
                    {"term_if_sold", std::string(ledger::term_name(lv.term_if_sold))}});
  }
  nlohmann::json cash = nlohmann::json::object();
  for (const auto& [acct, c] : h.cash) cash[acct] = num(c);
  for (const auto& u : h.unpriced) l.warnings.push_back("no price on or before " + as_of.to_string() + " for " + u);
  return {{"as_of", as_of.to_string()},
          {"positions", positions},
          {"lots", lots},
          {"cash", cash},
          {"totals",
           {{"securities_value", num(h.securities_value)},
            {"basis", num(h.basis)},
            {"unrealized", num(h.unrealized)},
            {"cash", num(h.cash_total)},
            {"net_worth", num(h.net_worth)}}},
          {"allocation",
           {{"asset_type", slices_json(h.by_asset_type)},
            {"sector", slices_json(h.by_sector)},
            {"account", slices_json(h.by_account)}}},
          {"unpriced", h.unpriced},
          {"source", l.name},
          {"warnings", l.warnings}};
}

nlohmann::json ledger_reconcile(Store* store, const LedgerSource& source, const std::string& broker_file,
                                const std::string& basis_tolerance) {
  return ledger_reconcile(store, source, InputFile{broker_file, std::nullopt}, basis_tolerance);
}

nlohmann::json ledger_reconcile(Store* store, const LedgerSource& source, const InputFile& broker,
                                const std::string& basis_tolerance) {
  const std::string& broker_file = broker.name;
  const LoadedLedger l = load_ledger(store, source);
  auto b = ledger_detail::book_loaded(l);
  std::erase_if(b.open_lots, [&](const ledger::Lot& lot) { return !selected(source, b.key(lot).account); });
  Diagnostics diags;
  auto csv = broker.text ? io::CsvReader::from_text(broker.name, *broker.text, diags)
                         : io::CsvReader::open(broker.name, diags);
  io::CsvColumns cols(csv, {"symbol", "quantity"}, {"account", "cost_basis"}, diags);
  io::CsvCells cells(csv, diags);
  std::vector<ledger::BrokerHolding> rows;
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
  diags.throw_if_errors(broker_file + ": bad broker holdings file");
  ledger::ReconcileOptions opts;
  opts.basis_tolerance = Decimal::parse_or_throw(basis_tolerance, "--tolerance");
  const auto r = ledger::reconcile(b, rows, opts);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& row : r.rows) {
    out.push_back({{"account", row.account},
                   {"symbol", row.symbol},
                   {"ledger_quantity", num(row.ledger_quantity)},
                   {"broker_quantity", num(row.broker_quantity)},
                   {"quantity_difference", num(row.broker_quantity - row.ledger_quantity)},
                   {"ledger_basis", num(row.ledger_basis)},
                   {"broker_basis", opt_num(row.broker_basis)},
                   {"basis_difference", row.broker_basis ? num(*row.broker_basis - row.ledger_basis) : nlohmann::json()},
                   {"status", row.status}});
  }
  return {{"rows", out}, {"discrepancies", r.discrepancies}, {"source", l.name}, {"broker_file", broker_file}};
}

nlohmann::json ledger_performance(Store* store, const LedgerSource& source, std::optional<Date> from,
                                  const ledger::PerformanceOptions& options) {
  LoadedLedger l = load_ledger(store, source);
  Prices prices(store, source, l.warnings);
  std::set<std::string> symbol_set;
  Date first = l.transactions.empty() ? Date() : l.transactions.front().date;
  Date last = first;
  for (const auto& t : l.transactions) {
    if (!selected(source, t.account)) continue;
    if (!t.symbol.empty()) symbol_set.insert(t.symbol);
    first = std::min(first, t.date);
    last = std::max(last, t.date);
  }
  Date to = source.as_of.value_or(std::max(last, prices.last_date().value_or(last)));
  const std::vector<std::string> symbols(symbol_set.begin(), symbol_set.end());
  const PriceHistory closes = prices.history(symbols, first, to);
  std::vector<std::string> no_prices;
  for (std::size_t c = 0; c < closes.cols(); ++c) {
    bool any = false;
    for (std::size_t t = 0; t < closes.rows() && !any; ++t) any = !is_missing(closes.at(t, c));
    if (!any) no_prices.push_back(closes.symbols[c]);
  }
  for (const auto& s : no_prices) l.warnings.push_back("no prices for " + s + ": valued at its last trade price");
  ledger::SeriesOptions so;
  if (source.account) so.accounts = std::set<std::string>{*source.account};
  so.from = from;
  so.to = to;
  const auto series = ledger::daily_values(l.transactions, closes, so);
  const auto r = ledger::measure_performance(series, options);
  nlohmann::json net_worth = nlohmann::json::array();
  for (const auto& m : r.monthly) net_worth.push_back({{"date", m.end.to_string()}, {"value", m.end_value}});
  return {{"scope", source.account ? *source.account : std::string("household")},
          {"start", r.start.to_string()},
          {"end", r.end.to_string()},
          {"days", r.end - r.start},
          {"start_value", r.start_value},
          {"end_value", r.end_value},
          {"net_flows", r.net_flows},
          {"twr", r.twr},
          {"cagr", r.cagr},
          {"xirr", r.xirr ? nlohmann::json(*r.xirr) : nlohmann::json()},
          {"volatility", r.volatility},
          {"sharpe", r.sharpe},
          {"sortino", r.sortino},
          {"max_drawdown",
           {{"depth", r.max_drawdown.depth},
            {"peak", date_or_null(r.max_drawdown.peak)},
            {"trough", date_or_null(r.max_drawdown.trough)},
            {"recovery", date_or_null(r.max_drawdown.recovery)}}},
          {"calmar", r.calmar},
          {"risk_free_rate", options.risk_free_annual},
          {"periods_per_year", options.periods_per_year},
          {"net_worth", net_worth},
          {"growth", {{"monthly", growth_json(r.monthly)}, {"quarterly", growth_json(r.quarterly)}, {"annual", growth_json(r.annual)}}},
          {"points", series.size()},
          {"source", l.name},
          {"warnings", l.warnings}};
}

}  // namespace keel::service
