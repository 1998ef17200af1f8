// OFX/QFX statements (keel/io/ofx_reader.h): the markup tree (markup.h) walked aggregate by
// aggregate into ledger transactions.
#include "keel/io/ofx_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

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

class OfxReader {
 public:
  OfxReader(const std::string& file, const StatementReadOptions& options, Diagnostics& diags)
      : file_(file), options_(options), d_(diags) {}

  Statement run(const Node& root) {
    st_.format = StatementFormat::kOfx;
    const Node* ofx = root.child("OFX");
    if (ofx == nullptr) {
      d_.error({file_, 0, 0, "", "no <OFX> element: not an OFX statement"});
      return std::move(st_);
    }
    if (!signed_on(*ofx)) return std::move(st_);
    // Securities first: the transactions name them by UNIQUEID.
    for (const Node& set : ofx->children) {
      if (!set.is("SECLISTMSGSRSV1")) continue;
      for (const Node& list : set.children) {
        if (list.is("SECLIST")) securities(list);
      }
    }
    for (const Node& set : ofx->children) {
      for (const Node& rs : set.children) {
        const Node* body = nullptr;
        if (set.is("INVSTMTMSGSRSV1") && rs.is("INVSTMTTRNRS")) body = rs.child("INVSTMTRS");
        else if (set.is("BANKMSGSRSV1") && rs.is("STMTTRNRS")) body = rs.child("STMTRS");
        else if (set.is("CREDITCARDMSGSRSV1") && rs.is("CCSTMTTRNRS")) body = rs.child("CCSTMTRS");
        else continue;
        if (body == nullptr) {
          status_problem(rs);
          continue;
        }
        if (!options_.broker_account.empty()) {
          // Only the statement of the account asked for: the others' ids are noted, nothing else.
          const auto id = account_id(*body);
          if (id) accounts_.insert(*id);
          if (!id || *id != options_.broker_account) continue;
        }
        ++statements_;
        if (body->is("INVSTMTRS")) investment(*body);
        else bank(*body);
      }
    }
    if (statements_ == 0 && !failed_.empty()) {
      // Nothing but refusals: the file is the server's answer that it sent no statement.
      d_.error({file_, 0, 0, "", fmt::format("the file holds no statement: the server answered {}", failed_)});
    }
    detail::check_broker_accounts(accounts_, options_.broker_account, file_, d_);
    return std::move(st_);
  }

 private:
  // ------------------------------------------------------------------ places and values
  void error_at(const Node& n, const Node* parent, std::string message) {
    d_.error({file_, n.text_line, n.text_column, path(n, parent), std::move(message)});
  }
  void warn_at(const Node& n, std::string message) {
    d_.warning({file_, n.line, n.column, n.name, std::move(message)});
  }
  static std::string path(const Node& n, const Node* parent) {
    return parent == nullptr ? n.name : parent->name + "/" + n.name;
  }

  // The text of `agg`'s child `name`; reports it missing when `required`.
  const Node* leaf(const Node& agg, std::string_view name, bool required) {
    const Node* n = agg.child(name);
    if (n == nullptr || n->text.empty()) {
      if (required) {
        d_.error({file_, agg.line, agg.column, agg.name, fmt::format("missing <{}>", name)});
      }
      return nullptr;
    }
    return n;
  }

  std::optional<std::string> text(const Node& agg, std::string_view name, bool required = false) {
    const Node* n = leaf(agg, name, required);
    if (n == nullptr) return std::nullopt;
    return n->text;
  }

  std::optional<Decimal> number(const Node& agg, std::string_view name, bool required = false) {
    const Node* n = leaf(agg, name, required);
    if (n == nullptr) return std::nullopt;
    auto v = detail::statement_number(n->text);
    if (!v) {
      error_at(*n, &agg, fmt::format("expected a decimal number, got {}", shown_with(n->text, 64, '\'')));
      return std::nullopt;
    }
    if (v->rounded) {
      d_.warning({file_, n->text_line, n->text_column, path(*n, &agg), detail::rounded_text(*v->rounded, v->value)});
    }
    return v->value;
  }

  std::optional<Date> date(const Node& agg, std::string_view name, bool required = false) {
    const Node* n = leaf(agg, name, required);
    if (n == nullptr) return std::nullopt;
    auto v = parse_ofx_date(n->text);
    if (!v) {
      error_at(*n, &agg,
               fmt::format("expected a date YYYYMMDD[HHMMSS[.XXX]][[-5:EST]], got {}", shown_with(n->text, 64, '\'')));
    }
    return v;
  }

