// keel/service/clo_deals.h: CLO deals stored per tenant: create one from a deal
// document (docs/clo.md) with its collateral inline or as a CSV text, read it, replace its structure
// or pool, edit its scenario assumptions (CDR, CPR, recovery, recovery lag) — every edit a new
// version, older versions readable — delete it; and the runs of keel/service/clo.h (projection and
// waterfall, tests, grid, Monte Carlo) on a stored version. The store keeps the deal as
// keel/store/clo_repository.h describes.
//
// Every input is checked before anything is stored (the deal reader with JSON paths, the pool CSV
// with collateral.csv:LINE:COLUMN); a deal sent to the server may not name a file. A version's
// assumptions are, on creation, the request's, else the document's "scenario" block, else the
// engine's defaults (CDR 2 %, CPR 15 %, recovery 70 %, lag 6 months); on every later edit, the
// request's, else the previous version's. A run takes the version's assumptions unless the run's
// request overrides them.
//
// Thread-safety: stateless; the Store must not be shared across threads.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keel/service/clo.h"
#include "keel/service/clo_trades.h"
#include "keel/service/context.h"
#include "keel/service/imports.h"
#include "keel/service/jobs.h"
#include "keel/service/rules.h"
#include "keel/service/spec.h"

namespace keel::service {

// POST /api/v1/clo/deals: a new deal.
struct CloDealCreateRequest {
  std::optional<std::string> name;            // default: the document's "name"
  std::optional<nlohmann::json> deal;         // the deal document
  std::optional<std::string> collateral_csv;  // the pool as CSV text (replaces the document's collateral)
  CloScenarioRequest assumptions;
  std::string comment;

  static constexpr const char* kSchemaName = "CloDealCreateRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// PUT /api/v1/clo/deals/{id}: a new version with another structure and/or pool.
struct CloDealUpdateRequest {
  std::optional<nlohmann::json> deal;         // absent: the latest version's structure
  std::optional<std::string> collateral_csv;  // absent: the document's collateral, else the latest pool
  CloScenarioRequest assumptions;             // absent fields: the latest version's
  std::string comment;
  std::int64_t id = 0;  // set by the face: the stored deal

  static constexpr const char* kSchemaName = "CloDealUpdateRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// POST /api/v1/clo/deals/{id}/assumptions: a new version with other scenario assumptions.
struct CloDealAssumptionsRequest {
  CloScenarioRequest assumptions;  // absent fields: the latest version's
  std::string comment;
  std::int64_t id = 0;  // set by the face: the stored deal

  static constexpr const char* kSchemaName = "CloDealAssumptionsRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct CloDealVersionInfo {
  std::int64_t version = 0;
  std::string change;
  std::string comment;
  CloScenario assumptions;
  std::int64_t collateral_set = 0;
  std::size_t loans = 0;
  double collateral_par = 0.0;
  std::string created_at;
  std::string created_by;
  std::optional<CloTradeTicket> trade;  // the ticket of a version made by a trade

