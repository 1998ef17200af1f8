// Durability of imports: `kill -9` during a large import at random moments, and concurrent
// imports. After each, SQLite's integrity check passes and the store holds either everything it
// held before or everything after, never part of a file; an exit code says which.
// The input is generated here (no dependency on market data outside the repository).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "../support/cli_runner.h"

extern char** environ;

namespace keel::testing {
namespace {

namespace fs = std::filesystem;

std::string tmp_path(const std::string& name) {
  return (fs::temp_directory_path() / ("keel_durability_" + std::to_string(::getpid()) + "_" + name)).string();
}

std::string sql(const std::string& db, const std::string& query) { return sqlite_query(db, query); }

long count_prices(const std::string& db) { return std::stol(sql(db, "SELECT COUNT(*) FROM prices")); }

// `rows` price rows of symbols named <prefix>0.. (250 days each), long layout.
void write_prices(const std::string& path, const std::string& prefix, int rows) {
  std::ofstream out(path);
  out << "date,symbol,close,volume\n";
  for (int i = 0; i < rows; ++i) {
    const int day = i % 250;
    char date[16];
    std::snprintf(date, sizeof date, "%04d-%02d-%02d", 2015 + day / 240, (day % 240) / 20 + 1, day % 20 + 1);
    out << date << ',' << prefix << i / 250 << ',' << 100 + (i % 97) * 0.25 << ',' << 1000 + i << '\n';
  }
}

pid_t spawn_keel(const std::vector<std::string>& args) {
  std::vector<std::string> all = {KEEL_BIN};
  all.insert(all.end(), args.begin(), args.end());
  return spawn_quiet(all);
}

int wait_code(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

TEST(ImportDurability, KillNineAtRandomMomentsLeavesAllOrNothing) {
  TempDb db("kill9");
  const int rows = 25'000;
  // Calibrate: how long one whole import takes on this machine now.
  const std::string first = tmp_path("first.csv");
  write_prices(first, "A", rows);
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(wait_code(spawn_keel({"--db", db.path(), "-q", "import", "prices", first})), 0);
  const double full_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  fs::remove(first);
  ASSERT_EQ(count_prices(db.path()), rows);

  std::mt19937 rng(20261123);
  std::uniform_real_distribution<double> when(0.0, 1.1 * full_ms);
  long expected = rows;
  int killed = 0, completed = 0;
  for (int round = 0; round < 6; ++round) {
    // New symbols each round, so "after" differs from "before" by exactly `rows` rows.
    const std::string path = tmp_path("round.csv");
    write_prices(path, "K" + std::string(1, static_cast<char>('A' + round)), rows);
    const pid_t pid = spawn_keel({"--db", db.path(), "-q", "import", "prices", path});
    ASSERT_GT(pid, 0);
    std::this_thread::sleep_for(std::chrono::microseconds(static_cast<long>(1000 * when(rng))));
    ::kill(pid, SIGKILL);
    const int code = wait_code(pid);
    fs::remove(path);
    EXPECT_EQ(sql(db.path(), "PRAGMA integrity_check"), "ok") << "round " << round;
    const long now = count_prices(db.path());
    if (code == 0) {
      ++completed;
      EXPECT_EQ(now, expected + rows) << "round " << round << ": exit 0 but not every row stored";
      expected += rows;
    } else {
      ++killed;
      EXPECT_EQ(code, -SIGKILL);
      EXPECT_TRUE(now == expected || now == expected + rows) << "round " << round << ": " << now << " rows";
      expected = now;  // killed after COMMIT: everything is there
    }
  }
  EXPECT_GT(killed, 0) << "no import was interrupted (" << completed << " completed)";
}

TEST(ImportDurability, TwoConcurrentImportsEachStoreAllOrNothing) {
  TempDb db("concurrent");
  const std::string a = tmp_path("a.csv"), b = tmp_path("b.csv");
  write_prices(a, "CA", 30'000);
  write_prices(b, "CB", 20'000);
  const pid_t pa = spawn_keel({"--db", db.path(), "-q", "import", "prices", a});
  const pid_t pb = spawn_keel({"--db", db.path(), "-q", "import", "prices", b});
  const int ca = wait_code(pa), cb = wait_code(pb);
  EXPECT_EQ(sql(db.path(), "PRAGMA integrity_check"), "ok");
  // Exit 0 means stored; exit 1 (the other writer held the lock past the busy timeout) means not.
  EXPECT_TRUE(ca == 0 || ca == 1) << ca;
  EXPECT_TRUE(cb == 0 || cb == 1) << cb;
  EXPECT_EQ(count_prices(db.path()), (ca == 0 ? 30'000 : 0) + (cb == 0 ? 20'000 : 0));
  EXPECT_EQ(sql(db.path(), "SELECT COUNT(*) FROM prices p JOIN instruments i ON i.id = p.instrument_id "
                           "WHERE i.symbol LIKE 'CA%'"),
            ca == 0 ? "30000" : "0");
  fs::remove(a);
  fs::remove(b);
}

}  // namespace
}  // namespace keel::testing
