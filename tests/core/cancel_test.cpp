// keel/core/cancel.h: the stop flag, the deadline, the thread's scope and the poll.
#include "keel/core/cancel.h"

#include <gtest/gtest.h>

#include <thread>

#include "keel/core/error.h"

namespace keel {
namespace {

ErrorCode code_of(const Cancellation& c) {
  try {
    c.check();
  } catch (const Error& e) {
    return e.code();
  }
  return ErrorCode::kInternal;  // not thrown
}

TEST(Cancellation, CancelWinsOnceAndNamesWhoAsked) {
  Cancellation c;
  EXPECT_FALSE(c.stop_requested());
  EXPECT_NO_THROW(c.check());
  c.cancel("cancelled by alice");
  c.cancel("the server is shutting down");  // the first reason stays
  EXPECT_TRUE(c.stop_requested());
  try {
    c.check();
    FAIL() << "not thrown";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kCancelled);
    EXPECT_STREQ(e.what(), "the computation was stopped: cancelled by alice");
  }
}

TEST(Cancellation, ADeadlinePassedIsUnavailableAndNamesTheDeadline) {
  Cancellation c;
  c.set_deadline(Cancellation::Clock::now() + std::chrono::hours(1), "the request deadline of 1 h");
  EXPECT_FALSE(c.stop_requested());
  c.set_deadline(Cancellation::Clock::now() - std::chrono::milliseconds(1), "the request deadline of 30 s");
  EXPECT_TRUE(c.stop_requested());
  EXPECT_EQ(code_of(c), ErrorCode::kUnavailable);
  try {
    c.check();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("passed the request deadline of 30 s"), std::string::npos) << e.what();
  }
  c.cancel("by bob");  // a cancel after the deadline: cancelled is the answer
  EXPECT_EQ(code_of(c), ErrorCode::kCancelled);
}

TEST(Cancellation, TheScopeIsTheCallingThreadsAndNests) {
  EXPECT_EQ(current_cancellation(), nullptr);
  EXPECT_NO_THROW(cancellation_point());
  Cancellation outer, inner;
  outer.cancel("outer");
  {
    CancelScope a(&inner);
    EXPECT_EQ(current_cancellation(), &inner);
    EXPECT_NO_THROW(cancellation_point());
    {
      CancelScope b(&outer);
      EXPECT_THROW(cancellation_point(), Error);
      // Another thread sees no scope.
      const Cancellation* seen = &inner;
      std::thread([&] { seen = current_cancellation(); }).join();
      EXPECT_EQ(seen, nullptr);
    }
    EXPECT_EQ(current_cancellation(), &inner);
  }
  EXPECT_EQ(current_cancellation(), nullptr);
}

TEST(Cancellation, APollAsksEveryStrideCalls) {
  Cancellation c;
  c.cancel("stop");
  CancelPoll poll(&c, 4);
  poll();
  poll();
  poll();
  EXPECT_THROW(poll(), Error);  // the 4th call asks
  CancelPoll none(nullptr, 1);
  EXPECT_NO_THROW(none());
}

TEST(Cancellation, ACancelFromAnotherThreadIsSeen) {
  Cancellation c;
  std::thread t([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    c.cancel("from another thread");
  });
  const auto t0 = std::chrono::steady_clock::now();
  while (!c.stop_requested() && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5)) {
  }
  t.join();
  EXPECT_EQ(code_of(c), ErrorCode::kCancelled);
}

}  // namespace
}  // namespace keel
