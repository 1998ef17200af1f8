// keel/service/rules.h: who may do what, and what is written down — the rules every use case
// applies itself, so that every face (the keel command, keel serve's routes and jobs, the Python
// module) gets the same decision and leaves the same audit row.
//
// A use case that changes something declares a UseCase: what it is called in messages, the
// Permission its actor's role must hold, and its audit action. It calls authorize() before it
// touches anything (a refusal is Error::forbidden, audited as `auth.forbidden`) and audit() once
// its change is stored. The actor — user, tenant, role, client address, request id — comes from
// the Context (keel/service/context.h): the signed-in user under keel serve, the machine's
// operator under the keel command (an admin; docs/security.md, "Who acts").
//
// Roles: viewer reads its tenant's data; analyst also runs calculations and imports positions into
// its tenant; manager also creates and deletes portfolios and manages the users of its tenant;
// admin holds every permission, including shared market data (prices belong to no tenant), the
// audit log and the tenant's API keys. Tenant isolation is separate: every lookup is scoped to
// the actor's tenant.
//
// Thread-safety: pure functions, but audit() writes through the Context's store (one thread).
#pragma once

#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "keel/core/role.h"

namespace keel::service {

struct Context;

enum class Permission {
  kRead,              // portfolios, positions, cached results, jobs, accounts, tags, ALM sessions, reports
  kCompute,           // risk, options, exposures, planning, ALM, CLO runs, reconcile, batch; jobs
  kImportPositions,   // positions, transactions, tags/strategies on positions, ALM sessions, CLO deals
  kManagePortfolios,  // create and delete portfolios, accounts, CLO deals and registered tags
  kManageUsers,       // list, add and disable users of the tenant (admin: of every tenant)
  kImportMarketData,  // prices (shared by every tenant)
  kReadAudit,         // the audit log
  kManageKeys,        // the tenant's API keys, and the assistant's providers that send them
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
bool role_allows(Role role, Permission p);

// "admin", "manager", "analyst", "viewer": a role as tokens, audit rows and the faces name it.
std::string_view role_name(Role role);
std::optional<Role> parse_role(std::string_view text);  // nullopt for any other text

// What a use case that changes something declares once, for every face.
struct UseCase {
  std::string_view what;    // for messages: "delete portfolios" ("role viewer may not delete portfolios")
  Permission permission;    // the actor's role must hold it
  std::string_view action;  // the audit action written when the change is stored
};

// "role viewer may not delete portfolios: it needs the permission manage_portfolios": how every
// face words a refusal of `use_case` to `role`.
std::string refusal_message(Role role, const UseCase& use_case);

// Error::forbidden (audited as `auth.forbidden`, resource `resource`, details permission and
// use_case) unless the Context's actor may perform `use_case`.
void authorize(const Context& cx, const UseCase& use_case, std::string_view resource);

// A refusal beyond the permission (a manager asking for an admin's act: "only an admin may create
// an admin"): Error::forbidden(`message`), audited as authorize() audits one, with `message` in the
// details as `reason`, so every face leaves the same row.
[[noreturn]] void refuse(const Context& cx, const UseCase& use_case, std::string_view resource,
                         const std::string& message);

// Appends the audit row of `use_case`'s action for the Context's actor: resource ("portfolio/12"),
// details (a JSON object; never a secret), outcome ("ok", "failed", "denied"). Nothing is written
// without a store (a command working on files alone stores nothing to audit).
void audit(const Context& cx, const UseCase& use_case, std::string_view resource, const nlohmann::json& details,
           std::string_view outcome = "ok");

// The same for an action that is not a use case's own (`auth.forbidden`, `outbound.refused`).
void audit_action(const Context& cx, std::string_view action, std::string_view resource,
                  const nlohmann::json& details, std::string_view outcome);

}  // namespace keel::service
