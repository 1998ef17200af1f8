// Macro series (keel/service/macro.h): FRED series by id into the store, listed and shown with
// their year-over-year changes, and the changes planning and ALM read of them.
#include "keel/service/macro.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "keel/store/macro_repository.h"
#include "market_data_internal.h"

namespace keel::service {
namespace {

// How far before the date a year (or `months`) earlier the base observation may be: a monthly
// series dated on the 1st has it on that very date; a daily series on the last trading day before.
constexpr int kBaseSlackDays = 31;

MacroSeriesView view_of(const store::MacroSeriesInfo& s) {
  MacroSeriesView v;
  v.id = s.id;
  v.title = s.title;
  v.units = s.units;
  v.frequency = s.frequency;
  v.source = s.source;
  v.observations = s.observations;
  if (s.first) v.first.emplace(*s.first);
  if (s.last) v.last.emplace(*s.last);
  v.updated_at = s.updated_at;
  return v;
}

// The series id as stored, or the problem with it.
std::optional<std::string> valid_id(std::string_view id, std::string& why) {
  std::string out;
  for (const char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') {
      why = "expected a series id of letters, digits and _ (e.g. CPIAUCSL), got " + shown_with(id, 60, '"');
      return std::nullopt;
    }
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (out.empty() || out.size() > 40) {
    why = "expected a series id of 1 to 40 characters, got " + shown_with(id, 60, '"');
    return std::nullopt;
  }
  return out;
}

// The latest observation on or before `d` in `obs` (ascending), or nullptr.
const store::MacroObservation* on_or_before(const std::vector<store::MacroObservation>& obs, Date d) {
  auto it = std::upper_bound(obs.begin(), obs.end(), d,
                             [](Date x, const store::MacroObservation& o) { return x < o.date; });
  return it == obs.begin() ? nullptr : &*std::prev(it);
}

// The observation `months` before the one at `t`: the latest on or before t - months, no more
// than kBaseSlackDays before it.
const store::MacroObservation* base_of(const std::vector<store::MacroObservation>& obs, Date t, int months) {
  const Date target = t.add_months(-months);
  const auto* b = on_or_before(obs, target);
  return b && target - b->date <= kBaseSlackDays ? b : nullptr;
}

// The stored observations of the series `ref` names (not_found, naming the fetch, otherwise).
std::pair<std::string, std::vector<store::MacroObservation>> stored_series(const Context& cx, std::string_view ref,
                                                                           std::string_view field) {
  Store& store = require_store(cx, "macro series are stored (keel fetch macro)");
  const std::string id = macro_series_id(ref);
  std::string why;
  if (!valid_id(id, why)) throw Error::invalid_input("invalid macro series", {std::string(field) + ": " + why});
  if (!store.macro().find(id)) {
    throw Error::not_found(fmt::format("{}: no macro series {} is stored (keel fetch macro {})", field, id, id));
  }
  return {id, store.macro().observations(id, std::nullopt, std::nullopt)};
}

MacroChange change_of(const Context& cx, std::string_view ref, std::optional<Date> as_of, int months,
                      std::string_view field, bool ratio) {
  auto [id, obs] = stored_series(cx, ref, field);
  const auto* last = as_of ? on_or_before(obs, *as_of) : (obs.empty() ? nullptr : &obs.back());
  if (!last) {
    throw Error::invalid_input("invalid macro driver",
                               {fmt::format("{}: {} has no observation{}", field, id,
                                            as_of ? " on or before " + as_of->to_string() : std::string())});
  }
  const auto* base = base_of(obs, last->date, months);
  if (!base) {
    throw Error::invalid_input(
        "invalid macro driver",
        {fmt::format("{}: {} has no observation within {} days before {} ({} months before its {} value); fetch "
                     "more history (keel fetch macro {} --from ...)",
                     field, id, kBaseSlackDays, last->date.add_months(-months).to_string(), months,
                     last->date.to_string(), id)});
  }
  if (ratio && base->value == 0.0) {
    throw Error::invalid_input("invalid macro driver",
                               {fmt::format("{}: {} is 0 on {}: no year-over-year change", field, id,
                                            base->date.to_string())});
  }
  MacroChange c;
  c.id = id;
  c.date = last->date;
  c.base_date = base->date;
  c.value = last->value;
  c.base_value = base->value;
  c.change = ratio ? last->value / base->value - 1.0 : last->value - base->value;
  return c;
}

}  // namespace

std::string macro_series_id(std::string_view ref) {
  if (const auto colon = ref.find(':'); colon != std::string_view::npos) ref = ref.substr(colon + 1);
  std::string out(ref);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

FetchMacroResult fetch_macro(const Context& cx, const FetchMacroRequest& req) {
  authorize(cx, kMacroFetch, "macro");
  Store& store = require_store(cx, "fetched macro series are stored (--db)");
  std::vector<std::string> problems;
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < req.series.size(); ++i) {
    std::string why;
    if (auto id = valid_id(req.series[i], why)) {
      if (std::find(ids.begin(), ids.end(), *id) == ids.end()) ids.push_back(*id);
    } else {
      problems.push_back(fmt::format("series[{}]: {}", i, why));
    }
  }
  if (req.series.empty()) problems.push_back("series: expected at least one series id, e.g. CPIAUCSL");
  const Date to = req.to.value_or(detail::utc_today(store.clock()));
  if (req.from && *req.from > to) problems.push_back("from: is after to (" + to.to_string() + ")");
  if (!problems.empty()) throw Error::invalid_input("invalid macro fetch", problems);
  auto provider = detail::open_provider(cx, cx.actor.tenant, req.source);
  if (!provider->capabilities().macro) {
    throw Error::usage(req.source.provider + " does not serve macro series (provider with macro series: fred)");
  }
  const Date first_default = req.from.value_or(to.add_years(-kMacroDefaultYears));

  FetchMacroResult out;
  out.provider = provider->name();
  out.to = to;
  // Everything is fetched first; then one transaction writes it all.
  std::vector<std::pair<store::MacroSeriesInfo, std::vector<store::MacroObservation>>> fetched;
  for (const auto& id : ids) {
    FetchedMacroSeries f;
    const auto stored = store.macro().find(id);
    if (stored && stored->last) f.stored_until.emplace(*stored->last);
    f.from = req.full || !f.stored_until ? first_default : std::max(first_default, f.stored_until->add_days(1));
    if (f.from > to) {
      f.status = "up_to_date";
      out.series.push_back(std::move(f));
      continue;
    }
    const marketdata::MacroSeries m = provider->macro_series(id, f.from, to);
    store::MacroSeriesInfo info;
    info.id = id;
    info.title = m.title;
    info.units = m.units;
    info.frequency = m.frequency;
    info.source = provider->name();
    std::vector<store::MacroObservation> rows;
    for (std::size_t i = 0; i < m.date.size(); ++i) rows.push_back({m.date[i], m.value[i]});
    f.received = rows.size();
    f.status = rows.empty() ? "no_new_data" : "fetched";
    out.observations += rows.size();
    out.series.push_back(std::move(f));
    if (!rows.empty() || !stored) fetched.emplace_back(std::move(info), std::move(rows));
  }
  store.transaction([&] {
    for (const auto& [info, rows] : fetched) store.macro().upsert(info, rows);
  });
  // What is stored now (ids and out.series are in the same order).
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (const auto now = store.macro().find(ids[i])) out.series[i].series = view_of(*now);
    else out.series[i].series.id = ids[i];  // nothing received, nothing stored
  }
  out.stats = detail::stats_of(*provider);
  audit(cx, kMacroFetch, "macro",
        {{"provider", out.provider}, {"series", ids}, {"observations", out.observations}, {"to", to.to_string()}});
  return out;
}

