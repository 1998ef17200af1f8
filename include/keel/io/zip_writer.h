// keel/io/zip_writer.h: named files to one zip archive in memory (PKWARE APPNOTE 6.3).
//
// Each member is deflated by zlib (method 8), or stored (method 0) when deflate does not shrink
// it. Times are the DOS epoch (1980-01-01 00:00) so the same members give the same bytes, and
// names are flagged UTF-8. No zip64: a member or an archive of 4 GB or more is refused.
//
// Thread-safety: one writer per thread. Ownership: the writer owns the archive bytes until
// finish() hands them over.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace keel::io {

class ZipWriter {
 public:
  // Appends `data` as member `name` ("folder/file.ext", forward slashes). Throws Error::internal
  // when the member or the archive would pass 4 GB.
  void add(const std::string& name, const std::string& data);

  // The archive's bytes, with its central directory and end record. The writer is spent after.
  std::string finish();

 private:
  struct Member {
    std::string name;
    std::uint32_t crc, compressed, size;
    std::uint16_t method;
    std::uint32_t offset;
  };
  std::string out_;
  std::vector<Member> members_;
};

}  // namespace keel::io
