// keel/core/error.h: the one error type of keel.
//
// Every failure that reaches a user is a keel::Error with a category. `details` carries one line per
// problem (e.g. every bad cell of an import as "file:line:column: message") so that all problems
// are reported together.
//
// Core knows no protocol: the server maps a category to an HTTP status in one table
// (keel/server/http_status.h). The process exit code stays here (exit_code): every keel process
// (each CLI command, and `keel serve` failing at start-up) ends through it and scripts rely on its
// numbers, so it is part of the error taxonomy that any entry point (a future `keel worker`
// binary too) needs, not the private protocol of one layer above.
//
// Thread-safety: Error is a value type; copies are independent.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace keel {

enum class ErrorCode {
  kInvalidInput,     // bad file, bad value, bad request body
  kUsage,            // bad command line (unknown flag, missing argument)
  kNotFound,         // named portfolio, symbol, file, job does not exist
  kConflict,         // already exists, concurrent change
  kUnauthorized,     // no or bad credentials
  kForbidden,        // authenticated but not allowed
  kPayloadTooLarge,  // request body over the cap
  kRateLimited,      // too many requests
  kUnavailable,      // not now: a deadline passed, the server is busy or shutting down (retry later)
  kCancelled,        // the caller (or an administrator) cancelled the computation
  kInternal,         // a bug or an environment failure (disk, database)
};

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, std::string message, std::vector<std::string> details = {});

  static Error invalid_input(std::string message, std::vector<std::string> details = {});
  static Error usage(std::string message);
  static Error not_found(std::string message);
  static Error conflict(std::string message);
  static Error forbidden(std::string message);
  static Error internal(std::string message);
  static Error unavailable(std::string message);
  static Error cancelled(std::string message);

  ErrorCode code() const { return code_; }
  const std::vector<std::string>& details() const { return details_; }

 private:
  ErrorCode code_;
  std::vector<std::string> details_;
};

// Stable snake_case name of a category ("invalid_input", "not_found", ...), used in JSON errors.
std::string_view error_code_name(ErrorCode code);

// CLI exit code: 1 bad input (and conflict), 2 usage, 3 not found, 4 internal and the rest,
// 5 unavailable (a deadline or a limit of the moment: try again), 130 cancelled (as a shell's SIGINT).
int exit_code(ErrorCode code);

}  // namespace keel
