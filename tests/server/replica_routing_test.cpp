// Which requests read from the read replica: reads only, and not those of a user within the sticky
// window after their own write (5 s here), counted on a clock the test moves.
#include "keel/server/replica_routing.h"

#include <gtest/gtest.h>

namespace keel::server {
namespace {

using std::chrono::milliseconds;

TEST(ReplicaRouting, ReadsGoToTheReplicaExceptAUsersOwnJustAfterTheirWrite) {
  ReplicaRouting r(std::chrono::seconds(5));
  const ReplicaRouting::Time t0{};
  EXPECT_TRUE(r.reads_from_replica(true, 7, t0));
  EXPECT_FALSE(r.reads_from_replica(false, 7, t0)) << "a route that writes is the primary's";
  r.note_write(7, t0);
  EXPECT_FALSE(r.reads_from_replica(true, 7, t0 + milliseconds(4999))) << "inside the window: the primary";
  EXPECT_TRUE(r.reads_from_replica(true, 8, t0 + milliseconds(1))) << "another user is not held back";
  EXPECT_TRUE(r.reads_from_replica(true, 7, t0 + milliseconds(5000))) << "the window is over";
  // A later write opens a new window from its own time.
  r.note_write(7, t0 + milliseconds(6000));
  EXPECT_FALSE(r.reads_from_replica(true, 7, t0 + milliseconds(10999)));
  EXPECT_TRUE(r.reads_from_replica(true, 7, t0 + milliseconds(11000)));
}

TEST(ReplicaRouting, AnonymousRequestsAreNeverStickyAndOldWritesAreForgotten) {
  ReplicaRouting r(std::chrono::seconds(5));
  const ReplicaRouting::Time t0{};
  r.note_write(0, t0);
  EXPECT_TRUE(r.reads_from_replica(true, 0, t0));
  EXPECT_EQ(r.remembered(), 0u);
  // 4,097 users write at t0; one more, 5 s later, prunes every expired entry: only it is left.
  for (std::int64_t u = 1; u <= 4097; ++u) r.note_write(u, t0);
  EXPECT_EQ(r.remembered(), 4097u);
  r.note_write(5000, t0 + milliseconds(5000));
  EXPECT_EQ(r.remembered(), 1u);
  EXPECT_FALSE(r.reads_from_replica(true, 5000, t0 + milliseconds(5001)));
}

}  // namespace
}  // namespace keel::server
