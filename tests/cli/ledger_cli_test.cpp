// End-to-end tests of `keel ledger|account|export|import transactions` on examples/ledger.
//
// Expected figures for examples/ledger/transactions.csv, worked by hand (fees 4.95 per trade;
// gross = quantity x price to the cent; FIFO):
//   XOM  2016-09-01 SELL 60 @ 86.84: proceeds 5210.40 - 4.95 = 5205.45; cost 4876.80 + 4.95 = 4881.75;
//        gain 323.70, short term.
//   AAPL 2017-03-01 SELL 40 @ 139.79: proceeds 5586.65; cost 40/50 of 5272.45 = 4217.96; gain 1368.69,
//        long term (bought 2016-01-04).
//   XOM  2017-06-01 SELL 30 @ 80.70: proceeds 2416.05; cost 2731.65; loss 315.60, all disallowed as a
//        wash sale (XOM bought again 2017-06-20): gain 0.00, short term.
//   MSFT 2017-09-01 SELL 50 @ 73.94: proceeds 3692.05; cost 50/100 of 5484.95 = 2742.475 -> 2742.48;
//        gain 949.57, long term.
//   Totals: short 323.70, long 2318.26.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../support/cli_runner.h"
#include <string>
#include <sys/wait.h>

namespace {

// Runs keel through the shared runner (a unique stderr file per run, so parallel tests do not
// clobber each other) and keeps the last run's stderr for the assertions below.
std::string& last_err() {
  static std::string err;
  return err;
}

keel::testing::CliResult keel(const std::string& args) {
  auto r = keel::testing::run_keel(args);
  last_err() = r.err;
  return r;
}

std::string last_stderr() { return last_err(); }

const std::string kEx = std::string(KEEL_SOURCE_DIR) + "/examples/ledger/";

class LedgerCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("keel_ledger_cli_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = "--db " + (dir_ / "keel.db").string() + " ";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
  std::string db_;
};

void expect_example_gains(const nlohmann::json& j) {
  ASSERT_EQ(j["realized"].size(), 4u) << j.dump();
  const auto& r = j["realized"];
  EXPECT_EQ(r[0]["symbol"], "XOM");
  EXPECT_DOUBLE_EQ(r[0]["gain"].get<double>(), 323.70);
  EXPECT_EQ(r[0]["term"], "short");
  EXPECT_EQ(r[1]["symbol"], "AAPL");
  EXPECT_DOUBLE_EQ(r[1]["cost"].get<double>(), 4217.96);
  EXPECT_DOUBLE_EQ(r[1]["gain"].get<double>(), 1368.69);
  EXPECT_EQ(r[1]["term"], "long");
  EXPECT_EQ(r[1]["buy_date"], "2016-01-04");
  EXPECT_DOUBLE_EQ(r[2]["wash_sale_disallowed"].get<double>(), 315.60);
  EXPECT_DOUBLE_EQ(r[2]["gain"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(r[3]["cost"].get<double>(), 2742.48);
  EXPECT_DOUBLE_EQ(r[3]["gain"].get<double>(), 949.57);
  EXPECT_DOUBLE_EQ(j["totals"]["short"].get<double>(), 323.70);
  EXPECT_DOUBLE_EQ(j["totals"]["long"].get<double>(), 2318.26);
}

TEST_F(LedgerCli, GainsFromFileMatchHandWorkedFigures) {
  const auto r = keel("--format json ledger gains --transactions " + kEx + "transactions.csv");
  ASSERT_EQ(r.code, 0) << last_stderr();
  expect_example_gains(nlohmann::json::parse(r.out));
}

TEST_F(LedgerCli, BrokerMappingsGiveTheSameGains) {
  auto f = keel("--format json ledger gains --transactions " + kEx + "fidelity_history.csv --mapping " + kEx +
                "fidelity.mapping.json");
  ASSERT_EQ(f.code, 0) << last_stderr();
  expect_example_gains(nlohmann::json::parse(f.out));
  auto ib = keel("--format json ledger gains --transactions " + kEx + "ibkr_flex_trades.csv --mapping " + kEx +
                 "ibkr_flex.mapping.json");
  ASSERT_EQ(ib.code, 0) << last_stderr();
  expect_example_gains(nlohmann::json::parse(ib.out));
}

TEST_F(LedgerCli, StoredAccountImportLotsHoldingsReconcileExport) {
  ASSERT_EQ(keel(db_ + "--format json account create brokerage --method fifo").code, 0) << last_stderr();
  auto imp = keel(db_ + "--format json import transactions " + kEx + "transactions.csv --account brokerage");
  ASSERT_EQ(imp.code, 0) << last_stderr();
  EXPECT_EQ(nlohmann::json::parse(imp.out)["rows"], 15);

  auto gains = keel(db_ + "--format json ledger gains --account brokerage");
  ASSERT_EQ(gains.code, 0) << last_stderr();
  expect_example_gains(nlohmann::json::parse(gains.out));
  auto y2016 = nlohmann::json::parse(keel(db_ + "--format json ledger gains --account brokerage --year 2016").out);
  EXPECT_EQ(y2016["realized"].size(), 1u);

  // Holdings at the 2017-12-06 closes: AAPL 40 x 169.011993 = 6760.48, JNJ 40 x 140.589996 = 5623.60,
  // MSFT 50 x 82.7752 = 4138.76, XOM 30 x 82.529999 = 2475.90; cash 7628.97 (sum of the cash rows).
  auto h = keel(db_ + "--format json ledger holdings --account brokerage --prices " + kEx + "prices.csv");
  ASSERT_EQ(h.code, 0) << last_stderr();
  const auto hj = nlohmann::json::parse(h.out);
  EXPECT_EQ(hj["as_of"], "2017-12-06");
  EXPECT_DOUBLE_EQ(hj["totals"]["securities_value"].get<double>(), 18998.74);
  EXPECT_DOUBLE_EQ(hj["totals"]["cash"].get<double>(), 7628.97);
  EXPECT_DOUBLE_EQ(hj["totals"]["net_worth"].get<double>(), 26627.71);
  for (const auto& p : hj["positions"]) {
    if (p["symbol"] == "XOM") {
      EXPECT_DOUBLE_EQ(p["basis"].get<double>(), 2789.85);
    }  // 2474.25 + 315.60 washed
    if (p["symbol"] == "MSFT") {
      EXPECT_DOUBLE_EQ(p["basis"].get<double>(), 2742.47);
    }
  }

  auto rec = keel(db_ + "--format json ledger reconcile --account brokerage --broker " + kEx + "broker_holdings.csv");
  ASSERT_EQ(rec.code, 0) << last_stderr();
  const auto rj = nlohmann::json::parse(rec.out);
  EXPECT_EQ(rj["discrepancies"], 2);  // MSFT basis off by a cent, XOM 25 vs 30 shares
  for (const auto& row : rj["rows"]) {
    if (row["symbol"] == "MSFT") {
      EXPECT_EQ(row["status"], "basis");
    }
    if (row["symbol"] == "XOM") {
      EXPECT_EQ(row["status"], "quantity");
    }
    if (row["symbol"] == "AAPL") {
      EXPECT_EQ(row["status"], "ok");
    }
  }

  // Export -> re-read reproduces the same lots and gains exactly.
  const std::string out = (dir_ / "tx.csv").string();
  ASSERT_EQ(keel(db_ + "export transactions --account brokerage --out " + out).code, 0) << last_stderr();
  auto again = keel("--format json ledger gains --transactions " + out);
  ASSERT_EQ(again.code, 0) << last_stderr();
  EXPECT_EQ(nlohmann::json::parse(again.out)["realized"], nlohmann::json::parse(gains.out)["realized"]);
  auto lots_store = nlohmann::json::parse(keel(db_ + "--format json ledger lots --account brokerage").out);
  auto lots_file = nlohmann::json::parse(keel("--format json ledger lots --transactions " + out).out);
  EXPECT_EQ(lots_store["lots"], lots_file["lots"]);
  EXPECT_EQ(lots_store["lots"].size(), 5u);

  auto perf = keel(db_ + "--format json ledger performance --account brokerage --prices " + kEx + "prices.csv");
  ASSERT_EQ(perf.code, 0) << last_stderr();
  const auto pj = nlohmann::json::parse(perf.out);
  // Day one: cash 20000 - 5272.45 - 5484.95 = 9242.60 plus AAPL 50 x 105.349998 and MSFT 100 x 54.799999.
  EXPECT_NEAR(pj["start_value"].get<double>(), 9242.60 + 50 * 105.349998 + 100 * 54.799999, 1e-6);
  EXPECT_EQ(pj["start"], "2016-01-04");
  EXPECT_EQ(pj["end"], "2017-12-06");
  EXPECT_NEAR(pj["end_value"].get<double>(), 26627.71, 0.02);
  EXPECT_NEAR(pj["net_flows"].get<double>(), -1000.0, 1e-9);
  EXPECT_FALSE(pj["xirr"].is_null());
}

TEST_F(LedgerCli, BadFileIsRejectedWithLineAndColumnAndNothingImported) {
  const auto bad = (dir_ / "bad.csv").string();
  std::ofstream(bad) << "date,type,symbol,quantity,price\n"
                        "2024-01-02,BUY,AAPL,10,185\n"
                        "2024-01-03,PURCHASE,AAPL,1,1\n"
                        "2024-13-01,BUY,AAPL,1,1\n"
                        "2024-01-04,BUY,AAPL,1,-2\n";
  auto r = keel(db_ + "import transactions " + bad + " --account a");
  EXPECT_EQ(r.code, 1);
  const std::string err = last_stderr();
  EXPECT_NE(err.find("bad.csv:3:2: type: unknown type 'PURCHASE'"), std::string::npos) << err;
  EXPECT_NE(err.find("bad.csv:4:1: date"), std::string::npos) << err;
  EXPECT_NE(err.find("bad.csv:5:5: price"), std::string::npos) << err;
  auto list = nlohmann::json::parse(keel(db_ + "--format json account list").out);
  EXPECT_TRUE(list["items"].empty()) << list.dump();

  // A sale before any purchase is caught by booking, still before anything is stored.
  const auto early = (dir_ / "early.csv").string();
  std::ofstream(early) << "date,type,symbol,quantity,price\n2024-01-02,SELL,AAPL,10,185\n2024-01-03,BUY,AAPL,10,180\n";
  r = keel(db_ + "import transactions " + early + " --account a");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(last_stderr().find("early.csv:2: SELL 2024-01-02 AAPL: sale of 10 shares with none held"), std::string::npos)
      << last_stderr();
  list = nlohmann::json::parse(keel(db_ + "--format json account list").out);
  EXPECT_TRUE(list["items"].empty()) << list.dump();
}

// Net-worth snapshots of examples/ledger, worked by hand.
//  2016-01-04: cash 20000 - 5272.45 - 5484.95 = 9242.60; AAPL 50 x 105.349998 = 5267.4999 -> 5267.50,
//    MSFT 100 x 54.799999 = 5479.9999 -> 5480.00; market value 10747.50; basis 10757.40; unrealized
//    -9.90; net worth 19990.10.
//  2017-12-06: market value 18998.74, cash 7628.97, net worth 26627.71 (see the holdings test);
//    basis AAPL 1054.49 + 2958.75, JNJ 4516.15, MSFT 2742.47, XOM 2789.85 = 14061.71; unrealized 4937.03.
//  Change 6637.61; growth 26627.71 / 19990.10 - 1 over 702 days.
TEST_F(LedgerCli, SnapshotsGiveNetWorthHistoryElseReplayIsLabelled) {
  ASSERT_EQ(keel(db_ + "account create brokerage").code, 0) << last_stderr();
  ASSERT_EQ(keel(db_ + "import transactions " + kEx + "transactions.csv --account brokerage").code, 0) << last_stderr();
  const std::string prices = " --prices " + kEx + "prices.csv";

  // No snapshot yet: replayed, and said so.
  auto replay = keel(db_ + "--format json ledger networth --all" + prices);
  ASSERT_EQ(replay.code, 0) << last_stderr();
  const auto rj = nlohmann::json::parse(replay.out);
  EXPECT_EQ(rj["source"], "replay");
  EXPECT_NE(last_stderr().find("no net-worth snapshots"), std::string::npos) << last_stderr();
  EXPECT_EQ(rj["points"].front()["date"], "2016-01-04");
  EXPECT_DOUBLE_EQ(rj["points"].front()["net_worth"].get<double>(), 19990.10);
  EXPECT_EQ(rj["points"].back()["date"], "2017-12-06");
  EXPECT_DOUBLE_EQ(rj["points"].back()["net_worth"].get<double>(), 26627.71);

  auto s1 = keel(db_ + "--format json ledger snapshot --account brokerage --as-of 2016-01-04" + prices);
  ASSERT_EQ(s1.code, 0) << last_stderr();
  const auto j1 = nlohmann::json::parse(s1.out);
  EXPECT_DOUBLE_EQ(j1["net_worth"].get<double>(), 19990.10);
  EXPECT_DOUBLE_EQ(j1["market_value"].get<double>(), 10747.50);
  EXPECT_DOUBLE_EQ(j1["cash"].get<double>(), 9242.60);
  EXPECT_DOUBLE_EQ(j1["cost_basis"].get<double>(), 10757.40);
  EXPECT_DOUBLE_EQ(j1["unrealized"].get<double>(), -9.90);
  EXPECT_EQ(j1["replaced"], false);
  auto s2 = keel(db_ + "--format json ledger snapshot --account brokerage" + prices);  // as of the last close
  ASSERT_EQ(s2.code, 0) << last_stderr();
  const auto j2 = nlohmann::json::parse(s2.out);
  EXPECT_EQ(j2["as_of"], "2017-12-06");
  EXPECT_DOUBLE_EQ(j2["net_worth"].get<double>(), 26627.71);
  EXPECT_DOUBLE_EQ(j2["cost_basis"].get<double>(), 14061.71);
  EXPECT_DOUBLE_EQ(j2["unrealized"].get<double>(), 4937.03);
  // Recording the same date again replaces the snapshot.
  auto again = keel(db_ + "--format json ledger snapshot --account brokerage --as-of 2017-12-06" + prices);
  EXPECT_EQ(nlohmann::json::parse(again.out)["replaced"], true);

  auto nw = keel(db_ + "--format json ledger networth --account brokerage");
  ASSERT_EQ(nw.code, 0) << last_stderr();
  const auto nj = nlohmann::json::parse(nw.out);
  EXPECT_EQ(nj["source"], "snapshots");
  ASSERT_EQ(nj["points"].size(), 2u);
  EXPECT_DOUBLE_EQ(nj["points"][1]["change"].get<double>(), 6637.61);
  EXPECT_NEAR(nj["totals"]["growth"].get<double>(), 26627.71 / 19990.10 - 1.0, 1e-12);
  EXPECT_NEAR(nj["totals"]["annualized_growth"].get<double>(), std::pow(26627.71 / 19990.10, 365.0 / 702.0) - 1.0,
              1e-12);
  ASSERT_EQ(nj["growth"]["annual"].size(), 1u);
  EXPECT_EQ(nj["growth"]["annual"][0]["period"], "2017");
  EXPECT_EQ(nj["growth"]["annual"][0]["start"], "2016-01-04");
  // A range without snapshots falls back to the replay; an unknown account is not found.
  auto early = keel(db_ + "--format json ledger networth --account brokerage --to 2016-01-03" + prices);
  EXPECT_EQ(early.code, 1);  // no transaction up to that date to replay
  EXPECT_NE(keel(db_ + "ledger networth --account nope").code, 0);
  EXPECT_NE(keel(db_ + "ledger snapshot --account brokerage --all").code, 0);  // one scope only
}

}  // namespace
