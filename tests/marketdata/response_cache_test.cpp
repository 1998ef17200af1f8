// The on-disk cache of provider responses (keel/marketdata/cache.h) dates what it keeps with the
// injected clock: a FixedClock pins fetched_at, and the list's order (oldest fetch first, so later
// ones win a merge) follows the clock, whatever the machine's time.
#include "keel/marketdata/cache.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>

namespace keel::marketdata {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;
using std::chrono::system_clock;

class ResponseCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("keel_response_cache_" + std::to_string(::getpid()));
    fs::remove_all(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

TEST_F(ResponseCacheTest, FetchTimeIsTheInjectedClocks) {
  const FixedClock clock(system_clock::time_point{seconds(1'512'569'039)});  // 2017-12-06T14:03:59Z
  const ResponseCache cache(root_.string(), clock);
  cache.put("yahoo", "AAPL", "2017-11-01_2017-11-30", "https://example.test/chart/AAPL", "{}");
  const auto cached = cache.list("yahoo", "AAPL");
  ASSERT_EQ(cached.size(), 1u);
  EXPECT_EQ(cached[0].fetched_at, "2017-12-06T14:03:59Z");
  EXPECT_EQ(cached[0].url, "https://example.test/chart/AAPL");
  EXPECT_EQ(cached[0].body, "{}");
}

TEST_F(ResponseCacheTest, ListsOldestFetchFirstByTheClock) {
  // "a" is written first, with the later clock: it comes last, after "b", though its name sorts
  // first.
  const FixedClock later(system_clock::time_point{seconds(1'600'000'000)});
  const FixedClock earlier(system_clock::time_point{seconds(1'500'000'000)});
  ResponseCache(root_.string(), later).put("fred", "DGS10", "a", "u", "new");
  ResponseCache(root_.string(), earlier).put("fred", "DGS10", "b", "u", "old");
  const auto cached = ResponseCache(root_.string()).list("fred", "DGS10");
  ASSERT_EQ(cached.size(), 2u);
  EXPECT_EQ(cached[0].body, "old");
  EXPECT_EQ(cached[0].fetched_at, "2017-07-14T02:40:00Z");
  EXPECT_EQ(cached[1].body, "new");
  EXPECT_EQ(cached[1].fetched_at, "2020-09-13T12:26:40Z");
}

}  // namespace
}  // namespace keel::marketdata
