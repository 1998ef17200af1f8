// keel/core/mem_files.h: files held in memory, for tests (leveldb's memenv).
//
// MemFiles maps paths to bytes. A test puts the files a use case or a reader should see and hands
// the MemFiles over as the Env's files (keel/core/env.h): the readers read them through the same
// ByteSource as files on disk, gzip included, and no temporary folder is written. Opening a path
// it does not hold fails as on disk ("PATH: no such file", not_found).
//
// Thread-safety: put() before the MemFiles is shared; open and read are then safe from any thread.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "keel/core/env.h"

namespace keel {

class MemFiles final : public Files {
 public:
  MemFiles() = default;
  // Holds `bytes` as the file `path` (replacing what it held there).
  void put(const std::string& path, std::string bytes) { files_[path] = std::move(bytes); }
  bool contains(const std::string& path) const { return files_.count(path) > 0; }

  bool allowed() const override { return true; }
  // A copy of the bytes held at `path`. Throws not_found "PATH: no such file" when there are none.
  std::unique_ptr<ByteSource> open(const std::string& path, const std::string& what) const override;

 private:
  std::map<std::string, std::string> files_;
};

}  // namespace keel
