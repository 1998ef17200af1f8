// keel/service/context.h: what a use case may use besides its request.
//
// Every use case is a function `Result use_case(const Context&, const Request&)`. The Context
// carries the store (null for a command that works on files alone), and the Env: the clock and
// the file access of the face that called (keel/core/env.h), and the API keys the caller may use
// (keel/service/secrets.h; null when the face has no vault). The keel command passes
// system_env(); `keel serve` passes server_env(), so a request cannot make the server read a
// file; tests pin the clock with a FixedClock.
//
// Thread-safety: a Context is a pair of references; the Store it points to is used by one thread
// at a time.
#pragma once

#include "keel/core/env.h"

namespace keel {
class Store;
}

namespace keel::service {

class Secrets;

struct Context {
  Store* store = nullptr;
  Env env = system_env();
  const Secrets* secrets = nullptr;
};

// The store of a use case that needs one; Error::usage naming `why` when there is none.
Store& require_store(const Context& cx, const char* why);

}  // namespace keel::service
