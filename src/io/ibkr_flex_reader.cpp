// IBKR Flex Query statements (keel/io/ibkr_flex_reader.h): the markup tree (markup.h), section by
// section, into ledger transactions.
#include "keel/io/ibkr_flex_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <numeric>
#include <set>
#include <tuple>

#include "keel/core/parse.h"
#include "keel/core/strings.h"
#include "keel/io/readers.h"
#include "markup.h"
#include "statement_common.h"

namespace keel::io {
namespace {

using ledger::Decimal;
using ledger::Transaction;
using ledger::TxType;
using markup::Node;

// yyyyMMdd or yyyy-MM-dd, optionally followed by a time after ';', ',', ' ' or 'T', or by HHmmss
// directly (20160229143529, 2016-02-29143529: the Flex settings' date-times without a separator,
// which no date format can be confused with).
std::optional<Date> flex_date(std::string_view text) {
  text = trim(text);
  const std::size_t cut = text.find_first_of(";, T");
  if (cut != std::string_view::npos) text = text.substr(0, cut);
  const std::size_t date_size = text.size() > 4 && text[4] == '-' ? 10 : 8;
  if (text.size() == date_size + 6 &&
      std::all_of(text.begin() + static_cast<std::ptrdiff_t>(date_size), text.end(),
                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
    text = text.substr(0, date_size);
  }
  std::string digits;
  if (text.size() == 8) {
    digits = std::string(text);
  } else if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
    digits = std::string(text.substr(0, 4)) + std::string(text.substr(5, 2)) + std::string(text.substr(8, 2));
  } else {
    return std::nullopt;
  }
  for (char c : digits) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  }
  const int y = std::stoi(digits.substr(0, 4));
  const int m = std::stoi(digits.substr(4, 2));
  const int d = std::stoi(digits.substr(6, 2));
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return std::nullopt;
  return Date::from_ymd(y, m, d);
}

// A cash row before reversals are paired: `reversal` when its sign is the opposite of its type's.
struct CashRow {
  Transaction t;
  bool reversal = false;
  const Node* node = nullptr;
};

class FlexReader {
 public:
  FlexReader(const std::string& file, const StatementReadOptions& options, Diagnostics& diags)
      : file_(file), options_(options), d_(diags) {}

  Statement run(const Node& root) {
    st_.format = StatementFormat::kIbkrFlex;
    const Node* statements = root.find("FlexQueryResponse/FlexStatements");
    if (statements == nullptr) statements = root.child("FlexStatements");
    if (statements == nullptr) {
      d_.error({file_, 0, 0, "", "no <FlexQueryResponse><FlexStatements>: not an IBKR Flex Query statement"});
      return std::move(st_);
    }
    for (const Node& s : statements->children) {
      if (!s.is("FlexStatement")) continue;
      if (!options_.broker_account.empty()) {
        const auto id = attr(s, "accountId");
        if (id) accounts_.insert(*id);
        if (!id || *id != options_.broker_account) continue;  // only the account asked for
      }
      statement(s);
    }
    detail::check_broker_accounts(accounts_, options_.broker_account, file_, d_);
    closing_buys();
    return std::move(st_);
  }

