// The ledger over HTTP: accounts, transaction uploads (CSV and mapped broker exports), lots,
// gains, holdings, performance and reconcile — the same JSON as the service the CLI calls,
// permissions, tenant isolation and audit.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "../support/tenant_context.h"
#include "keel/service/ledger.h"
#include "server_fixture.h"

namespace keel::server::testing {
namespace {

using nlohmann::json;

std::string read_text(const std::string& relative) {
  std::ifstream in(std::string(KEEL_SOURCE_DIR) + "/" + relative);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Hand-checkable history: FIFO sells the 2020-01-02 lot first.
//   10 AAA bought 2020-01-02 at 100, sold 2021-03-01 at 120: held > 1 year, long gain 10 x 20 = 200.
//   5 of the 10 bought 2020-06-01 at 110, sold 2021-03-01 at 120: short gain 5 x 10 = 50.
//   Open: 5 AAA with basis 5 x 110 = 550.
constexpr const char* kHistory =
    "date,type,symbol,quantity,price,fees,amount\n"
    "2020-01-02,DEPOSIT,,,,,10000.00\n"
    "2020-01-02,BUY,AAA,10,100,0,\n"
    "2020-06-01,BUY,AAA,10,110,0,\n"
    "2021-03-01,SELL,AAA,15,120,0,\n";

class LedgerRoutesTest : public ServerFixture {
 protected:
  std::int64_t create_account(const std::string& token, const std::string& name) {
    auto r = post(token, "/api/v1/accounts", json{{"name", name}, {"method", "fifo"}}.dump());
    EXPECT_EQ(r->status, 201) << r->body;
    return body(r)["id"].get<std::int64_t>();
  }
};

TEST_F(LedgerRoutesTest, GainsAndLotsMatchTheHandCalculationAndTheService) {
  const std::string mgr = login("mgr");
  const std::string ana = login("ana");
  const auto id = create_account(mgr, "brokerage");
  const std::string a = "/api/v1/accounts/" + std::to_string(id);
  auto r = post(ana, a + "/transactions", kHistory, "text/csv");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["rows"], 4);

  r = get(ana, a + "/gains?year=2021");
  ASSERT_EQ(r->status, 200) << r->body;
  const json gains = body(r);
  EXPECT_DOUBLE_EQ(gains["totals"]["long"].get<double>(), 200.0);
  EXPECT_DOUBLE_EQ(gains["totals"]["short"].get<double>(), 50.0);
  ASSERT_EQ(gains["realized"].size(), 2u);
  EXPECT_EQ(gains["realized"][0]["term"], "long");
  EXPECT_EQ(gains["realized"][0]["buy_date"], "2020-01-02");

  r = get(ana, a + "/lots");
  ASSERT_EQ(r->status, 200) << r->body;
  const json lots = body(r);
  ASSERT_EQ(lots["lots"].size(), 1u);
  EXPECT_DOUBLE_EQ(lots["lots"][0]["quantity"].get<double>(), 5.0);
  EXPECT_DOUBLE_EQ(lots["totals"]["basis"].get<double>(), 550.0);

  // The same documents as the service (what `keel ledger gains|lots --account` prints).
  auto store = open_store(db_);
  service::LedgerSource src;
  src.account = "brokerage";
  const service::Context cx = keel::testing::context_in(store.get(), "acme");
  EXPECT_EQ(lots, spec::to_json(service::ledger_lots(cx, {src})));
  src.year = 2021;
  EXPECT_EQ(gains, spec::to_json(service::ledger_gains(cx, {src})));

  // The account by id and by name; holdings and performance answer.
  EXPECT_EQ(body(get(ana, a))["transactions"], 4);
  EXPECT_EQ(body(get(ana, "/api/v1/accounts/brokerage"))["id"], id);
  EXPECT_EQ(get(ana, a + "/holdings?as_of=2021-12-31")->status, 200);
  EXPECT_EQ(get(ana, a + "/performance")->status < 500, true);
}

TEST_F(LedgerRoutesTest, BadRowsAreAllReportedAndNothingIsStored) {
  const std::string mgr = login("mgr");
  const auto id = create_account(mgr, "careful");
  const std::string a = "/api/v1/accounts/" + std::to_string(id);
  auto r = post(mgr, a + "/transactions",
                "date,type,symbol,quantity,price\n2020-13-01,BUY,AAA,1,10\n2020-01-02,BUY,AAA,-5,10\n"
                "2020-01-03,BUY,AAA,1,10\n",
                "text/csv");
  ASSERT_EQ(r->status, 400) << r->body;
  const auto details = body(r)["error"]["details"];
  ASSERT_GE(details.size(), 2u) << r->body;
  EXPECT_NE(details.dump().find("body.csv:2"), std::string::npos) << details;
  EXPECT_NE(details.dump().find("body.csv:3"), std::string::npos) << details;
  EXPECT_EQ(body(get(mgr, a))["transactions"], 0);
  // A sale of shares never bought is refused by booking, also nothing stored.
  r = post(mgr, a + "/transactions", "date,type,symbol,quantity,price\n2020-01-02,SELL,AAA,5,10\n", "text/csv");
  EXPECT_EQ(r->status, 400) << r->body;
  EXPECT_EQ(body(get(mgr, a))["transactions"], 0);
  // JSON errors name the field.
  r = post(mgr, a + "/transactions", R"({"mapping": {"columns": {"Run Date": "nonsense"}}})");
  ASSERT_EQ(r->status, 400);
  const std::string text = body(r)["error"]["details"].dump();
  EXPECT_NE(text.find("csv: required"), std::string::npos) << text;
  EXPECT_NE(text.find("mapping:"), std::string::npos) << text;
  r = post(mgr, "/api/v1/accounts", R"({"name": "", "method": "random"})");
  ASSERT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("name: must not be blank"), std::string::npos) << r->body;
  EXPECT_NE(r->body.find("method: expected fifo"), std::string::npos) << r->body;
  EXPECT_EQ(get(mgr, a + "/gains?year=abc")->status, 400);
  EXPECT_NE(get(mgr, a + "/gains?year=abc")->body.find("year: expected an integer"), std::string::npos);
}

TEST_F(LedgerRoutesTest, BrokerExportThroughAMappingImportsLikeTheCommand) {
  const std::string csv = read_text("examples/ledger/fidelity_history.csv");
  const std::string mapping = read_text("examples/ledger/fidelity.mapping.json");
  if (csv.empty() || mapping.empty()) GTEST_SKIP() << "examples/ledger not found";
  const std::string mgr = login("mgr");
  const auto id = create_account(mgr, "fidelity");
  auto r = post(mgr, "/api/v1/accounts/" + std::to_string(id) + "/transactions",
                json{{"csv", csv}, {"mapping", json::parse(mapping)}}.dump());
  ASSERT_EQ(r->status, 200) << r->body;

  // `keel import transactions FILE --account fidelity --mapping FILE` into a store of its own.
  const std::string other_db = temp_db_path();
  {
    auto store = open_store(other_db);
    service::ImportTransactionsRequest req;
    req.input.name = std::string(KEEL_SOURCE_DIR) + "/examples/ledger/fidelity_history.csv";
    req.account = "fidelity";
    req.mapping_file = std::string(KEEL_SOURCE_DIR) + "/examples/ledger/fidelity.mapping.json";
    service::Context cx{store.get()};
    cx.actor.tenant = "acme";
    const auto cli = service::import_transactions(cx, req);
    EXPECT_EQ(body(r)["rows"], cli.rows);
    service::LedgerSource src;
    src.account = "fidelity";
    auto mine = open_store(db_);
    json a = spec::to_json(service::ledger_gains(keel::testing::context_in(mine.get(), "acme"), {src}));
    json b = spec::to_json(service::ledger_gains(keel::testing::context_in(store.get(), "acme"), {src}));
    EXPECT_EQ(a["realized"], b["realized"]);
    EXPECT_EQ(a["totals"], b["totals"]);
  }
  remove_db(other_db);
}

TEST_F(LedgerRoutesTest, ImportingAFileAgainAddsNothingAndADryRunPreviewsTheSalesGains) {
  const std::string ana = login("ana");
  const std::string a = "/api/v1/accounts/" + std::to_string(create_account(login("mgr"), "brokerage"));
  ASSERT_EQ(body(post(ana, a + "/transactions", kHistory, "text/csv"))["rows"], 4);
  // The same file again: every row is held already.
  auto r = post(ana, a + "/transactions", kHistory, "text/csv");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["rows"], 0);
  EXPECT_EQ(body(r)["duplicates"], 4);
  EXPECT_EQ(body(r)["account_transactions"], 4);
  // A later statement overlapping the first: its old rows are skipped, two identical new buys are
  // both added (multiplicity counts), and importing it again adds nothing.
  const std::string later =
      std::string(kHistory) + "2021-04-01,BUY,AAA,1,100,0,\n2021-04-01,BUY,AAA,1,100,0,\n";
  r = post(ana, a + "/transactions", later, "text/csv");
  EXPECT_EQ(body(r)["rows"], 2);
  EXPECT_EQ(body(r)["duplicates"], 4);
  r = post(ana, a + "/transactions", later, "text/csv");
  EXPECT_EQ(body(r)["rows"], 0);
  EXPECT_EQ(body(r)["duplicates"], 6);
  // Asked for, a held row is stored again.
  r = post(ana, a + "/transactions?keep_duplicates=true",
           "date,type,symbol,quantity,price,fees,amount\n2020-01-02,DEPOSIT,,,,,10000.00\n", "text/csv");
  EXPECT_EQ(body(r)["rows"], 1);
  EXPECT_EQ(body(get(ana, a))["transactions"], 7);

