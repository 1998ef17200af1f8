// GET/PUT /api/v1/me/preferences: what a user chose in one browser, read back from another
// sign-in; each user's own; bad values named; "" clears one; audited.
#include <gtest/gtest.h>

#include "server_fixture.h"

namespace keel::server::testing {
namespace {

using nlohmann::json;

class PreferencesRoutesTest : public ServerFixture {};

TEST_F(PreferencesRoutesTest, ChosenOnceAndReadBackFromAnotherSignInEachUsersOwn) {
  const std::string ana = login("ana");
  auto r = get(ana, "/api/v1/me/preferences");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["preferences"], json::object()) << "nothing chosen yet";

  r = put(ana, "/api/v1/me/preferences", R"({"locale": "de-DE", "theme": "dark", "reporting_currency": "EUR"})");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["preferences"], (json{{"locale", "de-DE"}, {"theme", "dark"}, {"reporting_currency", "EUR"}}));

  // Another browser: a new sign-in of the same user sees them; another user does not.
  r = get(login("ana"), "/api/v1/me/preferences");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["user"], "ana");
  EXPECT_EQ(body(r)["tenant"], "acme");
  EXPECT_EQ(body(r)["preferences"]["locale"], "de-DE");
  EXPECT_EQ(body(get(login("mgr"), "/api/v1/me/preferences"))["preferences"], json::object());

  // A member given replaces one; "" clears one; the others stay.
  r = put(ana, "/api/v1/me/preferences", R"({"theme": "", "lot_method": "hifo"})");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(body(r)["preferences"], (json{{"locale", "de-DE"}, {"reporting_currency", "EUR"}, {"lot_method", "hifo"}}));

  // A viewer keeps preferences too.
  EXPECT_EQ(put(login("view"), "/api/v1/me/preferences", R"({"theme": "light"})")->status, 200);

  const auto actions = audit_actions(login("root"), "preferences.");
  EXPECT_EQ(actions, (std::vector<std::string>{"preferences.update:user/ana", "preferences.update:user/ana",
                                               "preferences.update:user/view"}));
}

TEST_F(PreferencesRoutesTest, BadValuesAreNamedAndNothingIsSaved) {
  const std::string ana = login("ana");
  auto r = put(ana, "/api/v1/me/preferences",
               R"({"locale": "fr-FR", "theme": "blue", "reporting_currency": "eur", "lot_method": "random"})");
  ASSERT_EQ(r->status, 400) << r->body;
  const json details = body(r)["error"]["details"];
  ASSERT_EQ(details.size(), 4u) << r->body;
  EXPECT_EQ(details[0], "locale: expected en-US or de-DE, got \"fr-FR\"");
  EXPECT_EQ(details[1], "theme: expected light, dark or system, got \"blue\"");
  EXPECT_EQ(details[2], "lot_method: expected fifo, lifo, hifo, average or specific, got \"random\"");
  EXPECT_EQ(details[3], "reporting_currency: expected an ISO 4217 code such as EUR, got \"eur\"");
  r = put(ana, "/api/v1/me/preferences", R"({"language": "de"})");
  ASSERT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("language\\\": not a field of this request"), std::string::npos) << r->body;
  EXPECT_EQ(body(get(ana, "/api/v1/me/preferences"))["preferences"], json::object());
  EXPECT_EQ(client()->Get("/api/v1/me/preferences")->status, 401);
}

}  // namespace
}  // namespace keel::server::testing
