#include "keel/construct/rebalance.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string_view>
#include <tuple>

#include "keel/core/error.h"

namespace keel::construct {
namespace {

// Shares are compared with a tolerance well below any lot, so that 0.1 x 3 lots is 0.3 shares.
constexpr double kShareEps = 1e-9;

double cents(double x) { return std::round(x * 100.0) / 100.0; }

// Whole lots nearest to `shares` (>= 0).
double nearest_lots(double shares, double lot) { return std::round(shares / lot) * lot; }
double lots_below(double shares, double lot) { return std::floor(shares / lot + kShareEps) * lot; }

struct Draft {
  std::size_t holding = 0;
  double quantity = 0.0;  // signed: > 0 buy, < 0 sell
  double target_weight = 0.0;
  std::vector<LotSale> lots;
};

// One lot a sale may close, with its place in the order of relief.
struct Candidate {
  std::size_t draft = 0;
  std::size_t lot = 0;
  int rank = 0;          // 0 loss, 1 long-term gain, 2 short-term gain
  double gain_per_share = 0.0;
};

void check_input(const RebalanceInput& in) {
  std::vector<std::string> problems;
  if (!(in.lot_size > 0.0)) problems.push_back(fmt::format("lot size must be positive, got {}", in.lot_size));
  if (!(in.cash_weight >= 0.0 && in.cash_weight <= 1.0))
    problems.push_back(fmt::format("cash weight must be in [0, 1], got {}", in.cash_weight));
  if (!(in.min_trade_amount >= 0.0)) problems.push_back("minimum trade amount must not be negative");
  if (!(in.cost_bp >= 0.0)) problems.push_back("cost must not be negative");
  for (const Holding& h : in.holdings) {
    if (!(h.price > 0.0)) problems.push_back(fmt::format("{}: price must be positive, got {}", h.symbol, h.price));
    if (!(h.quantity >= 0.0))
      problems.push_back(fmt::format("{}: rebalancing holds long positions only, got {} shares", h.symbol, h.quantity));
  }
  for (const auto& entry : in.target) {
    const std::string& sym = entry.first;
    const double w = entry.second;
    if (!(w >= 0.0)) problems.push_back(fmt::format("{}: target weight must not be negative, got {}", sym, w));
    const bool priced = std::any_of(in.holdings.begin(), in.holdings.end(),
                                    [&sym](const Holding& h) { return h.symbol == sym; });
    if (!priced) problems.push_back(fmt::format("{}: target symbol without a price", sym));
  }
  if (!problems.empty()) {
    std::string all;
    for (const auto& p : problems) all += (all.empty() ? "" : "; ") + p;
    throw Error::invalid_input(all);
  }
}

}  // namespace

std::string_view lot_term_name(LotTerm t) { return t == LotTerm::kLong ? "long" : "short"; }

RebalancePlan rebalance(const RebalanceInput& in) {
  check_input(in);
  RebalancePlan plan;
  const std::vector<Holding>& h = in.holdings;
  const double lot = in.lot_size;
  const double cost_rate = in.cost_bp / 10000.0;

  double value = in.cash;
  for (const Holding& x : h) value += x.quantity * x.price;
  if (!(value > 0.0)) throw Error::invalid_input(fmt::format("the book's value must be positive, got {}", value));
  plan.value = value;
  plan.cash_before = in.cash;

  double weight_sum = 0.0;
  for (const auto& entry : in.target) weight_sum += entry.second;
  double scale = 1.0;
  if (weight_sum > 1.0 - in.cash_weight + 1e-12) {
    scale = (1.0 - in.cash_weight) / weight_sum;
    plan.warnings.push_back(fmt::format("target weights add up to {:.6g}: scaled by {:.6g} to keep the cash weight {:.6g}",
                                        weight_sum, scale, in.cash_weight));
  }

  // Symbols in order, so the plan does not depend on the order of the holdings.
  std::vector<std::size_t> order(h.size());
  for (std::size_t i = 0; i < h.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&h](std::size_t a, std::size_t b) { return h[a].symbol < h[b].symbol; });

