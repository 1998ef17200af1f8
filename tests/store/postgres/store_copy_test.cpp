// keel db copy's engine (store::copy_store) between SQLite and a throwaway PostgreSQL: a store with
// a row in every kind of table goes to PostgreSQL and back into a new SQLite file, and every table
// of the result equals the original value for value (ids, tenants, exact decimals and doubles);
// the PostgreSQL copy answers the application role as the SQLite original does. Then what the copy
// refuses: a non-empty target (unless told), a bad row (nothing kept), the application role.
#include "keel/store/store_copy.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <pqxx/pqxx>

#include "keel/core/error.h"
#include "keel/store/alm_repository.h"
#include "keel/store/audit_repository.h"
#include "keel/store/job_repository.h"
#include "keel/store/ledger_repository.h"
#include "keel/store/ledger_snapshot_repository.h"
#include "keel/store/market_data_repository.h"
#include "keel/store/migrations.h"
#include "keel/store/modelling_repository.h"
#include "keel/store/snapshot_repository.h"
#include "keel/store/store.h"
#include "keel/store/tag_repository.h"
#include "keel/store/user_repository.h"
#include "pg_cluster.h"
#include "sqlite_connection.h"

namespace keel::store {
namespace {

namespace fs = std::filesystem;
using keel::testing::PgCluster;

std::string temp_file(const std::string& name) {
  const auto p = fs::temp_directory_path() / ("keel_copy_test_" + std::to_string(::getpid()) + "_" + name);
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(p.string() + suffix);
  return p.string();
}

Date d(const char* text) {
  return Date::parse_or_throw(text);
}

ledger::Transaction ltx(const char* date, ledger::TxType type, const char* symbol, const char* qty,
                        const char* price) {
  ledger::Transaction t;
  t.date = d(date);
  t.type = type;
  t.symbol = symbol;
  t.quantity = ledger::Decimal::parse(qty).value();
  t.price = ledger::Decimal::parse(price).value();
  return t;
}

// One or more rows in every table keel has, for two tenants, through the store's own API.
void fill(Store& s) {
  Position stock;
  stock.symbol = "AAPL";
  stock.quantity = 0.1 + 0.2;  // not a short decimal: the double must survive as its exact value
  stock.tags = {"core", "us"};
  stock.entry_price = 150.123456789;
  Position call;
  call.symbol = "AAPL180615C00150000";
  call.quantity = -3;
  call.type = InstrumentType::kOption;
  call.underlying = "AAPL";
  call.strike = 150;
  call.expiry = d("2018-06-15");
  call.option_type = OptionRight::kCall;
  call.multiplier = 100;
  call.dividend_yield = 0.015;
  const auto book = s.save_portfolio("acme", "growth", {stock, call}, "growth.csv");
  s.save_portfolio("globex", "income", {stock}, "income.csv");
  PriceRows prices;
  prices.symbols = {"AAPL", "MSFT"};
  for (int i = 0; i < 40; ++i) {
    prices.symbol_index.push_back(static_cast<std::uint32_t>(i % 2));
    prices.date.push_back(d("2021-01-04").add_days(i / 2));
    prices.close.push_back(100.0 / 3.0 + i);
    prices.adj_close.push_back(i % 3 ? kMissing : 1.0 / 7.0);
    prices.open.push_back(kMissing);
    prices.high.push_back(101.5);
    prices.low.push_back(99.25);
    prices.volume.push_back(1e6 + i);
  }
  s.upsert_prices(prices);
  s.upsert_symbol_info({{"AAPL", "Apple Inc.", "Information Technology", "Hardware"}});
  FactorTable f;
  f.names = {"mkt", "smb"};
  f.dates = {d("2021-01-04"), d("2021-01-05")};
  f.values = {0.0123, -0.0045, 0.0001, 1e-9};
  s.upsert_factors("ff", f);
  CurveData c;
  c.name = "ust";
  c.as_of = d("2021-01-04");
  c.kind = CurveKind::kPar;
  c.points = {{"1Y", 1.0, 0.0011}, {"10Y", 10.0, 0.0093}};
  s.save_curve(c);
  s.users().add("alice", "acme", Role::kAnalyst, "$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA");
  s.users().add("bob", "globex", Role::kAdmin, "$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA");
  AuditEntry e;
  e.username = "alice";
  e.tenant = "acme";
  e.action = "portfolio.create";
  e.details = "{\"rows\":2}";
  s.audit().append(e);
  e.tenant = "";
  e.username = "cli:root";
  s.audit().append(e);
  const auto job = s.jobs().enqueue("acme", "alice", "risk.var", "{\"portfolio\":\"growth\"}", 3, 100);
  const auto claimed = s.jobs().claim_next({"w:1", 200, 200000, 30000});
  s.jobs().succeed({job, claimed->attempts}, "{\"var\":1}", std::string("\x01\x00\xff", 3));
  s.jobs().enqueue("globex", "bob", "risk.var", "{}", 1, 300);
  s.results().put("acme", book.id, "var", "{\"var_amount\":12.5}");
  s.tags().create("acme", "watch", "long-term holdings");  // "core" and "us" came with the positions
  auto& ledger = s.ledger();
  ledger.create_account("acme", "ira", ledger::LotMethod::kHifo, false, "USD");
  auto buy = ltx("2021-01-04", ledger::TxType::kBuy, "AAPL", "0.12345678", "129.41");
  buy.fees = ledger::Decimal::parse("0.01").value();
  buy.note = "tab\there, \"quoted\", back\\slash";
  auto split = ltx("2021-06-01", ledger::TxType::kSplit, "AAPL", "0", "0");
  split.split_ratio = ledger::SplitRatio{4, 1};
  ledger.save_transactions("acme", "ira", std::vector<ledger::Transaction>{buy, split}, false);
  LedgerSnapshot ls;
  ls.tenant = "acme";
  ls.account = "ira";
  ls.as_of = d("2021-06-30");
  ls.net_worth = ledger::Decimal::parse("1234.56789012").value();
  s.ledger_snapshots().save(ls);
  PortfolioSnapshot ps;
  ps.tenant = "acme";
  ps.portfolio = "growth";
  ps.as_of = d("2021-01-05");
  ps.var_amount = 1234.5678;
  ps.report_json = "{}";
  s.snapshots().save(ps);
  const auto m = s.modelling_sessions().create("acme", "alice", book.id, "hedge");
  ModellingTrade t;
  t.position = call;
  t.price = 4.39;
  t.origin = "trades.csv:2";
  s.modelling_sessions().add_trades(m.id, {t});
  alm::BalanceSheet bs;
  bs.source = "bs.csv";
  alm::PositionTerms terms;
  terms.notional = 1e6 / 3;
  terms.rate = 0.0425;
  terms.start_date = terms.first_reset_date = d("2021-01-04");
  terms.maturity_date = d("2031-01-04");
  terms.currency = bs.intern_currency("USD");
  terms.calendar = bs.intern_calendar("none");
  bs.add(terms, "L1", "loan", "", 2);
  alm::ShockTable shocks;
  shocks.rows = {{"USD", 200, 300, 150}};
  shocks.source = "shocks.csv";
  const auto alm = s.alm_sessions().create("acme", "q4", bs, {{"USD", c}}, shocks, d("2021-01-04"), "USD",
                                           "{}", 3600, 1000);
  s.alm_sessions().save_result(alm.id, "eve", "{\"delta_eve\":-1.5}", 1100);
  MarketDataWrite w;
  w.source = "yahoo";
  CorporateAction a;
  a.symbol = "AAPL";
  a.ex_date = d("2020-08-31");
  a.split_ratio = 4;
  w.actions.push_back(a);
  w.coverage.push_back({"prices", "AAPL", "yahoo", d("2021-01-04"), d("2021-01-23"), ""});
  s.market_data().save_fetch(w);
}

// Every row of every table of an SQLite store, each value with its storage class, in a fixed order.
std::map<std::string, std::vector<std::string>> dump(const std::string& path) {
  SqliteConnection db(path);
  std::vector<std::string> tables;
  {
    auto st = db.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> "
        "'schema_version'");
    while (st.step()) tables.push_back(st.get_text(0));
  }
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& t : tables) {
    int columns = 0;
    {
      auto info = db.prepare("SELECT count(*) FROM pragma_table_info(?)");
      info.bind(1, t);
      info.step();
      columns = static_cast<int>(info.get_int(0));
    }
    SqliteStatement st(db, "SELECT * FROM \"" + t + "\"");
    std::vector<std::string> rows;
    while (st.step()) {
      std::string row;
      for (int c = 0; c < columns; ++c) {
        const auto type = st.type(c);
        if (type == SqliteStatement::Type::kReal) {
          char buf[32];
          std::snprintf(buf, sizeof buf, "%a", st.get_double(c));  // every bit of the double
          row += std::string("R") + buf + "|";
        } else if (type == SqliteStatement::Type::kNull) {
          row += "N|";
        } else {
          row += (type == SqliteStatement::Type::kInteger ? "I" : "T") + std::string(st.text(c)) + "|";
        }
      }
      rows.push_back(row);
    }
    std::sort(rows.begin(), rows.end());
    out[t] = rows;
  }
  return out;
}

