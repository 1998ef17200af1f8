#include "ledger_repository.h"

#include "copy_stage.h"
#include "keel/core/error.h"
#include "ledger_rows.h"

namespace keel::store::pg {
namespace {

using ledger::Transaction;

std::optional<LedgerAccount> account(Tx& tx, const std::string& tenant, const std::string& name) {
  const auto r = tx.exec(std::string("SELECT ") + detail::kLedgerAccountColumns +
                             " FROM ledger_accounts a WHERE a.tenant = $1 AND a.name = $2",
                         Params().add(tenant).add(name));
  if (r.empty()) return std::nullopt;
  return detail::read_ledger_account(RowView(r[0]));
}

std::vector<Transaction> read_txs(Tx& tx, const std::string& where_order, const Params& params) {
  std::vector<Transaction> out;
  for (const auto& r : tx.exec(std::string(detail::kLedgerTxSelect) + where_order, params)) {
    out.push_back(detail::read_ledger_tx(RowView(r)));
  }
  return out;
}

constexpr const char* kStageDefinition =
    "ordinal bigint, date text, type text, symbol text, quantity text, price text, fees text, amount text, "
    "lot_id text, split_ratio text, currency text, note text, method text, source text, source_line bigint";

}  // namespace

LedgerAccount PgLedgerRepository::create_account(const std::string& tenant, const std::string& name,
                                                 ledger::LotMethod method, bool allow_short,
                                                 const std::string& currency) {
  if (name.empty()) throw Error::invalid_input("an account needs a name");
  return s_->run(tenant, [&](Tx& tx) {
    const auto r = tx.exec(
        "INSERT INTO ledger_accounts (tenant, name, method, allow_short, currency, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant, name) DO NOTHING",
        Params()
            .add(tenant)
            .add(name)
            .add(ledger::lot_method_name(method))
            .add(allow_short)
            .add(currency.empty() ? std::string("USD") : currency)
            .add(clock_->iso8601()));
    if (r.affected_rows() == 0) throw Error::conflict("account '" + name + "' already exists");
    return *account(tx, tenant, name);
  });
}

LedgerAccount PgLedgerRepository::ensure_account(const std::string& tenant, const std::string& name) {
  return s_->run(tenant, [&](Tx& tx) {
    if (auto a = account(tx, tenant, name)) return *a;
    return create_account(tenant, name, ledger::LotMethod::kFifo, false, "USD");
  });
}

std::vector<LedgerAccount> PgLedgerRepository::list_accounts(const std::string& tenant) {
  return s_->run(tenant, [&](Tx& tx) {
    std::vector<LedgerAccount> out;
    for (const auto& r : tx.exec(std::string("SELECT ") + detail::kLedgerAccountColumns +
                                     " FROM ledger_accounts a WHERE a.tenant = $1 ORDER BY a.name",
                                 Params().add(tenant))) {
      out.push_back(detail::read_ledger_account(RowView(r)));
    }
    return out;
  });
}

std::optional<LedgerAccount> PgLedgerRepository::find_account(const std::string& tenant,
                                                              const std::string& name) {
  return s_->run(tenant, [&](Tx& tx) { return account(tx, tenant, name); });
}

void PgLedgerRepository::update_account(const std::string& tenant, const std::string& name,
                                        ledger::LotMethod method, bool allow_short) {
  s_->run(tenant, [&](Tx& tx) {
    const auto r =
        tx.exec("UPDATE ledger_accounts SET method = $1, allow_short = $2 WHERE tenant = $3 AND name = $4",
                Params().add(ledger::lot_method_name(method)).add(allow_short).add(tenant).add(name));
    if (r.affected_rows() == 0) throw Error::not_found("no account named '" + name + "'");
  });
}

std::size_t PgLedgerRepository::save_transactions(const std::string& tenant, const std::string& account_name,
                                                  std::span<const Transaction> txs, bool replace) {
  return s_->run(tenant, [&](Tx& tx) {
    // FOR UPDATE: concurrent appends to one account take turns, so their ordinals never collide.
    const auto a = tx.exec("SELECT id FROM ledger_accounts WHERE tenant = $1 AND name = $2 FOR UPDATE",
                           Params().add(tenant).add(account_name));
    if (a.empty()) {
      throw Error::not_found("no account named '" + account_name + "' (create it with keel account create)");
    }
    const std::int64_t id = integer(a[0][0]);
    if (replace) tx.exec("DELETE FROM ledger_transactions WHERE account_id = $1", Params().add(id));
    std::int64_t ordinal =
        integer(tx.exec1("SELECT COALESCE(MAX(ordinal), 0) FROM ledger_transactions WHERE account_id = $1",
                         Params().add(id))[0]);
    if (txs.empty()) return std::size_t{0};
    std::vector<std::string> columns = column_names(detail::kLedgerTxValueColumns);
    columns.insert(columns.begin(), "ordinal");
    CopyStage stage(tx, "keel_ledger_stage", kStageDefinition, columns);
    stage.begin();
    for (const Transaction& t : txs) {
      Params p;
      p.add(++ordinal);
      detail::write_ledger_tx(p, t);
      stage.row(p);
    }
    stage.finish();
    const auto moved = tx.exec(std::string("INSERT INTO ledger_transactions (account_id, ordinal, ") +
                                   detail::kLedgerTxValueColumns + ") SELECT $1, ordinal, " +
                                   detail::kLedgerTxValueColumns + " FROM keel_ledger_stage ORDER BY ordinal",
                               Params().add(id));
    return static_cast<std::size_t>(moved.affected_rows());
  });
}

std::vector<Transaction> PgLedgerRepository::transactions(const std::string& tenant,
                                                          const std::string& name) {
  return s_->run(tenant, [&](Tx& tx) {
    if (!account(tx, tenant, name)) throw Error::not_found("no account named '" + name + "'");
    return read_txs(tx, "WHERE a.tenant = $1 AND a.name = $2 ORDER BY t.ordinal",
                    Params().add(tenant).add(name));
  });
}

std::vector<Transaction> PgLedgerRepository::all_transactions(const std::string& tenant) {
  return s_->run(tenant, [&](Tx& tx) {
    return read_txs(tx, "WHERE a.tenant = $1 ORDER BY a.name, t.ordinal", Params().add(tenant));
  });
}

bool PgLedgerRepository::delete_account(const std::string& tenant, const std::string& name) {
  return s_->run(tenant, [&](Tx& tx) {
    // The transactions and snapshots of the account go with it (ON DELETE CASCADE).
    return tx.exec("DELETE FROM ledger_accounts WHERE tenant = $1 AND name = $2",
                   Params().add(tenant).add(name))
               .affected_rows() > 0;
  });
}

// ---------------------------------------------------------------- broker mappings

namespace {
constexpr const char* kMappingColumns = "name, document, created_at, updated_at, updated_by";
LedgerMappingRecord read_mapping(const RowView& r) {
  return {r.get_text(0), r.get_text(1), r.get_text(2), r.get_text(3), r.get_text(4)};
}
}  // namespace

std::vector<LedgerMappingRecord> PgLedgerRepository::list_mappings(const std::string& tenant) {
  return s_->run(tenant, [&](Tx& tx) {
    std::vector<LedgerMappingRecord> out;
    for (const auto& r : tx.exec(std::string("SELECT ") + kMappingColumns +
                                     " FROM ledger_mappings WHERE tenant = $1 ORDER BY name",
                                 Params().add(tenant))) {
      out.push_back(read_mapping(RowView(r)));
    }
    return out;
  });
}

std::optional<LedgerMappingRecord> PgLedgerRepository::find_mapping(const std::string& tenant,
                                                                    const std::string& name) {
  return s_->run(tenant, [&](Tx& tx) -> std::optional<LedgerMappingRecord> {
    const auto r = tx.exec(
        std::string("SELECT ") + kMappingColumns + " FROM ledger_mappings WHERE tenant = $1 AND name = $2",
        Params().add(tenant).add(name));
    if (r.empty()) return std::nullopt;
    return read_mapping(RowView(r[0]));
  });
}

bool PgLedgerRepository::save_mapping(const std::string& tenant, const std::string& name,
                                      const std::string& document, const std::string& updated_by) {
  if (name.empty()) throw Error::invalid_input("a mapping needs a name");
  return s_->run(tenant, [&](Tx& tx) {
    const std::string now = clock_->iso8601();
    const bool replaced = !tx.exec("SELECT 1 FROM ledger_mappings WHERE tenant = $1 AND name = $2",
                                   Params().add(tenant).add(name))
                               .empty();
    tx.exec(
        "INSERT INTO ledger_mappings (tenant, name, document, created_at, updated_at, updated_by) "
        "VALUES ($1, $2, $3, $4, $4, $5) ON CONFLICT (tenant, name) DO UPDATE SET document = "
        "EXCLUDED.document, "
        "updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by",
        Params().add(tenant).add(name).add(document).add(now).add(updated_by));
    return replaced;
  });
}

bool PgLedgerRepository::delete_mapping(const std::string& tenant, const std::string& name) {
  return s_->run(tenant, [&](Tx& tx) {
    return tx.exec("DELETE FROM ledger_mappings WHERE tenant = $1 AND name = $2",
                   Params().add(tenant).add(name))
               .affected_rows() > 0;
  });
}

// ---------------------------------------------------------------- net-worth snapshots

bool PgLedgerSnapshotRepository::save(const LedgerSnapshot& s) {
  return s_->run(s.tenant, [&](Tx& tx) {
    std::optional<std::int64_t> account_id;
    if (!s.account.empty()) {
      const auto a = tx.exec("SELECT id FROM ledger_accounts WHERE tenant = $1 AND name = $2",
                             Params().add(s.tenant).add(s.account));
      if (a.empty()) throw Error::not_found("no account named '" + s.account + "'");
      account_id = integer(a[0][0]);
    }
    const bool replaced = remove(s.tenant, s.account, s.as_of);
    tx.exec(
        "INSERT INTO ledger_snapshots (tenant, account_id, scope, as_of, net_worth, market_value, cash, "
        "cost_basis, unrealized, unpriced, created_at, asset_classes) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        Params()
            .add(s.tenant)
            .add(account_id)
            .add(s.account)
            .add(s.as_of.to_string())
            .add(s.net_worth.to_string())
            .add(s.market_value.to_string())
            .add(s.cash.to_string())
            .add(s.cost_basis.to_string())
            .add(s.unrealized.to_string())
            .add(s.unpriced)
            .add(clock_->iso8601())
            .add(detail::asset_classes_text(s.asset_classes)));
    return replaced;
  });
}

std::vector<LedgerSnapshot> PgLedgerSnapshotRepository::list(const std::string& tenant,
                                                             const std::string& account,
                                                             std::optional<Date> from,
                                                             std::optional<Date> to) {
  return s_->run(tenant, [&](Tx& tx) {
    std::vector<LedgerSnapshot> out;
    for (const auto& r :
         tx.exec(std::string("SELECT ") + detail::kLedgerSnapshotColumns +
                     " FROM ledger_snapshots WHERE tenant = $1 AND scope = $2 AND as_of >= $3 "
                     "AND as_of <= $4 ORDER BY as_of",
                 Params()
                     .add(tenant)
                     .add(account)
                     .add(from ? from->to_string() : std::string("0000-00-00"))
                     .add(to ? to->to_string() : std::string("9999-99-99")))) {
      out.push_back(detail::read_ledger_snapshot(RowView(r)));
    }
    return out;
  });
}

bool PgLedgerSnapshotRepository::remove(const std::string& tenant, const std::string& account, Date as_of) {
  return s_->run(tenant, [&](Tx& tx) {
    return tx.exec("DELETE FROM ledger_snapshots WHERE tenant = $1 AND scope = $2 AND as_of = $3",
                   Params().add(tenant).add(account).add(as_of.to_string()))
               .affected_rows() > 0;
  });
}

}  // namespace keel::store::pg
