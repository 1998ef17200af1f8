// clo_determine and clo_determinations (keel/service/clo_determinations.h).
#include "keel/service/clo_determinations.h"

#include <fmt/format.h>

#include <cmath>

#include "keel/clo/projection.h"
#include "keel/core/error.h"
#include "keel/service/admission.h"
#include "keel/service/changes.h"
#include "keel/service/clo_deals.h"
#include "keel/store/clo_repository.h"
#include "keel/store/store.h"

namespace keel::service {
namespace {

spec::Nullable<double> finite_or_null(double x) {
  spec::Nullable<double> out;
  if (std::isfinite(x)) out.emplace(x);
  return out;
}

CloTestOnDate test_on_date(const CloTest& t, const char* kind) {
  return {t.name, finite_or_null(t.value), t.threshold, t.bound, finite_or_null(t.cushion), t.pass, kind, t.subject};
}

// The tests of a kept result, quality first.
std::vector<CloTestOnDate> tests_of(const CloTestsResult& r) {
  std::vector<CloTestOnDate> out;
  for (const auto& t : r.quality) out.push_back(test_on_date(t, "quality"));
  for (const auto& t : r.coverage.tests) out.push_back(test_on_date(t, "coverage"));
  return out;
}

// "breach: NAME 1.08 under the minimum 1.1" / "alert: NAME 1.105, within 0.45 % of the minimum 1.1".
std::string event_of(const CloTestOnDate& t, bool breach) {
  const std::string value = t.value ? fmt::format("{:.6g}", *t.value) : std::string("undefined");
  const char* side = t.bound == "max" ? "maximum" : "minimum";
  if (breach) {
    return fmt::format("breach: {} {} {} the {} {:.6g}", t.name, value, t.bound == "max" ? "over" : "under", side,
                       t.threshold);
  }
  return fmt::format("alert: {} {}, within {:.2f} % of the {} {:.6g}", t.name, value,
                     t.cushion && t.threshold != 0.0 ? 100.0 * *t.cushion / std::fabs(t.threshold) : 0.0, side,
                     t.threshold);
}

CloDetermination determination_of(const store::CloDeterminationRow& row, const std::string& deal) {
  CloDetermination out;
  out.id = row.id;
  out.deal_id = row.deal_id;
  out.deal = deal;
  out.as_of = row.as_of.to_string();
  out.version = row.version;
  out.passed = row.passed;
  out.breaches = static_cast<std::size_t>(row.breaches);
  out.alerts = static_cast<std::size_t>(row.alerts);
  out.determined_at = row.determined_at;
  out.determined_by = row.determined_by;
  const nlohmann::json kept = nlohmann::json::parse(row.result, nullptr, false);
  if (kept.is_object()) {
    for (const auto& t : kept.value("tests", nlohmann::json::array())) {
      CloTestOnDate x;
      spec::read_json(t, x, "a kept CLO test");
      out.tests.push_back(std::move(x));
    }
    for (const auto& e : kept.value("events", nlohmann::json::array())) out.events.push_back(e.get<std::string>());
  }
  return out;
}

}  // namespace

std::optional<CloDetermination> clo_determine_if_closed(const Context& cx, const CloDetermineRequest& request,
                                                        Date& closing) {
  const std::int64_t id = clo_deal_id(cx, request.deal);
  authorize(cx, kCloDetermine, fmt::format("clo_deal/{}", id));
  if (!request.as_of) throw Error::invalid_input("invalid determination", {"as_of: required: the determination date"});
  store::CloDealRepository& repo = require_store(cx, "CLO determinations are kept in the store").clo_deals();
  const auto deal = repo.find(cx.actor.tenant, id);
  if (!deal) throw Error::not_found(fmt::format("no CLO deal with id {}", id));
  io::CloDealFile file = clo_deal_file(cx, id, request.version);
  closing = file.deal.dates.closing;
  if (*request.as_of < closing) return std::nullopt;
  CloDealTestsRequest tr;
  tr.at.version = request.version;
  tr.as_of = request.as_of;
  const CloTestsResult result = clo_deal_tests(cx, id, tr, std::move(file));

  CloDetermination out;
  out.deal_id = id;
  out.deal = deal->name;
  out.as_of = request.as_of->to_string();
  out.version = request.version.value_or(deal->version);
  out.tests = tests_of(result);
  for (const auto& t : out.tests) {
    if (!t.pass) {
      ++out.breaches;
      out.events.push_back(event_of(t, true));
    } else if (t.cushion && t.threshold != 0.0 && *t.cushion < request.alert_below * std::fabs(t.threshold)) {
      ++out.alerts;
      out.events.push_back(event_of(t, false));
    }
  }
  out.passed = out.breaches == 0;
  store::CloDeterminationRow row;
  row.deal_id = id;
  row.as_of = *request.as_of;
  row.version = out.version;
  row.passed = out.passed;
  row.breaches = static_cast<std::int64_t>(out.breaches);
  row.alerts = static_cast<std::int64_t>(out.alerts);
  row.result = nlohmann::json{{"tests", spec::to_json(out.tests)}, {"events", out.events}, {"result", spec::to_json(result)}}
                   .dump();
  const store::CloDeterminationRow kept = repo.put_determination(cx.actor.tenant, std::move(row), cx.actor.user);
  out.id = kept.id;
  out.determined_at = kept.determined_at;
  out.determined_by = kept.determined_by;
  audit(cx, kCloDetermine, fmt::format("clo_deal/{}", id),
        {{"as_of", out.as_of}, {"version", out.version}, {"breaches", out.breaches}, {"alerts", out.alerts},
         {"events", out.events}},
        out.breaches > 0 ? "breach" : out.alerts > 0 ? "alert" : "ok");
  if (out.breaches > 0 || out.alerts > 0) clo_deal_changed(cx, id, deal->name, out.breaches > 0 ? "breach" : "alert");
  return out;
}

CloDetermination clo_determine(const Context& cx, const CloDetermineRequest& request) {
  Date closing;
  if (auto d = clo_determine_if_closed(cx, request, closing)) return std::move(*d);
  throw Error::invalid_input("invalid determination",
                             {fmt::format("as_of: {} is before the deal's closing date {}", request.as_of->to_string(),
                                          closing.to_string())});
}

CloDeterminations clo_backfill(const Context& cx, const CloBackfillRequest& request) {
  std::vector<std::string> problems;
  if (!request.from) problems.push_back("from: required: the first day");
  if (!request.to) problems.push_back("to: required: the last day");
  if (request.from && request.to && *request.to < *request.from) {
    problems.push_back(fmt::format("to: {} is before from {}", request.to->to_string(), request.from->to_string()));
  }
  if (!problems.empty()) throw Error::invalid_input("invalid CLO backfill", problems);
  // The month-ends of the range, checked for size before anything runs.
  std::vector<Date> dates;
  for (int y = request.from->year(), m = request.from->month();;) {
    const Date d = Date::from_ymd(y, m, days_in_month(y, m));  // on or after `from`
    if (*request.to < d) break;
    dates.push_back(d);
    if (dates.size() > static_cast<std::size_t>(kMaxBackfillDeterminations)) {
      throw Error::invalid_input("invalid CLO backfill",
                                 {fmt::format("to: more than {} month-ends from {}", kMaxBackfillDeterminations,
                                              request.from->to_string())});
    }
    if (++m > 12) {
      m = 1;
      ++y;
    }
  }
  CloDeterminations out;
  out.deal_id = clo_deal_id(cx, request.deal);
  authorize(cx, kCloDetermine, fmt::format("clo_deal/{}", out.deal_id));
  // One projection per month-end (its coverage tests): the cost, stated and admitted before any runs.
  {
    const clo::CloModel model(clo_deal_file(cx, out.deal_id, request.version).deal);
    admit_now(cx, clo_projection_cost("CLO backfill", static_cast<double>(dates.size()), model,
                                      fmt::format("month-ends {}", dates.size()), "from, to"));
  }
  CloDetermineRequest one;
  one.deal = std::to_string(out.deal_id);
  one.version = request.version;
  one.alert_below = request.alert_below;
  for (const Date d : dates) {
    one.as_of = d;
    Date closing;
    if (auto kept = clo_determine_if_closed(cx, one, closing)) {
      out.deal = kept->deal;
      out.items.push_back(std::move(*kept));
    }
  }
  if (out.deal.empty()) out.deal = clo_deal_show(cx, out.deal_id, std::nullopt).deal.name;
  return out;
}

CloDeterminations clo_determinations(const Context& cx, const CloDeterminationsRequest& request) {
  const std::int64_t id = clo_deal_id(cx, request.deal);
  store::CloDealRepository& repo = require_store(cx, "CLO determinations are kept in the store").clo_deals();
  const auto deal = repo.find(cx.actor.tenant, id);
  if (!deal) throw Error::not_found(fmt::format("no CLO deal with id {}", id));
  CloDeterminations out;
  out.deal_id = id;
  out.deal = deal->name;
  for (const auto& r : repo.determinations(cx.actor.tenant, id, request.from, request.to)) {
    out.items.push_back(determination_of(r, deal->name));
  }
  return out;
}

}  // namespace keel::service
