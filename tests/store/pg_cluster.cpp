#include "pg_cluster.h"

#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "keel/store/postgresql.h"

namespace keel::testing {
namespace {

namespace fs = std::filesystem;

std::string& reason() {
  static std::string r;
  return r;
}
bool failed = false;

// The bin directory of the newest installed PostgreSQL, or "".
std::string find_bin() {
  if (const char* env = std::getenv("KEEL_PG_BIN"); env && *env) return env;
  std::string best;
  int best_version = -1;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    const std::string name = e.path().filename().string();
    if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) continue;
    if (!fs::exists(e.path() / "bin" / "initdb")) continue;
    const int v = std::stoi(name);
    if (v > best_version) {
      best_version = v;
      best = (e.path() / "bin").string();
    }
  }
  return best;
}

// Runs argv (as `user` through runuser when given), output appended to `log`. Returns the status.
int run(const std::vector<std::string>& argv, const std::string& user, const std::string& log) {
  std::vector<std::string> full;
  if (!user.empty()) full = {"runuser", "-u", user, "--"};
  full.insert(full.end(), argv.begin(), argv.end());
  const pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    FILE* f = std::fopen(log.c_str(), "a");
    if (f) {
      dup2(fileno(f), 1);
      dup2(fileno(f), 2);
    }
    std::vector<char*> args;
    for (auto& a : full) args.push_back(a.data());
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string tail_of(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  return s.size() > 2000 ? s.substr(s.size() - 2000) : s;
}

}  // namespace

const std::string& PgCluster::unavailable_reason() {
  return reason();
}
bool PgCluster::start_failed() { return failed; }

PgCluster* PgCluster::shared() {
  static std::once_flag once;
  static std::unique_ptr<PgCluster> cluster;
  std::call_once(once, [] {
    if (!store::pg::available()) {
      reason() = "keel was built without PostgreSQL (libpqxx-dev; scripts/setup)";
      return;
    }
    const std::string bin = find_bin();
    if (bin.empty()) {
      reason() =
          "no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb): install the Debian package "
          "`postgresql` (scripts/setup)";
      return;
    }
    std::unique_ptr<PgCluster> c(new PgCluster());
    c->bin_ = bin;
    try {
      c->start();
      cluster = std::move(c);
    } catch (const std::exception& e) {
      reason() = std::string("could not start or migrate a PostgreSQL server for the tests: ") + e.what();
      failed = true;
    }
  });
  return cluster.get();
}

namespace {

// A new directory for a throwaway server: in /dev/shm (memory) when it can be written, so that the
// tests' databases do not wait on a disk that the compilers of a build beside them keep busy;
// /tmp otherwise.
std::string make_server_dir(const std::string& name) {
  const std::string parent = access("/dev/shm", W_OK | X_OK) == 0 ? "/dev/shm" : "/tmp";
  std::string tmpl = parent + "/" + name + "-XXXXXX";
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp " + tmpl + " failed");
  return tmpl;
}

}  // namespace

void PgCluster::start() {
  dir_ = make_server_dir("keel-pg");
  const std::string log = dir_ + "/setup.log";
  if (geteuid() == 0) {
    // initdb and postgres refuse to run as root: run them as an unprivileged user.
    struct passwd* pw = getpwnam("postgres");
    if (!pw) pw = getpwnam("nobody");
    if (!pw) throw std::runtime_error("running as root and neither user postgres nor nobody exists");
    run_as_ = pw->pw_name;
    if (chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0)
      throw std::runtime_error("chown of " + dir_ + " failed");
  }
  const std::string data = dir_ + "/data";
  if (run({bin_ + "/initdb", "-D", data, "-U", "keel_admin", "--auth=trust", "-E", "UTF8", "--no-locale",
           "--no-sync"},
          run_as_, log) != 0) {
    throw std::runtime_error("initdb failed:\n" + tail_of(log));
  }
  const std::string opts = "-k " + dir_ +
                           " -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
                           "-c full_page_writes=off -c max_connections=200";
  if (run({bin_ + "/pg_ctl", "-D", data, "-l", dir_ + "/server.log", "-w", "-t", "30", "-o", opts, "start"},
          run_as_, log) != 0) {
    throw std::runtime_error("pg_ctl start failed:\n" + tail_of(log) + tail_of(dir_ + "/server.log"));
  }
  running_ = true;
  admin_exec("postgres", "CREATE ROLE keel_owner LOGIN; CREATE ROLE keel_app LOGIN NOSUPERUSER NOBYPASSRLS");
  admin_exec("postgres", "CREATE DATABASE keel_template OWNER keel_owner");
  store::pg::migrate(url("keel_template", "keel_owner"), "keel_app");
}

