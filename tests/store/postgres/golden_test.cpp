// The demo's golden case (tests/cases/cli/demo.test) on PostgreSQL: every command of the demo —
// imports, risk, options, factors, the ledger, planning, ALM sessions, CLO, what-if, the batch
// and its reports — run with a postgresql:// store as the application role must write the same
// files as the case records on SQLite. Its own ctest entry (a minute or so).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <pqxx/pqxx>
#include <regex>
#include <string>
#include <vector>

#include "pg_cluster.h"
#include "process.h"

namespace keel {
namespace {

TEST(GoldenOnPostgres, TheDemoWritesTheGoldenCorpus) {
  auto* cluster = testing::PgCluster::shared();
  KEEL_PG_REQUIRE_OR_SKIP(cluster);
  const std::string database = cluster->fresh_database();
  const std::string url = cluster->url(database, "keel_app");
  const auto r = testing::run_command("/usr/bin/python3 " + std::string(KEEL_SOURCE_DIR) +
                                      "/tests/cases/run_cases.py " + KEEL_BIN + " " + KEEL_SOURCE_DIR +
                                      " cli/demo.test --db '" + url + "'");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("1 files passed, 0 failed"), std::string::npos) << r.out << r.err;
  // The demo's store was this database (not a file): its rows are here.
  pqxx::connection c(cluster->url(database, "keel_owner"));
  pqxx::work tx(c);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM portfolios")[0].as<int>(), 3);  // balanced, hnw, longshort
  EXPECT_GT(tx.exec1("SELECT count(*) FROM ledger_transactions")[0].as<int>(), 0);
  EXPECT_GT(tx.exec1("SELECT count(*) FROM portfolio_snapshots")[0].as<int>(), 0);  // the batch
}

// What the demo does not store: ALM sessions and tags. The same commands on an SQLite file and on
// PostgreSQL print the same JSON (times aside).
TEST(CliParityOnPostgres, AlmSessionsAndTagsPrintTheSameJson) {
  auto* cluster = testing::PgCluster::shared();
  KEEL_PG_REQUIRE_OR_SKIP(cluster);
  const std::string pg = "'" + cluster->url(cluster->fresh_database(), "keel_app") + "'";
  const std::string file = std::filesystem::temp_directory_path() / ("keel_parity_" + std::to_string(::getpid()) + ".db");
  const std::string ex = std::string(KEEL_SOURCE_DIR) + "/examples/";
  const std::string alm = "--balance-sheet " + ex + "alm/balance_sheet.csv --curve " + ex +
                          "alm/ust_par_2020-12-31.csv --curve-type par --rate-units percent --as-of 2020-12-31 "
                          "--tier1 180000000";
  const std::vector<std::string> commands = {
      "import prices " + ex + "market/prices.csv",
      "import positions " + ex + "portfolios/hnw.csv --portfolio hnw",
      "alm session create q4 " + alm + " --ttl 2d",
      "alm session list",
      "alm session show q4",
      "tag add core --description 'long-term holdings'",
      "tag attach core --portfolio hnw --symbols AAPL,MSFT",
      "tag list",
      "exposures --portfolio hnw --by tag",
      "tag delete core",
      "alm session delete q4",
      "alm session list",
  };
  const std::regex times(R"re("(created_at|updated_at|computed_at|last_accessed|expires_at|elapsed_ms)": ("[^"]*"|[0-9.]+))re");
  for (const auto& c : commands) {
    const auto a = testing::run_command(std::string(KEEL_BIN) + " --format json --db " + file + " " + c);
    const auto b = testing::run_command(std::string(KEEL_BIN) + " --format json --db " + pg + " " + c);
    ASSERT_EQ(a.code, 0) << c << ": " << a.err;
    ASSERT_EQ(b.code, 0) << c << ": " << b.err;
    EXPECT_EQ(std::regex_replace(b.out, times, "\"$1\": 0"), std::regex_replace(a.out, times, "\"$1\": 0"))
        << "keel " << c;
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file + suffix);
}

}  // namespace
}  // namespace keel
