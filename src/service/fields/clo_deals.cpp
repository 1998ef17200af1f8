// The descriptions of the requests and results of keel/service/clo_deals.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/clo_deals.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void CloDealCreateRequest::fields(V& v, S& s) {
  v.field({.name = "name",
           .help = "Name of the stored deal, unique in the tenant (default: the document's name; "
                   "at most 200 characters)",
           .nonblank = true,
           .max_length = 200},
          s.name);
  v.field({.name = "deal",
           .help = "The deal document (docs/clo.md); its collateral inline, or given as collateral_csv",
           .required = true},
          s.deal);
  v.field({.name = "collateral_csv",
           .help = "The collateral pool as CSV (obligor,par,maturity,rating[,industry,price,spread,floor,"
                   "coupon_type,coupon,lien,defaulted]); replaces the document's collateral"},
          s.collateral_csv);
  v.flatten(s.assumptions);
  v.field({.name = "comment", .help = "A note kept with the version"}, s.comment);
}
KEEL_SPEC_REQUEST_FIELDS(CloDealCreateRequest)

template <class V, class S>
void CloDealUpdateRequest::fields(V& v, S& s) {
  v.field({.name = "deal",
           .help = "A new deal document (absent: the latest version's structure); its collateral, when "
                   "inline, becomes the new pool"},
          s.deal);
  v.field({.name = "collateral_csv",
           .help = "A new pool as CSV (absent: the document's, else the latest pool)"},
          s.collateral_csv);
  v.flatten(s.assumptions);
  v.field({.name = "comment", .help = "A note kept with the version"}, s.comment);
}
KEEL_SPEC_REQUEST_FIELDS(CloDealUpdateRequest)

template <class V, class S>
void CloDealAssumptionsRequest::fields(V& v, S& s) {
  v.flatten(s.assumptions);
  v.field({.name = "comment", .help = "A note kept with the version"}, s.comment);
}
KEEL_SPEC_REQUEST_FIELDS(CloDealAssumptionsRequest)

template <class V, class S>
void CloDealVersionInfo::fields(V& v, S& s) {
  v.field({.name = "version", .help = "1 for the first; every edit adds one"}, s.version);
  v.field({.name = "change",
           .help = "What the version changed: created, assumptions, deal, collateral, deal+collateral or "
                   "trade"},
          s.change);
  v.field({.name = "comment"}, s.comment);
  v.field({.name = "assumptions", .help = "The scenario runs take unless they override it"}, s.assumptions);
  v.field({.name = "collateral_set", .help = "Versions with the same set share one pool"},
          s.collateral_set);
  v.field({.name = "loans", .help = "Loans in the pool"}, s.loans);
  v.field({.name = "collateral_par", .help = "Par of the pool", .unit = "deal currency"}, s.collateral_par);
  v.field({.name = "created_at", .help = "ISO-8601 UTC"}, s.created_at);
  v.field({.name = "created_by"}, s.created_by);
  v.field({.name = "trade", .help = "The trade ticket that made this version (change trade)"}, s.trade);
}
KEEL_SPEC_FIELDS(CloDealVersionInfo)

template <class V, class S>
void CloDealInfo::fields(V& v, S& s) {
  v.field({.name = "id"}, s.id);
  v.field({.name = "name", .help = "Name of the stored deal in the tenant"}, s.name);
  v.field({.name = "deal", .help = "The deal's own name (its document's)"}, s.deal);
  v.field({.name = "currency"}, s.currency);
  v.field({.name = "version", .help = "The latest version"}, s.version);
  v.field({.name = "tranches", .help = "Classes, most senior first (latest version)"}, s.tranches);
  v.field({.name = "latest", .help = "The latest version"}, s.latest);
  v.field({.name = "created_at", .help = "ISO-8601 UTC"}, s.created_at);
  v.field({.name = "created_by"}, s.created_by);
  v.field({.name = "updated_at", .help = "When the latest version was added"}, s.updated_at);
  v.field({.name = "updated_by"}, s.updated_by);
}
KEEL_SPEC_FIELDS(CloDealInfo)

