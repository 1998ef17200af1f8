// The IRRBB use cases: inputs -> keel::alm::run_irrbb -> INTERFACES.md JSON.
#include "keel/service/alm.h"

#include <algorithm>
#include <cmath>

#include "keel/core/error.h"
#include "keel/io/balance_sheet_reader.h"
#include "keel/portfolio/curve.h"
#include "keel/store/alm_repository.h"

namespace keel::service {
namespace {

using nlohmann::json;

template <class F>
auto read_input(const InputFile& file, const std::string& what, F&& fn, std::vector<std::string>* warnings) {
  Diagnostics diags;
  io::CsvReader csv = file.text ? io::CsvReader::from_text(file.name, *file.text, diags)
                                : io::CsvReader::open(file.name, diags);
  auto result = fn(csv, diags);
  diags.throw_if_errors(what + " " + file.name + " has problems");
  if (warnings) {
    for (const auto& w : diags.warnings()) warnings->push_back(w.to_string());
  }
  return result;
}

CurveData load_curve(Store* store, const AlmCurveInput& in, const std::string& currency,
                     std::vector<std::string>* warnings) {
  CurveData c;
  if (in.file) {
    io::CurveReadOptions o;
    o.kind = in.kind;
    o.units = in.units;
    o.date = in.date;
    o.currency = currency;
    c = read_input(*in.file, "curve", [&](io::CsvReader& csv, Diagnostics& d) { return io::read_curve(csv, o, d); },
                   warnings);
  } else if (in.stored) {
    if (store == nullptr) throw Error::usage("a stored curve needs the store (--db)");
    auto found = store->curve(*in.stored, in.date);
    if (!found) throw Error::not_found("no stored curve named \"" + *in.stored + "\"");
    c = *found;
  } else {
    throw Error::usage("a curve needs a file or a stored curve name");
  }
  c.currency = currency;
  std::sort(c.points.begin(), c.points.end(), [](const CurvePoint& a, const CurvePoint& b) { return a.years < b.years; });
  return c;
}

json nullable(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json outlier_json(const alm::OutlierTest& o) {
  json j{{"tier1", nullable(o.tier1)}, {"ratio", nullable(o.ratio)}, {"threshold", o.threshold}};
  j["outlier"] = o.outlier ? json(*o.outlier) : json(nullptr);
  return j;
}

json eve_scenarios(const std::vector<alm::EveScenarioResult>& v) {
  json a = json::array();
  for (const auto& e : v) {
    a.push_back({{"name", e.name}, {"eve", e.eve}, {"delta", e.delta}, {"delta_regulatory", e.delta_regulatory},
                 {"assets", e.assets}, {"liabilities", e.liabilities}, {"eve_standardised", e.eve_standardised}});
  }
  return a;
}

json nii_scenarios(const std::vector<alm::NiiScenarioResult>& v) {
  json a = json::array();
  for (const auto& n : v) {
    a.push_back({{"name", n.name}, {"nii", n.nii}, {"delta", n.delta}, {"delta_regulatory", n.delta_regulatory},
                 {"income", n.income}, {"expense", n.expense}});
  }
  return a;
}

json monthly_json(const alm::NiiScenarioResult& base, const std::vector<alm::NiiScenarioResult>& scen,
                  const std::vector<Date>& starts) {
  json a = json::array();
  for (std::size_t m = 0; m < base.monthly.size(); ++m) {
    json row{{"month", m + 1}, {"start", m < starts.size() ? starts[m].to_string() : ""}, {"base", base.monthly[m]}};
    for (const auto& s : scen) row[s.name] = m < s.monthly.size() ? s.monthly[m] : 0.0;
    a.push_back(row);
  }
  return a;
}

json buckets_json(const std::array<alm::GapBucket, alm::kBucketCount>& g) {
  json a = json::array();
  for (const auto& b : g) {
    a.push_back({{"name", b.name}, {"from_years", b.from_years},
                 {"to_years", std::isinf(b.to_years) ? json(nullptr) : json(b.to_years)},
                 {"midpoint_years", b.midpoint_years}, {"assets", b.assets}, {"liabilities", b.liabilities},
                 {"gap", b.gap}, {"cumulative_gap", b.cumulative_gap}});
  }
  return a;
}

json header(const alm::AlmResult& r) {
  return {{"as_of", r.as_of.to_string()}, {"currency", r.reporting_currency}, {"positions", r.positions}};
}

// The store's clock (so a pinned clock pins session expiry), or the system clock without a store.
std::int64_t now_seconds(const Store* store) { return (store ? store->clock() : system_clock_source()).unix_seconds(); }

alm::AlmResult run(Store* store, const AlmRequest& request, bool nii, AlmInputs* keep = nullptr) {
  AlmInputs in = load_alm_inputs(store, request, now_seconds(store));
  in.options.run_nii = nii;
  alm::AlmResult r = alm::run_irrbb(in.book, in.market, in.options);
  if (keep) *keep = std::move(in);
  return r;
}

void store_result(Store* store, const AlmInputs& in, const std::string& kind, const json& j) {
  if (store == nullptr || !in.session_id) return;
  store::AlmRepository& repo = store->alm_sessions();
  repo.save_result(*in.session_id, kind, j.dump(), now_seconds(store));
}

}  // namespace

AlmInputs load_alm_inputs(Store* store, const AlmRequest& request, std::int64_t now_epoch) {
  AlmInputs in;
  json settings = json::object();
  if (request.session) {
    if (store == nullptr) throw Error::usage("--session needs the store (--db)");
    store::AlmRepository& repo = store->alm_sessions();
    store::AlmSessionData data = repo.load(request.tenant, *request.session, now_epoch);
    in.book = std::move(data.book);
    in.curves = std::move(data.curves);
    in.user_shocks = std::move(data.shock_table);
    in.session_id = data.info.id;
    settings = json::parse(data.info.settings, nullptr, false);
    if (settings.is_discarded() || !settings.is_object()) settings = json::object();
    if (data.info.as_of) settings["as_of"] = data.info.as_of->to_string();
    settings["currency"] = data.info.currency;
  } else if (!request.balance_sheet) {
    throw Error::usage("give --balance-sheet FILE (or --session NAME)");
  }
  const std::string currency = request.currency.value_or(settings.value("currency", std::string("USD")));
  if (request.balance_sheet) {
    io::BalanceSheetReadOptions o;
    o.default_currency = currency;
    in.book = read_input(*request.balance_sheet, "balance sheet",
                         [&](io::CsvReader& csv, Diagnostics& d) { return io::read_balance_sheet(csv, o, d); },
                         &in.warnings);
  }
  for (const AlmCurveInput& c : request.curves) {
    const std::string ccy = c.currency.empty() ? currency : c.currency;
    in.curves[ccy] = load_curve(store, c, ccy, &in.warnings);
  }
  if (in.curves.empty()) throw Error::usage("give --curve FILE (one per currency: --curve EUR=FILE)");
  if (request.shock_table) {
    in.user_shocks = read_input(*request.shock_table, "shock table",
                                [](io::CsvReader& csv, Diagnostics& d) { return io::read_shock_table(csv, d); },
                                &in.warnings);
  }
  in.market.shocks = in.user_shocks ? *in.user_shocks : io::default_shock_table();
  std::vector<std::string> curve_problems;
  for (const auto& [ccy, c] : in.curves) {
    try {
      in.market.curves[ccy] = to_zero_curve(c);
    } catch (const Error& e) {
      curve_problems.push_back(ccy + " curve: " + e.what());
      for (const auto& d : e.details()) curve_problems.push_back("  " + d);
    }
  }
  if (!curve_problems.empty()) throw Error::invalid_input("a curve cannot be used", curve_problems);

  alm::AlmOptions& o = in.options;
  if (request.as_of) {
    o.as_of = *request.as_of;
  } else if (settings.contains("as_of")) {
    o.as_of = Date::parse_or_throw(settings["as_of"].get<std::string>(), "session as_of");
  } else {
    std::optional<Date> d;
    for (const auto& [ccy, c] : in.curves) {
      if (c.as_of) d = c.as_of;
    }
    if (!d) throw Error::usage("give --as-of YYYY-MM-DD (the curve file has no date)");
    o.as_of = *d;
  }
  o.reporting_currency = currency;
  if (request.tier1) o.tier1 = *request.tier1;
  else if (settings.contains("tier1") && settings["tier1"].is_number()) o.tier1 = settings["tier1"].get<double>();
  if (o.tier1 && !(*o.tier1 > 0.0)) throw Error::usage("--tier1 must be a positive amount");
  if (settings.contains("fx") && settings["fx"].is_object()) {
    for (auto it = settings["fx"].begin(); it != settings["fx"].end(); ++it) o.fx_rates[it.key()] = it.value().get<double>();
  }
  for (const auto& [k, v] : request.fx) o.fx_rates[k] = v;
  o.nii_horizon_months = request.nii_horizon_months.value_or(settings.value("horizon_months", 12));
  o.apply_floor = request.floor.value_or(settings.value("floor", true));
  o.gain_weight = request.gain_weight.value_or(settings.value("gain_weight", 0.5));
  if (request.scenarios) {
    o.custom_scenarios = read_input(*request.scenarios, "scenario file",
                                    [](io::CsvReader& csv, Diagnostics& d) { return io::read_scenarios(csv, d); },
                                    &in.warnings);
    for (auto& s : o.custom_scenarios) s.apply_floor = o.apply_floor;
  }
  return in;
}

json eve_json(const alm::AlmResult& r) {
  json j = header(r);
  j["base"] = r.eve_base.eve;
  j["base_assets"] = r.eve_base.assets;
  j["base_liabilities"] = r.eve_base.liabilities;
  j["base_standardised"] = r.eve_base.eve_standardised;
  j["scenarios"] = eve_scenarios(r.eve);
  j["worst"] = {{"name", r.eve_worst}, {"delta", r.eve_worst_delta}};
  j["sot"] = outlier_json(r.sot);
  json cur = json::array();
  for (const auto& c : r.currencies) {
    cur.push_back({{"currency", c.currency}, {"positions", c.positions}, {"fx_rate", c.fx_rate},
                   {"base", c.eve_base.eve}, {"base_standardised", c.eve_base.eve_standardised},
                   {"scenarios", eve_scenarios(c.eve)}});
  }
  j["currencies"] = cur;
  return j;
}

json nii_json(const alm::AlmResult& r) {
  json j = header(r);
  j["horizon_months"] = r.nii_base.monthly.size();
  j["base"] = r.nii_base.nii;
  j["base_income"] = r.nii_base.income;
  j["base_expense"] = r.nii_base.expense;
  j["scenarios"] = nii_scenarios(r.nii);
  j["worst"] = {{"name", r.nii_worst}, {"delta", r.nii_worst_delta}};
  j["outlier_test"] = outlier_json(r.nii_test);
  j["monthly"] = monthly_json(r.nii_base, r.nii, r.nii_month_starts);
  json cur = json::array();
  for (const auto& c : r.currencies) {
    cur.push_back({{"currency", c.currency}, {"positions", c.positions}, {"fx_rate", c.fx_rate},
                   {"base", c.nii_base.nii}, {"scenarios", nii_scenarios(c.nii)},
                   {"monthly", monthly_json(c.nii_base, c.nii, r.nii_month_starts)}});
  }
  j["currencies"] = cur;
  return j;
}

json gap_json(const alm::AlmResult& r) {
  json j = header(r);
  j["buckets"] = buckets_json(r.gap);
  json cur = json::array();
  for (const auto& c : r.currencies) {
    cur.push_back({{"currency", c.currency}, {"positions", c.positions}, {"fx_rate", c.fx_rate}, {"buckets", buckets_json(c.gap)}});
  }
  j["currencies"] = cur;
  return j;
}

json alm_eve(Store* store, const AlmRequest& request) {
  AlmInputs in;
  const json j = eve_json(run(store, request, false, &in));
  store_result(store, in, "eve", j);
  return j;
}

json alm_nii(Store* store, const AlmRequest& request) {
  AlmInputs in;
  const json j = nii_json(run(store, request, true, &in));
  store_result(store, in, "nii", j);
  return j;
}

json alm_gap(Store* store, const AlmRequest& request) {
  AlmInputs in;
  const json j = gap_json(run(store, request, false, &in));
  store_result(store, in, "gap", j);
  return j;
}

json alm_shocks(Store* store, const AlmShocksRequest& request) {
  std::vector<std::string> warnings;
  const alm::ShockTable table =
      request.shock_table
          ? read_input(*request.shock_table, "shock table",
                       [](io::CsvReader& csv, Diagnostics& d) { return io::read_shock_table(csv, d); }, &warnings)
          : io::default_shock_table();
  const alm::ShockSizes* sizes = table.find(request.currency);
  if (sizes == nullptr) {
    throw Error::invalid_input("currency " + request.currency + " is not in " + table.source +
                               ": give --shock-table FILE with its parallel, short and long sizes");
  }
  std::optional<ZeroCurve> curve;
  if (request.curve) curve = to_zero_curve(load_curve(store, *request.curve, request.currency, &warnings));
  json buckets = json::array();
  for (const alm::TimeBucket& b : alm::time_buckets()) {
    json shift = json::object();
    json rates = json::object();
    const double t = b.midpoint_years;
    if (curve) rates["base"] = curve->zero(t);
    for (alm::ShockKind k : alm::kSupervisoryShocks) {
      alm::Scenario s = alm::supervisory_scenario(k, *sizes);
      s.apply_floor = request.floor;
      shift[std::string(alm::shock_name(k))] = alm::shock_bp(s, t);
      if (curve) rates[std::string(alm::shock_name(k))] = alm::shocked_zero(s, curve->zero(t), t);
    }
    json row{{"name", std::string(b.name)}, {"midpoint_years", t}, {"shift_bp", shift}};
    if (curve) {
      row["rates"] = rates;
      row["floor"] = alm::post_shock_floor(t);
    }
    buckets.push_back(row);
  }
  return {{"currency", request.currency},
          {"sizes", {{"parallel_bp", sizes->parallel_bp}, {"short_bp", sizes->short_bp}, {"long_bp", sizes->long_bp}}},
          {"source", table.source},
          {"floor", request.floor},
          {"buckets", buckets}};
}

}  // namespace keel::service
