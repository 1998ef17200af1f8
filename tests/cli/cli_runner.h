// tests/cli/cli_runner.h: runs the real keel binary (KEEL_BIN) and captures what it prints.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace keel::testing {

struct CliResult {
  int code = -1;
  std::string out;
  std::string err;
};

// Runs `keel <args>` through the shell (args are shell words; quote paths with spaces).
inline CliResult run_keel(const std::string& args) {
  static std::atomic<int> counter{0};  // tests run the command from several threads at once
  const auto err_path = std::filesystem::temp_directory_path() /
                        ("keel_cli_err_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  const std::string cmd = std::string(KEEL_BIN) + " " + args + " 2>" + err_path.string() + " </dev/null";
  CliResult r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = ::pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream e(err_path);
  std::stringstream ss;
  ss << e.rdbuf();
  r.err = ss.str();
  std::filesystem::remove(err_path);
  return r;
}

// What a shell command prints on stdout (and stderr, when the command redirects it there).
inline std::string command_output(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  return out;
}

// The sqlite3 command's answer to `query` on the store at `db_path`, trailing newlines removed.
inline std::string sqlite_query(const std::string& db_path, const std::string& query) {
  std::string out = command_output("sqlite3 " + db_path + " \"" + query + "\" 2>&1");
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

inline std::string source_path(const std::string& relative) { return std::string(KEEL_SOURCE_DIR) + "/" + relative; }

// A fresh database path in the temp directory, removed (with its WAL files) on destruction.
class TempDb {
 public:
  explicit TempDb(const std::string& tag)
      : path_((std::filesystem::temp_directory_path() / ("keel_cli_" + tag + "_" + std::to_string(::getpid()) + ".db"))
                  .string()) {
    remove();
  }
  ~TempDb() { remove(); }
  const std::string& path() const { return path_; }

 private:
  void remove() {
    for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + s);
  }
  std::string path_;
};

}  // namespace keel::testing
