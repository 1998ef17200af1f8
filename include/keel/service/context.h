// keel/service/context.h: what a use case may use besides its request.
//
// Every use case is a function `Result use_case(const Context&, const Request&)`. The Context
// carries who acts (the Actor: user, tenant, role, client address, request id — what the use case
// authorizes and audits, keel/service/rules.h), the store (null for a command that works on files
// alone), and the Env: the clock and
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
#include "keel/store/user_repository.h"

namespace keel {
class Store;
}

namespace keel::service {

class Secrets;
class JobQueue;
class ChangeFeed;
struct LimitPolicy;

// Who a use case acts for. keel serve makes one per request from the signed-in user (and per job
// from the user who enqueued it); the keel command acts as the machine's operator (operator_actor:
// an admin, since whoever runs it on the store owns the data; docs/security.md). The default is the
// process itself ("keel"), as a library caller or a test is.
struct Actor {
  std::string user = "keel";           // who acts: "alice", "cli:root", "scheduler"; owns what it makes
  // The keel command's operator when it acts as a user of the store (`keel --as pb`: user "pb",
  // operator "cli:root"): the user owns what the command makes, as over HTTP, and the audit row
  // names both ("cli:root as pb", audit_user()). Empty otherwise.
  std::string operator_user;
  std::string tenant = "default";      // whose data the use case reads and changes
  Role role = Role::kAdmin;
  std::string client = "local";        // the client address over HTTP; "local" in a process
  std::string request_id;              // the HTTP request's id, or "" outside a request
};

// The audit row's user: `user`, or "OPERATOR as USER" when an operator acts as a user.
std::string audit_user(const Actor& actor);

// The keel command's actor: "cli:$USER" (USER from the environment, else "unknown"), an admin of
// `tenant`, client "local".
Actor operator_actor(const std::string& tenant = "default");

struct Context {
  Store* store = nullptr;
  Env env = system_env();
  const Secrets* secrets = nullptr;
  // Where outbound requests (LLM providers, market data) may go (keel/net/outbound.h). `keel serve`
  // enforces it for every request and job it runs; the keel command, run by the machine's own
  // operator, does not. The assistant adds the tenant's policy's allowed hosts to it.
  net::OutboundPolicy outbound = {};
  Actor actor = {};
  // Where a use case may hand work to run in the background (keel serve's job queue,
  // keel/service/jobs.h); null outside the server, where everything runs in the foreground.
  JobQueue* jobs = nullptr;
  // Where a use case announces that a portfolio's data changed (keel/service/changes.h: keel
  // serve's event hub); null outside the server, where nobody is watching.
  ChangeFeed* changes = nullptr;
  // The compute limits a use case is admitted against (keel/service/admission.h): keel serve's,
  // per tenant; null outside the server, where the machine's operator decides what to run.
  const LimitPolicy* limits = nullptr;
  // True in a background job: a computation is then admitted against the limits of a job, not
  // those of an answer given at once (keel/service/admission.h).
  bool in_job = false;
};

// The store of a use case that needs one; Error::usage naming `why` when there is none.
Store& require_store(const Context& cx, const char* why);

}  // namespace keel::service
