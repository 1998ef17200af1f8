// What-if trades: apply_trades by hand (add, reduce, close, flip, new option), and whatif on a
// two-stock book whose before/after exposures and historical VaR/ES are worked out by hand below.
#include "keel/service/whatif.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <sstream>

#include "keel/core/error.h"
#include "keel/service/imports.h"
#include "keel/store/audit_repository.h"
#include "keel/store/store.h"

namespace keel::service {
namespace {

using nlohmann::json;

Position stock(const std::string& symbol, double quantity) {
  Position p;
  p.symbol = symbol;
  p.quantity = quantity;
  return p;
}

io::Trade trade(const std::string& symbol, double quantity, std::optional<double> price = std::nullopt) {
  return {stock(symbol, quantity), price, ""};
}

const PositionChange& change_of(const AppliedTrades& a, const std::string& symbol) {
  for (const auto& c : a.changes) {
    if (c.symbol == symbol) return c;
  }
  throw std::runtime_error("no change for " + symbol);
}

TEST(ApplyTrades, AddReduceCloseFlipAndANewOption) {
  std::vector<Position> book{stock("AAA", 100), stock("BBB", 50), stock("CCC", 10), stock("DDD", -20)};
  book[0].sector = "Energy";
  book[0].entry_price = 90.0;
  io::Trade put = trade("AAA180615P00100000", 5, 2.5);
  put.position.type = InstrumentType::kOption;
  put.position.underlying = "AAA";
  put.position.strike = 100.0;
  put.position.option_type = OptionRight::kPut;
  put.position.expiry = Date::from_ymd(2018, 6, 15);
  put.position.multiplier = 100.0;
  const std::vector<io::Trade> trades{trade("AAA", 40),   // add: 100 -> 140
                                      trade("BBB", -30),  // reduce: 50 -> 20
                                      trade("CCC", -10),  // close: 10 -> 0, removed
                                      trade("DDD", 50),   // flip: short 20 -> long 30
                                      put};               // new option position
  const AppliedTrades a = apply_trades(book, trades);
  ASSERT_EQ(a.positions.size(), 4u);  // AAA, BBB, DDD, the put (CCC closed)
  EXPECT_EQ(a.positions[0].symbol, "AAA");
  EXPECT_DOUBLE_EQ(a.positions[0].quantity, 140.0);
  EXPECT_EQ(a.positions[0].sector, "Energy");        // a held position keeps its classification
  EXPECT_DOUBLE_EQ(*a.positions[0].entry_price, 90.0);  // and its entry price
  EXPECT_DOUBLE_EQ(a.positions[1].quantity, 20.0);
  EXPECT_EQ(a.positions[2].symbol, "DDD");
  EXPECT_DOUBLE_EQ(a.positions[2].quantity, 30.0);
  EXPECT_EQ(a.positions[3].symbol, "AAA180615P00100000");
  EXPECT_TRUE(a.positions[3].is_option());
  EXPECT_DOUBLE_EQ(a.positions[3].quantity, 5.0);
  EXPECT_DOUBLE_EQ(*a.positions[3].entry_price, 2.5);  // a new position enters at the trade price
  EXPECT_DOUBLE_EQ(a.positions[3].multiplier, 100.0);

  EXPECT_EQ(change_of(a, "AAA").effect, TradeEffect::kIncrease);
  EXPECT_EQ(change_of(a, "BBB").effect, TradeEffect::kReduce);
  EXPECT_EQ(change_of(a, "CCC").effect, TradeEffect::kClose);
  EXPECT_DOUBLE_EQ(change_of(a, "CCC").quantity_after, 0.0);
  EXPECT_EQ(change_of(a, "DDD").effect, TradeEffect::kFlip);
  EXPECT_DOUBLE_EQ(change_of(a, "DDD").quantity_before, -20.0);
  EXPECT_DOUBLE_EQ(change_of(a, "DDD").quantity_after, 30.0);
  EXPECT_EQ(change_of(a, "AAA180615P00100000").effect, TradeEffect::kNew);
  // The input book is untouched (the trades go to a copy).
  EXPECT_DOUBLE_EQ(book[0].quantity, 100.0);
  EXPECT_EQ(book.size(), 4u);
}

TEST(ApplyTrades, TradesOnOneSymbolApplyInOrderAndCanReopen) {
  const AppliedTrades a = apply_trades({stock("AAA", 10)}, {trade("AAA", -10), trade("AAA", 4), trade("AAA", -1)});
  ASSERT_EQ(a.positions.size(), 1u);
  EXPECT_DOUBLE_EQ(a.positions[0].quantity, 3.0);
  ASSERT_EQ(a.changes.size(), 1u);
  EXPECT_EQ(a.changes[0].effect, TradeEffect::kReduce);  // 10 -> 3 overall
}

// Two stocks over 22 days (21 daily returns), built backwards from the last closes AAA 110 and
// BBB 40 so the values at the as-of date are round. Daily returns: +0.5% for both on ordinary
// days, and three bad days: day 3 AAA -5% / BBB +1%, day 7 AAA -2% / BBB -3%, day 12 AAA +1% /
// BBB -6%.
std::string two_stock_prices() {
  double ra[22], rb[22];
  for (int t = 1; t < 22; ++t) ra[t] = rb[t] = 0.005;
  ra[3] = -0.05, rb[3] = 0.01;
  ra[7] = -0.02, rb[7] = -0.03;
  ra[12] = 0.01, rb[12] = -0.06;
  double a[22], b[22];
  a[21] = 110.0;
  b[21] = 40.0;
  for (int t = 21; t > 0; --t) {
    a[t - 1] = a[t] / (1.0 + ra[t]);
    b[t - 1] = b[t] / (1.0 + rb[t]);
  }
  std::ostringstream out;
  out.precision(17);
  out << "date,AAA,BBB\n";
  for (int t = 0; t < 22; ++t) out << Date::from_ymd(2020, 3, 2).add_days(t).to_string() << "," << a[t] << "," << b[t] << "\n";
  return out.str();
}

struct TwoStockStore {
  TwoStockStore() : store(open_store(":memory:")) {
    import_prices({store.get()}, {{"prices.csv", two_stock_prices()}});
    store->save_portfolio(kDefaultTenant, "two", {stock("AAA", 100), stock("BBB", 50)}, "test");
  }
  std::unique_ptr<Store> store;
};

WhatIfRequest two_stock_request() {
  WhatIfRequest req;
  req.inputs.source.portfolio = "two";
  req.trades = {trade("AAA", -40, 111.0), trade("BBB", 25)};  // sell 40 AAA at 111, buy 25 BBB at the close
  req.window = 21;
  req.var.confidence = 0.95;
  req.factor_window = 20;
  return req;
}

TEST(WhatIf, TwoStockBookBeforeAfterAndChangeByHand) {
  TwoStockStore s;
  const json out = spec::to_json(whatif({s.store.get()}, two_stock_request()));
  EXPECT_EQ(out["portfolio"], "two");
  EXPECT_EQ(out["as_of"], "2020-03-23");
  // Cash: -(-40 x 111 + 25 x 40) = 4440 - 1000 = 3440 received.
  EXPECT_NEAR(out["cash_amount"].get<double>(), 3440.0, 1e-9);
  EXPECT_EQ(out["trades"][0]["price_source"], "given");
  EXPECT_EQ(out["trades"][1]["price_source"], "close");
  EXPECT_NEAR(out["trades"][1]["price"].get<double>(), 40.0, 1e-9);

  const json& b = out["before"];
  const json& a = out["after"];
  // Before: 100 x 110 + 50 x 40 = 11000 + 2000; after: 60 x 110 + 75 x 40 = 6600 + 3000.
  EXPECT_NEAR(b["gross"].get<double>(), 13000.0, 1e-6);
  EXPECT_NEAR(b["net"].get<double>(), 13000.0, 1e-6);
  EXPECT_NEAR(b["long"].get<double>(), 13000.0, 1e-6);
  EXPECT_NEAR(b["short"].get<double>(), 0.0, 1e-12);
  EXPECT_NEAR(a["gross"].get<double>(), 9600.0, 1e-6);
  EXPECT_NEAR(a["net"].get<double>(), 9600.0, 1e-6);
  EXPECT_NEAR(a["delta_adjusted_net"].get<double>(), 9600.0, 1e-6);  // stocks: delta 1
  EXPECT_NEAR(a["dollar_delta"].get<double>(), 9600.0, 1e-6);
  EXPECT_NEAR(a["vega_per_point"].get<double>(), 0.0, 1e-12);
  EXPECT_EQ(b["positions"], 2);
  EXPECT_EQ(a["positions"], 2);

  // Historical VaR at 95% over 21 returns: P&L_t = V_AAA r_t + V_BBB s_t; ordinary days gain, the
  // three bad days lose. Before (11000, 2000): day 3 -550 + 20 = -530, day 7 -220 - 60 = -280,
  // day 12 110 - 120 = -10. The 5% quantile sits at order statistic (21-1) x 0.05 = 1 (0-based):
  // the second worst, -280 -> VaR 280; ES = mean of the P&L at or below it = (530 + 280) / 2 = 405.
  // After (6600, 3000): day 3 -330 + 30 = -300, day 7 -132 - 90 = -222, day 12 66 - 180 = -114
  // -> VaR 222, ES (300 + 222) / 2 = 261.
  EXPECT_NEAR(b["var_historical"].get<double>(), 280.0, 1e-6);
  EXPECT_NEAR(b["es_historical"].get<double>(), 405.0, 1e-6);
  EXPECT_NEAR(a["var_historical"].get<double>(), 222.0, 1e-6);
  EXPECT_NEAR(a["es_historical"].get<double>(), 261.0, 1e-6);

  // change = after - before, exactly, for every metric.
  for (const auto& [k, v] : out["change"].items()) {
    if (v.is_null()) continue;
    EXPECT_DOUBLE_EQ(v.get<double>(), a[k].get<double>() - b[k].get<double>()) << k;
  }
  EXPECT_NEAR(out["change"]["var_historical"].get<double>(), -58.0, 1e-6);

  // No factor data in the store: betas and stress are n/a with the reason, the rest computed.
  EXPECT_FALSE(out["factors"]["available"].get<bool>());
  EXPECT_NE(out["factors"]["reason"].get<std::string>().find("no factor returns"), std::string::npos)
      << out["factors"]["reason"];
  EXPECT_TRUE(out["stress"].empty());
  EXPECT_FALSE(b.contains("beta_mkt_rf"));
  // Sectors: neither position has one and the store has no security master.
  ASSERT_EQ(out["by_sector"].size(), 1u);
  EXPECT_EQ(out["by_sector"][0]["key"], "Unknown");
  EXPECT_NEAR(out["by_sector"][0]["change"].get<double>(), -3400.0, 1e-6);
  EXPECT_TRUE(out["saved_as"].is_null());
  EXPECT_EQ(s.store->positions(kDefaultTenant, "two")[0].quantity, 100.0);  // the stored book is untouched
}

TEST(WhatIf, UnknownSymbolInTheTradesIsNamedBeforeAnythingIsComputed) {
  TwoStockStore s;
  WhatIfRequest req = two_stock_request();
  req.trades.push_back({stock("ZZZ", 10), std::nullopt, "trades.csv:4"});
  req.save_as = "never";
  try {
    whatif({s.store.get()}, req);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    EXPECT_NE(std::string(e.what()).find("ZZZ"), std::string::npos) << e.what();
    ASSERT_EQ(e.details().size(), 1u);
    EXPECT_EQ(e.details()[0].rfind("trades.csv:4: ZZZ: no prices", 0), 0u) << e.details()[0];
  }
  EXPECT_FALSE(s.store->find_portfolio(kDefaultTenant, "never"));  // nothing written
}

TEST(WhatIf, SaveAsStoresTheBookAfterAndRefusesAnExistingName) {
  TwoStockStore s;
  WhatIfRequest req = two_stock_request();
  req.save_as = "two-hedged";
  const json out = spec::to_json(whatif({s.store.get()}, req));
  ASSERT_FALSE(out["saved_as"].is_null());
  EXPECT_EQ(out["saved_as"]["name"], "two-hedged");
  const auto saved = s.store->positions(kDefaultTenant, "two-hedged");
  ASSERT_EQ(saved.size(), 2u);
  EXPECT_DOUBLE_EQ(saved[0].quantity, 60.0);
  EXPECT_DOUBLE_EQ(saved[1].quantity, 75.0);
  try {
    whatif({s.store.get()}, req);
    FAIL() << "expected a conflict";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kConflict);
  }
  req.replace = true;
  req.trades = {trade("AAA", -100)};  // close AAA: the saved book is BBB only
  EXPECT_NO_THROW(whatif({s.store.get()}, req));
  EXPECT_EQ(s.store->positions(kDefaultTenant, "two-hedged").size(), 1u);
}

TEST(WhatIf, SavingNeedsWhatCreatingAPortfolioNeedsAndIsAudited) {
  TwoStockStore s;
  WhatIfRequest req = two_stock_request();
  req.save_as = "two-hedged";
  // An analyst may compute the what-if but not create the portfolio: refused before anything is
  // read or written, in the words every face uses.
  Context analyst{s.store.get()};
  analyst.actor.user = "ann";
  analyst.actor.role = store::Role::kAnalyst;
  try {
    whatif(analyst, req);
    FAIL() << "expected forbidden";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kForbidden);
    EXPECT_EQ(std::string(e.what()), refusal_message(store::Role::kAnalyst, kWhatIfSave));
  }
  EXPECT_FALSE(s.store->find_portfolio(kDefaultTenant, "two-hedged"));
  req.save_as.reset();
  EXPECT_NO_THROW(whatif(analyst, req));  // computing alone is an analyst's

  Context manager{s.store.get()};
  manager.actor.user = "meg";
  manager.actor.role = store::Role::kManager;
  req.save_as = "two-hedged";
  const json out = spec::to_json(whatif(manager, req));
  store::AuditQuery q;
  q.action = "whatif.save";
  const auto rows = s.store->audit().list(q);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].username, "meg");
  EXPECT_EQ(rows[0].resource, "portfolio/" + out["saved_as"]["id"].dump());
  EXPECT_EQ(json::parse(rows[0].details),
            json({{"name", "two-hedged"}, {"from", "two"}, {"trades", req.trades.size()}, {"replace", false}}));
  q.action = "auth.forbidden";
  ASSERT_EQ(s.store->audit().list(q).size(), 1u);  // the analyst's refusal
}

TEST(WhatIf, UnknownPortfolioAndNoTradesAreClearErrors) {
  TwoStockStore s;
  WhatIfRequest req = two_stock_request();
  req.inputs.source.portfolio = "nope";
  try {
    whatif({s.store.get()}, req);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  }
  req = two_stock_request();
  req.trades.clear();
  EXPECT_THROW(whatif({s.store.get()}, req), Error);
}

}  // namespace
}  // namespace keel::service
