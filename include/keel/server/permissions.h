// keel/server/permissions.h: what each role may do (the matrix of docs/security.md).
//
// Every API route names one Permission; a request is allowed when the caller's role holds it.
// Roles: viewer reads its tenant's data; analyst also runs calculations and imports positions into
// its tenant; manager also creates and deletes portfolios and manages the users of its tenant;
// admin holds every permission, including shared market data (prices belong to no tenant), the
// audit log and the tenant's API keys. Tenant isolation is separate: every resource lookup is
// scoped to the caller's tenant.
//
// Thread-safety: pure functions.
#pragma once

#include <array>
#include <string_view>

#include "keel/store/user_repository.h"

namespace keel::server {

enum class Permission {
  kRead,              // portfolios, positions, cached results, jobs, accounts, tags, ALM sessions, reports
  kCompute,           // risk, options, exposures, planning, ALM, CLO runs, reconcile, batch; jobs
  kImportPositions,   // positions, transactions, tags/strategies on positions, ALM sessions of the tenant
  kManagePortfolios,  // create and delete portfolios, accounts and registered tags of the tenant
  kManageUsers,       // list, add and disable users of the tenant (admin: of every tenant)
  kImportMarketData,  // prices (shared by every tenant)
  kReadAudit,         // the audit log
  kManageKeys,        // the tenant's API keys in the key vault: set, list (names, fingerprints), delete
};

inline constexpr std::array<Permission, 8> kAllPermissions = {Permission::kRead,
                                                              Permission::kCompute,
                                                              Permission::kImportPositions,
                                                              Permission::kManagePortfolios,
                                                              Permission::kManageUsers,
                                                              Permission::kImportMarketData,
                                                              Permission::kReadAudit,
                                                              Permission::kManageKeys};

std::string_view permission_name(Permission p);  // "read", "compute", ...
bool role_allows(store::Role role, Permission p);

}  // namespace keel::server
