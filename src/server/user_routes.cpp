// Users of a tenant: GET/POST /api/v1/users, POST /api/v1/users/{id}/disable.
// A manager sees and manages its own tenant only and cannot create or disable admins; an admin
// manages every tenant.
#include "app.h"
#include "requests.h"

namespace keel::server {
namespace {

nlohmann::json user_json(const store::UserRecord& u) {
  return {{"id", u.id},           {"username", u.username},     {"tenant", u.tenant},
          {"role", store::role_name(u.role)}, {"disabled", u.disabled}, {"created_at", u.created_at},
          {"updated_at", u.updated_at}};
}

void list_users(Call& c) {
  const auto& p = c.principal();
  std::optional<std::string> tenant = p.tenant;
  if (p.role == store::Role::kAdmin) tenant = c.query("tenant");
  const Page page = read_page(c);
  std::int64_t after = 0;
  if (page.cursor) after = cursor_number(page, "u:");
  const auto users = c.store().users().list(tenant);
  nlohmann::json items = nlohmann::json::array();
  std::optional<std::int64_t> last;
  bool more = false;
  for (const auto& u : users) {
    if (u.id <= after) continue;
    if (items.size() == page.limit) {
      more = true;
      break;
    }
    items.push_back(user_json(u));
    last = u.id;
  }
  c.send(200, {{"items", items}, {"next_cursor", more ? nlohmann::json(encode_cursor("u:" + std::to_string(*last))) : nlohmann::json(nullptr)}});
}

void create_user(Call& c) {
  const auto body = c.json_body();
  Fields f(body);
  const auto username = f.text("username");
  const auto password = f.text("password");
  const auto role_text = f.text("role");
  auto tenant = f.text("tenant");
  if (!username || username->empty()) f.fail("username", "required");
  if (!password) f.fail("password", "required");
  else if (password->size() < 8) f.fail("password", "at least 8 characters");
  std::optional<store::Role> role;
  if (!role_text) f.fail("role", "required: admin, manager, analyst or viewer");
  else if (!(role = store::parse_role(*role_text))) f.fail("role", "expected admin, manager, analyst or viewer");
  f.throw_if_errors("user");
  const auto& p = c.principal();
  if (p.role != store::Role::kAdmin) {
    if (tenant && *tenant != p.tenant) throw Error(ErrorCode::kForbidden, "a manager adds users to its own tenant only");
    if (*role == store::Role::kAdmin) throw Error(ErrorCode::kForbidden, "only an admin may create an admin");
    tenant = p.tenant;
  }
  if (!tenant) tenant = p.tenant;
  const std::string hash = c.app.hasher.hash(*password);
  const auto user = c.store().users().add(*username, *tenant, *role, hash);
  c.audit("user.create", "user/" + std::to_string(user.id),
          {{"username", user.username}, {"tenant", user.tenant}, {"role", store::role_name(user.role)}});
  c.send(201, user_json(user));
}

void disable_user(Call& c) {
  const auto& p = c.principal();
  store::UserRepository& repo = c.store().users();
  const auto user = repo.find_id(c.int_param("id"));
  if (!user || (p.role != store::Role::kAdmin && user->tenant != p.tenant)) {
    throw Error::not_found("no user " + c.param("id"));
  }
  if (p.role != store::Role::kAdmin && user->role == store::Role::kAdmin) {
    throw Error(ErrorCode::kForbidden, "only an admin may disable an admin");
  }
  repo.set_disabled(user->username, true);
  c.audit("user.disable", "user/" + std::to_string(user->id), {{"username", user->username}});
  c.send(200, user_json(*repo.find_id(user->id)));
}

}  // namespace

void add_user_routes(App& app) {
  app.add_route({"GET", "/api/v1/users", "Users of the caller's tenant (admin: all, ?tenant=)", "users",
                 Permission::kManageUsers, list_users});
  app.add_route({"POST", "/api/v1/users", "Add a user {username,password,role[,tenant]}", "users",
                 Permission::kManageUsers, create_user, "json"});
  app.add_route({"POST", "/api/v1/users/{id}/disable", "Disable a user (revokes its tokens)", "users",
                 Permission::kManageUsers, disable_user});
}

}  // namespace keel::server
