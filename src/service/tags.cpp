// Tag use cases (keel/service/tags.h).
#include "keel/service/tags.h"

#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "keel/store/store.h"
#include "keel/store/tag_repository.h"

namespace keel::service {
namespace {

TagResult tag_of(const store::TagRecord& t) { return {t.id, t.name, t.description, t.created_at, t.positions}; }

}  // namespace

std::vector<TagResult> list_tags(const Context& cx, const std::string& tenant) {
  std::vector<TagResult> out;
  for (const auto& t : require_store(cx, "tags").tags().list(tenant)) {
    out.push_back(tag_of(t));
  }
  return out;
}

TagResult create_tag(const Context& cx, const TagCreateRequest& req) {
  return tag_of(require_store(cx, "tags").tags().create(req.tenant, req.name, req.description));
}

TagDeleteResult delete_tag(const Context& cx, const std::string& tenant, const std::string& name) {
  const auto changed = require_store(cx, "tags").tags().remove(tenant, name);
  if (!changed) throw Error::not_found("no tag named " + shown_with(name, 64, '\''));
  return {true, name, *changed};
}

TagPositionsResult tag_positions(const Context& cx, const TagPositionsRequest& req) {
  if (req.symbols.empty()) throw Error::invalid_input("invalid tag request", {"symbols: expected at least one symbol"});
  if (req.tag.empty()) throw Error::invalid_input("invalid tag request", {"tag: expected a tag name"});
  store::TagRepository& repo = require_store(cx, "tags").tags();
  TagPositionsResult out;
  out.tag = req.tag;
  out.symbols = req.symbols;
  out.positions_changed = req.attach ? repo.attach(req.tenant, req.portfolio, req.symbols, req.tag)
                                     : repo.detach(req.tenant, req.portfolio, req.symbols, req.tag);
  return out;
}

StrategyResult set_strategy(const Context& cx, const StrategyRequest& req) {
  if (req.symbols.empty()) {
    throw Error::invalid_input("invalid strategy request", {"symbols: expected at least one symbol"});
  }
  StrategyResult out;
  out.strategy = req.strategy;
  out.symbols = req.symbols;
  out.positions_changed =
      require_store(cx, "strategies").tags().set_strategy(req.tenant, req.portfolio, req.symbols, req.strategy);
  return out;
}

}  // namespace keel::service