class PostgresCopy : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = PgCluster::shared();
    KEEL_PG_REQUIRE_OR_SKIP(cluster_);
    db_ = cluster_->fresh_database();
  }
  std::string owner() const { return cluster_->url(db_, "keel_owner"); }
  std::string app() const { return cluster_->url(db_, "keel_app"); }
  PgCluster* cluster_ = nullptr;
  std::string db_;
};

TEST_F(PostgresCopy, SqliteToPostgresAndBackKeepsEveryValue) {
  const std::string original = temp_file("original.db");
  const FixedClock clock(std::chrono::sys_seconds(std::chrono::seconds(1614834367)));
  {
    auto s = open_store(original, clock);
    fill(*s);
  }
  const CopyReport there = copy_store("sqlite:" + original, owner());
  EXPECT_EQ(there.from, "sqlite:" + original);
  EXPECT_EQ(there.schema_version, migrations().back().version);
  EXPECT_EQ(there.replaced_rows, 0u);
  // Parents before children.
  std::vector<std::string> order;
  for (const auto& t : there.tables) order.push_back(t.table);
  auto at = [&](const char* name) { return std::find(order.begin(), order.end(), name) - order.begin(); };
  EXPECT_LT(at("tenants"), at("portfolios"));
  EXPECT_LT(at("portfolios"), at("positions"));
  EXPECT_LT(at("instruments"), at("prices"));
  EXPECT_LT(at("ledger_accounts"), at("ledger_transactions"));
  EXPECT_LT(at("alm_sessions"), at("alm_session_positions"));

  // The application role sees on PostgreSQL what the SQLite store answers.
  auto sqlite = open_store(original, clock);
  auto pg = open_store(app(), clock);
  for (const char* tenant : {"acme", "globex"}) {
    ASSERT_EQ(pg->list_portfolios(tenant).size(), sqlite->list_portfolios(tenant).size());
    for (const auto& p : sqlite->list_portfolios(tenant)) {
      const auto q = *pg->find_portfolio(tenant, p.name);
      EXPECT_EQ(q.id, p.id);
      EXPECT_EQ(q.created_at, p.created_at);
      const auto a = sqlite->positions(tenant, p.name);
      const auto b = pg->positions(tenant, p.name);
      ASSERT_EQ(a.size(), b.size());
      for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].quantity, b[i].quantity);  // bit for bit: 0.30000000000000004
        EXPECT_EQ(a[i].tags, b[i].tags);
        EXPECT_EQ(a[i].dividend_yield, b[i].dividend_yield);
      }
    }
  }
  const auto ha =
      sqlite->price_history({"AAPL", "MSFT"}, std::nullopt, std::nullopt, PriceField::kAdjustedClose);
  const auto hb = pg->price_history({"AAPL", "MSFT"}, std::nullopt, std::nullopt, PriceField::kAdjustedClose);
  ASSERT_EQ(ha.values.size(), hb.values.size());
  for (std::size_t i = 0; i < ha.values.size(); ++i) EXPECT_EQ(ha.values[i], hb.values[i]) << i;
  EXPECT_EQ(pg->ledger().transactions("acme", "ira")[0].note, "tab\there, \"quoted\", back\\slash");
  EXPECT_EQ(pg->ledger().transactions("acme", "ira")[0].quantity,
            ledger::Decimal::parse("0.12345678").value());
  EXPECT_EQ(pg->ledger_snapshots().list("acme", "ira")[0].net_worth,
            ledger::Decimal::parse("1234.56789012").value());
  EXPECT_EQ(pg->users().find("bob")->tenant, "globex");
  EXPECT_EQ(pg->users().find("bob")->password_hash, sqlite->users().find("bob")->password_hash);
  const auto session = pg->alm_sessions().load("acme", "q4", 1100);  // its last access: the row stays equal
  EXPECT_EQ(session.book.terms[0].notional, 1e6 / 3);
  EXPECT_EQ(pg->alm_sessions().result(session.info.id, "eve"),
            std::optional<std::string>("{\"delta_eve\":-1.5}"));
  EXPECT_EQ(pg->modelling_sessions().list("acme")[0].trades, 1u);
  EXPECT_EQ(pg->jobs().list("globex", std::nullopt, 10, std::nullopt).size(), 1u);
  EXPECT_EQ(pg->market_data().coverage("prices", "AAPL")->provider, "yahoo");
  // Identity sequences moved past the copied ids: new rows get new ids.
  const auto fresh = pg->save_portfolio("acme", "new", {}, "test");
  EXPECT_GT(fresh.id, pg->find_portfolio("globex", "income")->id);
  pg->delete_portfolio("acme", "new");
  pg.reset();

  // And back into a new SQLite file: every table equals the original, value for value.
  const std::string back = temp_file("back.db");
  const CopyReport home = copy_store(owner(), "sqlite:" + back);
  EXPECT_EQ(home.rows, there.rows);
  const auto want = dump(original);
  const auto got = dump(back);
  ASSERT_EQ(want.size(), got.size());
  for (const auto& [table, rows] : want) {
    EXPECT_EQ(got.at(table), rows) << table;
  }
  EXPECT_GT(want.at("prices").size(), 0u);
  EXPECT_EQ(want.at("audit_log").size(), 2u);  // the entry of no tenant too: the owner reads it
}

