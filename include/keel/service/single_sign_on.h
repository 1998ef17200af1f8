// keel/service/single_sign_on.h: signing in through an OpenID Connect provider — what is kept
// and who the provider's user is in keel (docs/security.md, "Single sign-on").
//
// begin_single_sign_on keeps a pending sign-in (the digest of its state, its nonce and its PKCE
// verifier; table sign_in_requests) and answers the provider's authorization URL.
// finish_single_sign_on takes the pending sign-in back by its state (once), redeems the code at the
// provider, checks the ID token (keel/net/oidc.h) and maps its claims to a keel user by the rule:
//   - the user is the one provisioned for the token's (iss, sub); at the first sign-in it is
//     created in its tenant with the user name of `username_claim` (falling back to the e-mail);
//     a name taken in that tenant by another user is refused, never linked (an identity never
//     takes over an account it did not create);
//   - the role, at every sign-in: each value of `roles_claim` (a string or an array of strings; a
//     dotted path such as realm_access.roles reaches into objects) looked up in `role_map`, the
//     most powerful role found wins (admin > manager > analyst > viewer); none found: the
//     `default_role`, and without one the sign-in is refused; a role that changed is kept (which
//     ends the user's other sign-ins, as any role change does);
//   - the tenant, at the first sign-in: the value of `tenant_claim` when it is set and present,
//     else `default_tenant`; a user keeps its tenant afterwards (a claim naming another is refused);
//   - the e-mail and name of `email_claim` and `name_claim` are kept at every sign-in;
//   - a disabled user is refused.
// Every outcome is audited as auth.login with details {method: "single_sign_on"} and, for a refusal,
// its reason (never a token or a code).
//
// Thread-safety: stateless; see the Context's store and the OidcClient.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "keel/core/role.h"
#include "keel/net/oidc.h"
#include "keel/service/context.h"
#include "keel/service/sign_in.h"

namespace keel::service {

// The operator's settings (keel serve --oidc-config FILE; the file's members are these names).
struct SingleSignOnSettings {
  net::OidcClientSettings client;
  std::string display_name = "single sign-on";  // the web app's "Sign in with …"
  std::string username_claim = "preferred_username";
  std::string email_claim = "email";
  std::string name_claim = "name";
  std::string roles_claim;                           // "" : every user takes default_role
  std::vector<std::pair<std::string, Role>> role_map;  // claim value -> role
  std::optional<Role> default_role;                  // nullopt: a user without a mapped role is refused
  std::string tenant_claim;                          // "" : every user is of default_tenant
  std::string default_tenant = "default";
  std::int64_t request_seconds = 600;  // how long a begun sign-in may take at the provider
};

// Reads the settings file's JSON. Throws Error(invalid_input) naming `file` and the member that
// is wrong; the client secret is read from the environment variable `client_secret_env` names.
SingleSignOnSettings parse_single_sign_on_settings(const std::string& file, const std::string& json_text);

struct SingleSignOnStart {
  std::string authorization_url;
  std::string state;
  std::int64_t expires_at = 0;  // epoch seconds: the sign-in must be back by then
};

// Keeps a pending sign-in and answers where the browser goes. Throws Error(unavailable) when the
// provider's discovery document cannot be fetched.
SingleSignOnStart begin_single_sign_on(const Context& cx, net::OidcClient& client,
                                       const SingleSignOnSettings& settings, std::int64_t now);

// The user the provider signed in (provisioned or updated as the rule above says). Throws
// Error(unauthorized) with the reason for every refusal.
SignInUser finish_single_sign_on(const Context& cx, net::OidcClient& client, const SingleSignOnSettings& settings,
                                 const std::string& code, const std::string& state, std::int64_t now);

// What a provider's back-channel logout did.
struct BackChannelLogout {
  bool signed_out = false;  // a sign-in of keel ended
  bool every_sign_in = false;  // all of the user's (by sub), not one provider session's
  std::int64_t user_id = 0;
  std::string user;
  std::string tenant;
  // The access tokens revoked now (jti, expires_at): a provider session's sign-ins.
  std::vector<std::pair<std::string, std::int64_t>> revoked;
};

// Ends the sign-ins the provider's logout token names (OpenID Connect Back-Channel Logout 1.0):
// with a sid, the sign-ins of keel made in that provider session (its sid kept at sign-in, and of
// the token's sub when it names one); with a sub alone, or a sid keel did not keep for that sub
// (a sign-in made before keel kept them), every sign-in of the user. On every server of the
// store: access tokens at once here and within the revocation poll elsewhere; refresh tokens
// deleted. An identity or session keel does not know is no error (nothing to end). Audited as
// auth.logout (resource user/NAME, details {method: "back_channel", scope: "session" or "user"});
// a refused token as auth.logout denied with the reason. Throws
// Error(invalid_input) with the reason for a token that fails a check, unavailable when the
// provider's keys cannot be fetched.
BackChannelLogout back_channel_logout(const Context& cx, net::OidcClient& client, const std::string& logout_token);

// Where the browser of `username` (of `tenant`), signing out of keel, goes to sign out at the
// provider too (RP-Initiated Logout: net::OidcClient::end_session_url) when the provider signed
// that user in; "" for a password user, a provider without an end_session_endpoint, or one not
// reachable now (keel's own sign-out stands regardless). A read.
std::string provider_sign_out_url(const Context& cx, net::OidcClient& client, const std::string& username,
                                  const std::string& tenant);

// The role the claims map to by the rule above; nullopt when none (and no default role).
std::optional<Role> mapped_role(const nlohmann::json& claims, const SingleSignOnSettings& settings);

}  // namespace keel::service
