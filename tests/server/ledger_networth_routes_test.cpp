// Ledger net worth and exports over HTTP: POST .../snapshots, GET .../networth (one account and
// every account together) and GET .../export/{transactions,lots,gains,holdings} — the figures of a
// hand calculation and the same documents as the service the CLI calls (`keel ledger
// snapshot|networth`, `keel export`); permissions, tenant isolation, audit and field errors.
#include <gtest/gtest.h>

#include <algorithm>

#include "../support/tenant_context.h"
#include "keel/core/csv_writer.h"
#include "keel/service/ledger.h"
#include "keel/service/ledger_networth.h"
#include "server_fixture.h"

namespace keel::server::testing {
namespace {

// The service as acme's users see it.
service::Context in_acme(Store* store) { return keel::testing::context_in(store, "acme"); }

using nlohmann::json;

// Cash: 10,000 deposited - 10 x 100 - 10 x 110 + 15 x 120 = 9,700. Open (FIFO): 5 AAA bought at
// 110, basis 550.
constexpr const char* kHistory =
    "date,type,symbol,quantity,price,fees,amount\n"
    "2020-01-02,DEPOSIT,,,,,10000.00\n"
    "2020-01-02,BUY,AAA,10,100,0,\n"
    "2020-06-01,BUY,AAA,10,110,0,\n"
    "2021-03-01,SELL,AAA,15,120,0,\n";
// AAA closes at 130 on 2021-03-31 and at 140 on 2021-06-30.
constexpr const char* kPrices = "date,symbol,close\n2021-03-31,AAA,130\n2021-06-30,AAA,140\n";

class LedgerNetworthRoutesTest : public ServerFixture {
 protected:
  // An account "brokerage" of acme holding kHistory; returns its URL.
  std::string brokerage() {
    const std::string mgr = login("mgr");
    auto r = post(mgr, "/api/v1/accounts", json{{"name", "brokerage"}, {"method", "fifo"}}.dump());
    EXPECT_EQ(r->status, 201) << r->body;
    const std::string a = "/api/v1/accounts/" + std::to_string(body(r)["id"].get<std::int64_t>());
    r = post(mgr, a + "/transactions", kHistory, "text/csv");
    EXPECT_EQ(r->status, 200) << r->body;
    return a;
  }
  static service::LedgerSource source() {
    service::LedgerSource s;
    s.account = "brokerage";
    return s;
  }
  static service::LedgerNetworthRequest networth_request(bool all) {
    service::LedgerNetworthRequest q;
    if (all) q.all = true;
    else q.account = "brokerage";
    return q;
  }
  static json export_json(Store& store, const service::LedgerSource& s, service::ExportKind kind) {
    const service::Context cx = in_acme(&store);
    switch (kind) {
      case service::ExportKind::kLots: return spec::to_json(service::ledger_lots(cx, {s}));
      case service::ExportKind::kGains: return spec::to_json(service::ledger_gains(cx, {s}));
      case service::ExportKind::kHoldings: return spec::to_json(service::ledger_holdings(cx, {s, std::nullopt}));
      case service::ExportKind::kTransactions: break;
    }
    return spec::to_json(service::export_transactions(cx, {s}));
  }
};

TEST_F(LedgerNetworthRoutesTest, SnapshotsMatchTheHandCalculationAndNetworthTheService) {
  const std::string a = brokerage();
  const std::string ana = login("ana");
  auto r = post(ana, a + "/snapshots", json{{"as_of", "2021-03-31"}, {"prices", kPrices}}.dump());
  ASSERT_EQ(r->status, 201) << r->body;
  const json first = body(r);
  // Market value 5 x 130 = 650; net worth 9,700 + 650 = 10,350; unrealized 650 - 550 = 100.
  EXPECT_DOUBLE_EQ(first["market_value"].get<double>(), 650.0);
  EXPECT_DOUBLE_EQ(first["cash"].get<double>(), 9700.0);
  EXPECT_DOUBLE_EQ(first["net_worth"].get<double>(), 10350.0);
  EXPECT_DOUBLE_EQ(first["cost_basis"].get<double>(), 550.0);
  EXPECT_DOUBLE_EQ(first["unrealized"].get<double>(), 100.0);
  EXPECT_EQ(first["replaced"], false);
  r = post(ana, a + "/snapshots", json{{"as_of", "2021-06-30"}, {"prices", kPrices}}.dump());
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_DOUBLE_EQ(body(r)["net_worth"].get<double>(), 10400.0);  // 9,700 + 5 x 140
  // The same date again replaces the snapshot.
  r = post(ana, a + "/snapshots", json{{"as_of", "2021-06-30"}, {"prices", kPrices}}.dump());
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(body(r)["replaced"], true);

  r = get(login("view"), a + "/networth");
  ASSERT_EQ(r->status, 200) << r->body;
  json nw = body(r);
  EXPECT_EQ(nw["source"], "snapshots");
  ASSERT_EQ(nw["points"].size(), 2u);
  EXPECT_EQ(nw["points"][1]["date"], "2021-06-30");
  EXPECT_DOUBLE_EQ(nw["points"][1]["change"].get<double>(), 50.0);              // 10,400 - 10,350
  EXPECT_NEAR(nw["points"][1]["growth"].get<double>(), 50.0 / 10350.0, 1e-12);  // change / previous
  auto store = open_store(db_);
  nw.erase("account_id");
  EXPECT_EQ(nw, spec::to_json(service::ledger_networth(in_acme(store.get()), networth_request(false))));
  // ?from= cuts the range.
  r = get(ana, a + "/networth?from=2021-04-01");
  ASSERT_EQ(r->status, 200) << r->body;
  ASSERT_EQ(body(r)["points"].size(), 1u);

  // Every account together: the household snapshot and history.
  r = post(ana, "/api/v1/networth/snapshots", json{{"as_of", "2021-06-30"}, {"prices", kPrices}}.dump());
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_EQ(body(r)["scope"], "all accounts");
  EXPECT_DOUBLE_EQ(body(r)["net_worth"].get<double>(), 10400.0);
  r = get(ana, "/api/v1/networth");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r), spec::to_json(service::ledger_networth(in_acme(store.get()), networth_request(true))));
}

