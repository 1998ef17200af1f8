// Row-level security of the PostgreSQL schema, seen through the application role (keel_app) on
// raw connections: what the policies of the migrations allow, independent of keel's own SQL.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <pqxx/pqxx>
#include <thread>

#include "keel/core/error.h"
#include "keel/store/alm_repository.h"
#include "keel/store/audit_repository.h"
#include "keel/store/ledger_repository.h"
#include "keel/store/migrations.h"
#include "keel/store/modelling_repository.h"
#include "keel/store/postgresql.h"
#include "keel/store/snapshot_repository.h"
#include "keel/store/store.h"
#include "keel/store/tag_repository.h"
#include "keel/store/user_repository.h"
#include "pg_cluster.h"

namespace keel {
namespace {

using testing::PgCluster;

Position stock(const char* symbol, double quantity) {
  Position p;
  p.symbol = symbol;
  p.quantity = quantity;
  return p;
}

class PostgresRls : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = PgCluster::shared();
    KEEL_PG_REQUIRE_OR_SKIP(cluster_);
    db_ = cluster_->fresh_database();
    // Two tenants with one portfolio of two positions each, written through the store as the app role.
    auto s = open_store(cluster_->url(db_, "keel_app"));
    s->save_portfolio("acme", "growth", {stock("AAA", 1), stock("BBB", 2)}, "test");
    s->save_portfolio("globex", "income", {stock("CCC", 3), stock("DDD", 4)}, "test");
    s->users().add("alice", "acme", store::Role::kAnalyst, "h");
    s->users().add("bob", "globex", store::Role::kAnalyst, "h");
  }
  std::string app_url() const { return cluster_->url(db_, "keel_app"); }

  PgCluster* cluster_ = nullptr;
  std::string db_;
};

std::int64_t count(pqxx::work& tx, const std::string& sql) {
  return tx.exec1(sql)[0].as<std::int64_t>();
}

TEST_F(PostgresRls, TheTenantOfTheTransactionSeesOnlyItsRows) {
  pqxx::connection c(app_url());
  pqxx::work tx(c);
  tx.exec_params("SELECT set_config('keel.tenant', $1, true)", "acme");
  EXPECT_EQ(tx.exec1("SELECT string_agg(name, ',') FROM portfolios")[0].as<std::string>(), "growth");
  EXPECT_EQ(count(tx, "SELECT count(*) FROM positions"), 2);  // acme's two, not globex's
  EXPECT_EQ(tx.exec1("SELECT string_agg(username, ',') FROM users")[0].as<std::string>(), "alice");
  EXPECT_EQ(tx.exec1("SELECT string_agg(name, ',') FROM tenants")[0].as<std::string>(), "acme");
}

TEST_F(PostgresRls, WithoutATenantNoTenantRowIsVisible) {
  pqxx::connection c(app_url());
  pqxx::work tx(c);
  EXPECT_EQ(count(tx, "SELECT count(*) FROM portfolios"), 0);
  EXPECT_EQ(count(tx, "SELECT count(*) FROM positions"), 0);
  EXPECT_EQ(count(tx, "SELECT count(*) FROM users"), 0);
  // Shared market data is not tenant data: instruments stay visible.
  EXPECT_EQ(count(tx, "SELECT count(*) FROM instruments"), 4);
}

TEST_F(PostgresRls, TheTenantIsSetPerTransactionNotPerSession) {
  pqxx::connection c(app_url());
  {
    pqxx::work tx(c);
    tx.exec_params("SELECT set_config('keel.tenant', $1, true)", "acme");
    EXPECT_EQ(count(tx, "SELECT count(*) FROM portfolios"), 1);
    tx.commit();
  }
  pqxx::work next(c);  // same connection, next transaction: the setting is gone
  EXPECT_EQ(count(next, "SELECT count(*) FROM portfolios"), 0);
}