  // A BUY marked closing covers a short the statement opened before it. When the short was
  // opened before the statement began (a put written last year and assigned now), booking the BUY
  // would open a long lot at the closing price instead: the part the statement's earlier rows do
  // not hold short is left out, with a warning naming it.
  void closing_buys() {
    std::vector<std::string> removed;
    for (const auto& closing : closing_buys_) {
      // Named, not a structured binding: a lambda below captures the id (clang before C++20's
      // rule for bindings in captures refuses one).
      const std::string& id = closing.first;
      const Node* node = closing.second;
      const auto it = std::find_if(st_.transactions.begin(), st_.transactions.end(),
                                   [&id](const Transaction& t) { return t.external_id == id; });
      if (it == st_.transactions.end()) continue;  // a repeat, or cancelled
      Decimal held;
      for (auto j = st_.transactions.begin(); j != st_.transactions.end(); ++j) {
        if (j == it || j->symbol != it->symbol || it->date < j->date || (j->date == it->date && j > it)) continue;
        if (j->type == TxType::kBuy || j->type == TxType::kTransferIn) held += j->quantity;
        if (j->type == TxType::kSell || j->type == TxType::kTransferOut) held -= j->quantity;
      }
      const Decimal short_held = held.is_negative() ? -held : Decimal();
      if (short_held >= it->quantity) continue;
      section_ = "Trades";
      if (short_held.is_zero()) {
        warn_at(*node, fmt::format("the BUY of {} {} on {} closes a short position (openCloseIndicator C) opened before "
                                   "the statement: not booked, so no long lot is opened; enter the opening sale by hand",
                                   it->quantity.to_string(), it->symbol, it->date.to_string()));
        removed.push_back(id);
        continue;
      }
      warn_at(*node, fmt::format("the BUY of {} {} on {} closes a short position (openCloseIndicator C), of which the "
                                 "statement holds {} short: {} booked as the cover, the rest opened before the statement",
                                 it->quantity.to_string(), it->symbol, it->date.to_string(), short_held.to_string(),
                                 short_held.to_string()));
      it->fees = ledger::share_cents(it->fees, short_held, it->quantity);
      it->quantity = short_held;
      it->amount.reset();
    }
    std::erase_if(st_.transactions, [&removed](const Transaction& t) {
      return std::find(removed.begin(), removed.end(), t.external_id) != removed.end();
    });
  }

 private:
  // ------------------------------------------------------------------ places and values
  void error_at(const Node& n, std::string_view attr, std::string message) {
    d_.error({file_, n.line, n.column, field(n, attr), std::move(message)});
  }
  void warn_at(const Node& n, std::string message) {
    d_.warning({file_, n.line, n.column, section_ + "/" + n.name, std::move(message)});
  }
  std::string field(const Node& n, std::string_view attr) const {
    std::string f = section_.empty() ? n.name : section_ + "/" + n.name;
    if (!attr.empty()) f += fmt::format("@{}", attr);
    return f;
  }

  std::optional<std::string> attr(const Node& n, std::string_view name, bool required = false) {
    const std::string* v = n.attribute(name);
    if (v == nullptr || trim(*v).empty()) {
      if (required) error_at(n, name, "missing");
      return std::nullopt;
    }
    return std::string(trim(*v));
  }

  // The symbol attribute, upper-cased, checked by the one symbol rule of keel's readers
  // (keel/io/readers.h: a ticker or an OCC option symbol); an error at the attribute otherwise.
  std::optional<std::string> symbol_attr(const Node& n, bool required) {
    const auto v = attr(n, "symbol", required);
    if (!v) return std::nullopt;
    std::string s = to_upper(*v);
    if (auto problem = symbol_problem(s)) {
      error_at(n, "symbol", std::move(*problem));
      return std::nullopt;
    }
    return s;
  }

  std::optional<Decimal> number(const Node& n, std::string_view name, bool required = false) {
    const auto v = attr(n, name, required);
    if (!v) return std::nullopt;
    auto d = detail::statement_number(*v);
    if (!d) {
      error_at(n, name, fmt::format("expected a decimal number, got {}", shown_with(*v, 64, '\'')));
      return std::nullopt;
    }
    if (d->rounded) d_.warning({file_, n.line, n.column, field(n, name), detail::rounded_text(*d->rounded, d->value)});
    return d->value;
  }

  std::optional<Date> date(const Node& n, std::initializer_list<std::string_view> names) {
    for (std::string_view name : names) {
      const auto v = attr(n, name);
      if (!v) continue;
      auto d = flex_date(*v);
      if (!d) error_at(n, name, fmt::format("expected a date yyyyMMdd or yyyy-MM-dd, got {}", shown_with(*v, 64, '\'')));
      return d;
    }
    error_at(n, *names.begin(), "missing: the row has no date");
    return std::nullopt;
  }

  // "ibkr:" + transactionID, else a hash of every attribute (a stable id all the same).
  std::string id_of(const Node& n) {
    if (auto id = attr(n, "transactionID")) return "ibkr:" + *id;
    std::string all = n.name;
    for (const auto& [k, v] : n.attributes) all += "|" + k + "=" + v;
    return "ibkr:h" + detail::stable_hash(all);
  }

