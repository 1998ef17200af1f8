// src/store/ledger_rows.h (private): how ledger accounts, transactions and net-worth snapshots are
// laid out in their tables (migrations 2, 9, 77 and 83), shared by both backends: the SELECT lists, the
// decoders of their rows and the encoder of a transaction's columns.
//
// A decoder takes a SqlStatement's row (sql.h), read by column
// index; the encoder appends values to either backend's parameter list (`add`, `add_null`).
// Decimals are kept as their exact text, never as floating point.
//
// Thread-safety: pure functions.
#pragma once

#include <fmt/format.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "keel/core/error.h"
#include "keel/ledger/transaction.h"
#include "keel/store/ledger_repository.h"
#include "keel/store/ledger_snapshot_repository.h"
#include "sql.h"

namespace keel::store::detail {

// Columns of an account `a` with its transaction count and date range.
inline constexpr const char* kLedgerAccountColumns =
    "a.id, a.tenant, a.name, a.method, a.allow_short, a.currency, a.created_at, "
    "(SELECT COUNT(*) FROM ledger_transactions t WHERE t.account_id = a.id), "
    "(SELECT MIN(date) FROM ledger_transactions t WHERE t.account_id = a.id), "
    "(SELECT MAX(date) FROM ledger_transactions t WHERE t.account_id = a.id), a.type, a.institution, a.notes";

// Transactions `t` with their account `a`'s name; a backend appends WHERE and ORDER BY.
inline constexpr const char* kLedgerTxSelect =
    "SELECT t.date, t.type, t.symbol, t.quantity, t.price, t.fees, t.amount, t.lot_id, t.split_ratio, "
    "t.currency, t.note, t.method, t.source, t.source_line, a.name, t.external_id, t.fx_rate FROM ledger_transactions t "
    "JOIN ledger_accounts a ON a.id = t.account_id ";

// The columns write_ledger_tx fills, after account_id and ordinal.
inline constexpr const char* kLedgerTxValueColumns =
    "date, type, symbol, quantity, price, fees, amount, lot_id, split_ratio, currency, note, method, source, "
    "source_line, external_id, fx_rate";

inline constexpr const char* kLedgerSnapshotColumns =
    "id, tenant, scope, as_of, net_worth, market_value, cash, cost_basis, unrealized, unpriced, created_at, "
    "asset_classes";

// A snapshot's market value by asset class as stored: "cash=1.5;equity=100" (NULL: none recorded).
inline std::optional<std::string> asset_classes_text(const std::map<std::string, ledger::Decimal>& m) {
  if (m.empty()) return std::nullopt;
  std::string out;
  for (const auto& [k, v] : m) out += (out.empty() ? "" : ";") + k + "=" + v.to_string();
  return out;
}

inline ledger::Decimal stored_decimal(std::string_view text, const char* what) {
  auto d = ledger::Decimal::parse(text);
  if (!d) throw Error::internal(fmt::format("ledger store: bad stored {} '{}'", what, text));
  return *d;
}

inline Date stored_date(std::string_view text, const char* what) {
  auto d = Date::parse(text);
  if (!d) throw Error::internal(fmt::format("ledger store: bad stored {} '{}'", what, text));
  return *d;
}

inline LedgerAccount read_ledger_account(const SqlStatement& r) {
  LedgerAccount a;
  read_row(r, 0, a.id, a.tenant, a.name);
  a.method = ledger::parse_lot_method(r.get_text(3)).value_or(ledger::LotMethod::kFifo);
  read_row(r, 4, a.allow_short, a.currency, a.created_at, a.transactions, a.first_date, a.last_date, a.type,
           a.institution, a.notes);
  return a;
}

// Reads the columns where they lie (a million-row ledger is read without a string per cell).
inline ledger::Transaction read_ledger_tx(const SqlStatement& r) {
  ledger::Transaction t;
  const auto text = [&r](int column) { return r.get_text_view(column); };
  const auto optional_text = [&r](int column) {
    return r.is_null(column) ? std::nullopt : std::optional<std::string_view>(r.get_text_view(column));
  };
  auto type = ledger::parse_tx_type(text(1));
  if (!type) throw Error::internal(fmt::format("ledger store: bad stored type '{}'", text(1)));
  t.date = stored_date(text(0), "date");
  t.type = *type;
  t.symbol = text(2);
  t.quantity = stored_decimal(text(3), "quantity");
  t.price = stored_decimal(text(4), "price");
  t.fees = stored_decimal(text(5), "fees");
  if (auto a = optional_text(6)) t.amount = stored_decimal(*a, "amount");
  t.lot_id = text(7);
  if (auto s = optional_text(8)) t.split_ratio = ledger::parse_split_ratio(*s);
  t.currency = text(9);
  t.note = text(10);
  if (auto m = optional_text(11)) t.method = ledger::parse_lot_method(*m);
  // Rows imported together name one file: the last name read is shared while it repeats.
  thread_local ledger::SourceName last_source;
  if (const std::string_view source = text(12); last_source.str() != source) last_source = std::string(source);
  t.source = last_source;
  read_row(r, 13, t.line);
  t.account = text(14);
  if (auto id = optional_text(15)) t.external_id = *id;
  if (auto x = optional_text(16)) t.fx_rate = stored_decimal(*x, "fx_rate");
  return t;
}

// Appends the values of kLedgerTxValueColumns, in that order.
template <class Sink>
void write_ledger_tx(Sink& out, const ledger::Transaction& t) {
  out.add(t.date.to_string())
      .add(std::string(ledger::tx_type_name(t.type)))
      .add(t.symbol)
      .add(t.quantity.to_string())
      .add(t.price.to_string())
      .add(t.fees.to_string());
  out.add(t.amount ? std::optional(t.amount->to_string()) : std::nullopt).add(t.lot_id);
  const auto& ratio = t.split_ratio;
  out.add(ratio ? std::optional(fmt::format("{}:{}", ratio->numerator, ratio->denominator)) : std::nullopt);
  out.add(t.currency).add(t.note);
  out.add(t.method ? std::optional(std::string(ledger::lot_method_name(*t.method))) : std::nullopt);
  out.add(t.source.str()).add(static_cast<std::int64_t>(t.line));
  out.add(t.external_id.empty() ? std::nullopt : std::optional(t.external_id));
  out.add(t.fx_rate ? std::optional(t.fx_rate->to_string()) : std::nullopt);
}

inline LedgerSnapshot read_ledger_snapshot(const SqlStatement& r) {
  LedgerSnapshot s;
  read_row(r, 0, s.id, s.tenant, s.account);
  s.as_of = stored_date(r.get_text(3), "snapshot date");
  s.net_worth = stored_decimal(r.get_text(4), "net worth");
  s.market_value = stored_decimal(r.get_text(5), "market value");
  s.cash = stored_decimal(r.get_text(6), "cash");
  s.cost_basis = stored_decimal(r.get_text(7), "cost basis");
  s.unrealized = stored_decimal(r.get_text(8), "unrealized");
  s.unpriced = static_cast<int>(r.get_int(9));
  s.created_at = r.get_text(10);
  if (const auto text = r.get_optional_text(11)) {
    std::size_t start = 0;
    while (start < text->size()) {
      std::size_t end = text->find(';', start);
      if (end == std::string::npos) end = text->size();
      const std::string item = text->substr(start, end - start);
      const auto eq = item.find('=');
      if (eq == std::string::npos)
        throw Error::internal("ledger store: bad stored asset classes '" + *text + "'");
      s.asset_classes[item.substr(0, eq)] = stored_decimal(item.substr(eq + 1), "asset class value");
      start = end + 1;
    }
  }
  return s;
}

}  // namespace keel::store::detail
