// clo_trade_preview and clo_trade (keel/service/clo_trades.h).
#include "keel/service/clo_trades.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "keel/clo/trade.h"
#include "keel/core/error.h"
#include "keel/io/clo_deal_reader.h"
#include "keel/service/clo.h"
#include "keel/service/clo_deals.h"

namespace keel::service {
namespace {

// Principal cash below this (currency) is a rounding remainder of the ticket's arithmetic.
constexpr double kCashEpsilon = 0.005;

spec::Nullable<double> finite(double x) {
  spec::Nullable<double> out;
  if (std::isfinite(x)) out.emplace(x);
  return out;
}

// The tests of a result, quality then coverage, each with its kind.
std::vector<std::pair<const CloTest*, const char*>> tests_with_kind(const CloTestsResult& r) {
  std::vector<std::pair<const CloTest*, const char*>> out;
  for (const auto& t : r.quality) out.emplace_back(&t, "quality");
  for (const auto& t : r.coverage.tests) out.emplace_back(&t, "coverage");
  return out;
}

// What the trades did to one test, from its cushions (NaN: undefined) and passes.
std::string effect_of(double before, double after, bool pass_before, bool pass_after, double scale) {
  if (pass_before && !pass_after) return "breaks";
  if (!pass_before && pass_after) return "cures";
  if (!std::isfinite(before) || !std::isfinite(after)) return "unchanged";
  const double tolerance = 1e-12 * std::max(1.0, scale);
  if (after > before + tolerance) return "improves";
  if (after < before - tolerance) return "worsens";
  return "unchanged";
}

// Every test before and after, matched by kind and name (a test only one side has gets nulls).
void compare(const CloTestsResult& before, const CloTestsResult& after, CloTradeResult& out) {
  const auto b = tests_with_kind(before);
  const auto a = tests_with_kind(after);
  std::vector<bool> matched(a.size(), false);
  auto row = [&](const CloTest* x, const CloTest* y, const char* kind) {
    CloTradeTest t;
    const CloTest& any = x ? *x : *y;
    t.name = any.name;
    t.kind = kind;
    t.bound = any.bound;
    t.threshold = any.threshold;
    const double nan = std::nan("");
    if (x) {
      t.before = finite(x->value);
      t.cushion_before = finite(x->cushion);
      t.pass_before = x->pass;
      t.subject_before = x->subject;
    }
    if (y) {
      t.after = finite(y->value);
      t.cushion_after = finite(y->cushion);
      t.pass_after = y->pass;
      t.subject_after = y->subject;
    }
    t.effect = effect_of(x ? x->cushion : nan, y ? y->cushion : nan, t.pass_before, t.pass_after,
                         std::fabs(any.threshold));
    if (t.effect == "breaks") out.breaks.push_back(t.name);
    if (t.effect == "worsens" && !t.pass_before) out.worsens.push_back(t.name);
    out.tests.push_back(std::move(t));
  };
  for (const auto& [x, kind] : b) {
    const CloTest* y = nullptr;
    for (std::size_t j = 0; j < a.size() && !y; ++j) {
      if (!matched[j] && a[j].second == std::string_view(kind) && a[j].first->name == x->name) {
        matched[j] = true;
        y = a[j].first;
      }
    }
    row(x, y, kind);
  }
  for (std::size_t j = 0; j < a.size(); ++j) {
    if (!matched[j]) row(nullptr, a[j].first, a[j].second);
  }
  out.complies = out.breaks.empty() && out.worsens.empty();
}

double pool_par(const std::vector<clo::Loan>& pool) {
  double s = 0.0;
  for (const auto& l : pool) s += l.par;
  return s;
}

struct Traded {
  CloTradeResult result;
  std::vector<clo::Loan> pool;  // after the trades, ratings derived by the deal's rule
  double principal_cash_after = 0.0;
};

Traded trade(const Context& cx, std::int64_t id, const std::string& name, std::int64_t version,
             const CloTradeRequest& request) {
  if (!request.trade_date) throw Error::invalid_input("invalid CLO trade", {"trade_date: required: the trade date"});
  const std::vector<clo::Trade> ticket = io::parse_clo_trades_csv(request.trades_csv, request.trades_file.value_or("trades.csv"));
  io::CloDealFile file = clo_deal_file(cx, id, version);
  if (*request.trade_date < file.deal.dates.closing) {
    throw Error::invalid_input("invalid CLO trade", {fmt::format("trade_date: {} is before the deal's closing date {}",
                                                                 request.trade_date->to_string(),
                                                                 file.deal.dates.closing.to_string())});
  }
  clo::TradeOutcome done = clo::apply_trades(file.deal.collateral, ticket);
  for (clo::Loan& l : done.pool) {
    if (const auto r = clo::derived_rating(l.moodys, l.sp, file.deal.rating_rule)) l.rating = *r;
  }
  Traded out;
  CloTradeResult& r = out.result;
  r.deal_id = id;
  r.deal = name;
  r.version = version;
  r.trade_date = request.trade_date->to_string();
  for (const auto& l : done.lines) {
    r.lines.push_back({clo::trade_action_name(l.action), l.asset_id, l.obligor, l.par, l.price * 100.0, l.cash});
  }
  r.par_sold = done.par_sold;
  r.par_bought = done.par_bought;
  r.proceeds = done.proceeds;
  r.cost = done.cost;
  r.net_cash = done.net_cash();
  r.principal_cash_before = file.deal.principal_cash;
  r.principal_cash_after = file.deal.principal_cash + done.net_cash();
  if (std::fabs(r.principal_cash_after) < kCashEpsilon) r.principal_cash_after = 0.0;
  r.par_before = pool_par(file.deal.collateral);
  r.par_after = pool_par(done.pool);
  if (r.principal_cash_after < 0.0) {
    r.warnings.push_back(fmt::format("the purchases cost {:.2f} more than the principal account holds ({:.2f} with "
                                     "the sales): the ticket cannot be applied as it is",
                                     -r.principal_cash_after, r.principal_cash_before));
  }
  CloDealTestsRequest at;
  at.at.version = version;
  at.as_of = request.trade_date;
  io::CloDealFile after = file;
  after.deal.collateral = done.pool;
  after.deal.principal_cash = std::max(0.0, r.principal_cash_after);
  const CloTestsResult before_tests = clo_deal_tests(cx, id, at, std::move(file));
  const CloTestsResult after_tests = clo_deal_tests(cx, id, at, std::move(after));
  compare(before_tests, after_tests, r);
  for (const auto& w : after_tests.warnings) {
    if (std::find(r.warnings.begin(), r.warnings.end(), w) == r.warnings.end()) r.warnings.push_back(w);
  }
  out.pool = std::move(done.pool);
  out.principal_cash_after = r.principal_cash_after;
  return out;
}

}  // namespace

CloTradeResult clo_trade_preview(const Context& cx, const CloTradeRequest& request) {
  const std::int64_t id = clo_deal_id(cx, request.deal);
  authorize(cx, kCloTradePreview, fmt::format("clo_deal/{}", id));
  const CloDealShown shown = clo_deal_show(cx, id, request.version);
  return trade(cx, id, shown.deal.name, shown.version.version, request).result;
}

CloTradeResult clo_trade(const Context& cx, const CloTradeRequest& request) {
  const std::int64_t id = clo_deal_id(cx, request.deal);
  authorize(cx, kCloTrade, fmt::format("clo_deal/{}", id));
  const CloDealShown shown = clo_deal_show(cx, id, std::nullopt);
  if (request.version && *request.version != shown.version.version) {
    throw Error::conflict(fmt::format("CLO deal {} is at version {}, not the version {} the trades were tested on: "
                                      "test them again",
                                      id, shown.version.version, *request.version));
  }
  Traded t = trade(cx, id, shown.deal.name, shown.version.version, request);
  CloTradeResult& r = t.result;
  if (r.principal_cash_after < 0.0) {
    throw Error::invalid_input("the trades cannot be applied",
                               {fmt::format("trades: the purchases cost {:.2f} more than the principal account holds",
                                            -r.principal_cash_after)});
  }
  const CloTradeTicket ticket{r.trade_date, r.lines,      r.net_cash, r.principal_cash_before, r.principal_cash_after,
                              r.complies,   r.breaks,     r.worsens};
  const CloDealVersionInfo v =
      clo_deal_add_trade_version(cx, id, r.version, t.pool, t.principal_cash_after, spec::to_json(ticket).dump(), request.comment);
  r.applied = true;
  r.new_version = v.version;
  audit(cx, kCloTrade, fmt::format("clo_deal/{}", id),
        {{"version", v.version},
         {"trade_date", r.trade_date},
         {"lines", r.lines.size()},
         {"net_cash", r.net_cash},
         {"complies", r.complies},
         {"breaks", r.breaks},
         {"worsens", r.worsens}},
        r.complies ? "ok" : "breach");
  return r;
}

}  // namespace keel::service
