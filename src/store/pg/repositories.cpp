#include "repositories.h"

#include <chrono>
#include <cstdio>

#include "keel/core/error.h"

namespace keel::store::pg {
namespace {

constexpr const char* kUserSelect =
    "SELECT u.id, u.username, t.name, u.role, u.password_hash, u.disabled, u.token_version, "
    "u.created_at, u.updated_at FROM users u JOIN tenants t ON t.id = u.tenant_id ";

UserRecord read_user(const pqxx::row& r) {
  UserRecord u;
  u.id = integer(r[0]);
  u.username = text(r[1]);
  u.tenant = text(r[2]);
  u.role = parse_role(text(r[3])).value_or(Role::kViewer);
  u.password_hash = text(r[4]);
  u.disabled = integer(r[5]) != 0;
  u.token_version = integer(r[6]);
  u.created_at = text(r[7]);
  u.updated_at = text(r[8]);
  return u;
}

// The tenant a user belongs to, through the owner's lookup (a login names no tenant).
std::optional<std::string> tenant_of_user(Tx& tx, const std::string& username) {
  return opt_text(tx.exec1("SELECT keel_user_tenant($1)", Params().add(username))[0]);
}

// Every writer of the revocation journal takes this lock before its row is numbered and holds it
// to its commit, so ids are assigned in commit order: a reader that has seen id N has seen every
// id below it, and polling `id > N` never skips a row committed late.
constexpr std::int64_t kTokenRevocationLock = 0x6b65656c7276;  // "keelrv"

void append_token_revocation(Tx& tx, const std::string& tenant, std::int64_t user_id,
                             const std::optional<std::string>& jti, std::int64_t expires_at, const std::string& now) {
  tx.exec("SELECT pg_advisory_xact_lock($1)", Params().add(kTokenRevocationLock));
  tx.exec("INSERT INTO token_revocations (tenant, user_id, jti, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)",
          Params().add(tenant).add(user_id).add(jti).add(expires_at).add(now));
}

constexpr const char* kSnapshotColumns =
    "tenant, portfolio, as_of, net_value_amount, gross_value_amount, pnl_1d_amount, var_amount, es_amount, "
    "var_method, backtest_zone, beta_mkt, created_at";

std::optional<std::string> text_or_null(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(s);
}

PortfolioSnapshot read_snapshot(const pqxx::row& r, bool with_report) {
  PortfolioSnapshot s;
  s.tenant = text(r[0]);
  s.portfolio = text(r[1]);
  const auto d = Date::parse(text(r[2]));
  if (!d) throw Error::internal("snapshot store: bad as_of '" + text(r[2]) + "'");
  s.as_of = *d;
  s.net_value_amount = opt_real(r[3]);
  s.gross_value_amount = opt_real(r[4]);
  s.pnl_1d_amount = opt_real(r[5]);
  s.var_amount = opt_real(r[6]);
  s.es_amount = opt_real(r[7]);
  s.var_method = text(r[8]);
  s.backtest_zone = text(r[9]);
  s.beta_mkt = opt_real(r[10]);
  s.created_at = text(r[11]);
  if (with_report) s.report_json = text(r[12]);
  return s;
}

std::optional<std::string> date_text(std::optional<Date> d) {
  return d ? std::optional<std::string>(d->to_string()) : std::nullopt;
}

}  // namespace

std::string now_text_ms(const Clock& clock) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock.now().time_since_epoch()).count();
  const auto millis = ((ms % 1000) + 1000) % 1000;
  std::string text = clock.iso8601();
  char frac[8];
  std::snprintf(frac, sizeof frac, ".%03d", static_cast<int>(millis));
  text.insert(text.size() - 1, frac);
  return text;
}

// ---------------------------------------------------------------- users