TEST_F(PostgresRls, AnInsertWithAnotherTenantsIdIsRefused) {
  std::int64_t globex_id = 0;
  std::int64_t income_id = 0;
  {
    pqxx::connection c(app_url());
    pqxx::work tx(c);
    tx.exec_params("SELECT set_config('keel.tenant', $1, true)", "globex");
    globex_id = tx.exec1("SELECT id FROM tenants")[0].as<std::int64_t>();
    income_id = tx.exec1("SELECT id FROM portfolios")[0].as<std::int64_t>();
  }
  pqxx::connection c(app_url());
  {
    pqxx::work tx(c);
    tx.exec_params("SELECT set_config('keel.tenant', $1, true)", "acme");
    EXPECT_THROW(tx.exec_params("INSERT INTO portfolios (tenant_id, name) VALUES ($1, 'planted')", globex_id),
                 pqxx::insufficient_privilege);
  }
  {
    pqxx::work tx(c);
    tx.exec_params("SELECT set_config('keel.tenant', $1, true)", "acme");
    EXPECT_THROW(tx.exec_params("INSERT INTO positions (portfolio_id, instrument_id, ordinal, quantity) "
                                "SELECT $1, id, 99, 1 FROM instruments LIMIT 1",
                                income_id),
                 pqxx::insufficient_privilege);
  }
  {
    pqxx::work tx(c);
    tx.exec_params("SELECT set_config('keel.tenant', $1, true)", "acme");
    EXPECT_THROW(
        tx.exec("INSERT INTO portfolio_snapshots (tenant, portfolio, as_of) VALUES ('globex', 'income', "
                "'2021-01-04')"),
        pqxx::insufficient_privilege);
  }
  {
    // Moving one's own row to another tenant is refused too (WITH CHECK on UPDATE).
    pqxx::work tx(c);
    tx.exec_params("SELECT set_config('keel.tenant', $1, true)", "acme");
    EXPECT_THROW(tx.exec_params("UPDATE portfolios SET tenant_id = $1", globex_id),
                 pqxx::insufficient_privilege);
  }
  {
    pqxx::work tx(c);
    tx.exec_params("SELECT set_config('keel.tenant', $1, true)", "acme");
    EXPECT_EQ(tx.exec_params("DELETE FROM positions WHERE portfolio_id = $1", income_id).affected_rows(), 0u);
  }
}

TEST_F(PostgresRls, TheApplicationRoleCannotBypassOrTurnOffRowLevelSecurity) {
  pqxx::connection c(app_url());
  {
    pqxx::work tx(c);
    const auto r = tx.exec1("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user");
    EXPECT_FALSE(r[0].as<bool>());
    EXPECT_FALSE(r[1].as<bool>());
    EXPECT_EQ(count(tx,
                    "SELECT count(*) FROM pg_class c JOIN pg_roles o ON o.oid = c.relowner "
                    "WHERE o.rolname = current_user"),
              0);  // owns nothing
    EXPECT_EQ(
        count(tx,
              "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace AND "
              "relkind = 'r' AND relname IN ('portfolios','positions','users','audit_log','tenants') AND "
              "relrowsecurity AND relforcerowsecurity"),
        5);
  }
  {
    pqxx::work tx(c);
    EXPECT_THROW(tx.exec("ALTER TABLE portfolios DISABLE ROW LEVEL SECURITY"), pqxx::insufficient_privilege);
  }
  {
    // row_security = off does not bypass for this role: the query fails instead of seeing all rows.
    pqxx::work tx(c);
    tx.exec("SET LOCAL row_security = off");
    EXPECT_THROW(tx.exec("SELECT count(*) FROM portfolios"), pqxx::insufficient_privilege);
  }
  {
    pqxx::work tx(c);
    tx.exec_params("SELECT set_config('keel.tenant', $1, true)", "acme");
    EXPECT_THROW(tx.exec("UPDATE audit_log SET outcome = 'ok'"), pqxx::insufficient_privilege);
  }
}

