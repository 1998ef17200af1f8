// keel's use cases as the assistant's tools (keel/service/assistant_tools.h).
#include "keel/service/assistant_tools.h"

#include <algorithm>

#include <fmt/format.h>

#include "keel/core/error.h"
#include "keel/io/json_input.h"
#include "keel/io/trades_reader.h"
#include "keel/service/alm_runs.h"
#include "keel/service/clo.h"
#include "keel/service/book_health.h"
#include "keel/service/exposures.h"
#include "keel/service/factors.h"
#include "keel/service/ledger_exports.h"
#include "keel/service/ledger_holdings.h"
#include "keel/service/ledger_lots.h"
#include "keel/service/plan.h"
#include "keel/service/portfolio_history.h"
#include "keel/service/portfolio_performance.h"
#include "keel/service/risk_runs.h"
#include "keel/service/portfolio_view.h"
#include "keel/service/position_detail.h"
#include "keel/service/prices.h"
#include "keel/service/risk.h"
#include "keel/service/whatif.h"
#include "keel/store/store.h"
#include "spec_units.h"

namespace keel::service {
namespace {

using nlohmann::json;

// Limits that keep one answer within seconds on a shared machine; larger runs belong to the
// HTTP API's background jobs.
constexpr std::size_t kMaxToolPaths = 50'000;
constexpr int kMaxToolTrials = 100'000;

// The tool's own request of show_portfolio (GET /api/v1/portfolios/{id} takes it as ?as_of=).
struct NoArgs {
  template <class V, class S>
  static void fields(V&, S&) {}
};

struct PortfolioListOut {
  std::vector<PortfolioListItem> portfolios;
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "portfolios"}, s.portfolios);
  }
};

// A JSON object of arguments without the extra names, read as Req like an HTTP body.
template <class Req>
Req read_args(const json& args, const std::vector<std::string>& extras, std::string_view what) {
  if (!args.is_object())
    throw Error::invalid_input("invalid " + std::string(what), {"(arguments): expected a JSON object"});
  json body = args;
  for (const auto& e : extras) body.erase(e);
  Req r;
  spec::read_json(body, r, what);
  return r;
}

std::string required_text(const json& args, const char* name, std::string_view what) {
  const auto it = args.find(name);
  if (it == args.end() || !it->is_string() || it->get<std::string>().empty()) {
    throw Error::invalid_input("invalid " + std::string(what), {std::string(name) + ": required: a name"});
  }
  return it->get<std::string>();
}

std::optional<std::string> optional_text(const json& args, const char* name, std::string_view what) {
  const auto it = args.find(name);
  if (it == args.end() || it->is_null()) return std::nullopt;
  if (!it->is_string())
    throw Error::invalid_input("invalid " + std::string(what), {std::string(name) + ": expected a string"});
  return it->get<std::string>();
}

// The request's schema as the HTTP face describes it, with the extra arguments.
template <class Req>
json schema_with(const std::vector<std::pair<std::string, json>>& extras,
                 const std::vector<std::string>& required) {
  json s = spec::schema_of<Req>(spec::Role::kRequest, nullptr, spec::kHttp);
  if (!s.contains("properties")) s["properties"] = json::object();
  for (const auto& [name, schema] : extras) s["properties"][name] = schema;
  if (!required.empty()) {
    json req = s.value("required", json::array());
    for (const auto& r : required) req.push_back(r);
    s["required"] = std::move(req);
  }
  return s;
}

json portfolio_schema() {
  return {{"type", "string"}, {"description", "The stored portfolio's name (list_portfolios names them)"}};
}

json trades_schema() {
  return {{"type", "array"},
          {"minItems", 1},
          {"description",
           "Proposed trades, in order: the columns of a trades CSV (docs/whatif.md): symbol, quantity (+ "
           "buy, - sell, "
           "shares or contracts), price (optional), and for an option not held its terms (type, underlying, "
           "strike, expiry, option_type, multiplier)"},
          {"items",
           {{"type", "object"},
            {"properties",
             {{"symbol", {{"type", "string"}}},
              {"quantity", {{"type", "number"}}},
              {"price", {{"type", "number"}}}}},
            {"required", {"symbol", "quantity"}}}}};
}

