// CLO deals stored per tenant: documents checked by the deal reader, versions of structure, pool
// and assumptions, runs on a stored version (keel/service/clo_deals.h).
#include "keel/service/clo_deals.h"

#include <fmt/format.h>

#include <cmath>

#include <algorithm>
#include <charconv>
#include <set>
#include <type_traits>

#include "keel/clo/rating.h"
#include "keel/core/error.h"
#include "keel/io/clo_marks_reader.h"
#include "keel/store/clo_repository.h"
#include "keel/store/store.h"

namespace keel::service {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxNameLength = 200;
constexpr const char* kPoolName = "collateral.csv";

// A price kept as a fraction of par (1.0006) in percent of par as it was given (100.06, not the
// 100.05999999999999 of the product in binary): rounded to 1e-8 of a percent, finer than any quote.
double percent_of_par(double fraction) { return std::round(fraction * 100.0 * 1e8) / 1e8; }

store::CloDealRepository& repo_of(const Context& cx) {
  return require_store(cx, "stored CLO deals").clo_deals();
}

store::CloCollateralRow row_of(const clo::Loan& l) {
  store::CloCollateralRow r;
  r.obligor = l.obligor;
  r.industry = l.industry;
  r.par = l.par;
  r.price = l.price;
  r.coupon_type = l.coupon_type == clo::CouponType::kFixed ? "fixed" : "floating";
  r.spread = l.spread;
  r.floor = l.floor;
  r.coupon = l.coupon;
  r.maturity = l.maturity;
  r.rating = std::string(clo::rating_name(l.rating));
  r.lien = l.lien;
  r.defaulted = l.defaulted;
  r.asset_id = l.asset_id;
  r.facility_id = l.facility_id;
  r.unfunded = l.unfunded;
  r.country = l.country;
  r.cov_lite = l.cov_lite;
  r.dip = l.dip;
  if (l.moodys) r.moodys_rating = std::string(clo::rating_name(*l.moodys));
  if (l.sp) r.sp_rating = std::string(clo::sp_rating_name(*l.sp));
  return r;
}

clo::Loan loan_of(const store::CloCollateralRow& r) {
  clo::Loan l;
  l.obligor = r.obligor;
  l.industry = r.industry;
  l.par = r.par;
  l.price = r.price;
  l.coupon_type = r.coupon_type == "fixed" ? clo::CouponType::kFixed : clo::CouponType::kFloating;
  l.spread = r.spread;
  l.floor = r.floor;
  l.coupon = r.coupon;
  l.maturity = r.maturity;
  const auto rating = clo::parse_moodys_rating(r.rating);
  if (!rating) throw Error::internal("stored CLO collateral has an unknown rating '" + r.rating + "'");
  l.rating = *rating;
  l.lien = r.lien;
  l.defaulted = r.defaulted;
  l.asset_id = r.asset_id;
  l.facility_id = r.facility_id;
  l.unfunded = r.unfunded;
  l.country = r.country;
  l.cov_lite = r.cov_lite;
  l.dip = r.dip;
  if (r.moodys_rating) l.moodys = clo::parse_moodys_rating(*r.moodys_rating);
  if (r.sp_rating) l.sp = clo::parse_sp_rating(*r.sp_rating);
  return l;
}

// The audit resource of a stored deal.
std::string deal_resource(std::int64_t id) { return fmt::format("clo_deal/{}", id); }

std::vector<store::CloCollateralRow> rows_of(const std::vector<clo::Loan>& loans) {
  std::vector<store::CloCollateralRow> out;
  out.reserve(loans.size());
  for (const auto& l : loans) out.push_back(row_of(l));
  return out;
}

CloScenario scenario_view(const store::CloAssumptionsRow& a) {
  CloScenario out;
  out.cdr = a.cdr;
  out.cpr = a.cpr;
  out.recovery = a.recovery;
  out.recovery_lag_months = a.recovery_lag_months;
  return out;
}

store::CloAssumptionsRow assumptions_row(const clo::Scenario& s) {
  return {s.cdr, s.cpr, s.recovery, s.recovery_lag_months};
}

// `base` with the request's fields over it.
// A version's assumptions are the deal's constant rates; a library scenario is named in a run.
void refuse_named_assumptions(const CloScenarioRequest& r) {
  if (r.name) {
    throw Error::invalid_input("invalid CLO assumptions",
                               {"scenario: a version's assumptions are constant rates (cdr, cpr, recovery, "
                                "recovery_lag); name a scenario of the deal's library in a run instead"});
  }
}

store::CloAssumptionsRow with_overrides(store::CloAssumptionsRow base, const CloScenarioRequest& r) {
  refuse_named_assumptions(r);
  if (r.cdr) base.cdr = *r.cdr;
  if (r.cpr) base.cpr = *r.cpr;
  if (r.recovery) base.recovery = *r.recovery;
  if (r.recovery_lag_months) base.recovery_lag_months = *r.recovery_lag_months;
  return base;
}

CloDealVersionInfo version_view(const store::CloDealVersionRecord& v) {
  CloDealVersionInfo o;
  o.version = v.version;
  o.change = v.change;
  o.comment = v.comment;
  o.assumptions = scenario_view(v.assumptions);
  o.collateral_set = v.collateral_set;
  o.loans = v.loans;
  o.collateral_par = v.collateral_par;
  o.created_at = v.created_at;
  o.created_by = v.created_by;
  if (!v.trades.empty()) {
    const json kept = json::parse(v.trades, nullptr, false);
    if (kept.is_object()) {
      CloTradeTicket ticket;
      spec::read_json(kept, ticket, "a kept CLO trade ticket");
      o.trade = std::move(ticket);
    }
  }
  return o;
}

CloDealInfo info_of(const store::CloDealRecord& d, const store::CloDealVersionRecord& latest) {
  CloDealInfo o;
  o.id = d.id;
  o.name = d.name;
  o.currency = d.currency;
  o.version = d.version;
  o.created_at = d.created_at;
  o.created_by = d.created_by;
  o.updated_at = d.updated_at;
  o.updated_by = d.updated_by;
  o.latest = version_view(latest);
  const json doc = json::parse(latest.document, nullptr, false);
  if (doc.is_object()) {
    if (auto n = doc.find("name"); n != doc.end() && n->is_string()) o.deal = n->get<std::string>();
    if (auto t = doc.find("tranches"); t != doc.end() && t->is_array()) {
      for (const auto& tr : *t) {
        if (tr.is_object() && tr.contains("class") && tr["class"].is_string())
          o.tranches.push_back(tr["class"]);
      }
    }
  }
  return o;
}

store::CloDealRecord require_deal(store::CloDealRepository& repo, const std::string& tenant,
                                  std::int64_t id) {
  auto d = repo.find(tenant, id);
  if (!d) throw Error::not_found(fmt::format("no CLO deal with id {}", id));
  return *d;
}

store::CloDealVersionRecord require_version(store::CloDealRepository& repo, const std::string& tenant,
                                            const store::CloDealRecord& d,
                                            std::optional<std::int64_t> version) {
  auto v = repo.version(tenant, d.id, version);
  if (!v) {
    throw Error::not_found(fmt::format("CLO deal \"{}\" has no version {} (versions 1 to {})", d.name,
                                       version.value_or(0), d.version));
  }
  return *v;
}

// A checked deal: the reader's parse of the document with its pool, and what is stored of it.
struct CheckedDeal {
  io::CloDealFile file;
  std::string document;  // without collateral and scenario
  bool new_pool = false;
};

// Reads `doc` with its pool: `csv` when given, else the document's inline collateral, else
// `fallback` (the stored pool of the latest version). Every problem of the request in one error.
CheckedDeal check_deal(const json& doc, const std::optional<std::string>& csv,
                       const std::vector<clo::Loan>* fallback, std::vector<std::string> problems) {
  if (!doc.is_object()) {
    problems.push_back("deal: expected the deal document (a JSON object)");
    throw Error::invalid_input("invalid CLO deal", problems);
  }
  if (auto p = inline_deal_names_a_file(doc)) problems.push_back("deal." + *p);
  const auto col = doc.find("collateral");
  const bool inline_pool = col != doc.end() && col->is_array();
  if (!csv && col != doc.end() && col->is_string()) {
    problems.push_back("deal.collateral: names a file (\"" + col->get<std::string>() +
                       "\"): send the pool as collateral_csv or inline");
  }
  const bool absent = col == doc.end() || col->is_null();
  if (!absent && !inline_pool && !col->is_string()) {
    problems.push_back("deal.collateral: must be an array of loans (or send the pool as collateral_csv)");
  } else if (!csv && !inline_pool && !fallback && absent) {
    problems.push_back("deal.collateral: required: the pool inline, or as collateral_csv");
  }
  std::optional<std::vector<clo::Loan>> loans;
  if (csv) {
    try {
      loans = io::parse_clo_collateral_csv(*csv, kPoolName);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kInvalidInput) throw;
      problems.insert(problems.end(), e.details().begin(), e.details().end());
      if (e.details().empty()) problems.push_back(e.what());
    }
  }
  if (!problems.empty()) throw Error::invalid_input("invalid CLO deal", problems);

