// keel/server/permissions.h: the permissions of keel/service/rules.h, under the names the
// routes use. Every API route names one Permission, checked before its body is read; the use cases
// that change something check theirs again (keel/service/rules.h), so every face decides alike.
//
// Thread-safety: pure functions.
#pragma once

#include "keel/service/rules.h"

namespace keel::server {

using service::kAllPermissions;
using service::Permission;
using service::permission_name;
using service::role_allows;

}  // namespace keel::server
