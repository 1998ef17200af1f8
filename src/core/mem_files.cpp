// MemFiles: files held in memory (keel/core/mem_files.h).
#include "keel/core/mem_files.h"

#include "keel/core/error.h"

namespace keel {

std::unique_ptr<ByteSource> MemFiles::open(const std::string& path, const std::string&) const {
  const auto it = files_.find(path);
  if (it == files_.end()) throw Error::not_found(path + ": no such file");
  return memory_source(path, it->second);
}

}  // namespace keel
