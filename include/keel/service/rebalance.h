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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
};

struct RebalanceGains {
  double short_term_amount = 0.0;
  double long_term_amount = 0.0;
  double total_amount = 0.0;

  static constexpr const char* kSchemaName = "RebalanceGains";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct RebalanceWashSale {
  std::string symbol;
  std::string reason;
  spec::Nullable<std::string> lot_id;

  static constexpr const char* kSchemaName = "RebalanceWashSale";
  template <class V, class S>
  static void fields(V& v, S& s);
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
  static void fields(V& v, S& s);
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