  CheckedDeal out;
  json without_pool = doc;
  without_pool.erase("collateral");
  if (loans) {
    out.file = io::parse_clo_deal(without_pool.dump(), "deal", *loans);
    out.new_pool = true;
  } else if (inline_pool) {
    out.file = io::parse_clo_deal(doc.dump(), "deal", "/nonexistent");
    out.new_pool = true;
  } else {
    out.file = io::parse_clo_deal(without_pool.dump(), "deal", *fallback);
  }
  // The scenario block was read (it decides a new deal's first assumptions); versions keep theirs apart.
  json stored = std::move(without_pool);
  stored.erase("scenario");
  out.document = stored.dump();
  return out;
}

std::vector<clo::Loan> stored_pool(store::CloDealRepository& repo, const std::string& tenant, std::int64_t id,
                                   std::int64_t set) {
  std::vector<clo::Loan> out;
  for (const auto& r : repo.collateral(tenant, id, set)) out.push_back(loan_of(r));
  return out;
}

// The stored marks of a deal as the readers give them, for a run: `marks` gets the deal's ratings
// and prices, and the run's determination date.
void add_stored_marks(const Context& cx, std::int64_t id, const CloDealVersionSelector& at, CloMarksRequest& marks) {
  store::CloDealRepository& repo = repo_of(cx);
  const std::string& tenant = cx.actor.tenant;
  for (const auto& r : repo.marks(tenant, id, store::CloMarkKind::kRating)) {
    const auto rating = clo::parse_moodys_rating(r.rating);
    if (!rating) throw Error::internal("a stored CLO rating mark has an unknown rating '" + r.rating + "'");
    marks.ratings.push_back({r.as_of, r.obligor, *rating});
  }
  for (const auto& r : repo.marks(tenant, id, store::CloMarkKind::kPrice)) {
    marks.marks.push_back({r.as_of, r.obligor, r.price});
  }
  marks.marks_as_of = at.marks_as_of;
}