TEST_F(LedgerNetworthRoutesTest, SnapshotsKeepTheAssetClassesAndPerformanceGivesTheUnderwaterCurve) {
  const std::string a = brokerage();
  const std::string ana = login("ana");
  // 2021-03-31: 5 AAA at 130 = 650 of equity, cash 9,700.
  auto r = post(ana, a + "/snapshots", json{{"as_of", "2021-03-31"}, {"prices", kPrices}}.dump());
  ASSERT_EQ(r->status, 201) << r->body;
  EXPECT_DOUBLE_EQ(body(r)["asset_classes"]["equity"].get<double>(), 650.0);
  EXPECT_DOUBLE_EQ(body(r)["asset_classes"]["cash"].get<double>(), 9700.0);
  r = get(ana, a + "/networth");
  ASSERT_EQ(r->status, 200) << r->body;
  const json point = body(r)["points"][0];
  EXPECT_DOUBLE_EQ(point["asset_classes"]["equity"].get<double>(), 650.0);
  EXPECT_DOUBLE_EQ(point["asset_classes"]["cash"].get<double>(), 9700.0);
  auto store = open_store(db_);
  json got = body(r);
  got.erase("account_id");  // the HTTP face adds the path's account id
  EXPECT_EQ(got, spec::to_json(service::ledger_networth(in_acme(store.get()), networth_request(false))));

  // The performance's daily wealth index and drawdown: W starts at 1 and ends at 1 + TWR; the
  // deepest drawdown is max_drawdown.depth, at its trough.
  ASSERT_EQ(post(login("root"), "/api/v1/prices", kPrices, "text/csv")->status, 200);
  r = get(ana, a + "/performance?series=true&from=2021-03-01&as_of=2021-06-30");
  ASSERT_EQ(r->status, 200) << r->body;
  const json perf = body(r);
  const json& series = perf["series"];
  ASSERT_EQ(series.size(), perf["points"].get<std::size_t>());
  EXPECT_EQ(series[0]["date"], perf["start"]);
  EXPECT_DOUBLE_EQ(series[0]["wealth_index"].get<double>(), 1.0);
  EXPECT_NEAR(series.back()["wealth_index"].get<double>(), 1.0 + perf["twr"].get<double>(), 1e-12);
  double deepest = 0;
  std::string at;
  for (const auto& p : series) {
    EXPECT_GE(p["drawdown"].get<double>(), 0.0);
    if (p["drawdown"].get<double>() > deepest) {
      deepest = p["drawdown"].get<double>();
      at = p["date"].get<std::string>();
    }
  }
  EXPECT_DOUBLE_EQ(deepest, perf["max_drawdown"]["depth"].get<double>());
  if (deepest > 0) {
    EXPECT_EQ(at, perf["max_drawdown"]["trough"]);
  }
  EXPECT_FALSE(body(get(ana, a + "/performance")).contains("series"));
}

