// src/service/sign_in_internal.h (private): the store's user row as signing in and the token check
// see it.
#pragma once

#include "keel/service/sign_in.h"
#include "keel/store/user_repository.h"

namespace keel::service::detail {

inline SignInUser sign_in_user_of(const store::UserRecord& row) {
  return {row.id,       row.username,      row.tenant,          row.role,  row.password_hash,
          row.disabled, row.token_version, row.identity_issuer, row.email, row.full_name, ""};
}

}  // namespace keel::service::detail
