// Trades of single loans applied to a CLO pool (keel/clo/trade.h).
#include "keel/clo/trade.h"

#include <fmt/format.h>

#include <cmath>
#include <cstddef>

#include "keel/core/error.h"

namespace keel::clo {
namespace {

// Par below this (currency) is a rounding remainder, not a holding.
constexpr double kParEpsilon = 0.005;

// The index of the loan `asset` names in `pool`: its asset id, else its only loan of that obligor.
// Loans sold whole earlier in the ticket (`removed`) are no longer in the pool.
std::optional<std::size_t> find_loan(const std::vector<Loan>& pool, const std::vector<bool>& removed,
                                     const std::string& asset, std::string& problem) {
  for (std::size_t i = 0; i < pool.size(); ++i) {
    if (!removed[i] && !pool[i].asset_id.empty() && pool[i].asset_id == asset) return i;
  }
  std::optional<std::size_t> found;
  std::size_t count = 0;
  for (std::size_t i = 0; i < pool.size(); ++i) {
    if (!removed[i] && pool[i].obligor == asset) {
      found = i;
      ++count;
    }
  }
  if (count > 1) {
    problem = fmt::format("obligor '{}' has {} loans in the pool: name the loan by its asset_id", asset, count);
    return std::nullopt;
  }
  if (!found) problem = fmt::format("no loan with asset id or obligor '{}' in the pool", asset);
  return found;
}

}  // namespace

std::optional<TradeAction> parse_trade_action(std::string_view text) {
  if (text == "buy") return TradeAction::kBuy;
  if (text == "sell") return TradeAction::kSell;
  if (text == "upsize") return TradeAction::kUpsize;
  if (text == "downsize") return TradeAction::kDownsize;
  return std::nullopt;
}

const char* trade_action_name(TradeAction a) {
  switch (a) {
    case TradeAction::kBuy: return "buy";
    case TradeAction::kSell: return "sell";
    case TradeAction::kUpsize: return "upsize";
    case TradeAction::kDownsize: return "downsize";
  }
  return "";
}

TradeOutcome apply_trades(std::span<const Loan> pool, std::span<const Trade> trades) {
  TradeOutcome out;
  out.pool.assign(pool.begin(), pool.end());
  std::vector<bool> removed(out.pool.size(), false);
  std::vector<std::string> problems;
  for (const Trade& t : trades) {
    auto fail = [&](const std::string& message) { problems.push_back(t.where + ": " + message); };
    if (!(t.price > 0.0 && t.price <= 2.0)) {
      fail("price must be in percent of par, above 0 and at most 200");
      continue;
    }
    if (t.par && !(*t.par > 0.0 && std::isfinite(*t.par))) {
      fail("par must be a positive amount");
      continue;
    }
    if (t.action == TradeAction::kBuy) {
      if (!t.par) {
        fail("par is required for a buy");
        continue;
      }
      Loan l = t.loan;
      l.par = *t.par;
      l.price = t.price;
      out.lines.push_back({t.action, l.asset_id, l.obligor, l.par, t.price, -l.par * t.price});
      out.par_bought += l.par;
      out.cost += l.par * t.price;
      out.pool.push_back(std::move(l));
      removed.push_back(false);
      continue;
    }
    std::string problem;
    const auto found = find_loan(out.pool, removed, t.asset, problem);
    if (!found) {
      fail(problem);
      continue;
    }
    Loan& l = out.pool[*found];
    const double held = l.par;
    double par = t.par.value_or(held);
    if (t.action == TradeAction::kUpsize) {
      if (!t.par) {
        fail("par is required for an upsize");
        continue;
      }
      l.par += par;
      out.par_bought += par;
      out.cost += par * t.price;
      out.lines.push_back({t.action, l.asset_id, l.obligor, par, t.price, -par * t.price});
      continue;
    }
    if (t.action == TradeAction::kDownsize && !t.par) {
      fail("par is required for a downsize (a sale of the whole loan is a sell)");
      continue;
    }
    if (par > held + kParEpsilon) {
      fail(fmt::format("sells {:.2f} of par but the pool holds {:.2f} of {}", par, held, l.obligor));
      continue;
    }
    if (t.action == TradeAction::kDownsize && held - par < kParEpsilon) {
      fail("a downsize must leave par in the loan: sell it instead");
      continue;
    }
    if (held - par < kParEpsilon) par = held;
    l.par = held - par;
    if (l.par <= 0.0) removed[*found] = true;
    out.par_sold += par;
    out.proceeds += par * t.price;
    out.lines.push_back({t.action, l.asset_id, l.obligor, par, t.price, par * t.price});
  }
  if (!problems.empty()) throw Error::invalid_input("the trades cannot be applied to the pool", problems);
  std::vector<Loan> kept;
  kept.reserve(out.pool.size());
  for (std::size_t i = 0; i < out.pool.size(); ++i) {
    if (!removed[i]) kept.push_back(std::move(out.pool[i]));
  }
  out.pool = std::move(kept);
  return out;
}

}  // namespace keel::clo
