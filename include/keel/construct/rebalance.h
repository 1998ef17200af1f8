// keel/construct/rebalance.h: from current holdings to target weights, as a list of trades
// (`keel rebalance`, docs/construction.md "Rebalancing").
//
// The plan, in this order:
//  1. Targets. The book's value V is the holdings at their prices plus cash. A symbol's target
//     amount is its target weight x V; a symbol the targets omit has weight 0. When the weights
//     add up to more than 1 - cash_weight they are scaled down to it (a warning says so), so the
//     cash weight is always kept; weights that add up to less leave the rest in cash.
//  2. Rounding. Each trade is the target quantity minus the held one, rounded to the nearest
//     multiple of the lot size; a sale never exceeds the quantity held, and a target of zero sells
//     the whole holding, odd lot included. Trades smaller than min_trade_amount are dropped.
//  3. Tax lots (tax_aware). A sale closes lots in this order: lots at a loss, largest loss per
//     share first; then long-term lots, smallest gain per share first; then short-term lots, the
//     same way. A lot at a loss whose symbol was bought within the wash-sale window before the
//     as-of date is not sold (the loss would be disallowed); a symbol sold at a loss within the
//     window is not bought (the buy would disallow that loss). Across all sales, in the same order
//     (losses of every symbol first, then the gains from the smallest per share), the net realized
//     gain stays within tax_budget: a lot that would exceed it is sold only in part or not at all,
//     the symbol's sale rounded down to whole lots of lot_size, and the sale is smaller than its
//     target asks (a warning names it).
//  4. Cash. Costs are cost_bp of each trade's amount, paid from cash. When the buys and costs
//     would take cash below zero, buys are cut one lot at a time, the largest buy first, until
//     they do not; a buy cut below min_trade_amount is dropped.
// Realized gains are proceeds net of the trade's cost minus the lots' basis, rounded to the cent.
//
// Thread-safety: pure function over its arguments.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"

namespace keel::construct {

struct Holding {
  std::string symbol;
  double quantity = 0.0;  // shares held (>= 0); 0 for a symbol only the targets name
  double price = 0.0;     // per share, > 0
};

enum class LotTerm { kShort, kLong };

// An open tax lot of the account (the ledger's), with its holding period at the as-of date
// already decided by the caller (the ledger's rule).
struct TaxLot {
  std::string symbol;
  std::string lot_id;
  Date open_date;       // start of the holding period
  double quantity = 0.0;  // shares, > 0
  double basis = 0.0;     // total cost basis of `quantity`
  LotTerm term = LotTerm::kShort;
};

struct RebalanceInput {
  std::vector<Holding> holdings;         // every held symbol and every target symbol, with prices
  double cash = 0.0;                     // cash in the book's currency
  std::map<std::string, double> target;  // weight per symbol, fraction of V
  double cash_weight = 0.0;              // fraction of V kept in cash
  double min_trade_amount = 0.0;
  double lot_size = 1.0;                 // shares per round lot (> 0)
  double cost_bp = 0.0;                  // cost of a trade, basis points of its amount

  bool tax_aware = false;
  std::vector<TaxLot> lots;                       // the account's open lots (tax_aware)
  std::optional<double> tax_budget;               // largest net realized gain
  // Wash-sale guards (tax_aware): symbol -> why. A loss lot of `no_loss_sale` is not sold; a
  // symbol of `no_buy` is not bought.
  std::map<std::string, std::string> no_loss_sale;
  std::map<std::string, std::string> no_buy;
};

struct LotSale {
  std::string lot_id;
  Date open_date;
  double quantity = 0.0;
  double basis = 0.0;  // basis of the shares sold
  double gain = 0.0;   // proceeds net of cost - basis, to the cent
  LotTerm term = LotTerm::kShort;
};

struct Trade {
  std::string symbol;
  bool buy = true;
  double quantity = 0.0;  // > 0
  double price = 0.0;
  double amount = 0.0;    // quantity x price, > 0
  double cost = 0.0;      // amount x cost_bp / 10000
  double weight_before = 0.0;
  double weight_after = 0.0;
  double target_weight = 0.0;
  std::vector<LotSale> lots;  // tax-aware sales
};

struct WashSaleAvoided {
  std::string symbol;
  std::string reason;
  std::optional<std::string> lot_id;  // a loss lot kept; empty for a buy not made
};

struct RebalancePlan {
  double value = 0.0;        // V before trading
  double cash_before = 0.0;
  double cash_after = 0.0;
  double turnover = 0.0;     // sum of trade amounts / V
  double cost = 0.0;
  std::vector<Trade> trades;  // by symbol
  std::map<std::string, double> weights_before;
  std::map<std::string, double> weights_after;  // of the value after costs
  double short_term_gain = 0.0;
  double long_term_gain = 0.0;
  std::vector<WashSaleAvoided> wash_sales_avoided;
  std::vector<std::string> warnings;
};

// Throws keel::Error(invalid_input) for a non-positive price or lot size, a negative quantity,
// cash weight outside [0, 1], a negative target weight or a target symbol without a holding row.
RebalancePlan rebalance(const RebalanceInput& in);

std::string_view lot_term_name(LotTerm t);  // "short" | "long"

}  // namespace keel::construct
