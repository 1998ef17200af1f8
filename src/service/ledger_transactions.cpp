// An account's transactions as stored, filtered and paged (keel/service/ledger_exports.h).
#include <fmt/format.h>

#include "keel/core/error.h"
#include "keel/core/parse.h"
#include "keel/core/strings.h"
#include "keel/service/context.h"
#include "keel/service/ledger_exports.h"
#include "keel/store/ledger_repository.h"
#include "keel/store/store.h"

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

LedgerTransactionsResult ledger_transactions(const Context& cx, const LedgerTransactionsRequest& req) {
  Store& store = require_store(cx, "transactions are stored (keel import transactions)");
  std::vector<std::string> problems;
  std::optional<ledger::TxType> type;
  if (req.type) {
    type = ledger::parse_tx_type(*req.type);
    if (!type) problems.push_back(fmt::format("type: expected one of {}, got {}", ledger::tx_type_choices(),
                                              shown_with(*req.type, 64, '"')));
  }
  if (req.from && req.to && *req.to < *req.from) {
    problems.push_back(fmt::format("to: {} is before from {}", req.to->to_string(), req.from->to_string()));
  }
  if (!problems.empty()) throw Error::invalid_input("invalid transactions request", problems);
  store::LedgerRepository& repo = store.ledger();
  if (!repo.find_account(cx.actor.tenant, req.account)) {
    throw Error::not_found("no account named " + shown_with(req.account, 64, '\''));
  }
  const std::vector<ledger::Transaction> rows = repo.transactions(cx.actor.tenant, req.account);
  const std::string symbol = req.symbol ? to_upper(std::string(trim(*req.symbol))) : std::string();
  LedgerTransactionsResult out;
  out.account = req.account;
  out.offset = req.offset;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const ledger::Transaction& t = rows[i];
    if (req.symbol && t.symbol != symbol) continue;
    if (type && t.type != *type) continue;
    if ((req.from && t.date < *req.from) || (req.to && *req.to < t.date)) continue;
    const std::size_t k = out.total++;
    if (k < req.offset || (req.limit != 0 && k >= req.offset + req.limit)) continue;
    ExportedTransaction r = exported_transaction(t, i);
    r.lot_id = t.lot_id;  // as stored: the export names unnamed lots, a listing does not
    out.items.push_back({i + 1, std::move(r)});
  }
  return out;
}

}  // namespace keel::service
