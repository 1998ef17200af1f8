// tests/support/process.h: the one way tests run another program (the keel binary, a Python peer,
// sqlite3) and capture what it prints. Header-only; POSIX (popen/posix_spawn).
//
// Thread-safety: each call uses its own pipe and temporary file, so tests may run commands from
// several threads at once.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;

namespace keel::testing {

struct CommandResult {
  int code = -1;    // exit status; -1 when the command could not start or died of a signal
  std::string out;  // standard output
  std::string err;  // standard error (empty when the command redirects it itself)
};

// Runs `command` through /bin/sh (its words are shell words: quote paths with spaces) with
// `input` on standard input (nothing: /dev/null), and returns its exit status, stdout and stderr.
inline CommandResult run_command(const std::string& command, const std::string& input = "") {
  static std::atomic<int> counter{0};
  const auto stem = std::filesystem::temp_directory_path() /
                    ("keel_test_cmd_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  const std::string err_path = stem.string() + ".err";
  const std::string in_path = stem.string() + ".in";
  std::string cmd = command + " 2>" + err_path;
  if (input.empty()) {
    cmd += " </dev/null";
  } else {
    std::ofstream(in_path, std::ios::binary) << input;
    cmd += " <" + in_path;
  }
  CommandResult r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p != nullptr) {
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    const int status = ::pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::ifstream e(err_path, std::ios::binary);
  std::stringstream ss;
  ss << e.rdbuf();
  r.err = ss.str();
  std::filesystem::remove(err_path);
  std::filesystem::remove(in_path);
  return r;
}

// What a shell command prints on stdout (and stderr, when the command redirects it there).
inline std::string command_output(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) return out;
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  return out;
}

// Starts `argv[0]` with `argv` (no shell) and stdout/stderr sent to /dev/null, without waiting:
// the child's pid, or -1. For tests that signal a process mid-work; reap it with ::waitpid.
inline pid_t spawn_quiet(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  if (posix_spawn(&pid, args[0], &fa, nullptr, args.data(), environ) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&fa);
  return pid;
}

// Processes a test started (spawn_quiet), stopped at the end whatever happens: SIGTERM, then
// SIGKILL after 5 s.
struct Processes {
  std::vector<pid_t> pids;
  pid_t start(const std::vector<std::string>& argv) {
    const pid_t pid = spawn_quiet(argv);
    if (pid > 0) pids.push_back(pid);
    return pid;
  }
  ~Processes() {
    for (pid_t p : pids) ::kill(p, SIGTERM);
    for (pid_t p : pids) {
      int status = 0;
      for (int i = 0; i < 100 && ::waitpid(p, &status, WNOHANG) == 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      if (::waitpid(p, &status, WNOHANG) == 0) {
        ::kill(p, SIGKILL);
        ::waitpid(p, &status, 0);
      }
    }
  }
};

// A loopback TCP port free at the time of the call (the kernel's pick), for a server a test starts.
inline int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t n = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n);
  const int port = ntohs(a.sin_port);
  ::close(fd);
  return port;
}

// Debian's Python (the peers' interpreter) with `module` importable.
inline bool python_has(const std::string& module) {
  return std::filesystem::exists("/usr/bin/python3") &&
         run_command("/usr/bin/python3 -c 'import " + module + "'").code == 0;
}

}  // namespace keel::testing