  // "status 2000 (general error): MESSAGE" of a STATUS aggregate (OFX 2.1.1, 3.1.5).
  std::string status_text(const Node* status) {
    const auto code = status ? text(*status, "CODE") : std::nullopt;
    const auto message = status ? text(*status, "MESSAGE") : std::nullopt;
    std::string out = "status " + shown_with(code.value_or("?"), 16, '\0');
    if (code) {
      if (const char* name = ofx_status_name(trim(*code))) out += fmt::format(" ({})", name);
    }
    if (message) out += ": " + shown_with(*message, 200, '\0');
    return out;
  }

  static const char* ofx_status_name(std::string_view code) {
    static constexpr std::pair<std::string_view, const char*> kNames[] = {
        {"0", "success"},
        {"1", "client is up-to-date"},
        {"2000", "general error"},
        {"2001", "invalid account"},
        {"2002", "general account error"},
        {"2003", "account not found"},
        {"2004", "account closed"},
        {"2005", "account not authorized"},
        {"2019", "duplicate request"},
        {"2020", "invalid date"},
        {"2027", "invalid date range"},
        {"15500", "sign-on invalid: the user id or password was refused"},
    };
    for (const auto& [c, name] : kNames) {
      if (c == code) return name;
    }
    return nullptr;
  }

  // False (with the error) when the sign-on response carries an error: such a file holds no statement.
  bool signed_on(const Node& ofx) {
    const Node* set = ofx.child("SIGNONMSGSRSV1");
    const Node* sonrs = set ? set->child("SONRS") : nullptr;
    const Node* status = sonrs ? sonrs->child("STATUS") : nullptr;
    if (status == nullptr) return true;
    const auto code = text(*status, "CODE");
    const auto severity = text(*status, "SEVERITY");
    const bool error = (severity && to_upper(trim(*severity)) == "ERROR") || (!severity && code && trim(*code) != "0");
    if (!error) return true;
    d_.error({file_, status->line, status->column, "SONRS/STATUS",
              fmt::format("the sign-on failed ({}): the file holds no statement", status_text(status))});
    return false;
  }

  void status_problem(const Node& rs) {
    const std::string status = status_text(rs.child("STATUS"));
    warn_at(rs, fmt::format("a response without a statement ({}): skipped", status));
    failed_ += (failed_.empty() ? "" : "; ") + status;
  }

  // ------------------------------------------------------------------ securities
  void securities(const Node& list) {
    for (const Node& info : list.children) {
      const Node* secinfo = info.child("SECINFO");
      if (secinfo == nullptr) continue;
      const Node* secid = secinfo->child("SECID");
      if (secid == nullptr) continue;
      const auto id = text(*secid, "UNIQUEID");
      const auto ticker = text(*secinfo, "TICKER");
      if (id && ticker) tickers_[*id] = to_upper(trim(*ticker));
    }
  }

  // The symbol of the security `holder`'s SECID names: its TICKER in the SECLIST, else the
  // UNIQUEID (warned once). It must pass the one symbol rule of keel's readers (keel/io/readers.h:
  // a ticker or an OCC option symbol); otherwise an error at the row's UNIQUEID and "".
  std::string symbol(const Node& holder) {
    const Node* secid = holder.child("SECID");
    if (secid == nullptr) {
      d_.error({file_, holder.line, holder.column, holder.name, "missing <SECID>"});
      return {};
    }
    const auto id = text(*secid, "UNIQUEID", true);
    if (!id) return {};
    std::string sym;
    const auto it = tickers_.find(*id);
    const bool ticker = it != tickers_.end() && !it->second.empty();
    if (ticker) {
      sym = it->second;
    } else {
      if (untickered_.insert(*id).second) {
        const auto type = text(*secid, "UNIQUEIDTYPE");
        warn_at(*secid, fmt::format("{} {} has no TICKER in the SECLIST: the id is the symbol",
                                    type.value_or("UNIQUEID"), shown_with(*id, 64, '\'')));
      }
      sym = to_upper(trim(*id));
    }
    if (auto problem = symbol_problem(sym)) {
      error_at(*secid->child("UNIQUEID"), secid,
               ticker ? "the security's <TICKER> in the SECLIST: " + *problem : *problem);
      return {};
    }
    return sym;
  }

