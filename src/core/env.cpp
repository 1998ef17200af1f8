#include "keel/core/env.h"

#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>
#include <system_error>

#include "keel/core/error.h"

namespace keel {

std::int64_t Clock::unix_seconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(now().time_since_epoch()).count();
}

std::string Clock::iso8601() const {
  const std::time_t t = static_cast<std::time_t>(unix_seconds());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

namespace {

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override { return std::chrono::system_clock::now(); }
};

class LocalFiles final : public Files {
 public:
  bool allowed() const override { return true; }
  std::string read(const std::string& path, const std::string& what) const override {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error::not_found(path + ": cannot open " + what + " (" + std::error_code(errno, std::generic_category()).message() + ")");
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) throw Error::invalid_input(path + ": read error");
    return ss.str();
  }
  const std::string& checked(const std::string& path, const std::string&) const override { return path; }
};

class NoFiles final : public Files {
 public:
  bool allowed() const override { return false; }
  [[noreturn]] static void refuse(const std::string& what) {
    throw Error::forbidden(what + ": files cannot be named in this request (upload the content instead)");
  }
  std::string read(const std::string&, const std::string& what) const override { refuse(what); }
  const std::string& checked(const std::string&, const std::string& what) const override { refuse(what); }
};

}  // namespace

const Clock& system_clock_source() {
  static const SystemClock clock;
  return clock;
}
const Files& local_files() {
  static const LocalFiles files;
  return files;
}
const Files& no_files() {
  static const NoFiles files;
  return files;
}
Env system_env() { return {system_clock_source(), local_files()}; }
Env server_env() { return {system_clock_source(), no_files()}; }

}  // namespace keel
