// src/server/resources.h (private): the described request, query and result structs of the server's
// own resources (sign-in, the users list's query, audit log, jobs, operations), so that their routes are typed like the
// service's use cases: the OpenAPI document carries their schemas, bodies and query strings are read
// with spec::read_json / spec::read_query, and responses are written with spec::to_json.
//
// Thread-safety: plain values.
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keel/service/jobs.h"
#include "keel/service/spec.h"
#include "keel/service/users.h"

namespace keel::server {

using service::kJobStatusNames;
using service::kRoleNames;

// ?limit= and ?cursor= of every list (flattened into its query struct).
struct PageQuery {
  std::size_t limit = 50;
  std::optional<std::string> cursor;
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "limit", .help = "Items per page", .min = 1, .max = 500}, s.limit);
    v.field({.name = "cursor", .help = "The next_cursor of the previous page (opaque)"}, s.cursor);
  }
};

// One page of a list, newest or first items first; next_cursor is null on the last page.
template <class T>
struct PageOf {
  std::vector<T> items;
  spec::Nullable<std::string> next_cursor;
  std::optional<std::size_t> total;  // lists that know their length say it
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "items", .help = "The items of this page"}, s.items);
    v.field({.name = "next_cursor", .help = "Pass as ?cursor= for the next page; null on the last page"},
            s.next_cursor);
    v.field({.name = "total", .help = "Items in the whole list"}, s.total);
  }
};

// ---- sign-in -------------------------------------------------------------------------------------

struct LoginRequest {
  std::string username;
  std::string password;
  std::optional<std::string> tenant;
  static constexpr const char* kSchemaName = "LoginRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "username", .help = "User name", .required = true}, s.username);
    v.field({.name = "password", .help = "Password", .required = true}, s.password);
    v.field({.name = "tenant",
             .help = "The user's tenant: required for a user a manager added (user names are unique per "
                     "tenant); without it, the user signing in by its name alone"},
            s.tenant);
  }
};

struct UserRef {
  std::string username;
  std::string tenant;
  Role role = Role::kViewer;
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "username"}, s.username);
    v.field({.name = "tenant"}, s.tenant);
    v.choice({.name = "role"}, s.role, kRoleNames);
  }
};

struct LoginResult {
  std::string token;
  std::string token_type = "Bearer";
  std::string expires_at;
  std::int64_t expires_in = 0;
  UserRef user;
  std::optional<std::string> refresh_token;
  std::optional<std::string> refresh_expires_at;
  std::optional<std::string> session_expires_at;
  static constexpr const char* kSchemaName = "LoginResult";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "token", .help = "The JWT to send as Authorization: Bearer <token>"}, s.token);
    v.field({.name = "token_type", .help = "Always Bearer"}, s.token_type);
    v.field({.name = "expires_at", .help = "When the token expires (ISO-8601 UTC)"}, s.expires_at);
    v.field({.name = "expires_in", .help = "Lifetime left", .unit = "seconds"}, s.expires_in);
    v.field({.name = "user", .help = "Who signed in"}, s.user);
    v.field({.name = "refresh_token",
             .help = "Exchange it at POST /api/v1/auth/refresh for a new access token and a new refresh token "
                     "(each is good once; absent when the server issues none)"},
            s.refresh_token);
    v.field({.name = "refresh_expires_at",
             .help = "When the refresh token expires unused: the idle timeout, capped by session_expires_at (ISO-8601 "
                     "UTC)"},
            s.refresh_expires_at);
    v.field({.name = "session_expires_at",
             .help = "When the sign-in ends however it is used: the absolute timeout (ISO-8601 UTC)"},
            s.session_expires_at);
  }
};

struct RefreshRequest {
  std::string refresh_token;
  static constexpr const char* kSchemaName = "RefreshRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "refresh_token", .help = "The refresh token of the last login or refresh", .required = true,
             .max_length = 200},
            s.refresh_token);
  }
};

// GET /api/v1/auth/oidc: whether the server signs users in through an identity provider.
struct SingleSignOnInfo {
  bool enabled = false;
  std::string display_name;
  static constexpr const char* kSchemaName = "SingleSignOnInfo";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "enabled", .help = "True when the server has an OpenID Connect provider (--oidc-config)"},
            s.enabled);
    v.field({.name = "display_name", .help = "The provider's name for a \"Sign in with …\" button (\"\" when off)"},
            s.display_name);
  }
};

