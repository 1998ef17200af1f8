// src/store/tag_edits.h (private): what the tag registry does to the positions' labels, apart from
// the SQL that reads and writes them, so both backends' TagRepository decide the same way.
//
// A backend reads the positions concerned into TaggedPosition rows (tags split from their ';'
// column), lets these functions choose the rows that change and how, then writes back only those.
//
// Thread-safety: pure functions.
#pragma once

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "keel/core/error.h"
#include "keel/store/tag_repository.h"
#include "sql.h"
#include "tags_text.h"

namespace keel::store::detail {

struct TaggedPosition {
  std::int64_t id = 0;
  std::int64_t portfolio_id = 0;
  std::string symbol;
  std::vector<std::string> tags;
  std::string strategy;
};

inline constexpr std::size_t kMaxTagName = 64;
inline constexpr std::size_t kMaxTagDescription = 500;

// Throws invalid_input naming "name" / "description" (see TagRepository::create).
inline void check_new_tag(const std::string& name, const std::string& description) {
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

inline bool carries(const TaggedPosition& p, const std::string& tag) {
  return std::find(p.tags.begin(), p.tags.end(), tag) != p.tags.end();
}

inline std::size_t count_carrying(const std::vector<TaggedPosition>& rows, const std::string& tag) {
  return static_cast<std::size_t>(
      std::count_if(rows.begin(), rows.end(), [&](const TaggedPosition& p) { return carries(p, tag); }));
}

// The rows (a portfolio's positions in order) whose symbol is in `symbols`. Throws not_found with
// one detail per symbol the portfolio does not hold.
inline std::vector<TaggedPosition> positions_of_symbols(std::vector<TaggedPosition> rows,
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
inline std::vector<TaggedPosition> adding_tag(std::vector<TaggedPosition> rows, const std::string& tag) {
  std::vector<TaggedPosition> changed;
  for (auto& r : rows) {
    if (carries(r, tag)) continue;
    r.tags.push_back(tag);
    changed.push_back(std::move(r));
  }
  return changed;
}

// The rows that change when `tag` is removed from each of them, with the tag removed.
inline std::vector<TaggedPosition> removing_tag(std::vector<TaggedPosition> rows, const std::string& tag) {
  std::vector<TaggedPosition> changed;
  for (auto& r : rows) {
    if (std::erase(r.tags, tag) > 0) changed.push_back(std::move(r));
  }
  return changed;
}

// The rows whose strategy differs from `strategy`, with it set.
inline std::vector<TaggedPosition> setting_strategy(std::vector<TaggedPosition> rows,
                                                    const std::string& strategy) {
  std::vector<TaggedPosition> changed;
  for (auto& r : rows) {
    if (r.strategy == strategy) continue;
    r.strategy = strategy;
    changed.push_back(std::move(r));
  }
  return changed;
}

// The distinct portfolios of `rows` (their updated_at moves when their positions change).
inline std::set<std::int64_t> portfolios_of(const std::vector<TaggedPosition>& rows) {
  std::set<std::int64_t> out;
  for (const auto& r : rows) out.insert(r.portfolio_id);
  return out;
}

// SELECT list and joins of the rows above, portable to both backends; a backend appends its
// tenant condition (`t.name = ?` / `$1`).
inline constexpr const char* kTaggedPositionSelect =
    "SELECT p.id, p.portfolio_id, i.symbol, COALESCE(p.tags, ''), COALESCE(p.strategy, '') "
    "FROM positions p JOIN instruments i ON i.id = p.instrument_id "
    "JOIN portfolios f ON f.id = p.portfolio_id JOIN tenants t ON t.id = f.tenant_id ";

inline constexpr const char* kTagSelect = "SELECT id, tenant, name, description, created_at FROM tags ";

// Decoders of the two SELECTs above, reading a SqlStatement's row (sql.h) by column index.
inline TaggedPosition read_tagged_position(const SqlStatement& r) {
  return {r.get_int(0), r.get_int(1), r.get_text(2), split_tags(r.get_text(3)), r.get_text(4)};
}

inline TagRecord read_tag(const SqlStatement& r) {
  TagRecord t;
  read_row(r, 0, t.id, t.tenant, t.name, t.description, t.created_at);
  return t;
}

}  // namespace keel::store::detail
