// Permissions, authorization and audit of the use cases (keel/service/rules.h).
#include "keel/service/rules.h"

#include <fmt/format.h>

#include <cstdlib>

#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "keel/service/context.h"
#include "keel/store/audit_repository.h"
#include "keel/store/store.h"

namespace keel::service {

std::string_view permission_name(Permission p) {
  switch (p) {
    case Permission::kRead: return "read";
    case Permission::kCompute: return "compute";
    case Permission::kImportPositions: return "import_positions";
    case Permission::kManagePortfolios: return "manage_portfolios";
    case Permission::kManageUsers: return "manage_users";
    case Permission::kImportMarketData: return "import_market_data";
    case Permission::kReadAudit: return "read_audit";
    case Permission::kManageKeys: return "manage_keys";
  }
  return "unknown";
}

// One table of the names: the store's, which keeps them in its rows.
std::string_view role_name(Role role) { return store::role_name(role); }
std::optional<Role> parse_role(std::string_view text) { return store::parse_role(text); }

bool role_allows(Role role, Permission p) {
  switch (p) {
    case Permission::kRead: return true;
    case Permission::kCompute:
    case Permission::kImportPositions: return role != Role::kViewer;
    case Permission::kManagePortfolios:
    case Permission::kManageUsers: return role == Role::kAdmin || role == Role::kManager;
    case Permission::kImportMarketData:
    case Permission::kReadAudit:
    case Permission::kManageKeys: return role == Role::kAdmin;
  }
  return false;
}

Actor operator_actor(const std::string& tenant) {
  const char* who = std::getenv("USER");
  Actor a;
  a.user = fmt::format("cli:{}", who != nullptr && *who != '\0' ? who : "unknown");
  a.tenant = tenant;
  a.role = store::Role::kAdmin;
  a.client = "local";
  return a;
}

std::string audit_user(const Actor& actor) {
  if (actor.user.empty()) return "keel";
  return actor.operator_user.empty() ? actor.user : fmt::format("{} as {}", actor.operator_user, actor.user);
}

void audit_action(const Context& cx, std::string_view action, std::string_view resource,
                  const nlohmann::json& details, std::string_view outcome) {
  if (cx.store == nullptr) return;
  store::AuditEntry e;
  e.username = shown_with(audit_user(cx.actor), 200, 0);
  e.tenant = cx.actor.tenant;
  e.action = std::string(action);
  e.resource = shown_with(resource, 300, 0);
  e.outcome = std::string(outcome);
  e.client = cx.actor.client;
  e.request_id = cx.actor.request_id;
  e.details = details.is_null() ? "{}" : details.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  cx.store->audit().append(e);
}

void audit(const Context& cx, const UseCase& use_case, std::string_view resource, const nlohmann::json& details,
           std::string_view outcome) {
  audit_action(cx, use_case.action, resource, details, outcome);
}

namespace {

void audit_refusal(const Context& cx, const UseCase& use_case, std::string_view resource, nlohmann::json details) {
  details["permission"] = std::string(permission_name(use_case.permission));
  details["use_case"] = std::string(use_case.action);
  details["role"] = std::string(store::role_name(cx.actor.role));
  try {
    audit_action(cx, "auth.forbidden", resource, details, "denied");
  } catch (...) {
    // The refusal stands whether or not it could be written down.
  }
}

}  // namespace

void authorize(const Context& cx, const UseCase& use_case, std::string_view resource) {
  if (role_allows(cx.actor.role, use_case.permission)) return;
  audit_refusal(cx, use_case, resource, nlohmann::json::object());
  throw Error::forbidden(refusal_message(cx.actor.role, use_case));
}

void refuse(const Context& cx, const UseCase& use_case, std::string_view resource, const std::string& message) {
  audit_refusal(cx, use_case, resource, {{"reason", message}});
  throw Error::forbidden(message);
}

std::string refusal_message(Role role, const UseCase& use_case) {
  return fmt::format("role {} may not {}: it needs the permission {}", store::role_name(role), use_case.what,
                     permission_name(use_case.permission));
}

}  // namespace keel::service
