// tests/store/pg_cluster.h: a throwaway PostgreSQL server for the store's tests.
//
// PgCluster::shared() starts one server per test process on first use: initdb into a fresh
// temporary directory (the binaries of the newest /usr/lib/postgresql/<version>/bin, or
// $KEEL_PG_BIN), then pg_ctl start with a Unix socket in that directory and no TCP listener
// (listen_addresses=''), fsync off. As root (CI, containers) the server runs as the `postgres`
// user (or `nobody`) through runuser, since initdb refuses root. It creates the owner role
// keel_owner and the application role keel_app (LOGIN, no BYPASSRLS), and a database
// keel_template migrated by store::pg::migrate. fresh_database() clones the template (one
// database per test, so tests never see each other's rows). The server is stopped and the
// directory removed when the process exits normally (tests failing included).
//
// When the PostgreSQL binaries are missing, shared() returns nullptr and unavailable_reason()
// names the package to install; tests then GTEST_SKIP with that message. When they are present
// but starting or migrating fails, tests FAIL with the reason (KEEL_PG_REQUIRE_OR_SKIP).
//
// Thread-safety: shared() is thread-safe; the rest is for the test's thread.
#pragma once

#include <memory>
#include <string>

// In a test or SetUp: skip when PostgreSQL is not installed, fail when it is but could not start.
#define KEEL_PG_REQUIRE_OR_SKIP(cluster)                                \
  do {                                                                  \
    if (!(cluster)) {                                                   \
      if (::keel::testing::PgCluster::start_failed())                   \
        FAIL() << ::keel::testing::PgCluster::unavailable_reason();     \
      GTEST_SKIP() << ::keel::testing::PgCluster::unavailable_reason(); \
    }                                                                   \
  } while (false)

namespace keel::testing {

// A hot standby of the shared server (PgCluster::start_standby): pg_basebackup -R of the primary
// into its own temporary directory, started with its own Unix socket directory, streaming the
// primary's WAL over the primary's socket (the replication connection initdb's trust rules allow).
// Read-only: every write is refused. Stopped and removed by its destructor.
class PgStandby {
 public:
  ~PgStandby();
  PgStandby(const PgStandby&) = delete;
  PgStandby& operator=(const PgStandby&) = delete;
  // URL of `database` as `role` on the standby.
  std::string url(const std::string& database, const std::string& role) const;
  // Runs SQL as the bootstrap superuser (e.g. SELECT pg_wal_replay_pause()).
  void admin_exec(const std::string& database, const std::string& sql) const;
  // Stops the server at once (-m immediate), as a crash would; the directory stays until destruction.
  void stop() noexcept;

 private:
  friend class PgCluster;
  PgStandby() = default;
  std::string dir_;
  std::string bin_;
  std::string run_as_;
  bool running_ = false;
};

class PgCluster {
 public:
  static PgCluster* shared();
  static const std::string& unavailable_reason();
  // True when the binaries were there but the server or the migrations failed: a test fails then
  // (a migration PostgreSQL refuses, a broken policy) instead of skipping.
  static bool start_failed();

  // A new database cloned from the migrated template; returns its name.
  std::string fresh_database();
  // URL of `database` as `role` over the Unix socket.
  std::string url(const std::string& database, const std::string& role) const;
  // Runs SQL as the bootstrap superuser in `database`.
  void admin_exec(const std::string& database, const std::string& sql) const;
  // A new hot standby of this server, its databases as they are now and following every change
  // (a few seconds: a base backup with a fast checkpoint). Throws std::runtime_error on failure.
  std::unique_ptr<PgStandby> start_standby();

  ~PgCluster();
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

 private:
  PgCluster() = default;
  void start();
  void stop() noexcept;
  std::string dir_;     // temporary directory: data/, the socket, server.log
  std::string bin_;     // .../bin
  std::string run_as_;  // user the server runs as ("" = this process's user)
  bool running_ = false;
  int next_db_ = 0;
};

}  // namespace keel::testing