// Rows of one kind read from the request's file (a path through the Env, or the uploaded text).
// The reader's warnings (the CSV reader's rules: a cut last line, ...) go to `warnings`.
template <class Mark, class Read, class Parse>
std::vector<Mark> read_marks(const Context& cx, const InputFile& input, const char* what, Read read, Parse parse,
                             std::vector<std::string>* warnings) {
  if (input.text) return parse(*input.text, input.name, warnings);
  return read(cx.env.files.open(input.name, what), warnings);
}

template <class Mark>
CloDealMarksImported import_marks(const Context& cx, const UseCase& use_case, const CloDealMarksImportRequest& request,
                                  store::CloMarkKind kind, const std::vector<Mark>& marks,
                                  std::vector<std::string> warnings) {
  store::CloDealRepository& repo = repo_of(cx);
  const std::string& tenant = cx.actor.tenant;
  const auto d = require_deal(repo, tenant, request.id);
  const auto latest = require_version(repo, tenant, d, std::nullopt);
  std::vector<store::CloMarkRow> rows;
  rows.reserve(marks.size());
  std::set<std::string> obligors;
  for (const auto& m : marks) {
    store::CloMarkRow r;
    r.as_of = m.as_of;
    r.obligor = m.obligor;
    if constexpr (std::is_same_v<Mark, clo::RatingMark>) {
      r.rating = std::string(clo::rating_name(m.rating));
    } else {
      r.price = m.price;
    }
    rows.push_back(std::move(r));
    obligors.insert(m.obligor);
  }
  CloDealMarksImported out;
  out.id = d.id;
  out.deal = d.name;
  out.kind = kind == store::CloMarkKind::kRating ? "ratings" : "marks";
  out.file = request.input.name;
  out.rows = rows.size();
  if (!rows.empty()) {
    const auto [lo, hi] = std::minmax_element(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
      return a.as_of < b.as_of;
    });
    out.first_date = lo->as_of.to_string();
    out.last_date = hi->as_of.to_string();
  }
  for (const auto& r : repo.collateral(tenant, d.id, latest.collateral_set)) obligors.erase(r.obligor);
  out.unknown_obligors.assign(obligors.begin(), obligors.end());
  out.warnings = std::move(warnings);
  const store::CloMarksWriteStats stats = repo.put_marks(tenant, d.id, kind, rows, cx.actor.user);
  out.added = stats.added;
  out.replaced = stats.replaced;
  audit(cx, use_case, deal_resource(d.id),
        {{"name", d.name},
         {"file", out.file},
         {"rows", out.rows},
         {"added", out.added},
         {"replaced", out.replaced},
         {"first_date", out.first_date},
         {"last_date", out.last_date}});
  return out;
}

