// tests/support/tenant_context.h: a service Context whose actor acts in a given tenant (the way
// keel serve's requests and jobs act in their caller's tenant), for tests that compare a face's
// answer with the use case run directly.
#pragma once

#include <string>

#include "keel/service/context.h"

namespace keel::testing {

inline service::Context context_in(Store* store, const std::string& tenant) {
  service::Context cx{store};
  cx.actor.tenant = tenant;
  return cx;
}

}  // namespace keel::testing
