// End-to-end tests of `keel db backup` and `keel db copy` on SQLite stores (the PostgreSQL ends of
// `db copy` are tested against a throwaway server in tests/store/postgres/store_copy_test.cpp).
// Expected values are the rows the examples put in the store, counted by the sqlite3 command.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "../support/cli_runner.h"

namespace {

using keel::testing::run_keel;
using keel::testing::source_path;
using keel::testing::sqlite_query;
using keel::testing::TempDb;
using nlohmann::json;

TEST(DbCli, BackupWritesACheckedCopyAndKeepsAnExistingFile) {
  TempDb db("db_backup");
  TempDb copy("db_backup_copy");
  const std::string g = "--db " + db.path() + " --quiet --format json ";
  ASSERT_EQ(run_keel(g + "import prices " + source_path("examples/market/prices.csv")).code, 0);
  ASSERT_EQ(run_keel(g + "import positions " + source_path("examples/portfolios/hnw.csv") + " --portfolio hnw").code,
            0);
  auto r = run_keel(g + "db backup --to " + copy.path());
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["backend"], "sqlite");
  EXPECT_EQ(j["path"], copy.path());
  EXPECT_GT(j["bytes"].get<long>(), 0);
  EXPECT_EQ(sqlite_query(copy.path(), "SELECT count(*) FROM prices"), sqlite_query(db.path(), "SELECT count(*) FROM prices"));
  EXPECT_EQ(sqlite_query(copy.path(), "PRAGMA integrity_check"), "ok");
  // The file exists now: refused (exit 1) unless --force.
  r = run_keel(g + "db backup --to " + copy.path());
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("--force"), std::string::npos) << r.err;
  EXPECT_EQ(run_keel(g + "db backup --to " + copy.path() + " --force").code, 0);
  // A PostgreSQL store is backed up with pg_dump: a usage error naming it.
  r = run_keel("--db postgresql://nobody@/nowhere --quiet db backup --to " + copy.path() + ".x");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("pg_dump"), std::string::npos) << r.err;
}

TEST(DbCli, CopyMovesEveryTableAndRefusesANonEmptyTarget) {
  TempDb src("db_copy_src");
  TempDb dst("db_copy_dst");
  const std::string g = "--db " + src.path() + " --quiet --format json ";
  ASSERT_EQ(run_keel(g + "import prices " + source_path("examples/market/prices.csv")).code, 0);
  ASSERT_EQ(run_keel(g + "import positions " + source_path("examples/portfolios/balanced.csv") +
                     " --portfolio balanced")
                .code,
            0);
  auto r = run_keel("--quiet --format json db copy --from sqlite:" + src.path() + " --to sqlite:" + dst.path());
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  const std::string prices = sqlite_query(src.path(), "SELECT count(*) FROM prices");
  long reported = -1;
  for (const auto& t : j["tables"]) {
    if (t["table"] == "prices") reported = t["rows"].get<long>();
  }
  EXPECT_EQ(std::to_string(reported), prices);
  EXPECT_EQ(j["replaced_rows"], 0);
  // The same rows, the same ids.
  const std::string q = "SELECT group_concat(p.id || ':' || i.symbol || ':' || p.quantity, ',') FROM positions p "
                        "JOIN instruments i ON i.id = p.instrument_id";
  EXPECT_EQ(sqlite_query(dst.path(), q), sqlite_query(src.path(), q));
  // Again: the target holds rows now (exit 1), unless --replace.
  r = run_keel("--quiet db copy --from sqlite:" + src.path() + " --to sqlite:" + dst.path());
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("--replace"), std::string::npos) << r.err;
  EXPECT_EQ(run_keel("--quiet db copy --from sqlite:" + src.path() + " --to sqlite:" + dst.path() + " --replace").code,
            0);
  EXPECT_EQ(sqlite_query(dst.path(), "SELECT count(*) FROM prices"), prices);
  // A missing source (exit 3) and an unknown scheme (exit 2).
  EXPECT_EQ(run_keel("--quiet db copy --from sqlite:/nonexistent/keel.db --to sqlite:" + dst.path()).code, 3);
  EXPECT_EQ(run_keel("--quiet db copy --from mysql://x/y --to sqlite:" + dst.path()).code, 2);
}

}  // namespace