TEST_F(PostgresRls, TheStoreShowsEachTenantOnlyItsOwn) {
  auto s = open_store(app_url());
  ASSERT_EQ(s->list_portfolios("acme").size(), 1u);
  EXPECT_EQ(s->list_portfolios("acme")[0].name, "growth");
  EXPECT_FALSE(s->find_portfolio("acme", "income").has_value());
  EXPECT_THROW(s->positions("acme", "income"), Error);
  EXPECT_FALSE(s->delete_portfolio("acme", "income"));
  EXPECT_EQ(s->positions("globex", "income").size(), 2u);
  // A login names no tenant: the user is found through the owner's lookup, then read under its tenant.
  ASSERT_TRUE(s->users().find("bob").has_value());
  EXPECT_EQ(s->users().find("bob")->tenant, "globex");
  EXPECT_EQ(s->users().count(), 2u);
  // The audit log: a tenant's entry is read back by that tenant only; an entry of no tenant (the
  // keel command's own administration) may be written, and only the owner reads it.
  store::AuditEntry e;
  e.username = "alice";
  e.tenant = "acme";
  e.action = "portfolio.create";
  s->audit().append(e);
  e.tenant = "";
  e.username = "cli:root";
  e.action = "user.create";
  s->audit().append(e);
  store::AuditQuery q;
  q.tenant = "acme";
  ASSERT_EQ(s->audit().list(q).size(), 1u);
  q.tenant = "globex";
  EXPECT_TRUE(s->audit().list(q).empty());
  EXPECT_EQ(open_store(cluster_->url(db_, "keel_owner"))->audit().list({}).size(), 2u);
}

// Every table with a tenant column, and every table whose rows hang off one, is under forced
// row-level security: a table added by a later migration without keel_protect fails here.
TEST_F(PostgresRls, EveryTenantTableHasForcedRowLevelSecurity) {
  pqxx::connection c(cluster_->url(db_, "keel_owner"));
  pqxx::work tx(c);
  const auto r = tx.exec(
      "SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' "
      "AND NOT (c.relrowsecurity AND c.relforcerowsecurity) AND ("
      "EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname IN ('tenant', "
      "'tenant_id') "
      "AND NOT a.attisdropped) "
      "OR EXISTS (SELECT 1 FROM pg_constraint f JOIN pg_class p ON p.oid = f.confrelid "
      "WHERE f.conrelid = c.oid AND f.contype = 'f' AND p.relrowsecurity)) ORDER BY c.relname");
  std::string unprotected;
  for (const auto& row : r) unprotected += row[0].as<std::string>() + " ";
  EXPECT_EQ(unprotected, "");
}

