// Ledger use cases: loading, lots, gains, accounts, import and export (see keel/service/ledger.h).
#include "keel/service/ledger.h"
#include "keel/service/changes.h"
#include "keel/service/market_data.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <set>

#include "keel/core/diagnostics.h"
#include "keel/core/csv_writer.h"
#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "keel/io/csv.h"
#include "keel/io/input.h"
#include "keel/io/statement.h"
#include "keel/io/transaction_reader.h"
#include "keel/risk/stage_profile.h"
#include "keel/service/fx.h"
#include "keel/service/imports.h"
#include "keel/service/ledger_mappings.h"
#include "keel/store/ledger_repository.h"
#include "ledger_internal.h"
#include "ledger_performance_detail.h"

namespace keel::service {

using ledger::Decimal;
using ledger::Transaction;
using ledger_detail::date_text;
using ledger_detail::gain_of;
using ledger_detail::read_import_input;
using ledger_detail::selected;

namespace ledger_detail {

ledger::BookResult book_loaded(const LoadedLedger& l, bool realized,
                               std::optional<std::pair<Date, Date>> realized_window) {
  ledger::BookOptions options = l.options;
  options.keep_realized = realized;
  options.realized_window = realized_window;
  auto b = ledger::book(l.transactions, options);
  risk::profile_mark("ledger: book");
  return b;
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
                                                 std::vector<std::string>& warnings, const Files& files) {
  io::TransactionReadOptions opts;
  opts.default_account = default_account;
  opts.mapping = mapping;
  Diagnostics diags;
  const char delimiter = opts.mapping ? opts.mapping->delimiter : ',';
  auto csv = file.text ? io::CsvReader::from_text(file.name, *file.text, diags, delimiter)
                       : io::CsvReader::open(files.open(file.name, "transactions"), diags, delimiter);
  auto txs = io::read_transactions(csv, opts, diags);
  diags.throw_if_errors(
      fmt::format("{}: {} problem(s) in the transactions file; nothing was imported", file.name, diags.error_count()));
  for (const auto& w : diags.warnings()) warnings.push_back(w.to_string());
  return txs;
}

std::optional<io::TransactionMapping> read_mapping(const std::optional<std::string>& mapping_file,
                                                   const Files& files) {
  if (!mapping_file) return std::nullopt;
  return io::read_mapping_file(files, *mapping_file);
}

}  // namespace

ledger_detail::ImportInput ledger_detail::read_import_input(const InputFile& file,
                                                            const std::optional<io::TransactionMapping>& mapping,
                                                            const std::string& default_account,
                                                            std::vector<std::string>& warnings, const Files& files,
                                                            const std::optional<std::string>& broker_account) {
  const io::StatementFormat format =
      file.text ? io::detect_statement_format(*file.text) : io::detect_statement_file(files, file.name);
  if (format == io::StatementFormat::kCsv) {
    if (broker_account) {
      throw Error::usage(fmt::format("{}: --broker-account chooses a statement of an OFX or IBKR Flex file; this is a CSV",
                                     ledger_detail::printable(file.name)));
    }
    // A keel export read back: its rows as the canonical CSV, checked as one.
    if (file.text ? ledger_detail::looks_like_json_object(*file.text)
                  : ledger_detail::looks_like_json_object(io::read_file_head(files, file.name, 64))) {
      const std::string text = file.text ? *file.text : io::read_statement_file(files, file.name);
      if (auto csv = ledger_detail::keel_export_as_csv(text, ledger_detail::printable(file.name))) {
        if (mapping) throw Error::usage(file.name + ": a mapping applies to a broker's CSV, not to a keel export");
        // Line 2 of that CSV is transactions[0]: the name says so in every message.
        InputFile as_csv{file.name + " (its transactions as rows: line 2 is transactions[0])", std::move(csv->csv)};
        return {read_transactions_input(as_csv, std::nullopt, default_account, warnings, files), std::nullopt,
                csv->currency};
      }
    }
    return {read_transactions_input(file, mapping, default_account, warnings, files), std::nullopt, {}};
  }
  if (mapping) {
    throw Error::usage(fmt::format("{}: a mapping applies to a CSV file; this is an {} statement, read without one",
                                   ledger_detail::printable(file.name), io::statement_format_name(format)));
  }
  if (broker_account && broker_account->empty()) {
    throw Error::invalid_input("invalid transactions import", {"broker_account: expected an account id of the statement"});
  }
  const std::string text = file.text ? *file.text : io::read_statement_file(files, file.name);
  Diagnostics diags;
  io::StatementReadOptions options;
  options.default_account = default_account;
  options.broker_account = broker_account.value_or(std::string());
  io::Statement st = io::read_statement(text, format, file.name, options, diags);
  diags.throw_if_errors(fmt::format("{}: {} problem(s) in the {} statement; nothing was imported", file.name,
                                    diags.error_count(), io::statement_format_name(format)));
  for (const auto& w : diags.warnings()) warnings.push_back(ledger_detail::printable(w.to_string()));
  ImportInput out;
  out.rows = std::move(st.transactions);
  st.transactions.clear();
  out.statement = std::move(st);
  return out;
}

spec::Nullable<std::string> ledger_detail::date_text(const std::optional<Date>& d) {
  spec::Nullable<std::string> out;
  if (d) out.emplace(d->to_string());
  return out;
}

namespace {

AccountResult account_result(const store::LedgerAccount& a) {
  AccountResult r;
  r.id = a.id;
  r.name = a.name;
  r.method = std::string(ledger::lot_method_name(a.method));
  r.allow_short = a.allow_short;
  r.currency = a.currency;
  r.type = a.type;
  r.institution = a.institution;
  r.notes = a.notes;
  r.transactions = a.transactions;
  r.first_date = date_text(a.first_date);
  r.last_date = date_text(a.last_date);
  r.created_at = a.created_at;
  return r;
}

LedgerLot lot_of(const ledger::BookResult& b, const ledger::Lot& l) {
  return {b.key(l).account, b.key(l).symbol, l.lot_id,   l.purchase_date,
          l.acquired,       l.quantity,      l.basis,    l.wash_adjustment};
}

}  // namespace

LedgerGain ledger_detail::gain_of(const ledger::BookResult& b, const ledger::RealizedGain& g,
                                  const ledger::LedgerConversion* conversion) {
  LedgerGain r;
  r.symbol = b.key(g).symbol;
  r.sell_date = b.sell_date(g);
  r.buy_date = b.purchase_date(g);
  r.quantity = g.quantity;
  r.proceeds = g.proceeds;
  r.cost = g.cost;
  r.gain = g.gain();
  r.term = std::string(ledger::term_name(g.term));
  r.account = b.key(g).account;
  r.lot_id = b.lot_id(g);
  r.acquired_date = g.acquired;
  r.wash_sale_disallowed = g.wash_disallowed;
  r.adjustment_code = g.wash_disallowed.is_zero() ? "" : "W";
  r.short_sale = g.short_sale;
  if (conversion != nullptr && b.buy_tx(g) < conversion->source.size() &&
      conversion->source[b.buy_tx(g)] != ledger::RateSource::kSame) {
    r.trade_currency = conversion->currency_of(b.buy_tx(g));
    r.gain_fx = conversion->fx_gain(b, g);
    r.gain_price = r.gain - *r.gain_fx;
  }
  return r;
}

namespace {

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

namespace {

// Converts the rows in other currencies than their account's (keel/ledger/currency.h), with the FX
// rates of source.fx_file when a row has no fx_rate of its own.
void convert_currencies(const Context& cx, const LedgerSource& source, LoadedLedger& l) {
  if (!is_currency_code(source.currency)) {
    throw Error::invalid_input(
        fmt::format("currency \"{}\" is not a three-letter currency code such as USD", source.currency));
  }
  l.currencies.default_currency = source.currency;
  const bool foreign = std::any_of(l.transactions.begin(), l.transactions.end(), [&](const Transaction& t) {
    return !t.currency.empty() && t.currency != l.currencies.of(t.account);
  });
  if (foreign) l.fx = ledger_detail::ledger_fx(cx, source, l, {}, &l.warnings);
  try {
    l.conversion = ledger::convert_to_account_currency(l.transactions, l.currencies, l.fx.get());
  } catch (const Error& e) {
    // A report of one account is not refused for another account's rows that cannot be converted
    // (no rate for their currency): that account is left out of the booking, and said so.
    if (!source.account || e.code() != ErrorCode::kInvalidInput) throw;
    std::map<std::string, std::vector<Transaction>> by_account;
    for (const auto& t : l.transactions) by_account[t.account].push_back(t);
    std::set<std::string> left_out;
    for (auto& [account, rows] : by_account) {
      try {
        ledger::convert_to_account_currency(rows, l.currencies, l.fx.get());
      } catch (const Error& other) {
        if (other.code() != ErrorCode::kInvalidInput || account == *source.account) throw;
        left_out.insert(account);
      }
    }
    if (left_out.empty()) throw;
    std::erase_if(l.transactions, [&](const Transaction& t) { return left_out.count(t.account) != 0; });
    for (const auto& account : left_out) {
      l.warnings.push_back(fmt::format("account '{}' is left out of the booking: some of its rows are in a currency "
                                       "with no FX rate to its own (keel fetch fx, or keel import fx)",
                                       account));
    }
    l.conversion = ledger::convert_to_account_currency(l.transactions, l.currencies, l.fx.get());
  }
  if (l.conversion.from_rates) {
    l.warnings.push_back(fmt::format("{} row(s) in another currency converted at the day's FX rate",
                                     l.conversion.from_rates));
  }
}

}  // namespace

namespace ledger_detail {

std::shared_ptr<const FxRates> ledger_fx(const Context& cx, const LedgerSource& source, const LoadedLedger& l,
                                         const std::string& also, std::vector<std::string>* warnings) {
  if (source.fx_file || source.fx_text) {
    if (l.fx) return l.fx;
    return std::make_shared<const FxRates>(
        FxRates(read_fx_file({source.fx_file.value_or("fx"), source.fx_text}, {}, warnings, cx.env.files)));
  }
  if (cx.store == nullptr || l.transactions.empty()) return l.fx;
  // The store's rates between the ledger's currencies, over its dates (and a valuation up to today).
  std::set<std::string> currencies;
  for (const auto& t : l.transactions) {
    currencies.insert(l.currencies.of(t.account));
    if (!t.currency.empty()) currencies.insert(t.currency);
  }
  for (const auto& [account, ccy] : l.currencies.by_account) currencies.insert(ccy);
  if (!also.empty()) currencies.insert(also);
  if (l.fx) {
    const auto have = l.fx->currencies();
    if (std::all_of(currencies.begin(), currencies.end(),
                    [&](const std::string& c) { return std::find(have.begin(), have.end(), c) != have.end(); })) {
      return l.fx;
    }
  }
  const Date first = std::min_element(l.transactions.begin(), l.transactions.end(), [](const auto& a, const auto& b) {
                       return a.date < b.date;
                     })->date;
  return std::make_shared<const FxRates>(
      stored_fx(cx, {currencies.begin(), currencies.end()}, first.add_days(-kFxMaxStaleDays), std::nullopt));
}

void check_reporting_currency(const std::optional<std::string>& asked) {
  if (asked && !is_currency_code(*asked)) {
    throw Error::invalid_input(fmt::format(
        "reporting_currency: \"{}\" is not a three-letter currency code such as USD", shown_with(*asked, 16, 0)));
  }
}

std::string report_currency(const LoadedLedger& l, const LedgerSource& source,
                            const std::optional<std::string>& asked) {
  check_reporting_currency(asked);
  if (asked) return *asked;
  std::set<std::string> currencies;
  if (source.account) {
    currencies.insert(l.currencies.of(*source.account));
  } else {
    for (const auto& t : l.transactions) currencies.insert(l.currencies.of(t.account));
  }
  if (currencies.size() > 1) {
    throw Error::invalid_input(fmt::format(
        "the accounts are in {}: give reporting_currency (--reporting-currency) to report them in one currency",
        fmt::join(currencies, " and ")));
  }
  return currencies.empty() ? l.currencies.default_currency : *currencies.begin();
}

}  // namespace ledger_detail

LoadedLedger ledger_detail::loaded_up_to(const LoadedLedger& l, Date as_of) {
  LoadedLedger out;
  out.name = l.name;
  out.options = l.options;
  out.currencies = l.currencies;
  out.fx = l.fx;
  out.warnings = l.warnings;
  const bool converted = l.conversion.source.size() == l.transactions.size();
  out.conversion.currency_names = l.conversion.currency_names;
  for (std::size_t i = 0; i < l.transactions.size(); ++i) {
    if (l.transactions[i].date > as_of) continue;
    out.transactions.push_back(l.transactions[i]);
    if (!converted) continue;
    out.conversion.rate.push_back(l.conversion.rate[i]);
    out.conversion.source.push_back(l.conversion.source[i]);
    out.conversion.currency.push_back(l.conversion.currency[i]);  // numbers into the names copied above
    if (l.conversion.source[i] == ledger::RateSource::kSame) continue;
    ++out.conversion.converted;
    if (l.conversion.source[i] == ledger::RateSource::kRates) ++out.conversion.from_rates;
  }
  return out;
}

LoadedLedger load_ledger(const Context& cx, const LedgerSource& source) {
  Store* store = cx.store;
  const Files& files = cx.env.files;
  LoadedLedger out;
  out.options.wash_sales = source.wash_sales;
  out.options.allow_short = source.allow_short;
  if (source.method) out.options.default_method = *source.method;
  if (source.transactions_file || source.transactions_text) {
    out.name = source.transactions_file.value_or("transactions");
    out.transactions = read_import_input({out.name, source.transactions_text}, read_mapping(source.mapping_file, files),
                                         source.account.value_or(""), out.warnings, files)
                           .rows;
    if (source.account) {
      const bool any = std::any_of(out.transactions.begin(), out.transactions.end(),
                                   [&](const Transaction& t) { return t.account == *source.account; });
      if (!any) throw Error::not_found("no transactions of account '" + *source.account + "' in " + out.name);
    }
  } else {
    if (source.mapping_file) throw Error::usage("mapping applies to a transactions file");
    if (store == nullptr) {
      throw Error::usage("give a transactions file, or an account stored with keel import transactions");
    }
    store::LedgerRepository& repo = store->ledger();
    const auto accounts = repo.list_accounts(cx.actor.tenant);
    if (source.account && std::none_of(accounts.begin(), accounts.end(),
                                       [&](const auto& a) { return a.name == *source.account; })) {
      throw Error::not_found("no account named " + shown_with(*source.account, 64, '\''));
    }
    if (accounts.empty()) throw Error::not_found("no accounts yet: keel account create NAME, then keel import transactions");
    for (const auto& a : accounts) {
      out.options.accounts[a.name] = {source.method.value_or(a.method), a.allow_short || source.allow_short};
      out.currencies.by_account[a.name] = a.currency.empty() ? std::string("USD") : a.currency;
    }
    out.name = source.account ? "account " + *source.account : "all accounts";
    out.transactions = repo.all_transactions(cx.actor.tenant);
  }
  risk::profile_mark("ledger: read transactions");
  if (source.splits_from_store) {
    if (store == nullptr) throw Error::usage("splits_from_store reads the store (--db)");
    const std::size_t added = add_store_splits(*store, out.transactions);
    if (added) out.warnings.push_back(fmt::format("{} split(s) added from the store's corporate actions", added));
  }
  if (source.as_of) {
    std::erase_if(out.transactions, [&](const Transaction& t) { return t.date > *source.as_of; });
  }
  convert_currencies(cx, source, out);
  risk::profile_mark("ledger: as-of filter, currencies");
  return out;
}

LedgerLotsResult ledger_lots(const Context& cx, const LedgerLotsRequest& request) {
  const LedgerSource& source = request.source;
  const LoadedLedger l = load_ledger(cx, source);
  const auto b = ledger_detail::book_loaded(l, false);
  LedgerLotsResult out;
  for (const auto& lot : b.open_lots) {
    if (!selected(source, b.key(lot).account)) continue;
    out.lots.push_back(lot_of(b, lot));
    out.totals.basis += lot.basis;
  }
  out.totals.lots = out.lots.size();
  out.source = l.name;
  out.method = method_label(l, source);
  if (source.as_of) out.as_of.emplace(source.as_of->to_string());
  out.warnings = l.warnings;
  return out;
}

LedgerGainsResult ledger_gains(const Context& cx, const LedgerGainsRequest& request) {
  const LedgerSource& source = request.source;
  const LoadedLedger l = load_ledger(cx, source);
  const auto b = ledger_detail::book_loaded(l);
  LedgerGainsResult out;
  auto& t = out.totals;
  for (const auto& g : b.realized) {
    if (!selected(source, b.key(g).account) || !in_year(source, b.sell_date(g))) continue;
    out.realized.push_back(gain_of(b, g, &l.conversion));
    if (out.realized.back().gain_fx) t.fx = t.fx.value_or(ledger::Decimal()) + *out.realized.back().gain_fx;
    (g.term == ledger::Term::kLong ? t.long_term : t.short_term) += g.gain();
    t.proceeds += g.proceeds;
    t.cost += g.cost;
    t.wash_sale_disallowed += g.wash_disallowed;
  }
  t.total = t.short_term + t.long_term;
  for (const auto& i : b.income) {
    if (!selected(source, i.account) || !in_year(source, i.date)) continue;
    // Gross income, as Form 1099-DIV and 1099-INT report it: fund distributions count with
    // dividends, and tax withheld is not a fee (`keel ledger income` shows it).
    switch (i.type) {
      case ledger::TxType::kDividend:
      case ledger::TxType::kDistribution: out.income.dividends += i.amount; break;
      case ledger::TxType::kInterest: out.income.interest += i.amount; break;
      case ledger::TxType::kFee: out.income.fees += i.amount; break;
      default: break;
    }
  }
  out.method = method_label(l, source);
  if (source.year) out.year.emplace(*source.year);
  out.source = l.name;
  out.warnings = l.warnings;
  return out;
}

namespace {

// The problems of an account's free-text fields, each naming its field.
void check_account_text(std::vector<std::string>& problems, const std::string* name, const std::string* institution,
                        const std::string* notes) {
  if (name && name->empty()) problems.push_back("name: required");
  else if (name) {
    if (const auto p = spec::name_problem(*name, 200); !p.empty()) problems.push_back("name: " + p);
  }
  if (institution && institution->size() > kAccountInstitutionMax) {
    problems.push_back(fmt::format("institution: at most {} characters", kAccountInstitutionMax));
  }
  if (notes && notes->size() > kAccountNotesMax) {
    problems.push_back(fmt::format("notes: at most {} characters", kAccountNotesMax));
  }
}

bool currency_code(const std::string& c) {
  return c.size() == 3 && std::all_of(c.begin(), c.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
}

}  // namespace

std::string_view account_type_name(AccountType t) {
  for (const auto& c : kAccountTypeNames) {
    if (c.value == t) return c.name;
  }
  return "other";
}

AccountResult create_account(const Context& cx, const AccountCreateRequest& request) {
  authorize(cx, kAccountCreate, "account/" + shown_with(request.name, 200, 0));
  Store& store = require_store(cx, "accounts are stored");
  std::vector<std::string> problems;
  check_account_text(problems, &request.name, &request.institution, &request.notes);
  if (!problems.empty()) throw Error::invalid_input("invalid account", problems);
  store::LedgerRepository& repo = store.ledger();
  auto out = account_result(store.transaction([&] {
    auto a = repo.create_account(cx.actor.tenant, request.name, request.method, request.allow_short, request.currency);
    const std::string type(account_type_name(request.type));
    if (type == a.type && request.institution.empty() && request.notes.empty()) return a;
    a.type = type;
    a.institution = request.institution;
    a.notes = request.notes;
    return repo.update_account(cx.actor.tenant, a.name, a);
  }));
  audit(cx, kAccountCreate, fmt::format("account/{}", out.id), {{"name", out.name}});
  return out;
}

AccountResult update_account(const Context& cx, const AccountUpdateRequest& request) {
  authorize(cx, kAccountUpdate, "account/" + shown_with(request.account, 200, 0));
  Store& store = require_store(cx, "accounts are stored");
  std::vector<std::string> problems;
  check_account_text(problems, request.name ? &*request.name : nullptr,
                     request.institution ? &*request.institution : nullptr,
                     request.notes ? &*request.notes : nullptr);
  if (request.currency && !currency_code(*request.currency)) {
    problems.push_back("currency: expected a three-letter ISO 4217 code such as USD");
  }
  if (!problems.empty()) throw Error::invalid_input("invalid account update", problems);
  store::LedgerRepository& repo = store.ledger();
  const std::string& tenant = cx.actor.tenant;
  std::string before;
  std::vector<std::string> changed;
  auto stored = store.transaction([&] {
    // The account by name, else by id, read inside the transaction that writes it.
    std::optional<store::LedgerAccount> a = repo.find_account(tenant, request.account);
    if (!a) {
      for (auto& x : repo.list_accounts(tenant)) {
        if (fmt::format("{}", x.id) == request.account) a = std::move(x);
      }
    }
    if (!a) throw Error::not_found(fmt::format("no account {}", shown_with(request.account, 200, 0)));
    before = a->name;
    store::LedgerAccount next = *a;
    auto set = [&](auto& field, const auto& value, const char* what) {
      if (field != value) {
        field = value;
        changed.emplace_back(what);
      }
    };
    if (request.name) set(next.name, *request.name, "name");
    if (request.type) set(next.type, std::string(account_type_name(*request.type)), "type");
    if (request.institution) set(next.institution, *request.institution, "institution");
    if (request.notes) set(next.notes, *request.notes, "notes");
    if (request.method) set(next.method, *request.method, "method");
    if (request.allow_short) set(next.allow_short, *request.allow_short, "allow_short");
    if (request.currency) {
      if (*request.currency != a->currency && a->transactions > 0) {
        throw Error::invalid_input("invalid account update",
                                   {fmt::format("currency: the account holds {} transactions in {}; its currency "
                                                "cannot change (import them into a new account instead)",
                                                a->transactions, a->currency)});
      }
      set(next.currency, *request.currency, "currency");
    }
    if (changed.empty()) return *a;
    return repo.update_account(tenant, before, next);
  });
  auto out = account_result(stored);
  audit(cx, kAccountUpdate, fmt::format("account/{}", out.id), {{"name", before}, {"changed", changed}});
  return out;
}

AccountListResult list_accounts(const Context& cx) {
  const std::string& tenant = cx.actor.tenant;
  Store& store = require_store(cx, "accounts are stored");
  store::LedgerRepository& repo = store.ledger();
  AccountListResult out;
  for (const auto& a : repo.list_accounts(tenant)) out.items.push_back(account_result(a));
  return out;
}

std::optional<AccountResult> find_account_ref(const Context& cx, std::string_view ref) {
  store::LedgerRepository& repo = require_store(cx, "accounts are stored").ledger();
  if (const auto a = repo.find_account(cx.actor.tenant, std::string(ref))) return account_result(*a);
  if (ref.empty() || !std::all_of(ref.begin(), ref.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  for (const auto& a : repo.list_accounts(cx.actor.tenant)) {
    if (fmt::format("{}", a.id) == ref) return account_result(a);
  }
  return std::nullopt;
}

AccountResult resolve_account(const Context& cx, std::string_view ref) {
  if (auto a = find_account_ref(cx, ref)) return *a;
  throw Error::not_found(fmt::format("no account {}", shown_with(ref, 200, 0)));
}

AccountShowResult show_account(const Context& cx, const std::string& ref) {
  const std::string& tenant = cx.actor.tenant;
  Store& store = require_store(cx, "accounts are stored");
  store::LedgerRepository& repo = store.ledger();
  const std::string name = resolve_account(cx, ref).name;
  const auto a = repo.find_account(tenant, name);
  if (!a) throw Error::not_found("no account named " + shown_with(name, 64, '\''));
  AccountShowResult out;
  out.account = account_result(*a);
  LedgerSource s;
  s.account = name;
  if (a->transactions > 0) {
    const LoadedLedger l = load_ledger(cx, s);
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

AccountDeleteResult delete_account(const Context& cx, const std::string& ref) {
  authorize(cx, kAccountDelete, "account/" + shown_with(ref, 200, 0));
  const std::string& tenant = cx.actor.tenant;
  Store& store = require_store(cx, "accounts are stored");
  store::LedgerRepository& repo = store.ledger();
  const std::string name = resolve_account(cx, ref).name;
  const auto a = repo.find_account(tenant, name);
  if (!a || !repo.delete_account(tenant, name)) throw Error::not_found("no account named " + shown_with(name, 64, '\''));
  audit(cx, kAccountDelete, fmt::format("account/{}", a->id), {{"name", a->name}, {"transactions", a->transactions}});
  AccountDeleteResult out;
  out.name = name;
  out.transactions = a->transactions;
  return out;
}

namespace {

// A holdings figure in the export CSV: the number as its JSON would print it; empty when null.
std::string csv_number(double d) { return nlohmann::json(d).dump(); }
std::string csv_number(const ledger::Decimal& d) { return csv_number(d.to_double()); }
template <class T>
std::string csv_number(const spec::Nullable<T>& v) {
  return v ? csv_number(*v) : std::string();
}

}  // namespace

std::string export_csv(const Context& cx, const LedgerSource& source, ExportKind kind) {
  if (kind == ExportKind::kTransactions) {
    LoadedLedger l = load_ledger(cx, source);
    std::vector<Transaction> rows;
    for (std::size_t i = 0; i < l.transactions.size(); ++i) {
      Transaction t = l.transactions[i];
      if (!selected(source, t.account)) continue;
      // Name every lot explicitly so the file books to the same lot ids wherever it is re-imported.
      if ((t.type == ledger::TxType::kBuy) && t.lot_id.empty()) t.lot_id = fmt::format("T{}", i + 1);
      rows.push_back(std::move(t));
    }
    return io::write_transactions_csv(rows);
  }
  if (kind == ExportKind::kLots) {
    CsvWriter w;
    w.row({"account", "symbol", "lot_id", "buy_date", "acquired_date", "quantity", "basis", "wash_sale_adjustment"});
    const LoadedLedger l = load_ledger(cx, source);
    const auto b = ledger_detail::book_loaded(l, false);
    for (const auto& lot : b.open_lots) {
      if (!selected(source, b.key(lot).account)) continue;
      w.cell(b.key(lot).account).cell(b.key(lot).symbol).cell(lot.lot_id).cell(lot.purchase_date.to_string());
      w.cell(lot.acquired.to_string()).cell(lot.quantity.to_string()).cell(lot.basis.to_string(2));
      w.cell(lot.wash_adjustment.to_string(2)).end_row();
    }
    return w.take();
  }
  if (kind == ExportKind::kGains) {
    const LoadedLedger l = load_ledger(cx, source);
    const auto b = ledger_detail::book_loaded(l);
    CsvWriter w;
    w.row({"account", "symbol", "lot_id", "sell_date", "buy_date", "acquired_date", "quantity", "proceeds", "cost",
           "wash_sale_disallowed", "gain", "term"});
    for (const auto& g : b.realized) {
      if (!selected(source, b.key(g).account) || !in_year(source, b.sell_date(g))) continue;
      w.cell(b.key(g).account).cell(b.key(g).symbol).cell(b.lot_id(g)).cell(b.sell_date(g).to_string());
      w.cell(b.purchase_date(g).to_string()).cell(g.acquired.to_string()).cell(g.quantity.to_string());
      w.cell(g.proceeds.to_string(2)).cell(g.cost.to_string(2)).cell(g.wash_disallowed.to_string(2));
      w.cell(g.gain().to_string(2)).cell(ledger::term_name(g.term)).end_row();
    }
    return w.take();
  }
  const auto h = ledger_holdings(cx, LedgerHoldingsRequest{source, std::nullopt});
  CsvWriter w;
  w.row({"account", "symbol", "quantity", "basis", "price", "price_date", "market_value", "unrealized", "weight",
         "sector"});
  for (const auto& p : h.positions) {
    w.cell(p.account).cell(p.symbol).cell(csv_number(p.quantity)).cell(csv_number(p.basis)).cell(csv_number(p.price));
    w.cell(p.price_date.value_or("")).cell(csv_number(p.market_value)).cell(csv_number(p.unrealized));
    w.cell(csv_number(p.weight)).cell(p.sector).end_row();
  }
  return w.take();
}

ExportTransactionsResult export_transactions(const Context& cx, const LedgerLotsRequest& request) {
  const LedgerSource& source = request.source;
  LoadedLedger l = load_ledger(cx, source);
  ExportTransactionsResult out;
  for (std::size_t i = 0; i < l.transactions.size(); ++i) {
    const Transaction& t = l.transactions[i];
    if (!selected(source, t.account)) continue;
    out.transactions.push_back(exported_transaction(t, i));
  }
  // Exact decimals as strings: a JSON number would pass through binary floating point.
  out.source = l.name;
  const std::string account = source.account.value_or(source.transactions_file.value_or(l.name));
  const std::string currency = source.account ? l.currencies.of(*source.account) : std::string();
  ledger::LotMethod method = l.options.default_method;
  if (source.account) {
    if (auto it = l.options.accounts.find(*source.account); it != l.options.accounts.end()) method = it->second.method;
  }
  out.meta = export_meta(cx, "keel.ledger.transactions", account, currency,
                         std::string(ledger::lot_method_name(source.method.value_or(method))), out.transactions.size());
  return out;
}

}  // namespace keel::service
