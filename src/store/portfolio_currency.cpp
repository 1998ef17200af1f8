// A portfolio's reporting currency (portfolios.base_currency, migration 1), changed on its own.
#include "sql_store.h"

namespace keel::store {

bool SqlStore::set_portfolio_currency(const std::string& tenant, const std::string& name,
                                      const std::string& currency) {
  return c_->transaction(tenant, [&] {
    auto st = c_->prepare(
        "UPDATE portfolios SET base_currency = ?, updated_at = ? WHERE name = ? AND tenant_id = (SELECT id FROM "
        "tenants WHERE name = ?)");
    SqlBinder(st).add(currency).add(clock_->iso8601()).add(name).add(tenant);
    return st.run() > 0;
  });
}

}  // namespace keel::store
