#include "keel/service/rebalance.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string_view>
#include <nlohmann/json.hpp>

#include "keel/construct/rebalance.h"
#include "keel/core/error.h"
#include "keel/io/construct_reader.h"
#include "keel/io/input.h"
#include "keel/io/order_writer.h"
#include "keel/core/parse.h"
#include "keel/core/strings.h"
#include "keel/ledger/booking.h"
#include "keel/service/book.h"
#include "keel/service/ledger_source.h"
#include "ledger_internal.h"

namespace keel::service {
namespace {

// `symbol,weight` rows (io::parse_symbol_weights: the CSV rules of every reader); its warnings (a
// cut last line, ...) go to `warnings`.
std::map<std::string, double> read_target_csv(const Context& cx, const std::string& path,
                                              std::vector<std::string>& warnings) {
  const std::string text = io::read_text_file(cx.env.files, path, "target", "target weights file");
  Diagnostics diags;
  std::map<std::string, double> out = io::parse_symbol_weights(text, path, diags);
  diags.throw_if_errors(fmt::format("cannot read target weights file {}", path));
  for (const auto& w : diags.warnings()) warnings.push_back(w.to_string());
  return out;
}

std::map<std::string, double> read_target_json(const Context& cx, const std::string& path) {
  const std::string text = cx.env.files.read(path, "target_json");
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object() || !j.contains("weights") || !j["weights"].is_object())
    throw Error::invalid_input(fmt::format("{}: expected a `keel --format json optimize` result with \"weights\"", path));
  std::map<std::string, double> out;
  for (const auto& [sym, w] : j["weights"].items()) {
    if (!w.is_number()) throw Error::invalid_input(fmt::format("{}: weights.{}: expected a number", path, sym));
    out[sym] = w.get<double>();
  }
  return out;
}

std::map<std::string, double> targets_of(const Context& cx, const RebalanceRequest& req,
                                         std::vector<std::string>& warnings) {
  const int given = int(!req.target_weights.empty()) + int(req.target_file.has_value()) +
                    int(req.target_json_file.has_value());
  if (given != 1) throw Error::usage("give the target weights once: --target FILE, --target-json FILE or target_weights");
  if (req.target_file) return read_target_csv(cx, *req.target_file, warnings);
  if (req.target_json_file) return read_target_json(cx, *req.target_json_file);
  return req.target_weights;
}

// The last close on or before the book's as-of date.
std::optional<double> close_of(const Book& b, const std::string& symbol) {
  const auto col = b.closes.find(symbol);
  if (!col) return std::nullopt;
  for (std::size_t t = b.closes.rows(); t-- > 0;) {
    if (b.closes.dates[t] > b.as_of) continue;
    const double v = b.closes.at(t, *col);
    if (!is_missing(v)) return v;
  }
  return std::nullopt;
}

// The account's lots and the wash-sale guards, from the ledger booked up to the as-of date.
void add_tax_inputs(const Context& cx, const RebalanceRequest& req, const Book& book, construct::RebalanceInput& in,
                    std::vector<std::string>& warnings) {
  LedgerSource src;
  src.transactions_file = req.transactions_file;
  src.mapping_file = req.mapping_file;
  src.transactions_text = req.transactions_text;
  src.account = *req.account;
  src.as_of = book.as_of;
  src.currency = book.currency;
  const LoadedLedger l = load_ledger(cx, src);
  const ledger::BookResult b = ledger_detail::book_loaded(l);
  for (const auto& w : l.warnings) warnings.push_back(w);
  for (const auto& w : b.warnings) warnings.push_back(w);

  bool any = false;
  for (const ledger::Lot& lot : b.open_lots) {
    const ledger::PositionKey& key = b.key(lot);
    if (key.account != *req.account) continue;
    any = true;
    if (lot.quantity.to_double() <= 0.0) continue;  // a short lot is not sold
    const bool long_term = req.long_term_days ? (book.as_of - lot.acquired) > *req.long_term_days
                                              : ledger::holding_term(lot.acquired, book.as_of) == ledger::Term::kLong;
    in.lots.push_back({key.symbol, lot.lot_id, lot.acquired, lot.quantity.to_double(), lot.basis.to_double(),
                       long_term ? construct::LotTerm::kLong : construct::LotTerm::kShort});
  }
  if (!any) warnings.push_back(fmt::format("account {} has no open lots on {}", *req.account, book.as_of.to_string()));

  // The booking's own wash-sale window; purchases and loss sales of every account count, as in
  // the booking (the IRS counts all of a taxpayer's accounts).
  const int window = l.options.wash_window_days;
  const Date from = book.as_of.add_days(-window);
  std::map<std::string, Date> bought;
  for (const ledger::Transaction& t : l.transactions) {
    if (t.type != ledger::TxType::kBuy || t.symbol.empty() || t.date < from || t.date > book.as_of) continue;
    auto [it, fresh] = bought.emplace(t.symbol, t.date);
    if (!fresh && it->second < t.date) it->second = t.date;
  }
  for (const auto& [sym, date] : bought) {
    in.no_loss_sale[sym] = fmt::format("{} bought on {}, within {} days before {}: selling this lot at a loss would be "
                                       "a wash sale",
                                       sym, date.to_string(), window, book.as_of.to_string());
  }
  std::map<std::string, Date> lost;
  for (const ledger::RealizedGain& g : b.realized) {
    const Date d = b.sell_date(g);
    if (g.short_sale || d < from || d > book.as_of || !(g.gain() < ledger::Decimal())) continue;
    const std::string& sym = b.key(g).symbol;
    auto [it, fresh] = lost.emplace(sym, d);
    if (!fresh && it->second < d) it->second = d;
  }
  for (const auto& [sym, date] : lost) {
    in.no_buy[sym] = fmt::format("{} sold at a loss on {}, within {} days before {}: buying it would be a wash sale",
                                 sym, date.to_string(), window, book.as_of.to_string());
  }
}

}  // namespace

