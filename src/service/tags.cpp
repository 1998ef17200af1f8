// Tag use cases (keel/service/tags.h).
#include "keel/service/tags.h"

#include "keel/core/error.h"
#include "keel/store/store.h"
#include "keel/store/tag_repository.h"

namespace keel::service {
namespace {

nlohmann::json tag_json(const store::TagRecord& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"description", t.description},
          {"created_at", t.created_at},
          {"positions", t.positions}};
}

}  // namespace

nlohmann::json list_tags_json(Store& store, const std::string& tenant) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& t : store.tags().list(tenant)) items.push_back(tag_json(t));
  return items;
}

nlohmann::json create_tag_json(Store& store, const std::string& tenant, const std::string& name,
                               const std::string& description) {
  return tag_json(store.tags().create(tenant, name, description));
}

nlohmann::json delete_tag_json(Store& store, const std::string& tenant, const std::string& name) {
  const auto changed = store.tags().remove(tenant, name);
  if (!changed) throw Error::not_found("no tag named '" + name + "'");
  return {{"deleted", true}, {"name", name}, {"positions_changed", *changed}};
}

std::size_t tag_positions(Store& store, const std::string& tenant, const std::string& portfolio,
                          const std::vector<std::string>& symbols, const std::string& tag, bool attach) {
  store::TagRepository& repo = store.tags();
  return attach ? repo.attach(tenant, portfolio, symbols, tag) : repo.detach(tenant, portfolio, symbols, tag);
}

}  // namespace keel::service
