#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "keel/store/database.h"
#include "sqlite_repositories.h"
#include "tag_edits.h"
#include "tags_text.h"

namespace keel::store {

using detail::TaggedPosition;

TagRecord SqliteTagRepository::create(const std::string& tenant, const std::string& name,
                                      const std::string& description) {
  detail::check_new_tag(name, description);
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
  auto st = db_.prepare(std::string(detail::kTagSelect) + "WHERE tenant = ? ORDER BY name");
  st.bind(1, tenant);
  std::vector<TagRecord> out;
  while (st.step()) out.push_back(detail::read_tag(st));
  const auto rows = tenant_rows(tenant);
  for (auto& t : out) t.positions = detail::count_carrying(rows, t.name);
  return out;
}

std::optional<TagRecord> SqliteTagRepository::find(const std::string& tenant, const std::string& name) {
  auto st = db_.prepare(std::string(detail::kTagSelect) + "WHERE tenant = ? AND name = ?");
  st.bind(1, tenant).bind(2, name);
  if (!st.step()) return std::nullopt;
  auto t = detail::read_tag(st);
  st.reset();
  t.positions = detail::count_carrying(tenant_rows(tenant), name);
  return t;
}

std::optional<std::size_t> SqliteTagRepository::remove(const std::string& tenant, const std::string& name) {
  if (!find(tenant, name)) return std::nullopt;
  return db_.transaction([&] {
    const auto changed = detail::removing_tag(tenant_rows(tenant), name);
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
    if (!find(tenant, tag)) throw Error::not_found("no tag named " + shown_with(tag, 64, '\'') + " (register it first)");
    const auto changed = detail::adding_tag(rows_of(tenant, portfolio, symbols), tag);
    write(changed);
    return changed.size();
  });
}

std::size_t SqliteTagRepository::detach(const std::string& tenant, const std::string& portfolio,
                                        const std::vector<std::string>& symbols, const std::string& tag) {
  return db_.transaction([&] {
    if (!find(tenant, tag)) throw Error::not_found("no tag named " + shown_with(tag, 64, '\''));
    const auto changed = detail::removing_tag(rows_of(tenant, portfolio, symbols), tag);
    write(changed);
    return changed.size();
  });
}

std::size_t SqliteTagRepository::set_strategy(const std::string& tenant, const std::string& portfolio,
                                              const std::vector<std::string>& symbols,
                                              const std::string& strategy) {
  return db_.transaction([&] {
    const auto changed = detail::setting_strategy(rows_of(tenant, portfolio, symbols), strategy);
    write(changed);
    return changed.size();
  });
}

std::vector<TaggedPosition> SqliteTagRepository::tenant_rows(const std::string& tenant) {
  auto st = db_.prepare(std::string(detail::kTaggedPositionSelect) + "WHERE t.name = ? ORDER BY p.id");
  st.bind(1, tenant);
  std::vector<TaggedPosition> out;
  while (st.step()) out.push_back(detail::read_tagged_position(st));
  return out;
}

std::vector<TaggedPosition> SqliteTagRepository::rows_of(const std::string& tenant,
                                                         const std::string& portfolio,
                                                         const std::vector<std::string>& symbols) {
  auto pst = db_.prepare(
      "SELECT f.id FROM portfolios f JOIN tenants t ON t.id = f.tenant_id WHERE t.name = ? AND f.name = ?");
  pst.bind(1, tenant).bind(2, portfolio);
  if (!pst.step()) throw Error::not_found("no portfolio named \"" + portfolio + "\"");
  const std::int64_t pid = pst.get_int(0);
  auto st = db_.prepare(std::string(detail::kTaggedPositionSelect) +
                        "WHERE t.name = ? AND p.portfolio_id = ? ORDER BY p.ordinal");
  st.bind(1, tenant).bind(2, pid);
  std::vector<TaggedPosition> rows;
  while (st.step()) rows.push_back(detail::read_tagged_position(st));
  return detail::positions_of_symbols(std::move(rows), symbols, portfolio);
}

void SqliteTagRepository::write(const std::vector<TaggedPosition>& rows) {
  auto st = db_.prepare("UPDATE positions SET tags = ?, strategy = ? WHERE id = ?");
  for (const auto& r : rows) {
    st.bind(1, detail::join_tags(r.tags)).bind(2, r.strategy).bind(3, r.id);
    st.run();
    st.reset();
  }
  const std::string now = now_text(*clock_);
  auto up = db_.prepare("UPDATE portfolios SET updated_at = ? WHERE id = ?");
  for (auto id : detail::portfolios_of(rows)) {
    up.bind(1, now).bind(2, id).run();
    up.reset();
  }
}

}  // namespace keel::store