template <class V, class S>
void CloDealCreated::fields(V& v, S& s) {
  v.field({.name = "deal"}, s.deal);
  v.field({.name = "warnings", .help = "Fields of the document that were ignored"}, s.warnings);
}
KEEL_SPEC_FIELDS(CloDealCreated)

template <class V, class S>
void CloDealShown::fields(V& v, S& s) {
  v.field({.name = "deal"}, s.deal);
  v.field({.name = "version", .help = "The version shown"}, s.version);
  v.field(
      {.name = "document",
       .help =
           "The version's deal document without its collateral (GET .../collateral), its scenario block "
           "the version's assumptions; free-form here (docs/clo.md)"},
      s.document);
}
KEEL_SPEC_FIELDS(CloDealShown)

template <class V, class S>
void CloDealVersions::fields(V& v, S& s) {
  v.field({.name = "items", .help = "Oldest first"}, s.items);
}
KEEL_SPEC_FIELDS(CloDealVersions)

template <class V, class S>
void CloCollateralLoan::fields(V& v, S& s) {
  v.field({.name = "obligor"}, s.obligor);
  v.field({.name = "industry"}, s.industry);
  v.field({.name = "par", .unit = "deal currency"}, s.par);
  v.field({.name = "price", .unit = "percent of par"}, s.price);
  v.field({.name = "coupon_type", .help = "floating or fixed"}, s.coupon_type);
  v.field({.name = "spread", .unit = "decimal per year"}, s.spread);
  v.field({.name = "floor", .unit = "decimal per year"}, s.floor);
  v.field({.name = "coupon", .help = "Fixed loans", .unit = "decimal per year"}, s.coupon);
  v.field({.name = "maturity", .help = "YYYY-MM-DD"}, s.maturity);
  v.field({.name = "rating", .help = "The tested rating (Moody's scale), by the deal's rating rule"}, s.rating);
  v.field({.name = "lien", .help = "first, second or unsecured"}, s.lien);
  v.field({.name = "defaulted", .help = "In default at closing"}, s.defaulted);
  v.field({.name = "asset_id", .help = "The trustee's asset id"}, s.asset_id);
  v.field({.name = "facility_id"}, s.facility_id);
  v.field({.name = "unfunded", .help = "Undrawn commitment (revolver, delayed draw)", .unit = "deal currency"},
          s.unfunded);
  v.field({.name = "country", .help = "ISO 3166 alpha-2; empty when not given"}, s.country);
  v.field({.name = "cov_lite", .help = "Covenant-lite"}, s.cov_lite);
  v.field({.name = "dip", .help = "Debtor-in-possession financing"}, s.dip);
  v.field({.name = "moodys_rating", .help = "Moody's rating as given (absent: not rated by Moody's)"},
          s.moodys_rating);
  v.field({.name = "sp_rating", .help = "S&P rating as given (absent: not rated by S&P)"}, s.sp_rating);
}
KEEL_SPEC_FIELDS(CloCollateralLoan)

template <class V, class S>
void CloDealCollateral::fields(V& v, S& s) {
  v.field({.name = "id", .help = "The deal"}, s.id);
  v.field({.name = "version"}, s.version);
  v.field({.name = "loans"}, s.loans);
  v.field({.name = "par", .unit = "deal currency"}, s.par);
  v.field({.name = "items", .help = "In upload order"}, s.items);
}
KEEL_SPEC_FIELDS(CloDealCollateral)

template <class V, class S>
void CloDealDeleted::fields(V& v, S& s) {
  v.field({.name = "deleted", .help = "The deal's name"}, s.deleted);
  v.field({.name = "id"}, s.id);
  v.field({.name = "versions", .help = "Versions deleted with it"}, s.versions);
}
KEEL_SPEC_FIELDS(CloDealDeleted)

