// The input every reader reads files through (see keel/io/input.h).
#include "keel/io/input.h"

#include <fmt/format.h>
#include <libdeflate.h>
#include <zlib.h>

#include <cerrno>
#include <cstdlib>
#include <algorithm>
#include <cstring>
#include <memory>
#include <new>
#include <string_view>
#include <utility>
#include <string>

#include "keel/core/error.h"
#include "keel/core/memory.h"

namespace keel::io {
namespace {

std::string bytes_text(std::uint64_t n) {
  if (n >= (std::uint64_t{1} << 30) && n % (std::uint64_t{1} << 30) == 0)
    return fmt::format("{} GiB", n >> 30);
  if (n >= (std::uint64_t{1} << 20) && n % (std::uint64_t{1} << 20) == 0)
    return fmt::format("{} MiB", n >> 20);
  return fmt::format("{} bytes", n);
}

constexpr std::size_t kRawChunk = std::size_t{1} << 18;
// gzip files up to this size (compressed) are decompressed whole.
constexpr std::uint64_t kWholeFileGzip = std::uint64_t{1} << 30;

}  // namespace

std::uint64_t max_input_bytes() {
  const char* env = std::getenv("KEEL_MAX_INPUT_BYTES");
  if (env == nullptr || *env == '\0') return kDefaultMaxInputBytes;
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(env, &end, 10);
  if (errno != 0 || end == env || v == 0) return kDefaultMaxInputBytes;
  std::uint64_t scale = 1;
  if (*end == 'K' || *end == 'k') scale = std::uint64_t{1} << 10;
  else if (*end == 'M' || *end == 'm') scale = std::uint64_t{1} << 20;
  else if (*end == 'G' || *end == 'g') scale = std::uint64_t{1} << 30;
  else if (*end != '\0') return kDefaultMaxInputBytes;
  if (v > UINT64_MAX / scale) return UINT64_MAX;
  return v * scale;
}

// Named rather than anonymous: Input::Inflate, declared in the header, holds two (GCC's
// -Wsubobject-linkage, which a unity build's batch raises).
namespace input_detail {

// A large uninitialised buffer (the whole gzip file and its decompressed text: nothing is zeroed
// in user space before it is written).
class BigBuffer {
 public:
  BigBuffer() = default;
  // Tens of MB written once front to back: one page fault per 2 MiB instead of per 4 KiB.
  explicit BigBuffer(std::size_t n) : p_(new char[n]), n_(n) { advise_huge_pages(p_, n); }
  BigBuffer(BigBuffer&& o) noexcept : p_(std::exchange(o.p_, nullptr)), n_(std::exchange(o.n_, 0)) {}
  BigBuffer& operator=(BigBuffer&& o) noexcept {
    if (this != &o) {
      release();
      p_ = std::exchange(o.p_, nullptr);
      n_ = std::exchange(o.n_, 0);
    }
    return *this;
  }
  BigBuffer(const BigBuffer&) = delete;
  BigBuffer& operator=(const BigBuffer&) = delete;
  ~BigBuffer() { release(); }
  char* data() const { return p_; }
  std::size_t size() const { return n_; }
  // Hands the memory over to the caller (who frees it with delete[]).
  char* release_data() {
    n_ = 0;
    return std::exchange(p_, nullptr);
  }
  void release() {
    delete[] p_;
    p_ = nullptr;
    n_ = 0;
  }

