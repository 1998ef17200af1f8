// keel/core/error.h: the one error type of keel.
//
// Every failure that reaches a user is a keel::Error with a category. The category maps in one
// place to a CLI exit code (exit_code) and an HTTP status (http_status), so the command and the
// server agree. `details` carries one line per problem (e.g. every bad cell of an import as
// "file:line:column: message") so that all problems are reported together.
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

  ErrorCode code() const { return code_; }
  const std::vector<std::string>& details() const { return details_; }

 private:
  ErrorCode code_;
  std::vector<std::string> details_;
};

// Stable snake_case name of a category ("invalid_input", "not_found", ...), used in JSON errors.
std::string_view error_code_name(ErrorCode code);

// CLI exit code: 1 bad input (and conflict), 2 usage, 3 not found, 4 internal and the rest.
int exit_code(ErrorCode code);

// HTTP status: 400, 400, 404, 409, 401, 403, 413, 429, 500.
int http_status(ErrorCode code);

}  // namespace keel
