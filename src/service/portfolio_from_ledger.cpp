// The ledger's holdings as a portfolio's positions (keel/service/imports.h, portfolio_from_ledger):
// the investor's accounts, booked as `keel ledger holdings` books them, written as a positions
// file and imported by the positions import, so its checks, audit row and events are the same.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>
#include <string>

#include "keel/core/csv_writer.h"
#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "keel/service/imports.h"
#include "keel/service/ledger_holdings.h"
#include "keel/store/ledger_repository.h"

namespace keel::service {
namespace {

// One symbol of the book: its shares over the accounts, in the currency of its price.
struct Holding {
  ledger::Decimal quantity;
  ledger::Decimal basis;  // in `currency`, when every account's basis was (else no entry price)
  bool basis_known = true;
};

}  // namespace

PositionsImportResult portfolio_from_ledger(const Context& cx, const PortfolioFromLedgerRequest& request) {
  if (request.portfolio.empty()) throw Error::usage("portfolio from-ledger needs a portfolio name");
  if (cx.store == nullptr) throw Error::usage("portfolio from-ledger needs a store (--db)");
  LedgerHoldingsRequest hq;
  hq.source.account = request.account;
  hq.source.as_of = request.as_of;
  const LedgerHoldingsResult h = ledger_holdings(cx, hq);

  std::map<std::string, std::string> account_currency;
  for (const auto& a : cx.store->ledger().list_accounts(cx.actor.tenant)) account_currency[a.name] = a.currency;
  auto currency_of = [&](const std::string& account) {
    const auto it = account_currency.find(account);
    return it == account_currency.end() || it->second.empty() ? std::string("USD") : it->second;
  };

  // (symbol, price currency) -> the holding, in symbol order.
  std::map<std::pair<std::string, std::string>, Holding> book;
  for (const HoldingPosition& p : h.positions) {
    if (p.quantity.is_zero()) continue;
    Holding& b = book[{p.symbol, p.currency.value_or(currency_of(p.account))}];
    b.quantity = b.quantity + p.quantity;
    // The basis is in the account's currency: an entry price only when the price is in it too.
    if (p.currency) b.basis_known = false;
    else b.basis = b.basis + p.basis;
  }
  std::map<std::string, Date> first_lot;  // symbol -> the buy date of its oldest open lot
  for (const HoldingLot& l : h.lots) {
    const auto [it, added] = first_lot.emplace(l.symbol, l.buy_date);
    if (!added && l.buy_date < it->second) it->second = l.buy_date;
  }
  // Cash per currency: each account's rows per currency when some were in another one, else the
  // account's cash in its currency.
  std::map<std::string, ledger::Decimal> cash;
  if (h.cash_by_currency) {
    for (const CurrencyCash& c : *h.cash_by_currency) cash[c.currency] = cash[c.currency] + c.amount;
  } else {
    for (const auto& [account, amount] : h.cash) cash[currency_of(account)] = cash[currency_of(account)] + amount;
  }

  std::string csv = "symbol,quantity,entry_price,entry_date,type,currency\n";
  std::size_t rows = 0;
  for (const auto& [key, b] : book) {
    if (b.quantity.is_zero()) continue;
    std::string entry_price;
    if (b.basis_known && !b.basis.is_zero()) {
      entry_price = fmt::format("{:.10g}", b.basis.to_double() / b.quantity.to_double());
      if (!entry_price.empty() && entry_price[0] == '-') entry_price.erase(0, 1);  // a short's proceeds
    }
    const auto lot = first_lot.find(key.first);
    csv += fmt::format("{},{},{},{},,{}\n", csv_cell(key.first), b.quantity.to_string(), entry_price,
                       lot == first_lot.end() ? std::string() : lot->second.to_string(), key.second);
    ++rows;
  }
  for (const auto& [currency, amount] : cash) {
    if (amount.is_zero()) continue;
    csv += fmt::format("{},{},,,cash,{}\n", currency, amount.to_string(), currency);
    ++rows;
  }
  const std::string what = request.account ? "account " + shown_with(*request.account, 64, '\'') : "all accounts";
  if (rows == 0) {
    throw Error::invalid_input(fmt::format("the ledger ({}) holds nothing on {}: no positions to import", what,
                                           h.as_of.to_string()));
  }

  ImportPositionsRequest q;
  q.input = {fmt::format("ledger {} on {}", what, h.as_of.to_string()), csv};
  q.portfolio = request.portfolio;
  q.currency = request.currency;
  PositionsImportResult out = import_positions(cx, q);
  if (!h.unpriced.empty()) {
    out.warnings.push_back(fmt::format("no price on or before {} for {}: their risk needs prices (keel fetch prices)",
                                       h.as_of.to_string(), fmt::join(h.unpriced, ", ")));
  }
  return out;
}

}  // namespace keel::service