 private:
  char* p_ = nullptr;
  std::size_t n_ = 0;
};

}  // namespace input_detail

using input_detail::BigBuffer;

struct Input::Inflate {
  z_stream zs{};
  std::string in;  // raw bytes read but not yet consumed by inflate: in[pos, size)
  bool initialised = false;
  bool stream_open = false;  // inside a member (header seen, end not yet)
  // Whole-file mode (libdeflate): the decompressed file, handed out from `whole_pos`.
  BigBuffer whole;
  std::size_t whole_size = 0;
  std::size_t whole_pos = 0;
  bool whole_mode = false;
  bool whole_done = false;  // the whole-file output was handed out completely
  // The file's bytes read for whole-file mode, when it refused them: zlib streams them first.
  BigBuffer pending;
  std::size_t pending_size = 0;
  std::size_t pending_pos = 0;
  ~Inflate() {
    if (initialised) inflateEnd(&zs);
  }
};

namespace {

// Deflate's largest expansion (a run of one byte: 258-byte matches in about 2 bits each).
constexpr std::uint64_t kDeflateMaxRatio = 1032;

// Decompresses every member of the gzip file `in` into `out` (its size in `out_size`) with
// libdeflate (several times faster than zlib's streaming inflate). False on anything it does not
// accept (corrupt or truncated data, trailing bytes, more than `max_bytes`): the caller then
// streams the file through zlib, whose messages say what is wrong and where.
bool inflate_whole(std::string_view in, std::uint64_t max_bytes, BigBuffer& out, std::size_t& out_size) {
  if (in.size() < 18) return false;
  // ISIZE of the last member: the exact size of a single-member file under 4 GiB; more room is
  // made (doubling) when it is not enough.
  const auto* tail = reinterpret_cast<const unsigned char*>(in.data() + in.size() - 4);
  std::uint64_t guess = tail[0] | (tail[1] << 8) | (tail[2] << 16) | (std::uint64_t{tail[3]} << 24);
  if (guess == 0) guess = 4 * in.size();
  // Deflate expands at most 1032:1, so no gzip file decompresses to more than this: an ISIZE
  // past it is a lie (a 137-byte file claiming 4 GiB), and neither the guess nor the room made
  // grows past it.
  const std::uint64_t most = kDeflateMaxRatio * std::uint64_t{in.size()} + 1024;
  guess = std::min(guess, most);
  const std::uint64_t cap = std::min<std::uint64_t>({max_bytes + 1, most, std::uint64_t{1} << 40});
  std::unique_ptr<libdeflate_decompressor, void (*)(libdeflate_decompressor*)> d(libdeflate_alloc_decompressor(),
                                                                                 libdeflate_free_decompressor);
  if (!d) return false;
  std::size_t room = 0;
  out_size = 0;
  std::size_t in_pos = 0;
  while (in_pos < in.size()) {
    if (static_cast<unsigned char>(in[in_pos]) != 0x1f) return false;  // trailing bytes
    for (;;) {
      const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(std::max<std::uint64_t>(guess, 1), cap));
      if (want > room) {
        BigBuffer bigger;
        try {
          bigger = BigBuffer(want);
        } catch (const std::bad_alloc&) {
          return false;  // the streaming path needs far less memory
        }
        if (out_size > 0) std::memcpy(bigger.data(), out.data(), out_size);
        out = std::move(bigger);
        room = want;
      }
      if (room <= out_size) return false;
      std::size_t in_used = 0, out_used = 0;
      const libdeflate_result rc = libdeflate_gzip_decompress_ex(d.get(), in.data() + in_pos, in.size() - in_pos,
                                                                 out.data() + out_size, room - out_size, &in_used,
                                                                 &out_used);
      if (rc == LIBDEFLATE_SUCCESS) {
        out_size += out_used;
        in_pos += in_used;
        break;
      }
      if (rc != LIBDEFLATE_INSUFFICIENT_SPACE || room >= cap) return false;
      guess = 2 * std::max<std::uint64_t>(guess, room);
    }
    if (out_size > max_bytes) return false;
    guess = out_size + 4 * (in.size() - in_pos) + 1;  // another member: room for it
  }
  return true;
}

}  // namespace

Input::~Input() = default;

void Input::fail(const std::string& what) const { throw Error::invalid_input(path() + ": " + what); }