  // A dry run of a sale at a loss and a buy 14 days later, on a fresh account holding kHistory
  // (open: 5 AAA bought 2020-06-01 at 110). FIFO sells those 5 at 100 on 2021-06-01: proceeds
  // 500, cost 550, loss 50, held exactly one year (short term: long needs more than a year). The 5
  // shares bought on 2021-06-15 replace all 5: the whole loss is disallowed (code W, 50), gain 0.
  const std::string d = "/api/v1/accounts/" + std::to_string(create_account(login("mgr"), "dry"));
  ASSERT_EQ(post(ana, d + "/transactions", kHistory, "text/csv")->status, 200);
  r = post(
      ana, d + "/transactions",
      json{{"csv",
            // No line ending after the last row: inside a JSON string that is no sign of a cut file.
            "date,type,symbol,quantity,price,fees\n2021-06-01,SELL,AAA,5,100,0\n2021-06-15,BUY,AAA,5,95,0"},
           {"dry_run", true}}
          .dump());
  ASSERT_EQ(r->status, 200) << r->body;
  const json dry = body(r);
  EXPECT_EQ(dry["dry_run"], true);
  EXPECT_EQ(dry["warnings"], json::array());
  EXPECT_EQ(dry["rows"], 2);
  EXPECT_EQ(dry["account_transactions"], 6);
  ASSERT_EQ(dry["preview"].size(), 2u);
  EXPECT_EQ(dry["preview"][0]["line"], 2);
  EXPECT_EQ(dry["preview"][0]["type"], "SELL");
  EXPECT_EQ(dry["preview"][1]["duplicate"], false);
  ASSERT_EQ(dry["realized"].size(), 1u);
  const json& g = dry["realized"][0];
  EXPECT_DOUBLE_EQ(g["proceeds"].get<double>(), 500.0);
  EXPECT_DOUBLE_EQ(g["cost"].get<double>(), 550.0);
  EXPECT_DOUBLE_EQ(g["wash_sale_disallowed"].get<double>(), 50.0);
  EXPECT_DOUBLE_EQ(g["gain"].get<double>(), 0.0);
  EXPECT_EQ(g["adjustment_code"], "W");
  EXPECT_EQ(g["term"], "short");
  EXPECT_EQ(g["buy_date"], "2020-06-01");
  EXPECT_EQ(body(get(ana, d))["transactions"], 4);  // nothing stored
  // A dry run naming specific lots previews that sale; a lot that is not open is a row error.
  r = post(ana, d + "/transactions?dry_run=true",
           "date,type,symbol,quantity,price,fees,lot_id\n2021-06-01,SELL,AAA,5,100,0,T9\n", "text/csv");
  EXPECT_EQ(r->status, 400) << r->body;

