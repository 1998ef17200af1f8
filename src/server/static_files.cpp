// The web app's static files (see static_files.h).
#include "static_files.h"

#include <sodium.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

#include "app.h"
#include "http_intake.h"
#include "keel/core/error.h"
#include "keel/server/server.h"
#include "keel/core/strings.h"

namespace keel::server {
namespace fs = std::filesystem;
namespace {

constexpr std::uintmax_t kMaxCachedBytes = 32u << 20;  // larger files are not served
constexpr std::size_t kMaxManifestFiles = 100'000;       // a web root is a few dozen files

struct TypeOf {
  const char* ext;
  const char* type;
  bool text;
};
constexpr std::array<TypeOf, 18> kTypes = {{
    {".html", "text/html; charset=utf-8", true},
    {".js", "text/javascript; charset=utf-8", true},
    {".mjs", "text/javascript; charset=utf-8", true},
    {".css", "text/css; charset=utf-8", true},
    {".json", "application/json", true},
    {".map", "application/json", true},
    {".svg", "image/svg+xml", true},
    {".txt", "text/plain; charset=utf-8", true},
    {".md", "text/markdown; charset=utf-8", true},
    {".webmanifest", "application/manifest+json", true},
    {".png", "image/png", false},
    {".jpg", "image/jpeg", false},
    {".jpeg", "image/jpeg", false},
    {".gif", "image/gif", false},
    {".ico", "image/x-icon", false},
    {".webp", "image/webp", false},
    {".woff2", "font/woff2", false},
    {".woff", "font/woff", false},
}};

const TypeOf* type_of(const fs::path& file) {
  const std::string ext = to_lower(file.extension().string());
  for (const auto& t : kTypes) {
    if (ext == t.ext) return &t;
  }
  return nullptr;
}

std::string gzip_of(const std::string& data) {
  z_stream zs{};
  if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out(deflateBound(&zs, static_cast<uLong>(data.size())) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  const std::size_t produced = out.size() - zs.avail_out;
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) return {};
  out.resize(produced);
  return out;
}

std::string etag_of(const std::string& data) {
  unsigned char hash[16];
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(data.data()), data.size(), nullptr, 0);
  char hex[33];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  return std::string("\"") + hex + "\"";
}

bool accepts_gzip(const HttpRequest& req) {
  const std::string ae = req.get_header_value("Accept-Encoding");
  return ae.find("gzip") != std::string::npos;
}

// True when If-None-Match lists `etag` (or is "*").
bool etag_matches(const std::string& header, const std::string& etag) {
  if (header.empty()) return false;
  if (header == "*") return true;
  std::size_t i = 0;
  while (i < header.size()) {
    std::size_t j = header.find(',', i);
    if (j == std::string::npos) j = header.size();
    std::string tag = header.substr(i, j - i);
    tag.erase(0, tag.find_first_not_of(" \t"));
    tag.erase(tag.find_last_not_of(" \t") + 1);
    if (tag.rfind("W/", 0) == 0) tag = tag.substr(2);
    if (tag == etag) return true;
    i = j + 1;
  }
  return false;
}

}  // namespace

StaticFiles::StaticFiles(const fs::path& root) {
  std::error_code ec;
  root_ = fs::canonical(root, ec);
  if (ec || !fs::is_directory(root_)) throw Error::usage("--web-root " + root.string() + ": not a directory");
  if (!fs::is_regular_file(root_ / "index.html")) {
    throw Error::usage("--web-root " + root.string() + ": no index.html (build the app: make web)");
  }
}

std::shared_ptr<const StaticFiles::Entry> StaticFiles::load(const fs::path& file) {
  std::error_code ec;
  const auto status = fs::status(file, ec);
  if (ec || !fs::is_regular_file(status)) return nullptr;
  const auto size = fs::file_size(file, ec);
  if (ec || size > kMaxCachedBytes) return nullptr;
  const auto mtime = fs::last_write_time(file, ec);
  if (ec) return nullptr;
  const std::string key = file.string();
  {
    std::lock_guard lock(mutex_);
    auto it = cache_.find(key);
    if (it != cache_.end() && it->second->size == size && it->second->mtime == mtime) return it->second;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return nullptr;
  auto e = std::make_shared<Entry>();
  e->content.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) return nullptr;
  e->size = size;
  e->mtime = mtime;
  e->etag = etag_of(e->content);
  const TypeOf* t = type_of(file);
  e->type = t ? t->type : "application/octet-stream";
  if (t && t->text && e->content.size() >= 256) {
    std::string z = gzip_of(e->content);
    if (!z.empty() && z.size() < e->content.size()) e->gzip = std::move(z);
  }
  std::lock_guard lock(mutex_);
  cache_[key] = e;
  return e;
}

