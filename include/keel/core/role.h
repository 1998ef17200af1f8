// keel/core/role.h: the roles of the people who use keel, ordered from most to least privileged.
//
// A role is what the service's rules decide on (keel/service/rules.h: which permission each role
// holds; docs/security.md has the matrix), what a token carries and what the store keeps with a
// user. It lives here, below all of them, so the store keeps it (keel/store/user_repository.h
// names it store::Role) while the service and its faces name it without reaching the store. Its
// names ("admin", ...) are the service's: service::role_name and service::parse_role.
#pragma once

namespace keel {

enum class Role { kAdmin, kManager, kAnalyst, kViewer };

}  // namespace keel