  // The Fidelity export by the built-in mapping's name: the same rows as the example's document,
  // and a second import of the file adds none.
  const std::string csv = read_text("examples/ledger/fidelity_history.csv");
  if (csv.empty()) GTEST_SKIP() << "examples/ledger not found";
  const std::string f = "/api/v1/accounts/" + std::to_string(create_account(login("mgr"), "fidelity"));
  r = post(ana, f + "/transactions", json{{"csv", csv}, {"mapping_name", "fidelity"}}.dump());
  ASSERT_EQ(r->status, 200) << r->body;
  const auto rows = body(r)["rows"].get<int>();
  EXPECT_GT(rows, 10);
  r = post(ana, f + "/transactions", json{{"csv", csv}, {"mapping_name", "fidelity"}}.dump());
  EXPECT_EQ(body(r)["rows"], 0);
  EXPECT_EQ(body(r)["duplicates"], rows);
  r = post(ana, f + "/transactions",
           json{{"csv", csv},
                {"mapping_name", "fidelity"},
                {"mapping", json::parse(read_text("examples/ledger/fidelity.mapping.json"))}}
               .dump());
  EXPECT_EQ(r->status, 400);
  r = post(ana, f + "/transactions", json{{"csv", csv}, {"mapping_name", "nope"}}.dump());
  EXPECT_EQ(r->status, 404);
}

