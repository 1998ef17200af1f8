// src/store/sql_fx_repository.h (private): FxRepository (keel/store/fx_repository.h) over
// SqlConnection, for both backends.
//
// Thread-safety: one thread at a time, like the owning store. Ownership: the store owns it; the
// connection outlives it.
#pragma once

#include "keel/store/fx_repository.h"
#include "sql.h"

namespace keel::store {

class SqlFxRepository final : public FxRepository {
 public:
  explicit SqlFxRepository(SqlConnection& c) : c_(&c) {}
  FxUpsertStats upsert(const FxRows& rows) override;
  FxRows rows(const std::vector<std::string>& currencies, std::optional<Date> from,
              std::optional<Date> to) override;
  std::vector<FxPairSummary> pairs() override;

 private:
  SqlConnection* c_;
};

}  // namespace keel::store
