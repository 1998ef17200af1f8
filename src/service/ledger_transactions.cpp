// An account's transactions as stored, filtered and paged (keel/service/ledger_exports.h).
#include <fmt/format.h>

#include "keel/core/error.h"
#include "keel/core/parse.h"
#include "keel/core/strings.h"
#include "keel/io/readers.h"
#include "keel/service/context.h"
#include "keel/service/ledger_accounts.h"
#include "keel/service/rules.h"
#include "keel/service/ledger_exports.h"
#include "keel/store/ledger_repository.h"
#include "keel/store/store.h"
#include "ledger_internal.h"

namespace keel::service {

ExportedTransaction exported_transaction(const ledger::Transaction& t, std::size_t index) {
  ExportedTransaction r;
  r.date = t.date.to_string();
  r.type = std::string(ledger::tx_type_name(t.type));
  r.symbol = t.symbol;
  r.quantity = t.quantity.to_string();
  r.price = t.price.to_string();
  r.fees = t.fees.to_string();
  r.account = t.account;
  r.lot_id = t.lot_id.empty() && t.type == ledger::TxType::kBuy ? fmt::format("T{}", index + 1) : t.lot_id;
  if (t.amount) r.amount = t.amount->to_string();
  if (t.split_ratio) r.split_ratio = fmt::format("{}:{}", t.split_ratio->numerator, t.split_ratio->denominator);
  if (!t.currency.empty()) r.currency = t.currency;
  if (!t.note.empty()) r.note = t.note;
  if (t.method) r.method = std::string(ledger::lot_method_name(*t.method));
  return r;
}

namespace {

// The type named by `text`, or a problem for the field `type`.
std::optional<ledger::TxType> type_field(const std::optional<std::string>& text, std::vector<std::string>& problems) {
  if (!text) return std::nullopt;
  const auto type = ledger::parse_tx_type(*text);
  if (!type) {
    problems.push_back(
        fmt::format("type: expected one of {}, got {}", ledger::tx_type_choices(), shown_with(*text, 64, '"')));
  }
  return type;
}

// `text` as a non-negative exact decimal for `field`, or a problem.
std::optional<ledger::Decimal> decimal_field(const std::optional<std::string>& text, const char* field,
                                             std::vector<std::string>& problems) {
  if (!text) return std::nullopt;
  const auto d = ledger::Decimal::parse(*text);
  if (!d || d->is_negative()) {
    problems.push_back(fmt::format("{}: expected a non-negative decimal number (at most 8 places), got {}", field,
                                   shown_with(*text, 64, '"')));
    return std::nullopt;
  }
  return d;
}

}  // namespace

LedgerTransactionsResult ledger_transactions(const Context& cx, const LedgerTransactionsRequest& req) {
  Store& store = require_store(cx, "transactions are stored (keel import transactions)");
  const LedgerTransactionsFilter& f = req.filter;
  std::vector<std::string> problems;
  const std::optional<ledger::TxType> type = type_field(f.type, problems);
  if (f.from && f.to && *f.to < *f.from) {
    problems.push_back(fmt::format("to: {} is before from {}", f.to->to_string(), f.from->to_string()));
  }
  if (!problems.empty()) throw Error::invalid_input("invalid transactions request", problems);
  // Filtered, counted and paged in the database: a page of a large account reads that page.
  store::LedgerRepository::TransactionsFilter filter;
  if (f.symbol) filter.symbol = to_upper(std::string(trim(*f.symbol)));
  if (type) filter.type = std::string(ledger::tx_type_name(*type));
  filter.from = f.from;
  filter.to = f.to;
  // Throws not_found for an unknown account.
  auto page = store.ledger().transactions_page(cx.actor.tenant, req.account, filter, req.offset, req.limit);
  LedgerTransactionsResult out;
  out.account = req.account;
  out.offset = req.offset;
  out.total = page.total;
  for (auto& [number, t] : page.rows) {
    ExportedTransaction r = exported_transaction(t, number - 1);
    r.lot_id = t.lot_id;  // as stored: the export names unnamed lots, a listing does not
    out.items.push_back({number, std::move(r)});
  }
  return out;
}

TransactionEditResult edit_transaction(const Context& cx, const TransactionEditRequest& req) {
  Store& store = require_store(cx, "transactions are stored (keel import transactions)");
  const UseCase& use_case = req.remove ? kTransactionDelete : kTransactionEdit;
  store::LedgerRepository& repo = store.ledger();
  const std::string& name = req.row.account;
  const std::size_t number = req.row.number;
  const auto account = repo.find_account(cx.actor.tenant, name);
  authorize(cx, use_case, fmt::format("account/{}", account ? account->id : 0));
  if (!account) throw Error::not_found("no account named " + shown_with(name, 64, '\''));
  // The fields, checked all at once before anything is read.
  std::vector<std::string> problems;
  const std::optional<ledger::TxType> type = type_field(req.type, problems);
  std::optional<std::string> symbol;
  if (req.symbol) {
    symbol = to_upper(std::string(trim(*req.symbol)));
    if (!symbol->empty()) {
      if (auto problem = io::symbol_problem(*symbol)) problems.push_back("symbol: " + *problem);
    }
  }
  const auto quantity = decimal_field(req.quantity, "quantity", problems);
  const auto price = decimal_field(req.price, "price", problems);
  const auto fees = decimal_field(req.fees, "fees", problems);
  const auto amount = decimal_field(req.amount, "amount", problems);
  const bool any_field =
      req.date || req.type || req.symbol || req.quantity || req.price || req.fees || req.amount || req.note;
  if (req.remove && any_field) problems.push_back("a deletion takes no new fields");
  if (!req.remove && !any_field) {
    problems.push_back("no field to change (date, type, symbol, quantity, price, fees, amount, note)");
  }
  if (!problems.empty()) throw Error::invalid_input("invalid transaction edit", problems);

  TransactionEditResult out = store.transaction([&] {
    // The tenant's ledger, read once: the account's rows are its run of them (stored order).
    const std::vector<ledger::Transaction> before = repo.all_transactions(cx.actor.tenant);
    std::vector<ledger::Transaction> after;
    std::vector<ledger::Transaction> rows;
    after.reserve(before.size());
    for (const auto& t : before) (t.account == name ? rows : after).push_back(t);
    if (number < 1 || number > rows.size()) {
      throw Error::not_found(
          fmt::format("account '{}' has no transaction number {} (it has {})", name, number, rows.size()));
    }
    const std::size_t i = number - 1;
    TransactionEditResult r;
    r.account = name;
    r.number = number;
    r.before = exported_transaction(rows[i], i);
    r.before.lot_id = rows[i].lot_id;
    if (req.remove) {
      rows.erase(rows.begin() + static_cast<std::ptrdiff_t>(i));
      r.action = "deleted";
    } else {
      ledger::Transaction& t = rows[i];
      if (req.date) t.date = *req.date;
      if (type) t.type = *type;
      if (symbol) t.symbol = *symbol;
      if (quantity) t.quantity = *quantity;
      if (price) t.price = *price;
      if (fees) t.fees = *fees;
      if (amount) t.amount = *amount;
      if (req.note) t.note = *req.note;
      r.after = exported_transaction(t, i);
      r.after->lot_id = t.lot_id;
      r.action = "edited";
    }
    // The tenant's ledger booked with the change: what follows the row is booked again, and a
    // change that leaves a sale without its shares is refused with the row named.
    after.insert(after.end(), rows.begin(), rows.end());
    ledger::BookOptions options;
    for (const auto& a : repo.list_accounts(cx.actor.tenant)) options.accounts[a.name] = {a.method, a.allow_short};
    try {
      r.warnings = ledger_detail::book_for_import(before, after, options);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kInvalidInput) throw;
      throw Error::invalid_input(fmt::format("transaction {} of account '{}' cannot be {}: the account would not "
                                             "book; nothing was changed",
                                             number, name, req.remove ? "deleted" : "changed so"),
                                 e.details());
    }
    // Only the row changes in the store: one UPDATE, or one DELETE with the rows after it moved up.
    if (req.remove) {
      repo.delete_transaction(cx.actor.tenant, name, number);
    } else {
      repo.update_transaction(cx.actor.tenant, name, number, rows[number - 1]);
    }
    r.account_transactions = rows.size();
    return r;
  });
  audit(cx, use_case, fmt::format("account/{}", account->id),
        {{"name", name}, {"number", number}, {"date", out.before.date}, {"type", out.before.type},
         {"symbol", out.before.symbol}});
  return out;
}

}  // namespace keel::service