  Transaction base(const Node& n, const Date& when) {
    Transaction t;
    t.date = when;
    t.account = options_.default_account;
    t.line = n.line;
    t.source = source_;
    t.external_id = id_of(n);
    if (auto c = attr(n, "currency")) t.currency = to_upper(*c);
    // The rate IBKR converted the row into the account's base currency at (docs/fx.md).
    if (auto r = attr(n, "fxRateToBase")) {
      if (auto d = ledger::Decimal::parse(*r); d && d->is_positive()) t.fx_rate = *d;
    }
    return t;
  }

  void add(Transaction t, const Node& n) {
    if (!ids_.insert(t.external_id).second) {
      warn_at(n, fmt::format("transactionID {} appears again: the repeat is skipped", t.external_id.substr(5)));
      return;
    }
    st_.transactions.push_back(std::move(t));
  }

  // ------------------------------------------------------------------ sections
  void statement(const Node& s) {
    if (auto a = attr(s, "accountId")) {
      accounts_.insert(*a);
      if (st_.broker_account.empty()) st_.broker_account = *a;
    }
    section_ = "FlexStatement";
    const auto from = attr(s, "fromDate");
    const auto to = attr(s, "toDate");
    if (from) {
      if (auto d = flex_date(*from); d && (!st_.start || *d < *st_.start)) st_.start = d;
    }
    if (to) {
      if (auto d = flex_date(*to); d && (!st_.end || *st_.end < *d)) st_.end = d;
    }
    for (const Node& sec : s.children) {
      section_ = sec.name;
      if (sec.is("Trades")) trades(sec, "Trade");
      else if (sec.is("TradeTransfers")) trades(sec, "TradeTransfer");
      else if (sec.is("CashTransactions")) cash(sec);
      else if (sec.is("CorporateActions")) actions(sec);
      else if (sec.is("OpenPositions")) positions(sec, to ? flex_date(*to) : std::nullopt);
      else if (sec.is("Transfers")) transfers(sec);
      else if (sec.is("TransactionTaxes")) taxes(sec, "TransactionTax", "taxAmount", "transaction tax");
      else if (sec.is("SalesTaxes")) taxes(sec, "SalesTax", "salesTax", "sales tax");
      else unbooked(sec);
    }
    for (Action& a : forward_splits_) split_from_position(a);
    forward_splits_.clear();
    section_.clear();
  }

  // Sections that summarise or describe what the booked ones hold (or hold no rows a ledger keeps):
  // read for nothing, and silently.
  static bool view_section(std::string_view name) {
    static constexpr std::string_view kViews[] = {
        "AccountInformation", "ChangeInNAV", "EquitySummaryInBase", "EquitySummaryByReportDateInBase",
        "CashReport", "MTMPerformanceSummaryInBase", "FIFOPerformanceSummaryInBase", "MTDYTDPerformanceSummary",
        "StmtFunds", "SecuritiesInfo", "ConversionRates", "NetStockPositionSummary", "ComplexPositions",
        "PriorPeriodPositions", "ChangeInPositionValues", "OpenDividendAccruals", "ChangeInDividendAccruals",
        "InterestAccruals", "TierInterestDetails", "UnbundledCommissionDetails", "RoutingCommissions",
        "PendingExcercises", "FxPositions", "NetStockPosition", "TransactionTaxDetails"};
    return std::find(std::begin(kViews), std::end(kViews), name) != std::end(kViews);
  }

  // A section keel does not book: a warning names it and its rows, unless it is a view.
  void unbooked(const Node& sec) {
    if (sec.children.empty() || view_section(sec.name)) return;
    warn_at(sec, fmt::format("the section <{}> ({} row(s)) is not booked by keel: skipped; enter what it holds by hand",
                             shown_with(sec.name, 64, '\0'), sec.children.size()));
  }