  std::vector<Draft> drafts;
  std::vector<double> target_weight(h.size(), 0.0);
  for (const std::size_t i : order) {
    const Holding& x = h[i];
    const auto t = in.target.find(x.symbol);
    const double tw = t == in.target.end() ? 0.0 : t->second * scale;
    target_weight[i] = tw;
    const double delta = tw * value / x.price - x.quantity;
    double q = 0.0;
    if (delta < 0.0) {
      q = tw == 0.0 ? -x.quantity : -std::min(x.quantity, nearest_lots(-delta, lot));
    } else {
      q = nearest_lots(delta, lot);
    }
    if (std::abs(q) <= kShareEps) continue;
    if (std::abs(q) * x.price < in.min_trade_amount) continue;
    drafts.push_back({i, q, tw, {}});
  }

  // Buys that would disallow a recent loss.
  if (in.tax_aware) {
    std::erase_if(drafts, [&](const Draft& d) {
      if (d.quantity <= 0.0) return false;
      const auto why = in.no_buy.find(h[d.holding].symbol);
      if (why == in.no_buy.end()) return false;
      plan.wash_sales_avoided.push_back({h[d.holding].symbol, why->second, std::nullopt});
      return true;
    });
  }

  // Lots of each sale, in the order of relief, within the tax budget.
  if (in.tax_aware) {
    std::vector<Candidate> candidates;
    std::vector<double> wanted(drafts.size(), 0.0);
    // Each symbol's lots, so a sale looks at its own (linear in lots, not sales x lots).
    std::map<std::string_view, std::vector<std::size_t>> lots_of;
    for (std::size_t k = 0; k < in.lots.size(); ++k) lots_of[in.lots[k].symbol].push_back(k);
    for (std::size_t d = 0; d < drafts.size(); ++d) {
      if (drafts[d].quantity >= 0.0) continue;
      const Holding& x = h[drafts[d].holding];
      wanted[d] = -drafts[d].quantity;
      const double net_price = x.price * (1.0 - cost_rate);
      const auto own = lots_of.find(x.symbol);
      if (own == lots_of.end()) continue;
      for (const std::size_t k : own->second) {
        const TaxLot& l = in.lots[k];
        if (!(l.quantity > 0.0)) continue;
        const double g = net_price - l.basis / l.quantity;
        if (g < 0.0) {
          const auto why = in.no_loss_sale.find(x.symbol);
          if (why != in.no_loss_sale.end()) {
            plan.wash_sales_avoided.push_back({x.symbol, why->second, l.lot_id});
            continue;
          }
        }
        candidates.push_back({d, k, g < 0.0 ? 0 : (l.term == LotTerm::kLong ? 1 : 2), g});
      }
    }
    std::stable_sort(candidates.begin(), candidates.end(), [&](const Candidate& a, const Candidate& b) {
      const TaxLot& la = in.lots[a.lot];
      const TaxLot& lb = in.lots[b.lot];
      return std::tie(a.rank, a.gain_per_share, la.symbol, la.open_date, la.lot_id) <
             std::tie(b.rank, b.gain_per_share, lb.symbol, lb.open_date, lb.lot_id);
    });
    std::vector<double> remaining = wanted;
    std::vector<bool> budget_bound(drafts.size(), false);
    double net = 0.0;
    for (const Candidate& c : candidates) {
      if (remaining[c.draft] <= kShareEps) continue;
      const TaxLot& l = in.lots[c.lot];
      double take = std::min(remaining[c.draft], l.quantity);
      if (in.tax_budget && c.gain_per_share > 0.0) {
        const double room = std::max(0.0, *in.tax_budget - net);
        const double fits = std::floor(room / c.gain_per_share + kShareEps);
        if (take > fits) {
          take = fits;
          budget_bound[c.draft] = true;
        }
      }
      if (take <= kShareEps) continue;
      drafts[c.draft].lots.push_back({l.lot_id, l.open_date, take, l.basis * take / l.quantity, 0.0, l.term});
      net += take * c.gain_per_share;
      remaining[c.draft] -= take;
    }
    for (std::size_t d = 0; d < drafts.size(); ++d) {
      if (drafts[d].quantity >= 0.0) continue;
      Draft& dr = drafts[d];
      const Holding& x = h[dr.holding];
      double sold = wanted[d] - remaining[d];
      if (sold + kShareEps < wanted[d]) {
        // A partial sale is kept to whole lots: the last lots chosen (the largest gains) give way.
        const double kept = lots_below(sold, lot);
        double cut = sold - kept;
        while (cut > kShareEps && !dr.lots.empty()) {
          LotSale& last = dr.lots.back();
          const double c = std::min(cut, last.quantity);
          last.basis -= last.basis * c / last.quantity;
          last.quantity -= c;
          cut -= c;
          if (last.quantity <= kShareEps) dr.lots.pop_back();
        }
        sold = kept;
        const char* why = budget_bound[d] ? "the tax budget" : "the lots the account can sell";
        plan.warnings.push_back(fmt::format("{}: sells {:g} of the {:g} shares the target asks, within {}", x.symbol,
                                            sold, wanted[d], why));
      }
      dr.quantity = -sold;
    }
    std::erase_if(drafts, [&](const Draft& d) {
      return std::abs(d.quantity) <= kShareEps || std::abs(d.quantity) * h[d.holding].price < in.min_trade_amount;
    });
  }