std::shared_ptr<const std::set<std::string>> StaticFiles::current_manifest() {
  // The manifest is read again when index.html changes (a new build of the app was put in place).
  std::error_code ec;
  const auto stamp = fs::last_write_time(root_ / "index.html", ec);
  std::lock_guard lock(mutex_);
  if (manifest_ && !ec && stamp == manifest_stamp_) return manifest_;
  auto files = std::make_shared<std::set<std::string>>();
  for (fs::recursive_directory_iterator it(root_, ec), end; !ec && it != end; it.increment(ec)) {
    if (files->size() >= kMaxManifestFiles) break;
    if (it->is_regular_file(ec)) files->insert(fs::relative(it->path(), root_, ec).generic_string());
  }
  manifest_ = std::move(files);
  manifest_stamp_ = stamp;
  return manifest_;
}

bool StaticFiles::serve(const HttpRequest& req, HttpResponse& res) {
  const std::string& path = req.path;
  if (path == "/api" || path.rfind("/api/", 0) == 0) return false;
  const auto not_found = [&] {
    res.status = 404;
    res.set_content("not found\n", "text/plain; charset=utf-8");
    res.set_header("Cache-Control", "no-cache");
    return true;
  };
  // Refuse anything that could name a file outside the root, before touching the file system.
  if (path.find('\\') != std::string::npos || path.find('\0') != std::string::npos) return not_found();
  std::vector<std::string> parts;
  for (std::size_t i = 1; i <= path.size();) {
    std::size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    const std::string seg = path.substr(i, j - i);
    if (seg == "..") return not_found();
    if (!seg.empty() && seg != ".") parts.push_back(seg);
    i = j + 1;
  }
  std::string rel;
  for (const auto& p : parts) rel += (rel.empty() ? "" : "/") + p;
  // Only the files the web root held (its manifest) are files; every other path is a route of the
  // app, whatever it looks like (/portfolios/fund.v2 is a portfolio, not a file), except under
  // /assets/, where a missing file is a stale or mistyped asset and answers 404.
  const auto manifest = current_manifest();
  bool fallback = false;
  std::string name;
  if (!rel.empty() && manifest->count(rel)) {
    name = rel;
  } else if (const std::string index = rel.empty() ? "index.html" : rel + "/index.html"; manifest->count(index)) {
    name = index;
  } else if (!parts.empty() && parts.front() == "assets") {
    return not_found();
  } else {
    name = "index.html";
    fallback = true;
  }
  const fs::path file = root_ / name;
  std::error_code ec;
  const fs::path real = fs::weakly_canonical(file, ec);
  if (ec) return not_found();
  const std::string rs = real.string();
  const std::string root = root_.string() + "/";
  if (rs.rfind(root, 0) != 0) return not_found();  // a symlink out of the root

  const auto entry = load(real);
  if (!entry) return not_found();
  const bool immutable = !fallback && !parts.empty() && parts.front() == "assets";
  res.set_header("ETag", entry->etag);
  res.set_header("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
  res.set_header("Content-Type", entry->type);
  if (!entry->gzip.empty()) res.set_header("Vary", "Accept-Encoding");
  if (etag_matches(req.get_header_value("If-None-Match"), entry->etag)) {
    res.status = 304;
    res.body.clear();
    return true;
  }
  res.status = 200;
  if (!entry->gzip.empty() && accepts_gzip(req)) {
    res.set_header("Content-Encoding", "gzip");
    res.body = entry->gzip;
  } else {
    res.body = entry->content;
  }
  return true;
}

std::optional<fs::path> default_web_root() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  std::vector<fs::path> candidates;
  if (!ec) {
    const fs::path dir = exe.parent_path();
    candidates.push_back(dir / "../../../web/dist");  // build tree: build/apps/keel/keel
    candidates.push_back(dir / "../share/keel/web");  // installed: PREFIX/bin/keel
  }
  for (const auto& c : candidates) {
    if (fs::is_regular_file(c / "index.html", ec)) return fs::weakly_canonical(c, ec);
  }
  return std::nullopt;
}

nlohmann::json openapi_document_offline() {
  // App needs a store file (it refuses ":memory:"): a private temporary one, removed afterwards.
  std::string dir_template = (fs::temp_directory_path() / "keel-openapi-XXXXXX").string();
  if (!::mkdtemp(dir_template.data())) {
    throw Error::internal("cannot create a temporary directory for the OpenAPI document");
  }
  const fs::path dir = dir_template;
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } cleanup{dir};
  ServerConfig c;
  c.db_path = (dir / "openapi.db").string();
  c.threads = 1;
  c.compute_slots = 1;
  c.job_workers = 0;
  c.password_cost = PasswordCost::minimum();
  c.tokens.key = random_key_hex();  // signs nothing: no request is served
  nlohmann::json doc;
  {
    App app(c);
    doc = openapi_document(app);
  }
  return doc;
}

}  // namespace keel::server
