#include "sqlite_repositories.h"

#include <algorithm>
#include <set>

#include "keel/core/error.h"
#include "keel/store/database.h"
#include "tags_text.h"

namespace keel::store {
namespace {

using detail::join_tags;
using detail::split_tags;

constexpr std::size_t kMaxTagName = 64;
constexpr std::size_t kMaxDescription = 500;

TagRecord read_tag(Statement& st) {
  TagRecord t;
  t.id = st.get_int(0);
  t.tenant = st.get_text(1);
  t.name = st.get_text(2);
  t.description = st.get_text(3);
  t.created_at = st.get_text(4);
  return t;
}

constexpr const char* kTagColumns = "SELECT id, tenant, name, description, created_at FROM tags ";

constexpr const char* kPositionRows =
    "SELECT p.id, p.portfolio_id, i.symbol, COALESCE(p.tags, ''), COALESCE(p.strategy, '') "
    "FROM positions p JOIN instruments i ON i.id = p.instrument_id "
    "JOIN portfolios f ON f.id = p.portfolio_id JOIN tenants t ON t.id = f.tenant_id WHERE t.name = ? ";

}  // namespace

TagRecord SqliteTagRepository::create(const std::string& tenant, const std::string& name, const std::string& description) {
  std::vector<std::string> problems;
  if (name.empty()) problems.push_back("name: required");
  if (name.size() > kMaxTagName) problems.push_back("name: at most 64 characters");
  if (std::any_of(name.begin(), name.end(), [](char c) { return c == ';' || c == ',' || static_cast<unsigned char>(c) < 0x20; })) {
    problems.push_back("name: may not hold ';', ',' or control characters");
  }
  if (description.size() > kMaxDescription) problems.push_back("description: at most 500 characters");
  if (!problems.empty()) throw Error::invalid_input("invalid tag", problems);
  if (find(tenant, name)) throw Error::conflict("tag '" + name + "' already exists");
  db_.prepare("INSERT INTO tags (tenant, name, description, created_at) VALUES (?, ?, ?, ?)")
      .bind(1, tenant)
      .bind(2, name)
      .bind(3, description)
      .bind(4, now_text(*clock_))
      .run();
  return *find(tenant, name);
}

std::vector<TagRecord> SqliteTagRepository::list(const std::string& tenant) {
  auto st = db_.prepare(std::string(kTagColumns) + "WHERE tenant = ? ORDER BY name");
  st.bind(1, tenant);
  std::vector<TagRecord> out;
  while (st.step()) out.push_back(read_tag(st));
  const auto rows = tenant_rows(tenant);
  for (auto& t : out) {
    t.positions = static_cast<std::size_t>(std::count_if(rows.begin(), rows.end(), [&](const Row& r) {
      return std::find(r.tags.begin(), r.tags.end(), t.name) != r.tags.end();
    }));
  }
  return out;
}

std::optional<TagRecord> SqliteTagRepository::find(const std::string& tenant, const std::string& name) {
  auto st = db_.prepare(std::string(kTagColumns) + "WHERE tenant = ? AND name = ?");
  st.bind(1, tenant).bind(2, name);
  if (!st.step()) return std::nullopt;
  auto t = read_tag(st);
  st.reset();
  for (const auto& r : tenant_rows(tenant)) {
    if (std::find(r.tags.begin(), r.tags.end(), name) != r.tags.end()) ++t.positions;
  }
  return t;
}

std::optional<std::size_t> SqliteTagRepository::remove(const std::string& tenant, const std::string& name) {
  if (!find(tenant, name)) return std::nullopt;
  return db_.transaction([&] {
    std::vector<Row> changed;
    for (auto& r : tenant_rows(tenant)) {
      if (std::erase(r.tags, name) > 0) changed.push_back(std::move(r));
    }
    write(changed);
    db_.prepare("DELETE FROM tags WHERE tenant = ? AND name = ?").bind(1, tenant).bind(2, name).run();
    return changed.size();
  });
}

std::size_t SqliteTagRepository::attach(const std::string& tenant, const std::string& portfolio,
                                        const std::vector<std::string>& symbols, const std::string& tag) {
  // The tag's existence is checked inside the write transaction: a concurrent remove cannot
  // slip in between the check and the write.
  return db_.transaction([&] {
    if (!find(tenant, tag)) throw Error::not_found("no tag named '" + tag + "' (register it first)");
    std::vector<Row> changed;
    for (auto& r : rows_of(tenant, portfolio, symbols)) {
      if (std::find(r.tags.begin(), r.tags.end(), tag) != r.tags.end()) continue;
      r.tags.push_back(tag);
      changed.push_back(std::move(r));
    }
    write(changed);
    return changed.size();
  });
}

std::size_t SqliteTagRepository::detach(const std::string& tenant, const std::string& portfolio,
                                        const std::vector<std::string>& symbols, const std::string& tag) {
  // The tag's existence is checked inside the write transaction: a concurrent remove cannot
  // slip in between the check and the write.
  return db_.transaction([&] {
    if (!find(tenant, tag)) throw Error::not_found("no tag named '" + tag + "'");
    std::vector<Row> changed;
    for (auto& r : rows_of(tenant, portfolio, symbols)) {
      if (std::erase(r.tags, tag) > 0) changed.push_back(std::move(r));
    }
    write(changed);
    return changed.size();
  });
}

std::size_t SqliteTagRepository::set_strategy(const std::string& tenant, const std::string& portfolio,
                                              const std::vector<std::string>& symbols, const std::string& strategy) {
  return db_.transaction([&] {
    std::vector<Row> changed;
    for (auto& r : rows_of(tenant, portfolio, symbols)) {
      if (r.strategy == strategy) continue;
      r.strategy = strategy;
      changed.push_back(std::move(r));
    }
    write(changed);
    return changed.size();
  });
}

std::vector<SqliteTagRepository::Row> SqliteTagRepository::tenant_rows(const std::string& tenant) {
  auto st = db_.prepare(std::string(kPositionRows) + "ORDER BY p.id");
  st.bind(1, tenant);
  std::vector<Row> out;
  while (st.step()) {
    out.push_back({st.get_int(0), st.get_int(1), st.get_text(2), split_tags(st.get_text(3)), st.get_text(4)});
  }
  return out;
}

std::vector<SqliteTagRepository::Row> SqliteTagRepository::rows_of(const std::string& tenant, const std::string& portfolio,
                                                             const std::vector<std::string>& symbols) {
  auto pst = db_.prepare(
      "SELECT f.id FROM portfolios f JOIN tenants t ON t.id = f.tenant_id WHERE t.name = ? AND f.name = ?");
  pst.bind(1, tenant).bind(2, portfolio);
  if (!pst.step()) throw Error::not_found("no portfolio named \"" + portfolio + "\"");
  const std::int64_t pid = pst.get_int(0);
  auto st = db_.prepare(std::string(kPositionRows) + "AND p.portfolio_id = ? ORDER BY p.ordinal");
  st.bind(1, tenant).bind(2, pid);
  const std::set<std::string> wanted(symbols.begin(), symbols.end());
  std::set<std::string> seen;
  std::vector<Row> out;
  while (st.step()) {
    Row r{st.get_int(0), st.get_int(1), st.get_text(2), split_tags(st.get_text(3)), st.get_text(4)};
    if (!wanted.count(r.symbol)) continue;
    seen.insert(r.symbol);
    out.push_back(std::move(r));
  }
  std::vector<std::string> missing;
  for (const auto& s : wanted) {
    if (!seen.count(s)) missing.push_back("symbols: no position in " + s + " in portfolio \"" + portfolio + "\"");
  }
  if (!missing.empty()) throw Error(ErrorCode::kNotFound, "positions not found", missing);
  return out;
}

void SqliteTagRepository::write(const std::vector<Row>& rows) {
  std::set<std::int64_t> portfolios;
  auto st = db_.prepare("UPDATE positions SET tags = ?, strategy = ? WHERE id = ?");
  for (const auto& r : rows) {
    st.bind(1, join_tags(r.tags)).bind(2, r.strategy).bind(3, r.id);
    st.run();
    st.reset();
    portfolios.insert(r.portfolio_id);
  }
  const std::string now = now_text(*clock_);
  auto up = db_.prepare("UPDATE portfolios SET updated_at = ? WHERE id = ?");
  for (auto id : portfolios) {
    up.bind(1, now).bind(2, id).run();
    up.reset();
  }
}

}  // namespace keel::store
