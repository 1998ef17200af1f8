// keel/core/env.h: what the service layer may ask of the world outside the process: the time and
// the files named in a request.
//
// Every use case that needs the current time or reads a file named by its caller does so through
// an Env handed to it, never through std::time, system_clock or fopen of its own. The keel command
// gives system_env() (the real clock, files readable); `keel serve` gives server_env() (the real
// clock, no files: an HTTP client cannot make the server read /etc/passwd by naming it in a body);
// tests give fixed_env(...) to pin the clock.
//
// Thread-safety: Clock and Files implementations are immutable after construction and safe to use
// from any thread. Ownership: an Env holds references to objects that outlive it (the factories
// return objects with static storage duration, or the caller owns them).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace keel {

// The wall clock, in UTC.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point now() const = 0;
  // now() as Unix seconds.
  std::int64_t unix_seconds() const;
  // now() as ISO-8601 UTC with seconds, e.g. "2017-12-06T14:03:59Z".
  std::string iso8601() const;
};

// The files a use case may read or write when its request names a path.
class Files {
 public:
  virtual ~Files() = default;
  // Whether requests may name files at all. When false, read/write/exists throw
  // Error::forbidden naming the path (and `what`, the request field that named it).
  virtual bool allowed() const = 0;
  // The whole file. Throws Error::io naming the path when it cannot be read.
  virtual std::string read(const std::string& path, const std::string& what) const = 0;
  // Checks that a path may be opened by a reader that streams it (large CSV, gzip):
  // returns the path when allowed, throws Error::forbidden otherwise.
  virtual const std::string& checked(const std::string& path, const std::string& what) const = 0;
};

struct Env {
  const Clock& clock;
  const Files& files;
};

// The system clock and the local file system (the keel command).
Env system_env();
// The system clock and no file access (`keel serve`).
Env server_env();

// A clock stopped at `at` (tests, and batch runs that must not depend on when they ran).
class FixedClock final : public Clock {
 public:
  explicit FixedClock(std::chrono::system_clock::time_point at) : at_(at) {}
  std::chrono::system_clock::time_point now() const override { return at_; }

 private:
  std::chrono::system_clock::time_point at_;
};

// The clock and file access of system_env() and server_env(), to build an Env from parts.
const Clock& system_clock_source();
const Files& local_files();
const Files& no_files();

}  // namespace keel
