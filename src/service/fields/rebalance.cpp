// The descriptions of the requests and results of keel/service/rebalance.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/rebalance.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void RebalanceRequest::fields(V& v, S& s) {
  book_source_fields(v, s.source);
  v.field({.name = "target_weights", .help = "Target weight per symbol; omitted symbols are sold",
           .unit = "fraction of the book's value, cash included", .faces = spec::kHttp},
          s.target_weights);
  v.field({.name = "target", .help = "Target weights CSV: symbol,weight (fractions of the value, cash included)",
           .faces = spec::kCli},
          s.target_file);
  v.field({.name = "target_json", .help = "Target weights: the `weights` of a `keel --format json optimize` result",
           .faces = spec::kCli},
          s.target_json_file);
  v.field({.name = "cash_weight", .help = "Part of the value kept in cash (targets above the rest are scaled down)",
           .unit = "fraction", .min = 0, .max = 1},
          s.cash_weight);
  v.field({.name = "min_trade_amount", .help = "Trades smaller than this are not made",
           .unit = "book currency", .min = 0, .cli_name = "min-trade"},
          s.min_trade_amount);
  v.field({.name = "lot_size", .help = "Shares per round lot: trades are whole lots", .unit = "shares",
           .min = 0, .min_exclusive = true},
          s.lot_size);
  v.field({.name = "cost_bp", .help = "Trading cost, paid from cash", .unit = "basis points of the amount",
           .min = 0, .max = 10000},
          s.cost_bp);
  v.field({.name = "account", .help = "Ledger account whose tax lots the sales close (with tax_aware)"},
          s.account);
  v.field({.name = "tax_aware",
           .help = "Choose the lots to sell (losses, then long-term, then short-term gains) and avoid wash sales"},
          s.tax_aware);
  v.field({.name = "tax_budget_amount", .help = "Largest net realized gain of the plan (null: none)",
           .unit = "book currency", .cli_name = "tax-budget"},
          s.tax_budget_amount);
  v.field({.name = "long_term_days",
           .help = "A lot is long term when held more than this many days (default: the ledger's rule, more "
                   "than one year)",
           .unit = "days", .min = 1, .max = 36500},
          s.long_term_days);
  v.field({.name = "transactions", .help = "Transactions CSV for the lots (instead of the stored accounts)",
           .faces = spec::kCli},
          s.transactions_file);
  v.field({.name = "mapping", .help = "Broker mapping JSON for --transactions", .faces = spec::kCli},
          s.mapping_file);
  v.field({.name = "orders",
           .help = "Also give the trades as orders: csv (a blotter) or fix (FIX 4.4 NewOrderSingle messages, "
                   "market orders, docs/construction.md)"},
          s.orders);
  v.field({.name = "fix_sender", .help = "SenderCompID of the FIX orders"}, s.fix_sender);
  v.field({.name = "fix_target", .help = "TargetCompID of the FIX orders"}, s.fix_target);
  v.field({.name = "broker_account", .help = "The broker account the orders name (FIX tag 1, the blotter's account)"},
          s.broker_account);
}
KEEL_SPEC_REQUEST_FIELDS(RebalanceRequest)

template <class V, class S>
void RebalanceLot::fields(V& v, S& s) {
  v.field({.name = "lot_id"}, s.lot_id);
  v.field({.name = "open_date", .help = "Start of the lot's holding period"}, s.open_date);
  v.field({.name = "quantity", .unit = "shares"}, s.quantity);
  v.field({.name = "cost_basis_amount", .help = "Basis of the shares sold", .unit = "book currency"},
          s.cost_basis_amount);
  v.field({.name = "gain_amount", .help = "Proceeds net of cost - basis, to the cent", .unit = "book currency"},
          s.gain_amount);
  v.field({.name = "term", .help = "short or long"}, s.term);
}
KEEL_SPEC_FIELDS(RebalanceLot)

template <class V, class S>
void RebalanceTrade::fields(V& v, S& s) {
  v.field({.name = "symbol"}, s.symbol);
  v.field({.name = "side", .help = "buy or sell"}, s.side);
  v.field({.name = "quantity", .unit = "shares"}, s.quantity);
  v.field({.name = "price", .help = "Close on the as-of date", .unit = "book currency"}, s.price);
  v.field({.name = "amount", .help = "quantity x price", .unit = "book currency"}, s.amount);
  v.field({.name = "cost_amount", .unit = "book currency"}, s.cost_amount);
  v.field({.name = "weight_before", .unit = "fraction of value"}, s.weight_before);
  v.field({.name = "weight_after", .unit = "fraction of value after costs"}, s.weight_after);
  v.field({.name = "target_weight", .unit = "fraction of value"}, s.target_weight);
  v.field({.name = "lots", .help = "Tax lots the sale closes (tax-aware)"}, s.lots);
}
KEEL_SPEC_FIELDS(RebalanceTrade)

template <class V, class S>
void RebalanceGains::fields(V& v, S& s) {
  v.field({.name = "short_term_amount", .unit = "book currency"}, s.short_term_amount);
  v.field({.name = "long_term_amount", .unit = "book currency"}, s.long_term_amount);
  v.field({.name = "total_amount", .unit = "book currency"}, s.total_amount);
}
KEEL_SPEC_FIELDS(RebalanceGains)

template <class V, class S>
void RebalanceWashSale::fields(V& v, S& s) {
  v.field({.name = "symbol"}, s.symbol);
  v.field({.name = "reason"}, s.reason);
  v.field({.name = "lot_id", .help = "The loss lot kept; null for a buy not made"}, s.lot_id);
}
KEEL_SPEC_FIELDS(RebalanceWashSale)

template <class V, class S>
void RebalanceResult::fields(V& v, S& s) {
  v.field({.name = "portfolio"}, s.portfolio);
  v.field({.name = "currency"}, s.currency);
  v.field({.name = "as_of", .help = "Date of the prices, YYYY-MM-DD"}, s.as_of);
  v.field({.name = "value_amount", .help = "Holdings at their closes plus cash", .unit = "book currency"},
          s.value_amount);
  v.field({.name = "cash_before_amount", .unit = "book currency"}, s.cash_before_amount);
  v.field({.name = "cash_after_amount", .help = "After the trades and their costs", .unit = "book currency"},
          s.cash_after_amount);
  v.field({.name = "turnover", .help = "Sum of the trades' amounts over the value", .unit = "fraction"},
          s.turnover);
  v.field({.name = "cost_amount", .unit = "book currency"}, s.cost_amount);
  v.field({.name = "trades", .help = "By symbol"}, s.trades);
  v.field({.name = "weights_before", .unit = "fraction of value"}, s.weights_before);
  v.field({.name = "weights_after", .unit = "fraction of value after costs"}, s.weights_after);
  v.field({.name = "realized_gain", .help = "Gains the sales realize (tax-aware; zero otherwise)"},
          s.realized_gain);
  v.field({.name = "wash_sales_avoided"}, s.wash_sales_avoided);
  v.field({.name = "tax_budget_amount", .unit = "book currency"}, s.tax_budget_amount);
  v.field({.name = "orders",
           .help = "The trades as orders, when asked: the CSV blotter, or FIX 4.4 NewOrderSingle messages "
                   "(fields separated by SOH, one message a line)"},
          s.orders);
  v.field({.name = "warnings"}, s.warnings);
}
KEEL_SPEC_FIELDS(RebalanceResult)

}  // namespace keel::service