MacroListResult macro_list(const Context& cx) {
  Store& store = require_store(cx, "macro series are stored (keel fetch macro)");
  MacroListResult out;
  for (const auto& s : store.macro().list()) out.items.push_back(view_of(s));
  return out;
}

MacroShowResult macro_show(const Context& cx, const MacroShowRequest& req) {
  auto [id, obs] = stored_series(cx, req.id, "id");
  MacroShowResult out;
  out.series = view_of(*require_store(cx, "macro series").macro().find(id));
  for (const auto& o : obs) {
    if ((req.from && o.date < *req.from) || (req.to && o.date > *req.to)) continue;
    MacroPoint p;
    p.date = o.date;
    p.value = o.value;
    if (const auto* b = base_of(obs, o.date, 12); b && b->value != 0.0) p.yoy.emplace(o.value / b->value - 1.0);
    out.observations.push_back(p);
  }
  return out;
}

MacroChange macro_yoy(const Context& cx, std::string_view ref, std::optional<Date> as_of, std::string_view field) {
  return change_of(cx, ref, as_of, 12, field, true);
}

MacroChange macro_level_change(const Context& cx, std::string_view ref, std::optional<Date> as_of, int months,
                               std::string_view field) {
  return change_of(cx, ref, as_of, months, field, false);
}

}  // namespace keel::service
