// One account in one JSON document, and what every JSON export says of itself
// (keel/service/ledger_exports.h).
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "keel/core/csv_writer.h"
#include "keel/core/error.h"

#include "keel/core/version.h"
#include "keel/service/context.h"
#include "keel/service/ledger_accounts.h"
#include "keel/service/ledger_exports.h"
#include "keel/store/ledger_repository.h"
#include "keel/store/ledger_snapshot_repository.h"
#include "keel/store/store.h"
#include "ledger_internal.h"

namespace keel::service {

ExportMeta export_meta(const Context& cx, std::string format, std::string account, std::string currency,
                       std::string method, std::size_t rows) {
  ExportMeta m;
  m.format = std::move(format);
  m.keel_version = std::string(keel_version());
  m.exported_at = cx.env.clock.iso8601();
  m.account = std::move(account);
  m.currency = std::move(currency);
  m.method = std::move(method);
  m.transactions = rows;
  return m;
}

AccountExport export_account(const Context& cx, const AccountExportRequest& request) {
  Store& store = require_store(cx, "accounts are stored");
  AccountExport out;
  out.account = resolve_account(cx, request.account);  // not_found for an unknown account
  const std::string& name = out.account.name;
  const std::vector<ledger::Transaction> rows = store.ledger().transactions(cx.actor.tenant, name);
  out.transactions.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    ExportedTransaction r = exported_transaction(rows[i], i);
    r.lot_id = rows[i].lot_id;  // as stored: a buy that named no lot names none here either
    out.transactions.push_back(std::move(r));
  }
  for (const auto& s : store.ledger_snapshots().list(cx.actor.tenant, name)) {
    ExportedSnapshot e;
    e.date = s.as_of.to_string();
    e.net_worth = s.net_worth.to_string();
    e.market_value = s.market_value.to_string();
    e.cash = s.cash.to_string();
    e.cost_basis = s.cost_basis.to_string();
    e.unrealized = s.unrealized.to_string();
    e.unpriced = s.unpriced;
    for (const auto& [k, v] : s.asset_classes) e.asset_classes[k] = v.to_string();
    out.snapshots.push_back(std::move(e));
  }
  out.meta = export_meta(cx, "keel.ledger.account", name, out.account.currency, out.account.method, rows.size());
  return out;
}

namespace ledger_detail {

bool looks_like_json_object(std::string_view head) {
  if (head.substr(0, 3) == "\xEF\xBB\xBF") head.remove_prefix(3);
  const std::size_t first = head.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && head[first] == '{';
}

std::optional<KeelExportRows> keel_export_as_csv(std::string_view text, const std::string& name) {
  if (!looks_like_json_object(text)) return std::nullopt;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  const nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded()) throw Error::invalid_input(name + ": not a JSON document, nor a CSV or a statement");
  const auto meta = doc.find("meta");
  const std::string format =
      meta != doc.end() && meta->is_object() && meta->contains("format") && (*meta)["format"].is_string()
          ? (*meta)["format"].get<std::string>()
          : std::string();
  if (format != "keel.ledger.account" && format != "keel.ledger.transactions") {
    throw Error::invalid_input(name + ": a JSON document keel does not import",
                               {"meta.format: expected keel.ledger.account or keel.ledger.transactions (keel export "
                                "account, keel export transactions --format json)"});
  }
  if (const auto v = meta->find("format_version"); v == meta->end() || !v->is_number_integer() || *v != 1) {
    throw Error::invalid_input(name + ": an export of a format version this keel does not read",
                               {"meta.format_version: expected 1"});
  }
  std::string currency;
  if (const auto c = meta->find("currency"); c != meta->end() && c->is_string()) currency = c->get<std::string>();
  const auto rows = doc.find("transactions");
  if (rows == doc.end() || !rows->is_array()) {
    throw Error::invalid_input(name + ": no transactions", {"transactions: expected an array"});
  }
  // The columns of the canonical CSV the export's rows fill (docs/formats.md); the rows' own
  // account is the exporting account's, so the importer's --account takes its place.
  static constexpr const char* kColumns[] = {"date",     "type",        "symbol",   "quantity", "price", "fees",
                                             "amount",   "split_ratio", "currency", "lot_id",   "note",  "method"};
  std::vector<std::string> problems;
  CsvWriter w;
  for (const char* c : kColumns) w.cell(c);
  w.end_row();
  for (std::size_t i = 0; i < rows->size(); ++i) {
    const nlohmann::json& row = (*rows)[i];
    if (!row.is_object()) {
      problems.push_back(fmt::format("transactions[{}]: expected an object", i));
      continue;
    }
    for (const char* c : kColumns) {
      const auto v = row.find(c);
      if ((v == row.end() || v->is_null()) && std::string_view(c) == "currency" && !currency.empty()) {
        w.cell(currency);
      } else if (v == row.end() || v->is_null()) {
        w.empty();
      } else if (v->is_string()) {
        w.cell(v->get_ref<const std::string&>());
      } else {
        problems.push_back(fmt::format("transactions[{}].{}: expected text (exact decimals are written as text)", i, c));
        w.empty();
      }
    }
    w.end_row();
  }
  if (!problems.empty()) throw Error::invalid_input(name + ": the export's rows are not keel's", problems);
  return KeelExportRows{w.take(), currency};
}

}  // namespace ledger_detail

}  // namespace keel::service
