// The key file source of the master key (keel/vault/master_key_source.h): one line of base64 in a
// file of mode 0600, written so that a crash never leaves a half-written key in place.
#include <fcntl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include "keel/core/error.h"
#include "keel/vault/master_key_source.h"

namespace keel::vault {
namespace {

namespace fs = std::filesystem;

std::string errno_text(int e) {
  return std::strerror(e);
}

std::string mode_text(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

// A string whose buffer is wiped when it goes (key text).
struct WipedText {
  std::string s;
  ~WipedText() {
    if (!s.empty()) sodium_memzero(s.data(), s.size());
  }
};

// Makes the key file's folder (and missing parents) with mode 0700.
void make_folder(const fs::path& folder) {
  if (folder.empty()) return;
  std::error_code ec;
  if (fs::is_directory(folder, ec)) return;
  make_folder(folder.parent_path());
  if (::mkdir(folder.c_str(), 0700) != 0 && errno != EEXIST) {
    throw Error::internal("cannot create the folder of the master key file " + folder.string() + ": " +
                          errno_text(errno));
  }
}

void sync_folder(const fs::path& file) {
  const fs::path folder = file.has_parent_path() ? file.parent_path() : fs::path(".");
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

// Writes `text` + "\n" to a new file at `path` (which must not exist), mode 0600, flushed to disk.
void write_new(const fs::path& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) throw Error::internal("cannot create " + path.string() + ": " + errno_text(errno));
  bool ok = ::fchmod(fd, 0600) == 0;
  const std::string line = text + "\n";
  std::size_t done = 0;
  while (ok && done < line.size()) {
    const ssize_t n = ::write(fd, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<std::size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    throw Error::internal("cannot write " + path.string() + ": " + errno_text(saved));
  }
}

class KeyFileSource final : public MasterKeySource {
 public:
  explicit KeyFileSource(std::string path) : path_(std::move(path)), pending_(path_.string() + ".new") {}

  SourceKind kind() const override { return SourceKind::kFile; }
  std::string where() const override { return "key file " + path_.string(); }
  std::string unavailable_reason() override { return ""; }
  bool writable() const override { return true; }

  std::optional<MasterKey> load() override { return read(path_); }
  std::optional<MasterKey> load_pending() override { return read(pending_); }

  MasterKey create(const MasterKey& key) override {
    if (auto in_place = load()) return std::move(*in_place);
    make_folder(path_.parent_path());
    // Written under a private name, then linked to the key file's name: link() fails when the name
    // exists, so of two processes creating a key at once one wins and the other reads its key.
    const fs::path temp = fmt::format("{}.tmp.{}", path_.string(), ::getpid());
    ::unlink(temp.c_str());
    WipedText text{key.to_text()};
    write_new(temp, text.s);
    const int linked = ::link(temp.c_str(), path_.c_str());
    const int saved = errno;
    ::unlink(temp.c_str());
    if (linked != 0 && saved != EEXIST) {
      throw Error::internal("cannot create the master key file " + path_.string() + ": " + errno_text(saved));
    }
    sync_folder(path_);
    auto in_place = load();
    if (!in_place)
      throw Error::internal("the master key file " + path_.string() + " vanished while it was created");
    return std::move(*in_place);
  }

  void save_pending(const MasterKey& key) override {
    make_folder(path_.parent_path());
    ::unlink(pending_.c_str());  // a stale one from a rotation that stopped before re-sealing
    WipedText text{key.to_text()};
    write_new(pending_, text.s);
    sync_folder(pending_);
  }

  void promote_pending() override {
    if (::rename(pending_.c_str(), path_.c_str()) != 0) {
      throw Error::internal("cannot put the new master key in place (rename " + pending_.string() + " to " +
                            path_.string() + "): " + errno_text(errno));
    }
    sync_folder(path_);
  }

  void discard_pending() override {
    ::unlink(pending_.c_str());
    sync_folder(pending_);
  }

  void erase() override {
    if (::unlink(path_.c_str()) != 0 && errno != ENOENT) {
      throw Error::internal("cannot remove the old master key file " + path_.string() + ": " +
                            errno_text(errno));
    }
    sync_folder(path_);
  }

 private:
  // The key in `path`, nullopt when there is no such file; refuses a file others may read.
  static std::optional<MasterKey> read(const fs::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT) return std::nullopt;
      if (errno == ELOOP) {
        throw Error::invalid_input("master key file " + path.string() +
                                   " is a symbolic link: keel reads only a regular file there");
      }
      throw Error::internal("cannot read the master key file " + path.string() + ": " + errno_text(errno));
    }
    struct Closer {
      int fd;
      ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
      throw Error::internal("cannot read the master key file " + path.string() + ": " + errno_text(errno));
    }
    if (!S_ISREG(st.st_mode)) {
      throw Error::invalid_input("master key file " + path.string() + " is not a regular file");
    }
    if ((st.st_mode & 07777 & ~static_cast<mode_t>(0600)) != 0) {
      throw Error::invalid_input("master key file " + path.string() + " has mode " + mode_text(st.st_mode) +
                                 ", wider than 0600: others could read the key. Run chmod 600 " +
                                 path.string() +
                                 " if no one else could have read it, else rotate the master key "
                                 "(keel keys rotate-master) after fixing the mode");
    }
    if (st.st_uid != ::geteuid()) {
      throw Error::invalid_input(
          fmt::format("master key file {} belongs to user id {}, not to the user running keel ({})",
                      path.string(), st.st_uid, ::geteuid()));
    }
    // A key is 45 bytes; anything much longer is not a key file (and is not read whole).
    constexpr std::size_t kMaxBytes = 4096;
    WipedText text;
    text.s.resize(kMaxBytes + 1);
    std::size_t got = 0;
    while (got < text.s.size()) {
      const ssize_t n = ::read(fd, text.s.data() + got, text.s.size() - got);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0)
        throw Error::internal("cannot read the master key file " + path.string() + ": " + errno_text(errno));
      if (n == 0) break;
      got += static_cast<std::size_t>(n);
    }
    if (got > kMaxBytes) {
      throw Error::invalid_input(fmt::format(
          "{}:1:1: expected a 32-byte key as 44 base64 characters, found a file of more than {} bytes",
          path.string(), kMaxBytes));
    }
    return parse_master_key(std::string_view(text.s.data(), got), path.string());
  }

  fs::path path_;
  fs::path pending_;
};

}  // namespace

std::unique_ptr<MasterKeySource> make_file_source(std::string path) {
  return std::make_unique<KeyFileSource>(std::move(path));
}

}  // namespace keel::vault
