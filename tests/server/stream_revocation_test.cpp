// Revocation reaches open event streams (issue 57): a stream of GET /api/v1/events or of a job's
// events belongs to the token that opened it, and ends with `event: revoked` within a second of a
// sign-out of that token, a disable of its user, a role change or a password change — through the
// API of this server or by the keel command on the store — while another user's streams, and the
// same user's streams of another token after a sign-out, go on.
#include <gtest/gtest.h>

#include <functional>
#include <mutex>

#include "keel/service/users.h"
#include "server_fixture.h"

namespace keel::server::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// One stream read on its own thread until the server ends it or stop() is called.
class Stream {
 public:
  Stream(std::unique_ptr<HttpClient> client, std::string token, std::string path)
      : client_(std::move(client)), token_(std::move(token)), path_(std::move(path)) {
    thread_ = std::thread([this] {
      (void)client_->Get(path_, {{"Authorization", "Bearer " + token_}}, [this](const char* data, std::size_t n) {
        std::lock_guard lock(mutex_);
        text_.append(data, n);
        return !stop_;
      });
      std::lock_guard lock(mutex_);
      ended_ = true;
      ended_at_ = std::chrono::steady_clock::now();
    });
  }
  ~Stream() { stop(); }
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    if (thread_.joinable()) thread_.join();
  }
  std::string text() {
    std::lock_guard lock(mutex_);
    return text_;
  }
  bool ended() {
    std::lock_guard lock(mutex_);
    return ended_;
  }
  std::chrono::steady_clock::time_point ended_at() {
    std::lock_guard lock(mutex_);
    return ended_at_;
  }
  // Polls `done` for up to `timeout`.
  static bool wait_for(const std::function<bool()>& done, std::chrono::milliseconds timeout = 10s) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
      if (done()) return true;
      std::this_thread::sleep_for(5ms);
    }
    return done();
  }
  bool shows(const std::string& needle) {
    return wait_for([&] { return text().find(needle) != std::string::npos; });
  }

 private:
  std::unique_ptr<HttpClient> client_;
  std::string token_, path_;
  std::mutex mutex_;
  std::string text_;   // guarded by mutex_
  bool stop_ = false;  // guarded by mutex_
  bool ended_ = false;  // guarded by mutex_
  std::chrono::steady_clock::time_point ended_at_;  // guarded by mutex_
  std::thread thread_;
};

class StreamRevocation : public ServerFixture {
 protected:
  void SetUp() override {
    auto c = test_config(db_ = temp_db_path());
    c.stream_heartbeat_seconds = 1;
    // The revocation journal as keel serve reads it (the fixture's default reads it on every request).
    c.auth_cache.poll_interval = 250ms;
    start_server(c, true);
  }
  std::int64_t user_id(const std::string& admin, const std::string& name) {
    // acme's users (named, so that PostgreSQL's row-level security shows them to the admin too).
    const json page = body(get(admin, "/api/v1/users?tenant=acme&limit=200"));  // kept alive: the loop reads into it
    for (const auto& u : page["items"]) {
      if (u["username"] == name) return u["id"].get<std::int64_t>();
    }
    ADD_FAILURE() << "no user " << name;
    return 0;
  }
  // Expects `s` to end with `event: revoked` within 1 s of `since`.
  static void expect_revoked_within_a_second(Stream& s, std::chrono::steady_clock::time_point since) {
    ASSERT_TRUE(Stream::wait_for([&] { return s.ended(); }, 5s)) << "the stream is still open: " << s.text();
    EXPECT_LT(s.ended_at() - since, 1s);
    EXPECT_NE(s.text().find("event: revoked\ndata: {\"reason\":\"revoked\"}"), std::string::npos) << s.text();
    EXPECT_EQ(s.text().find("portfolio.changed"), std::string::npos) << s.text();
  }
};