  // ------------------------------------------------------------------ statements
  // The ACCTID of a statement body (INVSTMTRS, STMTRS or CCSTMTRS), when it names one.
  std::optional<std::string> account_id(const Node& body) {
    const char* from = body.is("INVSTMTRS") ? "INVACCTFROM" : body.is("CCSTMTRS") ? "CCACCTFROM" : "BANKACCTFROM";
    const Node* acct = body.child(from);
    return acct != nullptr ? text(*acct, "ACCTID") : std::nullopt;
  }
  void account_of(const Node& body) {
    if (auto id = account_id(body)) {
      accounts_.insert(*id);
      if (st_.broker_account.empty()) st_.broker_account = *id;
    }
  }

  void period(const Node& list) {
    if (auto s = date(list, "DTSTART"); s && (!st_.start || *s < *st_.start)) st_.start = s;
    if (auto e = date(list, "DTEND"); e && (!st_.end || *st_.end < *e)) st_.end = e;
  }

  // The statement's CURDEF: the first is the Statement's currency; the rows of a later statement in
  // another one carry it themselves.
  void currency_of_statement(const Node& body) {
    curdef_.clear();
    const auto c = text(body, "CURDEF");
    if (!c) return;
    const std::string code = to_upper(trim(*c));
    if (st_.currency.empty()) st_.currency = code;
    if (code != st_.currency) curdef_ = code;
  }

  void investment(const Node& body) {
    currency_of_statement(body);
    account_of(body);
    if (const Node* list = body.child("INVTRANLIST")) {
      period(*list);
      for (const Node& tx : list->children) investment_tx(tx);
    }
    if (const Node* pos = body.child("INVPOSLIST")) {
      st_.has_positions = true;
      auto as_of = date(body, "DTASOF");
      if (!as_of) as_of = st_.end;
      if (as_of && (!st_.positions_as_of || *st_.positions_as_of < *as_of)) st_.positions_as_of = as_of;
      for (const Node& p : pos->children) position(p);
    }
  }

  void bank(const Node& body) {
    currency_of_statement(body);
    account_of(body);
    if (const Node* list = body.child("BANKTRANLIST")) {
      period(*list);
      for (const Node& tx : list->children) {
        if (tx.is("STMTTRN")) cash_tx(tx);
      }
    }
  }

  // A new row of `agg` with the INVTRAN's date, id and memo; nullopt when those are unusable.
  std::optional<Transaction> base(const Node& agg, const Node* holder) {
    const Node* invtran = (holder ? holder : &agg)->child("INVTRAN");
    if (invtran == nullptr) {
      d_.error({file_, agg.line, agg.column, agg.name, "missing <INVTRAN>"});
      return std::nullopt;
    }
    const auto fitid = text(*invtran, "FITID", true);
    const auto when = date(*invtran, "DTTRADE", true);
    if (!fitid || !when) return std::nullopt;
    Transaction t;
    t.date = *when;
    t.external_id = "ofx:" + *fitid;
    t.note = text(*invtran, "MEMO").value_or("");
    t.account = options_.default_account;
    t.line = agg.line;
    t.source = source_;
    return t;
  }

  void currency_of(const Node& holder, Transaction& t) {
    if (t.currency.empty()) t.currency = curdef_;
    for (const char* name : {"CURRENCY", "ORIGCURRENCY"}) {
      if (const Node* c = holder.child(name)) {
        if (auto sym = text(*c, "CURSYM")) t.currency = to_upper(trim(*sym));
        // CURRATE: units of the statement's CURDEF per unit of CURSYM, the rate the row converts at.
        if (auto rate = text(*c, "CURRATE")) {
          if (auto d = ledger::Decimal::parse(trim(*rate)); d && d->is_positive()) t.fx_rate = *d;
        }
      }
    }
  }

  // Keeps `t` unless its id was seen before in the file (an OFX server sent the row twice).
  void add(Transaction t, const Node& agg) {
    if (!t.external_id.empty() && !ids_.insert(t.external_id).second) {
      warn_at(agg, fmt::format("FITID {} appears again: the repeat is skipped",
                               shown_with(t.external_id.substr(4), 64, '\'')));
      return;
    }
    st_.transactions.push_back(std::move(t));
  }

  Decimal sum_fees(const Node& holder) {
    Decimal fees;
    for (const char* name : {"COMMISSION", "FEES", "TAXES", "LOAD"}) {
      if (auto v = number(holder, name)) fees += v->abs();
    }
    return fees;
  }

