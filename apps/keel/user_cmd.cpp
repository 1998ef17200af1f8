// `keel user add|list|disable|enable|passwd`: users of the HTTP service, managed on the store
// directly (for the first admin and for operators). Passwords are read from stdin only.
#include <cstdlib>
#include <iostream>

#include "context.h"
#include "keel/core/error.h"
#include "keel/server/auth.h"
#include "keel/store/store.h"
#include "keel/store/user_repository.h"

namespace keel::cli {

namespace {

std::string read_password(bool from_stdin) {
  if (!from_stdin) throw Error::usage("pass the password on stdin with --password-stdin");
  std::string line;
  std::getline(std::cin, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  return line;
}

nlohmann::json user_json(const store::UserRecord& u) {
  return {{"id", u.id}, {"username", u.username}, {"tenant", u.tenant}, {"role", store::role_name(u.role)},
          {"disabled", u.disabled}, {"created_at", u.created_at}};
}

}  // namespace

void add_user_commands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("user", "Users of keel serve: add, list, disable, enable, passwd");
  group->require_subcommand(1);

  struct Flags {
    std::string name, role, tenant = "default";
    bool password_stdin = false;
  };
  auto f = std::make_shared<Flags>();

  auto* add = group->add_subcommand("add", "Add a user");
  add->add_option("name", f->name, "User name")->required();
  add->add_option("--role", f->role, "admin, manager, analyst or viewer")->required()
      ->check(CLI::IsMember({"admin", "manager", "analyst", "viewer"}));
  add->add_option("--tenant", f->tenant, "Tenant (created when new)");
  add->add_flag("--password-stdin", f->password_stdin, "Read the password from the first line of stdin");
  add->callback([&ctx, f] {
    const std::string password = read_password(f->password_stdin);
    const std::string hash = server::PasswordHasher().hash(password);
    auto& store = ctx.store();
    const auto u = store.users().add(f->name, f->tenant, *store::parse_role(f->role), hash);
    ctx.audit("user.create", "user/" + std::to_string(u.id),
              {{"username", u.username}, {"tenant", u.tenant}, {"role", f->role}});
    TextTable t;
    t.column("id").column("username", TextTable::Align::kLeft).column("tenant", TextTable::Align::kLeft)
        .column("role", TextTable::Align::kLeft);
    t.row({std::to_string(u.id), u.username, u.tenant, f->role});
    ctx.emit(user_json(u), {t});
  });

  auto* list = group->add_subcommand("list", "List users");
  auto tenant_filter = std::make_shared<std::string>();
  list->add_option("--tenant", *tenant_filter, "Only this tenant");
  list->callback([&ctx, tenant_filter] {
    const auto users = ctx.store().users()
                           .list(tenant_filter->empty() ? std::nullopt : std::optional<std::string>(*tenant_filter));
    nlohmann::json items = nlohmann::json::array();
    TextTable t;
    t.column("id").column("username", TextTable::Align::kLeft).column("tenant", TextTable::Align::kLeft)
        .column("role", TextTable::Align::kLeft).column("disabled", TextTable::Align::kLeft)
        .column("created_at", TextTable::Align::kLeft);
    for (const auto& u : users) {
      items.push_back(user_json(u));
      t.row({std::to_string(u.id), u.username, u.tenant, std::string(store::role_name(u.role)),
             u.disabled ? "yes" : "no", u.created_at});
    }
    if (users.empty()) t.footer("no users yet: keel user add NAME --role admin --password-stdin");
    ctx.emit({{"items", items}}, {t});
  });

  for (const bool disable : {true, false}) {
    auto* cmd = group->add_subcommand(disable ? "disable" : "enable",
                                      disable ? "Disable a user (its tokens stop working)" : "Enable a user again");
    cmd->add_option("name", f->name, "User name")->required();
    cmd->callback([&ctx, f, disable] {
      auto& store = ctx.store();
      store.users().set_disabled(f->name, disable);
      ctx.audit(disable ? "user.disable" : "user.enable", "user/" + f->name, {{"username", f->name}});
      ctx.emit({{"username", f->name}, {"disabled", disable}}, {});
      ctx.note(std::string("user ") + f->name + (disable ? " disabled" : " enabled"));
    });
  }

  auto* passwd = group->add_subcommand("passwd", "Set a user's password (its tokens stop working)");
  passwd->add_option("name", f->name, "User name")->required();
  passwd->add_flag("--password-stdin", f->password_stdin, "Read the password from the first line of stdin");
  passwd->callback([&ctx, f] {
    const std::string password = read_password(f->password_stdin);
    const std::string hash = server::PasswordHasher().hash(password);
    auto& store = ctx.store();
    store.users().set_password(f->name, hash);
    ctx.audit("user.passwd", "user/" + f->name, {{"username", f->name}});
    ctx.emit({{"username", f->name}, {"password_changed", true}}, {});
    ctx.note("password of " + f->name + " changed");
  });
}

}  // namespace keel::cli