  // Trades (`row` "Trade", and "Order" rows when a query gives only orders) or TradeTransfers
  // ("TradeTransfer": trades made at another broker and moved in).
  void trades(const Node& sec, std::string_view row) {
    bool executions = false;
    bool trade_rows = false;
    for (const Node& n : sec.children) {
      const std::string* level = n.attribute("levelOfDetail");
      if (n.is(row)) trade_rows = true;
      if (n.is(row) && level && iequals(trim(*level), "EXECUTION")) executions = true;
    }
    std::vector<std::pair<Transaction, const Node*>> cancels;
    for (const Node& n : sec.children) {
      // An orders-only query writes <Order> rows, the orders' executions summed.
      const bool order_row = n.is("Order") && !trade_rows;
      if (!n.is(row) && !order_row) continue;
      const std::string level = to_upper(trim(n.attribute("levelOfDetail") ? *n.attribute("levelOfDetail") : ""));
      // Executions are the trades; orders repeat them summed, closed lots and summaries are views.
      if (!(order_row || level.empty() || level == "EXECUTION" || (level == "ORDER" && !executions))) continue;
      const std::size_t errors = d_.error_count();
      const auto category = attr(n, "assetCategory");
      if (category && iequals(*category, "CASH")) {
        warn_at(n, fmt::format("a currency conversion ({}) is not booked: skipped", attr(n, "symbol").value_or("?")));
        continue;
      }
      const auto symbol = symbol_attr(n, true);
      const auto side = attr(n, "buySell", true);
      const auto quantity = number(n, "quantity", true);
      const auto price = number(n, "tradePrice", true);
      const auto commission = number(n, "ibCommission");
      const auto taxes = number(n, "taxes");
      const auto net = number(n, "netCash");
      const auto when = date(n, {"tradeDate", "dateTime"});
      if (d_.error_count() != errors) continue;
      std::string s = to_upper(*side);
      const bool cancel = s.find("(CA.)") != std::string::npos;
      if (cancel) s = std::string(trim(s.substr(0, s.find('('))));
      if (s != "BUY" && s != "SELL") {
        error_at(n, "buySell", fmt::format("expected BUY or SELL, got {}", shown_with(*side, 64, '\'')));
        continue;
      }
      if (quantity->is_zero()) {
        error_at(n, "quantity", "a trade of 0 shares");
        continue;
      }
      Transaction t = base(n, *when);
      t.type = s == "BUY" ? TxType::kBuy : TxType::kSell;
      t.symbol = *symbol;
      t.quantity = quantity->abs();
      t.price = price->abs();
      t.fees = commission.value_or(Decimal()).abs() + taxes.value_or(Decimal()).abs();
      if (net) t.amount = net->abs();
      t.note = attr(n, "description").value_or("");
      // "C": the trade closes a position (an assignment's or expiry's BUY of a written option);
      // "O", "C;O" (a position flipped) and none book as they read.
      const bool closing_buy = !cancel && t.type == TxType::kBuy &&
                               iequals(attr(n, "openCloseIndicator").value_or(""), "C");
      if (closing_buy) closing_buys_.emplace_back(t.external_id, &n);
      if (cancel) cancels.emplace_back(std::move(t), &n);
      else add(std::move(t), n);
    }
    for (const auto& cancel : cancels) {
      const Transaction& c = cancel.first;
      const Node* node = cancel.second;
      const auto it = std::find_if(st_.transactions.begin(), st_.transactions.end(), [&c](const Transaction& t) {
        return t.type == c.type && t.symbol == c.symbol && t.quantity == c.quantity && t.price == c.price;
      });
      if (it == st_.transactions.end()) {
        error_at(*node, "buySell", fmt::format("a cancellation of a {} of {} {} at {} the statement does not hold",
                                               ledger::tx_type_name(c.type), c.quantity.to_string(), c.symbol,
                                               c.price.to_string()));
        continue;
      }
      warn_at(*node, fmt::format("the {} of {} {} on {} is cancelled: neither row is booked", ledger::tx_type_name(c.type),
                                 c.quantity.to_string(), c.symbol, it->date.to_string()));
      st_.transactions.erase(it);
    }
  }