UserRecord PgUserRepository::add(const std::string& username, const std::string& tenant, Role role,
                                 const std::string& password_hash) {
  if (username.empty()) throw Error::invalid_input("user name must not be empty");
  if (tenant.empty()) throw Error::invalid_input("tenant must not be empty");
  const std::string now = clock_->iso8601();
  s_->run(tenant, [&](Tx& tx) {
    if (tenant_of_user(tx, username)) throw Error::conflict("user '" + username + "' already exists");
    tx.exec("INSERT INTO tenants (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
            Params().add(tenant).add(now));
    tx.exec(
        "INSERT INTO users (username, tenant_id, role, password_hash, created_at, updated_at) "
        "SELECT $1, id, $2, $3, $4, $4 FROM tenants WHERE name = $5",
        Params().add(username).add(role_name(role)).add(password_hash).add(now).add(tenant));
  });
  return *find(username);
}

std::optional<UserRecord> PgUserRepository::find(const std::string& username) {
  return s_->run(std::nullopt, [&](Tx& tx) -> std::optional<UserRecord> {
    const auto tenant = tenant_of_user(tx, username);
    if (!tenant) return std::nullopt;
    tx.set_tenant(*tenant);
    auto r = tx.exec(std::string(kUserSelect) + "WHERE u.username = $1", Params().add(username));
    if (r.empty()) return std::nullopt;
    return read_user(r[0]);
  });
}

std::optional<UserRecord> PgUserRepository::find_id(std::int64_t id) {
  return s_->run(std::nullopt, [&](Tx& tx) -> std::optional<UserRecord> {
    const auto tenant = opt_text(tx.exec1("SELECT keel_user_id_tenant($1)", Params().add(id))[0]);
    if (!tenant) return std::nullopt;
    tx.set_tenant(*tenant);
    auto r = tx.exec(std::string(kUserSelect) + "WHERE u.id = $1", Params().add(id));
    if (r.empty()) return std::nullopt;
    return read_user(r[0]);
  });
}

std::vector<UserRecord> PgUserRepository::list(const std::optional<std::string>& tenant) {
  if (!tenant) {
    // Every tenant's users: only the owner role sees them all (row-level security).
    return s_->run(std::nullopt, [&](Tx& tx) {
      std::vector<UserRecord> out;
      for (const auto& r : tx.exec(std::string(kUserSelect) + "ORDER BY u.id")) out.push_back(read_user(r));
      return out;
    });
  }
  return s_->run(*tenant, [&](Tx& tx) {
    std::vector<UserRecord> out;
    for (const auto& r :
         tx.exec(std::string(kUserSelect) + "WHERE t.name = $1 ORDER BY u.id", Params().add(*tenant))) {
      out.push_back(read_user(r));
    }
    return out;
  });
}

void PgUserRepository::bump(const std::string& username, const std::string& set_clause,
                            const std::optional<std::string>& value) {
  s_->run(std::nullopt, [&](Tx& tx) {
    const auto tenant = tenant_of_user(tx, username);
    if (!tenant) throw Error::not_found("no user '" + username + "'");
    tx.set_tenant(*tenant);
    Params p;
    if (value) p.add(*value);
    p.add(clock_->iso8601()).add(username);
    const int base = value ? 2 : 1;
    auto changed = tx.exec("UPDATE users SET " + set_clause + ", token_version = token_version + 1, updated_at = $" +
                               std::to_string(base) + " WHERE username = $" + std::to_string(base + 1) +
                               " RETURNING id",
                           p);
    if (changed.empty()) throw Error::not_found("no user '" + username + "'");
    append_token_revocation(tx, *tenant, integer(changed[0][0]), std::nullopt,
                            clock_->unix_seconds() + kAccountChangeRetentionSeconds, clock_->iso8601());
  });
}

void PgUserRepository::set_disabled(const std::string& username, bool disabled) {
  bump(username, disabled ? "disabled = 1" : "disabled = 0", std::nullopt);
}

void PgUserRepository::set_password(const std::string& username, const std::string& password_hash) {
  bump(username, "password_hash = $1", password_hash);
}

void PgUserRepository::set_role(const std::string& username, Role role) {
  bump(username, "role = $1", std::string(role_name(role)));
}

std::size_t PgUserRepository::count() {
  return s_->run(std::nullopt, [&](Tx& tx) {
    return static_cast<std::size_t>(integer(tx.exec1("SELECT keel_user_count()")[0]));
  });
}

