// keel/core/byte_source.h: the bytes of one opened file, as a Files (keel/core/env.h) hands them out.
//
// A ByteSource is what Files::open returns once it has vetted a path: the raw bytes of that file,
// read front to back in chunks of the reader's choosing, with the name messages give it (the path
// as the request named it) and its size when that is known before reading. Readers never open a
// path themselves: they read the ByteSource they are given (keel/io/input.h decompresses gzip from
// its bytes), so a test can hand them bytes held in memory (keel/core/mem_files.h) and the server
// can refuse every path in one place.
//
// Thread-safety: a ByteSource is used by one thread at a time. Ownership: the caller owns it
// (std::unique_ptr); it owns what it reads from (a file descriptor, or its bytes).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace keel {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Copies up to `capacity` bytes to `out`; returns how many, 0 only at the end of the file.
  // Throws Error::invalid_input naming the file when it cannot be read.
  virtual std::size_t read(char* out, std::size_t capacity) = 0;
  // The name messages give the file: its path as the request named it.
  virtual const std::string& name() const = 0;
  // The size in bytes when known before reading (a regular file on disk, bytes in memory).
  virtual std::optional<std::uint64_t> size() const = 0;
};

// A ByteSource over `bytes` held in memory, reported as `name`.
std::unique_ptr<ByteSource> memory_source(std::string name, std::string bytes);

}  // namespace keel
