// A tenant's webhooks and their deliveries (keel/store/webhook_repository.h, migration 99) on
// every backend: a delivery is kept once per (webhook, event) however often it is enqueued, a due
// delivery is leased by one sender until its lease lapses, the sender reads every tenant's due
// deliveries and enabled webhooks, and a tenant sees only its own. A disabled webhook's deliveries
// wait until it is enabled, and no id is ever handed out twice (it is the message's webhook-id).
#include <gtest/gtest.h>

#include "backends.h"
#include "keel/store/store.h"
#include "keel/store/webhook_repository.h"

namespace keel::store {
namespace {

class WebhookContract : public keel::testing::StoreBackend {};
INSTANTIATE_TEST_SUITE_P(Backends, WebhookContract, ::testing::ValuesIn(keel::testing::store_backends()),
                         [](const auto& info) { return info.param; });

WebhookRecord hook(const std::string& tenant, const std::string& url) {
  WebhookRecord h;
  h.tenant = tenant;
  h.url = url;
  h.events = "*";
  h.secret = "whsec_c2VjcmV0";
  h.created_by = "mgr";
  return h;
}

WebhookDelivery delivery(const WebhookRecord& h, std::int64_t event_id) {
  WebhookDelivery d;
  d.tenant = h.tenant;
  d.webhook_id = h.id;
  d.event_id = event_id;
  d.event = "job.finished";
  d.payload = R"({"type":"job.finished"})";
  return d;
}

TEST_P(WebhookContract, DeliveriesAreKeptOnceLeasedOnceAndSeenByTheirTenantOnly) {
  auto s = open_store_under_test();
  WebhookRepository& repo = s->webhooks();
  const auto acme = repo.add(hook("acme", "https://hooks.acme.example/k"));
  const auto globex = repo.add(hook("globex", "https://hooks.globex.example/k"));
  EXPECT_EQ(repo.list("acme").size(), 1u);
  EXPECT_FALSE(repo.find("globex", acme.id));  // another tenant's webhook is not there
  EXPECT_EQ(repo.enabled().size(), 2u);        // the sender sees every tenant's

  EXPECT_TRUE(repo.enqueue(delivery(acme, 7), 1000));
  EXPECT_FALSE(repo.enqueue(delivery(acme, 7), 1000));  // another server enqueued it first
  EXPECT_TRUE(repo.enqueue(delivery(globex, 7), 1000));
  EXPECT_TRUE(repo.enqueue(delivery(acme, 8), 5000));   // not due before 5,000

  auto leased = repo.lease_due(1000, 40, 10);
  ASSERT_EQ(leased.size(), 2u);
  EXPECT_TRUE(repo.lease_due(1001, 40, 10).empty());    // leased: nobody else takes them
  // The acme delivery fails and is due again at 1,030; the globex one is delivered.
  for (const auto& d : leased) {
    if (d.tenant == "acme") repo.record_attempt("acme", d.id, 503, "the endpoint answered 503", "pending", 1030);
    else repo.record_attempt("globex", d.id, 200, "", "delivered", 1000);
  }
  leased = repo.lease_due(1030, 40, 10);
  ASSERT_EQ(leased.size(), 1u);
  EXPECT_EQ(leased[0].tenant, "acme");
  EXPECT_EQ(leased[0].attempts, 1);
  EXPECT_EQ(leased[0].last_status, std::optional<int>(503));
  // A lease that lapses (its server stopped mid-post) makes the delivery due again.
  EXPECT_EQ(repo.lease_due(1071, 40, 10).size(), 1u);

  const auto listed = repo.deliveries("acme", acme.id, 10);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].event_id, 8);  // newest first
  EXPECT_TRUE(repo.deliveries("globex", acme.id, 10).empty());

  // Retention: the globex delivery (delivered at 1,000) goes; the pending acme ones stay.
  EXPECT_EQ(repo.prune(1001), 1u);
  EXPECT_TRUE(repo.deliveries("globex", globex.id, 10).empty());
  EXPECT_EQ(repo.deliveries("acme", acme.id, 10).size(), 2u);

  repo.set_disabled("acme", acme.id, true, "the endpoint answered 410 Gone");
  EXPECT_EQ(repo.enabled().size(), 1u);
  EXPECT_EQ(repo.find("acme", acme.id)->disabled_reason, "the endpoint answered 410 Gone");
  EXPECT_TRUE(repo.remove("acme", acme.id));
  EXPECT_TRUE(repo.deliveries("acme", acme.id, 10).empty());  // its deliveries went with it
  EXPECT_FALSE(repo.remove("acme", acme.id));
}

TEST_P(WebhookContract, ADisabledWebhooksDeliveriesWaitAndNoIdIsHandedOutTwice) {
  auto s = open_store_under_test();
  WebhookRepository& repo = s->webhooks();
  const auto a = repo.add(hook("acme", "https://hooks.acme.example/a"));
  const auto b = repo.add(hook("acme", "https://hooks.acme.example/b"));
  ASSERT_TRUE(repo.enqueue(delivery(a, 1), 1000));
  ASSERT_TRUE(repo.enqueue(delivery(b, 1), 1000));
  repo.set_disabled("acme", a.id, true, "the endpoint answered 410 Gone");
  // Only b's is leased; a's waits, pending, however late it gets.
  auto leased = repo.lease_due(1000, 40, 10);
  ASSERT_EQ(leased.size(), 1u);
  EXPECT_EQ(leased[0].webhook_id, b.id);
  repo.record_attempt("acme", leased[0].id, 200, "", "delivered", 1000);
  EXPECT_TRUE(repo.lease_due(90000, 40, 10).empty());
  EXPECT_EQ(repo.deliveries("acme", a.id, 10).at(0).status, "pending");
  // Enabled again, it goes.
  repo.set_disabled("acme", a.id, false, "");
  leased = repo.lease_due(90000, 40, 10);
  ASSERT_EQ(leased.size(), 1u);
  EXPECT_EQ(leased[0].webhook_id, a.id);

  // The newest webhook deleted with its deliveries: the next webhook and delivery get new ids, so
  // a receiver that remembers msg_<id> never takes a new message for one it has handled.
  const auto newest_delivery = repo.deliveries("acme", b.id, 10).at(0).id;
  ASSERT_TRUE(repo.enqueue(delivery(b, 2), 1000));
  const auto last_delivery = repo.deliveries("acme", b.id, 10).at(0).id;
  EXPECT_GT(last_delivery, newest_delivery);
  ASSERT_TRUE(repo.remove("acme", b.id));
  const auto c = repo.add(hook("acme", "https://hooks.acme.example/c"));
  EXPECT_GT(c.id, b.id);
  ASSERT_TRUE(repo.enqueue(delivery(c, 3), 1000));
  EXPECT_GT(repo.deliveries("acme", c.id, 10).at(0).id, last_delivery);
}

}  // namespace
}  // namespace keel::store