// Migration 76: the instrument of every price row is checked by triggers once per statement
// instead of a foreign key per row. What the foreign key refused is refused (SQLSTATE 23503), and
// an instrument that an unfinished writer's prices name cannot be deleted under it: the delete
// waits for the writer, then is refused.
TEST_F(PostgresRls, PricesNameInstrumentsThatExistAsUnderAForeignKey) {
  pqxx::connection c(app_url());
  std::int64_t x = 0, y = 0;
  {
    pqxx::work tx(c);
    x = tx.exec1("INSERT INTO instruments (symbol) VALUES ('XXX') RETURNING id")[0].as<std::int64_t>();
    y = tx.exec1("INSERT INTO instruments (symbol) VALUES ('YYY') RETURNING id")[0].as<std::int64_t>();
    tx.exec("INSERT INTO prices (instrument_id, date, close) VALUES (" + std::to_string(x) +
            ", '2020-01-02', 1)");
    tx.commit();
  }
  const std::string xs = std::to_string(x), ys = std::to_string(y);
  auto refused = [&](const std::string& sql) {
    pqxx::work tx(c);
    try {
      tx.exec(sql);
    } catch (const pqxx::foreign_key_violation&) {
      return true;
    }
    return false;
  };
  EXPECT_TRUE(refused("INSERT INTO prices (instrument_id, date, close) VALUES (999999, '2020-01-02', 1)"));
  EXPECT_TRUE(refused("INSERT INTO prices (instrument_id, date, close) VALUES (" + ys +
                      ", '2020-01-02', 1), (999999, '2020-01-02', 1)"));  // one bad row of two
  EXPECT_TRUE(refused("UPDATE prices SET instrument_id = 999999 WHERE instrument_id = " + xs));
  EXPECT_TRUE(refused("DELETE FROM instruments WHERE id = " + xs));
  EXPECT_TRUE(refused("UPDATE instruments SET id = 999999 WHERE id = " + xs));
  {
    pqxx::work tx(c);
    EXPECT_EQ(tx.exec("DELETE FROM instruments WHERE id = " + ys).affected_rows(), 1u);  // no price names it
  }
  {
    // A REPEATABLE READ check could miss prices committed after its snapshot: refused outright.
    pqxx::transaction<pqxx::repeatable_read> tx(c);
    EXPECT_THROW(tx.exec("DELETE FROM instruments WHERE id = " + ys), pqxx::foreign_key_violation);
  }
  pqxx::connection writer_connection(app_url());
  pqxx::work writer(writer_connection);
  writer.exec("INSERT INTO prices (instrument_id, date, close) VALUES (" + ys + ", '2020-01-02', 1)");
  auto deleting = std::async(std::launch::async, [&] {
    pqxx::connection d(app_url());
    pqxx::work tx(d);
    try {
      tx.exec("DELETE FROM instruments WHERE id = " + ys);
      tx.commit();
      return std::string("deleted");
    } catch (const pqxx::foreign_key_violation&) {
      return std::string("refused");
    }
  });
  EXPECT_EQ(deleting.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout);  // waits
  writer.commit();
  EXPECT_EQ(deleting.get(), "refused");
}

// The child tables of the ledger, ALM and what-if sessions are filtered through their parent row:
// a tenant's transaction neither sees nor writes under another tenant's account or session.
TEST_F(PostgresRls, ChildRowsFollowTheirParentsTenant) {
  {
    auto s = open_store(app_url());
    for (const char* tenant : {"acme", "globex"}) {
      s->ledger().create_account(tenant, "ira", ledger::LotMethod::kFifo, false, "USD");
      ledger::Transaction t;
      t.date = Date::parse_or_throw("2024-01-02");
      t.type = ledger::TxType::kDeposit;
      t.price = ledger::Decimal::parse("100").value();
      s->ledger().save_transactions(tenant, "ira", std::vector<ledger::Transaction>{t, t}, false);
      alm::BalanceSheet book;
      alm::PositionTerms terms;
      terms.start_date = terms.maturity_date = terms.first_reset_date = Date::parse_or_throw("2024-01-02");
      terms.currency = book.intern_currency("USD");
      terms.calendar = book.intern_calendar("none");
      book.add(terms, "L1", "loan", "", 2);
      s->alm_sessions().create(tenant, "q4", book, {}, std::nullopt, std::nullopt, "USD", "{}", 3600, 0);
      const auto p = s->find_portfolio(tenant, tenant == std::string("acme") ? "growth" : "income");
      const auto m = s->modelling_sessions().create(tenant, "u", p->id, "m");
      store::ModellingTrade trade;
      trade.position = stock("AAA", 1);
      s->modelling_sessions().add_trades(m.id, {trade});
      s->tags().create(tenant, "core", "");
    }
    s->users().set_preferences("acme", "alice", R"({"theme":"dark"})");
    s->users().set_preferences("globex", "bob", R"({"theme":"light"})");
  }
  pqxx::connection c(app_url());
  std::int64_t globex_account = 0;
  {
    pqxx::work tx(c);
    tx.exec_params("SELECT set_config('keel.tenant', $1, true)", "globex");
    globex_account = tx.exec1("SELECT id FROM ledger_accounts")[0].as<std::int64_t>();
  }
  {
    pqxx::work tx(c);
    tx.exec_params("SELECT set_config('keel.tenant', $1, true)", "acme");
    EXPECT_EQ(count(tx, "SELECT count(*) FROM ledger_accounts"), 1);
    EXPECT_EQ(count(tx, "SELECT count(*) FROM ledger_transactions"), 2);
    EXPECT_EQ(count(tx, "SELECT count(*) FROM alm_sessions"), 1);
    EXPECT_EQ(count(tx, "SELECT count(*) FROM alm_session_positions"), 1);
    EXPECT_EQ(count(tx, "SELECT count(*) FROM modelling_sessions"), 1);
    EXPECT_EQ(count(tx, "SELECT count(*) FROM modelling_trades"), 1);
    EXPECT_EQ(count(tx, "SELECT count(*) FROM tags"), 1);
    EXPECT_EQ(count(tx, "SELECT count(*) FROM user_preferences"), 1);
    EXPECT_EQ(count(tx, "SELECT count(*) FROM user_preferences WHERE preferences LIKE '%light%'"), 0);
    EXPECT_EQ(tx.exec_params("DELETE FROM ledger_transactions WHERE account_id = $1", globex_account)
                  .affected_rows(),
              0u);
  }
  {
    pqxx::work tx(c);
    tx.exec_params("SELECT set_config('keel.tenant', $1, true)", "acme");
    EXPECT_THROW(tx.exec_params("INSERT INTO ledger_transactions (account_id, ordinal, date, type) "
                                "VALUES ($1, 99, '2024-01-03', 'deposit')",
                                globex_account),
                 pqxx::insufficient_privilege);
  }
}