CloDealMarks stored_marks(const Context& cx, std::int64_t id, store::CloMarkKind kind) {
  store::CloDealRepository& repo = repo_of(cx);
  const std::string& tenant = cx.actor.tenant;
  const auto d = require_deal(repo, tenant, id);
  CloDealMarks out;
  out.id = d.id;
  out.kind = kind == store::CloMarkKind::kRating ? "ratings" : "marks";
  for (auto& r : repo.marks(tenant, id, kind)) {
    CloDealMark m;
    m.as_of = r.as_of.to_string();
    m.obligor = std::move(r.obligor);
    if (kind == store::CloMarkKind::kRating) {
      m.rating = std::move(r.rating);
    } else {
      m.price = percent_of_par(r.price);
    }
    m.imported_at = std::move(r.imported_at);
    m.imported_by = std::move(r.imported_by);
    out.items.push_back(std::move(m));
  }
  return out;
}

}  // namespace

CloDealMarksImported clo_deal_import_ratings(const Context& cx, const CloDealMarksImportRequest& request) {
  authorize(cx, kCloDealRatingsImport, deal_resource(request.id));
  std::vector<std::string> warnings;
  const auto marks = read_marks<clo::RatingMark>(
      cx, request.input, "ratings", [](auto f, auto* w) { return io::read_clo_rating_marks(std::move(f), w); },
      [](const std::string& t, const std::string& n, auto* w) { return io::parse_clo_rating_marks(t, n, w); },
      &warnings);
  return import_marks(cx, kCloDealRatingsImport, request, store::CloMarkKind::kRating, marks, std::move(warnings));
}

CloDealMarksImported clo_deal_import_marks(const Context& cx, const CloDealMarksImportRequest& request) {
  authorize(cx, kCloDealMarksImport, deal_resource(request.id));
  std::vector<std::string> warnings;
  const auto marks = read_marks<clo::PriceMark>(
      cx, request.input, "marks", [](auto f, auto* w) { return io::read_clo_price_marks(std::move(f), w); },
      [](const std::string& t, const std::string& n, auto* w) { return io::parse_clo_price_marks(t, n, w); },
      &warnings);
  return import_marks(cx, kCloDealMarksImport, request, store::CloMarkKind::kPrice, marks, std::move(warnings));
}

CloDealMarks clo_deal_ratings(const Context& cx, std::int64_t id) {
  return stored_marks(cx, id, store::CloMarkKind::kRating);
}

CloDealMarks clo_deal_marks(const Context& cx, std::int64_t id) {
  return stored_marks(cx, id, store::CloMarkKind::kPrice);
}

CloDealCreated clo_deal_create(const Context& cx, const CloDealCreateRequest& request) {
  authorize(cx, kCloDealCreate, "clo_deal");
  store::CloDealRepository& repo = repo_of(cx);
  const std::string& tenant = cx.actor.tenant;
  std::vector<std::string> problems;
  std::string name = request.name.value_or("");
  if (!request.deal) throw Error::invalid_input("invalid CLO deal", {"deal: required: the deal document"});
  if (name.empty() && request.deal->is_object()) {
    if (auto n = request.deal->find("name"); n != request.deal->end() && n->is_string())
      name = n->get<std::string>();
  }
  if (name.empty()) problems.push_back("name: required (the document has no name either)");
  else if (const auto p = spec::name_problem(name, kMaxNameLength); !p.empty()) problems.push_back("name: " + p);
  const CheckedDeal checked = check_deal(*request.deal, request.collateral_csv, nullptr, problems);
  if (repo.find_name(tenant, name)) throw Error::conflict("CLO deal \"" + name + "\" already exists");
  store::CloDealVersionWrite w;
  w.document = checked.document;
  refuse_named_assumptions(request.assumptions);
  w.assumptions = assumptions_row(resolve_scenario(checked.file, request.assumptions));
  w.change = "created";
  w.comment = request.comment;
  w.collateral = rows_of(checked.file.deal.collateral);
  const auto d = repo.create(tenant, name, checked.file.deal.currency, cx.actor.user, w);
  CloDealCreated out;
  out.deal = info_of(d, require_version(repo, tenant, d, std::nullopt));
  out.warnings = checked.file.warnings;
  audit(cx, kCloDealCreate, deal_resource(d.id),
        {{"name", out.deal.name}, {"version", out.deal.version}, {"loans", out.deal.latest.loans}});
  return out;
}

