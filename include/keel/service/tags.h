// keel/service/tags.h: the tag registry of a tenant and tags on stored positions — the use cases
// behind `keel tag ...` and /api/v1/tags (one JSON shape for both, from the described results
// below). Positions keep their ';'-separated `tags` column as the source of truth
// (keel/store/tag_repository.h).
//
// Thread-safety: stateless; the Store of the Context must not be used concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "keel/service/context.h"
#include "keel/service/rules.h"
#include "keel/service/spec.h"

namespace keel::service {

// A registered tag.
struct TagResult {
  std::int64_t id = 0;
  std::string name;
  std::string description;
  std::string created_at;     // ISO-8601 UTC
  std::size_t positions = 0;  // positions of the tenant carrying the tag

  static constexpr const char* kSchemaName = "Tag";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// What the tag use cases need and write (keel/service/rules.h): the registry is the managers',
// tags and strategies on positions are an import's.
inline constexpr UseCase kTagCreate{"register tags", Permission::kManagePortfolios, "tag.create"};
inline constexpr UseCase kTagDelete{"delete tags", Permission::kManagePortfolios, "tag.delete"};
inline constexpr UseCase kTagAttach{"attach tags to positions", Permission::kImportPositions, "tag.attach"};
inline constexpr UseCase kTagDetach{"detach tags from positions", Permission::kImportPositions, "tag.detach"};
inline constexpr UseCase kStrategySet{"set strategies", Permission::kImportPositions, "strategy.set"};

// The actor's tenant's tags by name. Reads only (the face checked the permission to read). Throws
// as require_store.
std::vector<TagResult> list_tags(const Context& cx);

struct TagCreateRequest {
  std::string name;
  std::string description;

  static constexpr const char* kSchemaName = "TagCreateRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Registers a tag in the actor's tenant; audited as tag.create (resource tag/NAME, details name).
// Throws keel::Error: forbidden (kTagCreate), invalid_input for a bad name (empty, ';' or ',',
// over 64 characters), conflict when it exists.
TagResult create_tag(const Context& cx, const TagCreateRequest& request);

struct TagDeleteResult {
  bool deleted = true;
  std::string name;
  std::size_t positions_changed = 0;

  static constexpr const char* kSchemaName = "TagDeleteResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Unregisters a tag of the actor's tenant and removes it from every position; audited as
// tag.delete (resource tag/NAME, details name and positions). Throws keel::Error: forbidden
// (kTagDelete), not_found for an unknown tag.
TagDeleteResult delete_tag(const Context& cx, const std::string& name);

// `keel tag attach NAME -p PORTFOLIO --symbols ... [--detach]`, POST|DELETE
// /api/v1/portfolios/{id}/tags.
struct TagPositionsRequest {
  std::string portfolio;  // CLI: --portfolio; HTTP: the path's id, resolved to the name
  bool attach = true;     // false: remove the tag (CLI: --detach; HTTP: DELETE)
  std::vector<std::string> symbols;
  std::string tag;

  static constexpr const char* kSchemaName = "TagPositionsRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct TagPositionsResult {
  std::optional<std::int64_t> id;         // HTTP: the portfolio's id
  std::optional<std::string> portfolio;   // CLI: the portfolio's name
  std::string tag;
  std::vector<std::string> symbols;
  std::size_t positions_changed = 0;

  static constexpr const char* kSchemaName = "TagPositionsResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Adds (attach) or removes the tag on every position of `symbols` in the actor's tenant's
// portfolio; audited as tag.attach or tag.detach (resource portfolio/ID, details tag, symbols and
// positions). Throws keel::Error: forbidden (kTagAttach, kTagDetach), invalid_input without
// symbols; not_found for an unknown portfolio, and as the repository does otherwise (unknown tag
// or symbol).
TagPositionsResult tag_positions(const Context& cx, const TagPositionsRequest& request);

struct StrategyRequest {
  std::string portfolio;  // CLI: --portfolio; HTTP: the path's id
  std::vector<std::string> symbols;
  std::string strategy;

  static constexpr const char* kSchemaName = "StrategyRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct StrategyResult {
  std::optional<std::int64_t> id;  // HTTP: the portfolio's id
  std::string strategy;
  std::vector<std::string> symbols;
  std::size_t positions_changed = 0;

  static constexpr const char* kSchemaName = "StrategyResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// Sets the strategy of every position of `symbols` in the actor's tenant's portfolio; audited as
// strategy.set (resource portfolio/ID, details strategy, symbols and positions). Throws
// keel::Error: forbidden (kStrategySet), invalid_input without symbols; not_found for an unknown
// portfolio or symbol.
StrategyResult set_strategy(const Context& cx, const StrategyRequest& request);

}  // namespace keel::service