// Store::transaction is SQLite's BEGIN IMMEDIATE on PostgreSQL too: a second one, from another
// store (another server), waits for the first to commit, then sees its rows, so a check it makes
// against stored rows cannot be overtaken.
TEST_F(PostgresRls, StoreTransactionsOfTwoStoresTakeTurns) {
  auto first = open_store(app_url());
  auto second = open_store(app_url());
  std::promise<void> entered;
  std::thread writer([&] {
    first->transaction([&] {
      first->tags().create("acme", "first", "");
      entered.set_value();
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    });
  });
  entered.get_future().wait();
  const auto seen = second->transaction([&] {
    const auto tags = second->tags().list("acme");  // waits for the first transaction's commit
    second->tags().create("acme", "second", "");
    return tags.size();
  });
  writer.join();
  EXPECT_EQ(seen, 1u);
  EXPECT_EQ(second->tags().list("acme").size(), 2u);
}

TEST(PostgresStore, OpeningAnUnmigratedDatabaseSaysToMigrate) {
  auto* cluster = PgCluster::shared();
  KEEL_PG_REQUIRE_OR_SKIP(cluster);
  cluster->admin_exec("postgres", "CREATE DATABASE keel_empty OWNER keel_owner");
  try {
    open_store(cluster->url("keel_empty", "keel_app"));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    EXPECT_NE(std::string(e.what()).find("keel db migrate"), std::string::npos) << e.what();
  }
  // Migrating as the owner, then again (nothing to do), records every migration once.
  const auto first = store::pg::migrate(cluster->url("keel_empty", "keel_owner"), "keel_app");
  EXPECT_EQ(first.from_version, 0);
  EXPECT_EQ(first.applied.size(), store::migrations().size());
  const auto second = store::pg::migrate(cluster->url("keel_empty", "keel_owner"), "keel_app");
  EXPECT_TRUE(second.applied.empty());
  EXPECT_EQ(second.to_version, store::migrations().back().version);
  EXPECT_TRUE(open_store(cluster->url("keel_empty", "keel_app"))->ping());
  // The application role cannot migrate.
  EXPECT_THROW(store::pg::migrate(cluster->url("keel_empty", "keel_app"), "keel_app"), Error);
}

}  // namespace
}  // namespace keel
