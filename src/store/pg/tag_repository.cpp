#include "tag_repository.h"

#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "tags_text.h"

namespace keel::store::pg {

using detail::TaggedPosition;

TagRecord PgTagRepository::create(const std::string& tenant, const std::string& name,
                                  const std::string& description) {
  detail::check_new_tag(name, description);
  s_->run(tenant, [&](Tx& tx) {
    // ON CONFLICT: of two concurrent creates, the second is told, not failed with a constraint.
    const auto r = tx.exec(
        "INSERT INTO tags (tenant, name, description, created_at) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (tenant, name) DO NOTHING",
        Params().add(tenant).add(name).add(description).add(clock_->iso8601()));
    if (r.affected_rows() == 0) throw Error::conflict("tag '" + name + "' already exists");
  });
  return *find(tenant, name);
}

std::vector<TagRecord> PgTagRepository::list(const std::string& tenant) {
  return s_->run(tenant, [&](Tx& tx) {
    std::vector<TagRecord> out;
    for (const auto& r :
         tx.exec(std::string(detail::kTagSelect) + "WHERE tenant = $1 ORDER BY name", Params().add(tenant))) {
      out.push_back(detail::read_tag(RowView(r)));
    }
    const auto rows = tenant_rows(tx, tenant);
    for (auto& t : out) t.positions = detail::count_carrying(rows, t.name);
    return out;
  });
}

std::optional<TagRecord> PgTagRepository::find(const std::string& tenant, const std::string& name) {
  return s_->run(tenant, [&](Tx& tx) -> std::optional<TagRecord> {
    const auto r = tx.exec(std::string(detail::kTagSelect) + "WHERE tenant = $1 AND name = $2",
                           Params().add(tenant).add(name));
    if (r.empty()) return std::nullopt;
    auto t = detail::read_tag(RowView(r[0]));
    t.positions = detail::count_carrying(tenant_rows(tx, tenant), name);
    return t;
  });
}

std::optional<std::size_t> PgTagRepository::remove(const std::string& tenant, const std::string& name) {
  return s_->run(tenant, [&](Tx& tx) -> std::optional<std::size_t> {
    const auto gone =
        tx.exec("DELETE FROM tags WHERE tenant = $1 AND name = $2", Params().add(tenant).add(name));
    if (gone.affected_rows() == 0) return std::nullopt;
    const auto changed = detail::removing_tag(tenant_rows(tx, tenant), name);
    write(tx, changed);
    return changed.size();
  });
}

std::size_t PgTagRepository::attach(const std::string& tenant, const std::string& portfolio,
                                    const std::vector<std::string>& symbols, const std::string& tag) {
  return label(tenant, portfolio, symbols, tag, true);
}

std::size_t PgTagRepository::detach(const std::string& tenant, const std::string& portfolio,
                                    const std::vector<std::string>& symbols, const std::string& tag) {
  return label(tenant, portfolio, symbols, tag, false);
}

std::size_t PgTagRepository::label(const std::string& tenant, const std::string& portfolio,
                                   const std::vector<std::string>& symbols, const std::string& tag,
                                   bool add) {
  return s_->run(tenant, [&](Tx& tx) {
    // FOR SHARE: a concurrent remove of the tag waits for this transaction, so the tag cannot
    // vanish between the check and the write.
    if (tx.exec("SELECT 1 FROM tags WHERE tenant = $1 AND name = $2 FOR SHARE", Params().add(tenant).add(tag))
            .empty()) {
      throw Error::not_found("no tag named " + shown_with(tag, 64, '\'') + (add ? " (register it first)" : ""));
    }
    auto rows = rows_of(tx, tenant, portfolio, symbols);
    const auto changed =
        add ? detail::adding_tag(std::move(rows), tag) : detail::removing_tag(std::move(rows), tag);
    write(tx, changed);
    return changed.size();
  });
}

std::size_t PgTagRepository::set_strategy(const std::string& tenant, const std::string& portfolio,
                                          const std::vector<std::string>& symbols,
                                          const std::string& strategy) {
  return s_->run(tenant, [&](Tx& tx) {
    const auto changed = detail::setting_strategy(rows_of(tx, tenant, portfolio, symbols), strategy);
    write(tx, changed);
    return changed.size();
  });
}

std::vector<TaggedPosition> PgTagRepository::tenant_rows(Tx& tx, const std::string& tenant) {
  std::vector<TaggedPosition> out;
  for (const auto& r : tx.exec(std::string(detail::kTaggedPositionSelect) + "WHERE t.name = $1 ORDER BY p.id",
                               Params().add(tenant))) {
    out.push_back(detail::read_tagged_position(RowView(r)));
  }
  return out;
}

std::vector<TaggedPosition> PgTagRepository::rows_of(Tx& tx, const std::string& tenant,
                                                     const std::string& portfolio,
                                                     const std::vector<std::string>& symbols) {
  // FOR UPDATE on the portfolio: concurrent label edits of one portfolio take turns, so neither
  // writes back tags read before the other's commit.
  const auto p = tx.exec(
      "SELECT f.id FROM portfolios f JOIN tenants t ON t.id = f.tenant_id WHERE t.name = $1 AND f.name = $2 "
      "FOR UPDATE OF f",
      Params().add(tenant).add(portfolio));
  if (p.empty()) throw Error::not_found("no portfolio named \"" + portfolio + "\"");
  std::vector<TaggedPosition> rows;
  for (const auto& r : tx.exec(std::string(detail::kTaggedPositionSelect) +
                                   "WHERE t.name = $1 AND p.portfolio_id = $2 ORDER BY p.ordinal",
                               Params().add(tenant).add(integer(p[0][0])))) {
    rows.push_back(detail::read_tagged_position(RowView(r)));
  }
  return detail::positions_of_symbols(std::move(rows), symbols, portfolio);
}

void PgTagRepository::write(Tx& tx, const std::vector<TaggedPosition>& rows) {
  for (const auto& r : rows) {
    tx.exec("UPDATE positions SET tags = $1, strategy = $2 WHERE id = $3",
            Params().add(detail::join_tags(r.tags)).add(r.strategy).add(r.id));
  }
  const std::string now = clock_->iso8601();
  for (auto id : detail::portfolios_of(rows)) {
    tx.exec("UPDATE portfolios SET updated_at = $1 WHERE id = $2", Params().add(now).add(id));
  }
}

}  // namespace keel::store::pg
