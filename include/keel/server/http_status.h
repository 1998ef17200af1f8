// keel/server/http_status.h: the HTTP status of each error category, in one table.
//
// keel::Error carries a category (ErrorCode, keel/core/error.h) and knows nothing of HTTP: the
// server is the only face that speaks it, so the translation lives here, and every error the server
// writes (route errors, authentication refusals, the transport's refusals) takes its status from
// this header. The CLI's exit codes are the other face's translation (keel::exit_code).
//
// Thread-safety: constant functions of their argument.
#pragma once

#include "keel/core/error.h"

namespace keel::server {

// The HTTP status of an error category: 400 invalid_input and usage, 401 unauthorized,
// 403 forbidden, 404 not_found, 409 conflict, 413 payload_too_large, 429 rate_limited,
// 499 cancelled, 500 internal, 503 unavailable. A switch without default: a new ErrorCode without a status fails to compile
// (-Wswitch, with -Werror).
constexpr int http_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidInput: return 400;
    case ErrorCode::kUsage: return 400;
    case ErrorCode::kUnauthorized: return 401;
    case ErrorCode::kForbidden: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kPayloadTooLarge: return 413;
    case ErrorCode::kRateLimited: return 429;
    case ErrorCode::kUnavailable: return 503;
    // 499 as nginx logs a request whose client went away: the answer is seldom read, but the
    // access log and the job's error say what happened.
    case ErrorCode::kCancelled: return 499;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

// The category of a refusal the transport makes with a status of its own before any route runs
// (400 malformed, 408 slow body, 413 body too large, 414 target too long, 431 headers too large,
// 503 busy): 413 payload_too_large, 429 rate_limited, any 5xx internal, any other invalid_input.
constexpr ErrorCode transport_error_code(int status) {
  if (status == 413) return ErrorCode::kPayloadTooLarge;
  if (status == 429) return ErrorCode::kRateLimited;
  if (status == 503) return ErrorCode::kUnavailable;
  if (status >= 500) return ErrorCode::kInternal;
  return ErrorCode::kInvalidInput;
}

}  // namespace keel::server
