#include "keel/store/storage_repository.h"

#include <algorithm>
#include <initializer_list>
#include <string_view>

#include "sql.h"

namespace keel::store {
namespace {

// "(per_row + COALESCE(octet_length(a), 0) + ...)": the estimated bytes of one row, its text and
// blob columns measured, its numbers and keys counted as `per_row`.
std::string row_bytes(int per_row, std::initializer_list<std::string_view> columns) {
  std::string out = "(" + std::to_string(per_row);
  for (const auto c : columns) out += " + COALESCE(octet_length(" + std::string(c) + "), 0)";
  return out + ")";
}

// One conversation's bytes, with its messages and provider exchanges: `c` is the conversation row.
std::string conversation_bytes() {
  return row_bytes(96, {"c.title", "c.redaction_map", "c.username"}) +
         " + COALESCE((SELECT SUM(" +
         row_bytes(48, {"m.role", "m.content", "m.sent", "m.tool_calls", "m.tool_call_id", "m.tool_name", "m.extra"}) +
         ") FROM assistant_messages m WHERE m.conversation_id = c.id), 0)"
         " + COALESCE((SELECT SUM(" +
         row_bytes(120, {"e.provider", "e.format", "e.host", "e.model", "e.error", "e.at"}) +
         ") FROM assistant_exchanges e WHERE e.conversation_id = c.id), 0)";
}

// One area's query: `?` is the tenant; each row (owner, items, rows, bytes).
struct AreaQuery {
  const char* area;
  std::string sql;
};

std::vector<AreaQuery> area_queries() {
  const std::string positions =
      row_bytes(72, {"p.entry_date", "p.sector", "p.tags", "p.strategy", "p.currency"});
  const std::string transactions = row_bytes(32, {"x.date", "x.type", "x.symbol", "x.quantity", "x.price", "x.fees",
                                                  "x.amount", "x.lot_id", "x.split_ratio", "x.currency", "x.note",
                                                  "x.method", "x.source"});
  return {
      {"portfolios",
       "SELECT '', COUNT(*), COUNT(*), COALESCE(SUM(" + positions +
           "), 0) FROM positions p JOIN portfolios f ON f.id = p.portfolio_id JOIN tenants t ON t.id = f.tenant_id "
           "WHERE t.name = ?"},
      {"ledger",
       "SELECT '', COUNT(*), COUNT(*), COALESCE(SUM(" + transactions +
           "), 0) FROM ledger_transactions x JOIN ledger_accounts a ON a.id = x.account_id WHERE a.tenant = ?"},
      {"ledger_snapshots", "SELECT '', COUNT(*), COUNT(*), COALESCE(SUM(" +
                               row_bytes(40, {"scope", "as_of", "net_worth", "market_value", "cash", "cost_basis",
                                              "unrealized", "created_at"}) +
                               "), 0) FROM ledger_snapshots WHERE tenant = ?"},
      {"batch_snapshots", "SELECT '', COUNT(*), COUNT(*), COALESCE(SUM(" +
                              row_bytes(72, {"portfolio", "as_of", "var_method", "backtest_zone", "report_json",
                                             "created_at"}) +
                              "), 0) FROM portfolio_snapshots WHERE tenant = ?"},
      {"whatif",
       "SELECT s.owner, COUNT(*), COUNT(*) + COALESCE(SUM((SELECT COUNT(*) FROM modelling_trades m WHERE "
       "m.session_id = s.id)), 0), COALESCE(SUM(" +
           row_bytes(48, {"s.name", "s.created_at", "s.updated_at"}) + " + COALESCE((SELECT SUM(" +
           row_bytes(80, {"m.symbol", "m.type", "m.underlying", "m.expiry", "m.option_type", "m.exercise", "m.sector",
                          "m.tags", "m.strategy", "m.currency", "m.origin"}) +
           ") FROM modelling_trades m WHERE m.session_id = s.id), 0)), 0) FROM modelling_sessions s WHERE "
           "s.tenant = ? GROUP BY s.owner"},
      {"alm",
       "SELECT owner, COUNT(*), COUNT(*) + COALESCE(SUM(positions), 0), COALESCE(SUM(size_bytes), 0) FROM "
       "alm_sessions WHERE tenant = ? GROUP BY owner"},
      {"assistant",
       "SELECT c.username, COUNT(*), COUNT(*) + COALESCE(SUM((SELECT COUNT(*) FROM assistant_messages m WHERE "
       "m.conversation_id = c.id) + (SELECT COUNT(*) FROM assistant_exchanges e WHERE e.conversation_id = c.id)), 0), "
       "COALESCE(SUM(" +
           conversation_bytes() + "), 0) FROM assistant_conversations c WHERE c.tenant = ? GROUP BY c.username"},
      {"jobs", "SELECT username, COUNT(*) - COUNT(parent_id), COUNT(*), COALESCE(SUM(" +
                   row_bytes(96, {"kind", "request", "message", "result", "error", "output", "created_at",
                                  "started_at", "finished_at"}) +
                   "), 0) FROM jobs WHERE tenant = ? GROUP BY username"},
      {"clo",
       "SELECT '', COUNT(*), COUNT(*) + COALESCE(SUM((SELECT COUNT(*) FROM clo_deal_versions v WHERE v.deal_id = "
       "d.id) + (SELECT COUNT(*) FROM clo_deal_collateral k WHERE k.deal_id = d.id) + (SELECT COUNT(*) FROM "
       "clo_deal_marks r WHERE r.deal_id = d.id) + (SELECT COUNT(*) FROM clo_determinations z WHERE z.deal_id = "
       "d.id)), 0), COALESCE(SUM(" +
           row_bytes(64, {"d.name", "d.created_by", "d.updated_by"}) + " + COALESCE((SELECT SUM(" +
           row_bytes(64, {"v.document", "v.change", "v.comment", "v.created_by"}) +
           ") FROM clo_deal_versions v WHERE v.deal_id = d.id), 0) + COALESCE((SELECT SUM(" +
           row_bytes(96, {"k.obligor", "k.industry", "k.maturity", "k.rating", "k.lien", "k.coupon_type"}) +
           ") FROM clo_deal_collateral k WHERE k.deal_id = d.id), 0) + COALESCE((SELECT COUNT(*) * 64 FROM "
           "clo_deal_marks r WHERE r.deal_id = d.id), 0) + COALESCE((SELECT SUM(" +
           row_bytes(48, {"z.result", "z.determined_by"}) +
           ") FROM clo_determinations z WHERE z.deal_id = d.id), 0)), 0) FROM clo_deals d WHERE d.tenant = ?"},
      {"cached_results", "SELECT '', COUNT(*), COUNT(*), COALESCE(SUM(" +
                             row_bytes(24, {"kind", "result", "computed_at"}) +
                             "), 0) FROM cached_results WHERE tenant = ?"},
      {"webhook_deliveries", "SELECT '', COUNT(*), COUNT(*), COALESCE(SUM(" +
                                 row_bytes(64, {"event", "payload", "status", "last_error", "last_attempt_at",
                                                "created_at"}) +
                                 "), 0) FROM webhook_deliveries WHERE tenant = ?"},
      {"audit_log", "SELECT '', COUNT(*), COUNT(*), COALESCE(SUM(" +
                        row_bytes(16, {"at", "username", "action", "resource", "outcome", "client", "request_id",
                                       "details"}) +
                        "), 0) FROM audit_log WHERE tenant = ?"},
  };
}

// The market data every tenant reads, counted once: prices (each a row of numbers), the security
// master, FX rates, factor returns and macro observations.
std::string shared_query() {
  return "SELECT (SELECT COUNT(*) FROM prices) + (SELECT COUNT(*) FROM instruments) + (SELECT COUNT(*) FROM fx_rates) "
         "+ (SELECT COUNT(*) FROM factor_returns) + (SELECT COUNT(*) FROM macro_observations), "
         "(SELECT COUNT(*) FROM prices) * 56 + (SELECT COALESCE(SUM(" +
         row_bytes(64, {"symbol", "type", "name", "sector", "industry", "underlying", "expiry", "currency"}) +
         "), 0) FROM instruments) + (SELECT COUNT(*) FROM fx_rates) * 40 + (SELECT COUNT(*) FROM factor_returns) * 48 "
         "+ (SELECT COUNT(*) FROM macro_observations) * 40";
}

}  // namespace

std::vector<StorageUsageRow> StorageRepository::usage(const std::string& tenant) {
  return c_->run(tenant, [&] {
    std::vector<StorageUsageRow> out;
    for (const auto& q : area_queries()) {
      auto rows = c_->prepare(q.sql).bind(1, tenant).rows([&](const SqlStatement& r) {
        return StorageUsageRow{q.area, r.get_text(0), r.get_int(1), r.get_int(2), r.get_int(3), false};
      });
      std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.bytes > b.bytes; });
      for (auto& row : rows) {
        if (row.items > 0 || row.rows > 0) out.push_back(std::move(row));
      }
    }
    auto shared = c_->prepare(shared_query());
    if (shared.step()) {
      const std::int64_t rows = shared.get_int(0);
      out.push_back({"market_data", "", rows, rows, shared.get_int(1), true});
    }
    return out;
  });
}

