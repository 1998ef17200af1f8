// keel/store/tag_repository.h: a tenant's registry of position tags, and the labels (tags and
// strategy) carried by stored positions.
//
// The registry (table `tags`, migration 10) names the tags a tenant uses, with a description.
// The positions' own `tags` column (';'-separated text) stays the source of truth for what a
// position carries — `keel exposures --by tag` reads it — so attaching and detaching edit that
// column, and deleting a registered tag also removes it from every position of the tenant.
// Every write is one database transaction and bumps the changed portfolios' `updated_at`.
//
// TagRepository is a concrete class, written once over the store's SQL connection (either backend);
// Store::tags() hands it out.
//
// Thread-safety: like the Store that owns it, one thread at a time. Ownership: the Store owns the
// repository; the reference lives as long as the Store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace keel {
class Clock;
}  // namespace keel

namespace keel::store {

class SqlConnection;  // the store's connection to its database

struct TagRecord {
  std::int64_t id = 0;
  std::string tenant;
  std::string name;
  std::string description;
  std::string created_at;     // ISO-8601 UTC
  std::size_t positions = 0;  // positions of the tenant carrying the tag
};

class TagRepository {
 public:
  TagRepository(SqlConnection& c, const Clock& clock) : c_(&c), clock_(&clock) {}

  // Registers a tag. Throws keel::Error: invalid_input (naming "name" / "description") for an
  // empty name, one over 64 characters or one holding ';' ',' or control characters, or a
  // description over 500 characters; conflict when the tenant already has the tag.
  TagRecord create(const std::string& tenant, const std::string& name, const std::string& description);
  // The tenant's tags by name, each with the number of positions carrying it.
  std::vector<TagRecord> list(const std::string& tenant);
  std::optional<TagRecord> find(const std::string& tenant, const std::string& name);
  // Unregisters the tag and removes it from every position of the tenant; returns the number of
  // positions changed, or nullopt when the tenant has no such tag.
  std::optional<std::size_t> remove(const std::string& tenant, const std::string& name);

  // Adds (attach) or removes (detach) `tag` on the positions of `portfolio` whose symbol is in
  // `symbols` (every position of a symbol held more than once). Returns the positions changed.
  // Throws not_found when the portfolio, the registered tag or a symbol is missing (every missing
  // symbol listed); nothing is changed then.
  std::size_t attach(const std::string& tenant, const std::string& portfolio,
                     const std::vector<std::string>& symbols, const std::string& tag);
  std::size_t detach(const std::string& tenant, const std::string& portfolio,
                     const std::vector<std::string>& symbols, const std::string& tag);
  // Sets the strategy of those positions ("" clears it). Same failures as attach, without the tag.
  std::size_t set_strategy(const std::string& tenant, const std::string& portfolio,
                           const std::vector<std::string>& symbols, const std::string& strategy);

 private:
  SqlConnection* c_;
  const Clock* clock_;
};

}  // namespace keel::store