  void trade(const Node& agg, bool buy) {
    const Node* holder = agg.child(buy ? "INVBUY" : "INVSELL");
    if (holder == nullptr) {
      d_.error({file_, agg.line, agg.column, agg.name, fmt::format("missing <{}>", buy ? "INVBUY" : "INVSELL")});
      return;
    }
    const std::size_t errors = d_.error_count();
    auto t = base(agg, holder);
    const std::string sym = symbol(*holder);
    const auto units = number(*holder, "UNITS", true);
    const auto price = number(*holder, "UNITPRICE", true);
    const auto total = number(*holder, "TOTAL");
    const Decimal fees = sum_fees(*holder);
    if (!t || d_.error_count() != errors) return;
    t->type = buy ? TxType::kBuy : TxType::kSell;
    t->symbol = sym;
    t->quantity = units->abs();
    t->price = price->abs();
    t->fees = fees;
    if (total) t->amount = total->abs();
    currency_of(*holder, *t);
    if (t->quantity.is_zero()) {
      error_at(*holder->child("UNITS"), holder, "a trade of 0 units");
      return;
    }
    add(std::move(*t), agg);
  }

  static std::optional<TxType> income_type(std::string_view code) {
    const std::string c = to_upper(trim(code));
    if (c == "DIV") return TxType::kDividend;
    if (c == "INTEREST") return TxType::kInterest;
    if (c == "CGLONG" || c == "CGSHORT" || c == "MISC") return TxType::kDistribution;
    return std::nullopt;
  }

  std::optional<TxType> income_type_of(const Node& agg) {
    const Node* n = leaf(agg, "INCOMETYPE", true);
    if (n == nullptr) return std::nullopt;
    auto type = income_type(n->text);
    if (!type) {
      error_at(*n, &agg, fmt::format("unknown income type {} (expected DIV, INTEREST, CGLONG, CGSHORT or MISC)",
                                     shown_with(n->text, 64, '\'')));
    }
    return type;
  }

  void income(const Node& agg) {
    const std::size_t errors = d_.error_count();
    auto t = base(agg, nullptr);
    const std::string sym = symbol(agg);
    const auto type = income_type_of(agg);
    const auto total = number(agg, "TOTAL", true);
    const auto withheld = number(agg, "WITHHOLDING");
    if (!t || d_.error_count() != errors) return;
    if (total->is_negative()) {
      error_at(*agg.child("TOTAL"), &agg, "a negative income (a reversal) cannot be booked: remove the row it reverses");
      return;
    }
    t->type = *type;
    t->symbol = sym;
    t->amount = *total;
    if (t->note.empty() && *type == TxType::kDistribution) t->note = to_upper(trim(agg.child("INCOMETYPE")->text));
    currency_of(agg, *t);
    Transaction w = *t;
    add(std::move(*t), agg);
    if (withheld && !withheld->is_zero()) {
      w.type = TxType::kWithholding;
      w.amount = withheld->abs();
      w.external_id += "/WITHHOLDING";
      add(std::move(w), agg);
    }
  }

  void reinvest(const Node& agg) {
    const std::size_t errors = d_.error_count();
    auto t = base(agg, nullptr);
    const std::string sym = symbol(agg);
    const auto type = income_type_of(agg);
    const auto total = number(agg, "TOTAL", true);
    const auto units = number(agg, "UNITS", true);
    const auto price = number(agg, "UNITPRICE", true);
    const Decimal fees = sum_fees(agg);
    if (!t || d_.error_count() != errors) return;
    if (units->is_zero()) {
      error_at(*agg.child("UNITS"), &agg, "a reinvestment of 0 units");
      return;
    }
    // The income paid, then the purchase it paid for (a DRIP: keel/ledger/income.h pairs them).
    t->type = *type;
    t->symbol = sym;
    t->amount = total->abs();
    currency_of(agg, *t);
    Transaction buy = *t;
    add(std::move(*t), agg);
    buy.type = TxType::kBuy;
    buy.quantity = units->abs();
    buy.price = price->abs();
    buy.fees = fees;
    buy.external_id += "/REINVEST";
    add(std::move(buy), agg);
  }

