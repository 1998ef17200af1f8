// The descriptions of the requests and results of keel/service/users.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/users.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void UserResult::fields(V& v, S& s) {
  v.field({.name = "id"}, s.id);
  v.field({.name = "username"}, s.username);
  v.field({.name = "tenant"}, s.tenant);
  v.choice({.name = "role"}, s.role, kRoleNames);
  v.field({.name = "disabled", .help = "A disabled user cannot sign in; its tokens are revoked"}, s.disabled);
  v.field({.name = "created_at", .help = "ISO-8601 UTC"}, s.created_at);
  v.field({.name = "updated_at", .help = "ISO-8601 UTC"}, s.updated_at);
  v.field({.name = "sign_in_by_name",
           .help = "Signs in with its user name alone; false: the login names the tenant too (users a "
                   "manager adds; user names are unique per tenant)"},
          s.sign_in_by_name);
  v.field({.name = "email", .help = "The identity provider's e-mail claim at the last sign-in (\"\" when none)"},
          s.email);
  v.field({.name = "full_name", .help = "The identity provider's name claim at the last sign-in (\"\" when none)"},
          s.full_name);
  v.field({.name = "sign_in",
           .help = "How the user signs in: password, or single_sign_on (an OpenID Connect provider; no "
                   "password)"},
          s.sign_in);
}
KEEL_SPEC_FIELDS(UserResult)

template <class V, class S>
void UserListRequest::fields(V& v, S& s) {
  v.field({.name = "tenant", .help = "Only this tenant's users (over HTTP: admins; others see their own tenant)"},
          s.tenant);
}
KEEL_SPEC_REQUEST_FIELDS(UserListRequest)

template <class V, class S>
void CreateUserRequest::fields(V& v, S& s) {
  v.field({.name = "username", .help = "User name (unique in its tenant)", .required = true, .cli_positional = true},
          s.username);
  v.field({.name = "password", .help = "At least 8 characters", .faces = spec::kHttp, .required = true},
          s.password);
  v.choice({.name = "role", .help = "What the user may do", .required = true}, s.role, kRoleNames);
  v.field({.name = "tenant",
           .help = "The user's tenant, created when new (default: the caller's; over HTTP only admins name "
                   "another)"},
          s.tenant);
}
KEEL_SPEC_REQUEST_FIELDS(CreateUserRequest)

template <class V, class S>
void SetRoleRequest::fields(V& v, S& s) {
  v.choice({.name = "role", .help = "The user's new role", .required = true}, s.role, kRoleNames);
}
KEEL_SPEC_REQUEST_FIELDS(SetRoleRequest)

template <class V, class S>
void PasswordChangeResult::fields(V& v, S& s) {
  v.field({.name = "password_changed"}, s.password_changed);
  v.field({.name = "username"}, s.username);
}
KEEL_SPEC_FIELDS(PasswordChangeResult)

template <class V, class S>
void OwnPasswordRequest::fields(V& v, S& s) {
  v.field({.name = "current_password", .help = "The password the user signs in with now", .required = true},
          s.current_password);
  v.field({.name = "new_password", .help = "At least 8 characters, other than the current one", .required = true},
          s.new_password);
}
KEEL_SPEC_REQUEST_FIELDS(OwnPasswordRequest)

}  // namespace keel::service
