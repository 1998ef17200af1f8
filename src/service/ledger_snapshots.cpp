// Ledger net-worth snapshots: record one from the holdings valuation, read the history back
// (keel/service/ledger.h; rules in docs/ledger.md, "Net worth history").
#include <nlohmann/json.hpp>

#include "keel/core/error.h"
#include "keel/ledger/networth.h"
#include "keel/service/ledger.h"
#include "keel/store/ledger_repository.h"
#include "keel/store/ledger_snapshot_repository.h"
#include "ledger_internal.h"

namespace keel::service {

using ledger::Decimal;
using ledger_detail::num;

namespace {

// ledger_holdings reports amounts as JSON numbers that print back the exact cents; a snapshot
// stores them to the cent (statement figures).
Decimal cents(const nlohmann::json& v) { return Decimal::from_double(v.get<double>()).round(2, ledger::Rounding::kHalfUp); }

std::string scope_of(const LedgerSource& s) { return s.account.value_or(""); }
std::string scope_label(const LedgerSource& s) { return s.account ? "account " + *s.account : "all accounts"; }

nlohmann::json growth_or_null(const std::optional<double>& g) { return g ? nlohmann::json(*g) : nlohmann::json(); }

nlohmann::json change_json(const ledger::NetWorthChange& c) {
  nlohmann::json j = {{"start", c.start.to_string()},
                      {"end", c.end.to_string()},
                      {"start_value", num(c.start_value)},
                      {"end_value", num(c.end_value)},
                      {"change", num(c.change)},
                      {"growth", growth_or_null(c.growth)}};
  if (!c.period.empty()) j["period"] = c.period;
  return j;
}

nlohmann::json changes_json(const std::vector<ledger::NetWorthChange>& v) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& c : v) a.push_back(change_json(c));
  return a;
}

}  // namespace

nlohmann::json record_ledger_snapshot(Store& store, const LedgerSource& source) {
  if (source.transactions_file) {
    throw Error::usage("snapshots are of stored accounts: import the transactions first (keel import transactions)");
  }
  const nlohmann::json h = ledger_holdings(&store, source);
  const auto& tot = h["totals"];
  store::LedgerSnapshot s;
  s.tenant = source.tenant;
  s.account = scope_of(source);
  s.as_of = Date::parse_or_throw(h["as_of"].get<std::string>(), "as_of");
  s.market_value = cents(tot["securities_value"]);
  s.cash = cents(tot["cash"]);
  s.net_worth = s.market_value + s.cash;
  s.cost_basis = cents(tot["basis"]);
  s.unrealized = s.market_value - s.cost_basis;
  s.unpriced = static_cast<int>(h["unpriced"].size());
  const bool replaced = store.ledger_snapshots().save(s);
  return {{"account", source.account ? nlohmann::json(*source.account) : nlohmann::json()},
          {"scope", scope_label(source)},
          {"as_of", s.as_of.to_string()},
          {"net_worth", num(s.net_worth)},
          {"market_value", num(s.market_value)},
          {"cash", num(s.cash)},
          {"cost_basis", num(s.cost_basis)},
          {"unrealized", num(s.unrealized)},
          {"unpriced", h["unpriced"]},
          {"replaced", replaced},
          {"warnings", h["warnings"]}};
}

nlohmann::json ledger_networth(Store* store, const LedgerSource& source, std::optional<Date> from,
                               std::optional<Date> to) {
  if (from && to && *to < *from) throw Error::invalid_input("--to is before --from");
  std::vector<store::LedgerSnapshot> snaps;
  if (store != nullptr && !source.transactions_file) {
    if (source.account) {
      store::LedgerRepository& accounts = store->ledger();
      if (!accounts.find_account(source.tenant, *source.account)) {
        throw Error::not_found("no account named '" + *source.account + "'");
      }
    }
    snaps = store->ledger_snapshots().list(source.tenant, scope_of(source), from, to);
  }
  std::vector<ledger::NetWorthPoint> points;
  nlohmann::json rows = nlohmann::json::array();
  nlohmann::json warnings = nlohmann::json::array();
  std::string origin = "snapshots";
  if (!snaps.empty()) {
    for (const auto& s : snaps) {
      points.push_back({s.as_of, s.net_worth});
      rows.push_back({{"date", s.as_of.to_string()},
                      {"net_worth", num(s.net_worth)},
                      {"market_value", num(s.market_value)},
                      {"cash", num(s.cash)},
                      {"cost_basis", num(s.cost_basis)},
                      {"unrealized", num(s.unrealized)},
                      {"unpriced", s.unpriced},
                      {"recorded_at", s.created_at}});
      if (s.unpriced > 0) {
        warnings.push_back("snapshot " + s.as_of.to_string() + " left out " + std::to_string(s.unpriced) +
                           " unpriced position(s)");
      }
    }
  } else {
    // No snapshots: month-end values replayed from the transactions over the daily closes.
    origin = "replay";
    LedgerSource replay = source;
    if (to) replay.as_of = to;
    const nlohmann::json perf = ledger_performance(store, replay, from, ledger::PerformanceOptions{});
    for (const auto& w : perf["warnings"]) warnings.push_back(w);
    warnings.push_back("no net-worth snapshots for " + scope_label(source) +
                       (source.transactions_file ? "" : " in this range") +
                       ": values replayed from the transactions and daily closes (keel ledger snapshot records one)");
    // The starting value, then the value at each month end (the last month ends on the last day).
    nlohmann::json series = nlohmann::json::array();
    series.push_back({{"date", perf["start"]}, {"value", perf["start_value"]}});
    for (const auto& p : perf["net_worth"]) series.push_back(p);
    for (const auto& p : series) {
      const Date d = Date::parse_or_throw(p["date"].get<std::string>(), "date");
      if (!points.empty() && !(points.back().date < d)) continue;
      const Decimal v = cents(p["value"]);
      points.push_back({d, v});
      rows.push_back({{"date", d.to_string()},
                      {"net_worth", num(v)},
                      {"market_value", nullptr},
                      {"cash", nullptr},
                      {"cost_basis", nullptr},
                      {"unrealized", nullptr}});
    }
  }
  const auto hist = ledger::net_worth_history(points);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    rows[i]["change"] = i == 0 ? nlohmann::json() : num(hist.steps[i - 1].change);
    rows[i]["growth"] = i == 0 ? nlohmann::json() : growth_or_null(hist.steps[i - 1].growth);
  }
  nlohmann::json totals = hist.total ? change_json(*hist.total) : nlohmann::json::object();
  totals["points"] = points.size();
  totals["annualized_growth"] = growth_or_null(hist.annualized_growth);
  return {{"scope", scope_label(source)},
          {"source", origin},
          {"from", from ? nlohmann::json(from->to_string()) : nlohmann::json()},
          {"to", to ? nlohmann::json(to->to_string()) : nlohmann::json()},
          {"points", rows},
          {"totals", totals},
          {"growth",
           {{"monthly", changes_json(hist.monthly)},
            {"quarterly", changes_json(hist.quarterly)},
            {"annual", changes_json(hist.annual)}}},
          {"warnings", warnings}};
}

}  // namespace keel::service