TEST_F(LedgerNetworthRoutesTest, ExportsAreTheCommandsCsvAndJson) {
  const std::string a = brokerage();
  import_synthetic_prices();
  const std::string view = login("view");
  auto store = open_store(db_);
  const std::pair<const char*, service::ExportKind> kinds[] = {
      {"transactions", service::ExportKind::kTransactions},
      {"lots", service::ExportKind::kLots},
      {"gains", service::ExportKind::kGains},
      {"holdings", service::ExportKind::kHoldings}};
  for (const auto& [name, kind] : kinds) {
    auto r = get(view, a + "/export/" + name);
    ASSERT_EQ(r->status, 200) << name << ": " << r->body;
    EXPECT_EQ(r->get_header_value("Content-Type"), "text/csv; charset=utf-8") << name;
    EXPECT_EQ(r->get_header_value("Content-Disposition"),
              std::string("attachment; filename=\"brokerage_") + name + ".csv\"")
        << name;
    EXPECT_EQ(r->body, service::export_csv(in_acme(store.get()), source(), kind)) << name;
    r = get(view, a + "/export/" + name + "?format=json");
    ASSERT_EQ(r->status, 200) << name << ": " << r->body;
    EXPECT_EQ(body(r), export_json(*store, source(), kind)) << name;
  }
  // The transactions export is the uploaded history's rows (header + 4), gains the 2021 sales.
  const std::string csv = get(view, a + "/export/transactions")->body;
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 5);
  auto r = get(view, a + "/export/gains?year=2021&format=json");
  ASSERT_EQ(r->status, 200) << r->body;
  service::LedgerSource y = source();
  y.year = 2021;
  EXPECT_EQ(body(r), export_json(*store, y, service::ExportKind::kGains));
}

TEST_F(LedgerNetworthRoutesTest, BadParametersNameTheField) {
  const std::string a = brokerage();
  const std::string ana = login("ana");
  auto r = post(ana, a + "/snapshots", R"({"as_of":"31/03/2021","prices":5})");
  ASSERT_EQ(r->status, 400) << r->body;
  std::string details = body(r)["error"]["details"].dump();
  EXPECT_NE(details.find("as_of: expected a date"), std::string::npos) << details;
  EXPECT_NE(details.find("prices: expected a string"), std::string::npos) << details;
  // A bad row of the uploaded prices: 400 naming the upload's line, nothing recorded.
  r = post(ana, a + "/snapshots",
           json{{"as_of", "2021-03-31"}, {"prices", "date,symbol,close\n2021-03-31,AAA,abc\n"}}.dump());
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("prices:2"), std::string::npos) << r->body;
  EXPECT_EQ(body(get(ana, a + "/networth"))["source"], "replay");
  r = get(ana, a + "/networth?from=2021-06-01&to=2021-01-01");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("to: is before from"), std::string::npos) << r->body;
  r = get(ana, "/api/v1/networth?from=yesterday");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("from: "), std::string::npos) << r->body;
  r = get(ana, a + "/export/gains?format=xml&year=1066");
  ASSERT_EQ(r->status, 400) << r->body;
  details = body(r)["error"]["details"].dump();
  EXPECT_NE(details.find("format: expected csv or json"), std::string::npos) << details;
  EXPECT_NE(details.find("year: "), std::string::npos) << details;
}

TEST_F(LedgerNetworthRoutesTest, ViewersCannotRecordOtherTenantsSee404AndSnapshotsAreAudited) {
  const std::string a = brokerage();
  const std::string root = login("root");
  const std::string view = login("view");
  const std::string other = login("other");
  const json snap = {{"as_of", "2021-03-31"}, {"prices", kPrices}};
  EXPECT_EQ(post(view, a + "/snapshots", snap.dump())->status, 403);
  EXPECT_EQ(post(view, "/api/v1/networth/snapshots", snap.dump())->status, 403);
  for (const auto& res :
       {post(other, a + "/snapshots", snap.dump()), get(other, a + "/networth"),
        get(other, "/api/v1/accounts/brokerage/networth"), get(other, a + "/export/transactions"),
        get(other, a + "/export/holdings?format=json")}) {
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404) << res->body;
  }
  ASSERT_EQ(post(root, a + "/snapshots", snap.dump())->status, 201);
  ASSERT_EQ(post(root, "/api/v1/networth/snapshots", snap.dump())->status, 201);
  const std::string id = a.substr(a.rfind('/') + 1);
  EXPECT_EQ(
      audit_actions(root, "ledger_snapshot."),
      (std::vector<std::string>{"ledger_snapshot.create:account/" + id, "ledger_snapshot.create:accounts"}));
  // The other tenant has no accounts: its household history is a 404, not acme's snapshots.
  auto r = get(other, "/api/v1/networth");
  EXPECT_EQ(r->status, 404) << r->body;
  EXPECT_EQ(post(other, "/api/v1/networth/snapshots", snap.dump())->status, 404);
}

