// The tag registry and the positions' labels (keel/store/tag_repository.h) on both backends; the
// decisions (which positions change and how) are tag_edits.h's.
#include "keel/store/tag_repository.h"

#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "sql.h"
#include "tag_edits.h"
#include "tags_text.h"

namespace keel::store {
namespace {

using detail::TaggedPosition;

std::vector<TaggedPosition> tenant_rows(SqlConnection& c, const std::string& tenant) {
  auto st = c.prepare(std::string(detail::kTaggedPositionSelect) + "WHERE t.name = ? ORDER BY p.id");
  st.bind(1, tenant);
  return st.rows(detail::read_tagged_position);
}

std::vector<TaggedPosition> rows_of(SqlConnection& c, const std::string& tenant, const std::string& portfolio,
                                    const std::vector<std::string>& symbols) {
  // FOR UPDATE on the portfolio where there are row locks: concurrent label edits of one portfolio
  // take turns, so neither writes back tags read before the other's commit.
  auto pst = c.prepare(
      std::string("SELECT f.id FROM portfolios f JOIN tenants t ON t.id = f.tenant_id WHERE t.name = ? "
                  "AND f.name = ?") +
      std::string(c.dialect().lock(" FOR UPDATE OF f")));
  pst.bind_all(tenant, portfolio);
  if (!pst.step()) throw Error::not_found("no portfolio named \"" + portfolio + "\"");
  const std::int64_t pid = pst.get_int(0);
  auto rows = c.prepare(std::string(detail::kTaggedPositionSelect) +
                        "WHERE t.name = ? AND p.portfolio_id = ? ORDER BY p.ordinal")
                  .bind_all(tenant, pid)
                  .rows(detail::read_tagged_position);
  return detail::positions_of_symbols(std::move(rows), symbols, portfolio);
}

void write(SqlConnection& c, const Clock& clock, const std::vector<TaggedPosition>& rows) {
  auto st = c.prepare("UPDATE positions SET tags = ?, strategy = ? WHERE id = ?");
  for (const auto& r : rows) {
    st.run_row(detail::join_tags(r.tags), r.strategy, r.id);
  }
  const std::string now = clock.iso8601();
  auto up = c.prepare("UPDATE portfolios SET updated_at = ? WHERE id = ?");
  for (auto id : detail::portfolios_of(rows)) {
    up.run_row(now, id);
  }
}

// attach (add) or detach: the tag must be registered.
std::size_t label(SqlConnection& c, const Clock& clock, const std::string& tenant,
                  const std::string& portfolio, const std::vector<std::string>& symbols,
                  const std::string& tag, bool add) {
  return c.transaction(tenant, [&] {
    // The tag's existence is checked inside the write transaction, FOR SHARE where there are row
    // locks: a concurrent remove of the tag waits, so it cannot vanish between the check and the write.
    auto registered = c.prepare(std::string("SELECT 1 FROM tags WHERE tenant = ? AND name = ?") +
                                std::string(c.dialect().lock(" FOR SHARE")));
    if (!registered.bind_all(tenant, tag).step()) {
      throw Error::not_found("no tag named " + shown_with(tag, 64, '\'') +
                             (add ? " (register it first)" : ""));
    }
    auto rows = rows_of(c, tenant, portfolio, symbols);
    const auto changed =
        add ? detail::adding_tag(std::move(rows), tag) : detail::removing_tag(std::move(rows), tag);
    write(c, clock, changed);
    return changed.size();
  });
}

}  // namespace

TagRecord TagRepository::create(const std::string& tenant, const std::string& name,
                                const std::string& description) {
  detail::check_new_tag(name, description);
  c_->transaction(tenant, [&] {
    // ON CONFLICT: of two concurrent creates, the second is told, not failed with a constraint.
    const auto added = c_->prepare(
                             "INSERT INTO tags (tenant, name, description, created_at) VALUES (?, ?, ?, ?) "
                             "ON CONFLICT (tenant, name) DO NOTHING")
                           .bind_all(tenant, name, description, clock_->iso8601())
                           .run();
    if (added == 0) throw Error::conflict("tag '" + name + "' already exists");
  });
  return *find(tenant, name);
}

std::vector<TagRecord> TagRepository::list(const std::string& tenant) {
  return c_->run(tenant, [&] {
    auto out = c_->prepare(std::string(detail::kTagSelect) + "WHERE tenant = ? ORDER BY name")
                   .bind(1, tenant)
                   .rows(detail::read_tag);
    const auto rows = tenant_rows(*c_, tenant);
    for (auto& t : out) t.positions = detail::count_carrying(rows, t.name);
    return out;
  });
}

std::optional<TagRecord> TagRepository::find(const std::string& tenant, const std::string& name) {
  return c_->run(tenant, [&]() -> std::optional<TagRecord> {
    auto t = c_->prepare(std::string(detail::kTagSelect) + "WHERE tenant = ? AND name = ?")
                 .bind_all(tenant, name)
                 .first(detail::read_tag);
    if (t) t->positions = detail::count_carrying(tenant_rows(*c_, tenant), name);
    return t;
  });
}

std::optional<std::size_t> TagRepository::remove(const std::string& tenant, const std::string& name) {
  return c_->transaction(tenant, [&]() -> std::optional<std::size_t> {
    if (c_->prepare("DELETE FROM tags WHERE tenant = ? AND name = ?").bind_all(tenant, name).run() == 0) {
      return std::nullopt;
    }
    const auto changed = detail::removing_tag(tenant_rows(*c_, tenant), name);
    write(*c_, *clock_, changed);
    return changed.size();
  });
}

std::size_t TagRepository::attach(const std::string& tenant, const std::string& portfolio,
                                  const std::vector<std::string>& symbols, const std::string& tag) {
  return label(*c_, *clock_, tenant, portfolio, symbols, tag, true);
}

std::size_t TagRepository::detach(const std::string& tenant, const std::string& portfolio,
                                  const std::vector<std::string>& symbols, const std::string& tag) {
  return label(*c_, *clock_, tenant, portfolio, symbols, tag, false);
}

std::size_t TagRepository::set_strategy(const std::string& tenant, const std::string& portfolio,
                                        const std::vector<std::string>& symbols,
                                        const std::string& strategy) {
  return c_->transaction(tenant, [&] {
    const auto changed = detail::setting_strategy(rows_of(*c_, tenant, portfolio, symbols), strategy);
    write(*c_, *clock_, changed);
    return changed.size();
  });
}

}  // namespace keel::store
