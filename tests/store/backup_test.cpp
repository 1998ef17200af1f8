// keel db backup's engine (store::backup_sqlite): SQLite's online backup of a store in use. The
// expected contents are what was committed before the backup began, counted in the copy.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "keel/core/error.h"
#include "keel/store/ledger_repository.h"
#include "keel/store/migrations.h"
#include "keel/store/store.h"
#include "keel/store/store_copy.h"
#include "sqlite_connection.h"

namespace keel::store {
namespace {

namespace fs = std::filesystem;

std::string temp_path(const std::string& name) {
  return (fs::temp_directory_path() / ("keel_backup_test_" + std::to_string(::getpid()) + "_" + name))
      .string();
}

void remove_store(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
}

std::int64_t count(SqliteConnection& db, const std::string& table) {
  return db.prepare("SELECT count(*) FROM " + table).first_int();
}

TEST(SqliteBackup, CopiesWhatIsCommittedWhileAnotherConnectionWrites) {
  const std::string db_path = temp_path("live.db");
  const std::string backup = temp_path("copy.db");
  remove_store(db_path);
  remove_store(backup);
  {
    auto s = open_store(db_path);
    Position p;
    p.symbol = "AAA";
    p.quantity = 10;
    s->save_portfolio("acme", "book", {p, p}, "test");
    s->ledger().create_account("acme", "ira", ledger::LotMethod::kFifo, false, "USD");
  }
  // A writer on another connection holds an open transaction during the backup: its rows are not
  // committed, so the copy must not hold them, and the backup must not wait for it.
  SqliteConnection writer(db_path);
  writer.exec("BEGIN IMMEDIATE");
  writer.exec(
      "INSERT INTO tags (tenant, name, created_at) VALUES ('acme', 'uncommitted', '2024-01-01T00:00:00Z')");
  const BackupReport r = backup_sqlite(db_path, backup);
  writer.exec("COMMIT");
  EXPECT_EQ(r.path, backup);
  EXPECT_GT(r.bytes, 0);
  EXPECT_EQ(r.schema_version, migrations().back().version);
  {
    SqliteConnection copy(backup);
    EXPECT_EQ(count(copy, "portfolios"), 1);
    EXPECT_EQ(count(copy, "positions"), 2);
    EXPECT_EQ(count(copy, "ledger_accounts"), 1);
    EXPECT_EQ(count(copy, "tags"), 0);
    auto st = copy.prepare("PRAGMA integrity_check");
    ASSERT_TRUE(st.step());
    EXPECT_EQ(st.get_text(0), "ok");
  }
  EXPECT_FALSE(fs::exists(backup + ".partial"));
  // An existing file is kept unless the caller says to replace it.
  try {
    backup_sqlite(db_path, backup);
    ADD_FAILURE() << "expected a refusal";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    EXPECT_NE(std::string(e.what()).find("--force"), std::string::npos) << e.what();
  }
  backup_sqlite(db_path, backup, true);
  {
    SqliteConnection copy(backup);
    EXPECT_EQ(count(copy, "tags"), 1);  // committed since
  }
  EXPECT_THROW(backup_sqlite(temp_path("missing.db"), temp_path("never.db")), Error);
  remove_store(db_path);
  remove_store(backup);
}

}  // namespace
}  // namespace keel::store
