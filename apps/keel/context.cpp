#include "context.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "keel/service/ledger.h"
#include "keel/service/rules.h"
#include "keel/store/postgresql.h"
#include "keel/store/store.h"

namespace keel::cli {

Context::Context() {
  const char* env = std::getenv("KEEL_DB");
  db_path = env && *env ? env : "keel.db";
}

Context::~Context() = default;

Format Context::format() const {
  if (format_name == "json") return Format::kJson;
  if (format_name == "csv") return Format::kCsv;
  if (format_name == "table") return Format::kTable;
  return isatty(STDOUT_FILENO) ? Format::kTable : Format::kJson;
}

Store& Context::store() {
  if (!store_) store_ = open_store(db_path);
  return *store_;
}

std::function<std::unique_ptr<Store>()> Context::store_connections() const {
  if (db_path == ":memory:") return {};
  return [path = db_path] { return open_store(path); };
}

bool Context::has_store_file() const {
  if (store::pg::is_url(db_path)) return true;  // a PostgreSQL store is always there to use
  std::error_code ec;
  return std::filesystem::exists(db_path, ec);
}

bool Context::show_progress() const { return !quiet && isatty(STDERR_FILENO); }

void Context::note(const std::string& message) const {
  if (!quiet) std::cerr << message << "\n";
}

void Context::warn(const std::string& message) const { std::cerr << "warning: " << message << "\n"; }

void Context::print_profile() const {
  if (profile != nullptr) std::cerr << profile->take();
}

void Context::emit(const nlohmann::json& doc, const std::vector<TextTable>& tables) const {
  if (format() == Format::kJson) {
    // replace: text with invalid UTF-8 (e.g. a file name) must not fail after a write committed.
    std::cout << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return;
  }
  emit_tables(tables);
}

void Context::emit_tables(const std::vector<TextTable>& tables) const {
  for (std::size_t i = 0; i < tables.size(); ++i) {
    if (i > 0) std::cout << "\n";
    std::cout << (format() == Format::kCsv ? tables[i].to_csv() : tables[i].render());
  }
}

service::Actor Context::actor() {
  service::Actor a = service::operator_actor();
  if (acting_user.empty()) {
    if (!acting_tenant.empty()) throw Error::usage("--as-tenant names the tenant of --as's user: give --as NAME too");
    return a;
  }
  std::optional<store::UserRecord> user;
  if (!acting_tenant.empty()) {
    user = store().users().find(acting_user, acting_tenant);
  } else {
    try {
      user = store().users().find(acting_user);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kConflict) throw;
      throw Error::conflict(std::string(e.what()) + " with --as-tenant TENANT");
    }
  }
  if (!user) {
    throw Error::not_found(fmt::format("--as: no user {}{}", shown_with(acting_user, 64, '\''),
                                       acting_tenant.empty() ? "" : " in tenant " + shown_with(acting_tenant, 64, '\'')));
  }
  if (user->disabled)
    throw Error::forbidden(fmt::format("--as: user {} is disabled", shown_with(acting_user, 64, '\'')));
  a.operator_user = a.user;  // the audit rows say "cli:$USER as NAME"
  a.user = user->username;    // NAME owns what the command makes, as over HTTP
  a.tenant = user->tenant;
  a.role = user->role;
  return a;
}

service::Context Context::service_if(bool needs_store) {
  service::Context cx{nullptr, system_env(), &vault()};
  if (needs_store || has_store_file() || !acting_user.empty()) cx.store = &store();
  cx.actor = actor();
  return cx;
}

service::Context Context::service_for(const service::BookSource& source) {
  return service_if(source.portfolio.has_value());
}

service::Context Context::service_for(const service::LedgerSource& source) {
  return service_if(!source.transactions_file || source.splits_from_store);
}

service::Context Context::service() {
  service::Context cx{&store(), system_env(), &vault()};
  cx.actor = actor();
  return cx;
}

service::KeyVault& Context::vault() {
  if (!vault_) {
    vault_ = std::make_unique<service::KeyVault>(
        // The command's one store, when there is one: looking a key up never creates keel.db.
        [this](const std::function<void(Store*)>& fn) {
          fn(store_ || has_store_file() ? &store() : nullptr);
        },
        [] { return std::make_unique<vault::MasterKeyChain>(vault::master_key_options_from_environment()); });
  }
  return *vault_;
}

}  // namespace keel::cli
