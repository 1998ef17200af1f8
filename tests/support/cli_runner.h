// tests/support/cli_runner.h: runs the real keel binary (KEEL_BIN, defined for the test binaries
// that link against it) and captures what it prints; the runner of every test that drives the
// command line.
#pragma once

#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "process.h"
#include "store_cache.h"

#ifndef KEEL_BIN
#error "cli_runner.h needs KEEL_BIN (the path of the keel binary) defined by the build"
#endif

namespace keel::testing {

using CliResult = CommandResult;

// Runs `keel <args>` through the shell (args are shell words; quote paths with spaces), with
// `input` on standard input (nothing: /dev/null).
inline CliResult run_keel(const std::string& args, const std::string& input = "") {
  return run_command(std::string(KEEL_BIN) + " " + args, input);
}

// The sqlite3 command's answer to `query` on the store at `db_path`, trailing newlines removed.
inline std::string sqlite_query(const std::string& db_path, const std::string& query) {
  std::string out = command_output("sqlite3 " + db_path + " \"" + query + "\" 2>&1");
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

inline std::string source_path(const std::string& relative) {
  return std::string(KEEL_SOURCE_DIR) + "/" + relative;
}

// The store that `keel --db PATH --quiet <command>` for each of `commands` makes, built once per
// test run and cached (store_cache.h), keyed by the keel binary and every file the commands name:
// the path of the cached file, to copy (StoreCopy) before a test reads or writes it. Throws
// std::runtime_error naming the command that failed.
inline std::string cached_keel_store(const std::string& key, const std::vector<std::string>& commands) {
  std::vector<std::string> inputs = {KEEL_BIN};
  for (const auto& c : commands) {
    std::istringstream words(c);
    std::string w;
    while (words >> w) {
      std::error_code ec;
      if (std::filesystem::is_regular_file(w, ec)) inputs.push_back(w);
    }
  }
  return cached_store(key, inputs, [&](const std::string& path) {
    for (const auto& c : commands) {
      const CliResult r = run_keel("--db " + path + " --quiet " + c);
      if (r.code != 0) {
        throw std::runtime_error("keel " + c + " exited with " + std::to_string(r.code) + ": " + r.err);
      }
    }
  });
}

}  // namespace keel::testing
