// The tag registry and position labels: positions.tags stays the source of truth.
#include "keel/store/tag_repository.h"

#include <gtest/gtest.h>

#include "backends.h"
#include "keel/core/error.h"
#include "keel/store/store.h"

namespace keel {
namespace {

// The same tests on every backend this binary runs (tests/store/backends.h).
class TagContract : public keel::testing::StoreBackend {};
INSTANTIATE_TEST_SUITE_P(Backends, TagContract, ::testing::ValuesIn(keel::testing::store_backends()),
                         [](const auto& info) { return info.param; });

Position stock(const char* symbol, double quantity, std::vector<std::string> tags = {}) {
  Position p;
  p.symbol = symbol;
  p.quantity = quantity;
  p.tags = std::move(tags);
  return p;
}

TEST_P(TagContract, AttachDetachAndDeleteEditThePositionsTagsColumn) {
  auto s = open_store_under_test();
  s->save_portfolio("acme", "book", {stock("AAA", 1, {"core"}), stock("BBB", 2), stock("AAA", 3)}, "test");
  s->save_portfolio("globex", "book", {stock("AAA", 1)}, "test");
  store::TagRepository& tags = s->tags();
  // The save registered the tag its positions carry, in acme's registry only.
  ASSERT_TRUE(tags.find("acme", "core").has_value());
  EXPECT_EQ(tags.find("acme", "core")->positions, 1u);
  EXPECT_FALSE(tags.find("globex", "core").has_value());
  tags.create("acme", "hedge", "protective");
  EXPECT_THROW(tags.create("acme", "hedge", ""), Error);  // conflict
  EXPECT_THROW(tags.create("acme", "a;b", ""), Error);    // the separator
  tags.create("globex", "hedge", "");                     // another tenant's registry

  EXPECT_EQ(tags.attach("acme", "book", {"AAA"}, "hedge"), 2u);
  EXPECT_EQ(tags.attach("acme", "book", {"AAA"}, "hedge"), 0u);  // already there
  auto pos = s->positions("acme", "book");
  EXPECT_EQ(pos[0].tags, (std::vector<std::string>{"core", "hedge"}));
  EXPECT_TRUE(pos[1].tags.empty());
  EXPECT_EQ(pos[2].tags, (std::vector<std::string>{"hedge"}));
  EXPECT_TRUE(s->positions("globex", "book")[0].tags.empty());
  EXPECT_EQ(tags.find("acme", "hedge")->positions, 2u);
  EXPECT_EQ(tags.find("globex", "hedge")->positions, 0u);

  // A missing symbol changes nothing.
  try {
    tags.attach("acme", "book", {"BBB", "ZZZ"}, "hedge");
    ADD_FAILURE() << "expected not_found";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
    ASSERT_EQ(e.details().size(), 1u);
    EXPECT_NE(e.details()[0].find("ZZZ"), std::string::npos);
  }
  EXPECT_TRUE(s->positions("acme", "book")[1].tags.empty());

  EXPECT_EQ(tags.detach("acme", "book", {"AAA"}, "hedge"), 2u);
  EXPECT_EQ(s->positions("acme", "book")[0].tags, (std::vector<std::string>{"core"}));

  EXPECT_EQ(tags.set_strategy("acme", "book", {"BBB"}, "carry"), 1u);
  EXPECT_EQ(s->positions("acme", "book")[1].strategy, "carry");

  EXPECT_THROW(tags.create("acme", "core", ""), Error);  // registered by the save
  EXPECT_EQ(tags.remove("acme", "core"), std::optional<std::size_t>(1));
  EXPECT_TRUE(s->positions("acme", "book")[0].tags.empty());
  EXPECT_FALSE(tags.remove("acme", "core"));
  ASSERT_EQ(tags.list("acme").size(), 1u);
  EXPECT_EQ(tags.list("acme")[0].name, "hedge");
}

}  // namespace
}  // namespace keel