  void split(const Node& agg) {
    const std::size_t errors = d_.error_count();
    auto t = base(agg, nullptr);
    const std::string sym = symbol(agg);
    const auto num = number(agg, "NUMERATOR", true);
    const auto den = number(agg, "DENOMINATOR", true);
    const auto frac = number(agg, "FRACCASH");
    if (!t || d_.error_count() != errors) return;
    auto whole = [](Decimal v) -> std::optional<std::int64_t> {
      if (!v.is_positive() || v.raw() % Decimal::kOne != 0) return std::nullopt;
      return v.raw() / Decimal::kOne;
    };
    const auto n = whole(*num);
    const auto m = whole(*den);
    if (!n || !m) {
      error_at(*agg.child(n ? "DENOMINATOR" : "NUMERATOR"), &agg,
               fmt::format("a split ratio needs two positive whole numbers, got {}:{}", num->to_string(), den->to_string()));
      return;
    }
    t->type = TxType::kSplit;
    t->symbol = sym;
    t->split_ratio = ledger::SplitRatio{*n, *m};
    if (frac && !frac->is_zero()) {
      warn_at(agg, fmt::format("the cash in lieu of fractional shares ({}) is not booked: keel keeps the fraction",
                               frac->abs().to_string()));
    }
    add(std::move(*t), agg);
  }

  void transfer(const Node& agg) {
    const std::size_t errors = d_.error_count();
    auto t = base(agg, nullptr);
    const std::string sym = symbol(agg);
    const auto units = number(agg, "UNITS", true);
    const auto action = text(agg, "TFERACTION");
    const auto basis = number(agg, "AVGCOSTBASIS");
    const auto price = number(agg, "UNITPRICE");
    if (!t || d_.error_count() != errors) return;
    bool in = units->is_positive();
    if (action) {
      const std::string a = to_upper(trim(*action));
      if (a == "IN") in = true;
      else if (a == "OUT") in = false;
      else {
        error_at(*agg.child("TFERACTION"), &agg, fmt::format("expected IN or OUT, got {}", shown_with(*action, 64, '\'')));
        return;
      }
    }
    if (units->is_zero()) {
      // A "balance update" some brokers (TIAA) send: nothing moves.
      warn_at(agg, fmt::format("a transfer of 0 units of {} moves nothing: skipped", sym));
      return;
    }
    t->type = in ? TxType::kTransferIn : TxType::kTransferOut;
    t->symbol = sym;
    t->quantity = units->abs();
    if (basis) t->price = basis->abs();
    else if (price) t->price = price->abs();
    currency_of(agg, *t);
    add(std::move(*t), agg);
  }

  // A row of TOTAL as `type` (RETOFCAP, MARGININTEREST, INVEXPENSE).
  void cash_total(const Node& agg, TxType type, bool with_symbol, const char* note) {
    const std::size_t errors = d_.error_count();
    auto t = base(agg, nullptr);
    const std::string sym = with_symbol && agg.child("SECID") ? symbol(agg) : std::string();
    const auto total = number(agg, "TOTAL", true);
    if (!t || d_.error_count() != errors) return;
    if (total->is_zero()) return;
    t->type = type;
    t->symbol = sym;
    t->amount = total->abs();
    if (t->note.empty()) t->note = note;
    currency_of(agg, *t);
    add(std::move(*t), agg);
  }

  void investment_tx(const Node& tx) {
    const std::string n = to_upper(tx.name);
    if (n == "DTSTART" || n == "DTEND") return;
    if (n == "BUYSTOCK" || n == "BUYMF" || n == "BUYOTHER" || n == "BUYOPT" || n == "BUYDEBT") return trade(tx, true);
    if (n == "SELLSTOCK" || n == "SELLMF" || n == "SELLOTHER" || n == "SELLOPT" || n == "SELLDEBT") {
      return trade(tx, false);
    }
    if (n == "INCOME") return income(tx);
    if (n == "REINVEST") return reinvest(tx);
    if (n == "SPLIT") return split(tx);
    if (n == "TRANSFER") return transfer(tx);
    if (n == "RETOFCAP") {
      warn_at(tx, "a return of capital is booked as a DISTRIBUTION: keel does not lower the lots' basis by it");
      return cash_total(tx, TxType::kDistribution, true, "return of capital");
    }
    if (n == "MARGININTEREST") return cash_total(tx, TxType::kFee, false, "margin interest");
    if (n == "INVEXPENSE") return cash_total(tx, TxType::kFee, true, "investment expense");
    if (n == "INVBANKTRAN") {
      if (const Node* s = tx.child("STMTTRN")) return cash_tx(*s);
      d_.error({file_, tx.line, tx.column, tx.name, "missing <STMTTRN>"});
      return;
    }
    warn_at(tx, fmt::format("<{}> is not booked by keel: skipped", shown_with(tx.name, 64, '\0')));
  }

