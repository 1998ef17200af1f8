// keel/service/ledger_mappings.h: broker mappings for transaction imports, by name: the built-in
// ones (Fidelity "Accounts History" and Interactive Brokers Flex Query trades, the documents of
// examples/ledger/*.mapping.json) and those a tenant saves (made in the web app by choosing
// columns), served at /api/v1/ledger/mappings and named by an import's `mapping_name`.
//
// A mapping is the JSON document of docs/ledger.md ("Broker mappings"), checked by
// io::parse_mapping before it is saved. Built-in names cannot be saved over or deleted.
// Thread-safety: stateless functions over the Context's store.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "keel/service/context.h"
#include "keel/service/rules.h"
#include "keel/service/spec.h"
#include "keel/store/store.h"

namespace keel::service {

struct LedgerMappingResult {
  std::string name;
  bool builtin = false;
  nlohmann::json document;                 // the mapping document
  spec::Nullable<std::string> updated_at;  // null for a built-in
  spec::Nullable<std::string> updated_by;

  static constexpr const char* kSchemaName = "LedgerMapping";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct LedgerMappingListResult {
  std::vector<LedgerMappingResult> items;

  static constexpr const char* kSchemaName = "LedgerMappingList";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// PUT /api/v1/ledger/mappings/{name} {document}.
struct LedgerMappingSaveRequest {
  std::string name;  // HTTP: the path's name
  nlohmann::json document;

  static constexpr const char* kSchemaName = "LedgerMappingSaveRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct LedgerMappingDeleteResult {
  bool deleted = true;
  std::string name;

  static constexpr const char* kSchemaName = "LedgerMappingDeleteResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The built-in mappings' names, in order ("fidelity", "ibkr").
std::vector<std::string> builtin_mapping_names();
// The document of a built-in mapping, or null JSON when `name` is not one.
nlohmann::json builtin_mapping(const std::string& name);

// What saving and deleting a mapping need and write (keel/service/rules.h).
inline constexpr UseCase kLedgerMappingSave{"save broker mappings", Permission::kImportPositions,
                                            "ledger_mapping.save"};
inline constexpr UseCase kLedgerMappingDelete{"delete broker mappings", Permission::kImportPositions,
                                              "ledger_mapping.delete"};

// The built-in mappings and the actor's tenant's (reads only).
LedgerMappingListResult list_ledger_mappings(const Context& cx);
// A built-in or the actor's tenant's mapping. Throws not_found.
LedgerMappingResult find_ledger_mapping(const Context& cx, const std::string& name);
// Saves the mapping in the actor's tenant, saved by the actor's user; audited as
// ledger_mapping.save (resource ledger_mapping/NAME, details name). Checks the document
// (invalid_input naming each bad field as "document: <path>: ...") and the name (1 to 100
// characters: letters, digits, space, '_', '-', '.'); forbidden (kLedgerMappingSave), conflict
// for a built-in name.
LedgerMappingResult save_ledger_mapping(const Context& cx, const LedgerMappingSaveRequest& request);
// Deletes the actor's tenant's mapping; audited as ledger_mapping.delete (resource
// ledger_mapping/NAME, details name). Throws forbidden (kLedgerMappingDelete), conflict for a
// built-in, not_found for an unknown name.
LedgerMappingDeleteResult delete_ledger_mapping(const Context& cx, const std::string& name);

}  // namespace keel::service
