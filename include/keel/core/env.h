// keel/core/env.h: what the service layer may ask of the world outside the process: the time and
// the files named in a request.
//
// Every use case that needs the current time or reads a file named by its caller does so through
// an Env handed to it, never through std::time, system_clock or fopen of its own: Files vets a path
// and opens it in one call, and the readers (keel/io) read the ByteSource it returns. The keel
// command gives system_env() (the real clock, files readable); `keel serve` gives server_env() (the
// real clock, no files: an HTTP client cannot make the server read /etc/passwd by naming it in a
// body); tests pin the clock with a FixedClock and hand files over in memory with a MemFiles
// (keel/core/mem_files.h).
//
// Thread-safety: Clock and Files implementations are immutable after construction and safe to use
// from any thread. Ownership: an Env holds references to objects that outlive it (the factories
// return objects with static storage duration, or the caller owns them).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "keel/core/byte_source.h"

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
  // Whether requests may name files at all. When false, open and read throw Error::forbidden
  // naming `what`, the request field that named the path.
  virtual bool allowed() const = 0;
  // Opens `path` for a reader that streams it (large CSV, gzip): its raw bytes, named `path` in
  // messages. Throws Error::forbidden when files may not be named, not_found "PATH: no such file"
  // when it does not exist, invalid_input naming the path when it is not a regular file (a
  // directory, a device, a FIFO: nothing that could hang or read forever) or cannot be opened.
  virtual std::unique_ptr<ByteSource> open(const std::string& path, const std::string& what) const = 0;
  // The whole file, through open(): the same refusals, and invalid_input naming the path when a
  // read fails.
  std::string read(const std::string& path, const std::string& what) const;
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
