// `keel fetch ...` end to end: the real binary against a loopback provider (--base-url), exit
// codes, the table and JSON forms, and keys kept out of what it prints.
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "../marketdata/loopback_server.h"
#include "../support/cli_runner.h"

namespace keel::testing {
namespace {

struct TempCache {
  TempCache() : path(std::filesystem::temp_directory_path() / ("keel_cli_cache_" + std::to_string(::getpid()))) {}
  ~TempCache() { std::filesystem::remove_all(path); }
  std::filesystem::path path;
};

TEST(FetchCli, PricesFromYahooThenNothingNewThenOffline) {
  LoopbackServer s;
  s.serve("/v8/finance/chart/AAPL", "yahoo_chart_aapl_2017-11.json");
  TempDb db("fetch");
  TempCache cache;
  const std::string k = "--db " + db.path() + " --format json fetch prices --provider yahoo --symbols AAPL --from 2017-11-08 "
                        "--to 2017-11-14 --base-url " + s.url() + " --cache " + cache.path.string();
  const auto first = run_keel(k);
  ASSERT_EQ(first.code, 0) << first.err;
  const auto r = nlohmann::json::parse(first.out);
  EXPECT_EQ(r.at("fetched_bars"), 5);
  EXPECT_EQ(r.at("requests"), 1);
  const auto second = run_keel(k);
  ASSERT_EQ(second.code, 0) << second.err;
  EXPECT_EQ(nlohmann::json::parse(second.out).at("requests"), 0);
  EXPECT_EQ(s.total(), 1);
  // Offline with --full re-reads the cached response instead of the network.
  const auto offline = run_keel(k + " --offline --full");
  ASSERT_EQ(offline.code, 0) << offline.err;
  EXPECT_EQ(nlohmann::json::parse(offline.out).at("cache_reads"), 1);
  EXPECT_EQ(s.total(), 1);
  // The table form names the symbol and the totals.
  const auto table = run_keel("--db " + db.path() + " --format table fetch prices --provider yahoo --symbols AAPL "
                              "--from 2017-11-08 --to 2017-11-14 --offline --full --cache " + cache.path.string());
  EXPECT_EQ(table.code, 0) << table.err;
  EXPECT_NE(table.out.find("AAPL"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("5 bars fetched"), std::string::npos) << table.out;
}

TEST(FetchCli, ExitCodesNameTheProblem) {
  TempDb db("fetch_codes");
  TempCache cache;
  const std::string k = "--db " + db.path() + " fetch prices --symbols AAPL --cache " + cache.path.string() + " ";
  EXPECT_EQ(run_keel(k + "--provider nosuch").code, 2);
  const auto offline = run_keel(k + "--provider yahoo --offline");
  EXPECT_EQ(offline.code, 3) << offline.err;  // nothing cached
  EXPECT_NE(offline.err.find("nothing cached"), std::string::npos) << offline.err;
  ::unsetenv("KEEL_POLYGON_API_KEY");
  const auto nokey = run_keel(k + "--provider polygon");
  EXPECT_EQ(nokey.code, 4) << nokey.err;
  EXPECT_NE(nokey.err.find("KEEL_POLYGON_API_KEY"), std::string::npos) << nokey.err;
}

TEST(FetchCli, ApiKeyNeverPrinted) {
  const std::string key = "pk_cli_secret_9876543210";
  LoopbackServer s;
  s.on("/v2/aggs/ticker/AAPL/range/1/day/.*", [](const httplib::Request& req, httplib::Response& res) {
    res.status = 403;
    res.set_content("{\"status\":\"NOT_AUTHORIZED\",\"request\":\"" + req.target + "\"}", "application/json");
  });
  ::setenv("KEEL_POLYGON_API_KEY", key.c_str(), 1);
  TempDb db("fetch_key");
  const auto r = run_keel("--db " + db.path() + " --verbose fetch prices --provider polygon --symbols AAPL --from 2017-11-08 "
                          "--to 2017-11-14 --no-cache --base-url " + s.url());
  ::unsetenv("KEEL_POLYGON_API_KEY");
  EXPECT_EQ(r.code, 4) << r.err;
  EXPECT_NE(r.err.find("403"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(key), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find(key), std::string::npos) << r.out;
}

}  // namespace
}  // namespace keel::testing