  // Transfers: positions moved in or out (ACATS, ATON, internal, free of payment) and cash moved.
  void transfers(const Node& sec) {
    for (const Node& n : sec.children) {
      if (!n.is("Transfer")) continue;
      if (const std::string* level = n.attribute("levelOfDetail"); level && iequals(trim(*level), "SUMMARY")) continue;
      const std::size_t errors = d_.error_count();
      const auto direction = attr(n, "direction", true);
      const auto category = attr(n, "assetCategory");
      const auto when = date(n, {"date", "dateTime", "reportDate"});
      const bool cash_row = category && iequals(*category, "CASH");
      const auto symbol = cash_row ? std::nullopt : symbol_attr(n, true);
      const auto quantity = number(n, "quantity", !cash_row);
      const auto price = number(n, "transferPrice");
      const auto value = number(n, "positionAmount");
      const auto cash_amount = number(n, "cashTransfer");
      if (d_.error_count() != errors) continue;
      const std::string dir = to_upper(trim(*direction));
      if (dir != "IN" && dir != "OUT") {
        error_at(n, "direction", fmt::format("expected IN or OUT, got {}", shown_with(*direction, 64, '\'')));
        continue;
      }
      const bool in = dir == "IN";
      Transaction t = base(n, *when);
      t.note = attr(n, "type").value_or("transfer");
      if (cash_row) {
        const Decimal amount = (cash_amount ? *cash_amount : quantity.value_or(Decimal())).abs();
        if (amount.is_zero()) continue;
        t.type = in ? TxType::kDeposit : TxType::kWithdrawal;
        t.amount = amount;
        add(std::move(t), n);
        continue;
      }
      if (quantity->is_zero()) {
        warn_at(n, fmt::format("a transfer of 0 {} moves nothing: skipped", *symbol));
        continue;
      }
      t.type = in ? TxType::kTransferIn : TxType::kTransferOut;
      t.symbol = *symbol;
      t.quantity = quantity->abs();
      if (price && price->is_positive()) {
        t.price = *price;
      } else if (in && value && !value->is_zero()) {
        // The statement gives no cost: the market value moved, a share's worth at the transfer.
        t.price = ledger::mul_div(value->abs(), Decimal::from_int(1), t.quantity, Decimal::kScale,
                                  ledger::Rounding::kHalfEven);
        warn_at(n, fmt::format("the transfer in of {} {} gives no cost: its lot is opened at the market value moved, "
                               "{} a share; correct it to the cost basis the sending broker reports",
                               t.quantity.to_string(), t.symbol, t.price.to_string()));
      }
      add(std::move(t), n);
    }
  }

  // TransactionTaxes and SalesTaxes: each a FEE of the tax's amount (`amount_attr`).
  void taxes(const Node& sec, std::string_view row, std::string_view amount_attr, std::string_view what) {
    // With SUMMARY rows, the other levels detail them.
    const bool summaries = std::any_of(sec.children.begin(), sec.children.end(), [](const Node& n) {
      const std::string* level = n.attribute("levelOfDetail");
      return level && iequals(trim(*level), "SUMMARY");
    });
    for (const Node& n : sec.children) {
      if (!n.is(row)) continue;
      const std::string* level = n.attribute("levelOfDetail");
      if (summaries && !(level && iequals(trim(*level), "SUMMARY"))) continue;
      const std::size_t errors = d_.error_count();
      const auto symbol = symbol_attr(n, false);
      const auto amount = number(n, amount_attr, true);
      const auto when = date(n, {"date", "dateTime", "reportDate"});
      if (d_.error_count() != errors) continue;
      if (amount->is_zero()) continue;
      Transaction t = base(n, *when);
      t.symbol = symbol.value_or("");
      t.amount = amount->abs();
      // A refund (the opposite sign of a charge) is cash in.
      t.type = amount->is_positive() ? TxType::kDeposit : TxType::kFee;
      t.note = attr(n, "taxDescription").value_or(std::string(what));
      if (t.type == TxType::kDeposit) t.note += " refunded";
      add(std::move(t), n);
    }
  }

  // The type of a cash row, and whether its usual sign is negative (cash out); nullopt: unknown.
  static std::optional<std::pair<TxType, bool>> cash_type(std::string_view type) {
    const std::string t = to_lower(trim(type));
    if (t == "dividends" || t == "payment in lieu of dividends") return std::pair{TxType::kDividend, false};
    if (t == "withholding tax") return std::pair{TxType::kWithholding, true};
    if (t == "broker interest received" || t == "bond interest received") return std::pair{TxType::kInterest, false};
    if (t == "broker interest paid" || t == "bond interest paid" || t == "other fees" ||
        t == "commission adjustments" || t == "advisor fees") {
      return std::pair{TxType::kFee, true};
    }
    if (t == "deposits/withdrawals" || t == "deposits & withdrawals" || t == "deposits" || t == "withdrawals") {
      return std::pair{TxType::kDeposit, false};
    }
    return std::nullopt;
  }

