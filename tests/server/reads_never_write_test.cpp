// Reads never write: every GET route of the API (read from the server's own OpenAPI document, so a
// new route is walked without editing this test) is called on a store holding one of each thing a
// GET shows — a portfolio with positions, a tag and a kept VaR, an ALM session, a stored CLO deal,
// a what-if session, a ledger account with transactions, a finished job — by a manager and by the
// administrator, and the database is dumped (sqlite3 .dump) before and after: it must not change.
// What a GET may do is answer, and answer an error; it may not keep a result, write an audit row,
// or touch what another user reads.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "../support/process.h"
#include "server_fixture.h"

namespace keel::server::testing {
namespace {

using nlohmann::json;

std::string example_text(const std::string& path) {
  std::ifstream in(std::string(KEEL_SOURCE_DIR) + "/examples/" + path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

constexpr const char* kAlmSheet =
    "id,side,type,notional,start_date,maturity_date,rate_type,rate,payment_frequency,amortization,day_count,currency\n"
    "bond,asset,bond,1000000,2020-06-15,2025-06-15,fixed,0.04,12M,bullet,30/360,USD\n";
constexpr const char* kAlmCurve = "tenor,rate\n3M,0.03\n30Y,0.03\n";
constexpr const char* kLedgerTransactions =
    "date,type,symbol,quantity,price,fees,amount\n"
    "2020-01-02,DEPOSIT,,,,,10000.00\n"
    "2020-01-02,BUY,AAA,10,100,0,\n"
    "2021-03-01,SELL,AAA,5,120,0,\n";

// GET routes that are not walked, and why. Each is still a read; none is left out for writing.
const std::set<std::string> kNotWalked = {
    "/api/v1/events",                                // an event stream: it does not end
    "/api/v1/jobs/{id}/events",                      // the same, for one job
    "/api/v1/assistant/providers/{name}/models",     // asks the provider over the internet
};

class ReadsNeverWrite : public ServerFixture {
 protected:
  std::string dump() { return ::keel::testing::command_output("sqlite3 '" + db_ + "' .dump"); }
};

TEST_F(ReadsNeverWrite, EveryGetRouteLeavesTheStoreAsItWas) {
  const std::string root = login("root");
  const std::string mgr = login("mgr");

  // One of everything a GET shows, in the tenant acme.
  import_synthetic_prices();
  const auto pid = create_portfolio(mgr, "book");
  const std::string p = "/api/v1/portfolios/" + std::to_string(pid);
  ASSERT_EQ(post(mgr, p + "/positions", "symbol,quantity,tags\nAAA,10,core\nBBB,5,\n", "text/csv")->status, 200);
  ASSERT_EQ(post(mgr, p + "/risk/var", R"({"method":"parametric"})")->status, 200);
  auto r = post(mgr, p + "/risk/var", R"({"method":"parametric","async":true})");
  ASSERT_EQ(r->status, 202) << r->body;
  const auto job = body(r)["id"].get<std::int64_t>();
  ASSERT_EQ(wait_job(mgr, job)["status"], "succeeded");
  r = post(mgr, "/api/v1/alm/sessions",
           json{{"name", "q4"},
                {"balance_sheet", kAlmSheet},
                {"curves", json::array({{{"currency", "USD"}, {"text", kAlmCurve}}})},
                {"currency", "USD"},
                {"as_of", "2021-01-04"},
                {"tier1", 100000.0}}
               .dump());
  ASSERT_EQ(r->status, 201) << r->body;
  const auto alm = body(r)["session"]["id"].get<std::int64_t>();
  r = post(mgr, "/api/v1/clo/deals",
           json{{"name", "deal"},
                {"deal", json::parse(example_text("clo/small_deal.json"))},
                {"collateral_csv", example_text("clo/small_pool.csv")}}
               .dump());
  ASSERT_EQ(r->status, 201) << r->body;
  const auto deal = body(r)["deal"]["id"].get<std::int64_t>();
  r = post(mgr, p + "/sessions", R"({"name":"look"})");
  ASSERT_EQ(r->status, 201) << r->body;
  const auto session = body(r)["id"].get<std::int64_t>();
  r = post(mgr, "/api/v1/accounts", R"({"name":"broker","method":"fifo"})");
  ASSERT_EQ(r->status, 201) << r->body;
  const auto account = body(r)["id"].get<std::int64_t>();
  ASSERT_EQ(post(mgr, "/api/v1/accounts/" + std::to_string(account) + "/transactions", kLedgerTransactions, "text/csv")
                ->status,
            200);
  const auto position = body(get(mgr, p + "/positions"))["items"][0]["id"].get<std::int64_t>();

  // The ids a path's parameters take, by the path's collection.
  const auto fill = [&](std::string path) {
    const auto put_in = [&](const std::string& name, const std::string& value) {
      for (auto at = path.find(name); at != std::string::npos; at = path.find(name)) path.replace(at, name.size(), value);
    };
    std::string id = "1";
    if (path.rfind("/api/v1/portfolios/", 0) == 0) id = std::to_string(pid);
    if (path.rfind("/api/v1/accounts/", 0) == 0) id = std::to_string(account);
    if (path.rfind("/api/v1/alm/sessions/", 0) == 0) id = std::to_string(alm);
    if (path.rfind("/api/v1/clo/deals/", 0) == 0) id = std::to_string(deal);
    if (path.rfind("/api/v1/jobs/", 0) == 0) id = std::to_string(job);
    if (path.rfind("/api/v1/sessions/", 0) == 0) id = std::to_string(session);
    put_in("{id}", id);
    put_in("{position}", std::to_string(position));
    put_in("{name}", "builtin");
    return path;
  };

  r = get(root, "/api/v1/openapi.json");
  ASSERT_EQ(r->status, 200);
  const json paths = body(r)["paths"];
  // A second passes before the walk, so that a read stamping the time (an access time, an
  // updated_at) writes a value the dump can tell from the seeding's.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  const std::string before = dump();
  ASSERT_NE(before.find("CREATE TABLE"), std::string::npos) << "sqlite3 could not read " << db_;
  int walked = 0;
  for (const auto& [path, ops] : paths.items()) {
    if (!ops.contains("get") || kNotWalked.count(path)) continue;
    for (const std::string& token : {mgr, root}) {
      const auto res = get(token, fill(path));
      ASSERT_TRUE(res) << path;
      EXPECT_LT(res->status, 500) << "GET " << fill(path) << ": " << res->body.substr(0, 300);
    }
    ++walked;
  }
  EXPECT_GT(walked, 60) << "the OpenAPI document lists fewer GET routes than expected";
  const std::string after = dump();
  // The lines that differ, to name the table a read wrote, less the three writes a read may make:
  //  - the audit row of a refused request (auth.forbidden, outcome denied): the security trail of
  //    who tried what, which every refusal writes whatever the method (docs/security.md);
  //  - a report kept in the result cache ("report:..." rows): a read-through cache keyed by every
  //    input of the report, so no reader can tell it from a report computed again;
  //  - an ALM session's expiry (alm_sessions' column before its owner), which runs from the
  //    session's last use (docs/alm.md, "Sessions"): masked, the rest of the row must not change.
  const std::regex alm_expiry(R"(^(INSERT INTO alm_sessions VALUES\(.*),[0-9]+,('(?:[^']|'')*',[0-9]+\);)$)");
  const auto masked = [&](const std::string& line) { return std::regex_replace(line, alm_expiry, "$1,EXPIRY,$2"); };
  const auto allowed = [](const std::string& line) {
    const bool refusal = line.rfind("INSERT INTO audit_log VALUES(", 0) == 0 &&
                         line.find("'auth.forbidden'") != std::string::npos &&
                         line.find("'denied'") != std::string::npos;
    const bool report_cache =
        line.rfind("INSERT INTO cached_results VALUES(", 0) == 0 && line.find(",'report:") != std::string::npos;
    return refusal || report_cache;
  };
  int refusals = 0;
  {
    std::istringstream b(after);
    for (std::string line; std::getline(b, line);) refusals += line.find("'auth.forbidden'") != std::string::npos;
  }
  EXPECT_GT(refusals, 0) << "the manager's GET /api/v1/audit was not refused (the walk did not reach it?)";
  if (after != before) {
    std::istringstream a(before), b(after);
    std::set<std::string> old_lines, new_lines;
    for (std::string line; std::getline(a, line);) old_lines.insert(masked(line));
    for (std::string line; std::getline(b, line);) {
      if (!allowed(line)) new_lines.insert(masked(line));
    }
    for (const auto& line : old_lines) {
      if (allowed(line)) new_lines.insert(line);  // a cached report replaced: not a difference
    }
    std::string changed;  // empty when every difference was one of the two allowed
    for (const auto& line : new_lines) {
      if (!old_lines.count(line)) changed += "+ " + line.substr(0, 300) + "\n";
    }
    for (const auto& line : old_lines) {
      if (!new_lines.count(line)) changed += "- " + line.substr(0, 300) + "\n";
    }
    if (!changed.empty()) ADD_FAILURE() << "a GET wrote to the store:\n" << changed;
  }
}

}  // namespace
}  // namespace keel::server::testing
