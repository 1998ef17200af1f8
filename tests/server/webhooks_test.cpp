// A tenant's webhooks end to end: keel serve posts the tenant's events to a receiver on loopback,
// signed as the Standard Webhooks specification says (the receiver checks each signature with its
// own HMAC), retries an endpoint that fails until it answers 2xx, stops at a 410, never posts one
// tenant's events to another's webhook, and keeps every delivery where the tenant's managers see it.
#include <gtest/gtest.h>

#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "keel/store/webhook_repository.h"
#include "server_fixture.h"

namespace keel::server::testing {
namespace {

using nlohmann::json;

// A webhook receiver: records each request; answers `failures` times 503 (or `status`), then 200.
class Receiver {
 public:
  struct Request {
    std::string path;
    std::string id;
    std::string timestamp;
    std::string signature;
    std::string body;
  };
  Receiver() {
    server_.Post(R"(/hooks/(\w+))", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      requests_.push_back({req.path, req.get_header_value("webhook-id"), req.get_header_value("webhook-timestamp"),
                           req.get_header_value("webhook-signature"), req.body});
      if (failures_ > 0) {
        --failures_;
        res.status = status_;
      } else {
        res.status = 200;
      }
      res.set_content("ok", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }
  std::string url(const std::string& name) const { return "http://127.0.0.1:" + std::to_string(port_) + "/hooks/" + name; }
  void fail(int times, int status = 503) {
    std::lock_guard lock(mutex_);
    failures_ = times;
    status_ = status;
  }
  std::vector<Request> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  bool wait_for(std::size_t n) {
    for (int i = 0; i < 1000; ++i) {
      if (requests().size() >= n) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mutex_;
  std::vector<Request> requests_;
  int failures_ = 0;
  int status_ = 503;
};

// The receiver's check, written from the specification: HMAC-SHA256 keyed with the base64-decoded
// part of the secret after "whsec_", over "id.timestamp.body", base64, after "v1,".
std::string expected_signature(const std::string& secret, const Receiver::Request& r) {
  const std::string b64 = secret.substr(6);
  std::string key(b64.size(), '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(key.data()),
                                reinterpret_cast<const unsigned char*>(b64.data()), static_cast<int>(b64.size()));
  key.resize(static_cast<std::size_t>(n) - (b64.ends_with("==") ? 2 : b64.ends_with("=") ? 1 : 0));
  const std::string message = r.id + "." + r.timestamp + "." + r.body;
  unsigned char mac[32];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
       message.size(), mac, &len);
  std::string out(44, '\0');
  EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), mac, 32);
  return "v1," + out;
}

class WebhooksTest : public ServerFixture {
 protected:
  void SetUp() override {
    auto c = test_config(db_ = temp_db_path());
    c.webhooks.policy.allowed_hosts = {"127.0.0.1:" + std::to_string(receiver_.port())};
    c.webhooks.retry_base_seconds = 0.05;
    c.webhooks.max_attempts = 4;
    c.webhook_poll_seconds = 0.02;
    start_server(c, true);
    import_synthetic_prices();
  }
  json add_hook(const std::string& token, const std::string& name, const json& events) {
    auto r = post(token, "/api/v1/webhooks", json{{"url", receiver_.url(name)}, {"events", events}}.dump());
    EXPECT_EQ(r->status, 201) << r->body;
    return body(r);
  }
  void import_positions(const std::string& token, std::int64_t id) {
    ASSERT_EQ(post(token, "/api/v1/portfolios/" + std::to_string(id) + "/positions", "symbol,quantity\nAAA,100\n",
                   "text/csv")
                  ->status,
              200);
  }
  json deliveries(const std::string& token, std::int64_t hook) {
    return body(get(token, "/api/v1/webhooks/" + std::to_string(hook) + "/deliveries"));
  }
  // Polls the deliveries until `done` holds (10 s at most).
  json wait_deliveries(const std::string& token, std::int64_t hook, const std::function<bool(const json&)>& done) {
    json d;
    for (int i = 0; i < 500; ++i) {
      d = deliveries(token, hook);
      if (done(d)) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return d;
  }

  Receiver receiver_;
};

TEST_F(WebhooksTest, ATenantsEventsArePostedSignedToItsWebhooksOnly) {
  const std::string mgr = login("mgr");
  const std::string other = login("other");
  const json hook = add_hook(mgr, "acme", {"portfolio.changed"});
  const std::string secret = hook["secret"];
  EXPECT_TRUE(secret.starts_with("whsec_")) << secret;
  add_hook(other, "globex", {"*"});
  // The list never shows the secret again.
  const json listed = body(get(mgr, "/api/v1/webhooks"));
  ASSERT_EQ(listed["items"].size(), 1u);
  EXPECT_FALSE(listed["items"][0].contains("secret"));
  EXPECT_EQ(listed["items"][0]["events"], json({"portfolio.changed"}));
  // The store keeps no secret: the tenant's key vault holds it sealed, as webhook.ID.
  const auto hook_id = hook["id"].get<std::int64_t>();
  EXPECT_EQ(open_store(config_.db_path)->webhooks().find("acme", hook_id)->secret, "");
  const json keys = body(get(login("root"), "/api/v1/keys"));
  EXPECT_NE(keys.dump().find("\"webhook." + std::to_string(hook_id) + "\""), std::string::npos) << keys.dump();
  EXPECT_EQ(keys.dump().find(secret.substr(6)), std::string::npos);

  const auto id = create_portfolio(mgr, "book");
  import_positions(mgr, id);
  ASSERT_TRUE(receiver_.wait_for(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // nothing else may come
  const auto got = receiver_.requests();
  ASSERT_EQ(got.size(), 1u);  // acme's change; globex's webhook hears nothing of it
  const auto& r = got[0];
  EXPECT_EQ(r.path, "/hooks/acme");
  const json payload = json::parse(r.body);
  EXPECT_EQ(payload["type"], "portfolio.changed");
  EXPECT_EQ(payload["tenant"], "acme");
  EXPECT_EQ(payload["data"], (json{{"portfolio_id", id}, {"portfolio", "book"}, {"what", "positions"}}));
  EXPECT_EQ(r.signature, expected_signature(secret, r));
  EXPECT_NE(r.signature, expected_signature("whsec_" + std::string(44, 'A').replace(43, 1, "="), r));
  EXPECT_TRUE(r.id.starts_with("msg_"));
  EXPECT_NEAR(std::stoll(r.timestamp), std::chrono::duration_cast<std::chrono::seconds>(
                                            std::chrono::system_clock::now().time_since_epoch())
                                            .count(),
              30);

  const json d = wait_deliveries(mgr, hook["id"], [](const json& d) { return d["items"].size() == 1 && d["items"][0]["status"] == "delivered"; });
  ASSERT_EQ(d["items"].size(), 1u) << d.dump();
  EXPECT_EQ(d["items"][0]["status"], "delivered");
  EXPECT_EQ(d["items"][0]["attempts"], 1);
  EXPECT_EQ(d["items"][0]["last_status"], 200);
  EXPECT_EQ(d["items"][0]["payload"], payload);
  EXPECT_EQ("msg_" + std::to_string(d["items"][0]["id"].get<std::int64_t>()), r.id);
  // Another tenant's manager does not see acme's webhook.
  EXPECT_EQ(get(other, "/api/v1/webhooks/" + std::to_string(hook["id"].get<std::int64_t>()) + "/deliveries")->status,
            404);
}

TEST_F(WebhooksTest, AFailingEndpointIsRetriedWithTheSameIdUntilItAnswers) {
  const std::string mgr = login("mgr");
  const json hook = add_hook(mgr, "flaky", {"*"});
  receiver_.fail(2);  // 503, 503, then 200
  import_positions(mgr, create_portfolio(mgr, "book"));
  ASSERT_TRUE(receiver_.wait_for(3));
  const auto got = receiver_.requests();
  EXPECT_EQ(got[0].id, got[1].id);  // one message, three attempts
  EXPECT_EQ(got[1].id, got[2].id);
  EXPECT_EQ(got[0].body, got[2].body);
  const json d = wait_deliveries(mgr, hook["id"], [](const json& d) { return !d["items"].empty() && d["items"][0]["status"] == "delivered"; });
  EXPECT_EQ(d["items"][0]["status"], "delivered");
  EXPECT_EQ(d["items"][0]["attempts"], 3);

  // An endpoint that keeps failing: failed after max_attempts (4), its last answer kept.
  receiver_.fail(100, 500);
  import_positions(mgr, create_portfolio(mgr, "book2"));
  const json f = wait_deliveries(mgr, hook["id"], [](const json& d) { return d["items"][0]["status"] == "failed"; });
  ASSERT_EQ(f["items"][0]["status"], "failed") << f.dump();
  EXPECT_EQ(f["items"][0]["attempts"], 4);
  EXPECT_EQ(f["items"][0]["last_status"], 500);
  EXPECT_EQ(f["items"][0]["last_error"], "the endpoint answered 500");
  // A manager posts it again once the endpoint is mended.
  receiver_.fail(0);
  const auto failed_id = f["items"][0]["id"].get<std::int64_t>();
  auto r = post(mgr, "/api/v1/webhooks/" + std::to_string(hook["id"].get<std::int64_t>()) + "/deliveries/" +
                         std::to_string(failed_id) + "/redeliver",
                "");
  ASSERT_EQ(r->status, 200) << r->body;
  const json again = wait_deliveries(mgr, hook["id"], [](const json& d) { return d["items"][0]["status"] == "delivered"; });
  EXPECT_EQ(again["items"][0]["status"], "delivered");
  EXPECT_EQ(again["items"][0]["attempts"], 5);
}

TEST_F(WebhooksTest, A410DisablesTheWebhook) {
  const std::string mgr = login("mgr");
  const json hook = add_hook(mgr, "gone", {"portfolio.changed"});
  receiver_.fail(1, 410);
  import_positions(mgr, create_portfolio(mgr, "book"));
  const json d = wait_deliveries(mgr, hook["id"], [](const json& d) { return !d["items"].empty() && d["items"][0]["status"] == "failed"; });
  EXPECT_EQ(d["items"][0]["attempts"], 1);
  const json listed = body(get(mgr, "/api/v1/webhooks"));
  EXPECT_TRUE(listed["items"][0]["disabled"]);
  EXPECT_EQ(listed["items"][0]["disabled_reason"], "the endpoint answered 410 Gone");
  // Disabled: the next change is not posted.
  import_positions(mgr, create_portfolio(mgr, "book2"));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(receiver_.requests().size(), 1u);
  // Posted again while disabled, the delivery waits, pending, for the webhook...
  const auto id = hook["id"].get<std::int64_t>();
  const auto delivery_id = d["items"][0]["id"].get<std::int64_t>();
  const std::string hook_path = "/api/v1/webhooks/" + std::to_string(id);
  auto r = post(mgr, hook_path + "/deliveries/" + std::to_string(delivery_id) + "/redeliver", "");
  ASSERT_EQ(r->status, 200) << r->body;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // 15 turns of the sender
  EXPECT_EQ(receiver_.requests().size(), 1u);
  EXPECT_EQ(deliveries(mgr, id)["items"][0]["status"], "pending");
  // ...and goes once it is enabled, as the same message.
  r = patch(mgr, hook_path, R"({"disabled":false})");
  ASSERT_EQ(r->status, 200) << r->body;
  ASSERT_TRUE(receiver_.wait_for(2));
  const auto got = receiver_.requests();
  EXPECT_EQ(got[1].id, got[0].id);
  EXPECT_EQ(got[1].id, "msg_" + std::to_string(delivery_id));
  const json again = wait_deliveries(mgr, id, [](const json& d) { return d["items"][0]["status"] == "delivered"; });
  EXPECT_EQ(again["items"][0]["status"], "delivered");
  EXPECT_EQ(again["items"][0]["attempts"], 2);
}

TEST_F(WebhooksTest, AnImportsWarningsArePostedWithWhoImportedWhat) {
  const std::string mgr = login("mgr");
  add_hook(mgr, "imports", {"import.warnings"});
  const auto id = create_portfolio(mgr, "book");
  import_positions(mgr, id);  // no warning: nothing posted
  // A last line without its line ending: stored, with a warning.
  ASSERT_EQ(post(mgr, "/api/v1/portfolios/" + std::to_string(id) + "/positions", "symbol,quantity\nAAA,100",
                 "text/csv")
                ->status,
            200);
  ASSERT_TRUE(receiver_.wait_for(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto got = receiver_.requests();
  ASSERT_EQ(got.size(), 1u);
  const json payload = json::parse(got[0].body);
  EXPECT_EQ(payload["type"], "import.warnings");
  const json& data = payload["data"];
  EXPECT_EQ(data["import"], "positions");
  EXPECT_EQ(data["id"], id);
  EXPECT_EQ(data["name"], "book");
  EXPECT_EQ(data["user"], "mgr");
  EXPECT_EQ(data["count"], 1);
  ASSERT_EQ(data["warnings"].size(), 1u);
  EXPECT_NE(data["warnings"][0].get<std::string>().find("the last line has no line ending"), std::string::npos)
      << data.dump();
}

TEST_F(WebhooksTest, BadWebhooksAreRefusedAndOnlyManagersManageThem) {
  const std::string mgr = login("mgr");
  auto r = post(mgr, "/api/v1/webhooks", json{{"url", receiver_.url("x")}, {"events", {"portfolio.moved"}}}.dump());
  ASSERT_EQ(r->status, 400);
  EXPECT_EQ(body(r)["error"]["details"][0],
            "events[0]: 'portfolio.moved' is not one of job.finished, clo.breach, clo.alert, portfolio.changed, "
            "import.warnings, *");
  // http to a host the operator did not allow; a loopback address the operator did not allow.
  r = post(mgr, "/api/v1/webhooks", json{{"url", "http://hooks.example.com/x"}, {"events", {"*"}}}.dump());
  ASSERT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("expected https"), std::string::npos) << r->body;
  r = post(mgr, "/api/v1/webhooks", json{{"url", "https://127.0.0.1:9/x"}, {"events", {"*"}}}.dump());
  EXPECT_EQ(r->status, 403) << r->body;
  // An analyst may not add one.
  r = post(login("ana"), "/api/v1/webhooks", json{{"url", receiver_.url("x")}, {"events", {"*"}}}.dump());
  EXPECT_EQ(r->status, 403);
  // Audited: the creation and the deletion.
  const json hook = add_hook(mgr, "audited", {"job.finished"});
  const std::string path = "/api/v1/webhooks/" + std::to_string(hook["id"].get<std::int64_t>());
  EXPECT_EQ(del(mgr, path)->status, 200);
  EXPECT_EQ(body(get(mgr, "/api/v1/webhooks"))["items"].size(), 0u);
  const json audit = body(get(login("root"), "/api/v1/audit?tenant=acme&action=webhook.create"));
  ASSERT_FALSE(audit["items"].empty());
  EXPECT_EQ(audit["items"][0]["details"]["events"], json({"job.finished"}));
  EXPECT_EQ(audit["items"][0]["details"].dump().find("whsec_"), std::string::npos);  // no secret in the log
}

TEST_F(WebhooksTest, EventsJournaledWhileNoServerRanArePostedWhenOneStarts) {
  const std::string mgr = login("mgr");
  const json hook = add_hook(mgr, "offline", {"portfolio.changed"});
  const auto id = create_portfolio(mgr, "book");
  import_positions(mgr, id);
  ASSERT_TRUE(receiver_.wait_for(1));
  // The server stops; a change is journaled by another process (a keel import), then a server starts.
  server_.reset();
  {
    auto store = open_store(config_.db_path);
    StoredPortfolioChange change;
    change.tenant = "acme";
    change.portfolio_id = id;
    change.portfolio = "book";
    change.what = "positions";
    store->record_change(change);
  }
  start_server(config_, false);
  ASSERT_TRUE(receiver_.wait_for(2)) << "the change journaled while no server ran was not posted";
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(receiver_.requests().size(), 2u);  // each event once: the first is not posted again
  const json d = wait_deliveries(mgr, hook["id"], [](const json& d) {
    return d["items"].size() == 2 && d["items"][0]["status"] == "delivered" && d["items"][1]["status"] == "delivered";
  });
  EXPECT_EQ(d["items"].size(), 2u);
}

// A webhook whose secret a store kept in clear (made before the vault kept them): the sender
// signs with it, moves it into the tenant's key vault and empties the row; the signatures stay
// the same.
TEST_F(WebhooksTest, ASecretKeptInClearIsSealedByTheSenderAndStillSigns) {
  const std::string secret = "whsec_" + std::string("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");  // 24 bytes, base64
  std::int64_t id = 0;
  {
    auto store = open_store(config_.db_path);
    store::WebhookRecord row;
    row.tenant = "acme";
    row.url = receiver_.url("clear");
    row.events = "portfolio.changed";
    row.secret = secret;
    row.created_by = "mgr";
    id = store->webhooks().add(row).id;
  }
  const std::string mgr = login("mgr");
  import_positions(mgr, create_portfolio(mgr, "book"));
  ASSERT_TRUE(receiver_.wait_for(1));
  const auto got = receiver_.requests();
  EXPECT_EQ(got[0].signature, expected_signature(secret, got[0]));
  EXPECT_EQ(open_store(config_.db_path)->webhooks().find("acme", id)->secret, "");
  const json keys = body(get(login("root"), "/api/v1/keys"));
  EXPECT_NE(keys.dump().find("\"webhook." + std::to_string(id) + "\""), std::string::npos) << keys.dump();
  // The next delivery is signed with the same secret, now the vault's.
  import_positions(mgr, create_portfolio(mgr, "book2"));
  ASSERT_TRUE(receiver_.wait_for(2));
  const auto second = receiver_.requests();
  EXPECT_EQ(second[1].signature, expected_signature(secret, second[1]));
}

}  // namespace
}  // namespace keel::server::testing