std::unique_ptr<Input> Input::open(std::unique_ptr<ByteSource> file, std::uint64_t max_bytes) {
  std::unique_ptr<Input> s(new Input());
  s->file_ = std::move(file);
  s->max_bytes_ = max_bytes;
  s->file_bytes_ = s->file_->size().value_or(0);
  const std::string& path = s->path();
  if (s->file_bytes_ > max_bytes) {
    throw Error::invalid_input(fmt::format(
        "{}: the file is {} bytes, over the input limit of {} (set KEEL_MAX_INPUT_BYTES to raise it)", path,
        s->file_bytes_, bytes_text(max_bytes)));
  }
  // Peek at the first two bytes for the gzip magic.
  s->z_ = std::make_unique<Inflate>();
  s->z_->in.resize(kRawChunk);
  const std::size_t got = s->read_raw(s->z_->in.data(), kRawChunk);
  s->z_->in.resize(got);
  s->gzip_ = got >= 2 && static_cast<unsigned char>(s->z_->in[0]) == 0x1f &&
             static_cast<unsigned char>(s->z_->in[1]) == 0x8b;
  if (s->gzip_ && s->file_->size() && s->file_bytes_ <= kWholeFileGzip) {
    // Whole-file mode: read it all, decompress at once; on refusal start again with zlib, from
    // the bytes already read.
    BigBuffer raw(s->file_bytes_ + 1);
    std::memcpy(raw.data(), s->z_->in.data(), got);
    const std::size_t rest = s->read_raw(raw.data() + got, raw.size() - got);
    const std::size_t raw_size = got + rest;
    if (raw_size == s->file_bytes_ &&
        inflate_whole(std::string_view(raw.data(), raw_size), max_bytes, s->z_->whole, s->z_->whole_size)) {
      s->z_->in.clear();
      s->z_->whole_mode = true;
      s->raw_read_ = 0;  // reported in proportion to the bytes handed out (progress)
      return s;
    }
    s->z_->whole.release();
    s->z_->whole_size = 0;
    s->z_->pending = std::move(raw);
    s->z_->pending_size = raw_size;
    s->z_->pending_pos = 0;
    s->raw_read_ = 0;
    s->z_->in.resize(kRawChunk);
    s->z_->in.resize(s->read_raw(s->z_->in.data(), kRawChunk));
  }
  if (s->gzip_) {
    // 16 + MAX_WBITS: gzip wrapper only; inflate then checks each member's CRC-32 and ISIZE.
    if (inflateInit2(&s->z_->zs, 16 + MAX_WBITS) != Z_OK) throw Error::internal("zlib: inflateInit2 failed");
    s->z_->initialised = true;
  }
  return s;
}

std::size_t Input::read_raw(char* out, std::size_t capacity) {
  std::size_t total = 0;
  if (z_ && z_->pending_pos < z_->pending_size) {
    Inflate& z = *z_;
    total = std::min(capacity, z.pending_size - z.pending_pos);
    std::memcpy(out, z.pending.data() + z.pending_pos, total);
    z.pending_pos += total;
    if (z.pending_pos == z.pending_size) {
      z.pending.release();
      z.pending_size = 0;
      z.pending_pos = 0;
    }
  }
  while (total < capacity) {
    const std::size_t n = file_->read(out + total, capacity - total);
    if (n == 0) break;
    total += n;
  }
  raw_read_ += total;
  return total;
}

std::unique_ptr<char[]> Input::take_whole(std::size_t& size) {
  size = 0;
  if (!z_ || !z_->whole_mode || z_->whole_pos != 0) return nullptr;
  Inflate& z = *z_;
  size = z.whole_size;
  std::unique_ptr<char[]> out(z.whole.release_data());
  // As read() leaves things once it has handed out the whole file.
  z.whole_size = 0;
  z.whole_mode = false;
  z.whole_done = true;
  z.in.clear();
  z.zs.next_in = nullptr;
  members_ = std::max<std::uint64_t>(members_, 1);
  produced_ += size;
  raw_read_ = file_bytes_;
  at_end_ = true;
  return out;
}

std::size_t Input::read(char* out, std::size_t capacity) {
  if (at_end_ || capacity == 0) return 0;
  std::size_t n = 0;
  if (!gzip_) {
    // The bytes peeked at open come first.
    if (!z_->in.empty()) {
      n = std::min(capacity, z_->in.size());
      std::memcpy(out, z_->in.data(), n);
      z_->in.erase(0, n);
    } else {
      n = read_raw(out, capacity);
    }
  } else if (z_->whole_mode) {
    Inflate& z = *z_;
    n = std::min(capacity, z.whole_size - z.whole_pos);
    if (n > 0) std::memcpy(out, z.whole.data() + z.whole_pos, n);
    z.whole_pos += n;
    raw_read_ = z.whole_size == 0 ? file_bytes_ : static_cast<std::uint64_t>(
        static_cast<double>(file_bytes_) * static_cast<double>(z.whole_pos) / static_cast<double>(z.whole_size));
    if (z.whole_pos == z.whole_size) {
      z.whole.release();
      z.whole_size = 0;
      z.whole_pos = 0;
      z.whole_mode = false;
      at_end_ = n == 0;
      // The next call returns 0 (the end): nothing is left to stream.
      z.in.clear();
      z.zs.next_in = nullptr;
      members_ = std::max<std::uint64_t>(members_, 1);
      z.whole_done = true;
    }
  } else if (z_->whole_done) {
    n = 0;
  } else {
    n = inflate_some(out, capacity);
  }
  if (n == 0) {
    at_end_ = true;
    return 0;
  }
  produced_ += n;
  if (produced_ > max_bytes_) {
    fail("more than " + bytes_text(max_bytes_) + " of data (the input limit; set KEEL_MAX_INPUT_BYTES to raise it)");
  }
  return n;
}

