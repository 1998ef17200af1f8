// The tag registry and the positions' labels (keel/store/tag_repository.h) on both backends. The
// positions concerned are read into TaggedPosition rows (tags split from their ';' column); the
// functions below choose, apart from the SQL, the rows that change and how, and only those are
// written back.
#include "keel/store/tag_repository.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "sql.h"
#include "tags_text.h"

namespace keel::store {
namespace {

using detail::join_tags;
using detail::split_tags;

struct TaggedPosition {
  std::int64_t id = 0;
  std::int64_t portfolio_id = 0;
  std::string symbol;
  std::vector<std::string> tags;
  std::string strategy;
};

constexpr std::size_t kMaxTagName = 64;
constexpr std::size_t kMaxTagDescription = 500;

// Throws invalid_input naming "name" / "description" (see TagRepository::create).
void check_new_tag(const std::string& name, const std::string& description) {
  std::vector<std::string> problems;
  if (name.empty()) problems.push_back("name: required");
  if (name.size() > kMaxTagName) problems.push_back("name: at most 64 characters");
  if (std::any_of(name.begin(), name.end(),
                  [](char c) { return c == ';' || c == ',' || static_cast<unsigned char>(c) < 0x20; })) {
    problems.push_back("name: may not hold ';', ',' or control characters");
  }
  if (description.size() > kMaxTagDescription) problems.push_back("description: at most 500 characters");
  if (!problems.empty()) throw Error::invalid_input("invalid tag", problems);
}

bool carries(const TaggedPosition& p, const std::string& tag) {
  return std::find(p.tags.begin(), p.tags.end(), tag) != p.tags.end();
}

std::size_t count_carrying(const std::vector<TaggedPosition>& rows, const std::string& tag) {
  return static_cast<std::size_t>(
      std::count_if(rows.begin(), rows.end(), [&](const TaggedPosition& p) { return carries(p, tag); }));
}

// The rows (a portfolio's positions in order) whose symbol is in `symbols`. Throws not_found with
// one detail per symbol the portfolio does not hold.
std::vector<TaggedPosition> positions_of_symbols(std::vector<TaggedPosition> rows,
                                                 const std::vector<std::string>& symbols,
                                                 const std::string& portfolio) {
  const std::set<std::string> wanted(symbols.begin(), symbols.end());
  std::set<std::string> seen;
  std::vector<TaggedPosition> out;
  for (auto& r : rows) {
    if (!wanted.count(r.symbol)) continue;
    seen.insert(r.symbol);
    out.push_back(std::move(r));
  }
  std::vector<std::string> missing;
  for (const auto& s : wanted) {
    if (!seen.count(s))
      missing.push_back("symbols: no position in " + s + " in portfolio \"" + portfolio + "\"");
  }
  if (!missing.empty()) throw Error(ErrorCode::kNotFound, "positions not found", missing);
  return out;
}

// The rows that change when `tag` is added to each of them, with the tag added.
std::vector<TaggedPosition> adding_tag(std::vector<TaggedPosition> rows, const std::string& tag) {
  std::vector<TaggedPosition> changed;
  for (auto& r : rows) {
    if (carries(r, tag)) continue;
    r.tags.push_back(tag);
    changed.push_back(std::move(r));
  }
  return changed;
}

// The rows that change when `tag` is removed from each of them, with the tag removed.
std::vector<TaggedPosition> removing_tag(std::vector<TaggedPosition> rows, const std::string& tag) {
  std::vector<TaggedPosition> changed;
  for (auto& r : rows) {
    if (std::erase(r.tags, tag) > 0) changed.push_back(std::move(r));
  }
  return changed;
}

// The rows whose strategy differs from `strategy`, with it set.
std::vector<TaggedPosition> setting_strategy(std::vector<TaggedPosition> rows, const std::string& strategy) {
  std::vector<TaggedPosition> changed;
  for (auto& r : rows) {
    if (r.strategy == strategy) continue;
    r.strategy = strategy;
    changed.push_back(std::move(r));
  }
  return changed;
}

// The distinct portfolios of `rows` (their updated_at moves when their positions change).
std::set<std::int64_t> portfolios_of(const std::vector<TaggedPosition>& rows) {
  std::set<std::int64_t> out;
  for (const auto& r : rows) out.insert(r.portfolio_id);
  return out;
}

// SELECT list and joins of the rows above; each query appends its tenant condition.
constexpr const char* kTaggedPositionSelect =
    "SELECT p.id, p.portfolio_id, i.symbol, COALESCE(p.tags, ''), COALESCE(p.strategy, '') "
    "FROM positions p JOIN instruments i ON i.id = p.instrument_id "
    "JOIN portfolios f ON f.id = p.portfolio_id JOIN tenants t ON t.id = f.tenant_id ";

constexpr const char* kTagSelect = "SELECT id, tenant, name, description, created_at FROM tags ";

// Decoders of the two SELECTs above, reading a SqlStatement's row (sql.h) by column index.
TaggedPosition read_tagged_position(const SqlStatement& r) {
  return {r.get_int(0), r.get_int(1), r.get_text(2), split_tags(r.get_text(3)), r.get_text(4)};
}

TagRecord read_tag(const SqlStatement& r) {
  TagRecord t;
  read_row(r, 0, t.id, t.tenant, t.name, t.description, t.created_at);
  return t;
}

std::vector<TaggedPosition> tenant_rows(SqlConnection& c, const std::string& tenant) {
  auto st = c.prepare(std::string(kTaggedPositionSelect) + "WHERE t.name = ? ORDER BY p.id");
  st.bind(1, tenant);
  return st.rows(read_tagged_position);
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
  auto rows = c.prepare(std::string(kTaggedPositionSelect) +
                        "WHERE t.name = ? AND p.portfolio_id = ? ORDER BY p.ordinal")
                  .bind_all(tenant, pid)
                  .rows(read_tagged_position);
  return positions_of_symbols(std::move(rows), symbols, portfolio);
}

void write(SqlConnection& c, const Clock& clock, const std::vector<TaggedPosition>& rows) {
  auto st = c.prepare("UPDATE positions SET tags = ?, strategy = ? WHERE id = ?");
  for (const auto& r : rows) {
    st.run_row(join_tags(r.tags), r.strategy, r.id);
  }
  const std::string now = clock.iso8601();
  auto up = c.prepare("UPDATE portfolios SET updated_at = ? WHERE id = ?");
  for (auto id : portfolios_of(rows)) {
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
    const auto changed = add ? adding_tag(std::move(rows), tag) : removing_tag(std::move(rows), tag);
    write(c, clock, changed);
    return changed.size();
  });
}

}  // namespace