TEST_F(LedgerRoutesTest, MappingsAreSavedByNameAndTheBuiltInsAreTheExamples) {
  const std::string ana = login("ana");
  auto r = get(ana, "/api/v1/ledger/mappings");
  ASSERT_EQ(r->status, 200) << r->body;
  const json list = body(r)["items"];
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["name"], "fidelity");
  EXPECT_EQ(list[0]["builtin"], true);
  EXPECT_EQ(list[1]["name"], "ibkr");
  const std::string fidelity = read_text("examples/ledger/fidelity.mapping.json");
  const std::string ibkr = read_text("examples/ledger/ibkr_flex.mapping.json");
  if (!fidelity.empty() && !ibkr.empty()) {
    EXPECT_EQ(list[0]["document"], json::parse(fidelity));
    EXPECT_EQ(list[1]["document"], json::parse(ibkr));
  }
  // A mapping made by choosing columns, saved under a name and used by an import.
  const json mine = {
      {"columns",
       {{"When", "date"}, {"What", "type"}, {"Ticker", "symbol"}, {"Shares", "quantity"}, {"Px", "price"}}},
      {"date_format", "%d.%m.%Y"}};
  r = put(ana, "/api/v1/ledger/mappings/my%20broker", json{{"document", mine}}.dump());
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["name"], "my broker");
  EXPECT_EQ(body(r)["updated_by"], "ana");
  EXPECT_EQ(body(get(ana, "/api/v1/ledger/mappings"))["items"].size(), 3u);
  EXPECT_EQ(body(get(ana, "/api/v1/ledger/mappings/my%20broker"))["document"], mine);
  const std::string a = "/api/v1/accounts/" + std::to_string(create_account(login("mgr"), "mine"));
  r = post(
      ana, a + "/transactions",
      json{{"csv", "When,What,Ticker,Shares,Px\n02.01.2020,BUY,AAA,10,100\n"}, {"mapping_name", "my broker"}}
          .dump());
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(get(ana, a + "/lots"))["lots"][0]["buy_date"], "2020-01-02");

  // A bad document is refused field by field; built-ins cannot be replaced or deleted; viewers
  // cannot save; another tenant does not see it.
  r = put(ana, "/api/v1/ledger/mappings/bad", json{{"document", {{"columns", {{"X", "nope"}}}}}}.dump());
  ASSERT_EQ(r->status, 400);
  EXPECT_EQ(body(r)["error"]["details"][0].get<std::string>().rfind("document: columns.X", 0), 0u) << r->body;
  EXPECT_EQ(put(ana, "/api/v1/ledger/mappings/fidelity", json{{"document", mine}}.dump())->status, 409);
  EXPECT_EQ(del(ana, "/api/v1/ledger/mappings/fidelity")->status, 409);
  EXPECT_EQ(put(ana, "/api/v1/ledger/mappings/a%3Bb", json{{"document", mine}}.dump())->status, 400);
  EXPECT_EQ(put(login("view"), "/api/v1/ledger/mappings/v", json{{"document", mine}}.dump())->status, 403);
  EXPECT_EQ(get(login("other"), "/api/v1/ledger/mappings/my%20broker")->status, 404);
  r = del(ana, "/api/v1/ledger/mappings/my%20broker");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(get(ana, "/api/v1/ledger/mappings/my%20broker")->status, 404);
  EXPECT_EQ(del(ana, "/api/v1/ledger/mappings/my%20broker")->status, 404);
}

