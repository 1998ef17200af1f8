// Users of a tenant: GET/POST /api/v1/users, POST /api/v1/users/{id}/disable|enable|role.
// A manager sees and manages its own tenant only and cannot create, change or disable admins, nor
// make anyone an admin; an admin manages every tenant. Nobody changes their own role or disables
// themselves (an administrator could otherwise lock every administrator out).
#include "app.h"
#include "resources.h"

namespace keel::server {
namespace {

void list_users(Call& c) {
  const auto q = c.query_as<UserListQuery>("user list parameters");
  const auto& p = c.principal();
  std::optional<std::string> tenant = p.tenant;
  if (p.role == store::Role::kAdmin) tenant = q.filter.tenant;
  const Page page = decode_page(q.page.limit, q.page.cursor);
  std::int64_t after = 0;
  if (page.cursor) after = cursor_number(page, "u:");
  PageOf<service::UserResult> out;
  for (auto& u : service::list_users(c.service(), {tenant}).items) {
    if (u.id <= after) continue;
    if (out.items.size() == page.limit) {
      out.next_cursor.emplace(encode_cursor("u:" + std::to_string(out.items.back().id)));
      break;
    }
    out.items.push_back(std::move(u));
  }
  c.send(200, spec::to_json(out));
}

void create_user(Call& c) {
  service::CreateUserRequest req;
  spec::read_json(c.json_body(), req, "user");
  const auto& p = c.principal();
  if (p.role != store::Role::kAdmin) {
    if (req.tenant && *req.tenant != p.tenant) {
      throw Error(ErrorCode::kForbidden, "a manager adds users to its own tenant only");
    }
    if (req.role == store::Role::kAdmin) throw Error(ErrorCode::kForbidden, "only an admin may create an admin");
  }
  if (!req.tenant) req.tenant = p.tenant;
  const auto user = service::create_user(c.service(), req,
                                         [&c](const std::string& pw) { return c.app.hasher.hash(pw, c.hash_deadline()); });
  c.audit("user.create", "user/" + std::to_string(user.id),
          {{"username", user.username}, {"tenant", user.tenant}, {"role", store::role_name(user.role)}});
  c.send(201, spec::to_json(user));
}

// The user of the path as the caller may manage it: another tenant's user answers 404 to a manager
// (as if it did not exist), an admin answers 403 to a manager, and the caller itself 409.
store::UserRecord managed_user(Call& c, const char* what) {
  const auto& p = c.principal();
  const auto user = c.store().users().find_id(c.int_param("id"));
  if (!user || (p.role != store::Role::kAdmin && user->tenant != p.tenant)) {
    throw Error::not_found("no user " + c.param("id"));
  }
  if (p.role != store::Role::kAdmin && user->role == store::Role::kAdmin) {
    throw Error(ErrorCode::kForbidden, std::string("only an admin may ") + what + " an admin");
  }
  if (user->username == p.username) throw Error::conflict(std::string("you may not ") + what + " yourself");
  return *user;
}

void set_disabled(Call& c, bool disabled) {
  const auto user = managed_user(c, disabled ? "disable" : "enable");
  const auto out = service::set_user_disabled(c.service(), user.username, disabled);
  c.app.auth_cache->user_changed(user.id);  // this server at once; the others through the journal
  c.audit(disabled ? "user.disable" : "user.enable", "user/" + std::to_string(user.id),
          {{"username", user.username}});
  c.send(200, spec::to_json(out));
}

void disable_user(Call& c) {
  set_disabled(c, true);
}
void enable_user(Call& c) {
  set_disabled(c, false);
}

void set_role(Call& c) {
  service::SetRoleRequest req;
  spec::read_json(c.json_body(), req, "role change");
  const auto user = managed_user(c, "change the role of");
  if (c.principal().role != store::Role::kAdmin && req.role == store::Role::kAdmin) {
    throw Error(ErrorCode::kForbidden, "only an admin may make a user an admin");
  }
  const auto out = service::set_user_role(c.service(), user.username, req);
  c.app.auth_cache->user_changed(user.id);  // this server at once; the others through the journal
  c.audit("user.role", "user/" + std::to_string(user.id),
          {{"username", user.username},
           {"from", store::role_name(user.role)},
           {"to", store::role_name(req.role)}});
  c.send(200, spec::to_json(out));
}

}  // namespace

void add_user_routes(App& app) {
  app.add_route(RouteSpec{"GET", "/api/v1/users", "Users of the caller's tenant (admin: all, ?tenant=)", "users",
                          Permission::kManageUsers, list_users}
                    .query<UserListQuery>()
                    .returns<PageOf<service::UserResult>>());
  app.add_route(RouteSpec{"POST", "/api/v1/users", "Add a user {username,password,role[,tenant]}", "users",
                          Permission::kManageUsers, create_user, "json"}
                    .takes<service::CreateUserRequest>()
                    .returns<service::UserResult>(201)
                    .on_hash_pool());
  app.add_route(RouteSpec{"POST", "/api/v1/users/{id}/disable", "Disable a user (revokes its tokens)", "users",
                          Permission::kManageUsers, disable_user}
                    .returns<service::UserResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/users/{id}/enable", "Enable a disabled user", "users",
                          Permission::kManageUsers, enable_user}
                    .returns<service::UserResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/users/{id}/role",
                          "Change a user's role {role} (revokes its tokens)", "users",
                          Permission::kManageUsers, set_role, "json"}
                    .takes<service::SetRoleRequest>()
                    .returns<service::UserResult>());
}

}  // namespace keel::server
