// Zip entries from memory through minizip's custom I/O callbacks (keel/marketdata/zip.h).
#include <fmt/format.h>
#include <unzip.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>

#include "keel/core/error.h"
#include "keel/marketdata/zip.h"
#include "keel/core/strings.h"

namespace keel::marketdata {
namespace {

struct Memory {
  std::string_view data;
  ZPOS64_T pos = 0;
};

voidpf ZCALLBACK mem_open(voidpf opaque, const void*, int mode) {
  if (mode & ZLIB_FILEFUNC_MODE_WRITE) return nullptr;
  static_cast<Memory*>(opaque)->pos = 0;
  return opaque;
}
uLong ZCALLBACK mem_read(voidpf, voidpf stream, void* buf, uLong size) {
  auto* m = static_cast<Memory*>(stream);
  const ZPOS64_T left = m->pos < m->data.size() ? m->data.size() - m->pos : 0;
  const uLong n = static_cast<uLong>(std::min<ZPOS64_T>(left, size));
  if (n) std::memcpy(buf, m->data.data() + m->pos, n);
  m->pos += n;
  return n;
}
uLong ZCALLBACK mem_write(voidpf, voidpf, const void*, uLong) { return 0; }
ZPOS64_T ZCALLBACK mem_tell(voidpf, voidpf stream) { return static_cast<Memory*>(stream)->pos; }
long ZCALLBACK mem_seek(voidpf, voidpf stream, ZPOS64_T offset, int origin) {
  auto* m = static_cast<Memory*>(stream);
  ZPOS64_T base = 0;
  if (origin == ZLIB_FILEFUNC_SEEK_CUR) base = m->pos;
  else if (origin == ZLIB_FILEFUNC_SEEK_END) base = m->data.size();
  else if (origin != ZLIB_FILEFUNC_SEEK_SET) return -1;
  if (base + offset > m->data.size()) return -1;
  m->pos = base + offset;
  return 0;
}
int ZCALLBACK mem_close(voidpf, voidpf) { return 0; }
int ZCALLBACK mem_error(voidpf, voidpf) { return 0; }

struct Closer {
  void operator()(void* z) const { unzClose(z); }
};
using Archive = std::unique_ptr<void, Closer>;

Archive open_archive(Memory& mem, const std::string& what) {
  zlib_filefunc64_def f{};
  f.zopen64_file = mem_open;
  f.zread_file = mem_read;
  f.zwrite_file = mem_write;
  f.ztell64_file = mem_tell;
  f.zseek64_file = mem_seek;
  f.zclose_file = mem_close;
  f.zerror_file = mem_error;
  f.opaque = &mem;
  unzFile z = unzOpen2_64("memory", &f);
  if (z == nullptr) throw Error::invalid_input(what + ": not a zip archive (or a truncated one)");
  return Archive(z);
}

std::string lower(const std::string& s) { return to_lower(s); }

// An entry's name as messages show it: printable UTF-8 whatever the archive holds.
std::string entry_label(std::string_view raw) { return shown_with(raw, 200, 0); }

// The archive's current entry (`info`, `raw_name`), inflated and CRC-checked.
ZipEntry read_current(unzFile z, const unz_file_info64& info, const char* raw_name, const std::string& what) {
  // The entry's name is the archive's bytes: shown as printable UTF-8 in every message and as the
  // entry's name (callers name the entry's text by it).
  const std::string name = entry_label(raw_name);
  if (info.flag & 1u) throw Error::invalid_input(what + ": entry " + name + " is encrypted (not supported)");
  if (info.uncompressed_size > (512u << 20)) throw Error::invalid_input(what + ": entry " + name + " is over 512 MiB");
  if (unzOpenCurrentFile(z) != UNZ_OK) throw Error::invalid_input(what + ": cannot open entry " + name);
  ZipEntry e{name, {}};
  e.data.reserve(static_cast<std::size_t>(info.uncompressed_size));
  char buf[65536];
  for (;;) {
    const int got = unzReadCurrentFile(z, buf, sizeof buf);
    if (got < 0) {
      unzCloseCurrentFile(z);
      throw Error::invalid_input(fmt::format("{}: entry {} is damaged (inflate error {})", what, name, got));
    }
    if (got == 0) break;
    e.data.append(buf, static_cast<std::size_t>(got));
    if (e.data.size() > info.uncompressed_size) break;  // more than it declared: a damaged or hostile entry
  }
  // unzCloseCurrentFile checks the CRC once the whole entry was read.
  if (unzCloseCurrentFile(z) != UNZ_OK || e.data.size() != info.uncompressed_size) {
    throw Error::invalid_input(what + ": entry " + name + " failed its CRC or size check (damaged download?)");
  }
  return e;
}

bool ends_with_lower(const std::string& name, const std::string& suffix) {
  const std::string n = to_lower(name);
  return n.size() >= suffix.size() && n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::vector<std::string> zip_entry_names(std::string_view archive, const std::string& what) {
  Memory mem{archive};
  Archive z = open_archive(mem, what);
  std::vector<std::string> names;
  for (int rc = unzGoToFirstFile(z.get()); rc == UNZ_OK; rc = unzGoToNextFile(z.get())) {
    unz_file_info64 info{};
    char name[512] = {0};
    if (unzGetCurrentFileInfo64(z.get(), &info, name, sizeof name - 1, nullptr, 0, nullptr, 0) != UNZ_OK) {
      throw Error::invalid_input(what + ": damaged zip directory");
    }
    names.emplace_back(name);
  }
  return names;
}

ZipEntry zip_find_entry(std::string_view archive, const std::string& suffix, const std::string& what) {
  Memory mem{archive};
  Archive z = open_archive(mem, what);
  const std::string want = lower(suffix);
  std::vector<std::string> seen;
  for (int rc = unzGoToFirstFile(z.get()); rc == UNZ_OK; rc = unzGoToNextFile(z.get())) {
    unz_file_info64 info{};
    char name[512] = {0};
    if (unzGetCurrentFileInfo64(z.get(), &info, name, sizeof name - 1, nullptr, 0, nullptr, 0) != UNZ_OK) {
      throw Error::invalid_input(what + ": damaged zip directory");
    }
    seen.push_back(entry_label(name));
    if (!ends_with_lower(name, want)) continue;
    return read_current(z.get(), info, name, what);
  }
  std::string list;
  for (const auto& s : seen) list += (list.empty() ? "" : ", ") + s;
  throw Error::invalid_input(what + ": no entry ending in " + suffix + " (entries: " + (list.empty() ? "none" : list) + ")");
}


std::vector<ZipEntry> zip_read_entries(std::string_view archive, const std::string& suffix, const std::string& what,
                                       std::size_t max_total_bytes) {
  Memory mem{archive};
  Archive z = open_archive(mem, what);
  const std::string want = lower(suffix);
  std::vector<ZipEntry> out;
  std::size_t total = 0;
  for (int rc = unzGoToFirstFile(z.get()); rc == UNZ_OK; rc = unzGoToNextFile(z.get())) {
    unz_file_info64 info{};
    char name[512] = {0};
    if (unzGetCurrentFileInfo64(z.get(), &info, name, sizeof name - 1, nullptr, 0, nullptr, 0) != UNZ_OK) {
      throw Error::invalid_input(what + ": damaged zip directory");
    }
    const std::string n(name);
    const auto slash = n.find_last_of('/');
    const std::string base = slash == std::string::npos ? n : n.substr(slash + 1);
    // Folders, and what archivers add beside the files (macOS resource forks).
    if (n.empty() || n.back() == '/' || n.rfind("__MACOSX/", 0) == 0 || base.rfind("._", 0) == 0) continue;
    if (!ends_with_lower(n, want)) continue;
    total += static_cast<std::size_t>(info.uncompressed_size);
    if (total > max_total_bytes) {
      throw Error::invalid_input(fmt::format("{}: the entries ending in {} inflate to over {} MiB", what, suffix,
                                             max_total_bytes >> 20));
    }
    out.push_back(read_current(z.get(), info, name, what));
  }
  return out;
}

}  // namespace keel::marketdata