template <class R>
ToolOutput output(const R& r) {
  return ToolOutput{spec::to_json(r), detail::units_of(r)};
}

// The Context a tool runs with: the caller's, so the use case authorizes and audits the same
// actor (user, tenant, role) the assistant acts for, but with no file access whatever the
// arguments name.
Context tool_context(const Context& cx, const std::string& tenant) {
  Context out{cx.store, Env{cx.env.clock, no_files()}, cx.secrets, cx.outbound, cx.actor, cx.jobs};
  out.actor.tenant = tenant;
  return out;
}

// Trades given as JSON rows, read through the trades CSV reader (every check of a trades file).
std::vector<io::Trade> trades_of(const json& args, std::vector<std::string>& warnings) {
  const auto it = args.find("trades");
  if (it == args.end() || !it->is_array() || it->empty()) {
    throw Error::invalid_input("invalid what-if arguments",
                               {"trades: required: [{\"symbol\", \"quantity\"}, ...]"});
  }
  const std::string csv = io::csv_of_json_rows(*it, "what-if arguments", "trades");
  return io::read_trades_file("trades.json", csv, &warnings);
}

WhatIfRequest whatif_request(const json& args, const std::vector<std::string>& extras) {
  auto req = read_args<WhatIfRequest>(args, extras, "what-if arguments");
  req.inputs.source.portfolio = required_text(args, "portfolio", "what-if arguments");
  req.trades = trades_of(args, req.trade_warnings);
  bool mc =
      std::find(req.methods.begin(), req.methods.end(), risk::VarMethod::kMonteCarlo) != req.methods.end();
  if (mc && req.var.monte_carlo.paths > kMaxToolPaths) {
    throw Error::invalid_input("invalid what-if arguments", {"paths: at most 50000 for the assistant"});
  }
  return req;
}

template <class Req>
Req book_request(const json& args, std::string_view what,
                 BookSource& (*source)(Req&)) {
  auto req = read_args<Req>(args, {"portfolio"}, what);
  auto& src = source(req);
  src.portfolio = required_text(args, "portfolio", what);
  return req;
}

