// The stored snapshots of portfolios (keel/service/portfolio_history.h): a portfolio's history and
// the portfolio list with each one's newest snapshot.
#include "keel/service/portfolio_history.h"

#include <fmt/format.h>

#include <map>

#include "keel/core/error.h"
#include "keel/service/portfolio_view.h"
#include "keel/store/snapshot_repository.h"
#include "keel/store/store.h"

namespace keel::service {
namespace {

HistoryPoint history_point(const store::PortfolioSnapshot& s) {
  auto opt = [](const std::optional<double>& v) { return v ? spec::Nullable<double>(*v) : spec::Nullable<double>(); };
  auto opt_text = [](const std::string& t) {
    return t.empty() ? spec::Nullable<std::string>() : spec::Nullable<std::string>(t);
  };
  HistoryPoint p;
  p.as_of = s.as_of.to_string();
  p.net_value_amount = opt(s.net_value_amount);
  p.gross_value_amount = opt(s.gross_value_amount);
  p.pnl_1d_amount = opt(s.pnl_1d_amount);
  p.var_amount = opt(s.var_amount);
  p.es_amount = opt(s.es_amount);
  p.var_method = opt_text(s.var_method);
  p.backtest_zone = opt_text(s.backtest_zone);
  p.beta_mkt = opt(s.beta_mkt);
  p.created_at = s.created_at;
  p.report_kept = s.report_kept;
  return p;
}

}  // namespace

PortfolioHistoryResult portfolio_history(const Context& cx, const PortfolioHistoryRequest& req) {
  Store& store = require_store(cx, "portfolio history reads the store (--db)");
  if (req.from && req.to && *req.from > *req.to) {
    throw Error::invalid_input("from " + req.from->to_string() + " is after to " + req.to->to_string());
  }
  store::SnapshotRepository& repo = store.snapshots();
  const auto snaps = repo.list(cx.actor.tenant, req.portfolio, req.from, req.to);
  if (snaps.empty() && !store.find_portfolio(cx.actor.tenant, req.portfolio)) {
    throw Error::not_found("no portfolio named \"" + req.portfolio + "\" and no snapshots of it");
  }
  PortfolioHistoryResult out;
  out.portfolio = req.portfolio;
  out.tenant = cx.actor.tenant;
  if (req.from) out.from.emplace(req.from->to_string());
  if (req.to) out.to.emplace(req.to->to_string());
  for (const auto& s : snaps) out.points.push_back(history_point(s));
  return out;
}

std::string snapshot_report(const Context& cx, std::string_view portfolio, Date as_of) {
  Store& store = require_store(cx, "a snapshot's report reads the store (--db)");
  const auto p = resolve_portfolio(cx, portfolio);
  auto snap = store.snapshots().find(cx.actor.tenant, p.name, as_of);
  if (!snap) {
    throw Error::not_found(fmt::format("no snapshot of {} on {}: History lists the days the batch stored", p.name,
                                       as_of.to_string()));
  }
  if (snap->report_json.empty()) {
    throw Error::not_found(fmt::format(
        "the report of {} on {} is no longer kept (the server keeps snapshot reports for a set number of days); "
        "the day's value, P&L, VaR and zone are still in History",
        p.name, as_of.to_string()));
  }
  return std::move(snap->report_json);
}

std::vector<PortfolioListItem> portfolio_list(const Context& cx) {
  const std::string& tenant = cx.actor.tenant;
  Store& store = require_store(cx, "portfolio list");
  std::map<std::string, store::PortfolioSnapshot> newest;
  for (auto& s : store.snapshots().latest(tenant)) newest.emplace(s.portfolio, std::move(s));
  std::vector<PortfolioListItem> out;
  for (const auto& p : store.list_portfolios(tenant)) {
    PortfolioListItem item{portfolio_record(p), {}};
    if (auto it = newest.find(p.name); it != newest.end()) item.last_snapshot.emplace(history_point(it->second));
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace keel::service
