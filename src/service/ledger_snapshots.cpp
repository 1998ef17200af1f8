// Ledger net-worth snapshots: record one from the holdings valuation, read the history back
// (keel/service/ledger.h; rules in docs/ledger.md, "Net worth history").
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <set>
#include <nlohmann/json.hpp>

#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "keel/ledger/networth.h"
#include "keel/service/fx.h"
#include "keel/service/ledger_holdings.h"
#include "keel/service/ledger_networth.h"
#include "keel/store/ledger_repository.h"
#include "keel/store/ledger_snapshot_repository.h"
#include "ledger_internal.h"

namespace keel::service {

using ledger::Decimal;

namespace {

// A holdings figure to the cent, as a statement shows it (read back through the double the JSON
// carries, so the snapshot stores exactly what the holdings report printed).
Decimal cents(const Decimal& d) { return Decimal::from_double(d.to_double()).round(2, ledger::Rounding::kHalfUp); }
Decimal cents(double v) { return Decimal::from_double(v).round(2, ledger::Rounding::kHalfUp); }

std::string scope_of(const LedgerSource& s) { return s.account.value_or(""); }
std::string scope_label(const LedgerSource& s) { return s.account ? "account " + *s.account : "all accounts"; }

spec::Nullable<double> growth_or_null(const std::optional<double>& g) {
  spec::Nullable<double> out;
  if (g) out.emplace(*g);
  return out;
}

NetWorthChangeResult change_of(const ledger::NetWorthChange& c) {
  NetWorthChangeResult r;
  if (!c.period.empty()) r.period = c.period;
  r.start = c.start.to_string();
  r.end = c.end.to_string();
  r.start_value = c.start_value;
  r.end_value = c.end_value;
  r.change = c.change;
  r.growth = growth_or_null(c.growth);
  return r;
}

std::vector<NetWorthChangeResult> changes_of(const std::vector<ledger::NetWorthChange>& v) {
  std::vector<NetWorthChangeResult> out;
  for (const auto& c : v) out.push_back(change_of(c));
  return out;
}

// Exactly one of account and all: the scope of a snapshot or a history.
void check_scope(const std::optional<std::string>& account, bool all) {
  if (all == account.has_value()) throw Error::usage("give either an account or all (every account together)");
}

}  // namespace

LedgerSnapshotResult record_ledger_snapshot(const Context& cx, const LedgerSnapshotRequest& request) {
  const std::string resource =
      request.account ? "account/" + shown_with(*request.account, 200, 0) : std::string("accounts");
  authorize(cx, kLedgerSnapshotCreate, resource);
  Store& store = require_store(cx, "snapshots are stored");
  check_scope(request.account, request.all);
  if (request.all) {
    std::set<std::string> currencies;
    for (const auto& a : store.ledger().list_accounts(cx.actor.tenant)) currencies.insert(a.currency);
    if (currencies.size() > 1) {
      throw Error::invalid_input(fmt::format(
          "the accounts are in {}: record a snapshot of each account (keel ledger networth --all "
          "--reporting-currency shows them together)",
          fmt::join(currencies, " and ")));
    }
  }
  LedgerHoldingsRequest holdings;
  LedgerSource& source = holdings.source;
  source.account = request.account;
  source.as_of = request.as_of;
  source.prices_file = request.prices_file;
  source.prices_text = request.prices;
  const LedgerHoldingsResult h = ledger_holdings(cx, holdings);
  store::LedgerSnapshot s;
  s.tenant = cx.actor.tenant;
  s.account = scope_of(source);
  s.as_of = h.as_of;
  s.market_value = cents(h.totals.securities_value);
  s.cash = cents(h.totals.cash);
  s.net_worth = s.market_value + s.cash;
  s.cost_basis = cents(h.totals.basis);
  s.unrealized = s.market_value - s.cost_basis;
  s.unpriced = static_cast<int>(h.unpriced.size());
  for (const auto& slice : h.allocation.asset_type) s.asset_classes[slice.key] = cents(slice.market_value);
  const bool replaced = store.ledger_snapshots().save(s);
  LedgerSnapshotResult out;
  if (source.account) out.account.emplace(*source.account);
  out.scope = scope_label(source);
  out.as_of = s.as_of.to_string();
  out.net_worth = s.net_worth;
  out.market_value = s.market_value;
  out.cash = s.cash;
  out.cost_basis = s.cost_basis;
  out.unrealized = s.unrealized;
  out.unpriced = h.unpriced;
  out.asset_classes = s.asset_classes;
  out.replaced = replaced;
  out.warnings = h.warnings;
  std::string stored = "accounts";
  if (source.account) {
    if (const auto a = store.ledger().find_account(cx.actor.tenant, *source.account)) {
      stored = fmt::format("account/{}", a->id);
    }
  }
  audit(cx, kLedgerSnapshotCreate, stored,
        {{"as_of", out.as_of}, {"net_worth", out.net_worth.to_double()}, {"replaced", out.replaced}});
  return out;
}

LedgerNetworthResult ledger_networth(const Context& cx, const LedgerNetworthRequest& request) {
  const auto& from = request.from;
  const auto& to = request.to;
  if (from && to && *to < *from) throw Error::invalid_input("invalid networth request", {"to: is before from"});
  if (request.transactions_file && request.account) {
    throw Error::usage("a transactions file replays every account of the file: use all");
  }
  check_scope(request.account, request.all);
  ledger_detail::check_reporting_currency(request.reporting_currency);
  LedgerSource source;
  source.account = request.account;
  source.prices_file = request.prices_file;
  source.transactions_file = request.transactions_file;
  Store* store = cx.store;
  LedgerNetworthResult out;
  std::vector<store::LedgerSnapshot> snaps;
  // The currencies of the accounts in scope: a snapshot's values are in them (one, or the
  // household's snapshots cannot be read as one currency and the history is replayed instead).
  std::set<std::string> scope_currencies;
  if (store != nullptr && !source.transactions_file) {
    for (const auto& a : store->ledger().list_accounts(cx.actor.tenant)) {
      if (!source.account || a.name == *source.account) scope_currencies.insert(a.currency);
    }
    if (source.account && scope_currencies.empty()) {
      throw Error::not_found("no account named " + shown_with(*source.account, 64, '\''));
    }
    snaps = store->ledger_snapshots().list(cx.actor.tenant, scope_of(source), from, to);
    if (scope_currencies.size() > 1 && !snaps.empty()) {
      snaps.clear();
      out.warnings.push_back(fmt::format("the accounts are in {}: the household's snapshots are not in one currency",
                                         fmt::join(scope_currencies, " and ")));
    }
  }
  std::vector<ledger::NetWorthPoint> points;
  out.source = "snapshots";
  if (!snaps.empty()) {
    const std::string& scope_ccy = *scope_currencies.begin();
    out.currency = request.reporting_currency.value_or(scope_ccy);
    // Each snapshot converted at its date's rate, to the cent; net worth and unrealized gain are
    // the sums of the converted parts, so every point adds up.
    std::optional<FxRates> rates;
    if (out.currency != scope_ccy) {
      rates = stored_fx(cx, {scope_ccy, out.currency}, snaps.front().as_of.add_days(-kFxMaxStaleDays), std::nullopt);
    }
    Decimal first_rate;
    for (const auto& s : snaps) {
      Decimal x = Decimal::from_double(1.0);
      if (rates) x = Decimal::from_double(rates->rate(scope_ccy, out.currency, s.as_of).rate);
      if (&s == &snaps.front()) first_rate = x;
      auto in = [&](const Decimal& v) { return rates ? ledger::multiply(v, x, 2, ledger::Rounding::kHalfUp) : v; };
      NetWorthPointResult p;
      p.date = s.as_of.to_string();
      const Decimal market_value = in(s.market_value), cash = in(s.cash), basis = in(s.cost_basis);
      p.net_worth = rates ? market_value + cash : s.net_worth;
      p.market_value.emplace(market_value);
      p.cash.emplace(cash);
      p.cost_basis.emplace(basis);
      p.unrealized.emplace(rates ? market_value - basis : s.unrealized);
      p.unpriced = s.unpriced;
      p.recorded_at = s.created_at;
      if (!s.asset_classes.empty()) {
        auto& classes = p.asset_classes.emplace();
        for (const auto& [k, v] : s.asset_classes) classes[k] = in(v);
      }
      points.push_back({s.as_of, p.net_worth});
      out.points.push_back(std::move(p));
      if (s.unpriced > 0) {
        out.warnings.push_back(
            fmt::format("snapshot {} left out {} unpriced position(s)", s.as_of.to_string(), s.unpriced));
      }
    }
    if (rates) {
      // The currencies' part of the change: the end value less the end value at the first rate.
      const store::LedgerSnapshot& last = snaps.back();
      out.totals.fx_effect = points.back().net_worth - (ledger::multiply(last.market_value, first_rate, 2,
                                                                         ledger::Rounding::kHalfUp) +
                                                        ledger::multiply(last.cash, first_rate, 2,
                                                                         ledger::Rounding::kHalfUp));
    }
  } else {
    // No snapshots: month-end values replayed from the transactions over the daily closes.
    out.source = "replay";
    LedgerPerformanceRequest replay;
    replay.source = source;
    if (to) replay.source.as_of = to;
    replay.from = from;
    replay.reporting_currency = request.reporting_currency;
    const LedgerPerformanceResult perf = ledger_performance(cx, replay);
    out.currency = perf.currency;
    if (perf.end_value_local) out.totals.fx_effect = cents(perf.end_value) - cents(*perf.end_value_local);
    for (const auto& w : perf.warnings) out.warnings.push_back(w);
    out.warnings.push_back("no net-worth snapshots for " + scope_label(source) +
                           (source.transactions_file ? "" : " in this range") +
                           ": values replayed from the transactions and daily closes (keel ledger snapshot records one)");
    // The starting value, then the value at each month end (the last month ends on the last day).
    std::vector<NetWorthValue> series;
    series.push_back({perf.start, perf.start_value});
    for (const auto& p : perf.net_worth) series.push_back(p);
    for (const auto& p : series) {
      const Date d = Date::parse_or_throw(p.date, "date");
      if (!points.empty() && !(points.back().date < d)) continue;
      const Decimal v = cents(p.value);
      points.push_back({d, v});
      NetWorthPointResult r;
      r.date = d.to_string();
      r.net_worth = v;
      out.points.push_back(std::move(r));
    }
  }
  const auto hist = ledger::net_worth_history(points);
  for (std::size_t i = 1; i < out.points.size(); ++i) {
    out.points[i].change.emplace(hist.steps[i - 1].change);
    out.points[i].growth = growth_or_null(hist.steps[i - 1].growth);
  }
  if (hist.total) {
    const auto t = change_of(*hist.total);
    out.totals.start = t.start;
    out.totals.end = t.end;
    out.totals.start_value = t.start_value;
    out.totals.end_value = t.end_value;
    out.totals.change = t.change;
    out.totals.growth = t.growth;
  }
  out.totals.points = points.size();
  out.totals.annualized_growth = growth_or_null(hist.annualized_growth);
  out.scope = scope_label(source);
  if (from) out.from.emplace(from->to_string());
  if (to) out.to.emplace(to->to_string());
  out.growth = {changes_of(hist.monthly), changes_of(hist.quarterly), changes_of(hist.annual)};
  return out;
}

}  // namespace keel::service