std::vector<AssistantTool> build() {
  std::vector<AssistantTool> t;
  const std::vector<std::pair<std::string, json>> portfolio = {{"portfolio", portfolio_schema()}};
  const std::vector<std::string> needs_portfolio = {"portfolio"};

  t.push_back(
      {"list_portfolios",
       "The user's portfolios: id, name, positions, and the newest batch snapshot's value, 1-day P&L, VaR, "
       "ES, backtest zone and beta (null before the first batch run).",
       ToolAccess::kRead,
       "",
       {},
       [] { return spec::schema_of<NoArgs>(spec::Role::kRequest, nullptr, spec::kHttp); },
       [](const Context& cx, const std::string& tenant, const json& args) {
         (void)read_args<NoArgs>(args, {}, "list_portfolios arguments");
         PortfolioListOut out{portfolio_list(tool_context(cx, tenant))};
         return output(out);
       }});
  t.push_back(
      {"show_portfolio",
       "A portfolio's positions with last prices, market values and weights, and its net, gross, long and "
       "short market value.",
       ToolAccess::kRead, "", needs_portfolio,
       [=] { return schema_with<PortfolioShowRequest>(portfolio, needs_portfolio); },
       [](const Context& cx, const std::string& tenant, const json& args) {
         auto req = read_args<PortfolioShowRequest>(args, {"portfolio"}, "show_portfolio arguments");
         req.portfolio = required_text(args, "portfolio", "show_portfolio arguments");
         (void)require_store(cx, "show_portfolio");
         return output(show_portfolio(tool_context(cx, tenant), req));
       }});
  t.push_back({"portfolio_history",
               "The portfolio's stored daily snapshots (one per batch run): value, 1-day P&L, VaR, ES, "
               "backtest zone, "
               "beta per as-of date. Use it to compare figures between dates (\"higher than last week\").",
               ToolAccess::kRead, "PortfolioHistoryRequest", needs_portfolio,
               [=] { return schema_with<PortfolioHistoryRequest>(portfolio, needs_portfolio); },
               [](const Context& cx, const std::string& tenant, const json& args) {
                 auto req =
                     read_args<PortfolioHistoryRequest>(args, {"portfolio"}, "portfolio_history arguments");
                 req.portfolio = required_text(args, "portfolio", "portfolio_history arguments");
                         return output(portfolio_history(tool_context(cx, tenant), req));
               }});
  t.push_back({"portfolio_performance",
               "The portfolio's performance over its stored daily history (batch runs, keel batch backfill): "
               "time-weighted return, annualised return and volatility, Sharpe, Sortino, maximum drawdown, "
               "and against a benchmark symbol or blend its excess return, tracking error, information ratio "
               "and beta.",
               ToolAccess::kRead, "PortfolioPerformanceRequest", needs_portfolio,
               [=] { return schema_with<PortfolioPerformanceRequest>(portfolio, needs_portfolio); },
               [](const Context& cx, const std::string& tenant, const json& args) {
                 auto req = read_args<PortfolioPerformanceRequest>(args, {"portfolio"},
                                                                   "portfolio_performance arguments");
                 req.portfolio = required_text(args, "portfolio", "portfolio_performance arguments");
                 req.series = false;  // the figures, not every day's row
                 return output(portfolio_performance(tool_context(cx, tenant), req));
               }});
  t.push_back({"position_detail",
               "One position of a portfolio (by the id show_portfolio gives it) valued as the report values "
               "it: price, market value, weight, cost basis, unrealized and 1-day P&L, delta and the money "
               "Greeks of an option. as_of values it at an earlier date.",
               ToolAccess::kRead, "PositionDetailRequest", {"portfolio", "position"},
               [=] {
                 return schema_with<PositionDetailRequest>(
                     {{"portfolio", portfolio_schema()},
                      {"position",
                       {{"type", "integer"}, {"minimum", 1}, {"description", "The position's id (show_portfolio)"}}}},
                     {"portfolio", "position"});
               },
               [](const Context& cx, const std::string& tenant, const json& args) {
                 auto req = read_args<PositionDetailRequest>(args, {"portfolio", "position"},
                                                             "position_detail arguments");
                 req.portfolio = required_text(args, "portfolio", "position_detail arguments");
                 const auto id = args.find("position");
                 if (id == args.end() || !id->is_number_integer() || id->get<std::int64_t>() < 1) {
                   throw Error::invalid_input("invalid position_detail arguments",
                                              {"position: required: a position id (an integer from 1)"});
                 }
                 req.position = id->get<std::int64_t>();
                 return output(position_detail(tool_context(cx, tenant), req));
               }});
  t.push_back(
      {"risk_var",
       "Value at risk and expected shortfall of a portfolio (parametric, historical, Monte Carlo) at a "
       "confidence and horizon, with each position's contribution. as_of computes it at an earlier date.",
       ToolAccess::kCompute, "RiskVarRequest", needs_portfolio,
       [=] { return schema_with<RiskVarRequest>(portfolio, needs_portfolio); },
       [](const Context& cx, const std::string& tenant, const json& args) {
         auto req =
             book_request<RiskVarRequest>(args, "risk_var arguments",
                                          [](RiskVarRequest& r) -> BookSource& { return r.inputs.source; });
         const bool mc = std::find(req.methods.begin(), req.methods.end(), risk::VarMethod::kMonteCarlo) !=
                         req.methods.end();
         if (mc && req.var.monte_carlo.paths > kMaxToolPaths) {
           throw Error::invalid_input("invalid risk_var arguments",
                                      {"paths: at most 50000 for the assistant"});
         }
         req.async = false;
         // The VaR use case, as every face runs it: kept as the portfolio's last VaR; a run the
         // server sends to the background answers with its job.
         const auto run = run_var(tool_context(cx, tenant), req);
         return run.result ? output(*run.result) : output(*run.job);
       }});
  t.push_back(
      {"exposures",
       "Gross, net, long and short exposure of a portfolio, delta-adjusted, grouped by type, sector, tag, "
       "strategy, underlying, currency, country or region.",
       ToolAccess::kCompute, "ExposuresRequest", needs_portfolio,
       [=] { return schema_with<ExposuresRequest>(portfolio, needs_portfolio); },
       [](const Context& cx, const std::string& tenant, const json& args) {
         auto req =
             book_request<ExposuresRequest>(args, "exposures arguments",
                                            [](ExposuresRequest& r) -> BookSource& { return r.book.source; });
         return output(book_exposures(tool_context(cx, tenant), req));
       }});
  t.push_back(
      {"book_health",
       "Health checks of a portfolio with the figure behind each: concentration (largest position, five "
       "largest, largest sector), unclassified holdings, holdings in other currencies, cash drag, stale "
       "prices, options near expiry and unvalued positions; each ok, warn, alert or na against its limit, "
       "with the positions it names.",
       ToolAccess::kCompute, "BookHealthRequest", needs_portfolio,
       [=] { return schema_with<BookHealthRequest>(portfolio, needs_portfolio); },
       [](const Context& cx, const std::string& tenant, const json& args) {
         auto req =
             book_request<BookHealthRequest>(args, "book_health arguments",
                                             [](BookHealthRequest& r) -> BookSource& { return r.book.source; });
         return output(book_health(tool_context(cx, tenant), req));
       }});
  t.push_back({"greeks", "Option Greeks per position and book totals (delta, gamma, vega, theta, rho).",
               ToolAccess::kCompute, "OptionGreeksRequest", needs_portfolio,
               [=] { return schema_with<OptionGreeksRequest>(portfolio, needs_portfolio); },
               [](const Context& cx, const std::string& tenant, const json& args) {
                 auto req = book_request<OptionGreeksRequest>(
                     args, "greeks arguments",
                     [](OptionGreeksRequest& r) -> BookSource& { return r.book.source; });
                 return output(option_greeks(tool_context(cx, tenant), req));
               }});
  t.push_back(
      {"factor_betas",
       "Factor betas of a portfolio (Fama-French 5 by default) with t-statistics, alpha and R-squared.",
       ToolAccess::kCompute, "RiskFactorsRequest", needs_portfolio,
       [=] { return schema_with<FactorsRequest>(portfolio, needs_portfolio); },
       [](const Context& cx, const std::string& tenant, const json& args) {
         auto req =
             book_request<FactorsRequest>(args, "factor_betas arguments",
                                          [](FactorsRequest& r) -> BookSource& { return r.inputs.source; });
         return output(risk_factors(tool_context(cx, tenant), req));
       }});
  t.push_back({"stress",
               "Stress tests of a portfolio: historical scenarios (1987, 2000, 2008, 2011, 2020, 2022) and "
               "hypothetical factor shocks, P&L per scenario.",
               ToolAccess::kCompute, "RiskStressRequest", needs_portfolio,
               [=] { return schema_with<StressRequest>(portfolio, needs_portfolio); },
               [](const Context& cx, const std::string& tenant, const json& args) {
                 auto req = book_request<StressRequest>(
                     args, "stress arguments",
                     [](StressRequest& r) -> BookSource& { return r.inputs.source; });
                 return output(risk_stress(tool_context(cx, tenant), req));
               }});
  t.push_back(
      {"what_if",
       "Pro-forma effect of proposed trades on a portfolio: exposures, Greeks, betas, VaR/ES and stress "
       "before, after and the change. Changes nothing.",
       ToolAccess::kCompute,
       "WhatIfRequest",
       {"portfolio", "trades"},
       [=] {
         return schema_with<WhatIfRequest>({{"portfolio", portfolio_schema()}, {"trades", trades_schema()}},
                                           {"portfolio", "trades"});
       },
       [](const Context& cx, const std::string& tenant, const json& args) {
         auto req = whatif_request(args, {"portfolio", "trades"});
         return output(whatif(tool_context(cx, tenant), req));
       }});
  t.push_back(
      {"save_what_if",
       "Stores the book after proposed trades as a new portfolio. Runs only after the user confirms it; "
       "until then it is pending.",
       ToolAccess::kWrite,
       "WhatIfRequest",
       {"portfolio", "trades", "save_as"},
       [=] {
         return schema_with<WhatIfRequest>(
             {{"portfolio", portfolio_schema()},
              {"trades", trades_schema()},
              {"save_as", {{"type", "string"}, {"description", "Name of the new portfolio"}}}},
             {"portfolio", "trades", "save_as"});
       },
       [](const Context& cx, const std::string& tenant, const json& args) {
         auto req = whatif_request(args, {"portfolio", "trades", "save_as"});
         req.save_as = required_text(args, "save_as", "save_what_if arguments");
         return output(whatif(tool_context(cx, tenant), req));
       }});
  const std::vector<std::pair<std::string, json>> account = {
      {"account",
       {{"type", "string"}, {"description", "One ledger account (default: every account of the user)"}}}};
  t.push_back(
      {"ledger_gains",
       "Realized gains of the personal ledger (short and long term, per sale, wash sales), one calendar year "
       "with `year`.",
       ToolAccess::kRead,
       "LedgerGainsRequest",
       {"account"},
       [=] { return schema_with<LedgerGainsRequest>(account, {}); },
       [](const Context& cx, const std::string& tenant, const json& args) {
         auto req = read_args<LedgerGainsRequest>(args, {"account"}, "ledger_gains arguments");
         req.source.account = optional_text(args, "account", "ledger_gains arguments");
         return output(ledger_gains(tool_context(cx, tenant), req));
       }});
  t.push_back(
      {"ledger_holdings",
       "Holdings of the personal ledger at market: per position basis, value, unrealized gain; cash and net "
       "worth.",
       ToolAccess::kRead,
       "LedgerHoldingsRequest",
       {"account"},
       [=] { return schema_with<LedgerHoldingsRequest>(account, {}); },
       [](const Context& cx, const std::string& tenant, const json& args) {
         auto req = read_args<LedgerHoldingsRequest>(args, {"account"}, "ledger_holdings arguments");
         req.source.account = optional_text(args, "account", "ledger_holdings arguments");
         return output(ledger_holdings(tool_context(cx, tenant), req));
       }});
  t.push_back(
      {"ledger_transactions",
       "An account's stored transactions, each with its number, filtered by symbol, type, from and to; at "
       "most `limit` rows (default 50, at most 500) and `total`, the rows that pass the filter.",
       ToolAccess::kRead,
       "LedgerTransactionsRequest",
       {"account", "limit"},
       [] {
         return schema_with<LedgerTransactionsRequest>(
             {{"account", {{"type", "string"}, {"description", "The ledger account"}}},
              {"limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", 500}, {"description", "Rows at most"}}}},
             {"account"});
       },
       [](const Context& cx, const std::string& tenant, const json& args) {
         auto req = read_args<LedgerTransactionsRequest>(args, {"account", "limit"}, "ledger_transactions arguments");
         req.account = required_text(args, "account", "ledger_transactions arguments");
         req.limit = 50;
         if (const auto it = args.find("limit"); it != args.end()) {
           if (!it->is_number_integer() || *it < 1 || *it > 500) {
             throw Error::invalid_input("invalid ledger_transactions arguments", {"limit: expected 1 to 500"});
           }
           req.limit = it->get<std::size_t>();
         }
         return output(ledger_transactions(tool_context(cx, tenant), req));
       }});
  t.push_back(
      {"prices_show",
       "A symbol's stored closes and adjusted closes between `from` and `to`, and its first and last stored "
       "dates (how fresh its prices are).",
       ToolAccess::kRead,
       "PricesShowRequest",
       {"symbol"},
       [] {
         return schema_with<PricesShowRequest>({{"symbol", {{"type", "string"}, {"description", "The symbol"}}}},
                                               {"symbol"});
       },
       [](const Context& cx, const std::string& tenant, const json& args) {
         auto req = read_args<PricesShowRequest>(args, {"symbol"}, "prices_show arguments");
         req.symbol = required_text(args, "symbol", "prices_show arguments");
         return output(prices_show(tool_context(cx, tenant), req));
       }});
  t.push_back(
      {"plan_retire",
       "Retirement plan by Monte Carlo: success rate, terminal wealth percentiles, safe withdrawal rate "
       "(with target_success), for a balance, horizon, withdrawal rule and return model.",
       ToolAccess::kCompute,
       "PlanRequest",
       {},
       [] { return schema_with<PlanRequest>({}, {}); },
       [](const Context& cx, const std::string& tenant, const json& args) {
         auto req = read_args<PlanRequest>(args, {}, "plan_retire arguments");
         if (req.trials > kMaxToolTrials) {
           throw Error::invalid_input("invalid plan_retire arguments",
                                      {"trials: at most 100000 for the assistant"});
         }
         return output(plan_retire(tool_context(cx, tenant), req));
       }});
  t.push_back(
      {"alm_eve",
       "Economic value of equity of a bank's balance sheet under the six supervisory rate shocks (IRRBB), "
       "on a stored ALM session (`session`) or an inline balance sheet and curves.",
       ToolAccess::kCompute,
       "AlmRequest",
       {},
       [] { return schema_with<AlmRequest>({}, {}); },
       [](const Context& cx, const std::string& tenant, const json& args) {
         auto req = read_args<AlmRequest>(args, {}, "alm_eve arguments");
         return output(alm_eve(tool_context(cx, tenant), req));
       }});
  t.push_back(
      {"alm_nii",
       "Net interest income over the horizon under the rate shocks (IRRBB), on a stored ALM session or an "
       "inline balance sheet and curves.",
       ToolAccess::kCompute,
       "AlmRequest",
       {},
       [] { return schema_with<AlmRequest>({}, {}); },
       [](const Context& cx, const std::string& tenant, const json& args) {
         auto req = read_args<AlmRequest>(args, {}, "alm_nii arguments");
         return output(alm_nii(tool_context(cx, tenant), req));
       }});
  t.push_back({"clo_tests",
               "A CLO deal's collateral quality and coverage tests (OC, IC, WARF, WAS, diversity) for a deal "
               "document given inline with its collateral.",
               ToolAccess::kCompute,
               "CloTestsRequest",
               {},
               [] { return schema_with<CloTestsRequest>({}, {}); },
               [](const Context& cx, const std::string& tenant, const json& args) {
                 if (args.is_object()) {
                   const auto deal = args.find("deal");
                   if (deal != args.end() && deal->is_object()) {
                     if (auto col = deal->find("collateral"); col != deal->end() && col->is_string()) {
                       throw Error::invalid_input(
                           "invalid clo_tests arguments",
                           {"deal.collateral: must be inline (an array): tools read no file"});
                     }
                   }
                 }
                 auto req = read_args<CloTestsRequest>(args, {}, "clo_tests arguments");
                 return output(clo_tests(tool_context(cx, tenant), req));
               }});
  return t;
}

}  // namespace

std::string_view tool_access_name(ToolAccess a) {
  switch (a) {
    case ToolAccess::kRead:
      return "read";
    case ToolAccess::kCompute:
      return "compute";
    case ToolAccess::kWrite:
      return "write";
  }
  return "read";
}

const std::vector<AssistantTool>& assistant_tools() {
  static const std::vector<AssistantTool> tools = build();
  return tools;
}

const AssistantTool* find_assistant_tool(const std::string& name) {
  for (const auto& t : assistant_tools()) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

ToolListResult assistant_tool_list(const AssistantUser& user) {
  ToolListResult out;
  for (const auto& t : assistant_tools()) {
    ToolInfo i;
    i.name = t.name;
    i.description = t.description;
    i.access = std::string(tool_access_name(t.access));
    i.allowed = user.may(t.access);
    if (!t.request_schema.empty()) i.request_schema.emplace(t.request_schema);
    i.parameters = t.schema();
    out.items.push_back(std::move(i));
  }
  return out;
}

}  // namespace keel::service