void PgUserRepository::revoke_token(const std::string& tenant, std::int64_t user_id, const std::string& jti,
                                    std::int64_t expires_at) {
  if (jti.empty()) throw Error::invalid_input("token revocation: jti: expected a token id, got an empty one");
  s_->run(tenant, [&](Tx& tx) { append_token_revocation(tx, tenant, user_id, jti, expires_at, clock_->iso8601()); });
}

std::vector<TokenRevocation> PgUserRepository::revocations_since(std::int64_t after, std::size_t limit) {
  // Every tenant's rows, through the owner's lookup (row-level security hides them otherwise).
  return s_->run(std::nullopt, [&](Tx& tx) {
    std::vector<TokenRevocation> out;
    for (const auto& r : tx.exec("SELECT rev_id, rev_user_id, rev_jti, rev_expires_at FROM keel_token_revocations_since($1, $2)",
                                 Params().add(after).add(limit))) {
      out.push_back({integer(r[0]), integer(r[1]), opt_text(r[2]), integer(r[3])});
    }
    return out;
  });
}

std::size_t PgUserRepository::prune_revocations(std::int64_t now_epoch) {
  return s_->run(std::nullopt, [&](Tx& tx) {
    return static_cast<std::size_t>(integer(tx.exec1("SELECT keel_token_revocations_prune($1)", Params().add(now_epoch))[0]));
  });
}

// ---------------------------------------------------------------- audit

std::int64_t PgAuditRepository::append(const AuditEntry& e) {
  const auto tenant = e.tenant.empty() ? std::nullopt : std::optional<std::string>(e.tenant);
  return s_->run(tenant, [&](Tx& tx) {
    tx.exec(
        "INSERT INTO audit_log (username, tenant, action, resource, outcome, client, request_id, "
        "details, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        Params()
            .add(e.username)
            .add(e.tenant)
            .add(e.action)
            .add(e.resource)
            .add(e.outcome)
            .add(e.client)
            .add(e.request_id)
            .add(e.details.empty() ? std::string("{}") : e.details)
            .add(now_text_ms(*clock_)));
    // Not RETURNING: an entry of no tenant is one the application role may write but not read.
    return integer(tx.exec1("SELECT currval(pg_get_serial_sequence('audit_log', 'id'))")[0]);
  });
}

std::vector<AuditEntry> PgAuditRepository::list(const AuditQuery& q) {
  // Without a tenant, only the owner role sees entries (row-level security).
  return s_->run(q.tenant, [&](Tx& tx) {
    std::string sql =
        "SELECT id, at, username, tenant, action, resource, outcome, client, request_id, details "
        "FROM audit_log WHERE true";
    Params p;
    int i = 1;
    auto cond = [&](const char* column_op, const std::string& v) {
      sql += std::string(" AND ") + column_op + " $" + std::to_string(i++);
      p.add(v);
    };
    if (q.tenant) cond("tenant =", *q.tenant);
    if (q.username) cond("username =", *q.username);
    if (q.action) cond("action =", *q.action);
    if (q.from) cond("at >=", *q.from);
    if (q.to) cond("at <", *q.to);
    if (q.before_id) {
      sql += " AND id < $" + std::to_string(i++);
      p.add(*q.before_id);
    }
    sql += " ORDER BY id DESC LIMIT $" + std::to_string(i);
    p.add(q.limit);
    std::vector<AuditEntry> out;
    for (const auto& r : tx.exec(sql, p)) {
      AuditEntry e;
      e.id = integer(r[0]);
      e.at = text(r[1]);
      e.username = text(r[2]);
      e.tenant = text(r[3]);
      e.action = text(r[4]);
      e.resource = text(r[5]);
      e.outcome = text(r[6]);
      e.client = text(r[7]);
      e.request_id = text(r[8]);
      e.details = text(r[9]);
      out.push_back(std::move(e));
    }
    return out;
  });
}

// ---------------------------------------------------------------- snapshots