TEST_F(LedgerRoutesTest, ReconcileTakesTheBrokerHoldingsInTheBody) {
  const std::string mgr = login("mgr");
  const auto id = create_account(mgr, "rec");
  const std::string a = "/api/v1/accounts/" + std::to_string(id);
  ASSERT_EQ(post(mgr, a + "/transactions", kHistory, "text/csv")->status, 200);
  // The ledger holds 5 AAA (basis 550); the broker says 6: one discrepancy of +1 share.
  auto r = post(mgr, a + "/reconcile", json{{"broker", "symbol,quantity,cost_basis\nAAA,6,550\n"}}.dump());
  ASSERT_EQ(r->status, 200) << r->body;
  const json rec = body(r);
  ASSERT_EQ(rec["rows"].size(), 1u);
  EXPECT_DOUBLE_EQ(rec["rows"][0]["quantity_difference"].get<double>(), 1.0);
  EXPECT_EQ(post(mgr, a + "/reconcile", "{}")->status, 400);
}

// Bodies and query parameters are read through the requests' descriptions: every problem names
// its field, and a misspelt parameter is refused rather than ignored.
TEST_F(LedgerRoutesTest, BadBodiesAndParametersNameTheField) {
  const std::string mgr = login("mgr");
  const auto id = create_account(mgr, "fields");
  const std::string a = "/api/v1/accounts/" + std::to_string(id);
  ASSERT_EQ(post(mgr, a + "/transactions", kHistory, "text/csv")->status, 200);
  auto details = [](const HttpResult& r) { return body(r)["error"]["details"].dump(); };

  auto r = post(mgr, a + "/reconcile", R"({"broker": 5, "tolerance": "abc", "method": "newest", "extra": 1})");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(details(r).find("broker: expected a string"), std::string::npos) << r->body;
  EXPECT_NE(details(r).find("tolerance: expected a number"), std::string::npos) << r->body;
  EXPECT_NE(details(r).find("method: expected fifo, lifo, hifo, average or specific"), std::string::npos) << r->body;
  EXPECT_NE(details(r).find("extra\\\": not a field of this request"), std::string::npos) << r->body;
  r = post(mgr, a + "/reconcile", R"({"broker": "symbol,quantity\nAAA,5\n", "tolerance": -1})");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(details(r).find("tolerance: expected a number"), std::string::npos) << r->body;

  r = post(mgr, a + "/transactions", R"({"csv": "date,type\n", "replace": "yes"})");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(details(r).find("replace: expected"), std::string::npos) << r->body;

  r = post(mgr, a + "/snapshots", R"({"as_of": "2021-02-30"})");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(details(r).find("as_of: expected a date"), std::string::npos) << r->body;

  r = get(mgr, a + "/performance?periods_per_year=0&risk_free=x");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(details(r).find("periods_per_year: expected an integer from 1 to 366"), std::string::npos) << r->body;
  EXPECT_NE(details(r).find("risk_free: expected a number"), std::string::npos) << r->body;
  r = get(mgr, a + "/lots?as_off=2021-01-01");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(details(r).find("as_off\\\": not a query parameter of this route"), std::string::npos) << r->body;
  r = get(mgr, a + "/networth?from=2021-06-01&to=2021-01-01");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(details(r).find("to: is before from"), std::string::npos) << r->body;
  r = get(mgr, a + "/export/gains?year=1800&format=json");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(details(r).find("year: expected an integer from 1900 to 2200"), std::string::npos) << r->body;
  // The export's own format parameter is still accepted.
  EXPECT_EQ(get(mgr, a + "/export/lots?format=json&method=lifo")->status, 200);
}

TEST_F(LedgerRoutesTest, ViewersReadOnlyOtherTenantsSee404AndMutationsAreAudited) {
  const std::string root = login("root");
  const std::string mgr = login("mgr");
  const std::string view = login("view");
  const std::string other = login("other");
  EXPECT_EQ(post(view, "/api/v1/accounts", R"({"name":"v"})")->status, 403);
  const auto id = create_account(mgr, "audited");
  const std::string a = "/api/v1/accounts/" + std::to_string(id);
  EXPECT_EQ(post(view, a + "/transactions", kHistory, "text/csv")->status, 403);
  EXPECT_EQ(del(view, a)->status, 403);
  ASSERT_EQ(post(mgr, a + "/transactions", kHistory, "text/csv")->status, 200);
  EXPECT_EQ(get(view, a + "/gains")->status, 200);

  for (const auto& r : {get(other, a), get(other, "/api/v1/accounts/audited"), get(other, a + "/lots"),
                        get(other, a + "/gains"), del(other, a), post(other, a + "/transactions", kHistory, "text/csv"),
                        post(other, a + "/reconcile", R"({"broker":"symbol,quantity\nAAA,1\n"})")}) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404) << r->body;
  }
  EXPECT_EQ(body(get(other, "/api/v1/accounts"))["items"].size(), 0u);

  ASSERT_EQ(del(mgr, a)->status, 200);
  EXPECT_EQ(get(mgr, a)->status, 404);
  const std::string res = "account/" + std::to_string(id);
  EXPECT_EQ(audit_actions(root, "account."), (std::vector<std::string>{"account.create:" + res, "account.delete:" + res}));
  EXPECT_EQ(audit_actions(root, "transactions."), (std::vector<std::string>{"transactions.import:" + res}));
}

