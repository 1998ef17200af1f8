// Broker mappings by name: the built-in documents and the tenant's saved ones
// (keel/service/ledger_mappings.h).
#include "keel/service/ledger_mappings.h"

#include <algorithm>

#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "keel/io/transaction_reader.h"
#include "keel/store/ledger_repository.h"

namespace keel::service {
namespace {

// The documents of examples/ledger/fidelity.mapping.json and ibkr_flex.mapping.json (a test checks
// that they are the same JSON).
constexpr const char* kFidelity = R"json({
  "name": "fidelity",
  "description": "Fidelity 'Accounts History' CSV download: newest first, MM/DD/YYYY dates, action text, signed quantities and amounts",
  "columns": {
    "Run Date": "date",
    "Action": "type",
    "Symbol": "symbol",
    "Quantity": "quantity",
    "Price ($)": "price",
    "Commission ($)": "fees",
    "Fees ($)": "fees",
    "Amount ($)": "amount",
    "Security Description": "note"
  },
  "date_format": "%m/%d/%Y",
  "type_match": "prefix",
  "types": {
    "YOU BOUGHT": "BUY",
    "YOU SOLD": "SELL",
    "REINVESTMENT": "BUY",
    "DIVIDEND RECEIVED": "DIVIDEND",
    "INTEREST EARNED": "INTEREST",
    "Electronic Funds Transfer Received": "DEPOSIT",
    "Electronic Funds Transfer Paid": "WITHDRAWAL",
    "FEE CHARGED": "FEE",
    "TRANSFERRED FROM": "TRANSFER_IN",
    "TRANSFERRED TO": "TRANSFER_OUT"
  },
  "absolute": ["quantity", "amount", "fees"],
  "footer": ["The data and information in this spreadsheet", "Brokerage services are provided by", "Date downloaded"]
})json";

constexpr const char* kIbkr = R"json({
  "name": "ibkr_flex",
  "description": "Interactive Brokers Flex Query, Trades section as CSV: yyyyMMdd dates, negative quantities for sales, negative commissions, NetCash signed",
  "columns": {
    "TradeDate": "date",
    "Buy/Sell": "type",
    "Symbol": "symbol",
    "Quantity": "quantity",
    "TradePrice": "price",
    "IBCommission": "fees",
    "NetCash": "amount",
    "CurrencyPrimary": "currency"
  },
  "date_formats": ["%Y%m%d", "%Y%m%d;%H%M%S", "%Y-%m-%d"],
  "types": {"BUY": "BUY", "SELL": "SELL", "BUY (Ca.)": "IGNORE", "SELL (Ca.)": "IGNORE"},
  "absolute": ["quantity", "amount", "fees"],
  "type_by_sign": {"field": "quantity", "positive": "BUY", "negative": "SELL"}
})json";

Store& need_store(const Context& cx) {
  if (cx.store == nullptr) throw Error::usage("saved mappings need a store (--db)");
  return *cx.store;
}

LedgerMappingResult stored_result(const store::LedgerMappingRecord& r) {
  LedgerMappingResult out;
  out.name = r.name;
  out.document = nlohmann::json::parse(r.document, nullptr, false);
  if (out.document.is_discarded())
    throw Error::internal("ledger store: mapping '" + r.name + "' is not JSON");
  out.updated_at.emplace(r.updated_at);
  out.updated_by.emplace(r.updated_by);
  return out;
}

bool valid_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' || c == '_' ||
         c == '-' || c == '.';
}

}  // namespace

std::vector<std::string> builtin_mapping_names() {
  return {"fidelity", "ibkr"};
}

nlohmann::json builtin_mapping(const std::string& name) {
  if (name == "fidelity") return nlohmann::json::parse(kFidelity);
  if (name == "ibkr") return nlohmann::json::parse(kIbkr);
  return nullptr;
}

LedgerMappingListResult list_ledger_mappings(const Context& cx) {
  const std::string& tenant = cx.actor.tenant;
  LedgerMappingListResult out;
  for (const auto& n : builtin_mapping_names()) out.items.push_back({n, true, builtin_mapping(n), {}, {}});
  for (const auto& r : need_store(cx).ledger().list_mappings(tenant)) out.items.push_back(stored_result(r));
  return out;
}

LedgerMappingResult find_ledger_mapping(const Context& cx, const std::string& name) {
  const std::string& tenant = cx.actor.tenant;
  if (auto doc = builtin_mapping(name); !doc.is_null()) return {name, true, std::move(doc), {}, {}};
  const auto r = need_store(cx).ledger().find_mapping(tenant, name);
  if (!r) throw Error::not_found("no mapping named " + shown_with(name, 64, '\''));
  return stored_result(*r);
}

LedgerMappingResult save_ledger_mapping(const Context& cx, const LedgerMappingSaveRequest& request) {
  const std::string& name = request.name;
  authorize(cx, kLedgerMappingSave, "ledger_mapping/" + shown_with(name, 100, 0));
  std::vector<std::string> problems;
  if (name.empty() || name.size() > 100)
    problems.push_back("name: expected 1 to 100 characters");
  else if (!std::all_of(name.begin(), name.end(), valid_name_char))
    problems.push_back("name: expected letters, digits, space, '_', '-' or '.'");
  if (!request.document.is_object()) {
    problems.push_back("document: expected the mapping document as an object (docs/ledger.md)");
  } else {
    try {
      io::parse_mapping(request.document, "document");
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kInvalidInput) throw;
      // Each names its place as "document: <path>: <problem>".
      for (const auto& d : e.details()) problems.push_back(d);
      if (e.details().empty()) problems.push_back(std::string("document: ") + e.what());
    }
  }
  if (!problems.empty()) throw Error::invalid_input("invalid mapping", problems);
  if (!builtin_mapping(name).is_null())
    throw Error::conflict(shown_with(name, 64, '\'') + " is a built-in mapping: choose another name");
  need_store(cx).ledger().save_mapping(cx.actor.tenant, name, request.document.dump(), cx.actor.user);
  auto out = find_ledger_mapping(cx, name);
  audit(cx, kLedgerMappingSave, "ledger_mapping/" + name, {{"name", name}});
  return out;
}

LedgerMappingDeleteResult delete_ledger_mapping(const Context& cx, const std::string& name) {
  authorize(cx, kLedgerMappingDelete, "ledger_mapping/" + shown_with(name, 100, 0));
  if (!builtin_mapping(name).is_null()) throw Error::conflict(shown_with(name, 64, '\'') + " is a built-in mapping");
  if (!need_store(cx).ledger().delete_mapping(cx.actor.tenant, name))
    throw Error::not_found("no mapping named " + shown_with(name, 64, '\''));
  audit(cx, kLedgerMappingDelete, "ledger_mapping/" + name, {{"name", name}});
  return {true, name};
}

}  // namespace keel::service
