// keel/service/context.h: what a use case may use besides its request.
//
// Every use case is a function `Result use_case(const Context&, const Request&)`. The Context
// carries the store (null for a command that works on files alone), and the Env: the clock and
// the file access of the face that called (keel/core/env.h), and the API keys the caller may use
// (keel/service/secrets.h; null when the face has no vault), and where its outbound requests may
// go (keel/net/outbound.h). The keel command passes
// system_env(); `keel serve` passes server_env(), so a request cannot make the server read a
// file; tests pin the clock with a FixedClock.
//
// Thread-safety: a Context is a pair of references; the Store it points to is used by one thread
// at a time.
#pragma once

#include <string>

#include "keel/core/env.h"
#include "keel/net/outbound.h"

namespace keel {
class Store;
}

namespace keel::service {

class Secrets;

struct Context {
  Store* store = nullptr;
  Env env = system_env();
  const Secrets* secrets = nullptr;
  // Where outbound requests (LLM providers, market data) may go (keel/net/outbound.h). `keel serve`
  // enforces it for every request and job it runs; the keel command, run by the machine's own
  // operator, does not. The assistant adds the tenant's policy's allowed hosts to it.
  net::OutboundPolicy outbound = {};
  // Who the use case acts for in the audit entries it writes itself (outbound refusals): the
  // user's name, "cli:USER"; "" is written as "keel".
  std::string actor = {};
};

// The store of a use case that needs one; Error::usage naming `why` when there is none.
Store& require_store(const Context& cx, const char* why);

}  // namespace keel::service