// PUT /api/v1/accounts/{id}: a rename and the account's details, each bad field named, the audit
// row naming what changed; a viewer may not, another tenant's account is 404.
TEST_F(LedgerRoutesTest, AccountsAreRenamedAndUpdatedByPut) {
  const std::string root = login("root");
  const std::string mgr = login("mgr");
  const std::string view = login("view");
  const std::string other = login("other");
  const auto id = create_account(mgr, "ira");
  create_account(mgr, "taxable");
  const std::string a = "/api/v1/accounts/" + std::to_string(id);
  ASSERT_EQ(post(mgr, a + "/transactions", kHistory, "text/csv")->status, 200);
  auto r = put(mgr, a, R"({"name": "roth ira", "type": "retirement", "institution": "Vanguard",
                           "notes": "backdoor conversions", "method": "hifo"})");
  ASSERT_EQ(r->status, 200) << r->body;
  json got = body(r);
  EXPECT_EQ(got["id"], id);
  EXPECT_EQ(got["name"], "roth ira");
  EXPECT_EQ(got["type"], "retirement");
  EXPECT_EQ(got["institution"], "Vanguard");
  EXPECT_EQ(got["notes"], "backdoor conversions");
  EXPECT_EQ(got["method"], "hifo");
  EXPECT_EQ(got["allow_short"], false);  // left out: kept
  EXPECT_EQ(got["transactions"], 4);
  // By its new name; the old one is gone; a field left out keeps its value.
  EXPECT_EQ(get(mgr, "/api/v1/accounts/ira")->status, 404);
  ASSERT_EQ(put(mgr, "/api/v1/accounts/roth%20ira", R"({"notes": ""})")->status, 200);
  got = body(get(view, a));
  EXPECT_EQ(got["name"], "roth ira");
  EXPECT_EQ(got["institution"], "Vanguard");
  EXPECT_EQ(got["notes"], "");
  // FIFO would sell the 100 lot first; HIFO the 110 lot: the stored method is the one booked.
  //   HIFO: 10 @ 110 then 5 @ 100 sold at 120 -> long 5 x 20 = 100, short 10 x 10 = 100.
  const json gains = body(get(view, a + "/gains?year=2021"));
  EXPECT_DOUBLE_EQ(gains["totals"]["long"].get<double>(), 100.0);
  EXPECT_DOUBLE_EQ(gains["totals"]["short"].get<double>(), 100.0);

  auto details = [](const HttpResult& res) { return body(res)["error"]["details"].dump(); };
  r = put(mgr, a, R"({"type": "hedge fund", "allow_short": "yes", "account": "x", "institution": 5})");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(details(r).find("type: expected brokerage, retirement, checking"), std::string::npos) << r->body;
  EXPECT_NE(details(r).find("allow_short: expected"), std::string::npos) << r->body;
  EXPECT_NE(details(r).find("account\\\": not a field of this request"), std::string::npos) << r->body;
  EXPECT_NE(details(r).find("institution: expected a string"), std::string::npos) << r->body;
  r = put(mgr, a, json{{"name", ""}, {"notes", std::string(2001, 'n')}, {"currency", "usd"}}.dump());
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(details(r).find("name: required"), std::string::npos) << r->body;
  EXPECT_NE(details(r).find("notes: at most 2000 characters"), std::string::npos) << r->body;
  EXPECT_NE(details(r).find("currency: expected a three-letter"), std::string::npos) << r->body;
  // The account holds USD transactions: its currency stays.
  r = put(mgr, a, R"({"currency": "EUR"})");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(details(r).find("currency: the account holds 4 transactions in USD"), std::string::npos) << r->body;
  EXPECT_EQ(put(mgr, a, R"({"name": "taxable"})")->status, 409);
  EXPECT_EQ(put(view, a, R"({"notes": "mine"})")->status, 403);
  EXPECT_EQ(put(other, a, R"({"notes": "mine"})")->status, 404);
  EXPECT_EQ(put(mgr, "/api/v1/accounts/999999", R"({"notes": "x"})")->status, 404);
  EXPECT_EQ(body(get(view, a))["notes"], "");  // none of the refused changes was stored

  const std::string res = "account/" + std::to_string(id);
  EXPECT_EQ(audit_actions(root, "account.update", "acme"),
            (std::vector<std::string>{"account.update:" + res, "account.update:" + res}));
}

