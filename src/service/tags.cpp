// Tag use cases (keel/service/tags.h).
#include "keel/service/tags.h"

#include <fmt/format.h>

#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "keel/service/portfolio_view.h"
#include "keel/store/store.h"
#include "keel/store/tag_repository.h"

namespace keel::service {
namespace {

TagResult tag_of(const store::TagRecord& t) { return {t.id, t.name, t.description, t.created_at, t.positions}; }

std::string tag_resource(std::string_view name) { return "tag/" + shown_with(name, 64, 0); }
std::string portfolio_resource(std::string_view name) { return "portfolio/" + shown_with(name, 200, 0); }

// Refuses a request naming no symbol, or a blank one (which no position has), every problem named.
void check_symbols(const std::vector<std::string>& symbols, const char* what) {
  if (symbols.empty()) throw Error::invalid_input(what, {"symbols: expected at least one symbol"});
  std::vector<std::string> problems;
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    if (symbols[i].find_first_not_of(" \t") == std::string::npos) {
      problems.push_back(fmt::format("symbols[{}]: expected a symbol, got a blank", i));
    }
  }
  if (!problems.empty()) throw Error::invalid_input(what, problems);
}

}  // namespace

std::vector<TagResult> list_tags(const Context& cx) {
  std::vector<TagResult> out;
  for (const auto& t : require_store(cx, "tags").tags().list(cx.actor.tenant)) {
    out.push_back(tag_of(t));
  }
  return out;
}

TagResult create_tag(const Context& cx, const TagCreateRequest& req) {
  authorize(cx, kTagCreate, tag_resource(req.name));
  auto out = tag_of(require_store(cx, "tags").tags().create(cx.actor.tenant, req.name, req.description));
  audit(cx, kTagCreate, tag_resource(out.name), {{"name", out.name}});
  return out;
}

TagDeleteResult delete_tag(const Context& cx, const std::string& name) {
  authorize(cx, kTagDelete, tag_resource(name));
  const auto changed = require_store(cx, "tags").tags().remove(cx.actor.tenant, name);
  if (!changed) throw Error::not_found("no tag named " + shown_with(name, 64, '\''));
  audit(cx, kTagDelete, tag_resource(name), {{"name", name}, {"positions", *changed}});
  return {true, name, *changed};
}

TagPositionsResult tag_positions(const Context& cx, const TagPositionsRequest& req) {
  const UseCase& use_case = req.attach ? kTagAttach : kTagDetach;
  authorize(cx, use_case, portfolio_resource(req.portfolio));
  check_symbols(req.symbols, "invalid tag request");
  if (req.tag.empty()) throw Error::invalid_input("invalid tag request", {"tag: expected a tag name"});
  const PortfolioSummary p = resolve_portfolio(cx, req.portfolio);
  store::TagRepository& repo = require_store(cx, "tags").tags();
  TagPositionsResult out;
  out.tag = req.tag;
  out.symbols = req.symbols;
  out.positions_changed = req.attach ? repo.attach(cx.actor.tenant, p.name, req.symbols, req.tag)
                                     : repo.detach(cx.actor.tenant, p.name, req.symbols, req.tag);
  audit(cx, use_case, fmt::format("portfolio/{}", p.id),
        {{"tag", out.tag}, {"symbols", out.symbols}, {"positions", out.positions_changed}});
  return out;
}

StrategyResult set_strategy(const Context& cx, const StrategyRequest& req) {
  authorize(cx, kStrategySet, portfolio_resource(req.portfolio));
  check_symbols(req.symbols, "invalid strategy request");
  const PortfolioSummary p = resolve_portfolio(cx, req.portfolio);
  StrategyResult out;
  out.strategy = req.strategy;
  out.symbols = req.symbols;
  out.positions_changed =
      require_store(cx, "strategies").tags().set_strategy(cx.actor.tenant, p.name, req.symbols, req.strategy);
  audit(cx, kStrategySet, fmt::format("portfolio/{}", p.id),
        {{"strategy", out.strategy}, {"symbols", out.symbols}, {"positions", out.positions_changed}});
  return out;
}

}  // namespace keel::service