void PgSnapshotRepository::save(const PortfolioSnapshot& s) {
  if (s.portfolio.empty()) throw Error::invalid_input("a snapshot needs a portfolio name");
  s_->run(s.tenant, [&](Tx& tx) {
    tx.exec(
        "INSERT INTO portfolio_snapshots (tenant, portfolio, as_of, net_value_amount, gross_value_amount, "
        "pnl_1d_amount, var_amount, es_amount, var_method, backtest_zone, beta_mkt, report_json, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
        "ON CONFLICT (tenant, portfolio, as_of) DO UPDATE SET net_value_amount = excluded.net_value_amount, "
        "gross_value_amount = excluded.gross_value_amount, pnl_1d_amount = excluded.pnl_1d_amount, "
        "var_amount = excluded.var_amount, es_amount = excluded.es_amount, var_method = excluded.var_method, "
        "backtest_zone = excluded.backtest_zone, beta_mkt = excluded.beta_mkt, report_json = "
        "excluded.report_json, "
        "created_at = excluded.created_at",
        Params()
            .add(s.tenant)
            .add(s.portfolio)
            .add(s.as_of.to_string())
            .add(s.net_value_amount)
            .add(s.gross_value_amount)
            .add(s.pnl_1d_amount)
            .add(s.var_amount)
            .add(s.es_amount)
            .add(text_or_null(s.var_method))
            .add(text_or_null(s.backtest_zone))
            .add(s.beta_mkt)
            .add(text_or_null(s.report_json))
            .add(clock_->iso8601()));
  });
}

std::vector<PortfolioSnapshot> PgSnapshotRepository::list(const std::string& tenant,
                                                          const std::string& portfolio,
                                                          std::optional<Date> from, std::optional<Date> to,
                                                          bool with_report) {
  return s_->run(tenant, [&](Tx& tx) {
    std::vector<PortfolioSnapshot> out;
    const auto rows =
        tx.exec(std::string("SELECT ") + kSnapshotColumns + (with_report ? ", report_json" : "") +
                    " FROM portfolio_snapshots WHERE tenant = $1 AND portfolio = $2 "
                    "AND ($3::text IS NULL OR as_of >= $3) AND ($4::text IS NULL OR as_of <= $4) "
                    "ORDER BY as_of",
                Params().add(tenant).add(portfolio).add(date_text(from)).add(date_text(to)));
    for (const auto& r : rows) out.push_back(read_snapshot(r, with_report));
    return out;
  });
}

std::optional<PortfolioSnapshot> PgSnapshotRepository::find(const std::string& tenant,
                                                            const std::string& portfolio, Date as_of) {
  return s_->run(tenant, [&](Tx& tx) -> std::optional<PortfolioSnapshot> {
    auto r = tx.exec(
        std::string("SELECT ") + kSnapshotColumns +
            ", report_json FROM portfolio_snapshots WHERE tenant = $1 AND portfolio = $2 AND as_of = $3",
        Params().add(tenant).add(portfolio).add(as_of.to_string()));
    if (r.empty()) return std::nullopt;
    return read_snapshot(r[0], true);
  });
}

std::vector<PortfolioSnapshot> PgSnapshotRepository::latest(const std::string& tenant) {
  return s_->run(tenant, [&](Tx& tx) {
    std::vector<PortfolioSnapshot> out;
    const auto rows =
        tx.exec(std::string("SELECT ") + kSnapshotColumns +
                    " FROM portfolio_snapshots s WHERE tenant = $1 AND as_of = (SELECT MAX(as_of) FROM "
                    "portfolio_snapshots m WHERE m.tenant = s.tenant AND m.portfolio = s.portfolio) "
                    "ORDER BY portfolio",
                Params().add(tenant));
    for (const auto& r : rows) out.push_back(read_snapshot(r, false));
    return out;
  });
}

std::size_t PgSnapshotRepository::remove(const std::string& tenant, const std::string& portfolio) {
  return s_->run(tenant, [&](Tx& tx) {
    return static_cast<std::size_t>(
        tx.exec("DELETE FROM portfolio_snapshots WHERE tenant = $1 AND portfolio = $2",
                Params().add(tenant).add(portfolio))
            .affected_rows());
  });
}

}  // namespace keel::store::pg