// The cells of RFC 4180 text as a spreadsheet takes them (quotes removed, nothing else undone).
std::vector<std::vector<std::string>> spreadsheet_cells(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string cell;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') cell += text[++i];
      else if (c == '"') quoted = false;
      else cell += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',' || c == '\n') {
      rows.back().push_back(std::move(cell));
      cell.clear();
      if (c == '\n') rows.emplace_back();
    } else {
      cell += c;
    }
  }
  rows.pop_back();
  return rows;
}

// Issue 57: an account named "=1+1 acct" with notes =HYPERLINK(...) and a lot id @SUM(...). No cell
// of any export is a formula to a spreadsheet (each such text begins with the guard's apostrophe),
// and numbers — a loss of -12.50 among them — stay numbers.
TEST_F(LedgerNetworthRoutesTest, ExportsOfHostileNamesCarryNoFormulaCell) {
  const std::string mgr = login("mgr");
  auto r = post(mgr, "/api/v1/accounts", json{{"name", "=1+1 acct"}, {"method", "fifo"}}.dump());
  ASSERT_EQ(r->status, 201) << r->body;
  const std::string a = "/api/v1/accounts/" + std::to_string(body(r)["id"].get<std::int64_t>());
  // 10 AAA at 100 = 1,000; 5 sold at 97.50: proceeds 487.50, cost 500, gain -12.50.
  r = post(mgr, a + "/transactions",
           "date,type,symbol,quantity,price,fees,amount,lot_id,note\n"
           "2020-01-02,DEPOSIT,,,,,10000.00,,\"=HYPERLINK(\"\"http://evil.example/\"\",\"\"x\"\")\"\n"
           "2020-01-02,BUY,AAA,10,100,0,,@SUM(A1),-2+3\n"
           "2021-03-01,SELL,AAA,5,97.5,0,,,+cmd|' /C calc'!A0\n",
           "text/csv");
  ASSERT_EQ(r->status, 200) << r->body;
  const std::string view = login("view");
  std::size_t guarded = 0;
  for (const char* kind : {"transactions", "lots", "gains", "holdings"}) {
    r = get(view, a + "/export/" + kind);
    ASSERT_EQ(r->status, 200) << kind << ": " << r->body;
    const auto rows = spreadsheet_cells(r->body);
    ASSERT_GE(rows.size(), 2u) << kind << ": " << r->body;
    for (const auto& row : rows) {
      EXPECT_EQ(row.size(), rows[0].size()) << kind << ": " << r->body;
      for (const auto& cell : row) {
        if (cell.empty()) continue;
        const bool formula_start = std::string_view("=+-@\t\r").find(cell.front()) != std::string_view::npos;
        EXPECT_TRUE(!formula_start || csv_plain_number(cell)) << kind << ": a formula cell " << cell;
        if (cell.front() == '\'') ++guarded;
      }
    }
    EXPECT_NE(r->body.find("'=1+1 acct"), std::string::npos) << kind << ": " << r->body;
  }
  EXPECT_GE(guarded, 8u);  // the account on every row of the four exports, the notes and the lot id
  const std::string tx = get(view, a + "/export/transactions")->body;
  EXPECT_NE(tx.find("\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"x\"\")\""), std::string::npos) << tx;
  EXPECT_NE(tx.find(",'@SUM(A1),"), std::string::npos) << tx;
  EXPECT_NE(tx.find(",'-2+3,"), std::string::npos) << tx;
  EXPECT_NE(tx.find(",'+cmd|' /C calc'!A0,"), std::string::npos) << tx;
  // The loss is a number: -12.50 in the gain column, no apostrophe.
  const auto gains = spreadsheet_cells(get(view, a + "/export/gains")->body);
  ASSERT_EQ(gains.size(), 2u);
  EXPECT_EQ(gains[0][10], "gain");
  EXPECT_EQ(gains[1][10], "-12.50");
  EXPECT_EQ(gains[1][0], "'=1+1 acct");
}

}  // namespace
}  // namespace keel::server::testing