std::size_t Input::inflate_some(char* out, std::size_t capacity) {
  Inflate& z = *z_;
  std::size_t pos = z.in.size() - z.zs.avail_in;  // consumed part of z.in
  if (z.zs.next_in == nullptr) pos = 0;
  for (;;) {
    if (pos == z.in.size()) {
      z.in.resize(kRawChunk);
      z.in.resize(read_raw(z.in.data(), kRawChunk));
      pos = 0;
      if (z.in.empty()) {
        if (z.stream_open) {
          fail(fmt::format(
              "truncated gzip file: the compressed data ends before the end of the stream ({} bytes read; "
              "gzip -t says \"unexpected end of file\")",
              file_->size() ? file_bytes_ : raw_read_));
        }
        if (members_ == 0) fail("not a gzip stream");
        return 0;
      }
    }
    if (!z.stream_open) {
      // Between members: what follows must be another gzip member, or nothing.
      if (static_cast<unsigned char>(z.in[pos]) != 0x1f ||
          (pos + 1 < z.in.size() && static_cast<unsigned char>(z.in[pos + 1]) != 0x8b)) {
        fail(
            fmt::format("unexpected data after the end of the gzip stream at byte {} "
                        "(trailing garbage or a damaged file)",
                        raw_read_ - (z.in.size() - pos)));
      }
      if (members_ > 0 && inflateReset(&z.zs) != Z_OK) throw Error::internal("zlib: inflateReset failed");
      z.stream_open = true;
    }
    z.zs.next_in = reinterpret_cast<Bytef*>(z.in.data() + pos);
    z.zs.avail_in = static_cast<uInt>(z.in.size() - pos);
    z.zs.next_out = reinterpret_cast<Bytef*>(out);
    z.zs.avail_out = static_cast<uInt>(std::min<std::size_t>(capacity, UINT32_MAX));
    const int rc = ::inflate(&z.zs, Z_NO_FLUSH);
    pos = z.in.size() - z.zs.avail_in;
    const std::size_t produced = capacity - z.zs.avail_out;
    if (rc == Z_STREAM_END) {
      z.stream_open = false;
      ++members_;
    } else if (rc == Z_DATA_ERROR) {
      fail(fmt::format("corrupt gzip data: {} (near compressed byte {})",
                       z.zs.msg ? z.zs.msg : "invalid stream", raw_read_ - (z.in.size() - pos)));
    } else if (rc == Z_MEM_ERROR) {
      throw Error::internal("zlib: out of memory decompressing " + path());
    } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
      fail(fmt::format("gzip decompression failed (zlib code {})", rc));
    }
    if (produced > 0) return produced;
    // No output yet: the header or an empty member; go on with more input.
  }
}

std::string read_text_file(const Files& files, const std::string& path, const std::string& field, std::string_view what,
                           std::uint64_t max_bytes) {
  std::unique_ptr<Input> src;
  try {
    src = Input::open(files.open(path, field), std::min(max_bytes, max_input_bytes()));
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kNotFound) throw Error::not_found(std::string(what) + " not found: " + path);
    throw;
  }
  std::string text;
  std::size_t used = 0;
  for (;;) {
    if (text.size() - used < (std::size_t{1} << 16)) text.resize(std::max<std::size_t>(2 * text.size(), 1 << 17));
    const std::size_t n = src->read(text.data() + used, text.size() - used);
    if (n == 0) break;
    used += n;
  }
  text.resize(used);
  if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
  const std::size_t bad = utf8_error_offset(text);
  auto place = [&](std::size_t off) {
    std::size_t line = 1, col = 1;
    for (std::size_t k = 0; k < off; ++k) {
      if (text[k] == '\n') {
        ++line;
        col = 1;
      } else if ((static_cast<unsigned char>(text[k]) & 0xC0) != 0x80) {
        ++col;
      }
    }
    return fmt::format("{}:{}:{}", path, line, col);
  };
  if (bad != std::string_view::npos) {
    throw Error::invalid_input(place(bad) + ": invalid UTF-8 (byte " + shown(text.substr(bad, 1)) + "): a " +
                               std::string(what) + " must be UTF-8 text");
  }
  const std::size_t nul = text.find('\0');
  if (nul != std::string::npos) {
    throw Error::invalid_input(place(nul) + ": NUL byte: a " + std::string(what) + " must be text");
  }
  return text;
}

}  // namespace keel::io