// POST /api/v1/auth/oidc/start: where the browser goes, and the state it must bring back.
struct SingleSignOnStartResult {
  std::string authorization_url;
  std::string state;
  std::string expires_at;
  static constexpr const char* kSchemaName = "SingleSignOnStart";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "authorization_url",
             .help = "The provider's authorization endpoint with the request (code flow, PKCE S256, state, nonce)"},
            s.authorization_url);
    v.field({.name = "state",
             .help = "The state the provider sends back with the code: the client keeps it and checks the one it "
                     "gets back equals it"},
            s.state);
    v.field({.name = "expires_at", .help = "ISO-8601 UTC: the sign-in must be finished by then"}, s.expires_at);
  }
};

// POST /api/v1/auth/oidc/callback: what the provider sent the browser back with.
struct SingleSignOnCallback {
  std::string code;
  std::string state;
  static constexpr const char* kSchemaName = "SingleSignOnCallback";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "code", .help = "The authorization code of the redirect's query", .required = true,
             .max_length = 2048},
            s.code);
    v.field({.name = "state", .help = "The state of the redirect's query", .required = true, .max_length = 200},
            s.state);
  }
};

struct Me {
  std::int64_t id = 0;
  std::string username;
  std::string tenant;
  Role role = Role::kViewer;
  std::vector<std::string> permissions;
  std::string sign_in = "password";  // or single_sign_on
  std::string email;
  std::string full_name;
  static constexpr const char* kSchemaName = "Me";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "id", .help = "User id"}, s.id);
    v.field({.name = "username"}, s.username);
    v.field({.name = "tenant"}, s.tenant);
    v.choice({.name = "role"}, s.role, kRoleNames);
    v.field({.name = "permissions",
             .help = "What the role may do: read, compute, write, import_prices, manage_users, read_audit, admin"},
            s.permissions);
    v.field({.name = "sign_in",
             .help = "How the user signs in: password, or single_sign_on (the identity provider keeps the "
                     "password: there is none to change here)"},
            s.sign_in);
    v.field({.name = "email", .help = "The identity provider's e-mail claim (\"\" for a password user)"}, s.email);
    v.field({.name = "full_name", .help = "The identity provider's name claim (\"\" for a password user)"},
            s.full_name);
  }
};

// ---- users ---------------------------------------------------------------------------------------

// GET /api/v1/users: the page and the filter of keel user list (keel/service/users.h, which also
// holds the user's result and the create and role requests).
struct UserListQuery {
  PageQuery page;
  service::UserListRequest filter;
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.flatten(s.page);
    v.flatten(s.filter);
  }
};

// ---- audit log -----------------------------------------------------------------------------------

struct AuditQueryParams {
  PageQuery page;
  std::optional<std::string> tenant;
  std::optional<std::string> user;
  std::optional<std::string> action;
  std::optional<std::string> from;
  std::optional<std::string> to;
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.flatten(s.page);
    v.field({.name = "tenant", .help = "Only entries of this tenant"}, s.tenant);
    v.field({.name = "user", .help = "Only entries of this user name"}, s.user);
    v.field({.name = "action", .help = "Only this action (e.g. auth.login, portfolio.delete)"}, s.action);
    v.field({.name = "from", .help = "Entries at or after this instant (ISO-8601 UTC date or date-time)"}, s.from);
    v.field({.name = "to", .help = "Entries before this instant (ISO-8601 UTC date or date-time)"}, s.to);
  }
};

struct AuditEntryView {
  std::int64_t id = 0;
  std::string at;
  std::string user;
  std::string tenant;
  std::string action;
  std::string resource;
  std::string outcome;
  std::string client;
  std::string request_id;
  nlohmann::json details = nlohmann::json::object();
  static constexpr const char* kSchemaName = "AuditEntry";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "id"}, s.id);
    v.field({.name = "at", .help = "When (ISO-8601 UTC)"}, s.at);
    v.field({.name = "user", .help = "Who (user name; empty for an anonymous request)"}, s.user);
    v.field({.name = "tenant"}, s.tenant);
    v.field({.name = "action", .help = "What, e.g. auth.login, import.positions, portfolio.delete"}, s.action);
    v.field({.name = "resource", .help = "On what, e.g. portfolio/hnw, user/alice"}, s.resource);
    v.field({.name = "outcome", .help = "ok, denied or failed"}, s.outcome);
    v.field({.name = "client", .help = "The client's address"}, s.client);
    v.field({.name = "request_id", .help = "The X-Request-Id of the request"}, s.request_id);
    v.field({.name = "details", .help = "Free-form details of the action (an object; never secrets)"}, s.details);
  }
};