// The tearsheet: HTML by default (a viewer may read it), Markdown with ?format=md; an account of no
// one or of another tenant is 404, a bad or missing benchmark 400 naming the field. The account's
// hostile name shows as text.
TEST_F(LedgerRoutesTest, TearsheetIsHtmlOrMarkdownForAViewerAndNamesABadBenchmark) {
  import_synthetic_prices();  // AAA and BBB, 2020-01-01 to 2020-10-26
  const std::string mgr = login("mgr");
  const std::string view = login("view");
  const std::string other = login("other");
  const std::string hostile = "<img src=x onerror=alert(1)>";
  const auto id = create_account(mgr, hostile);
  const std::string a = "/api/v1/accounts/" + std::to_string(id);
  ASSERT_EQ(post(mgr, a + "/transactions",
                 "date,type,symbol,quantity,price,fees,amount\n"
                 "2020-01-02,DEPOSIT,,,,,10000.00\n"
                 "2020-01-02,BUY,AAA,50,100,0,\n"
                 "2020-06-01,DIVIDEND,AAA,,,,25.00\n",
                 "text/csv")
                ->status,
            200);

  auto r = get(view, a + "/tearsheet?benchmark=BBB");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(r->body.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(r->body.find("<script"), std::string::npos);
  EXPECT_EQ(r->body.find("<img"), std::string::npos);
  EXPECT_NE(r->body.find("Tearsheet: &lt;img src=x onerror=alert(1)&gt; against BBB"), std::string::npos);

  r = get(view, a + "/tearsheet?benchmark=60:BBB,40:AAA&format=md&from=2020-02-03");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/markdown; charset=utf-8");
  EXPECT_EQ(r->body.rfind("# Tearsheet: &lt;img src=x onerror=alert(1)&gt; against 60:BBB,40:AAA\n", 0), 0u)
      << r->body.substr(0, 200);
  EXPECT_NE(r->body.find("| AAA |"), std::string::npos);

  r = get(view, a + "/tearsheet?benchmark=BBB&format=json");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["scope"], hostile);

  EXPECT_EQ(get(view, "/api/v1/accounts/999999/tearsheet?benchmark=BBB")->status, 404);
  EXPECT_EQ(get(other, a + "/tearsheet?benchmark=BBB")->status, 404);
  auto details = [](const HttpResult& res) { return body(res)["error"]["details"].dump(); };
  r = get(view, a + "/tearsheet?benchmark=x:BBB");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(details(r).find("benchmark: weight of 'x:BBB' is not a positive number"), std::string::npos) << r->body;
  r = get(view, a + "/tearsheet");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("benchmark"), std::string::npos) << r->body;
  r = get(view, a + "/tearsheet?benchmark=BBB&format=pdf");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(details(r).find("format: expected html, md or json"), std::string::npos) << r->body;
}