std::vector<CloDealInfo> clo_deal_list(const Context& cx) {
  const std::string& tenant = cx.actor.tenant;
  store::CloDealRepository& repo = repo_of(cx);
  std::vector<CloDealInfo> out;
  for (const auto& d : repo.list(tenant)) {
    if (auto v = repo.version(tenant, d.id, std::nullopt)) out.push_back(info_of(d, *v));
  }
  return out;
}

std::int64_t clo_deal_id(const Context& cx, const std::string& text) {
  const std::string& tenant = cx.actor.tenant;
  store::CloDealRepository& repo = repo_of(cx);
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec == std::errc() && end == text.data() + text.size() && repo.find(tenant, id)) return id;
  if (auto d = repo.find_name(tenant, text)) return d->id;
  throw Error::not_found("no CLO deal " + text);
}

CloDealShown clo_deal_show(const Context& cx, std::int64_t id,
                           std::optional<std::int64_t> version) {
  const std::string& tenant = cx.actor.tenant;
  store::CloDealRepository& repo = repo_of(cx);
  const auto d = require_deal(repo, tenant, id);
  const auto v = require_version(repo, tenant, d, version);
  CloDealShown out;
  out.deal = info_of(d, require_version(repo, tenant, d, std::nullopt));
  out.version = version_view(v);
  out.document = json::parse(v.document, nullptr, false);
  if (!out.document.is_object()) throw Error::internal("a stored CLO deal document is not a JSON object");
  out.document["scenario"] = {{"cdr", v.assumptions.cdr},
                              {"cpr", v.assumptions.cpr},
                              {"recovery", v.assumptions.recovery},
                              {"recovery_lag_months", v.assumptions.recovery_lag_months}};
  return out;
}

CloDealShown clo_deal_update(const Context& cx, const CloDealUpdateRequest& request) {
  authorize(cx, kCloDealUpdate, deal_resource(request.id));
  store::CloDealRepository& repo = repo_of(cx);
  const std::string& tenant = cx.actor.tenant;
  const auto d = require_deal(repo, tenant, request.id);
  const auto latest = require_version(repo, tenant, d, std::nullopt);
  const std::vector<clo::Loan> pool = stored_pool(repo, tenant, d.id, latest.collateral_set);
  const json doc = request.deal ? *request.deal : json::parse(latest.document, nullptr, false);
  const CheckedDeal checked = check_deal(doc, request.collateral_csv, &pool, {});
  store::CloDealVersionWrite w;
  w.document = checked.document;
  w.assumptions = with_overrides(latest.assumptions, request.assumptions);
  w.comment = request.comment;
  if (checked.new_pool) w.collateral = rows_of(checked.file.deal.collateral);
  w.change = request.deal && checked.new_pool ? "deal+collateral"
             : request.deal                   ? "deal"
             : checked.new_pool               ? "collateral"
                                              : "assumptions";
  const auto v = repo.add_version(tenant, d.id, checked.file.deal.currency, cx.actor.user, w);
  auto out = clo_deal_show(cx, d.id, v.version);
  audit(cx, kCloDealUpdate, deal_resource(d.id),
        {{"name", out.deal.name}, {"version", out.version.version}, {"change", out.version.change}});
  return out;
}

