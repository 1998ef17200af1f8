// Onboarding: portfolio_readiness lists exactly what a hand-built store lacks (each item worked
// out below from the rows imported), the list empties as each is supplied, and every CSV template
// imports cleanly through the import it names.
#include <gtest/gtest.h>

#include <algorithm>

#include "keel/core/error.h"
#include "keel/service/fx.h"
#include "keel/service/imports.h"
#include "keel/service/ledger_accounts.h"
#include "keel/service/portfolio_view.h"
#include "keel/service/readiness.h"
#include "keel/store/store.h"

namespace keel::service {
namespace {

std::vector<std::string> lines(const ReadinessReport& r) {
  std::vector<std::string> out;
  for (const auto& i : r.items) out.push_back(i.what + "|" + i.symbol + "|" + i.missing);
  return out;
}

TEST(Readiness, ListsWhatIsMissingAndEmptiesAsItIsSupplied) {
  auto st = open_store(":memory:");
  const Context cx{st.get()};
  // AAPL has closes on five business days, MSFT on the last two.
  import_prices(cx, {{"p.csv",
                      "date,symbol,close\n"
                      "2024-01-02,AAPL,185.64\n2024-01-03,AAPL,184.25\n2024-01-04,AAPL,181.91\n"
                      "2024-01-05,AAPL,181.18\n2024-01-08,AAPL,185.56\n"
                      "2024-01-05,MSFT,367.75\n2024-01-08,MSFT,374.69\n"}});
  ImportPositionsRequest pos;
  pos.portfolio = "book";
  pos.input = {"pos.csv",
               "symbol,quantity,currency\nAAPL,100,USD\nMSFT,50,USD\nAAPL240621C00190000,2,USD\nSAP,10,EUR\n"};
  import_positions(cx, pos);

  ReadinessRequest req;
  req.portfolio = "book";
  req.window = 3;  // 3 returns: the last 4 price dates, 2024-01-03 .. 2024-01-08
  auto r = portfolio_readiness(cx, req);
  EXPECT_FALSE(r.ready);
  ASSERT_TRUE(r.window_from && r.window_to);
  EXPECT_EQ(r.window_from->to_string(), "2024-01-03");
  EXPECT_EQ(r.window_to->to_string(), "2024-01-08");
  // MSFT: 2 of the 4 dates; SAP: none of them. AAPL has all 4.
  const std::vector<std::string> expected = {
      "prices|MSFT|2 of the 4 closes the risk window needs over 2024-01-03..2024-01-08",
      "prices|SAP|0 of the 4 closes the risk window needs over 2024-01-03..2024-01-08",
      "option_inputs|AAPL240621C00190000|implied_vol (the risk run uses the underlying's historical volatility "
      "instead)",
      "sectors|AAPL|no sector in the position or the security master",
      "sectors|MSFT|no sector in the position or the security master",
      "sectors|SAP|no sector in the position or the security master",
      "factors||no factor returns in the set ff5",
      "fx|EUR|no rate converting EUR into USD",
  };
  EXPECT_EQ(lines(r), expected);
  EXPECT_EQ(r.items[0].how_to_fix,
            "keel fetch prices --provider yahoo --symbols MSFT --from 2024-01-03 (or keel import prices FILE; keel "
            "templates prices)");
  EXPECT_EQ(r.items[3].how_to_fix, "keel fetch symbols --provider yahoo --symbols AAPL (or keel import sectors FILE)");

  // Supply each: prices, implied vol, sectors, factors over 2 of the 3 window returns, FX.
  import_prices(cx, {{"p2.csv",
                      "date,symbol,close\n2024-01-03,MSFT,370.60\n2024-01-04,MSFT,367.94\n"
                      "2024-01-03,SAP,139.20\n2024-01-04,SAP,138.70\n2024-01-05,SAP,139.62\n2024-01-08,SAP,141.10\n"}});
  pos.input = {"pos.csv",
               "symbol,quantity,currency,implied_vol\nAAPL,100,USD,\nMSFT,50,USD,\nAAPL240621C00190000,2,USD,0.22\n"
               "SAP,10,EUR,\n"};
  import_positions(cx, pos);
  import_symbol_info(cx, {{"s.csv", "symbol,sector\nAAPL,Information Technology\nMSFT,Information Technology\n"
                                    "SAP,Information Technology\n"}});
  ImportFactorsRequest f;
  f.input = {"f.csv", "date,mkt_rf\n2024-01-04,-0.0031\n2024-01-05,0.0011\n"};
  import_factors(cx, f);
  ImportFxRequest fx;
  fx.input = {"fx.csv", "date,base,quote,rate\n2024-01-08,EUR,USD,1.0945\n"};
  import_fx(cx, fx);
  r = portfolio_readiness(cx, req);
  ASSERT_EQ(r.items.size(), 1u) << lines(r)[0];
  EXPECT_EQ(lines(r)[0], "factors||2 of the 3 daily returns of the set ff5 over 2024-01-03..2024-01-08 (stored "
                         "2024-01-04..2024-01-05)");
  f.input = {"f2.csv", "date,mkt_rf\n2024-01-08,0.0142\n"};
  import_factors(cx, f);
  r = portfolio_readiness(cx, req);
  EXPECT_TRUE(r.ready) << (r.items.empty() ? "" : lines(r)[0]);
  EXPECT_EQ(r.positions, 4u);
}

TEST(Readiness, AnEmptyPortfolioAndAnUnknownOne) {
  auto st = open_store(":memory:");
  const Context cx{st.get()};
  create_portfolio(cx, {"empty", "USD"});
  ReadinessRequest req;
  req.portfolio = "empty";
  const auto r = portfolio_readiness(cx, req);
  ASSERT_EQ(r.items.size(), 1u);
  EXPECT_EQ(r.items[0].what, "positions");
  EXPECT_EQ(r.items[0].how_to_fix, "keel import positions FILE --portfolio empty (keel templates positions)");
  EXPECT_FALSE(r.window_from);
  req.portfolio = "nope";
  try {
    portfolio_readiness(cx, req);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  }
}

TEST(Templates, EveryTemplateImportsCleanlyThroughItsImport) {
  auto st = open_store(":memory:");
  const Context cx{st.get()};
  ASSERT_EQ(template_kinds().size(), 7u);
  for (const auto& kind : template_kinds()) {
    const CsvTemplate t = csv_template(kind);
    SCOPED_TRACE(kind);
    EXPECT_EQ(t.file_name, kind + "_template.csv");
    // A header and exactly one example row.
    EXPECT_EQ(std::count(t.csv.begin(), t.csv.end(), '\n'), 2);
    const InputFile in{t.file_name, t.csv};
    std::size_t rows = 0;
    std::vector<std::string> warnings;
    if (kind == "positions") {
      ImportPositionsRequest q;
      q.input = in;
      q.portfolio = "templ";
      const auto r = import_positions(cx, q);
      rows = r.rows;
      warnings = r.warnings;
    } else if (kind == "prices") {
      const auto r = import_prices(cx, {in});
      rows = r.rows;
      warnings = r.warnings;
    } else if (kind == "factors") {
      ImportFactorsRequest q;
      q.input = in;
      const auto r = import_factors(cx, q);
      rows = r.rows;
      warnings = r.warnings;
    } else if (kind == "curve") {
      ImportCurveRequest q;
      q.input = in;
      const auto r = import_curve(cx, q);
      rows = r.rows;
      warnings = r.warnings;
    } else if (kind == "sectors") {
      const auto r = import_symbol_info(cx, {in});
      rows = r.rows;
      warnings = r.warnings;
      EXPECT_EQ(st->symbol_info("AAPL")->industry, "Technology Hardware, Storage & Peripherals");
    } else if (kind == "fx") {
      ImportFxRequest q;
      q.input = in;
      const auto r = import_fx(cx, q);
      rows = r.rows;
      warnings = r.warnings;
    } else if (kind == "transactions") {
      ImportTransactionsRequest q;
      q.input = in;
      q.account = "templ";
      const auto r = import_transactions(cx, q);
      rows = r.rows;
      warnings = r.warnings;
    } else {
      FAIL() << "no import for " << kind;
    }
    EXPECT_EQ(rows, 1u);
    EXPECT_TRUE(warnings.empty()) << warnings[0];
  }
  try {
    csv_template("bonds");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
    EXPECT_NE(std::string(e.what()).find("positions, prices, factors, curve, sectors, fx, transactions"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace keel::service
