// Password hashing is bounded by a memory budget (docs/security.md, "Users and passwords"): logins
// run on the hash pool, which holds as many argon2id computations as fit the budget; a login that
// cannot start within the budget's wait answers 503 with Retry-After, and waiting logins hold no
// thread, so authenticated requests and health checks go on meanwhile.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <vector>

#include "keel/service/sign_in.h"
#include "server_fixture.h"

namespace keel::server::testing {
namespace {

using Clock = std::chrono::steady_clock;

class PasswordHashBudget : public ServerFixture {
 protected:
  // A budget below one computation (test-only: keel serve refuses it) admits no password work at
  // all, so every login waits the whole wait and is refused, whatever the machine's speed.
  void SetUp() override {
    ServerConfig c = test_config(db_ = temp_db_path());
    c.hash_budget.memory_bytes = 0;
    c.hash_budget.max_wait = std::chrono::milliseconds(300);
    start_server(c, true);
  }
  HttpResult try_login(const std::string& user) {
    return client()->Post("/api/v1/auth/login", nlohmann::json{{"username", user}, {"password", kPassword}}.dump(),
                          "application/json");
  }
};

TEST_F(PasswordHashBudget, LoginPastTheBudgetsWaitAnswers503WithRetryAfter) {
  for (const char* user : {"ana", "nobody-by-this-name"}) {  // known and unknown users alike
    const auto start = Clock::now();
    auto r = try_login(user);
    const auto waited = Clock::now() - start;
    ASSERT_TRUE(r) << user;
    EXPECT_EQ(r->status, 503) << user << ": " << r->body;
    EXPECT_EQ(r->get_header_value("Retry-After"), "1") << user;
    EXPECT_EQ(body(r)["error"]["code"], "unavailable") << r->body;
    EXPECT_FALSE(body(r)["error"]["request_id"].get<std::string>().empty());
    EXPECT_GE(waited, std::chrono::milliseconds(290)) << user << ": refused before the wait ended";
    EXPECT_LT(waited, std::chrono::seconds(5)) << user << ": the wait is bounded";
  }
}

TEST_F(PasswordHashBudget, WaitingLoginsHoldNoThreadOfTheRequestPool) {
  // A token made with the server's key: login itself cannot succeed under this budget.
  auto store = open_store(db_);
  const auto ana = service::sign_in_user(service::Context{store.get()}, "ana");
  ASSERT_TRUE(ana);
  TokenService tokens(config_.tokens);
  const std::string token = tokens.issue(*ana, std::chrono::duration_cast<std::chrono::seconds>(
                                                   std::chrono::system_clock::now().time_since_epoch())
                                                   .count())
                                .token;

  // Twice the request pool's threads of logins wait for the hash pool...
  std::vector<std::future<int>> logins;
  for (std::size_t i = 0; i < 2 * config_.threads; ++i) {
    logins.push_back(std::async(std::launch::async, [this] {
      auto r = try_login("ana");
      return r ? r->status : -1;
    }));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  // ...while an authenticated read and a health check are answered at once.
  const auto start = Clock::now();
  EXPECT_EQ(get(token, "/api/v1/auth/me")->status, 200);
  EXPECT_EQ(client()->Get("/healthz")->status, 200);
  EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(250));
  for (auto& f : logins) EXPECT_EQ(f.get(), 503);
}

TEST_F(ServerFixture, LoginsWithinTheBudgetAllSucceed) {
  // The fixture's budget (192 MiB) holds every minimum-cost hash at once: 32 concurrent logins of
  // known users succeed and those of unknown users (each its own name, below the throttle) are
  // refused as such, none with 503.
  std::vector<std::future<int>> logins;
  for (int i = 0; i < 32; ++i) {
    logins.push_back(std::async(std::launch::async, [this, i] {
      auto r = client()->Post("/api/v1/auth/login",
                              nlohmann::json{{"username", i % 2 ? std::string("ana") : "ghost" + std::to_string(i)},
                                             {"password", kPassword}}
                                  .dump(),
                              "application/json");
      return r ? r->status : -1;
    }));
  }
  for (int i = 0; i < 32; ++i) EXPECT_EQ(logins[static_cast<std::size_t>(i)].get(), i % 2 ? 200 : 401) << i;
}

}  // namespace
}  // namespace keel::server::testing
