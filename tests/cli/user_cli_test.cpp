// End-to-end tests of `keel user add|list|disable|enable|passwd` (the users of keel serve).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "../support/cli_runner.h"

namespace {

using keel::testing::run_keel;
using keel::testing::TempDb;
using nlohmann::json;

// Runs keel with `input` and a newline on stdin (what --password-stdin reads).
keel::testing::CliResult run_keel_stdin(const std::string& input, const std::string& args) {
  return run_keel(args, input + "\n");
}

TEST(UserCli, AddListDisableEnableAndPasswd) {
  TempDb db("user");
  const std::string g = "--db " + db.path() + " --format json ";
  auto r = run_keel_stdin("a long passphrase", g + "user add alice --role admin --tenant acme --password-stdin");
  ASSERT_EQ(r.code, 0) << r.out;
  auto j = json::parse(r.out);
  EXPECT_EQ(j["username"], "alice");
  EXPECT_EQ(j["tenant"], "acme");
  EXPECT_EQ(j["role"], "admin");
  EXPECT_EQ(j.dump().find("passphrase"), std::string::npos);

  r = run_keel_stdin("another passphrase", g + "user add bob --role viewer --password-stdin");
  ASSERT_EQ(r.code, 0);
  EXPECT_EQ(json::parse(r.out)["tenant"], "default");

  // Same name again: conflict (exit 1); a short password: bad input (exit 1); no stdin flag: usage (2).
  EXPECT_EQ(run_keel_stdin("a long passphrase", g + "user add alice --role viewer --password-stdin").code, 1);
  EXPECT_EQ(run_keel_stdin("short", g + "user add carol --role viewer --password-stdin").code, 1);
  EXPECT_EQ(run_keel(g + "user add carol --role viewer").code, 2);
  EXPECT_EQ(run_keel(g + "user add carol --role root --password-stdin").code, 2);

  r = run_keel(g + "user list");
  ASSERT_EQ(r.code, 0) << r.err;
  j = json::parse(r.out);
  ASSERT_EQ(j["items"].size(), 2u);
  EXPECT_EQ(j["items"][0]["username"], "alice");
  r = run_keel(g + "user list --tenant acme");
  EXPECT_EQ(json::parse(r.out)["items"].size(), 1u);

  // disable and enable print the user as /api/v1/users/{id}/disable does (keel/service/users.h).
  r = run_keel(g + "user disable bob");
  ASSERT_EQ(r.code, 0) << r.err;
  j = json::parse(r.out);
  EXPECT_EQ(j["username"], "bob");
  EXPECT_EQ(j["disabled"], true);
  EXPECT_EQ(j["role"], "viewer");
  EXPECT_FALSE(j.contains("password_hash"));
  EXPECT_EQ(json::parse(run_keel(g + "user list").out)["items"][1]["disabled"], true);
  ASSERT_EQ(run_keel(g + "user enable bob").code, 0);
  EXPECT_EQ(json::parse(run_keel(g + "user list").out)["items"][1]["disabled"], false);
  EXPECT_EQ(run_keel(g + "user disable nobody").code, 3);  // not found

  r = run_keel_stdin("a new long passphrase", g + "user passwd bob --password-stdin");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out), json::parse(R"({"password_changed": true, "username": "bob"})"));
  EXPECT_EQ(run_keel_stdin("short", g + "user passwd bob --password-stdin").code, 1);
  EXPECT_EQ(run_keel_stdin("a new long passphrase", g + "user passwd nobody --password-stdin").code, 3);
  EXPECT_EQ(run_keel(g + "user passwd bob").code, 2);
}

TEST(UserCli, ServeRefusesAnInMemoryStore) {
  const auto r = run_keel("--db :memory: serve --port 0 --no-log");
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("database file"), std::string::npos) << r.err;
}

}  // namespace
