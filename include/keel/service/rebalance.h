// keel/service/rebalance.h: from a book's holdings to target weights as a list of trades (`keel
// rebalance`, POST /api/v1/portfolios/{id}/rebalance), on the engine of keel/construct/rebalance.h.
//
// The book is valued at its raw closes on the as-of date; its cash positions are the cash. With
// tax_aware, the sales close the open lots of `account` as the ledger books them (every account
// of the ledger booked, so wash sales across accounts count), each lot's term by the ledger's
// holding-period rule (or held more than long_term_days), and the wash-sale window of the
// ledger's booking (30 days): a loss lot of a symbol bought in the window before the as-of date
// is kept, and a symbol sold at a loss in the window is not bought. docs/construction.md,
// "Rebalancing".
//
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/service/admission.h"
#include "keel/service/context.h"
#include "keel/service/risk.h"
#include "keel/service/spec.h"

namespace keel::service {

struct RebalanceRequest {
  BookSource source;
  std::map<std::string, double> target_weights;  // HTTP; the CLI reads them from a file
  std::optional<std::string> target_file;        // CLI: CSV symbol,weight
  std::optional<std::string> target_json_file;   // CLI: a `keel --format json optimize` result
  double cash_weight = 0.0;
  double min_trade_amount = 0.0;
  double lot_size = 1.0;
  double cost_bp = 0.0;
  spec::Nullable<std::string> account;
  bool tax_aware = false;
  spec::Nullable<double> tax_budget_amount;
  std::optional<int> long_term_days;
  std::optional<std::string> transactions_file;  // CLI: the ledger from a file, not the store
  std::optional<std::string> mapping_file;
  // Or the transactions CSV as text (Python), named by transactions_file (default "transactions").
  std::optional<std::string> transactions_text;
  // The trades as orders too (keel/io/order_writer.h): "csv", "fix", or none.
  std::optional<std::string> orders;
  std::string fix_sender = "KEEL";
  std::string fix_target = "BROKER";
  spec::Nullable<std::string> broker_account;

  static constexpr const char* kSchemaName = "RebalanceRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

struct RebalanceLot {
  std::string lot_id;
  Date open_date;
  double quantity = 0.0;
  double cost_basis_amount = 0.0;
  double gain_amount = 0.0;
  std::string term;

  static constexpr const char* kSchemaName = "RebalanceLot";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "lot_id"}, s.lot_id);
    v.field({.name = "open_date", .help = "Start of the lot's holding period"}, s.open_date);
    v.field({.name = "quantity", .unit = "shares"}, s.quantity);
    v.field({.name = "cost_basis_amount", .help = "Basis of the shares sold", .unit = "book currency"},
            s.cost_basis_amount);
    v.field({.name = "gain_amount", .help = "Proceeds net of cost - basis, to the cent", .unit = "book currency"},
            s.gain_amount);
    v.field({.name = "term", .help = "short or long"}, s.term);
  }
};

struct RebalanceTrade {
  std::string symbol;
  std::string side;  // buy | sell
  double quantity = 0.0;
  double price = 0.0;
  double amount = 0.0;
  double cost_amount = 0.0;
  double weight_before = 0.0;
  double weight_after = 0.0;
  double target_weight = 0.0;
  std::vector<RebalanceLot> lots;

  static constexpr const char* kSchemaName = "RebalanceTrade";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

struct RebalanceGains {
  double short_term_amount = 0.0;
  double long_term_amount = 0.0;
  double total_amount = 0.0;

  static constexpr const char* kSchemaName = "RebalanceGains";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "short_term_amount", .unit = "book currency"}, s.short_term_amount);
    v.field({.name = "long_term_amount", .unit = "book currency"}, s.long_term_amount);
    v.field({.name = "total_amount", .unit = "book currency"}, s.total_amount);
  }
};

struct RebalanceWashSale {
  std::string symbol;
  std::string reason;
  spec::Nullable<std::string> lot_id;

  static constexpr const char* kSchemaName = "RebalanceWashSale";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "symbol"}, s.symbol);
    v.field({.name = "reason"}, s.reason);
    v.field({.name = "lot_id", .help = "The loss lot kept; null for a buy not made"}, s.lot_id);
  }
};

struct RebalanceResult {
  std::string portfolio;
  std::string currency;
  std::string as_of;
  double value_amount = 0.0;
  double cash_before_amount = 0.0;
  double cash_after_amount = 0.0;
  double turnover = 0.0;
  double cost_amount = 0.0;
  std::vector<RebalanceTrade> trades;
  std::map<std::string, double> weights_before;
  std::map<std::string, double> weights_after;
  RebalanceGains realized_gain;
  std::vector<RebalanceWashSale> wash_sales_avoided;
  spec::Nullable<double> tax_budget_amount;
  std::optional<std::string> orders;  // with the request's orders: the CSV or the FIX messages
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "RebalanceResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
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
};

// What a rebalance costs (keel/service/admission.h): one linear pass over the book's positions,
// the target weights and the account's open lots (each symbol's lots sorted), 256 bytes each.
// Reading the account's ledger is as every ledger read: bounded by the rows the store holds.
ComputeCost rebalance_cost(std::size_t positions, std::size_t targets, std::size_t lots);

// Admitted twice (keel/service/admission.h): with the book and the targets before a target the
// book does not hold is priced, and with the lots before the plan is made.
// Throws keel::Error as load_book and load_ledger do; usage when no targets or two kinds of targets
// are given, or tax_aware without an account; invalid_input for a book with options or positions
// in other currencies, bad target files and what the engine refuses.
RebalanceResult rebalance(const Context& cx, const RebalanceRequest& request);

}  // namespace keel::service