  static constexpr const char* kSchemaName = "CloDealVersionInfo";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct CloDealInfo {
  std::int64_t id = 0;
  std::string name;
  std::string deal;  // the document's name
  std::string currency;
  std::int64_t version = 0;  // latest
  std::vector<std::string> tranches;
  CloDealVersionInfo latest;
  std::string created_at;
  std::string created_by;
  std::string updated_at;
  std::string updated_by;

  static constexpr const char* kSchemaName = "CloDealInfo";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct CloDealCreated {
  CloDealInfo deal;
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "CloDealCreated";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// GET /api/v1/clo/deals/{id}?version=: a version as it was stored.
struct CloDealShown {
  CloDealInfo deal;
  CloDealVersionInfo version;
  nlohmann::json document = nlohmann::json::object();

  static constexpr const char* kSchemaName = "CloDealShown";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct CloDealVersions {
  std::vector<CloDealVersionInfo> items;

  static constexpr const char* kSchemaName = "CloDealVersions";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct CloCollateralLoan {
  std::string obligor;
  std::string industry;
  double par = 0.0;
  double price = 100.0;  // percent of par, as in the deal file
  std::string coupon_type;
  double spread = 0.0;
  double floor = 0.0;
  double coupon = 0.0;
  std::string maturity;
  std::string rating;
  std::string lien;
  bool defaulted = false;
  std::string asset_id;
  std::string facility_id;
  double unfunded = 0.0;
  std::string country;
  bool cov_lite = false;
  bool dip = false;
  std::optional<std::string> moodys_rating;
  std::optional<std::string> sp_rating;

  static constexpr const char* kSchemaName = "CloCollateralLoan";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct CloDealCollateral {
  std::int64_t id = 0;
  std::int64_t version = 0;
  std::size_t loans = 0;
  double par = 0.0;
  std::vector<CloCollateralLoan> items;

  static constexpr const char* kSchemaName = "CloDealCollateral";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct CloDealDeleted {
  std::string deleted;
  std::int64_t id = 0;
  std::int64_t versions = 0;

  static constexpr const char* kSchemaName = "CloDealDeleted";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// ---- dated ratings and prices of the deal's obligors ----

// `keel clo import ratings|marks --deal D FILE`, POST /api/v1/clo/deals/{id}/ratings|marks (the
// CSV as the body): the files of `--ratings` and `--marks` (keel/io/clo_marks_reader.h), stored
// with the deal. All or nothing: every bad cell as FILE:LINE:COLUMN, nothing stored.
struct CloDealMarksImportRequest {
  InputFile input;      // the command's FILE or the body
  std::int64_t id = 0;  // set by the face: the stored deal
};

struct CloDealMarksImported {
  std::int64_t id = 0;
  std::string deal;
  std::string kind;  // ratings or marks
  std::string file;
  std::size_t rows = 0;
  std::size_t added = 0;
  std::size_t replaced = 0;
  std::string first_date;
  std::string last_date;
  std::vector<std::string> unknown_obligors;
  std::vector<std::string> warnings;

  static constexpr const char* kSchemaName = "CloDealMarksImported";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct CloDealMark {
  std::string as_of;
  std::string obligor;
  std::optional<std::string> rating;  // ratings
  std::optional<double> price;        // marks: percent of par
  std::string imported_at;
  std::string imported_by;

  static constexpr const char* kSchemaName = "CloDealMark";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct CloDealMarks {
  std::int64_t id = 0;
  std::string kind;
  std::vector<CloDealMark> items;

  static constexpr const char* kSchemaName = "CloDealMarks";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// ---- runs on a stored version: the requests of keel/service/clo.h without the deal ----

// A stored deal's runs apply its stored ratings and marks as `--ratings` and `--marks` do: each
// loan takes the latest of its obligor dated on or before marks_as_of.
struct CloDealVersionSelector {
  std::optional<std::int64_t> version;  // absent: the latest
  std::optional<Date> marks_as_of;      // absent: as_of (tests), else the latest stored date

  template <class V, class S>
  static void fields(V& v, S& s);
};

// A stored deal's projection whose pool has more loans than this runs as a job (HTTP).
inline constexpr std::size_t kForegroundCloLoans = 1000;

struct CloDealRunRequest {
  CloDealVersionSelector at;
  CloScenarioRequest scenario;  // absent fields: the version's assumptions
  bool async = false;           // HTTP: run as a background job even when small
  CloMigrationInput migration;  // HTTP: ratings migrate over the projection

  static constexpr const char* kSchemaName = "CloDealRunRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct CloDealTestsRequest {
  CloDealVersionSelector at;
  CloScenarioRequest scenario;
  std::optional<Date> as_of;
  CloMigrationInput migration;  // HTTP: ratings migrate over the projection

  static constexpr const char* kSchemaName = "CloDealTestsRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct CloDealGridRequest {
  CloDealVersionSelector at;
  std::vector<std::string> scenario_names;
  std::vector<double> cdr, cpr, recovery;
  std::optional<int> recovery_lag_months;  // default: the version's lag
  CloMigrationInput migration;  // HTTP: ratings migrate over the projection

  static constexpr const char* kSchemaName = "CloDealGridRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct CloDealMonteCarloRequest {
  CloDealVersionSelector at;
  CloScenarioRequest scenario;
  std::int64_t scenarios = 10000;
  std::uint64_t seed = 1;
  double correlation = 0.30;
  double confidence = 0.99;
  std::size_t histogram_bins = 0;
  bool async = false;
  CloMigrationInput migration;  // HTTP: ratings migrate over the projection
  std::vector<CloPairCorrelationInput> pair_correlations;  // HTTP

  static constexpr const char* kSchemaName = "CloDealMonteCarloRequest";
  template <class V, class S>
  static void fields(V& v, S& s);
};

// What changing a stored deal needs and writes (keel/service/rules.h).
inline constexpr UseCase kCloDealCreate{"store CLO deals", Permission::kImportPositions, "clo_deal.create"};
inline constexpr UseCase kCloDealUpdate{"change CLO deals", Permission::kImportPositions, "clo_deal.update"};
inline constexpr UseCase kCloDealAssumptions{"change CLO deals' assumptions", Permission::kImportPositions,
                                             "clo_deal.assumptions"};
inline constexpr UseCase kCloDealDelete{"delete CLO deals", Permission::kManagePortfolios, "clo_deal.delete"};
inline constexpr UseCase kCloDealRatingsImport{"import CLO deals' ratings", Permission::kImportPositions,
                                               "clo_deal.ratings.import"};
inline constexpr UseCase kCloDealMarksImport{"import CLO deals' prices", Permission::kImportPositions,
                                             "clo_deal.marks.import"};

// Use cases. The writers act in the Context's actor's tenant and name its user as the version's
// author; each checks its UseCase first and audits its change (resource clo_deal/ID). The readers
// too look in the actor's tenant only; a deal of another tenant is not_found.
CloDealCreated clo_deal_create(const Context& cx, const CloDealCreateRequest& request);
std::vector<CloDealInfo> clo_deal_list(const Context& cx);
// The id of the deal named by `text` (its numeric id or its name). Error::not_found.
std::int64_t clo_deal_id(const Context& cx, const std::string& text);
CloDealShown clo_deal_show(const Context& cx, std::int64_t id,
                           std::optional<std::int64_t> version);
CloDealShown clo_deal_update(const Context& cx, const CloDealUpdateRequest& request);
CloDealVersionInfo clo_deal_set_assumptions(const Context& cx, const CloDealAssumptionsRequest& request);
CloDealVersions clo_deal_versions(const Context& cx, std::int64_t id);
// For clo_trade (keel/service/clo_trades.h), which checks the permission and audits: a version
// with `pool`, the latest version's assumptions, the document's principal_cash set, change
// "trade" and the ticket (JSON). Error::conflict when the latest version is no longer
// `base_version` (an edit since the trades were tested).
CloDealVersionInfo clo_deal_add_trade_version(const Context& cx, std::int64_t id, std::int64_t base_version,
                                              const std::vector<clo::Loan>& pool, double principal_cash,
                                              const std::string& ticket, const std::string& comment);
CloDealCollateral clo_deal_collateral(const Context& cx, std::int64_t id,
                                      std::optional<std::int64_t> version);
CloDealDeleted clo_deal_delete(const Context& cx, std::int64_t id);

// Imports the file of dated ratings (prices) into the deal, each row replacing a stored one of the
// same date and obligor; audited as clo_deal.ratings.import (clo_deal.marks.import), resource
// clo_deal/ID. Error::invalid_input naming FILE:LINE:COLUMN, not_found for no such deal.
CloDealMarksImported clo_deal_import_ratings(const Context& cx, const CloDealMarksImportRequest& request);
CloDealMarksImported clo_deal_import_marks(const Context& cx, const CloDealMarksImportRequest& request);
// The deal's stored ratings (prices), by date then obligor.
CloDealMarks clo_deal_ratings(const Context& cx, std::int64_t id);
CloDealMarks clo_deal_marks(const Context& cx, std::int64_t id);

// The stored version as the deal reader gives it (the engine's units, bit for bit as stored), its
// scenario the version's assumptions. Error::not_found for no such deal or version.
io::CloDealFile clo_deal_file(const Context& cx, std::int64_t id,
                              std::optional<std::int64_t> version);

CloRunResult clo_deal_run(const Context& cx, std::int64_t id,
                          const CloDealRunRequest& request);
// The use case of `keel clo deal run` and POST /api/v1/clo/deals/{id}/run: the compute permission
// (kCloDealRun), then the projection now, or, with a job queue (the server), queued as a
// clo.deal.run job when request.async or the version's pool has more than kForegroundCloLoans loans. The job's request
// is {"deal": ID, "options": {..the request's HTTP fields, "version" pinned to the version run..}},
// so an edit after queueing does not change what it runs; its result is this function's result
// JSON. Throws as clo_deal_run, and as queue_job for a job (compute permission: kCloDealRun).
struct CloDealRunOutcome {
  std::optional<CloRunResult> result;
  std::optional<JobView> job;
};
inline constexpr UseCase kCloDealRun{"run CLO deals", Permission::kCompute, ""};
CloDealRunOutcome run_clo_deal(const Context& cx, std::int64_t id, const CloDealRunRequest& request);
// A clo.deal.run job's request read back: the deal's id and the request. invalid_input naming
// "request.deal" or the option's field.
std::pair<std::int64_t, CloDealRunRequest> read_clo_deal_run_job(const nlohmann::json& job_request);

CloTestsResult clo_deal_tests(const Context& cx, std::int64_t id,
                              const CloDealTestsRequest& request);
// The same on the version already read by clo_deal_file (a caller that needed it first reads it once).
CloTestsResult clo_deal_tests(const Context& cx, std::int64_t id, const CloDealTestsRequest& request,
                              io::CloDealFile version_file);
CloGridResult clo_deal_grid(const Context& cx, std::int64_t id,
                            const CloDealGridRequest& request);
CloMonteCarloResult clo_deal_montecarlo(const Context& cx, std::int64_t id,
                                        const CloDealMonteCarloRequest& request);

}  // namespace keel::service