  void cash(const Node& sec) {
    std::vector<CashRow> rows;
    for (const Node& n : sec.children) {
      if (!n.is("CashTransaction")) continue;
      if (const std::string* level = n.attribute("levelOfDetail"); level && iequals(trim(*level), "SUMMARY")) continue;
      const std::size_t errors = d_.error_count();
      const auto type_text = attr(n, "type", true);
      const auto symbol = symbol_attr(n, false);
      const auto amount = number(n, "amount", true);
      const auto when = date(n, {"dateTime", "settleDate", "reportDate"});
      if (d_.error_count() != errors) continue;
      const auto type = cash_type(*type_text);
      if (!type) {
        error_at(n, "type",
                 fmt::format("unknown cash transaction type {} (expected Dividends, Payment In Lieu Of Dividends, "
                             "Withholding Tax, Broker Interest Received, Broker Interest Paid, Bond Interest "
                             "Received, Bond Interest Paid, Other Fees, Commission Adjustments or Deposits/Withdrawals)",
                             shown_with(*type_text, 64, '\'')));
        continue;
      }
      if (amount->is_zero()) continue;
      CashRow r{base(n, *when), false, &n};
      r.t.type = type->first;
      r.t.symbol = symbol.value_or("");
      r.t.amount = amount->abs();
      r.t.note = attr(n, "description").value_or("");
      if (r.t.type == TxType::kDeposit) {
        if (amount->is_negative()) r.t.type = TxType::kWithdrawal;
      } else {
        r.reversal = amount->is_negative() != type->second;
      }
      rows.push_back(std::move(r));
    }
    // A reversal cancels the row of the same type, symbol and amount it reverses.
    std::vector<bool> dropped(rows.size(), false);
    // The rows a reversal may cancel, by type, symbol and amount, in file order.
    std::map<std::tuple<int, std::string, std::int64_t>, std::vector<std::size_t>> open;
    auto key = [](const Transaction& t) {
      return std::tuple<int, std::string, std::int64_t>{static_cast<int>(t.type), t.symbol, t.amount->raw()};
    };
    for (std::size_t j = rows.size(); j-- > 0;) {
      if (!rows[j].reversal) open[key(rows[j].t)].push_back(j);
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (!rows[i].reversal) continue;
      const Transaction& r = rows[i].t;
      if (auto it = open.find(key(r)); it != open.end() && !it->second.empty()) {
        const std::size_t j = it->second.back();
        it->second.pop_back();
        const Transaction& o = rows[j].t;
        dropped[i] = dropped[j] = true;
        warn_at(*rows[i].node, fmt::format("reverses the {} of {} {} on {}: neither row is booked",
                                           ledger::tx_type_name(o.type), o.symbol.empty() ? "cash" : o.symbol,
                                           o.amount->to_string(), o.date.to_string()));
      }
      if (dropped[i]) continue;
      if (r.type == TxType::kFee || r.type == TxType::kWithholding) {
        // A refund with no charge in this statement: cash in.
        warn_at(*rows[i].node, fmt::format("a refunded {} of {} with no charge in the statement: booked as a DEPOSIT",
                                           ledger::tx_type_name(r.type), r.amount->to_string()));
        rows[i].t.type = TxType::kDeposit;
        rows[i].reversal = false;
      } else {
        error_at(*rows[i].node, "amount",
                 fmt::format("a reversed {} of {} {} with no row it reverses in the statement cannot be booked",
                             ledger::tx_type_name(r.type), r.symbol.empty() ? "cash" : r.symbol, r.amount->to_string()));
        dropped[i] = true;
      }
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (!dropped[i]) add(std::move(rows[i].t), *rows[i].node);
    }
  }