CloDealVersionInfo clo_deal_set_assumptions(const Context& cx, const CloDealAssumptionsRequest& request) {
  authorize(cx, kCloDealAssumptions, deal_resource(request.id));
  store::CloDealRepository& repo = repo_of(cx);
  const std::string& tenant = cx.actor.tenant;
  const auto d = require_deal(repo, tenant, request.id);
  const auto latest = require_version(repo, tenant, d, std::nullopt);
  store::CloDealVersionWrite w;
  w.document = latest.document;
  w.assumptions = with_overrides(latest.assumptions, request.assumptions);
  w.change = "assumptions";
  w.comment = request.comment;
  auto out = version_view(repo.add_version(tenant, d.id, d.currency, cx.actor.user, w));
  audit(cx, kCloDealAssumptions, deal_resource(d.id), {{"version", out.version}, {"assumptions", spec::to_json(out.assumptions)}});
  return out;
}

CloDealVersionInfo clo_deal_add_trade_version(const Context& cx, std::int64_t id, std::int64_t base_version,
                                              const std::vector<clo::Loan>& pool, double principal_cash,
                                              const std::string& ticket, const std::string& comment) {
  store::CloDealRepository& repo = repo_of(cx);
  const std::string& tenant = cx.actor.tenant;
  const auto d = require_deal(repo, tenant, id);
  const auto latest = require_version(repo, tenant, d, std::nullopt);
  if (latest.version != base_version) {
    throw Error::conflict(fmt::format("CLO deal {} has a version {} since the trades were tested on version {}: "
                                      "test them again",
                                      id, latest.version, base_version));
  }
  json doc = json::parse(latest.document, nullptr, false);
  if (!doc.is_object()) throw Error::internal(fmt::format("CLO deal {} has a stored document that is not JSON", id));
  doc["principal_cash"] = principal_cash;
  store::CloDealVersionWrite w;
  w.document = doc.dump();
  w.assumptions = latest.assumptions;
  w.change = "trade";
  w.comment = comment;
  w.collateral = rows_of(pool);
  w.trades = ticket;
  return version_view(repo.add_version(tenant, d.id, d.currency, cx.actor.user, w));
}

CloDealVersions clo_deal_versions(const Context& cx, std::int64_t id) {
  const std::string& tenant = cx.actor.tenant;
  store::CloDealRepository& repo = repo_of(cx);
  require_deal(repo, tenant, id);
  CloDealVersions out;
  for (const auto& v : repo.versions(tenant, id)) out.items.push_back(version_view(v));
  return out;
}

CloDealCollateral clo_deal_collateral(const Context& cx, std::int64_t id,
                                      std::optional<std::int64_t> version) {
  const std::string& tenant = cx.actor.tenant;
  store::CloDealRepository& repo = repo_of(cx);
  const auto d = require_deal(repo, tenant, id);
  const auto v = require_version(repo, tenant, d, version);
  CloDealCollateral out;
  out.id = d.id;
  out.version = v.version;
  out.loans = v.loans;
  out.par = v.collateral_par;
  for (const auto& r : repo.collateral(tenant, id, v.collateral_set)) {
    out.items.push_back({r.obligor, r.industry, r.par, percent_of_par(r.price), r.coupon_type, r.spread, r.floor,
                         r.coupon, r.maturity.to_string(), r.rating, r.lien, r.defaulted, r.asset_id, r.facility_id,
                         r.unfunded, r.country, r.cov_lite, r.dip, r.moodys_rating, r.sp_rating});
  }
  return out;
}

CloDealDeleted clo_deal_delete(const Context& cx, std::int64_t id) {
  authorize(cx, kCloDealDelete, deal_resource(id));
  store::CloDealRepository& repo = repo_of(cx);
  const std::string& tenant = cx.actor.tenant;
  const auto d = require_deal(repo, tenant, id);
  if (!repo.remove(tenant, id)) throw Error::not_found(fmt::format("no CLO deal with id {}", id));
  const CloDealDeleted out{d.name, d.id, d.version};
  audit(cx, kCloDealDelete, deal_resource(id), {{"name", out.deleted}, {"versions", out.versions}});
  return out;
}

io::CloDealFile clo_deal_file(const Context& cx, std::int64_t id,
                              std::optional<std::int64_t> version) {
  const std::string& tenant = cx.actor.tenant;
  store::CloDealRepository& repo = repo_of(cx);
  const auto d = require_deal(repo, tenant, id);
  const auto v = require_version(repo, tenant, d, version);
  io::CloDealFile file =
      io::parse_clo_deal(v.document, d.name, stored_pool(repo, tenant, id, v.collateral_set));
  file.scenario = clo::Scenario{v.assumptions.cdr, v.assumptions.cpr, v.assumptions.recovery,
                                v.assumptions.recovery_lag_months};
  return file;
}

