// ResponseCache: responses on disk with their fetch time (keel/marketdata/cache.h).
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "keel/core/error.h"
#include "keel/marketdata/cache.h"

namespace keel::marketdata {
namespace fs = std::filesystem;

namespace {

void write_atomically(const fs::path& path, const std::string& data) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!out) throw Error::internal("cannot write the market-data cache file " + tmp.string());
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) throw Error::internal("cannot write the market-data cache file " + path.string() + ": " + ec.message());
}

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

std::string cache_safe(const std::string& text) {
  std::string out = text.empty() ? "_" : text;
  for (char& c : out) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '^' || c == '=';
    if (!ok) c = '_';
  }
  if (out == "." || out == "..") out = "_";
  return out;
}

std::string default_cache_root() {
  if (const char* d = std::getenv("KEEL_CACHE_DIR"); d && *d) return d;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return (fs::path(x) / "keel" / "marketdata").string();
  if (const char* h = std::getenv("HOME"); h && *h) return (fs::path(h) / ".cache" / "keel" / "marketdata").string();
  return ".keel-cache/marketdata";
}

void ResponseCache::put(const std::string& provider, const std::string& scope, const std::string& name,
                        const std::string& redacted_url, const std::string& body) const {
  if (!enabled()) return;
  const fs::path dir = fs::path(root_) / cache_safe(provider) / cache_safe(scope);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error::internal("cannot create the market-data cache folder " + dir.string() + ": " + ec.message());
  const std::string stem = cache_safe(name);
  write_atomically(dir / (stem + ".body"), body);
  const nlohmann::json meta = {{"url", redacted_url}, {"fetched_at", clock_->iso8601()}, {"bytes", body.size()}};
  write_atomically(dir / (stem + ".meta.json"), meta.dump(2) + "\n");
}

std::vector<CachedResponse> ResponseCache::list(const std::string& provider, const std::string& scope) const {
  std::vector<CachedResponse> out;
  if (!enabled()) return out;
  const fs::path dir = fs::path(root_) / cache_safe(provider) / cache_safe(scope);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const fs::path p = entry.path();
    if (p.extension() != ".body") continue;
    CachedResponse r;
    r.name = p.stem().string();
    r.body = read_all(p);
    const fs::path meta = dir / (r.name + ".meta.json");
    const auto j = nlohmann::json::parse(read_all(meta), nullptr, false);
    if (j.is_object()) {
      r.fetched_at = j.value("fetched_at", "");
      r.url = j.value("url", "");
    }
    out.push_back(std::move(r));
  }
  std::sort(out.begin(), out.end(), [](const CachedResponse& a, const CachedResponse& b) {
    return std::tie(a.fetched_at, a.name) < std::tie(b.fetched_at, b.name);
  });
  return out;
}

}  // namespace keel::marketdata