TEST_F(StreamRevocation, DisablingAUserEndsItsStreamsWithinASecondAndOnlyItsOwn) {
  const std::string root = login("root");
  const std::string view = login("view");
  const std::string ana = login("ana");
  const std::string other = login("other");
  Stream viewer(client(), view, "/api/v1/events");
  Stream analyst(client(), ana, "/api/v1/events");
  Stream outsider(client(), other, "/api/v1/events");
  ASSERT_TRUE(viewer.shows(": portfolio changes"));
  ASSERT_TRUE(analyst.shows(": portfolio changes"));
  ASSERT_TRUE(outsider.shows(": portfolio changes"));

  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(post(root, "/api/v1/users/" + std::to_string(user_id(root, "view")) + "/disable", "")->status, 200);
  expect_revoked_within_a_second(viewer, t0);

  // A change after the disable reaches the others' streams, and nothing more the disabled user's.
  const auto id = create_portfolio(root, "book");
  ASSERT_EQ(post(root, "/api/v1/portfolios/" + std::to_string(id) + "/positions", "symbol,quantity\nAAA,1\n",
                 "text/csv")
                ->status,
            200);
  EXPECT_TRUE(analyst.shows("event: portfolio.changed")) << analyst.text();
  EXPECT_FALSE(analyst.ended());
  EXPECT_FALSE(outsider.ended());
  EXPECT_EQ(get(view, "/api/v1/auth/me")->status, 401);
}

TEST_F(StreamRevocation, SigningOutEndsThatTokensStreamsAndNotTheUsersOtherToken) {
  const std::string first = login("ana");
  const std::string second = login("ana");
  Stream signed_out(client(), first, "/api/v1/events");
  Stream kept(client(), second, "/api/v1/events");
  ASSERT_TRUE(signed_out.shows(": portfolio changes"));
  ASSERT_TRUE(kept.shows(": portfolio changes"));

  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(post(first, "/api/v1/auth/logout", "")->status, 200);
  expect_revoked_within_a_second(signed_out, t0);
  // A heartbeat later the other token's stream is open.
  EXPECT_TRUE(kept.shows(": keep-alive")) << kept.text();
  EXPECT_FALSE(kept.ended());
}

TEST_F(StreamRevocation, ARoleChangeEndsTheUsersJobAndTenantStreams) {
  // No job thread: the job the analyst watches stays queued, so only a revocation ends its stream.
  ServerConfig c = config_;
  c.job_workers = 0;
  restart(c);
  const std::string mgr = login("mgr");
  const std::string ana = login("ana");
  const std::string view = login("view");
  auto r = post(ana, "/api/v1/jobs", R"({"kind":"batch.var","request":{"options":{"method":"parametric"}}})");
  ASSERT_EQ(r->status, 202) << r->body;
  const auto job = body(r)["id"].get<std::int64_t>();
  Stream job_stream(client(), ana, "/api/v1/jobs/" + std::to_string(job) + "/events");
  Stream tenant_stream(client(), ana, "/api/v1/events");
  Stream viewer(client(), view, "/api/v1/events");
  ASSERT_TRUE(tenant_stream.shows(": portfolio changes"));
  ASSERT_TRUE(viewer.shows(": portfolio changes"));
  ASSERT_TRUE(job_stream.shows("event: "));

  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(post(mgr, "/api/v1/users/" + std::to_string(user_id(login("root"), "ana")) + "/role",
                 R"({"role":"viewer"})")
                ->status,
            200);
  for (Stream* s : {&job_stream, &tenant_stream}) {
    ASSERT_TRUE(Stream::wait_for([&] { return s->ended(); }, 5s)) << s->text();
    EXPECT_LT(s->ended_at() - t0, 1s);
    EXPECT_NE(s->text().find("event: revoked"), std::string::npos) << s->text();
  }
  EXPECT_FALSE(viewer.ended());
}

// The keel command changes the store behind the server's back: the server learns it from the
// revocation journal (read at most every 250 ms) and its streams end within a second.
TEST_F(StreamRevocation, APasswordSetByTheKeelCommandEndsTheStreamsThroughTheJournal) {
  const std::string ana = login("ana");
  const std::string view = login("view");
  Stream analyst(client(), ana, "/api/v1/events");
  Stream viewer(client(), view, "/api/v1/events");
  ASSERT_TRUE(analyst.shows(": portfolio changes"));
  ASSERT_TRUE(viewer.shows(": portfolio changes"));
  auto store = open_store(db_);
  service::Context cx{store.get()};
  cx.actor = service::operator_actor();
  const PasswordHasher hasher(PasswordCost::minimum());
  const std::string hash = hasher.hash("a brand new password");
  service::set_user_password(cx, {std::nullopt, "ana", std::nullopt}, "a brand new password",
                             [&](const std::string&) { return hash; });
  const auto t0 = std::chrono::steady_clock::now();  // the change is committed
  expect_revoked_within_a_second(analyst, t0);
  EXPECT_FALSE(viewer.ended());
}

}  // namespace
}  // namespace keel::server::testing