TEST_F(LedgerRoutesTest, AccountBodiesAreReadByTheirDescription) {
  const std::string mgr = login("mgr");
  // Every problem named by its field, unknown fields refused.
  auto r = post(mgr, "/api/v1/accounts", R"({"method":"oldest","allow_short":"yes","colour":"red"})");
  ASSERT_EQ(r->status, 400) << r->body;
  const std::string details = body(r)["error"]["details"].dump();
  EXPECT_NE(details.find("name: required"), std::string::npos) << details;
  EXPECT_NE(details.find("method: expected fifo, lifo, hifo, average or specific"), std::string::npos)
      << details;
  EXPECT_NE(details.find("allow_short: expected"), std::string::npos) << details;
  EXPECT_NE(details.find("colour"), std::string::npos) << details;
  r = post(mgr, "/api/v1/accounts", json{{"name", std::string(201, 'x')}}.dump());
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("name: expected at most 200 characters, got 201"), std::string::npos) << r->body;

  // The defaults of the description, and the shape of show and delete.
  r = post(mgr, "/api/v1/accounts", R"({"name":"plain"})");
  ASSERT_EQ(r->status, 201) << r->body;
  const json created = body(r);
  EXPECT_EQ(created["method"], "fifo");
  EXPECT_EQ(created["currency"], "USD");
  EXPECT_EQ(created["allow_short"], false);
  EXPECT_TRUE(created["first_date"].is_null());
  const std::string a = "/api/v1/accounts/" + std::to_string(created["id"].get<std::int64_t>());
  ASSERT_EQ(post(mgr, a + "/transactions", kHistory, "text/csv")->status, 200);
  r = get(mgr, a);
  ASSERT_EQ(r->status, 200) << r->body;
  const json shown = body(r);
  // After selling 15 of 20 (FIFO): 5 shares of the 2020-06-01 lot at 110 remain; cash is
  // 10,000 - 1,000 - 1,100 + 15 x 120 = 9,700.
  ASSERT_EQ(shown["positions"].size(), 1u);
  EXPECT_DOUBLE_EQ(shown["positions"][0]["quantity"].get<double>(), 5.0);
  EXPECT_DOUBLE_EQ(shown["positions"][0]["basis"].get<double>(), 550.0);
  EXPECT_DOUBLE_EQ(shown["cash"].get<double>(), 9700.0);
  EXPECT_EQ(shown["transactions"], 4);
  EXPECT_FALSE(shown.contains("problems"));
  r = del(mgr, a);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["deleted"], true);
  EXPECT_EQ(body(r)["transactions"], 4);
  EXPECT_EQ(body(r)["id"], created["id"]);
}

TEST_F(LedgerRoutesTest, AccountListIsPaginated) {
  const std::string mgr = login("mgr");
  for (const char* n : {"a1", "a2", "a3"}) create_account(mgr, n);
  auto r = get(mgr, "/api/v1/accounts?limit=2");
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(body(r)["items"].size(), 2u);
  EXPECT_EQ(body(r)["total"], 3);
  r = get(mgr, "/api/v1/accounts?limit=2&cursor=" + body(r)["next_cursor"].get<std::string>());
  ASSERT_EQ(body(r)["items"].size(), 1u);
  EXPECT_TRUE(body(r)["next_cursor"].is_null());
  EXPECT_EQ(get(mgr, "/api/v1/accounts?cursor=bm9wZQ")->status, 400);
}

// The whole account in one JSON document, downloaded by a viewer and uploaded into a new account by
// an analyst as the transactions body's `csv`: the same lots (hand-worked above: 5 AAA at 550).
TEST_F(LedgerRoutesTest, AnAccountsExportIsOneDocumentThatAnUploadReadsBack) {
  const std::string mgr = login("mgr");
  const std::string ana = login("ana");
  create_account(mgr, "brokerage");
  ASSERT_EQ(post(ana, "/api/v1/accounts/brokerage/transactions", kHistory, "text/csv")->status, 200);
  auto r = get(login("view"), "/api/v1/accounts/brokerage/export/account");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_NE(r->get_header_value("Content-Disposition").find("brokerage_account.json"), std::string::npos);
  const json dump = body(r);
  EXPECT_EQ(dump["meta"]["format"], "keel.ledger.account");
  EXPECT_EQ(dump["meta"]["format_version"], 1);
  EXPECT_EQ(dump["meta"]["transactions"], 4);
  EXPECT_EQ(dump["account"]["method"], "fifo");
  ASSERT_EQ(dump["transactions"].size(), 4u);
  EXPECT_EQ(dump["transactions"][3]["type"], "SELL");
  EXPECT_EQ(dump["transactions"][3]["quantity"], "15");
  EXPECT_EQ(get(mgr, "/api/v1/accounts/brokerage/export/account?account=x")->status, 400);

  create_account(mgr, "copy");
  r = post(ana, "/api/v1/accounts/copy/transactions", json{{"csv", dump.dump()}}.dump());
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["rows"], 4);
  const json lots = body(get(ana, "/api/v1/accounts/copy/lots"));
  ASSERT_EQ(lots["lots"].size(), 1u) << lots.dump();
  EXPECT_DOUBLE_EQ(lots["lots"][0]["quantity"].get<double>(), 5.0);
  EXPECT_DOUBLE_EQ(lots["lots"][0]["basis"].get<double>(), 550.0);

  // A document that is not keel's is refused, the field named.
  r = post(ana, "/api/v1/accounts/copy/transactions", json{{"csv", R"({"meta": {"format": "x"}})"}}.dump());
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("meta.format: expected keel.ledger.account"), std::string::npos) << r->body;
}

}  // namespace
}  // namespace keel::server::testing
