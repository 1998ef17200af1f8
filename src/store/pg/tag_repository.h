// src/store/pg/tag_repository.h: the tag registry and the positions' labels on PostgreSQL
// (keel/store/tag_repository.h). Every call runs under its tenant, so row-level security filters
// and checks what the SQL's own tenant conditions do; the decisions (which positions change and
// how) are the SQLite backend's, shared through src/store/tag_edits.h.
//
// Thread-safety: one thread at a time, like the owning store. Ownership: the store owns it.
#pragma once

#include "keel/core/env.h"
#include "keel/store/tag_repository.h"
#include "session.h"
#include "tag_edits.h"

namespace keel::store::pg {

class PgTagRepository final : public TagRepository {
 public:
  PgTagRepository(Session& s, const Clock& clock) : s_(&s), clock_(&clock) {}
  TagRecord create(const std::string& tenant, const std::string& name,
                   const std::string& description) override;
  std::vector<TagRecord> list(const std::string& tenant) override;
  std::optional<TagRecord> find(const std::string& tenant, const std::string& name) override;
  std::optional<std::size_t> remove(const std::string& tenant, const std::string& name) override;
  std::size_t attach(const std::string& tenant, const std::string& portfolio,
                     const std::vector<std::string>& symbols, const std::string& tag) override;
  std::size_t detach(const std::string& tenant, const std::string& portfolio,
                     const std::vector<std::string>& symbols, const std::string& tag) override;
  std::size_t set_strategy(const std::string& tenant, const std::string& portfolio,
                           const std::vector<std::string>& symbols, const std::string& strategy) override;

 private:
  // attach (add) or detach: the tag must be registered.
  std::size_t label(const std::string& tenant, const std::string& portfolio,
                    const std::vector<std::string>& symbols, const std::string& tag, bool add);
  std::vector<detail::TaggedPosition> tenant_rows(Tx& tx, const std::string& tenant);
  std::vector<detail::TaggedPosition> rows_of(Tx& tx, const std::string& tenant, const std::string& portfolio,
                                              const std::vector<std::string>& symbols);
  void write(Tx& tx, const std::vector<detail::TaggedPosition>& rows);
  Session* s_;
  const Clock* clock_;
};

}  // namespace keel::store::pg
