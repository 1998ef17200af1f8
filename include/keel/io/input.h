// keel/io/input.h: the one input every reader reads files through.
//
// Input hands out the bytes of a file exactly as written, or refuses them: it never returns a
// prefix of the data as if it were the whole. It reads the raw bytes of a ByteSource, which a
// Files (keel/core/env.h) opened after vetting the path — regular files only on disk (a
// directory, /dev/zero, a FIFO or a socket is refused before any read, so nothing can hang or
// read forever), bytes held in memory in tests (keel/core/mem_files.h) — and it
//   - refuses files larger than a bound (default 4 GiB on disk and decompressed; the environment
//     variable KEEL_MAX_INPUT_BYTES raises or lowers it), so a gzip bomb cannot fill memory;
//   - decompresses gzip (detected from the magic bytes 1f 8b, whatever the file name) with
//     zlib, checking every member's CRC-32 and length trailer, reading concatenated members
//     (`cat a.gz b.gz`) as one stream, and refusing a truncated stream or bytes after the last
//     member;
//   - reports read errors as invalid input naming the file.
// Every refusal is keel::Error(invalid_input) (not_found for a missing file) whose message names
// the file and says what is wrong.
//
// read_text_file() reads a whole (small) document, e.g. JSON, through the same rules;
// shown() formats a value for an error message, bounded in length.
//
// Thread-safety: an Input is used by one thread at a time; the functions are stateless.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "keel/core/byte_source.h"
#include "keel/core/env.h"
#include "keel/core/strings.h"

namespace keel::io {

// Default bound on the size of an input file, on disk and after decompression.
inline constexpr std::uint64_t kDefaultMaxInputBytes = std::uint64_t{4} << 30;

// The bound in force: KEEL_MAX_INPUT_BYTES when set to a positive integer (bytes, or with a
// K/M/G suffix), else kDefaultMaxInputBytes.
std::uint64_t max_input_bytes();

class Input {
 public:
  // Reads `file` (opened by a Files). Throws invalid_input when it is larger than `max_bytes` (its
  // size known at open) or cannot be read.
  static std::unique_ptr<Input> open(std::unique_ptr<ByteSource> file, std::uint64_t max_bytes = max_input_bytes());
  ~Input();
  Input(const Input&) = delete;
  Input& operator=(const Input&) = delete;

  // Copies up to `capacity` decompressed bytes to `out`; returns how many, 0 only at the verified
  // end of the input. Throws invalid_input for a truncated or corrupt gzip stream, trailing
  // garbage, a read error or input beyond the size bound.
  std::size_t read(char* out, std::size_t capacity);
  // The whole decompressed text at once, when the file was decompressed whole (a gzip file up to
  // 1 GiB that libdeflate accepted) and none of it was read yet: the caller owns it from then on
  // and read() returns 0 (the end, verified). Null otherwise. `size` is set to its length.
  std::unique_ptr<char[]> take_whole(std::size_t& size);

  const std::string& path() const { return file_->name(); }
  bool gzip() const { return gzip_; }
  std::uint64_t file_bytes() const { return file_bytes_; }  // size on disk (0 when not known)
  std::uint64_t file_bytes_read() const { return raw_read_; }

 private:
  Input() = default;
  // Raw bytes: first those kept from a refused whole-file decompression, then the file's.
  std::size_t read_raw(char* out, std::size_t capacity);
  std::size_t inflate_some(char* out, std::size_t capacity);
  [[noreturn]] void fail(const std::string& what) const;

  std::unique_ptr<ByteSource> file_;
  bool gzip_ = false;
  bool at_end_ = false;
  std::uint64_t file_bytes_ = 0;
  std::uint64_t raw_read_ = 0;
  std::uint64_t produced_ = 0;
  std::uint64_t max_bytes_ = 0;
  std::uint64_t members_ = 0;
  struct Inflate;
  std::unique_ptr<Inflate> z_;
};

// Opens `path` through `files` (`field`: the request field that named it, for a refusal) and reads
// the whole file through an Input (so gzip works and every rule above holds), checking that it is
// UTF-8 text without NUL bytes (a byte-order mark is removed). `what` names the kind of document
// in messages ("CLO deal file"). Throws forbidden (files refused), not_found ("WHAT not found:
// PATH"), invalid_input.
std::string read_text_file(const Files& files, const std::string& path, const std::string& field, std::string_view what,
                           std::uint64_t max_bytes = std::uint64_t{256} << 20);

// Bound on a JSON document (deal, events, scenarios, mapping): 64 MiB.
inline constexpr std::uint64_t kMaxJsonInputBytes = std::uint64_t{64} << 20;

// utf8_error_offset, shown and shown_with (keel/core/strings.h) under the reader's namespace.
using keel::shown;
using keel::shown_with;
using keel::utf8_error_offset;

}  // namespace keel::io