  // "... SPLIT 4 FOR 1 ..." -> 4:1.
  static std::optional<ledger::SplitRatio> ratio_in(std::string_view description) {
    const std::string d = to_upper(description);
    const std::size_t at = d.find("SPLIT ");
    if (at == std::string::npos) return std::nullopt;
    std::size_t p = at + 6;
    auto integer = [&](std::int64_t& out) {
      std::size_t n = 0;
      out = 0;
      while (p < d.size() && std::isdigit(static_cast<unsigned char>(d[p])) && n < 12) {
        out = out * 10 + (d[p] - '0');
        ++p;
        ++n;
      }
      return n > 0 && out > 0;
    };
    std::int64_t a = 0;
    std::int64_t b = 0;
    if (!integer(a)) return std::nullopt;
    if (d.compare(p, 5, " FOR ") != 0) return std::nullopt;
    p += 5;
    if (!integer(b)) return std::nullopt;
    return ledger::SplitRatio{a, b};
  }

  static std::string base_symbol(std::string s) {
    s = to_upper(trim(s));
    if (s.size() > 4 && s.compare(s.size() - 4, 4, ".OLD") == 0) s.resize(s.size() - 4);
    return s;
  }

  struct Action {
    const Node* first = nullptr;
    std::string symbol;
    Date when;
    std::optional<ledger::SplitRatio> ratio;
    Decimal added;    // shares added (the new line of a reverse split, a forward split's extra)
    Decimal removed;  // shares removed (a reverse split's old line)
    std::string id;
    std::string section;  // where it was read, for its messages
  };

  void actions(const Node& sec) {
    std::vector<Action> splits;
    for (const Node& n : sec.children) {
      if (!n.is("CorporateAction")) continue;
      if (const std::string* level = n.attribute("levelOfDetail"); level && iequals(trim(*level), "SUMMARY")) continue;
      const auto type = attr(n, "type", true);
      if (!type) continue;
      const std::string t = to_upper(*type);
      const auto description = attr(n, "description");
      if (t != "FS" && t != "RS") {
        warn_at(n, fmt::format("corporate action {} ({}) is not booked: enter its effect by hand", t,
                               shown_with(description.value_or(""), 120, '\0')));
        continue;
      }
      const std::size_t errors = d_.error_count();
      const auto symbol = symbol_attr(n, true);
      const auto when = date(n, {"dateTime", "reportDate"});
      const auto quantity = number(n, "quantity");
      if (d_.error_count() != errors) continue;
      const std::string sym = base_symbol(*symbol);
      const auto action_id = attr(n, "actionID");
      const std::string key = action_id ? "ibkr:action:" + *action_id : std::string();
      auto it = std::find_if(splits.begin(), splits.end(), [&](const Action& a) {
        return key.empty() ? (a.symbol == sym && a.when == *when) : a.id == key;
      });
      if (it == splits.end()) {
        Action a;
        a.first = &n;
        a.symbol = sym;
        a.when = *when;
        a.id = key.empty() ? id_of(n) : key;
        splits.push_back(a);
        it = splits.end() - 1;
      }
      if (!it->ratio && description) it->ratio = ratio_in(*description);
      if (quantity && quantity->is_positive()) it->added += *quantity;
      if (quantity && quantity->is_negative()) it->removed += quantity->abs();
    }
    for (Action& a : splits) {
      if (!a.ratio && a.added.is_positive() && a.removed.is_positive() && a.added.raw() % Decimal::kOne == 0 &&
          a.removed.raw() % Decimal::kOne == 0) {
        const std::int64_t n = a.added.raw() / Decimal::kOne;
        const std::int64_t m = a.removed.raw() / Decimal::kOne;
        const std::int64_t g = std::gcd(n, m);
        a.ratio = ledger::SplitRatio{n / g, m / g};
      }
      if (!a.ratio && a.added.is_positive() && a.removed.is_zero()) {
        // A forward split IBKR writes as the shares added alone: its ratio is found from the
        // statement's position once OpenPositions is read (split_from_position).
        a.section = section_;
        forward_splits_.push_back(std::move(a));
        continue;
      }
      if (!a.ratio) {
        error_at(*a.first, "description",
                 "no split ratio: expected \"SPLIT N FOR M\" in the description, or the old and new quantities");
        continue;
      }
      add_split(a);
    }
  }