TagRecord TagRepository::create(const std::string& tenant, const std::string& name,
                                const std::string& description) {
  check_new_tag(name, description);
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
    auto out = c_->prepare(std::string(kTagSelect) + "WHERE tenant = ? ORDER BY name")
                   .bind(1, tenant)
                   .rows(read_tag);
    const auto rows = tenant_rows(*c_, tenant);
    for (auto& t : out) t.positions = count_carrying(rows, t.name);
    return out;
  });
}

std::optional<TagRecord> TagRepository::find(const std::string& tenant, const std::string& name) {
  return c_->run(tenant, [&]() -> std::optional<TagRecord> {
    auto t = c_->prepare(std::string(kTagSelect) + "WHERE tenant = ? AND name = ?")
                 .bind_all(tenant, name)
                 .first(read_tag);
    if (t) t->positions = count_carrying(tenant_rows(*c_, tenant), name);
    return t;
  });
}

std::optional<std::size_t> TagRepository::remove(const std::string& tenant, const std::string& name) {
  return c_->transaction(tenant, [&]() -> std::optional<std::size_t> {
    if (c_->prepare("DELETE FROM tags WHERE tenant = ? AND name = ?").bind_all(tenant, name).run() == 0) {
      return std::nullopt;
    }
    const auto changed = removing_tag(tenant_rows(*c_, tenant), name);
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
    const auto changed = setting_strategy(rows_of(*c_, tenant, portfolio, symbols), strategy);
    write(*c_, *clock_, changed);
    return changed.size();
  });
}

}  // namespace keel::store
