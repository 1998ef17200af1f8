// Users of a tenant: GET/POST /api/v1/users, POST /api/v1/users/{id}/disable|enable|role. Who may
// manage whom is the use cases' rule (keel/service/users.h).
#include <fmt/format.h>

#include "app.h"
#include "event_hub.h"
#include "resources.h"

namespace keel::server {
namespace {

void list_users(Call& c) {
  const auto q = c.query_as<UserListQuery>("user list parameters");
  const Page page = decode_page(q.page.limit, q.page.cursor);
  std::int64_t after = 0;
  if (page.cursor) after = cursor_number(page, "u:");
  PageOf<service::UserResult> out;
  auto users = service::list_users(c.service(), {q.filter.tenant}).items;
  out.total = users.size();
  for (auto& u : users) {
    if (u.id <= after) continue;
    if (out.items.size() == page.limit) {
      out.next_cursor.emplace(encode_cursor(fmt::format("u:{}", out.items.back().id)));
      break;
    }
    out.items.push_back(std::move(u));
  }
  c.send(200, spec::to_json(out));
}

void create_user(Call& c) {
  service::CreateUserRequest req;
  spec::read_json(c.json_body(), req, "user");
  const auto user = service::create_user(c.service(), req,
                                         [&c](const std::string& pw) { return c.app.hasher.hash(pw, c.hash_deadline()); });
  c.send(201, spec::to_json(user));
}

void set_disabled(Call& c, bool disabled) {
  const auto out = service::set_user_disabled(c.service(), {c.int_param("id"), {}, std::nullopt}, disabled);
  c.app.auth_cache->user_changed(out.id);  // this server at once; the others through the journal
  c.app.events->tokens_changed();          // and its open event streams
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
  const auto out = service::set_user_role(c.service(), {c.int_param("id"), {}, std::nullopt}, req);
  c.app.auth_cache->user_changed(out.id);  // this server at once; the others through the journal
  c.app.events->tokens_changed();          // and its open event streams
  c.send(200, spec::to_json(out));
}

}  // namespace

void add_user_routes(App& app) {
  app.add_route(RouteSpec{"GET", "/api/v1/users", "Users of the caller's tenant (admin: all, ?tenant=)", "users",
                          service::kUserList, list_users}
                    .query<UserListQuery>()
                    .returns<PageOf<service::UserResult>>());
  app.add_route(RouteSpec{"POST", "/api/v1/users", "Add a user {username,password,role[,tenant]}", "users",
                          service::kUserCreate, create_user, "json"}
                    .takes<service::CreateUserRequest>()
                    .returns<service::UserResult>(201)
                    .on_hash_pool());
  app.add_route(RouteSpec{"POST", "/api/v1/users/{id}/disable", "Disable a user (revokes its tokens)", "users",
                          service::kUserDisable, disable_user}
                    .returns<service::UserResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/users/{id}/enable", "Enable a disabled user", "users",
                          service::kUserEnable, enable_user}
                    .returns<service::UserResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/users/{id}/role",
                          "Change a user's role {role} (revokes its tokens)", "users",
                          service::kUserRole, set_role, "json"}
                    .takes<service::SetRoleRequest>()
                    .returns<service::UserResult>());
}

}  // namespace keel::server
