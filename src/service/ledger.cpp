// Ledger use cases: loading, lots, gains, accounts, import and export (see keel/service/ledger.h).
#include "keel/service/ledger.h"
#include "keel/service/market_data.h"

#include <algorithm>
#include <set>

#include "keel/core/diagnostics.h"
#include "keel/core/error.h"
#include "keel/io/csv.h"
#include "keel/io/input.h"
#include "keel/io/transaction_reader.h"
#include "keel/store/ledger_repository.h"
#include "ledger_internal.h"

namespace keel::service {

using ledger::Decimal;
using ledger::Transaction;
using ledger_detail::num;
using ledger_detail::selected;

namespace ledger_detail {

ledger::BookResult book_loaded(const LoadedLedger& l) { return ledger::book(l.transactions, l.options); }

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string printable(const std::string& s) {
  if (io::utf8_error_offset(s) == std::string_view::npos) return s;
  const std::string q = io::shown(s, s.size());
  return q.substr(1, q.size() - 2);
}

std::vector<std::string> book_for_import(const std::vector<Transaction>& before, const std::vector<Transaction>& after,
                                         const ledger::BookOptions& options) {
  try {
    return ledger::book(after, options).warnings;
  } catch (const Error& after_error) {
    if (after_error.code() != ErrorCode::kInvalidInput) throw;
    // Problems the stored ledger already had (e.g. written by an older keel) do not block an
    // import that adds none of its own, so the tenant can keep working and repair them; they are
    // reported as warnings. Any new problem refuses the import.
    std::vector<std::string> old_problems;
    try {
      ledger::book(before, options);
    } catch (const Error& before_error) {
      if (before_error.code() != ErrorCode::kInvalidInput) throw;
      old_problems = before_error.details();
    }
    std::vector<std::string> added;
    std::multiset<std::string> known(old_problems.begin(), old_problems.end());
    for (const auto& d : after_error.details()) {
      auto it = known.find(d);
      if (it != known.end()) known.erase(it);
      else added.push_back(d);
    }
    if (!added.empty() || old_problems.empty()) {
      throw Error::invalid_input(std::string(after_error.what()) + "; nothing was imported",
                                 added.empty() ? after_error.details() : added);
    }
    std::vector<std::string> warnings;
    for (const auto& d : old_problems) warnings.push_back("the stored ledger is inconsistent (repair it): " + d);
    return warnings;
  }
}

}  // namespace ledger_detail

namespace {

std::vector<Transaction> read_transactions_input(const InputFile& file, const std::optional<io::TransactionMapping>& mapping,
                                                 const std::string& default_account,
                                                 std::vector<std::string>& warnings) {
  io::TransactionReadOptions opts;
  opts.default_account = default_account;
  opts.mapping = mapping;
  Diagnostics diags;
  const char delimiter = opts.mapping ? opts.mapping->delimiter : ',';
  auto csv = file.text ? io::CsvReader::from_text(file.name, *file.text, diags, delimiter)
                       : io::CsvReader::open(file.name, diags, delimiter);
  auto txs = io::read_transactions(csv, opts, diags);
  diags.throw_if_errors(file.name + ": " + std::to_string(diags.error_count()) +
                        " problem(s) in the transactions file; nothing was imported");
  for (const auto& w : diags.warnings()) warnings.push_back(w.to_string());
  return txs;
}

std::optional<io::TransactionMapping> read_mapping(const std::optional<std::string>& mapping_file) {
  if (!mapping_file) return std::nullopt;
  return io::read_mapping_file(*mapping_file);
}

std::vector<Transaction> read_transactions_file(const std::string& path, const std::optional<std::string>& mapping_file,
                                                const std::string& default_account,
                                                std::vector<std::string>& warnings) {
  return read_transactions_input({path, std::nullopt}, read_mapping(mapping_file), default_account, warnings);
}

spec::Nullable<std::string> date_text(const std::optional<Date>& d) {
  spec::Nullable<std::string> out;
  if (d) out.emplace(d->to_string());
  return out;
}

AccountResult account_result(const store::LedgerAccount& a) {
  AccountResult r;
  r.id = a.id;
  r.name = a.name;
  r.method = std::string(ledger::lot_method_name(a.method));
  r.allow_short = a.allow_short;
  r.currency = a.currency;
  r.transactions = a.transactions;
  r.first_date = date_text(a.first_date);
  r.last_date = date_text(a.last_date);
  r.created_at = a.created_at;
  return r;
}

nlohmann::json lot_json(const ledger::BookResult& b, const ledger::Lot& l) {
  return {{"account", b.key(l).account},
          {"symbol", b.key(l).symbol},
          {"lot_id", l.lot_id},
          {"buy_date", l.purchase_date.to_string()},
          {"acquired_date", l.acquired.to_string()},
          {"quantity", num(l.quantity)},
          {"basis", num(l.basis)},
          {"wash_sale_adjustment", num(l.wash_adjustment)}};
}

nlohmann::json gain_json(const ledger::BookResult& b, const ledger::RealizedGain& g) {
  return {{"symbol", b.key(g).symbol},
          {"sell_date", b.sell_date(g).to_string()},
          {"buy_date", b.purchase_date(g).to_string()},
          {"quantity", num(g.quantity)},
          {"proceeds", num(g.proceeds)},
          {"cost", num(g.cost)},
          {"gain", num(g.gain())},
          {"term", std::string(ledger::term_name(g.term))},
          {"account", b.key(g).account},
          {"lot_id", b.lot_id(g)},
          {"acquired_date", g.acquired.to_string()},
          {"wash_sale_disallowed", num(g.wash_disallowed)},
          {"adjustment_code", g.wash_disallowed.is_zero() ? "" : "W"},
          {"short_sale", g.short_sale}};
}

bool in_year(const LedgerSource& s, Date d) { return !s.year || d.year() == *s.year; }

std::string method_label(const LoadedLedger& l, const LedgerSource& s) {
  if (s.method) return std::string(ledger::lot_method_name(*s.method));
  if (s.account) {
    auto it = l.options.accounts.find(*s.account);
    if (it != l.options.accounts.end()) return std::string(ledger::lot_method_name(it->second.method));
  }
  return l.options.accounts.empty() ? std::string(ledger::lot_method_name(l.options.default_method)) : "per account";
}

}  // namespace

LoadedLedger load_ledger(Store* store, const LedgerSource& source) {
  LoadedLedger out;
  out.options.wash_sales = source.wash_sales;
  out.options.allow_short = source.allow_short;
  if (source.method) out.options.default_method = *source.method;
  if (source.transactions_file) {
    out.name = *source.transactions_file;
    out.transactions = read_transactions_file(*source.transactions_file, source.mapping_file,
                                              source.account.value_or(""), out.warnings);
    if (source.account) {
      const bool any = std::any_of(out.transactions.begin(), out.transactions.end(),
                                   [&](const Transaction& t) { return t.account == *source.account; });
      if (!any) throw Error::not_found("no transactions of account '" + *source.account + "' in " + out.name);
    }
  } else {
    if (store == nullptr) {
      throw Error::usage("give --transactions FILE, or an --account stored with keel import transactions");
    }
    store::LedgerRepository& repo = store->ledger();
    const auto accounts = repo.list_accounts(source.tenant);
    if (source.account && std::none_of(accounts.begin(), accounts.end(),
                                       [&](const auto& a) { return a.name == *source.account; })) {
      throw Error::not_found("no account named '" + *source.account + "'");
    }
    if (accounts.empty()) throw Error::not_found("no accounts yet: keel account create NAME, then keel import transactions");
    for (const auto& a : accounts) {
      out.options.accounts[a.name] = {source.method.value_or(a.method), a.allow_short || source.allow_short};
    }
    out.name = source.account ? "account " + *source.account : "all accounts";
    out.transactions = repo.all_transactions(source.tenant);
  }
  if (source.splits_from_store) {
    if (store == nullptr) throw Error::usage("--splits-from-store reads the store (--db)");
    const std::size_t added = add_store_splits(*store, out.transactions);
    if (added) out.warnings.push_back(std::to_string(added) + " split(s) added from the store's corporate actions");
  }
  if (source.as_of) {
    std::erase_if(out.transactions, [&](const Transaction& t) { return t.date > *source.as_of; });
  }
  return out;
}

nlohmann::json ledger_lots(Store* store, const LedgerSource& source) {
  const LoadedLedger l = load_ledger(store, source);
  const auto b = ledger_detail::book_loaded(l);
  nlohmann::json lots = nlohmann::json::array();
  Decimal basis;
  for (const auto& lot : b.open_lots) {
    if (!selected(source, b.key(lot).account)) continue;
    lots.push_back(lot_json(b, lot));
    basis += lot.basis;
  }
  return {{"source", l.name},
          {"method", method_label(l, source)},
          {"as_of", source.as_of ? nlohmann::json(source.as_of->to_string()) : nlohmann::json()},
          {"lots", lots},
          {"totals", {{"lots", lots.size()}, {"basis", num(basis)}}},
          {"warnings", l.warnings}};
}

nlohmann::json ledger_gains(Store* store, const LedgerSource& source) {
  const LoadedLedger l = load_ledger(store, source);
  const auto b = ledger_detail::book_loaded(l);
  nlohmann::json realized = nlohmann::json::array();
  Decimal st, lt, proceeds, cost, washed;
  for (const auto& g : b.realized) {
    if (!selected(source, b.key(g).account) || !in_year(source, b.sell_date(g))) continue;
    realized.push_back(gain_json(b, g));
    (g.term == ledger::Term::kLong ? lt : st) += g.gain();
    proceeds += g.proceeds;
    cost += g.cost;
    washed += g.wash_disallowed;
  }
  Decimal dividends, interest, fees;
  for (const auto& i : b.income) {
    if (!selected(source, i.account) || !in_year(source, i.date)) continue;
    if (i.type == ledger::TxType::kDividend) dividends += i.amount;
    else if (i.type == ledger::TxType::kInterest) interest += i.amount;
    else fees += i.amount;
  }
  return {{"realized", realized},
          {"totals",
           {{"short", num(st)},
            {"long", num(lt)},
            {"total", num(st + lt)},
            {"proceeds", num(proceeds)},
            {"cost", num(cost)},
            {"wash_sale_disallowed", num(washed)}}},
          {"income", {{"dividends", num(dividends)}, {"interest", num(interest)}, {"fees", num(fees)}}},
          {"method", method_label(l, source)},
          {"year", source.year ? nlohmann::json(*source.year) : nlohmann::json()},
          {"source", l.name},
          {"warnings", l.warnings}};
}

AccountResult create_account(const Context& cx, const AccountCreateRequest& request) {
  Store& store = require_store(cx, "accounts are stored");
  std::vector<std::string> problems;
  if (request.name.empty()) problems.push_back("name: required");
  else if (request.name.size() > 200) problems.push_back("name: at most 200 characters");
  if (!problems.empty()) throw Error::invalid_input("invalid account", problems);
  store::LedgerRepository& repo = store.ledger();
  return account_result(
      repo.create_account(request.tenant, request.name, request.method, request.allow_short, request.currency));
}

AccountListResult list_accounts(const Context& cx, const std::string& tenant) {
  Store& store = require_store(cx, "accounts are stored");
  store::LedgerRepository& repo = store.ledger();
  AccountListResult out;
  for (const auto& a : repo.list_accounts(tenant)) out.items.push_back(account_result(a));
  return out;
}

AccountShowResult show_account(const Context& cx, const std::string& name, const std::string& tenant) {
  Store& store = require_store(cx, "accounts are stored");
  store::LedgerRepository& repo = store.ledger();
  const auto a = repo.find_account(tenant, name);
  if (!a) throw Error::not_found("no account named '" + name + "'");
  AccountShowResult out;
  out.account = account_result(*a);
  LedgerSource s;
  s.account = name;
  s.tenant = tenant;
  if (a->transactions > 0) {
    const LoadedLedger l = load_ledger(&store, s);
    ledger::BookResult b;
    try {
      b = ledger_detail::book_loaded(l);
    } catch (const Error& e) {
      // A stored ledger that cannot be booked is shown with its problems (each naming the
      // offending transaction) rather than refused, so the account can still be inspected and
      // repaired (import --replace, or delete).
      if (e.code() != ErrorCode::kInvalidInput) throw;
      out.problems = e.details();
      return out;
    }
    std::map<std::string, std::pair<Decimal, Decimal>> pos;  // symbol -> (quantity, basis)
    for (const auto& lot : b.open_lots) {
      if (b.key(lot).account != name) continue;
      auto& p = pos[b.key(lot).symbol];
      p.first += lot.quantity;
      p.second += lot.basis;
    }
    for (const auto& [sym, qb] : pos) out.positions.push_back({sym, qb.first, qb.second});
    auto c = b.cash.find(name);
    if (c != b.cash.end()) out.cash = c->second;
  }
  return out;
}

nlohmann::json import_transactions(Store& store, const std::string& file, const std::string& account,
                                   const std::optional<std::string>& mapping_file, bool replace,
                                   const std::string& tenant) {
  return import_transactions(store, InputFile{file, std::nullopt}, account, read_mapping(mapping_file), replace,
                             tenant);
}

AccountDeleteResult delete_account(const Context& cx, const std::string& name, const std::string& tenant) {
  Store& store = require_store(cx, "accounts are stored");
  store::LedgerRepository& repo = store.ledger();
  const auto a = repo.find_account(tenant, name);
  if (!a || !repo.delete_account(tenant, name)) throw Error::not_found("no account named '" + name + "'");
  AccountDeleteResult out;
  out.name = name;
  out.transactions = a->transactions;
  return out;
}

nlohmann::json import_transactions(Store& store, const InputFile& input, const std::string& account,
                                   const std::optional<io::TransactionMapping>& mapping, bool replace,
                                   const std::string& tenant) {
  const std::string& file = input.name;
  std::vector<std::string> warnings;
  auto rows = read_transactions_input(input, mapping, account, warnings);
  // A row naming another account is a mistake, not something to spread over accounts silently.
  std::vector<std::string> wrong;
  for (const auto& t : rows) {
    if (t.account != account) {
      wrong.push_back(file + ":" + std::to_string(t.line) + ": account '" + t.account + "' but --account is '" +
                      account + "'");
    }
  }
  if (!wrong.empty()) throw Error::invalid_input(file + ": rows of other accounts; nothing was imported", wrong);
  if (rows.empty()) throw Error::invalid_input(file + ": no transactions");

  store::LedgerRepository& repo = store.ledger();
  // Validation against the stored ledger and the write are one BEGIN IMMEDIATE transaction: no
  // other writer can commit between the check and the write, so two concurrent sales of the same
  // shares cannot both pass.
  return store.transaction([&] {
    const auto existing = repo.find_account(tenant, account);
    // Validate by booking what the tenant would hold after the import.
    const std::vector<Transaction> before = repo.all_transactions(tenant);
    std::vector<Transaction> all = before;
    if (replace) std::erase_if(all, [&](const Transaction& t) { return t.account == account; });
    all.insert(all.end(), rows.begin(), rows.end());
    ledger::BookOptions options;
    for (const auto& a : repo.list_accounts(tenant)) options.accounts[a.name] = {a.method, a.allow_short};
    for (const auto& w : ledger_detail::book_for_import(before, all, options)) warnings.push_back(w);

    if (!existing) repo.ensure_account(tenant, account);
    const std::size_t n = repo.save_transactions(tenant, account, rows, replace);
    const auto a = *repo.find_account(tenant, account);
    std::set<std::string> symbols;
    for (const auto& t : rows) {
      if (!t.symbol.empty()) symbols.insert(t.symbol);
    }
    return nlohmann::json{{"kind", "transactions"},
                          {"file", ledger_detail::printable(file)},
                          {"account", account},
                          {"rows", n},
                          {"created_account", !existing.has_value()},
                          {"replaced", replace},
                          {"symbols", symbols.size()},
                          {"account_transactions", a.transactions},
                          {"first_date", a.first_date ? nlohmann::json(a.first_date->to_string()) : nlohmann::json()},
                          {"last_date", a.last_date ? nlohmann::json(a.last_date->to_string()) : nlohmann::json()},
                          {"warnings", warnings}};
  });
}

std::string export_csv(Store* store, const LedgerSource& source, ExportKind kind) {
  using ledger_detail::csv_field;
  if (kind == ExportKind::kTransactions) {
    LoadedLedger l = load_ledger(store, source);
    std::vector<Transaction> rows;
    for (std::size_t i = 0; i < l.transactions.size(); ++i) {
      Transaction t = l.transactions[i];
      if (!selected(source, t.account)) continue;
      // Name every lot explicitly so the file books to the same lot ids wherever it is re-imported.
      if ((t.type == ledger::TxType::kBuy) && t.lot_id.empty()) t.lot_id = "T" + std::to_string(i + 1);
      rows.push_back(std::move(t));
    }
    return io::write_transactions_csv(rows);
  }
  if (kind == ExportKind::kLots) {
    std::string out = "account,symbol,lot_id,buy_date,acquired_date,quantity,basis,wash_sale_adjustment\n";
    const LoadedLedger l = load_ledger(store, source);
    const auto b = ledger_detail::book_loaded(l);
    for (const auto& lot : b.open_lots) {
      if (!selected(source, b.key(lot).account)) continue;
      out += csv_field(b.key(lot).account) + ',' + csv_field(b.key(lot).symbol) + ',' + csv_field(lot.lot_id) + ',' +
             lot.purchase_date.to_string() + ',' + lot.acquired.to_string() + ',' + lot.quantity.to_string() + ',' +
             lot.basis.to_string(2) + ',' + lot.wash_adjustment.to_string(2) + '\n';
    }
    return out;
  }
  if (kind == ExportKind::kGains) {
    const LoadedLedger l = load_ledger(store, source);
    const auto b = ledger_detail::book_loaded(l);
    std::string out =
        "account,symbol,lot_id,sell_date,buy_date,acquired_date,quantity,proceeds,cost,wash_sale_disallowed,gain,term\n";
    for (const auto& g : b.realized) {
      if (!selected(source, b.key(g).account) || !in_year(source, b.sell_date(g))) continue;
      out += csv_field(b.key(g).account) + ',' + csv_field(b.key(g).symbol) + ',' + csv_field(b.lot_id(g)) + ',' +
             b.sell_date(g).to_string() + ',' + b.purchase_date(g).to_string() + ',' + g.acquired.to_string() + ',' +
             g.quantity.to_string() + ',' + g.proceeds.to_string(2) + ',' + g.cost.to_string(2) + ',' +
             g.wash_disallowed.to_string(2) + ',' + g.gain().to_string(2) + ',' + std::string(ledger::term_name(g.term)) +
             '\n';
    }
    return out;
  }
  const auto h = ledger_holdings(store, source);
  std::string out = "account,symbol,quantity,basis,price,price_date,market_value,unrealized,weight,sector\n";
  for (const auto& p : h["positions"]) {
    auto text = [](const nlohmann::json& v) { return v.is_null() ? std::string() : v.is_string() ? v.get<std::string>() : v.dump(); };
    out += csv_field(p["account"].get<std::string>()) + ',' + csv_field(p["symbol"].get<std::string>()) + ',' +
           text(p["quantity"]) + ',' + text(p["basis"]) + ',' + text(p["price"]) + ',' + text(p["price_date"]) + ',' +
           text(p["market_value"]) + ',' + text(p["unrealized"]) + ',' + text(p["weight"]) + ',' +
           csv_field(p["sector"].get<std::string>()) + '\n';
  }
  return out;
}

nlohmann::json export_json(Store* store, const LedgerSource& source, ExportKind kind) {
  switch (kind) {
    case ExportKind::kLots: return ledger_lots(store, source);
    case ExportKind::kGains: return ledger_gains(store, source);
    case ExportKind::kHoldings: return ledger_holdings(store, source);
    case ExportKind::kTransactions: break;
  }
  LoadedLedger l = load_ledger(store, source);
  nlohmann::json rows = nlohmann::json::array();
  for (std::size_t i = 0; i < l.transactions.size(); ++i) {
    const Transaction& t = l.transactions[i];
    if (!selected(source, t.account)) continue;
    nlohmann::json r = {{"date", t.date.to_string()},
                        {"type", std::string(ledger::tx_type_name(t.type))},
                        {"symbol", t.symbol},
                        {"quantity", t.quantity.to_string()},
                        {"price", t.price.to_string()},
                        {"fees", t.fees.to_string()},
                        {"account", t.account},
                        {"lot_id", t.lot_id.empty() && t.type == ledger::TxType::kBuy ? "T" + std::to_string(i + 1) : t.lot_id}};
    if (t.amount) r["amount"] = t.amount->to_string();
    if (t.split_ratio) {
      r["split_ratio"] = std::to_string(t.split_ratio->numerator) + ":" + std::to_string(t.split_ratio->denominator);
    }
    if (!t.currency.empty()) r["currency"] = t.currency;
    if (!t.note.empty()) r["note"] = t.note;
    if (t.method) r["method"] = std::string(ledger::lot_method_name(*t.method));
    rows.push_back(std::move(r));
  }
  // Exact decimals as strings: a JSON number would pass through binary floating point.
  return {{"transactions", rows}, {"source", l.name}};
}

}  // namespace keel::service