// ---- jobs ----------------------------------------------------------------------------------------

// A job (schema Job) is the service's view of it: service::JobView (keel/service/jobs.h).
using service::JobView;

struct JobListQuery {
  PageQuery page;
  std::optional<JobStatus> status;
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.flatten(s.page);
    v.choice({.name = "status", .help = "Only jobs in this state"}, s.status, kJobStatusNames);
  }
};

struct CreateJobRequest {
  std::string kind;
  nlohmann::json request = nlohmann::json::object();
  static constexpr const char* kSchemaName = "CreateJobRequest";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "kind",
             .help = "risk.var, risk.backtest, plan.retire, plan.sensitivity, clo.montecarlo, batch.run, ...",
             .required = true},
            s.kind);
    v.field({.name = "request", .help = "The kind's own request (the body its route takes), an object"}, s.request);
  }
};

// ---- operations ----------------------------------------------------------------------------------

struct Health {
  std::string status = "ok";
  static constexpr const char* kSchemaName = "Health";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "status", .help = "ok"}, s.status);
  }
};

// GET /api/v1/batch/schedule: when this server next enqueues the daily batch.
struct BatchSchedule {
  spec::Nullable<std::string> daily_at_utc;      // "HH:MM" of --batch-daily; null: no daily batch
  spec::Nullable<std::string> next_run;          // ISO-8601 UTC of the next run; null: none
  std::int64_t runs_since_start = 0;             // daily runs this server has enqueued since it started
  spec::Nullable<std::string> market_data_provider;  // the batch's market-data step; null: off
  std::vector<std::string> steps;                // the steps of a scheduled batch, in order

  static constexpr const char* kSchemaName = "BatchSchedule";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "daily_at_utc", .help = "HH:MM (UTC) of keel serve --batch-daily; null: no daily batch"},
            s.daily_at_utc);
    v.field({.name = "next_run", .help = "When the next daily batch is enqueued (ISO-8601 UTC); null: none"},
            s.next_run);
    v.field({.name = "runs_since_start", .help = "Daily batches this server enqueued since it started"},
            s.runs_since_start);
    v.field({.name = "market_data_provider",
             .help = "Provider of the batch's market-data step (KEEL_MARKET_DATA_PROVIDER); null: the step is off"},
            s.market_data_provider);
    v.field({.name = "steps", .help = "The steps a scheduled batch runs, in order"}, s.steps);
  }
};

// How many of a kind of outside service accept a TCP connection (/readyz).
struct Reachability {
  std::size_t reachable = 0;
  std::size_t unreachable = 0;
  std::size_t not_allowed = 0;
  static constexpr const char* kSchemaName = "Reachability";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "reachable", .help = "Destinations that accepted a TCP connection"}, s.reachable);
    v.field({.name = "unreachable",
             .help = "Destinations that refused the connection, did not answer in time or did not resolve"},
            s.unreachable);
    v.field({.name = "not_allowed",
             .help = "Destinations the outbound guard or the tenant's assistant policy refuses, so never tried (a "
                     "provider whose host an administrator has not allowed yet)"},
            s.not_allowed);
  }
};

struct Readiness {
  std::string status;
  std::string store;
  // Absent until the server's first check of them has ended; they never make the status not_ready.
  std::optional<Reachability> market_data;
  std::optional<Reachability> llm_providers;
  std::optional<double> providers_checked_seconds_ago;
  std::optional<std::string> read_replica;  // with --store-read-replica
  static constexpr const char* kSchemaName = "Readiness";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "status", .help = "ready or not_ready (503)"}, s.status);
    v.field({.name = "store", .help = "ok or unavailable"}, s.store);
    v.field({.name = "market_data",
             .help = "The configured market-data provider (KEEL_MARKET_DATA_PROVIDER): reachable or not; both 0 "
                     "when none is configured or it is offline. Never fails the probe"},
            s.market_data);
    v.field({.name = "llm_providers",
             .help = "Every tenant's assistant (LLM) providers: how many are reachable (counts only). Never "
                     "fails the probe"},
            s.llm_providers);
    v.field({.name = "providers_checked_seconds_ago",
             .help = "Age of the provider counts (checked at most every --provider-check-interval seconds)",
             .unit = "seconds"},
            s.providers_checked_seconds_ago);
    v.field({.name = "read_replica",
             .help = "With a read replica: ok, or unavailable (reads then go to the primary; never fails the probe)"},
            s.read_replica);
  }
};

}  // namespace keel::server