template <class V, class S>
void CloDealMarksImported::fields(V& v, S& s) {
  v.field({.name = "id", .help = "The deal"}, s.id);
  v.field({.name = "deal", .help = "The deal's name"}, s.deal);
  v.field({.name = "kind", .help = "ratings or marks (prices)"}, s.kind);
  v.field({.name = "file", .help = "The file imported (body.csv / body.json for an upload)"}, s.file);
  v.field({.name = "rows", .help = "Rows read and stored"}, s.rows);
  v.field({.name = "added", .help = "Rows of a date and obligor the deal had no mark of"}, s.added);
  v.field({.name = "replaced", .help = "Stored marks of the same date and obligor replaced"}, s.replaced);
  v.field({.name = "first_date", .help = "First as_of in the file (YYYY-MM-DD)"}, s.first_date);
  v.field({.name = "last_date", .help = "Last as_of in the file (YYYY-MM-DD)"}, s.last_date);
  v.field({.name = "unknown_obligors",
           .help = "Obligors of the file that no loan of the latest version's pool has (stored; ignored by runs "
                   "until a pool has them)"},
          s.unknown_obligors);
  v.field({.name = "warnings",
           .help = "Remarks on the file (file:line: ..., e.g. a last line without a line ending: the file may be "
                   "truncated)"},
          s.warnings);
}
KEEL_SPEC_FIELDS(CloDealMarksImported)

template <class V, class S>
void CloDealMark::fields(V& v, S& s) {
  v.field({.name = "as_of", .help = "YYYY-MM-DD"}, s.as_of);
  v.field({.name = "obligor"}, s.obligor);
  v.field({.name = "rating", .help = "Ratings: Moody's (an S&P rating is stored as its Moody's notch)"}, s.rating);
  v.field({.name = "price", .help = "Marks: the price", .unit = "percent of par"}, s.price);
  v.field({.name = "imported_at", .help = "ISO-8601 UTC"}, s.imported_at);
  v.field({.name = "imported_by"}, s.imported_by);
}
KEEL_SPEC_FIELDS(CloDealMark)

template <class V, class S>
void CloDealMarks::fields(V& v, S& s) {
  v.field({.name = "id", .help = "The deal"}, s.id);
  v.field({.name = "kind", .help = "ratings or marks"}, s.kind);
  v.field({.name = "items", .help = "By as_of, then obligor"}, s.items);
}
KEEL_SPEC_FIELDS(CloDealMarks)

template <class V, class S>
void CloDealVersionSelector::fields(V& v, S& s) {
  v.field({.name = "version", .help = "The version to run (default: the latest)", .min = 1}, s.version);
  v.field({.name = "marks_as_of",
           .help = "Determination date of the deal's stored ratings and marks: the latest of each obligor on or "
                   "before it applies (default: as_of, else the latest stored date)",
           .cli_name = "marks-as-of"},
          s.marks_as_of);
}
KEEL_SPEC_FIELDS(CloDealVersionSelector)

template <class V, class S>
void CloDealRunRequest::fields(V& v, S& s) {
  v.flatten(s.at);
  v.flatten(s.scenario);
  v.field({.name = "async",
           .help = "Run as a background job even when small (a pool of more than 1000 loans always is)",
           .faces = spec::kHttp},
          s.async);
  v.flatten(s.migration);
}
KEEL_SPEC_REQUEST_FIELDS(CloDealRunRequest)

template <class V, class S>
void CloDealTestsRequest::fields(V& v, S& s) {
  v.flatten(s.at);
  v.flatten(s.scenario);
  v.field({.name = "as_of", .help = "Date of the quality tests (default: the closing date)"}, s.as_of);
  v.flatten(s.migration);
}
KEEL_SPEC_REQUEST_FIELDS(CloDealTestsRequest)

template <class V, class S>
void CloDealGridRequest::fields(V& v, S& s) {
  v.flatten(s.at);
  clo_grid_axes(v, s);
  v.flatten(s.migration);
}
KEEL_SPEC_REQUEST_FIELDS(CloDealGridRequest)

template <class V, class S>
void CloDealMonteCarloRequest::fields(V& v, S& s) {
  v.flatten(s.at);
  v.flatten(s.scenario);
  clo_montecarlo_settings(v, s);
  v.flatten(s.migration);
  v.field({.name = "pair_correlations",
           .help = "Asset correlations of obligor pairs over the base model (as the pair correlation file's rows)"},
          s.pair_correlations);
}
KEEL_SPEC_REQUEST_FIELDS(CloDealMonteCarloRequest)

}  // namespace keel::service