CloRunResult clo_deal_run(const Context& cx, std::int64_t id,
                          const CloDealRunRequest& request) {
  CloRunRequest r;
  r.source.parsed = clo_deal_file(cx, id, request.at.version);
  add_stored_marks(cx, id, request.at, r.marks);
  r.marks.migration_json = request.migration;
  r.scenario = request.scenario;
  return clo_run(cx, r);
}

CloDealRunOutcome run_clo_deal(const Context& cx, std::int64_t id, const CloDealRunRequest& request) {
  authorize(cx, kCloDealRun, deal_resource(id));
  CloDealRunOutcome out;
  store::CloDealRepository& repo = repo_of(cx);
  const std::string& tenant = cx.actor.tenant;
  const auto d = require_deal(repo, tenant, id);
  const auto v = require_version(repo, tenant, d, request.at.version);
  // Without a job queue (the keel command, Python) the run is computed here.
  if (cx.jobs != nullptr && (request.async || v.loans > kForegroundCloLoans)) {
    CloDealRunRequest pinned = request;
    pinned.at.version = v.version;  // an edit after queueing does not change what the job runs
    pinned.async = false;
    out.job = queue_job(cx, "clo.deal.run", {{"deal", d.id}, {"options", spec::to_request_json(pinned)}},
                        {{"deal", d.id}, {"version", v.version}, {"loans", v.loans}});
    return out;
  }
  out.result = clo_deal_run(cx, id, request);
  return out;
}

std::pair<std::int64_t, CloDealRunRequest> read_clo_deal_run_job(const nlohmann::json& job_request) {
  std::vector<std::string> problems;
  const auto deal = job_request.find("deal");
  const auto options = job_request.find("options");
  if (deal == job_request.end() || !deal->is_number_integer()) problems.push_back("request.deal: required: the deal's id");
  if (options == job_request.end() || !options->is_object()) {
    problems.push_back("request.options: required: the clo/deals/{id}/run body");
  }
  if (!problems.empty()) throw Error::invalid_input("invalid job request", problems);
  CloDealRunRequest r;
  spec::read_json(*options, r, "CLO request");
  return {deal->get<std::int64_t>(), r};
}

CloTestsResult clo_deal_tests(const Context& cx, std::int64_t id,
                              const CloDealTestsRequest& request) {
  return clo_deal_tests(cx, id, request, clo_deal_file(cx, id, request.at.version));
}

CloTestsResult clo_deal_tests(const Context& cx, std::int64_t id, const CloDealTestsRequest& request,
                              io::CloDealFile version_file) {
  CloTestsRequest r;
  r.source.parsed = std::move(version_file);
  add_stored_marks(cx, id, request.at, r.marks);
  r.marks.migration_json = request.migration;
  r.scenario = request.scenario;
  r.as_of = request.as_of;
  return clo_tests(cx, r);
}

CloGridResult clo_deal_grid(const Context& cx, std::int64_t id,
                            const CloDealGridRequest& request) {
  CloGridRequest r;
  r.source.parsed = clo_deal_file(cx, id, request.at.version);
  add_stored_marks(cx, id, request.at, r.marks);
  r.marks.migration_json = request.migration;
  r.scenario_names = request.scenario_names;
  r.cdr = request.cdr;
  r.cpr = request.cpr;
  r.recovery = request.recovery;
  r.recovery_lag_months = request.recovery_lag_months;
  return clo_grid(cx, r);
}

CloMonteCarloResult clo_deal_montecarlo(const Context& cx, std::int64_t id,
                                        const CloDealMonteCarloRequest& request) {
  CloMonteCarloRequest r;
  r.source.parsed = clo_deal_file(cx, id, request.at.version);
  add_stored_marks(cx, id, request.at, r.marks);
  r.marks.migration_json = request.migration;
  r.scenario = request.scenario;
  r.scenarios = request.scenarios;
  r.seed = request.seed;
  r.correlation = request.correlation;
  r.confidence = request.confidence;
  r.histogram_bins = request.histogram_bins;
  r.pair_correlations = request.pair_correlations;
  return clo_montecarlo(cx, r);
}

}  // namespace keel::service
