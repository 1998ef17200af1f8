// portfolio_overview (keel/service/overview.h).
#include "keel/service/overview.h"

#include <fmt/format.h>

#include "keel/core/error.h"
#include "keel/service/admission.h"
#include "keel/service/report_cache.h"
#include "keel/store/store.h"

namespace keel::service {
namespace {

// The parts of a report document the overview shows.
nlohmann::json report_headline(const nlohmann::json& report) {
  nlohmann::json rows = nlohmann::json::array();
  if (const auto p = report.find("positions"); p != report.end() && p->is_object()) {
    for (const auto& r : p->value("rows", nlohmann::json::array())) {
      rows.push_back({{"symbol", r.value("symbol", "")},
                      {"currency", r.value("currency", nlohmann::json())},
                      {"market_value_amount", r.value("market_value_amount", nlohmann::json())},
                      {"pnl_1d_amount", r.value("pnl_1d_amount", nlohmann::json())}});
    }
  }
  return {{"as_of", report.value("as_of", nlohmann::json())},
          {"summary", report.value("summary", nlohmann::json::object())},
          {"positions", {{"rows", std::move(rows)}}}};
}

}  // namespace

Overview portfolio_overview(const Context& cx, const OverviewRequest& request) {
  Store& store = require_store(cx, "the overview reads the store");
  std::vector<PortfolioSummary> all = store.list_portfolios(cx.actor.tenant);
  Overview out;
  out.total = all.size();
  if (all.size() > request.limit) all.resize(request.limit);
  std::size_t positions = 0;
  for (const auto& p : all) positions += p.positions;
  ComputeCost cost;
  cost.operation = "portfolio overview";
  cost.engine = Engine::kBookRow;
  cost.steps = static_cast<double>(positions);
  cost.formula = fmt::format("positions {} of {} portfolios", positions, all.size());
  cost.memory_bytes = 2000.0 * static_cast<double>(positions);
  cost.parameter = "limit";
  admit(cx, cost);
  for (const auto& p : all) {
    OverviewPortfolio o;
    o.id = p.id;
    o.name = p.name;
    try {
      PortfolioShowRequest show;
      show.portfolio = p.name;
      PortfolioView view = show_portfolio(cx, show);
      view.id = p.id;
      o.view.emplace(std::move(view));
    } catch (const Error& e) {
      o.view_error.emplace(e.what());
    }
    PortfolioHistoryRequest h;
    h.portfolio = p.name;
    o.history = portfolio_history(cx, h);
    o.history.portfolio_id = p.id;
    if (const auto report = cached_report_only(cx, p)) o.report = report_headline(*report);
    out.portfolios.push_back(std::move(o));
  }
  return out;
}

}  // namespace keel::service
