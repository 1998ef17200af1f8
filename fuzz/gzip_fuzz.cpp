// Fuzz target: the byte source on arbitrary file contents (gzip or not): it either returns bytes
// or refuses with invalid_input, never crashes, hangs or returns more than its bound. The input
// is given as a file through memfd_create (a regular file, no disk I/O).
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "keel/io/csv.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const int fd = memfd_create("keel_fuzz", 0);
  if (fd < 0) return 0;
  if (size > 0 && write(fd, data, size) != static_cast<ssize_t>(size)) {
    close(fd);
    return 0;
  }
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  keel::fuzz::run([&] {
    auto src = keel::io::ByteSource::open(path, 1 << 22);
    std::string buf(1 << 16, '\0');
    std::size_t total = 0;
    while (const std::size_t n = src->read(buf.data(), buf.size())) total += n;
    if (total > (1u << 22)) std::abort();
  });
  keel::fuzz::run([&] {
    keel::Diagnostics d;
    auto csv = keel::io::CsvReader::open(path, d);
    keel::io::CsvRecord r;
    while (csv.next(r)) {
    }
    keel::fuzz::check(d);
  });
  close(fd);
  return 0;
}
