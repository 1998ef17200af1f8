// `keel import transactions`, POST /api/v1/accounts/{id}/transactions: a file of any format
// (keel/service/ledger_accounts.h, import_transactions) validated against the stored ledger by
// booking what the tenant would hold after it, then written in one transaction, or previewed.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <set>

#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "keel/io/statement.h"
#include "keel/io/transaction_reader.h"
#include "keel/service/changes.h"
#include "keel/service/ledger.h"
#include "keel/service/ledger_mappings.h"
#include "keel/store/ledger_repository.h"
#include "ledger_internal.h"

namespace keel::service {

using ledger::Decimal;
using ledger::Transaction;
using ledger_detail::date_text;
using ledger_detail::gain_of;
using ledger_detail::ImportInput;
using ledger_detail::read_import_input;

namespace {

// The booking's problems for a statement's import, with what to do next when a sale finds too few
// shares and the statement has no position list: keel cannot tell what the account held before
// the statement starts (docs/ledger.md, "Opening positions"), so the user records it.
std::vector<std::string> with_opening_hint(std::vector<std::string> problems, const io::Statement& st,
                                           const std::string& account) {
  if (st.has_positions) return problems;
  const bool short_sale = std::any_of(problems.begin(), problems.end(), ledger::is_sale_beyond_holdings);
  if (!short_sale) return problems;
  const std::string before = st.start ? " before " + st.start->to_string() : std::string();
  problems.push_back(fmt::format(
      "next step: the statement has no position list (OFX INVPOSLIST, IBKR Flex OpenPositions), so the shares "
      "account '{}' held{} are not known: import them first as TRANSFER_IN rows dated{} (a CSV of "
      "date,type,symbol,quantity,price), or download the statement with its positions",
      account, before, st.start ? " on or before " + st.start->to_string() : std::string(" before the sale")));
  return problems;
}

// What makes two rows the same transaction for a re-import (every field but the note and where
// it was read from).
std::string fingerprint(const Transaction& t) {
  std::string f = t.date.to_string();
  f += '|';
  f += ledger::tx_type_name(t.type);
  f += '|' + t.symbol + '|' + t.quantity.to_string() + '|' + t.price.to_string() + '|' + t.fees.to_string() + '|' +
       (t.amount ? t.amount->to_string() : std::string("-")) + '|' + t.lot_id + '|';
  if (t.split_ratio) f += fmt::format("{}:{}", t.split_ratio->numerator, t.split_ratio->denominator);
  f += '|' + t.currency + '|';
  if (t.method) f += ledger::lot_method_name(*t.method);
  return f;
}

// What makes a statement's row the same transaction as a held row without an id: the fields a
// statement and a hand-kept ledger both state, the trade's net cash standing for its price, fees
// and amount (a statement gives the amount to the cent where the ledger may give price and fees).
std::string statement_fingerprint(const Transaction& t) {
  return fmt::format("{}|{}|{}|{}|{}", t.date.to_string(), ledger::tx_type_name(t.type), t.symbol,
                     t.quantity.to_string(), ledger::cash_effect(t).abs().to_string());
}

ImportPreviewRow preview_row(const Transaction& t, bool duplicate) {
  ImportPreviewRow r;
  r.line = t.line;
  r.date = t.date.to_string();
  r.type = std::string(ledger::tx_type_name(t.type));
  r.symbol = t.symbol;
  r.quantity = t.quantity;
  r.price = t.price;
  r.fees = t.fees;
  if (t.amount) r.amount.emplace(*t.amount);
  r.lot_id = t.lot_id;
  r.note = t.note;
  r.duplicate = duplicate;
  if (!t.external_id.empty()) r.external_id = t.external_id;
  return r;
}

// The statement's positions beside the account's open lots after the import, booked up to the
// positions' date. Every difference is also a warning.
std::vector<ImportReconcileRow> reconcile_statement(const io::Statement& st, const std::vector<Transaction>& all,
                                                    const ledger::BookOptions& options, const std::string& account,
                                                    std::vector<std::string>& warnings) {
  std::vector<Transaction> upto;
  for (const auto& t : all) {
    if (!st.positions_as_of || t.date <= *st.positions_as_of) upto.push_back(t);
  }
  std::map<std::string, Decimal> held;
  try {
    const auto b = ledger::book(upto, options);
    for (const auto& lot : b.open_lots) {
      if (b.key(lot).account == account) held[b.key(lot).symbol] += lot.quantity;
    }
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kInvalidInput) throw;
    warnings.push_back(fmt::format("the statement's positions are not reconciled: the ledger up to {} cannot be booked ({})",
                                   st.positions_as_of ? st.positions_as_of->to_string() : "its end", e.what()));
    return {};
  }
  std::map<std::string, Decimal> reported;
  for (const auto& p : st.positions) reported[p.symbol] += p.quantity;
  std::set<std::string> symbols;
  for (const auto& [sym, q] : held) {
    if (!q.is_zero()) symbols.insert(sym);
  }
  for (const auto& [sym, q] : reported) symbols.insert(sym);
  std::vector<ImportReconcileRow> out;
  const std::string when = st.positions_as_of ? " on " + st.positions_as_of->to_string() : std::string();
  for (const auto& sym : symbols) {
    ImportReconcileRow r;
    r.symbol = sym;
    const auto h = held.find(sym);
    const auto p = reported.find(sym);
    r.ledger = h == held.end() ? Decimal() : h->second;
    r.statement = p == reported.end() ? Decimal() : p->second;
    r.difference = r.ledger - r.statement;
    if (p == reported.end()) r.status = "missing_at_broker";
    else if (r.ledger.is_zero() && !r.statement.is_zero()) r.status = "missing_in_ledger";
    else r.status = r.difference.is_zero() ? "ok" : "quantity";
    if (r.status != "ok") {
      warnings.push_back(fmt::format("reconciliation: {}: the statement reports {} shares{}, the ledger would hold {} ({})",
                                     sym, r.statement.to_string(), when, r.ledger.to_string(), r.status));
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::optional<io::TransactionMapping> request_mapping(const Context& cx, const ImportTransactionsRequest& request) {
  const int given =
      (request.mapping.is_null() ? 0 : 1) + (request.mapping_file ? 1 : 0) + (request.mapping_name ? 1 : 0);
  if (given > 1) throw Error::usage("give one of a mapping document, a mapping file or a mapping name");
  if (request.mapping_name) {
    const auto m = find_ledger_mapping(cx, *request.mapping_name);
    return io::parse_mapping(m.document, *request.mapping_name);
  }
  // `--mapping fidelity`: a built-in's name (not a path) reads as --mapping-name.
  if (request.mapping_file && request.mapping_file->find('/') == std::string::npos &&
      request.mapping_file->find('.') == std::string::npos && !builtin_mapping(*request.mapping_file).is_null()) {
    return io::parse_mapping(builtin_mapping(*request.mapping_file), *request.mapping_file);
  }
  if (request.mapping.is_null()) return read_mapping(request.mapping_file, cx.env.files);
  if (!request.mapping.is_object()) {
    throw Error::invalid_input("invalid transactions import",
                               {"mapping: expected the mapping document as an object (see docs/ledger.md)"});
  }
  try {
    return io::parse_mapping(request.mapping, "mapping");
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kInvalidInput) throw;
    std::vector<std::string> problems;
    for (const auto& d : e.details()) problems.push_back("mapping: " + d);
    if (problems.empty()) problems.push_back(std::string("mapping: ") + e.what());
    throw Error::invalid_input("invalid transactions import", problems);
  }
}

}  // namespace

TransactionsImportResult import_transactions(const Context& cx, const ImportTransactionsRequest& request) {
  authorize(cx, kTransactionsImport, "account/" + shown_with(request.account, 200, 0));
  Store& store = require_store(cx, "transactions are stored");
  const std::string& tenant = cx.actor.tenant;
  if (request.account.empty()) throw Error::invalid_input("invalid transactions import", {"account: required"});
  // The account by name or id, as every face names it; a name of none is the account to open (an
  // id of none is not found: a number never names a new account).
  const std::optional<AccountResult> found = find_account_ref(cx, request.account);
  const std::string account = found ? found->name : request.account;
  if (!found) {
    if (std::all_of(account.begin(), account.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      throw Error::not_found(fmt::format("no account {}", shown_with(account, 200, 0)));
    }
    if (const auto p = spec::name_problem(account, 200); !p.empty()) {
      throw Error::invalid_input("invalid transactions import", {"account: " + p});
    }
  }
  const std::optional<io::TransactionMapping> mapping = request_mapping(cx, request);
  const InputFile& input = request.input;
  const std::string& file = input.name;
  std::vector<std::string> warnings;
  ImportInput read = read_import_input(input, mapping, account, warnings, cx.env.files, request.broker_account);
  auto& rows = read.rows;
  // A row naming another account is a mistake, not something to spread over accounts silently.
  std::vector<std::string> wrong;
  for (const auto& t : rows) {
    if (t.account != account) {
      wrong.push_back(
          fmt::format("{}:{}: account '{}' but the import is into '{}'", file, t.line, t.account, account));
    }
  }
  if (!wrong.empty()) throw Error::invalid_input(file + ": rows of other accounts; nothing was imported", wrong);
  if (rows.empty()) throw Error::invalid_input(file + ": no transactions");

  store::LedgerRepository& repo = store.ledger();
  // Importing into an account that does not exist creates it: the right to create accounts, as
  // POST /api/v1/accounts asks (a preview creates nothing).
  if (!request.dry_run && !repo.find_account(tenant, account)) {
    authorize(cx, kAccountCreate, "account/" + shown_with(account, 200, 0));
  }
  // Validation against the stored ledger and the write are one BEGIN IMMEDIATE transaction: no
  // other writer can commit between the check and the write, so two concurrent sales of the same
  // shares cannot both pass.
  TransactionsImportResult result = store.transaction([&] {
    const auto existing = repo.find_account(tenant, account);
    // A statement's currency: a new account is opened in it; an account in another one books the
    // statement's rows in it (converted at the day's rates).
    const io::Statement* statement = read.statement ? &*read.statement : nullptr;
    std::string new_account_currency = "USD";
    if (statement != nullptr) {
      ledger_detail::apply_statement_currency(*statement, account, existing ? existing->currency : std::string(),
                                              !existing, rows, warnings);
      if (!existing && !statement->currency.empty()) new_account_currency = statement->currency;
    }
    if (!existing && !read.export_currency.empty()) new_account_currency = read.export_currency;
    // Rows the account already holds are skipped, as many times as it holds them.
    std::vector<bool> duplicate(rows.size(), false);
    std::size_t duplicates = 0;
    if (existing && !request.replace) {
      // A row with a statement's id is the same transaction as the held row of that id (the id is
      // the account's unique key, so it is never stored twice); others compare field by field.
      // A statement's row whose id the account does not hold may still be a held row that has no
      // id (typed in, or read from a plain CSV): it matches one by date, type, symbol, quantity
      // and net cash. Each held row without an id is the duplicate of one row at most.
      std::set<std::string> held_ids;
      std::vector<bool> used;
      std::map<std::string, std::vector<std::size_t>> by_fields, by_cash;
      for (const auto& t : repo.transactions(tenant, account)) {
        if (!t.external_id.empty()) {
          held_ids.insert(t.external_id);
          continue;
        }
        by_fields[fingerprint(t)].push_back(used.size());
        by_cash[statement_fingerprint(t)].push_back(used.size());
        used.push_back(false);
      }
      auto take = [&used](std::map<std::string, std::vector<std::size_t>>& index, const std::string& key) {
        const auto it = index.find(key);
        if (it == index.end()) return false;
        for (const std::size_t k : it->second) {
          if (used[k]) continue;
          used[k] = true;
          return true;
        }
        return false;
      };
      std::vector<std::size_t> unheld_ids;  // statement rows whose id the account does not hold
      for (std::size_t i = 0; i < rows.size(); ++i) {
        if (!rows[i].external_id.empty()) {
          if (held_ids.count(rows[i].external_id) != 0) duplicate[i] = true;
          else unheld_ids.push_back(i);
        } else if (!request.keep_duplicates) {
          duplicate[i] = take(by_fields, fingerprint(rows[i]));
        }
      }
      // After the rows without an id, which match held rows on every field, have taken theirs.
      if (!request.keep_duplicates) {
        for (const std::size_t i : unheld_ids) duplicate[i] = take(by_cash, statement_fingerprint(rows[i]));
      }
      duplicates = static_cast<std::size_t>(std::count(duplicate.begin(), duplicate.end(), true));
    }
    std::vector<Transaction> added;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (!duplicate[i]) added.push_back(rows[i]);
    }
    // Validate by booking what the tenant would hold after the import.
    const std::vector<Transaction> before = repo.all_transactions(tenant);
    std::vector<Transaction> all = before;
    if (request.replace) std::erase_if(all, [&](const Transaction& t) { return t.account == account; });
    const std::size_t first_added = all.size();
    all.insert(all.end(), added.begin(), added.end());
    // A statement whose history starts after the holdings were bought: the openings its positions
    // imply come first (statement_import.cpp).
    std::vector<Transaction> openings;
    if (statement != nullptr) {
      std::vector<Transaction> account_rows;
      for (const auto& t : all) {
        if (t.account == account) account_rows.push_back(t);
      }
      openings = ledger_detail::statement_openings(*statement, account_rows, account, warnings);
      for (auto& o : openings) o.source = file;
      added.insert(added.begin(), openings.begin(), openings.end());
      all.insert(all.begin() + static_cast<std::ptrdiff_t>(first_added), openings.begin(), openings.end());
    }
    ledger::BookOptions options;
    ledger::AccountCurrencies currencies;
    for (const auto& a : repo.list_accounts(tenant)) {
      options.accounts[a.name] = {a.method, a.allow_short};
      if (!a.currency.empty()) currencies.by_account[a.name] = a.currency;
    }
    // An opening is a TRANSFER_IN without its TRANSFER_OUT by design: its own warning says so.
    std::set<std::string> opening_warnings;
    for (const auto& o : openings) {
      opening_warnings.insert(fmt::format("{}:{}: TRANSFER_IN of {} has no matching TRANSFER_OUT; a lot is opened at its price",
                                          file, o.line, o.symbol));
    }
    std::vector<std::string> booked_warnings;
    try {
      booked_warnings = ledger_detail::book_for_import(before, all, options);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kInvalidInput || statement == nullptr) throw;
      throw Error::invalid_input(e.what(), with_opening_hint(e.details(), *statement, account));
    }
    for (const auto& w : booked_warnings) {
      if (opening_warnings.count(w) == 0) warnings.push_back(w);
    }

    std::set<std::string> symbols;
    for (const auto& t : rows) {
      if (!t.symbol.empty()) symbols.insert(t.symbol);
    }
    TransactionsImportResult out;
    out.file = ledger_detail::printable(file);
    out.account = account;
    out.created_account = !existing.has_value();
    out.replaced = request.replace;
    out.symbols = symbols.size();
    out.duplicates = duplicates;
    out.dry_run = request.dry_run;
    if (read.statement) {
      const io::Statement& st = *read.statement;
      auto& info = out.statement.emplace();
      info.format = std::string(io::statement_format_name(st.format));
      info.broker_account = ledger_detail::printable(st.broker_account);
      info.start = date_text(st.start);
      info.end = date_text(st.end);
      info.positions_as_of = date_text(st.positions_as_of);
      info.positions = st.positions.size();
      // Before anything is stored: what the account would hold beside what the broker reports.
      if (st.has_positions) out.reconciliation = reconcile_statement(st, all, options, account, warnings);
    }
    if (request.dry_run) {
      const bool keeps = existing && !request.replace;
      out.rows = added.size();
      out.account_transactions = (keeps ? existing->transactions : 0) + added.size();
      auto& preview = out.preview.emplace();
      for (const auto& o : openings) preview.push_back(preview_row(o, false));
      for (std::size_t i = 0; i < rows.size(); ++i) preview.push_back(preview_row(rows[i], duplicate[i]));
      auto& realized = out.realized.emplace();
      try {
        // In each account's currency: rows in another one need their fx_rate here.
        std::vector<Transaction> converted = all;
        const auto conversion = ledger::convert_to_account_currency(converted, currencies, nullptr);
        const auto b = ledger::book(converted, options);
        for (const auto& g : b.realized) {
          if (b.disposals[g.disposal].tx >= first_added) realized.push_back(gain_of(b, g, &conversion));
        }
      } catch (const Error& e) {
        if (e.code() != ErrorCode::kInvalidInput) throw;
        warnings.push_back(fmt::format("the gains of the file's sales are not shown: {}", e.what()));
      }
      std::optional<Date> first;
      std::optional<Date> last;
      if (keeps) {
        first = existing->first_date;
        last = existing->last_date;
      }
      for (const auto& t : added) {
        if (!first || t.date < *first) first = t.date;
        if (!last || *last < t.date) last = t.date;
      }
      out.first_date = date_text(first);
      out.last_date = date_text(last);
      out.warnings = std::move(warnings);
      return out;
    }
    if (!existing) repo.ensure_account(tenant, account, new_account_currency);
    out.rows = repo.save_transactions(tenant, account, added, request.replace);
    const auto a = *repo.find_account(tenant, account);
    out.account_transactions = a.transactions;
    out.first_date = date_text(a.first_date);
    out.last_date = date_text(a.last_date);
    out.warnings = std::move(warnings);
    return out;
  });
  if (!result.dry_run) {
    const auto stored = repo.find_account(tenant, account);
    // An account the import opened is audited as POST /api/v1/accounts audits one.
    if (result.created_account) audit(cx, kAccountCreate, fmt::format("account/{}", stored ? stored->id : 0), {{"name", account}});
    audit(cx, kTransactionsImport, fmt::format("account/{}", stored ? stored->id : 0),
          {{"name", account}, {"rows", result.rows}, {"duplicates", result.duplicates}, {"replaced", request.replace}});
    import_warned(cx, "transactions", stored ? stored->id : 0, account, result.warnings);
  }
  return result;
}

}  // namespace keel::service
