// Two simultaneous HTTP imports, each selling 40 of the 50 shares held: before, both were
// accepted (the check read a snapshot before the write transaction) and every later ledger
// operation of the tenant failed. The check now runs inside the BEGIN IMMEDIATE write
// transaction: exactly one sale is stored, the other is refused with 400, and the ledger stays
// readable.
#include <thread>

#include "server_fixture.h"

namespace keel::server::testing {
namespace {

using nlohmann::json;

class LedgerConcurrentSells : public ServerFixture {};

TEST_F(LedgerConcurrentSells, OnlyOneOfTwoSimultaneousSalesPasses) {
  const std::string mgr = login("mgr");
  auto r = post(mgr, "/api/v1/accounts", json{{"name", "brokerage"}, {"method", "fifo"}}.dump());
  ASSERT_EQ(r->status, 201) << r->body;
  const std::string a = "/api/v1/accounts/" + std::to_string(body(r)["id"].get<std::int64_t>());
  r = post(mgr, a + "/transactions", "date,type,symbol,quantity,price\n2020-01-02,BUY,AAA,50,10\n", "text/csv");
  ASSERT_EQ(r->status, 200) << r->body;
  int expected_transactions = 1;
  for (int round = 0; round < 4; ++round) {
    // Round r trades in month r + 2 of 2020, after everything before it.
    const std::string month = "2020-0" + std::to_string(round + 2);
    if (round > 0) {
      // Back to 50 shares held: another buy of 40.
      r = post(mgr, a + "/transactions", "date,type,symbol,quantity,price\n" + month + "-01,BUY,AAA,40,10\n", "text/csv");
      ASSERT_EQ(r->status, 200) << r->body;
      ++expected_transactions;
    }
    const std::string sell = "date,type,symbol,quantity,price\n" + month + "-15,SELL,AAA,40,12\n";
    // Two distinct sales of the same row: keep_duplicates, or the second would be taken for the
    // first imported again and skipped (docs/ledger.md, "Importing again").
    const std::string route = a + "/transactions?keep_duplicates=true";
    int status_a = 0, status_b = 0;
    std::string body_a, body_b;
    std::thread ta([&] {
      auto x = post(mgr, route, sell, "text/csv");
      status_a = x ? x->status : -1;
      body_a = x ? x->body : "";
    });
    std::thread tb([&] {
      auto x = post(mgr, route, sell, "text/csv");
      status_b = x ? x->status : -1;
      body_b = x ? x->body : "";
    });
    ta.join();
    tb.join();
    EXPECT_EQ((status_a == 200) + (status_b == 200), 1) << status_a << " " << body_a << "\n" << status_b << " " << body_b;
    EXPECT_EQ((status_a == 400) + (status_b == 400), 1) << status_a << " " << body_a << "\n" << status_b << " " << body_b;
    ++expected_transactions;
    EXPECT_EQ(body(get(mgr, a))["transactions"], expected_transactions);
    auto lots = get(mgr, a + "/lots");
    ASSERT_EQ(lots->status, 200) << lots->body;
    const json open_lots = body(lots);  // kept alive: the loop reads into it
    double held = 0;
    for (const auto& l : open_lots["lots"]) held += l["quantity"].get<double>();
    EXPECT_DOUBLE_EQ(held, 10.0);
  }
}

}  // namespace
}  // namespace keel::server::testing