void PgCluster::stop() noexcept {
  if (running_) {
    run({bin_ + "/pg_ctl", "-D", dir_ + "/data", "-m", "immediate", "-w", "stop"}, run_as_,
        dir_ + "/setup.log");
    running_ = false;
  }
  if (!dir_.empty()) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
}

PgCluster::~PgCluster() {
  stop();
}

std::string PgCluster::url(const std::string& database, const std::string& role) const {
  // A socket directory goes in the host parameter (percent-encoding needed only for the path form).
  return "postgresql://" + role + "@/" + database + "?host=" + dir_;
}

void PgCluster::admin_exec(const std::string& database, const std::string& sql) const {
  pqxx::connection c(url(database, "keel_admin"));
  pqxx::nontransaction tx(c);
  tx.exec(sql);
}

std::unique_ptr<PgStandby> PgCluster::start_standby() {
  std::unique_ptr<PgStandby> s(new PgStandby());
  s->dir_ = make_server_dir("keel-pg-standby");
  s->bin_ = bin_;
  s->run_as_ = run_as_;
  const std::string log = s->dir_ + "/setup.log";
  if (!run_as_.empty()) {
    struct passwd* pw = getpwnam(run_as_.c_str());
    if (!pw || chown(s->dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
      throw std::runtime_error("chown of " + s->dir_ + " failed");
    }
  }
  const std::string data = s->dir_ + "/data";
  if (run({bin_ + "/pg_basebackup", "-D", data, "-R", "-X", "stream", "-c", "fast", "--no-sync", "-h", dir_, "-U",
           "keel_admin"},
          run_as_, log) != 0) {
    throw std::runtime_error("pg_basebackup failed:\n" + tail_of(log));
  }
  const std::string opts = "-k " + s->dir_ +
                           " -c listen_addresses='' -c fsync=off -c full_page_writes=off -c max_connections=200 "
                           "-c hot_standby=on";
  if (run({bin_ + "/pg_ctl", "-D", data, "-l", s->dir_ + "/server.log", "-w", "-t", "60", "-o", opts, "start"},
          run_as_, log) != 0) {
    throw std::runtime_error("pg_ctl start of the standby failed:\n" + tail_of(log) + tail_of(s->dir_ + "/server.log"));
  }
  s->running_ = true;
  return s;
}

std::string PgStandby::url(const std::string& database, const std::string& role) const {
  return "postgresql://" + role + "@/" + database + "?host=" + dir_;
}

void PgStandby::admin_exec(const std::string& database, const std::string& sql) const {
  pqxx::connection c(url(database, "keel_admin"));
  pqxx::nontransaction tx(c);
  tx.exec(sql);
}

void PgStandby::stop() noexcept {
  if (!running_) return;
  run({bin_ + "/pg_ctl", "-D", dir_ + "/data", "-m", "immediate", "-w", "stop"}, run_as_, dir_ + "/setup.log");
  running_ = false;
}

PgStandby::~PgStandby() {
  stop();
  if (!dir_.empty()) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
}

std::string PgCluster::fresh_database() {
  const std::string name = "keel_t" + std::to_string(++next_db_);
  admin_exec("postgres", "CREATE DATABASE " + name + " TEMPLATE keel_template OWNER keel_owner");
  return name;
}

}  // namespace keel::testing