TEST_F(PostgresCopy, ANonEmptyTargetIsRefusedUnlessReplaced) {
  const std::string src = temp_file("src.db");
  {
    auto s = open_store(src);
    fill(*s);
  }
  copy_store("sqlite:" + src, owner());
  try {
    copy_store("sqlite:" + src, owner());
    FAIL() << "expected a refusal";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    EXPECT_NE(std::string(e.what()).find("--replace"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("portfolios (2 rows)"), std::string::npos) << e.what();
  }
  const CopyReport again = copy_store("sqlite:" + src, owner(), {.replace = true});
  EXPECT_GT(again.replaced_rows, 0u);
  // The audit log was replaced, and its append-only trigger is back for every role.
  pqxx::connection c(owner());
  pqxx::work tx(c);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM audit_log")[0].as<int>(), 2);
  EXPECT_THROW(tx.exec("UPDATE audit_log SET outcome = 'changed'"), pqxx::sql_error);
}

TEST_F(PostgresCopy, ARefusedRowKeepsNothingOfTheCopy) {
  const std::string src = temp_file("bad.db");
  {
    auto s = open_store(src);
    fill(*s);
  }
  {
    // SQLite keeps text in an INTEGER column; PostgreSQL's bigint refuses it.
    SqliteConnection db(src);
    db.exec("UPDATE positions SET ordinal = 'first' WHERE ordinal = 0");
  }
  try {
    copy_store("sqlite:" + src, owner());
    FAIL() << "expected the copy to fail";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("positions"), std::string::npos) << e.what();
  }
  pqxx::connection c(owner());
  pqxx::work tx(c);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM portfolios")[0].as<int>(), 0);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM tenants")[0].as<int>(), 1);  // the new store's own `default`
}

TEST_F(PostgresCopy, TheApplicationRoleAndAMissingSourceAreRefused) {
  const std::string src = temp_file("small.db");
  open_store(src)->save_portfolio("acme", "p", {}, "t");
  try {
    copy_store("sqlite:" + src, app());
    FAIL() << "expected a refusal";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kForbidden);
    EXPECT_NE(std::string(e.what()).find("owner"), std::string::npos) << e.what();
  }
  EXPECT_THROW(copy_store("sqlite:" + temp_file("absent.db"), owner()), Error);
  EXPECT_THROW(copy_store("sqlite:" + src, "sqlite:" + src), Error);
  EXPECT_THROW(copy_store("mysql://x", owner()), Error);
}

}  // namespace
}  // namespace keel::store
