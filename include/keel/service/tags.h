// keel/service/tags.h: the tag registry of a tenant and tags on stored positions — the use cases
// behind `keel tag ...` and /api/v1/tags (one JSON shape for both). Positions keep their
// ';'-separated `tags` column as the source of truth (keel/store/tag_repository.h).
//
// Thread-safety: stateless; the Store passed in must not be used concurrently.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace keel {
class Store;
}

namespace keel::service {

// [{"id","name","description","created_at","positions"}] by name.
nlohmann::json list_tags_json(Store& store, const std::string& tenant);

// Registers a tag; the tag's JSON as listed. Throws keel::Error: invalid_input for a bad name
// (empty, ';' or ',', over 64 characters), conflict when it exists.
nlohmann::json create_tag_json(Store& store, const std::string& tenant, const std::string& name,
                               const std::string& description);

// Unregisters a tag and removes it from every position: {"deleted":true,"name","positions_changed"}.
// Throws keel::Error(not_found) for an unknown tag.
nlohmann::json delete_tag_json(Store& store, const std::string& tenant, const std::string& name);

// Adds (attach) or removes the tag on every position of `symbols` in the portfolio; returns the
// number of positions changed. Throws keel::Error as the repository does (unknown tag, portfolio
// or symbol: not_found).
std::size_t tag_positions(Store& store, const std::string& tenant, const std::string& portfolio,
                          const std::vector<std::string>& symbols, const std::string& tag, bool attach);

}  // namespace keel::service