std::int64_t StorageRepository::assistant_bytes(const std::string& tenant, const std::string& user) {
  return c_->run(tenant, [&] {
    return c_->prepare("SELECT COALESCE(SUM(" + conversation_bytes() +
                       "), 0) FROM assistant_conversations c WHERE c.tenant = ? AND c.username = ?")
        .bind_all(tenant, user)
        .first_int();
  });
}

std::vector<std::string> StorageRepository::assistant_tenants() {
  return c_->run(std::nullopt, [&] {
    auto st = c_->prepare(c_->dialect().row_level_security
                              ? "SELECT conversation_tenant FROM keel_assistant_tenants()"
                              : "SELECT DISTINCT tenant FROM assistant_conversations ORDER BY 1");
    std::vector<std::string> out;
    while (st.step()) out.push_back(st.get_text(0));
    return out;
  });
}

AssistantPruned StorageRepository::prune_assistant(const std::string& tenant, const std::string& before,
                                                   std::int64_t user_budget_bytes) {
  return c_->transaction(tenant, [&] {
    AssistantPruned out;
    if (!before.empty()) {
      out.expired = static_cast<std::size_t>(
          c_->prepare("DELETE FROM assistant_conversations WHERE tenant = ? AND updated_at < ?")
              .bind_all(tenant, before)
              .run());
    }
    if (user_budget_bytes > 0) {
      // Newest first within each user: a conversation goes when it and the user's newer ones pass
      // the budget. The user's newest (the one they are likely in) is always kept.
      out.evicted = static_cast<std::size_t>(
          c_->prepare("DELETE FROM assistant_conversations WHERE id IN (SELECT id FROM (SELECT c.id, SUM(" +
                      conversation_bytes() +
                      ") OVER (PARTITION BY c.username ORDER BY c.updated_at DESC, c.id DESC) AS upto, "
                      "ROW_NUMBER() OVER (PARTITION BY c.username ORDER BY c.updated_at DESC, c.id DESC) AS n "
                      "FROM assistant_conversations c WHERE c.tenant = ?) sized WHERE n > 1 AND upto > ?)")
              .bind_all(tenant, user_budget_bytes)
              .run());
    }
    return out;
  });
}

}  // namespace keel::store
