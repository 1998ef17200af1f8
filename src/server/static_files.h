// src/server/static_files.h (private): the web app's files (`keel serve --web-root DIR`).
//
// GET and HEAD of any path outside /api/ are answered from DIR: the file itself when it exists,
// else — for a path without a file extension — DIR/index.html (single-page-app fallback, so a
// bookmarked /portfolios/3/risk opens the app). Every answer carries a strong ETag (a hash of the
// content; If-None-Match answers 304); files under /assets/ (content-hashed names from the build)
// are cached for a year and immutable, everything else is revalidated (`no-cache`). Text types are
// sent gzip-compressed to clients that accept it. No path can leave DIR: the decoded path is
// refused if it holds "..", a backslash or NUL, and the resolved file (after symlinks) must lie
// under DIR. Files are read once and kept in memory while their size and mtime do not change.
//
// Thread-safety: serve() may be called from many threads (the cache locks internally).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "http_types.h"

namespace keel::server {

class StaticFiles {
 public:
  // Throws Error::usage when `root` is not a directory or holds no index.html.
  explicit StaticFiles(const std::filesystem::path& root);
  // Fills `res` for a GET or HEAD of `req.path` (200, 304 or 404); false when the path is not
  // for static files (under /api/).
  bool serve(const HttpRequest& req, HttpResponse& res);
  const std::filesystem::path& root() const { return root_; }

 private:
  struct Entry {
    std::uintmax_t size = 0;
    std::filesystem::file_time_type mtime;
    std::string content;
    std::string gzip;  // empty: not compressible or not worth it
    std::string etag;
    std::string type;
  };
  std::shared_ptr<const Entry> load(const std::filesystem::path& file);

  std::filesystem::path root_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const Entry>> cache_;  // guarded by mutex_
};

}  // namespace keel::server
