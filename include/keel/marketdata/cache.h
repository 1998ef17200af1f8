// keel/marketdata/cache.h: the on-disk cache of provider responses.
//
// Every successful response body is kept as `<root>/<provider>/<scope>/<name>.body` beside
// `<name>.meta.json` ({"url" (redacted), "fetched_at" (ISO-8601 UTC), "bytes"}). A scope groups
// the responses of one series (a symbol, a FRED series, a Treasury year, a French dataset), so
// `--offline` can rebuild a series from every response cached for it. Files are written to a
// temporary name and renamed, so a crash never leaves a half-written entry. The fetch time is the
// injected Clock's (keel/core/env.h), so a test pins it with a FixedClock.
//
// Thread-safety: distinct scopes may be written concurrently; one scope by one writer.
// Ownership: the cache refers to its clock, which must outlive it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keel/core/env.h"

namespace keel::marketdata {

struct CachedResponse {
  std::string name;        // file stem, e.g. "2024-01-01_2024-11-22"
  std::string fetched_at;  // ISO-8601 UTC
  std::string url;         // redacted
  std::string body;
};

class ResponseCache {
 public:
  // An empty root disables the cache (put does nothing, list finds nothing). `clock` dates what
  // put stores.
  explicit ResponseCache(std::string root, const Clock& clock = system_clock_source())
      : root_(std::move(root)), clock_(&clock) {}

  bool enabled() const { return !root_.empty(); }
  const std::string& root() const { return root_; }
  // Stores `body` under (provider, scope, name) with the fetch time the clock's now. Throws keel::Error
  // (internal) when the folder cannot be written.
  void put(const std::string& provider, const std::string& scope, const std::string& name,
           const std::string& redacted_url, const std::string& body) const;
  // Every response cached for (provider, scope), oldest fetch first (so later ones win a merge).
  std::vector<CachedResponse> list(const std::string& provider, const std::string& scope) const;

 private:
  std::string root_;
  const Clock* clock_;
};

// The default cache root: $KEEL_CACHE_DIR, else $XDG_CACHE_HOME/keel/marketdata, else
// $HOME/.cache/keel/marketdata, else ".keel-cache/marketdata".
std::string default_cache_root();

// A file-name-safe form of a scope or name: letters, digits, '-', '_', '.', '^', '=' kept, others '_'.
std::string cache_safe(const std::string& text);

}  // namespace keel::marketdata
