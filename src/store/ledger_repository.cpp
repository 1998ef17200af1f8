// The personal ledger's accounts, transactions and broker mappings (keel/store/ledger_repository.h)
// on both backends. Decimals are stored as their exact text, with the row layout of ledger_rows.h;
// transactions are bulk-inserted (on PostgreSQL by COPY into a staging table, then one
// INSERT ... SELECT checked by row-level security).
#include "keel/store/ledger_repository.h"

#include <algorithm>
#include <limits>

#include "keel/core/error.h"
#include "ledger_rows.h"
#include "sql.h"

namespace keel::store {
namespace {

using ledger::Transaction;

std::optional<LedgerAccount> account(SqlConnection& c, const std::string& tenant, const std::string& name) {
  return c
      .prepare(std::string("SELECT ") + detail::kLedgerAccountColumns +
               " FROM ledger_accounts a WHERE a.tenant = ? AND a.name = ?")
      .bind_all(tenant, name)
      .first(detail::read_ledger_account);
}

constexpr const char* kMappingColumns = "name, document, created_at, updated_at, updated_by";

LedgerMappingRecord read_mapping(const SqlStatement& r) {
  return {r.get_text(0), r.get_text(1), r.get_text(2), r.get_text(3), r.get_text(4)};
}

}  // namespace

LedgerAccount LedgerRepository::create_account(const std::string& tenant, const std::string& name,
                                               ledger::LotMethod method, bool allow_short,
                                               const std::string& currency) {
  if (name.empty()) throw Error::invalid_input("an account needs a name");
  return c_->transaction(tenant, [&] {
    const auto added =
        c_->prepare(
              "INSERT INTO ledger_accounts (tenant, name, method, allow_short, currency, created_at) "
              "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, name) DO NOTHING")
            .bind_all(tenant, name, ledger::lot_method_name(method), allow_short,
                      currency.empty() ? std::string("USD") : currency, clock_->iso8601())
            .run();
    if (added == 0) throw Error::conflict("account '" + name + "' already exists");
    return *account(*c_, tenant, name);
  });
}

LedgerAccount LedgerRepository::ensure_account(const std::string& tenant, const std::string& name,
                                              const std::string& currency) {
  return c_->run(tenant, [&] {
    if (auto a = account(*c_, tenant, name)) return *a;
    return create_account(tenant, name, ledger::LotMethod::kFifo, false, currency);
  });
}

std::vector<LedgerAccount> LedgerRepository::list_accounts(const std::string& tenant) {
  return c_->rows(tenant,
                  std::string("SELECT ") + detail::kLedgerAccountColumns +
                      " FROM ledger_accounts a WHERE a.tenant = ? ORDER BY a.name",
                  detail::read_ledger_account, tenant);
}

std::optional<LedgerAccount> LedgerRepository::find_account(const std::string& tenant,
                                                            const std::string& name) {
  return c_->run(tenant, [&] { return account(*c_, tenant, name); });
}

LedgerAccount LedgerRepository::update_account(const std::string& tenant, const std::string& name,
                                               const LedgerAccount& changed) {
  if (changed.name.empty()) throw Error::invalid_input("an account needs a name");
  return c_->transaction(tenant, [&] {
    const auto acct = account(*c_, tenant, name);
    if (!acct) throw Error::not_found("no account named '" + name + "'");
    if (changed.name != name && account(*c_, tenant, changed.name)) {
      throw Error::conflict("account '" + changed.name + "' already exists");
    }
    c_->prepare(
          "UPDATE ledger_accounts SET name = ?, method = ?, allow_short = ?, currency = ?, type = ?, "
          "institution = ?, notes = ? WHERE id = ?")
        .bind_all(changed.name, ledger::lot_method_name(changed.method), changed.allow_short,
                  changed.currency.empty() ? std::string("USD") : changed.currency, changed.type, changed.institution,
                  changed.notes, acct->id)
        .run();
    if (changed.name != name) {
      c_->prepare("UPDATE ledger_snapshots SET scope = ? WHERE account_id = ?").bind_all(changed.name, acct->id).run();
    }
    return *account(*c_, tenant, changed.name);
  });
}

std::size_t LedgerRepository::save_transactions(const std::string& tenant, const std::string& account_name,
                                                std::span<const Transaction> txs, bool replace) {
  return c_->transaction(tenant, [&] {
    // FOR UPDATE where there are row locks: concurrent appends to one account take turns, so their
    // ordinals never collide (SQLite's write transaction already excludes other writers).
    auto a = c_->prepare(std::string("SELECT id FROM ledger_accounts WHERE tenant = ? AND name = ?") +
                         std::string(c_->dialect().lock(" FOR UPDATE")));
    if (!a.bind_all(tenant, account_name).step()) {
      throw Error::not_found("no account named '" + account_name + "' (create it with keel account create)");
    }
    const std::int64_t id = a.get_int(0);
    a.reset();
    if (replace) c_->prepare("DELETE FROM ledger_transactions WHERE account_id = ?").bind(1, id).run();
    std::int64_t ordinal = max_ordinal(*c_, "ledger_transactions", "account_id", id);
    if (txs.empty()) return std::size_t{0};
    const std::string columns = std::string("ordinal, ") + detail::kLedgerTxValueColumns;
    auto rows = c_->bulk_insert({"ledger_transactions", "account_id", id, columns, "ordinal"});
    for (const Transaction& t : txs) {
      rows->add(++ordinal);
      detail::write_ledger_tx(*rows, t);
      rows->end_row();
    }
    rows->finish();
    return txs.size();
  });
}

std::vector<Transaction> LedgerRepository::transactions(const std::string& tenant, const std::string& name) {
  return c_->run(tenant, [&] {
    if (!account(*c_, tenant, name)) throw Error::not_found("no account named '" + name + "'");
    return c_
        ->prepare(std::string(detail::kLedgerTxSelect) +
                  "WHERE a.tenant = ? AND a.name = ? ORDER BY t.ordinal")
        .bind_all(tenant, name)
        .rows(detail::read_ledger_tx);
  });
}

std::vector<Transaction> LedgerRepository::all_transactions(const std::string& tenant) {
  return c_->run(tenant, [&] {
    // Counted first (an index scan), so that a million rows are placed once in a buffer reserved
    // for them, not moved as a growing vector doubles.
    auto count = c_->prepare(
        "SELECT COUNT(*) FROM ledger_transactions t JOIN ledger_accounts a ON a.id = t.account_id WHERE a.tenant = ?");
    count.bind(1, tenant);
    const std::int64_t rows = count.first_int();
    std::vector<Transaction> out;
    out.reserve(static_cast<std::size_t>(std::max<std::int64_t>(rows, 0)));
    auto st =
        c_->prepare(std::string(detail::kLedgerTxSelect) + "WHERE a.tenant = ? ORDER BY a.name, t.ordinal");
    st.bind(1, tenant);
    while (st.step()) out.push_back(detail::read_ledger_tx(st));
    return out;
  });
}

LedgerRepository::TransactionsPage LedgerRepository::transactions_page(const std::string& tenant,
                                                                       const std::string& name,
                                                                       const TransactionsFilter& filter,
                                                                       std::size_t offset, std::size_t limit) {
  return c_->run(tenant, [&] {
    const auto acct = account(*c_, tenant, name);
    if (!acct) throw Error::not_found("no account named '" + name + "'");
    std::string where;
    if (filter.symbol) where += " AND t.symbol = ?";
    if (filter.type) where += " AND t.type = ?";
    if (filter.from) where += " AND t.date >= ?";
    if (filter.to) where += " AND t.date <= ?";
    // The account, then the filter's values.
    const auto bind = [&](SqlBinder& b) {
      b.add(acct->id);
      if (filter.symbol) b.add(*filter.symbol);
      if (filter.type) b.add(*filter.type);
      if (filter.from) b.add(filter.from->to_string());
      if (filter.to) b.add(filter.to->to_string());
    };
    TransactionsPage page;
    auto count = c_->prepare("SELECT COUNT(*) FROM ledger_transactions t WHERE t.account_id = ?" + where);
    SqlBinder counted(count);
    bind(counted);
    page.total = static_cast<std::size_t>(std::max<std::int64_t>(count.first_int(), 0));
    // A row's number is its place in stored order, so it is the same in any filtered listing (the
    // number edit and delete take). Ordinals are 1..n (appends continue them, a removal moves the
    // rows after it up), so the number is the ordinal, read from the page's rows alone; an account
    // whose ordinals have gaps is numbered over all its rows first. The number is the last column,
    // after kLedgerTxSelect's, which read_ledger_tx reads.
    auto span = c_->prepare("SELECT COUNT(*), COALESCE(MAX(ordinal), 0) FROM ledger_transactions WHERE account_id = ?");
    span.bind(1, acct->id);
    span.step();
    const bool dense = span.get_int(0) == span.get_int(1);
    span.reset();
    std::string select = detail::kLedgerTxSelect;
    const std::string from = "t.fx_rate FROM ledger_transactions t";
    select.replace(select.find(from), from.size(),
                   dense ? "t.fx_rate, t.ordinal AS n FROM (SELECT * FROM ledger_transactions u WHERE u.account_id = ?) t"
                         : "t.fx_rate, t.n FROM (SELECT ROW_NUMBER() OVER (ORDER BY u.ordinal) AS n, u.* FROM "
                           "ledger_transactions u WHERE u.account_id = ?) t");
    auto st = c_->prepare(select + "WHERE 1 = 1" + where + (dense ? " ORDER BY t.ordinal" : " ORDER BY t.n") +
                          " LIMIT ? OFFSET ?");
    SqlBinder b(st);
    bind(b);
    b.add(limit == 0 ? std::numeric_limits<std::int64_t>::max() : static_cast<std::int64_t>(limit));
    b.add(static_cast<std::int64_t>(offset));
    while (st.step()) {
      NumberedTransaction row;
      row.row = detail::read_ledger_tx(st);
      row.number = static_cast<std::size_t>(st.get_int(17));
      page.rows.push_back(std::move(row));
    }
    return page;
  });
}

namespace {

// The id and ordinal of row `number` (from 1, in stored order) of account `account_id`.
std::optional<std::int64_t> ordinal_of(SqlConnection& c, std::int64_t account_id, std::size_t number) {
  if (number == 0) return std::nullopt;
  auto st = c.prepare("SELECT ordinal FROM ledger_transactions WHERE account_id = ? ORDER BY ordinal LIMIT 1 OFFSET ?");
  st.bind_all(account_id, static_cast<std::int64_t>(number - 1));
  if (!st.step()) return std::nullopt;
  return st.get_int(0);
}

}  // namespace

bool LedgerRepository::update_transaction(const std::string& tenant, const std::string& name, std::size_t number,
                                          const Transaction& row) {
  return c_->transaction(tenant, [&] {
    const auto acct = account(*c_, tenant, name);
    if (!acct) throw Error::not_found("no account named '" + name + "'");
    const auto ordinal = ordinal_of(*c_, acct->id, number);
    if (!ordinal) return false;
    // "date = ?, type = ?, ..." over kLedgerTxValueColumns, which write_ledger_tx fills in order.
    std::string set;
    const std::string_view columns = detail::kLedgerTxValueColumns;
    std::size_t start = 0;
    while (start < columns.size()) {
      std::size_t end = columns.find(", ", start);
      if (end == std::string_view::npos) end = columns.size();
      set += (set.empty() ? "" : ", ") + std::string(columns.substr(start, end - start)) + " = ?";
      start = end + 2;
    }
    auto st = c_->prepare("UPDATE ledger_transactions SET " + set + " WHERE account_id = ? AND ordinal = ?");
    SqlBinder b(st);
    detail::write_ledger_tx(b, row);
    b.add(acct->id).add(*ordinal);
    st.run();
    return true;
  });
}

bool LedgerRepository::delete_transaction(const std::string& tenant, const std::string& name, std::size_t number) {
  return c_->transaction(tenant, [&] {
    const auto acct = account(*c_, tenant, name);
    if (!acct) throw Error::not_found("no account named '" + name + "'");
    const auto ordinal = ordinal_of(*c_, acct->id, number);
    if (!ordinal) return false;
    c_->prepare("DELETE FROM ledger_transactions WHERE account_id = ? AND ordinal = ?").bind_all(acct->id, *ordinal).run();
    // The rows after it move up one place, in two steps so that (account_id, ordinal) stays unique
    // after every row: first out of the way (negative), then into place.
    c_->prepare("UPDATE ledger_transactions SET ordinal = -ordinal WHERE account_id = ? AND ordinal > ?")
        .bind_all(acct->id, *ordinal)
        .run();
    c_->prepare("UPDATE ledger_transactions SET ordinal = -ordinal - 1 WHERE account_id = ? AND ordinal < 0")
        .bind_all(acct->id)
        .run();
    return true;
  });
}

bool LedgerRepository::delete_account(const std::string& tenant, const std::string& name) {
  return c_->transaction(tenant, [&] {
    const auto acct = account(*c_, tenant, name);
    if (!acct) return false;
    c_->prepare("DELETE FROM ledger_transactions WHERE account_id = ?").bind(1, acct->id).run();
    c_->prepare("DELETE FROM ledger_accounts WHERE id = ?").bind(1, acct->id).run();
    return true;
  });
}

// ---------------------------------------------------------------- broker mappings

std::vector<LedgerMappingRecord> LedgerRepository::list_mappings(const std::string& tenant) {
  return c_->rows(
      tenant,
      std::string("SELECT ") + kMappingColumns + " FROM ledger_mappings WHERE tenant = ? ORDER BY name",
      read_mapping, tenant);
}

std::optional<LedgerMappingRecord> LedgerRepository::find_mapping(const std::string& tenant,
                                                                  const std::string& name) {
  return c_->first(
      tenant,
      std::string("SELECT ") + kMappingColumns + " FROM ledger_mappings WHERE tenant = ? AND name = ?",
      read_mapping, tenant, name);
}

bool LedgerRepository::save_mapping(const std::string& tenant, const std::string& name,
                                    const std::string& document, const std::string& updated_by) {
  if (name.empty()) throw Error::invalid_input("a mapping needs a name");
  return c_->transaction(tenant, [&] {
    const std::string now = clock_->iso8601();
    auto existing = c_->prepare("SELECT 1 FROM ledger_mappings WHERE tenant = ? AND name = ?");
    const bool replaced = existing.bind_all(tenant, name).step();
    existing.reset();
    c_->prepare(upsert_sql("ledger_mappings", "tenant, name, document, created_at, updated_at, updated_by",
                           "tenant, name", "created_at"))
        .bind_all(tenant, name, document, now, now, updated_by)
        .run();
    return replaced;
  });
}

bool LedgerRepository::delete_mapping(const std::string& tenant, const std::string& name) {
  return c_->write(tenant, "DELETE FROM ledger_mappings WHERE tenant = ? AND name = ?", tenant, name) > 0;
}

}  // namespace keel::store
