// src/server/static_files.h (private): the web app's files (`keel serve --web-root DIR`).
//
// GET and HEAD of any path outside /api/ are answered from DIR: the file itself when DIR's
// manifest holds it (the regular files under DIR, read at the first request and again whenever
// index.html changes), else a missing asset under /assets/ is 404 and every other path is
// DIR/index.html (single-page-app fallback, so a bookmarked /portfolios/3/risk or
// /portfolios/fund.v2 opens the app, whatever its last segment looks like). Every answer carries a strong ETag (a hash of the
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
#include <set>
#include <string>

#include "http_types.h"

namespace keel::server {

// `data` gzip-compressed at zlib `level` (1 fastest .. 9 smallest); empty when zlib fails.
std::string gzip_of(const std::string& data, int level);
// True when the request's Accept-Encoding takes gzip (gzip or *, with a weight above 0).
bool accepts_gzip(const HttpRequest& req);

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
  // The paths of DIR's regular files relative to DIR ("assets/app-3f2a.js").
  std::shared_ptr<const std::set<std::string>> current_manifest();

  std::filesystem::path root_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const Entry>> cache_;  // guarded by mutex_
  std::shared_ptr<const std::set<std::string>> manifest_;     // guarded by mutex_
  std::filesystem::file_time_type manifest_stamp_;             // index.html's mtime when read
};

}  // namespace keel::server
