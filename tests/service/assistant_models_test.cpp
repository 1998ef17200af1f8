// The assistant's model listing and the LM Studio provider a fresh store offers
// (keel/service/assistant_providers.h, docs/assistant.md): the listing goes to the provider's own
// base URL through the same policy and outbound guard as a question; the built-in lmstudio
// provider is the default tenant's default, refused under keel serve's guard until an
// administrator lists its host, and gives the default up to the first provider an admin adds.
#include <gtest/gtest.h>

#include "../support/fake_llm.h"
#include "keel/core/error.h"
#include "keel/net/outbound.h"
#include "keel/service/assistant_providers.h"
#include "keel/service/assistant_user.h"
#include "keel/store/store.h"

namespace keel::service {
namespace {

using keel::testing::FakeLlm;

class AssistantModels : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = open_store(":memory:");
    cx_.store = store_.get();
    viewer_.tenant = "default";
    viewer_.username = "vic";
    viewer_.role = "viewer";
  }
  // What keel serve enforces: the outbound guard.
  Context guarded() const {
    Context out = cx_;
    out.outbound.enforce = true;
    return out;
  }
  Context as_admin(const Context& base) const {
    Context out = base;
    out.actor.user = "root";
    out.actor.role = Role::kAdmin;
    return out;
  }
  std::unique_ptr<Store> store_;
  Context cx_;
  AssistantUser viewer_;
};

TEST_F(AssistantModels, AFreshStoreOffersLmStudioDisabledUntilAnAdminAllowsItsHost) {
  auto listed = assistant_provider_list(guarded(), viewer_);
  ASSERT_EQ(listed.items.size(), 1u);
  const ProviderResult& lm = listed.items[0];
  EXPECT_EQ(lm.name, "lmstudio");
  EXPECT_EQ(lm.format, "openai");
  EXPECT_EQ(lm.base_url, "http://127.0.0.1:1234/v1");
  EXPECT_EQ(lm.host, "127.0.0.1:1234");
  EXPECT_TRUE(lm.local);
  EXPECT_FALSE(lm.key.has_value());
  EXPECT_TRUE(lm.is_default);
  // Under the server's guard: not allowed, saying how to allow it; the listing is refused before
  // anything is sent.
  EXPECT_FALSE(lm.allowed);
  ASSERT_TRUE(lm.refused_because.has_value());
  EXPECT_NE(lm.refused_because->find("outbound request refused"), std::string::npos) << *lm.refused_because;
  EXPECT_NE(lm.refused_because->find("keel assistant policy set --allow-host 127.0.0.1:1234"), std::string::npos)
      << *lm.refused_because;
  try {
    assistant_provider_models(guarded(), viewer_, "lmstudio");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kForbidden);
    EXPECT_NE(std::string(e.what()).find("loopback"), std::string::npos) << e.what();
  }
  // The keel command (no guard) offers it as it is.
  EXPECT_TRUE(assistant_provider_list(cx_, viewer_).items[0].allowed);
  // An administrator lists the host: allowed.
  AssistantPolicyRequest p;
  p.allowed_hosts = std::vector<std::string>{"127.0.0.1:1234"};
  set_assistant_policy(as_admin(guarded()), p);
  listed = assistant_provider_list(guarded(), viewer_);
  EXPECT_TRUE(listed.items[0].allowed);
  EXPECT_FALSE(listed.items[0].refused_because.has_value());
  // Other tenants get no provider of their own.
  AssistantUser other = viewer_;
  other.tenant = "acme";
  EXPECT_TRUE(assistant_provider_list(guarded(), other).items.empty());
}

TEST_F(AssistantModels, TheFirstProviderAnAdminAddsTakesTheDefaultFromLmStudio) {
  FakeLlm fake;
  ProviderAddRequest r;
  r.name = "local";
  r.base_url = fake.openai_url();
  r.model = "m";
  assistant_provider_add(as_admin(cx_), r);
  auto listed = assistant_provider_list(cx_, viewer_);
  ASSERT_EQ(listed.items.size(), 2u);
  EXPECT_EQ(listed.items[0].name, "lmstudio");
  EXPECT_FALSE(listed.items[0].is_default);
  EXPECT_EQ(listed.items[1].name, "local");
  EXPECT_TRUE(listed.items[1].is_default);
  // A second one does not.
  r.name = "second";
  assistant_provider_add(as_admin(cx_), r);
  for (const auto& item : assistant_provider_list(cx_, viewer_).items) EXPECT_EQ(item.is_default, item.name == "local");
}

// A viewer lists the models of the tenant's provider (LM Studio's /v1/models, in the OpenAI
// format); the request goes to the provider's base URL and nowhere the viewer names.
TEST_F(AssistantModels, AViewerListsTheModelsOfTheTenantsProvider) {
  FakeLlm fake;
  fake.push(FakeLlm::openai_models({{"qwen2.5-7b-instruct", 1715367049, "organization_owner"},
                                    {"text-embedding-nomic-embed-text-v1.5", 1715367049, "organization_owner"}}));
  ProviderAddRequest r;
  r.name = "lmstudio";  // the administrator points the built-in one at the machine's server
  r.base_url = fake.openai_url();
  r.model = "qwen2.5-7b-instruct";
  assistant_provider_add(as_admin(cx_), r);
  AssistantPolicyRequest p;
  p.allowed_hosts = std::vector<std::string>{net::host_for_policy(fake.openai_url())};
  set_assistant_policy(as_admin(guarded()), p);
  const auto out = assistant_provider_models(guarded(), viewer_, "lmstudio");
  EXPECT_EQ(out.name, "lmstudio");
  EXPECT_EQ(out.model, "qwen2.5-7b-instruct");
  EXPECT_EQ(out.host, net::host_for_policy(fake.openai_url()));
  ASSERT_EQ(out.items.size(), 2u);
  EXPECT_EQ(out.items[0].id, "qwen2.5-7b-instruct");
  EXPECT_TRUE(out.items[0].current);
  EXPECT_EQ(out.items[0].created_at, "2024-05-10T18:50:49Z");  // 1715367049 s, by Python's datetime
  EXPECT_FALSE(out.items[1].current);
  ASSERT_EQ(fake.requests().size(), 1u);
  EXPECT_EQ(fake.requests()[0].path, "/v1/models");
  EXPECT_EQ(fake.requests()[0].header("Authorization"), "");  // no key: none sent
  EXPECT_THROW(assistant_provider_models(guarded(), viewer_, "nope"), Error);
}

}  // namespace
}  // namespace keel::service
