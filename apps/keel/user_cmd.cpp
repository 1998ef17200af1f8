// `keel user add|list|disable|enable|passwd`: users of the HTTP service, managed on the store
// directly (for the first admin and for operators) through the use cases of keel/service/users.h,
// which /api/v1/users shares. Passwords are read from stdin only.
#include <iostream>
#include <memory>

#include "context.h"
#include "keel/core/error.h"
#include "keel/service/preferences.h"
#include "keel/service/users.h"
#include "keel/service/rules.h"
#include "spec_cli.h"

namespace keel::cli {

namespace {

std::string read_password(bool from_stdin) {
  if (!from_stdin) throw Error::usage("pass the password on stdin with --password-stdin");
  std::string line;
  std::getline(std::cin, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  return line;
}

TextTable user_table(const std::vector<service::UserResult>& users) {
  TextTable t;
  t.column("id").column("username", TextTable::Align::kLeft).column("tenant", TextTable::Align::kLeft)
      .column("role", TextTable::Align::kLeft).column("disabled", TextTable::Align::kLeft)
      .column("created_at", TextTable::Align::kLeft);
  for (const auto& u : users) {
    t.row({std::to_string(u.id), u.username, u.tenant, std::string(service::role_name(u.role)),
           u.disabled ? "yes" : "no", u.created_at});
  }
  return t;
}

}  // namespace

void add_user_commands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("user", "Users of keel serve: add, list, disable, enable, role, passwd");
  group->require_subcommand(1);

  struct AddArgs {
    service::CreateUserRequest req;
    bool password_stdin = false;
  };
  auto a = std::make_shared<AddArgs>();
  auto* add = group->add_subcommand("add", "Add a user");
  spec_options(add, a->req);
  add->add_flag("--password-stdin", a->password_stdin, "Read the password from the first line of stdin");
  add->callback([&ctx, a] {
    service::CreateUserRequest req = a->req;
    req.password = read_password(a->password_stdin);
    const auto u = service::create_user(ctx.service(), req, service::hash_password);
    const std::string role(service::role_name(u.role));
    TextTable t;
    t.column("id").column("username", TextTable::Align::kLeft).column("tenant", TextTable::Align::kLeft)
        .column("role", TextTable::Align::kLeft);
    t.row({std::to_string(u.id), u.username, u.tenant, role});
    ctx.emit(spec::to_json(u), {t});
  });

  auto lreq = std::make_shared<service::UserListRequest>();
  auto* list = group->add_subcommand("list", "List users");
  spec_options(list, *lreq);
  list->callback([&ctx, lreq] {
    const auto out = service::list_users(ctx.service(), *lreq);
    TextTable t = user_table(out.items);
    if (out.items.empty()) t.footer("no users yet: keel user add NAME --role admin --password-stdin");
    ctx.emit(spec::to_json(out), {t});
  });

  // User names are unique per tenant: --tenant names the user's when several tenants have one of
  // that name (without it, the user signing in by the name, or the only one of that name).
  constexpr const char* kTenantHelp = "The user's tenant (needed when several tenants have a user of that name)";
  for (const bool disable : {true, false}) {
    auto ref = std::make_shared<service::UserRef>();
    auto* cmd = group->add_subcommand(disable ? "disable" : "enable",
                                      disable ? "Disable a user (its tokens stop working)" : "Enable a user again");
    // The user's name here, the {id} of the path over HTTP.
    cmd->add_option("name", ref->name, "User name")->required();
    cmd->add_option("--tenant", ref->tenant, kTenantHelp);
    cmd->callback([&ctx, ref, disable] {
      const auto u = service::set_user_disabled(ctx.service(), *ref, disable);
      ctx.emit(spec::to_json(u), {});
      ctx.note(std::string("user ") + ref->name + (disable ? " disabled" : " enabled"));
    });
  }

  // keel user role NAME ROLE: as POST /api/v1/users/{id}/role {role} (its tokens stop working).
  struct RoleArgs {
    service::UserRef ref;
    service::SetRoleRequest request;
  };
  auto ra = std::make_shared<RoleArgs>();
  auto* role = group->add_subcommand("role", "Change a user's role (its tokens stop working)");
  role->add_option("name", ra->ref.name, "User name")->required();
  spec_options(role, ra->request);
  role->add_option("--tenant", ra->ref.tenant, kTenantHelp);
  role->callback([&ctx, ra] {
    const auto u = service::set_user_role(ctx.service(), ra->ref, ra->request);
    ctx.emit(spec::to_json(u), {});
    ctx.note("user " + ra->ref.name + " is now " + std::string(service::role_name(ra->request.role)));
  });

  struct PasswdArgs {
    service::UserRef ref;
    bool password_stdin = false;
  };
  auto pw = std::make_shared<PasswdArgs>();
  auto* passwd = group->add_subcommand("passwd", "Set a user's password (its tokens stop working)");
  passwd->add_option("name", pw->ref.name, "User name")->required();
  passwd->add_option("--tenant", pw->ref.tenant, kTenantHelp);
  passwd->add_flag("--password-stdin", pw->password_stdin, "Read the password from the first line of stdin");
  passwd->callback([&ctx, pw] {
    const std::string password = read_password(pw->password_stdin);
    const auto out = service::set_user_password(ctx.service(), pw->ref, password, service::hash_password);
    ctx.emit(spec::to_json(out), {});
    ctx.note("password of " + out.username + " changed");
  });

  // keel --as USER user preferences [--locale de-DE --theme dark ...]: the user's preferences as
  // the web app keeps them; with no flag, shown; with flags, changed.
  auto prefs = std::make_shared<service::UserPreferences>();
  auto* pref = group->add_subcommand("preferences",
                                     "A user's preferences kept on the server (keel --as USER): shown, or changed "
                                     "by the flags given (\"\" clears one)");
  spec_options(pref, *prefs);
  pref->callback([&ctx, prefs] {
    const bool change = prefs->locale || prefs->theme || prefs->reporting_currency || prefs->lot_method;
    const auto out = change ? service::update_preferences(ctx.service(), *prefs) : service::get_preferences(ctx.service());
    TextTable t("Preferences of " + out.user + " (" + out.tenant + ")");
    t.column("preference", TextTable::Align::kLeft).column("value", TextTable::Align::kLeft);
    const auto& p = out.preferences;
    t.row({"locale", p.locale.value_or("")}).row({"theme", p.theme.value_or("")});
    t.row({"reporting_currency", p.reporting_currency.value_or("")}).row({"lot_method", p.lot_method.value_or("")});
    ctx.emit(spec::to_json(out), {t});
  });
}

}  // namespace keel::cli