  // Cash pays for the buys and every cost; buys give way, largest first.
  auto cash_after = [&] {
    double c = in.cash;
    for (const Draft& d : drafts) {
      const double amount = std::abs(d.quantity) * h[d.holding].price;
      c += (d.quantity > 0.0 ? -amount : amount) - amount * cost_rate;
    }
    return c;
  };
  double cash = cash_after();
  bool cut = false;
  while (cash < -1e-9) {
    Draft* largest = nullptr;
    for (Draft& d : drafts) {
      if (d.quantity > 0.0 && (largest == nullptr || d.quantity * h[d.holding].price >
                                                         largest->quantity * h[largest->holding].price))
        largest = &d;
    }
    if (largest == nullptr) {
      plan.warnings.push_back(fmt::format("the sales' costs exceed the cash by {:.2f}", -cash));
      break;
    }
    const double price = h[largest->holding].price * (1.0 + cost_rate);
    const double lots = std::ceil(-cash / price / lot - kShareEps);
    largest->quantity = std::max(0.0, largest->quantity - lots * lot);
    cut = true;
    std::erase_if(drafts, [&](const Draft& d) {
      return d.quantity > 0.0 ? d.quantity <= kShareEps || d.quantity * h[d.holding].price < in.min_trade_amount
                              : false;
    });
    std::erase_if(drafts, [](const Draft& d) { return std::abs(d.quantity) <= kShareEps; });
    cash = cash_after();
  }
  if (cut) plan.warnings.push_back("buys cut to whole lots the cash can pay for, costs included");

  // The plan's figures.
  std::vector<double> after(h.size());
  for (std::size_t i = 0; i < h.size(); ++i) after[i] = h[i].quantity;
  double turnover = 0.0;
  for (Draft& d : drafts) {
    const Holding& x = h[d.holding];
    Trade t;
    t.symbol = x.symbol;
    t.buy = d.quantity > 0.0;
    t.quantity = std::abs(d.quantity);
    t.price = x.price;
    t.amount = t.quantity * x.price;
    t.cost = t.amount * cost_rate;
    t.target_weight = d.target_weight;
    for (LotSale& s : d.lots) {
      const double proceeds = cents(s.quantity * x.price * (1.0 - cost_rate));
      s.basis = cents(s.basis);
      s.gain = cents(proceeds - s.basis);
      (s.term == LotTerm::kLong ? plan.long_term_gain : plan.short_term_gain) += s.gain;
    }
    t.lots = std::move(d.lots);
    after[d.holding] += d.quantity;
    turnover += t.amount;
    plan.cost += t.cost;
    plan.trades.push_back(std::move(t));
  }
  plan.short_term_gain = cents(plan.short_term_gain);
  plan.long_term_gain = cents(plan.long_term_gain);
  plan.cash_after = cash;
  plan.turnover = turnover / value;
  const double value_after = value - plan.cost;
  for (const std::size_t i : order) {
    plan.weights_before[h[i].symbol] = h[i].quantity * h[i].price / value;
    plan.weights_after[h[i].symbol] = after[i] * h[i].price / value_after;
  }
  for (Trade& t : plan.trades) {
    t.weight_before = plan.weights_before[t.symbol];
    t.weight_after = plan.weights_after[t.symbol];
  }
  if (in.tax_budget && plan.short_term_gain + plan.long_term_gain > *in.tax_budget + 0.005) {
    plan.warnings.push_back(fmt::format("the realized gain {:.2f} exceeds the tax budget {:.2f} after rounding to lots",
                                        plan.short_term_gain + plan.long_term_gain, *in.tax_budget));
  }
  return plan;
}

}  // namespace keel::construct
