// keel/service/clo_trades.h: trades of a stored CLO deal's pool, tested before they are made —
// `keel clo trade --deal D --date DATE --trades FILE.csv [--apply]`,
// POST /api/v1/clo/deals/{id}/trades/preview and POST /api/v1/clo/deals/{id}/trades.
//
// A ticket (keel/io/clo_deal_reader.h, docs/clo.md) buys, sells, upsizes and downsizes single
// loans at a price. The preview applies it to the pool (keel/clo/trade.h), puts the net cash in
// the principal account, and runs every quality, concentration, bucket and coverage test on the
// pool before and after at the trade date, with the stored ratings and prices in force then
// (clo_deal_tests). Each test says what the trade does to it — improves, worsens, unchanged,
// breaks (passing before, failing after), cures — and the ticket complies with the indenture's
// "maintain or improve" rule when no test breaks and no failing test worsens. The preview refuses
// nothing that can be applied and keeps nothing.
//
// Applying the ticket (kCloTrade) stores the pool after it as a new version of the deal (change
// "trade", the latest version's assumptions, the document's principal_cash moved by the net cash,
// the ticket kept with the version), audited as clo_deal.trade with the verdict. A ticket whose
// purchases cost more than the principal account holds is refused (nothing is stored).
//
// Thread-safety: stateless; the Store must not be used concurrently.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "keel/core/date.h"
#include "keel/service/context.h"
#include "keel/service/rules.h"
#include "keel/service/spec.h"

namespace keel::service {

inline constexpr UseCase kCloTrade{"trade CLO deals' pools", Permission::kImportPositions, "clo_deal.trade"};
inline constexpr UseCase kCloTradePreview{"test CLO trades", Permission::kCompute, ""};

struct CloTradeRequest {
  std::string deal;  // id or name (CLI: --deal; HTTP: the path's id)
  std::optional<Date> trade_date;
  std::optional<std::string> trades_file;  // CLI: read into trades_csv
  std::string trades_csv;
  std::optional<std::int64_t> version;  // the version traded (default: the latest); applying: must be the latest
  std::string comment;

  static constexpr const char* kSchemaName = "CloTradeRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct CloTradeLineView {
  std::string action;
  std::string asset_id;
  std::string obligor;
  double par = 0.0;
  double price = 0.0;  // percent of par
  double cash = 0.0;   // + proceeds, - cost

  static constexpr const char* kSchemaName = "CloTradeLine";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// A ticket as kept with the version it made (CloDealVersionInfo::trade).
struct CloTradeTicket {
  std::string trade_date;
  std::vector<CloTradeLineView> lines;
  double net_cash = 0.0, principal_cash_before = 0.0, principal_cash_after = 0.0;
  bool complies = true;
  std::vector<std::string> breaks, worsens;

  static constexpr const char* kSchemaName = "CloTradeTicket";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// One test before and after the trades.
struct CloTradeTest {
  std::string name;
  std::string kind;   // quality or coverage
  std::string bound;  // min or max
  double threshold = 0.0;
  spec::Nullable<double> before, after;
  spec::Nullable<double> cushion_before, cushion_after;
  bool pass_before = true, pass_after = true;
  std::string effect;  // improves, worsens, unchanged, breaks, cures
  std::optional<std::string> subject_before, subject_after;

  static constexpr const char* kSchemaName = "CloTradeTest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct CloTradeResult {
  std::int64_t deal_id = 0;
  std::string deal;
  std::int64_t version = 0;  // the version traded
  std::optional<std::int64_t> new_version;  // the version stored (applied)
  std::string trade_date;
  bool applied = false;
  std::vector<CloTradeLineView> lines;
  double par_sold = 0.0, par_bought = 0.0, proceeds = 0.0, cost = 0.0, net_cash = 0.0;
  double principal_cash_before = 0.0, principal_cash_after = 0.0;
  double par_before = 0.0, par_after = 0.0;
  std::vector<CloTradeTest> tests;
  bool complies = true;
  std::vector<std::string> breaks;   // tests the trades make fail
  std::vector<std::string> worsens;  // failing tests the trades make worse
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "CloTradeResult";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// The ticket tested on the deal's version, nothing kept. Throws keel::Error: forbidden
// (kCloTradePreview), not_found (deal, version), invalid_input (the ticket, every bad cell as
// trades.csv:LINE:COLUMN; a loan not in the pool; a date before the deal's closing).
CloTradeResult clo_trade_preview(const Context& cx, const CloTradeRequest& request);

// The ticket applied to the latest version and kept as a new one (see above). Throws as the
// preview, forbidden for kCloTrade, and invalid_input when the principal account cannot pay.
CloTradeResult clo_trade(const Context& cx, const CloTradeRequest& request);

}  // namespace keel::service
