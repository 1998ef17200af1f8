// src/vault/sodium_init.h (private): libsodium's one-time initialisation.
#pragma once

#include <sodium.h>

#include "keel/core/error.h"

namespace keel::vault {

// Calls sodium_init() once per process (it is itself safe to call again and from any thread, and
// picks the fastest implementations); throws Error::internal when libsodium cannot start, e.g. no
// random source.
inline void ensure_sodium() {
  static const int status = sodium_init();
  if (status < 0) throw Error::internal("libsodium could not be initialised (no source of random bytes?)");
}

}  // namespace keel::vault
