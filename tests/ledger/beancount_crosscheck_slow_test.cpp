// Cross-check of FIFO and LIFO lot relief against an independent ledger: beancount (Debian's
// python3-beancount) books the same generated history of 6,000 trades over 40 symbols through
// bench/peers/ledger_beancount_peer.py. For every sale the cost basis relieved and the number of
// lots touched must agree to the cent, and so must the inventory left per symbol.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "../../bench/ledger_generator.h"
#include "keel/ledger/booking.h"
#include "../support/process.h"

namespace keel::ledger {
namespace {

std::string run(const std::string& cmd) { return keel::testing::command_output(cmd); }

void check_against_beancount(LotMethod method, const char* name) {
  if (!std::filesystem::exists("/usr/bin/python3") ||
      run("/usr/bin/python3 -c 'import beancount; print(1)' 2>/dev/null").find('1') == std::string::npos) {
    GTEST_SKIP() << "beancount (Debian package python3-beancount) is not installed";
  }
  bench::GeneratorOptions g;
  g.transactions = 6000;
  g.symbols = 40;
  g.per_day = 12;
  g.seed = 7;
  const auto txs = bench::generate_history(g);

  const auto csv = std::filesystem::temp_directory_path() / ("keel_beancount_" + std::string(name) + ".csv");
  {
    std::ofstream f(csv);
    f << "date,type,symbol,quantity,price,fees\n";
    for (const auto& t : txs) {
      f << t.date.to_string() << ',' << tx_type_name(t.type) << ',' << t.symbol << ',' << t.quantity.to_string()
        << ',' << t.price.to_string() << ",0\n";
    }
  }
  const std::string out = run("/usr/bin/python3 " KEEL_SOURCE_DIR "/bench/peers/ledger_beancount_peer.py " +
                              csv.string() + " --method " + name);
  std::filesystem::remove(csv);
  ASSERT_FALSE(out.empty()) << "the beancount peer failed";
  const auto peer = nlohmann::json::parse(out);

  BookOptions o;
  o.default_method = method;
  o.wash_sales = false;  // beancount has no wash-sale rule
  const BookResult r = book(txs, o);

  std::map<std::uint32_t, std::pair<Decimal, int>> ours;  // sell row -> (cost, lots)
  for (const auto& g2 : r.realized) {
    auto& e = ours[r.sell_tx(g2) + 1];
    e.first += g2.cost;
    e.second += 1;
  }
  ASSERT_EQ(peer["sales"].size(), ours.size());
  std::size_t checked = 0;
  for (const auto& s : peer["sales"]) {
    const auto row = s["row"].get<std::uint32_t>();
    ASSERT_TRUE(ours.count(row)) << "row " << row;
    EXPECT_EQ(ours[row].first.to_string(2), s["cost"].get<std::string>()) << "sale on row " << row;
    EXPECT_EQ(ours[row].second, s["lots"].get<int>()) << "sale on row " << row;
    ++checked;
  }
  EXPECT_GT(checked, 2000u);

  std::map<std::string, std::pair<Decimal, Decimal>> inv;  // symbol -> (units, cost)
  for (const auto& l : r.open_lots) {
    auto& e = inv[r.key(l).symbol];
    e.first += l.quantity;
    e.second += l.basis;
  }
  ASSERT_EQ(peer["inventory"].size(), inv.size());
  for (auto it = peer["inventory"].begin(); it != peer["inventory"].end(); ++it) {
    ASSERT_TRUE(inv.count(it.key())) << it.key();
    EXPECT_EQ(inv[it.key()].first.to_string(), it.value()["units"].get<std::string>()) << it.key();
    EXPECT_EQ(inv[it.key()].second.to_string(2), it.value()["cost"].get<std::string>()) << it.key();
  }
}

TEST(BeancountCrossCheck, FifoMatchesBeancountOnSixThousandTrades) {
  check_against_beancount(LotMethod::kFifo, "fifo");
}

TEST(BeancountCrossCheck, LifoMatchesBeancountOnSixThousandTrades) {
  check_against_beancount(LotMethod::kLifo, "lifo");
}

}  // namespace
}  // namespace keel::ledger
