// The server's error-category -> HTTP status table against the statuses RFC 9110 defines for each
// case (section 15.5: 400 Bad Request, 401 Unauthorized, 403 Forbidden, 404 Not Found, 409 Conflict,
// 413 Content Too Large; RFC 6585 section 4: 429 Too Many Requests; 15.6.1: 500 Internal Server Error).
#include "keel/server/http_status.h"

#include <gtest/gtest.h>

namespace keel::server {
namespace {

TEST(HttpStatus, EachCategoryHasItsRfcStatus) {
  EXPECT_EQ(http_status(ErrorCode::kInvalidInput), 400);
  EXPECT_EQ(http_status(ErrorCode::kUsage), 400);
  EXPECT_EQ(http_status(ErrorCode::kUnauthorized), 401);
  EXPECT_EQ(http_status(ErrorCode::kForbidden), 403);
  EXPECT_EQ(http_status(ErrorCode::kNotFound), 404);
  EXPECT_EQ(http_status(ErrorCode::kConflict), 409);
  EXPECT_EQ(http_status(ErrorCode::kPayloadTooLarge), 413);
  EXPECT_EQ(http_status(ErrorCode::kRateLimited), 429);
  EXPECT_EQ(http_status(ErrorCode::kInternal), 500);
  static_assert(http_status(ErrorCode::kNotFound) == 404, "usable at compile time");
}

TEST(HttpStatus, TransportRefusalsNameTheirCategory) {
  EXPECT_EQ(transport_error_code(400), ErrorCode::kInvalidInput);  // malformed request
  EXPECT_EQ(transport_error_code(408), ErrorCode::kInvalidInput);  // body too slow
  EXPECT_EQ(transport_error_code(413), ErrorCode::kPayloadTooLarge);
  EXPECT_EQ(transport_error_code(414), ErrorCode::kInvalidInput);  // target too long
  EXPECT_EQ(transport_error_code(429), ErrorCode::kRateLimited);
  EXPECT_EQ(transport_error_code(431), ErrorCode::kInvalidInput);  // headers too large
  EXPECT_EQ(transport_error_code(503), ErrorCode::kUnavailable);   // a full queue: come back later
  EXPECT_EQ(transport_error_code(502), ErrorCode::kInternal);
  // A transport refusal round-trips to its own status where the table has one.
  EXPECT_EQ(http_status(transport_error_code(413)), 413);
  EXPECT_EQ(http_status(transport_error_code(429)), 429);
  EXPECT_EQ(http_status(transport_error_code(503)), 503);
  EXPECT_EQ(http_status(ErrorCode::kCancelled), 499);
}

}  // namespace
}  // namespace keel::server
