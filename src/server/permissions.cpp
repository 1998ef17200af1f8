#include "keel/server/permissions.h"

namespace keel::server {

std::string_view permission_name(Permission p) {
  switch (p) {
    case Permission::kRead: return "read";
    case Permission::kCompute: return "compute";
    case Permission::kImportPositions: return "import_positions";
    case Permission::kManagePortfolios: return "manage_portfolios";
    case Permission::kManageUsers: return "manage_users";
    case Permission::kImportMarketData: return "import_market_data";
    case Permission::kReadAudit: return "read_audit";
    case Permission::kManageKeys:
      return "manage_keys";
  }
  return "unknown";
}

bool role_allows(store::Role role, Permission p) {
  using store::Role;
  switch (p) {
    case Permission::kRead: return true;
    case Permission::kCompute:
    case Permission::kImportPositions: return role != Role::kViewer;
    case Permission::kManagePortfolios:
    case Permission::kManageUsers: return role == Role::kAdmin || role == Role::kManager;
    case Permission::kImportMarketData:
    case Permission::kReadAudit:
    case Permission::kManageKeys:
      return role == Role::kAdmin;
  }
  return false;
}

}  // namespace keel::server
