// tests/support/store_cache.h: expensive test stores built once and copied, and temporary
// database paths.
//
// ctest runs every test in its own process, so a store that a GoogleTest fixture imports in
// SetUpTestSuite is imported again for each test. `cached_store` builds it once for the whole
// test run instead: the first process that asks for a key builds the SQLite file under a file
// lock, in the temporary directory; every later process (and test) copies it (`StoreCopy`) in a
// few milliseconds. The cached file's name carries a fingerprint of what it was built from (size
// and modification time of the test binary, of the keel binary when given, and of the input
// files), so a rebuild or an edited example builds a fresh one; older versions of the same key
// are removed.
//
// Thread-safety: safe across processes (flock) and threads (each build holds the lock).
#pragma once

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace keel::testing {

// A fresh database path in the temp directory, removed (with its WAL files) on destruction.
class TempDb {
 public:
  explicit TempDb(const std::string& tag)
      : path_(
            (std::filesystem::temp_directory_path() / ("keel_test_" + tag + "_" + std::to_string(::getpid()) +
                                                       "_" + std::to_string(counter()++) + ".db"))
                .string()) {
    remove();
  }
  TempDb(TempDb&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  TempDb(const TempDb&) = delete;
  TempDb& operator=(const TempDb&) = delete;
  TempDb& operator=(TempDb&&) = delete;
  ~TempDb() { remove(); }
  const std::string& path() const { return path_; }

 private:
  static std::atomic<int>& counter() {
    static std::atomic<int> c{0};
    return c;
  }
  void remove() {
    if (path_.empty()) return;
    std::error_code ec;
    for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + s, ec);
  }
  std::string path_;
};

namespace detail {

inline std::string stamp(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  const auto time = std::filesystem::last_write_time(path, ec);
  return path + ":" + std::to_string(size) + ":" + std::to_string(time.time_since_epoch().count()) + ";";
}

inline std::string hex(std::size_t h) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 16; ++i, h >>= 4) s.insert(s.begin(), digits[h & 15]);
  return s;
}

}  // namespace detail

// The path of the SQLite file that `build(path)` writes for `key` (a file name stem), built at
// most once per fingerprint: the test binary itself and every file of `inputs` (the example
// files imported, the keel binary that imports them). `build` must leave a closed database at
// `path` (no open connection, WAL checkpointed) and report failures with a gtest assertion or an
// exception; the file is published only when `build` returns normally and wrote it.
// Treat the returned file as read-only: open a StoreCopy of it to write.
inline std::string cached_store(const std::string& key, const std::vector<std::string>& inputs,
                                const std::function<void(const std::string&)>& build) {
  namespace fs = std::filesystem;
  std::string fingerprint = detail::stamp(fs::read_symlink("/proc/self/exe").string());
  for (const auto& i : inputs) fingerprint += detail::stamp(i);
  const fs::path dir = fs::temp_directory_path() / ("keel_test_cache_" + std::to_string(::getuid()));
  fs::create_directories(dir);
  const std::string stem = key + "-" + detail::hex(std::hash<std::string>{}(fingerprint));
  const fs::path db = dir / (stem + ".db");
  if (fs::exists(db)) return db.string();

  const int lock = ::open((dir / (stem + ".lock")).c_str(), O_CREAT | O_RDWR, 0600);
  if (lock >= 0) ::flock(lock, LOCK_EX);
  if (!fs::exists(db)) {
    const std::string building = (dir / (stem + ".building." + std::to_string(::getpid()))).string();
    std::error_code ec;
    for (const char* s : {"", "-wal", "-shm"}) fs::remove(building + s, ec);
    try {
      build(building);
    } catch (...) {
      for (const char* s : {"", "-wal", "-shm"}) fs::remove(building + s, ec);
      if (lock >= 0) ::close(lock);
      throw;
    }
    if (fs::exists(building)) {
      fs::rename(building, db, ec);
      for (const char* s : {"-wal", "-shm"}) fs::remove(building + s, ec);
    }
    // Versions of this key built from other binaries or inputs, unused for an hour.
    const auto hour_ago = fs::file_time_type::clock::now() - std::chrono::hours(1);
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      const std::string name = e.path().filename().string();
      if (name.rfind(key + "-", 0) == 0 && name.rfind(stem, 0) != 0 && e.last_write_time(ec) < hour_ago) {
        fs::remove(e.path(), ec);
      }
    }
  }
  if (lock >= 0) ::close(lock);  // releases the flock
  return db.string();
}

// A private, writable copy of a cached store (or of any database file), removed on destruction.
class StoreCopy {
 public:
  StoreCopy(const std::string& from, const std::string& tag) : db_(tag) {
    std::filesystem::copy_file(from, db_.path(), std::filesystem::copy_options::overwrite_existing);
  }
  const std::string& path() const { return db_.path(); }

 private:
  TempDb db_;
};

}  // namespace keel::testing