ComputeCost rebalance_cost(std::size_t positions, std::size_t targets, std::size_t lots) {
  ComputeCost cost;
  cost.operation = "rebalance";
  cost.engine = Engine::kBookRow;
  const double rows = static_cast<double>(positions) + static_cast<double>(targets) + static_cast<double>(lots);
  cost.steps = rows;
  cost.formula = fmt::format("positions {} + targets {} + lots {}", positions, targets, lots);
  cost.memory_bytes = rows * 256.0;
  cost.parameter = lots > 0 ? "account" : "target_weights";
  return cost;
}

RebalanceResult rebalance(const Context& cx, const RebalanceRequest& req) {
  if (req.orders && *req.orders != "csv" && *req.orders != "fix") {
    throw Error::invalid_input("invalid rebalance request",
                               {fmt::format("orders: expected csv or fix, got \"{}\"", *req.orders)});
  }
  std::vector<std::string> read_warnings;
  const std::map<std::string, double> target = targets_of(cx, req, read_warnings);
  if (req.tax_aware && !req.account) throw Error::usage("tax-aware rebalancing needs the account (--account NAME)");
  if (!req.tax_aware && req.tax_budget_amount)
    throw Error::usage("a tax budget needs tax-aware rebalancing (--tax-aware)");

  Book book = load_book(cx, req.source);
  admit_now(cx, rebalance_cost(book.positions.size(), target.size(), 0));
  // A symbol only the targets name is priced with the book: the book again, with it at zero.
  std::vector<Position> extra;
  std::set<std::string_view> held;
  for (const Position& p : book.positions) held.insert(p.symbol);
  for (const auto& entry : target) {
    const std::string& sym = entry.first;
    if (held.contains(sym)) continue;
    Position p;
    p.symbol = sym;
    p.quantity = 0.0;
    p.currency = book.currency;
    extra.push_back(std::move(p));
  }
  if (!extra.empty()) {
    BookSource again = req.source;
    again.portfolio.reset();
    again.positions_file.reset();
    again.positions = book.positions;
    again.positions->insert(again.positions->end(), extra.begin(), extra.end());
    again.positions_name = book.name;
    again.currency = book.currency;
    again.as_of = book.as_of;
    book = load_book(cx, again);
  }

  construct::RebalanceInput in;
  std::vector<std::string> warnings = book.warnings;
  warnings.insert(warnings.end(), read_warnings.begin(), read_warnings.end());
  std::vector<std::string> problems;
  std::map<std::string, std::size_t> row;
  for (const Position& p : book.positions) {
    if (p.currency != book.currency) {
      problems.push_back(fmt::format("{}: quoted in {}; rebalancing works in the book's currency {}", p.symbol,
                                     p.currency, book.currency));
      continue;
    }
    if (p.type == InstrumentType::kCash) {
      in.cash += p.quantity * p.multiplier;
      continue;
    }
    if (p.type == InstrumentType::kOption || p.type == InstrumentType::kOther) {
      problems.push_back(fmt::format("{}: rebalancing trades stocks and ETFs, not {}", p.symbol,
                                     instrument_type_name(p.type)));
      continue;
    }
    const auto price = close_of(book, p.symbol);
    if (!price) {
      problems.push_back(fmt::format("{}: no close on or before {}", p.symbol, book.as_of.to_string()));
      continue;
    }
    const auto [it, fresh] = row.emplace(p.symbol, in.holdings.size());
    if (fresh) in.holdings.push_back({p.symbol, 0.0, *price});
    in.holdings[it->second].quantity += p.quantity * p.multiplier;
  }
  if (!problems.empty()) {
    std::string all;
    for (const auto& p : problems) all += (all.empty() ? "" : "; ") + p;
    throw Error::invalid_input(all);
  }
  // Cash has no prices to miss.
  std::set<std::string> cash_warnings;
  for (const Position& p : book.positions)
    if (p.type == InstrumentType::kCash) cash_warnings.insert(p.symbol + ": no prices");
  std::erase_if(warnings, [&cash_warnings](const std::string& w) { return cash_warnings.contains(w); });
  in.target = target;
  in.cash_weight = req.cash_weight;
  in.min_trade_amount = req.min_trade_amount;
  in.lot_size = req.lot_size;
  in.cost_bp = req.cost_bp;
  in.tax_aware = req.tax_aware;
  if (req.tax_budget_amount) in.tax_budget = *req.tax_budget_amount;
  if (req.tax_aware) {
    add_tax_inputs(cx, req, book, in, warnings);
    admit_now(cx, rebalance_cost(book.positions.size(), target.size(), in.lots.size()));
  }

  const construct::RebalancePlan plan = construct::rebalance(in);
  RebalanceResult out;
  out.portfolio = book.name;
  out.currency = book.currency;
  out.as_of = book.as_of.to_string();
  out.value_amount = plan.value;
  out.cash_before_amount = plan.cash_before;
  out.cash_after_amount = plan.cash_after;
  out.turnover = plan.turnover;
  out.cost_amount = plan.cost;
  for (const construct::Trade& t : plan.trades) {
    RebalanceTrade r{t.symbol,        t.buy ? "buy" : "sell", t.quantity,       t.price, t.amount, t.cost,
                     t.weight_before, t.weight_after,         t.target_weight, {}};
    for (const construct::LotSale& s : t.lots)
      r.lots.push_back({s.lot_id, s.open_date, s.quantity, s.basis, s.gain, std::string(construct::lot_term_name(s.term))});
    out.trades.push_back(std::move(r));
  }
  out.weights_before = plan.weights_before;
  out.weights_after = plan.weights_after;
  out.realized_gain = {plan.short_term_gain, plan.long_term_gain,
                       std::round((plan.short_term_gain + plan.long_term_gain) * 100.0) / 100.0};
  for (const auto& w : plan.wash_sales_avoided) {
    RebalanceWashSale r{w.symbol, w.reason, {}};
    if (w.lot_id) r.lot_id.emplace(*w.lot_id);
    out.wash_sales_avoided.push_back(std::move(r));
  }
  if (req.tax_budget_amount) out.tax_budget_amount.emplace(*req.tax_budget_amount);
  if (req.orders) {
    std::vector<io::Order> orders;
    for (const RebalanceTrade& t : out.trades) {
      orders.push_back({t.symbol, t.side == "buy", t.quantity, std::nullopt, t.price, t.amount,
                        req.broker_account ? *req.broker_account : std::string()});
    }
    if (*req.orders == "csv") {
      out.orders = io::orders_csv(orders);
    } else {
      io::FixOptions fo;
      fo.sender = req.fix_sender;
      fo.target = req.fix_target;
      fo.sending_time = io::fix_time(cx.env.clock.now());
      out.orders = io::fix_new_order_singles(orders, fo);
    }
  }
  out.warnings = std::move(warnings);
  for (const auto& w : plan.warnings) out.warnings.push_back(w);
  return out;
}

}  // namespace keel::service