  // A bank row: TRNTYPE and the sign of TRNAMT give the type.
  void cash_tx(const Node& s) {
    const std::size_t errors = d_.error_count();
    const auto fitid = text(s, "FITID", true);
    const auto when = date(s, "DTPOSTED", true);
    const auto amount = number(s, "TRNAMT", true);
    const Node* type_node = leaf(s, "TRNTYPE", true);
    if (d_.error_count() != errors) return;
    const std::string type = to_upper(trim(type_node->text));
    Transaction t;
    t.date = *when;
    t.external_id = "ofx:" + *fitid;
    t.account = options_.default_account;
    t.line = s.line;
    t.source = source_;
    const auto name = text(s, "NAME");
    const auto memo = text(s, "MEMO");
    t.note = name.value_or("");
    if (memo) t.note += (t.note.empty() ? "" : " - ") + *memo;
    currency_of(s, t);
    if (amount->is_zero()) {
      warn_at(s, "a row of amount 0: skipped");
      return;
    }
    const bool in = amount->is_positive();
    if (type == "INT") t.type = in ? TxType::kInterest : TxType::kFee;
    else if (type == "DIV") t.type = in ? TxType::kDividend : TxType::kWithdrawal;
    else if (type == "FEE" || type == "SRVCHG") t.type = in ? TxType::kDeposit : TxType::kFee;
    else t.type = in ? TxType::kDeposit : TxType::kWithdrawal;
    t.amount = amount->abs();
    add(std::move(t), s);
  }

  void position(const Node& p) {
    const Node* inv = p.child("INVPOS");
    if (inv == nullptr) {
      d_.error({file_, p.line, p.column, p.name, "missing <INVPOS>"});
      return;
    }
    const std::size_t errors = d_.error_count();
    const std::string sym = symbol(*inv);
    const auto units = number(*inv, "UNITS", true);
    const auto price = number(*inv, "UNITPRICE");
    const auto value = number(*inv, "MKTVAL");
    const auto type = text(*inv, "POSTYPE");
    if (d_.error_count() != errors) return;
    const bool short_position = type && to_upper(trim(*type)) == "SHORT";
    Decimal q = short_position ? -units->abs() : *units;
    // The same security in several sub-accounts (cash, margin) is one position.
    detail::add_statement_position(st_, sym, q, price, value, p.line);
  }

  const std::string& file_;
  const ledger::SourceName source_{file_};  // the rows' source, shared by them
  const StatementReadOptions& options_;
  Diagnostics& d_;
  Statement st_;
  std::map<std::string, std::string> tickers_;  // UNIQUEID -> TICKER
  std::set<std::string> untickered_;
  std::set<std::string> ids_;
  std::set<std::string> accounts_;
  std::string curdef_;  // the current statement's CURDEF when it differs from the first one's
  std::size_t statements_ = 0;  // statement responses read
  std::string failed_;          // the statuses of responses without a statement
};

}  // namespace

std::optional<Date> parse_ofx_date(std::string_view text) {
  text = trim(text);
  if (text.size() < 8) return std::nullopt;
  for (std::size_t i = 0; i < 8; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
  }
  // The rest: HHMMSS, .XXX, then an optional [offset:ZONE].
  std::size_t p = 8;
  while (p < text.size() && (std::isdigit(static_cast<unsigned char>(text[p])) || text[p] == '.')) ++p;
  if (p < text.size()) {
    if (text[p] != '[' || text.back() != ']') return std::nullopt;
    for (std::size_t i = p + 1; i + 1 < text.size(); ++i) {
      const char c = text[i];
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '+' || c == ':' || c == '.')) {
        return std::nullopt;
      }
    }
  }
  const int y = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
  const int m = (text[4] - '0') * 10 + (text[5] - '0');
  const int d = (text[6] - '0') * 10 + (text[7] - '0');
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return std::nullopt;
  return Date::from_ymd(y, m, d);
}

Statement read_ofx(std::string_view text, const std::string& name, const StatementReadOptions& options,
                   Diagnostics& diags) {
  return detail::read_markup_statement<OfxReader>(text, name, options, diags, StatementFormat::kOfx);
}

}  // namespace keel::io
