// keel/io/zip_writer.cpp: see zip_writer.h.
#include "keel/io/zip_writer.h"

#include <zlib.h>

#include "keel/core/error.h"

namespace keel::io {
namespace {

void u16(std::string& o, unsigned v) {
  o += static_cast<char>(v & 0xFF);
  o += static_cast<char>((v >> 8) & 0xFF);
}
void u32(std::string& o, std::uint32_t v) {
  u16(o, v & 0xFFFF);
  u16(o, v >> 16);
}

// Raw deflate (no zlib header), as zip stores it.
std::string deflate_raw(const std::string& data) {
  z_stream z{};
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw Error::internal("zip archive: deflate could not start");
  }
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = ::deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw Error::internal("zip archive: deflate failed");
  return out;
}

}  // namespace

void ZipWriter::add(const std::string& name, const std::string& data) {
  if (data.size() >= 0xFFFFFFFFu || out_.size() >= 0xFFFFFFFFu) {
    throw Error::internal("zip archive: a member or the archive exceeds 4 GB (no zip64)");
  }
  const auto crc = static_cast<std::uint32_t>(
      ::crc32(0L, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
  std::string body = deflate_raw(data);
  std::uint16_t method = 8;
  if (body.size() >= data.size()) {
    body = data;
    method = 0;
  }
  Member m{name,
           crc,
           static_cast<std::uint32_t>(body.size()),
           static_cast<std::uint32_t>(data.size()),
           method,
           static_cast<std::uint32_t>(out_.size())};
  u32(out_, 0x04034b50);
  u16(out_, 20);        // version needed: 2.0 (deflate)
  u16(out_, 1u << 11);  // flags: names are UTF-8
  u16(out_, m.method);
  u16(out_, 0);     // time 00:00
  u16(out_, 0x21);  // date 1980-01-01
  u32(out_, m.crc);
  u32(out_, m.compressed);
  u32(out_, m.size);
  u16(out_, static_cast<std::uint16_t>(name.size()));
  u16(out_, 0);
  out_ += name;
  out_ += body;
  members_.push_back(std::move(m));
}


std::string ZipWriter::finish() {
  const auto dir_offset = static_cast<std::uint32_t>(out_.size());
  for (const Member& m : members_) {
    u32(out_, 0x02014b50);
    u16(out_, 0x0314);  // made by: version 2.0, Unix
    u16(out_, 20);
    u16(out_, 1u << 11);
    u16(out_, m.method);
    u16(out_, 0);
    u16(out_, 0x21);
    u32(out_, m.crc);
    u32(out_, m.compressed);
    u32(out_, m.size);
    u16(out_, static_cast<std::uint16_t>(m.name.size()));
    u16(out_, 0);               // extra
    u16(out_, 0);               // comment
    u16(out_, 0);               // disk
    u16(out_, 0);               // internal attributes
    u32(out_, 0100644u << 16);  // external: a regular file, rw-r--r--
    u32(out_, m.offset);
    out_ += m.name;
  }
  const auto dir_size = static_cast<std::uint32_t>(out_.size() - dir_offset);
  u32(out_, 0x06054b50);
  u16(out_, 0);
  u16(out_, 0);
  u16(out_, static_cast<std::uint16_t>(members_.size()));
  u16(out_, static_cast<std::uint16_t>(members_.size()));
  u32(out_, dir_size);
  u32(out_, dir_offset);
  u16(out_, 0);
  return std::move(out_);
}


}  // namespace keel::io
