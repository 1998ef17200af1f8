#include "keel/core/release.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>
#include <vector>

namespace keel {
namespace {

// Tells, as it is destroyed, on which thread that happened.
struct Tracer {
  explicit Tracer(std::promise<std::thread::id> p) : done(std::move(p)) {}
  Tracer(Tracer&& other) noexcept : done(std::move(other.done)), armed(std::exchange(other.armed, false)) {}
  ~Tracer() {
    if (armed) done.set_value(std::this_thread::get_id());
  }
  std::promise<std::thread::id> done;
  bool armed = true;
};

TEST(ReleaseLater, DestroysTheObjectOnAnotherThread) {
  std::promise<std::thread::id> p;
  auto destroyed_on = p.get_future();
  release_later(Tracer(std::move(p)));
  ASSERT_EQ(destroyed_on.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_NE(destroyed_on.get(), std::this_thread::get_id());
}

TEST(ReleaseLater, DestroysInTheOrderHandedOver) {
  // Each object records its number as it goes; the last one's destruction means all went before it.
  std::vector<int> order;
  struct Numbered {
    std::vector<int>* order;
    int n;
    std::promise<void>* last;
    Numbered(std::vector<int>* o, int k, std::promise<void>* l) : order(o), n(k), last(l) {}
    Numbered(Numbered&& other) noexcept : order(other.order), n(other.n), last(other.last) { other.order = nullptr; }
    ~Numbered() {
      if (order == nullptr) return;
      order->push_back(n);
      if (last != nullptr) last->set_value();
    }
  };
  std::promise<void> last;
  auto all_done = last.get_future();
  for (int k = 1; k <= 5; ++k) release_later(Numbered(&order, k, k == 5 ? &last : nullptr));
  ASSERT_EQ(all_done.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3, 4, 5}));
}

TEST(ReleaseLater, TakesLargeContainersWithoutCopying) {
  std::vector<int> big(1'000'000, 7);
  const int* data = big.data();
  std::promise<const int*> p;
  auto seen = p.get_future();
  struct Holder {
    std::vector<int> v;
    std::promise<const int*> done;
    bool armed = true;
    Holder(std::vector<int> x, std::promise<const int*> d) : v(std::move(x)), done(std::move(d)) {}
    Holder(Holder&& o) noexcept : v(std::move(o.v)), done(std::move(o.done)), armed(std::exchange(o.armed, false)) {}
    ~Holder() {
      if (armed) done.set_value(v.data());
    }
  };
  release_later(Holder(std::move(big), std::move(p)));
  ASSERT_EQ(seen.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(seen.get(), data);  // the same buffer: moved, never copied
}

}  // namespace
}  // namespace keel