  // A forward split given as the shares added only (no "SPLIT N FOR M", no old line): the shares
  // held before it are the statement's position less the shares added and less the trades,
  // transfers and such splits dated after it (each a change of the position), and the ratio is (held + added) : held, in lowest terms.
  // Without a position for the symbol, or with a ratio that is no plausible split (either term
  // over 1000), the row is refused: a wrong ratio would scale every lot.
  void split_from_position(Action& a) {
    const std::string saved = section_;
    section_ = a.section;
    constexpr char kNoRatio[] =
        "no split ratio: expected \"SPLIT N FOR M\" in the description, or the old and new quantities";
    const auto held = std::find_if(st_.positions.begin(), st_.positions.end(),
                                   [&a](const StatementPosition& p) { return p.symbol == a.symbol; });
    if (held == st_.positions.end()) {
      error_at(*a.first, "description", kNoRatio);
      section_ = saved;
      return;
    }
    Decimal before = held->quantity - a.added;
    for (const Action& later : forward_splits_) {
      if (later.symbol == a.symbol && a.when < later.when) before -= later.added;
    }
    for (const Transaction& t : st_.transactions) {
      if (t.symbol != a.symbol || !(a.when < t.date)) continue;
      if (t.type == TxType::kBuy || t.type == TxType::kTransferIn) before -= t.quantity;
      if (t.type == TxType::kSell || t.type == TxType::kTransferOut) before += t.quantity;
    }
    const std::int64_t n = (before + a.added).raw();
    const std::int64_t m = before.raw();
    const std::int64_t g = m > 0 ? std::gcd(n, m) : 1;
    if (m <= 0 || n / g > 1000 || m / g > 1000) {
      error_at(*a.first, "quantity",
               fmt::format("{}: {} shares added to {} held before (the OpenPosition's {} less the later trades) "
                           "give no split ratio",
                           kNoRatio, a.added.to_string(), before.to_string(), held->quantity.to_string()));
      section_ = saved;
      return;
    }
    a.ratio = ledger::SplitRatio{n / g, m / g};
    add_split(a);
    section_ = saved;
  }

  void add_split(const Action& a) {
    {
      Transaction t = base(*a.first, a.when);
      t.currency.clear();
      t.fx_rate.reset();
      t.external_id = a.id;
      t.type = TxType::kSplit;
      t.symbol = a.symbol;
      t.split_ratio = a.ratio;
      t.note = attr(*a.first, "description").value_or("");
      add(std::move(t), *a.first);
    }
  }

  void positions(const Node& sec, std::optional<Date> statement_end) {
    st_.has_positions = true;
    bool summary = false;
    for (const Node& n : sec.children) {
      const std::string* level = n.attribute("levelOfDetail");
      if (n.is("OpenPosition") && (!level || iequals(trim(*level), "SUMMARY"))) summary = true;
    }
    for (const Node& n : sec.children) {
      if (!n.is("OpenPosition")) continue;
      const std::string* level = n.attribute("levelOfDetail");
      const bool is_summary = !level || iequals(trim(*level), "SUMMARY");
      if (summary != is_summary) continue;
      const std::size_t errors = d_.error_count();
      const auto symbol = symbol_attr(n, true);
      const auto quantity = number(n, "position", true);
      const auto price = number(n, "markPrice");
      const auto value = number(n, "positionValue");
      const auto basis = number(n, "costBasisMoney");
      std::optional<Date> as_of = statement_end;
      if (auto r = attr(n, "reportDate")) as_of = flex_date(*r);
      if (d_.error_count() != errors) continue;
      if (as_of && (!st_.positions_as_of || *st_.positions_as_of < *as_of)) st_.positions_as_of = as_of;
      detail::add_statement_position(st_, *symbol, *quantity, price, value, n.line, basis);
    }
  }

  const std::string& file_;
  const ledger::SourceName source_{file_};  // the rows' source, shared by them
  const StatementReadOptions& options_;
  Diagnostics& d_;
  Statement st_;
  std::string section_;
  std::set<std::string> ids_;
  std::set<std::string> accounts_;
  std::vector<Action> forward_splits_;  // the statement's splits waiting for its OpenPositions
  std::vector<std::pair<std::string, const Node*>> closing_buys_;  // BUYs marked "C": external id, row
};

}  // namespace

Statement read_ibkr_flex(std::string_view text, const std::string& name, const StatementReadOptions& options,
                         Diagnostics& diags) {
  return detail::read_markup_statement<FlexReader>(text, name, options, diags, StatementFormat::kIbkrFlex);
}

}  // namespace keel::io
