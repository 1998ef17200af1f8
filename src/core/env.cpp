#include "keel/core/env.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <utility>

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

// A regular file on disk, read through its descriptor.
class FdSource final : public ByteSource {
 public:
  FdSource(std::string name, int fd, std::uint64_t size) : name_(std::move(name)), fd_(fd), size_(size) {}
  ~FdSource() override { ::close(fd_); }
  FdSource(const FdSource&) = delete;
  FdSource& operator=(const FdSource&) = delete;

  std::size_t read(char* out, std::size_t capacity) override {
    std::size_t total = 0;
    while (total < capacity) {
      const ssize_t n = ::read(fd_, out + total, capacity - total);
      if (n < 0) {
        if (errno == EINTR) continue;
        throw Error::invalid_input(name_ + ": read error: " + std::strerror(errno));
      }
      if (n == 0) break;
      total += static_cast<std::size_t>(n);
    }
    return total;
  }
  const std::string& name() const override { return name_; }
  std::optional<std::uint64_t> size() const override { return size_; }

 private:
  std::string name_;
  int fd_;
  std::uint64_t size_;
};

class LocalFiles final : public Files {
 public:
  bool allowed() const override { return true; }
  std::unique_ptr<ByteSource> open(const std::string& path, const std::string&) const override {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      if (errno == ENOENT || errno == ENOTDIR) throw Error::not_found(path + ": no such file");
      throw Error::invalid_input(path + ": cannot open: " + std::strerror(errno));
    }
    if (S_ISDIR(st.st_mode)) throw Error::invalid_input(path + ": is a directory, expected a file");
    if (!S_ISREG(st.st_mode)) {
      throw Error::invalid_input(path + ": not a regular file (a device, FIFO or socket): keel reads regular files only");
    }
    // O_NONBLOCK: should the path be swapped for a FIFO after the check, open() must not wait for
    // a writer; the fstat below then refuses it.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) throw Error::invalid_input(path + ": cannot open: " + std::strerror(errno));
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd);
      throw Error::invalid_input(path + ": not a regular file: keel reads regular files only");
    }
    return std::make_unique<FdSource>(path, fd, static_cast<std::uint64_t>(st.st_size));
  }
};

class NoFiles final : public Files {
 public:
  bool allowed() const override { return false; }
  std::unique_ptr<ByteSource> open(const std::string&, const std::string& what) const override {
    throw Error::forbidden(what + ": files cannot be named in this request (upload the content instead)");
  }
};

class MemorySource final : public ByteSource {
 public:
  MemorySource(std::string name, std::string bytes) : name_(std::move(name)), bytes_(std::move(bytes)) {}
  std::size_t read(char* out, std::size_t capacity) override {
    const std::size_t n = std::min(capacity, bytes_.size() - pos_);
    if (n > 0) std::memcpy(out, bytes_.data() + pos_, n);
    pos_ += n;
    return n;
  }
  const std::string& name() const override { return name_; }
  std::optional<std::uint64_t> size() const override { return bytes_.size(); }

 private:
  std::string name_;
  std::string bytes_;
  std::size_t pos_ = 0;
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
std::unique_ptr<ByteSource> memory_source(std::string name, std::string bytes) {
  return std::make_unique<MemorySource>(std::move(name), std::move(bytes));
}

std::string Files::read(const std::string& path, const std::string& what) const {
  const std::unique_ptr<ByteSource> src = open(path, what);
  std::string out;
  std::size_t used = 0;
  for (;;) {
    if (out.size() - used < (std::size_t{1} << 16)) out.resize(std::max<std::size_t>(2 * out.size(), std::size_t{1} << 17));
    const std::size_t n = src->read(out.data() + used, out.size() - used);
    if (n == 0) break;
    used += n;
  }
  out.resize(used);
  return out;
}

Env system_env() { return {system_clock_source(), local_files()}; }
Env server_env() { return {system_clock_source(), no_files()}; }

}  // namespace keel
