// The IRRBB runs: inputs -> keel::alm::run_irrbb -> typed results (keel/service/alm_runs.h), and
// the stored curves a run may name.
#include "keel/service/alm_runs.h"
#include "keel/service/macro.h"

#include <algorithm>
#include <cmath>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>
#include <sodium.h>

#include "alm_internal.h"
#include "keel/core/error.h"
#include "keel/core/parse.h"
#include "keel/core/strings.h"
#include "keel/marketdata/zip.h"
#include "keel/io/balance_sheet_reader.h"
#include "keel/portfolio/curve.h"
#include "keel/service/alm_sessions.h"
#include "keel/store/alm_repository.h"

namespace keel::service {
namespace detail {

std::optional<CsvSource> source_of(const std::optional<std::string>& text, const std::optional<std::string>& file,
                                   const std::string& name) {
  if (text) return CsvSource{name, text, std::nullopt};
  if (file) return CsvSource{*file, std::nullopt, file};
  return std::nullopt;
}

CurveData load_curve(const Context& cx, const AlmCurveInput& in, const std::string& currency,
                     std::vector<std::string>* warnings) {
  CurveData c;
  if (in.text || in.file) {
    io::CurveReadOptions o;
    o.kind = in.kind;
    o.units = in.units;
    o.date = in.date;
    o.currency = currency;
    c = read_input(cx, *source_of(in.text, in.file, in.name), "curve",
                   [&](io::CsvReader& csv, Diagnostics& d) { return io::read_curve(csv, o, d); }, warnings);
  } else if (in.stored) {
    if (cx.store == nullptr) throw Error::usage("a stored curve needs the store");
    auto found = cx.store->curve(*in.stored, in.date);
    if (!found) throw Error::not_found("no stored curve named \"" + *in.stored + "\"");
    c = *found;
  } else {
    throw Error::usage("a curve needs a text, a file or a stored curve name");
  }
  c.currency = currency;
  std::sort(c.points.begin(), c.points.end(), [](const CurvePoint& a, const CurvePoint& b) { return a.years < b.years; });
  return c;
}

}  // namespace detail

namespace {

using detail::read_input;
using detail::source_of;

std::pair<std::string, std::string> split_prefix(const std::string& s) {
  const auto eq = s.find('=');
  if (eq == 3) return {s.substr(0, 3), s.substr(4)};
  return {"", s};
}

// The curves of a request: `curves` plus the CLI's [CCY=]FILE and [CCY=]NAME forms.
std::vector<AlmCurveInput> curves_of(const AlmRequest& r) {
  std::vector<AlmCurveInput> out = r.curves;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i].name == "curve") out[i].name = fmt::format("curves[{}]", i);
  }
  for (const auto& c : r.curve_files) {
    auto [ccy, file] = split_prefix(c);
    AlmCurveInput in;
    in.currency = ccy;
    in.file = file;
    in.kind = r.curve_type;
    in.units = r.rate_units;
    in.date = r.curve_date;
    out.push_back(std::move(in));
  }
  for (const auto& c : r.stored_curves) {
    auto [ccy, name] = split_prefix(c);
    AlmCurveInput in;
    in.currency = ccy;
    in.stored = name;
    in.date = r.curve_date;
    out.push_back(std::move(in));
  }
  return out;
}

AlmOutlierTest outlier_of(const alm::OutlierTest& o) {
  AlmOutlierTest t;
  if (o.tier1) t.tier1.emplace(*o.tier1);
  if (o.ratio) t.ratio.emplace(*o.ratio);
  if (o.outlier) t.outlier.emplace(*o.outlier);
  t.threshold = o.threshold;
  if (o.tier1) t.limit = o.threshold * *o.tier1;
  return t;
}

std::vector<AlmEveScenario> eve_scenarios(const std::vector<alm::EveScenarioResult>& v) {
  std::vector<AlmEveScenario> a;
  for (const auto& e : v) {
    a.push_back({e.name, e.eve, e.delta, e.delta_regulatory, e.assets, e.liabilities, e.eve_standardised});
  }
  return a;
}

std::vector<AlmNiiScenario> nii_scenarios(const std::vector<alm::NiiScenarioResult>& v) {
  std::vector<AlmNiiScenario> a;
  for (const auto& n : v) a.push_back({n.name, n.nii, n.delta, n.delta_regulatory, n.income, n.expense});
  return a;
}

std::vector<AlmNiiMonth> monthly_of(const alm::NiiScenarioResult& base, const std::vector<alm::NiiScenarioResult>& scen,
                                    const alm::AlmResult& r) {
  const std::vector<Date>& starts = r.nii_month_starts;
  std::vector<AlmNiiMonth> a;
  for (std::size_t m = 0; m < base.monthly.size(); ++m) {
    AlmNiiMonth row;
    row.month = m + 1;
    row.start = m < starts.size() ? starts[m].to_string() : "";
    row.end = m + 1 < starts.size() ? starts[m + 1].to_string() : r.nii_horizon_end.to_string();
    row.base = base.monthly[m];
    for (const auto& s : scen) {
      const double x = m < s.monthly.size() ? s.monthly[m] : 0.0;
      if (s.name == "parallel_up") row.parallel_up = x;
      else if (s.name == "parallel_down") row.parallel_down = x;
    }
    a.push_back(row);
  }
  return a;
}

std::vector<AlmGapBucket> buckets_of(const std::array<alm::GapBucket, alm::kBucketCount>& g) {
  std::vector<AlmGapBucket> a;
  for (const auto& b : g) {
    AlmGapBucket o;
    o.name = b.name;
    o.from_years = b.from_years;
    if (!std::isinf(b.to_years)) o.to_years.emplace(b.to_years);
    o.midpoint_years = b.midpoint_years;
    o.assets = b.assets;
    o.liabilities = b.liabilities;
    o.gap = b.gap;
    o.cumulative_gap = b.cumulative_gap;
    a.push_back(std::move(o));
  }
  return a;
}

alm::AlmResult run(const Context& cx, const AlmRequest& request, bool nii, AlmInputs* keep) {
  AlmInputs in = load_alm_inputs(cx, request);
  in.options.run_nii = nii;
  alm::AlmResult r = alm::run_irrbb(in.book, in.market, in.options);
  *keep = std::move(in);
  return r;
}

// The rate driver (docs/macro.md): the series' level change over the look-back up to the as-of
// date, in percentage points, times 100 is the parallel shock of the reporting currency in basis
// points (its absolute value: the scenarios shift up and down by it).
void apply_rate_driver(const Context& cx, const std::string& driver, AlmInputs& in) {
  std::string series = driver;
  int months = 12;
  if (const auto colon = driver.rfind(':'); colon != std::string::npos) {
    const std::string tail = driver.substr(colon + 1);
    if (!tail.empty() && std::all_of(tail.begin(), tail.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      months = tail.size() > 3 ? 1000 : std::stoi(tail);
      series = driver.substr(0, colon);
      if (months < 1 || months > 120) {
        throw Error::invalid_input("invalid ALM request",
                                   {"rate_driver: expected a look-back of 1 to 120 months, got " + tail});
      }
    }
  }
  const MacroChange c = macro_level_change(cx, series, in.options.as_of, months, "rate_driver");
  const std::string& ccy = in.options.reporting_currency;
  auto row = std::find_if(in.market.shocks.rows.begin(), in.market.shocks.rows.end(),
                          [&](const alm::ShockSizes& r) { return r.currency == ccy; });
  if (row == in.market.shocks.rows.end()) {
    throw Error::invalid_input("invalid ALM request", {"rate_driver: the shock table has no " + ccy + " row to size"});
  }
  const double bp = std::abs(c.change) * 100.0;
  in.rate_driver = fmt::format(
      "rate_driver {}: {:.4g} on {} - {:.4g} on {} = {:+.4g} points over {} months: {} parallel shock {:.4g} bp "
      "(table: {:.4g} bp)",
      c.id, c.value, c.date.to_string(), c.base_value, c.base_date.to_string(), c.change, months, ccy, bp,
      row->parallel_bp);
  row->parallel_bp = bp;
}

// Zip archives start with a local file header, "PK\x03\x04".
bool is_zip(std::string_view bytes) { return bytes.size() >= 4 && bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4); }

// One book from every .csv entry of a zip archive named `archive_name`: each entry read as its own
// file (its own header), errors named archive/entry:line:column, and a position id given twice
// across entries refused (the same position would count twice).
alm::BalanceSheet read_balance_sheet_zip(std::string_view archive, const std::string& archive_name,
                                         const io::BalanceSheetReadOptions& options,
                                         std::vector<std::string>& warnings) {
  const auto entries = marketdata::zip_read_entries(archive, ".csv", "balance sheet " + archive_name);
  if (entries.empty()) {
    throw Error::invalid_input("balance sheet " + archive_name + ": the zip archive holds no .csv file");
  }
  alm::BalanceSheet book;
  book.source = archive_name;
  Diagnostics diags;
  for (const auto& e : entries) {
    io::CsvReader csv = io::CsvReader::from_text(archive_name + "/" + e.name, e.data, diags);
    alm::BalanceSheet part = io::read_balance_sheet(csv, options, diags);
    book.append(part);
  }
  diags.throw_if_errors("balance sheet " + archive_name + " has problems");
  for (const auto& w : diags.warnings()) warnings.push_back(w.to_string());
  std::unordered_map<std::string_view, std::size_t> first;
  std::vector<std::string> twice;
  for (std::size_t i = 0; i < book.size(); ++i) {
    const auto [it, fresh] = first.emplace(book.id[i], i);
    if (!fresh && twice.size() < 20) twice.push_back(book.where(i) + ": id is also " + book.where(it->second));
  }
  if (!twice.empty()) throw Error::invalid_input("balance sheet " + archive_name + " gives a position twice", twice);
  return book;
}

// The balance sheet of a request: inline CSV text, a base64 zip (HTTP), or a CSV or .zip file (CLI).
alm::BalanceSheet load_balance_sheet(const Context& cx, const AlmRequest& request, const std::string& currency,
                                     std::vector<std::string>& warnings) {
  io::BalanceSheetReadOptions o;
  o.default_currency = currency;
  if (request.balance_sheet_zip) {
    const std::string& b64 = *request.balance_sheet_zip;
    std::string bytes(b64.size() / 4 * 3 + 3, '\0');
    std::size_t len = 0;
    if (sodium_init() < 0 ||
        sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), b64.data(), b64.size(),
                          " \r\n", &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
      throw Error::invalid_input("balance_sheet_zip: expected the zip archive in base64");
    }
    bytes.resize(len);
    return read_balance_sheet_zip(bytes, "balance_sheet_zip", o, warnings);
  }
  if (request.balance_sheet && is_zip(*request.balance_sheet)) {
    throw Error::invalid_input(
        "balance_sheet: this is a zip archive, not CSV text: send it as balance_sheet_zip (base64)");
  }
  if (request.balance_sheet_file && to_lower(*request.balance_sheet_file).ends_with(".zip")) {
    const std::string bytes = cx.env.files.read(*request.balance_sheet_file, "balance_sheet_file");
    return read_balance_sheet_zip(bytes, *request.balance_sheet_file, o, warnings);
  }
  return read_input(cx, *source_of(request.balance_sheet, request.balance_sheet_file, request.balance_sheet_name),
                    "balance sheet",
                    [&](io::CsvReader& csv, Diagnostics& d) { return io::read_balance_sheet(csv, o, d); }, &warnings);
}

// The book without the positions not alive on `as_of`: matured on or before it, or starting after
// it (non-maturity deposits are always alive). A warning counts each kind and names the first ids.
alm::BalanceSheet without_inactive(alm::BalanceSheet book, Date as_of, std::vector<std::string>& warnings) {
  std::vector<std::size_t> keep;
  std::vector<std::string> matured, forward;
  for (std::size_t i = 0; i < book.size(); ++i) {
    const alm::PositionTerms& t = book.terms[i];
    if (t.behavioural_years <= 0 && t.maturity_date <= as_of) matured.push_back(book.id[i]);
    else if (t.behavioural_years <= 0 && t.start_date > as_of) forward.push_back(book.id[i]);
    else keep.push_back(i);
  }
  const auto note = [&](const std::vector<std::string>& ids, const char* what) {
    if (ids.empty()) return;
    std::string shown;
    for (std::size_t k = 0; k < ids.size() && k < 10; ++k) shown += (k ? ", " : "") + ids[k];
    if (ids.size() > 10) shown += fmt::format(" and {} more", ids.size() - 10);
    warnings.push_back(fmt::format("skipped {} position{} {} {}: {}", ids.size(), ids.size() == 1 ? "" : "s", what,
                                   as_of.to_string(), shown));
  };
  note(matured, "matured on or before");
  note(forward, "starting after");
  if (matured.empty() && forward.empty()) return book;
  return book.select(keep);
}

}  // namespace

AlmInputs load_alm_inputs(const Context& cx, const AlmRequest& request) {
  Store* store = cx.store;
  const std::int64_t now_epoch = cx.env.clock.unix_seconds();
  AlmInputs in;
  AlmSessionSettings settings;
  std::optional<Date> session_as_of;
  std::string session_currency = "USD";
  if (request.session) {
    if (store == nullptr) throw Error::usage("session needs the store");
    if (request.balance_sheet || request.balance_sheet_file || request.balance_sheet_zip) {
      throw Error::usage("give balance_sheet or session, not both");
    }
    store::AlmRepository& repo = store->alm_sessions();
    detail::require_visible_alm_session(cx, *request.session);
    store::AlmSessionData data = repo.load(cx.actor.tenant, *request.session, now_epoch);
    in.book = std::move(data.book);
    in.curves = std::move(data.curves);
    in.user_shocks = std::move(data.shock_table);
    in.session_id = data.info.id;
    settings = session_settings(data.info.settings);
    // What reading the session's inputs noted at its creation stays true of every run on it.
    in.warnings.insert(in.warnings.end(), settings.warnings.begin(), settings.warnings.end());
    session_as_of = data.info.as_of;
    session_currency = data.info.currency;
  } else if (!request.balance_sheet && !request.balance_sheet_file && !request.balance_sheet_zip) {
    throw Error::usage("give balance_sheet (or session)");
  }
  const std::string currency = request.currency.value_or(session_currency);
  if (request.balance_sheet || request.balance_sheet_file || request.balance_sheet_zip) {
    in.book = load_balance_sheet(cx, request, currency, in.warnings);
  }
  for (const AlmCurveInput& c : curves_of(request)) {
    const std::string ccy = c.currency.empty() ? currency : c.currency;
    in.curves[ccy] = detail::load_curve(cx, c, ccy, &in.warnings);
  }
  if (in.curves.empty()) throw Error::usage("give curves (one per currency)");
  if (auto src = source_of(request.shock_table, request.shock_table_file, "shock_table")) {
    in.user_shocks = read_input(cx, *src, "shock table",
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
  } else if (session_as_of) {
    o.as_of = *session_as_of;
  } else {
    std::optional<Date> d;
    for (const auto& [ccy, c] : in.curves) {
      if (c.as_of) d = c.as_of;
    }
    if (!d) throw Error::usage("give as_of YYYY-MM-DD (the curve file has no date)");
    o.as_of = *d;
  }
  o.reporting_currency = currency;
  if (request.tier1) o.tier1 = *request.tier1;
  else if (settings.tier1) o.tier1 = *settings.tier1;
  if (o.tier1 && !(*o.tier1 > 0.0)) throw Error::usage("tier1 must be a positive amount");
  for (const auto& [k, v] : settings.fx) o.fx_rates[k] = v;
  for (const auto& [k, v] : request.fx) o.fx_rates[k] = v;
  for (const auto& x : request.fx_pairs) {
    auto [ccy, rate] = split_prefix(x);
    auto v = parse_double(rate);
    if (ccy.empty() || !v || !(*v > 0.0)) throw Error::usage("fx expects CCY=RATE with a positive rate, got \"" + x + "\"");
    o.fx_rates[ccy] = *v;
  }
  o.nii_horizon_months = request.nii_horizon_months.value_or(settings.horizon_months);
  o.nii_calendar_months = request.nii_buckets.value_or(settings.nii_buckets) == NiiBuckets::kCalendar;
  if (request.skip_inactive) in.book = without_inactive(std::move(in.book), o.as_of, in.warnings);
  o.apply_floor = request.no_floor ? false : request.floor.value_or(settings.floor);
  o.gain_weight = request.gain_weight.value_or(settings.gain_weight);
  if (auto src = source_of(request.scenarios, request.scenarios_file, "scenarios")) {
    o.custom_scenarios = read_input(cx, *src, "scenario file",
                                    [](io::CsvReader& csv, Diagnostics& d) { return io::read_scenarios(csv, d); },
                                    &in.warnings);
    for (auto& s : o.custom_scenarios) s.apply_floor = o.apply_floor;
  }
  if (request.rate_driver) apply_rate_driver(cx, *request.rate_driver, in);
  admit_now(cx, alm_cost(in));
  return in;
}

ComputeCost alm_cost(const AlmInputs& in) {
  const std::int32_t as_of = in.options.as_of.serial();
  double payments = 0.0;
  double days = 0.0;  // to the last payment of any position
  for (const alm::PositionTerms& t : in.book.terms) {
    if (t.behavioural_years > 0) {
      const double months = std::ceil(12.0 * t.behavioural_years);  // a monthly run-off
      payments += months;
      days = std::max(days, months * 30.4375);
    } else {
      const double to_maturity = std::max(0, t.maturity_date.serial() - as_of);
      // Every payment_months to maturity (0: one payment, at maturity).
      payments += t.payment_months == 0 ? 1.0 : 1.0 + std::floor(to_maturity / 30.4375 / t.payment_months);
      days = std::max(days, to_maturity);
    }
  }
  const double scenarios = 7.0 + static_cast<double>(in.options.custom_scenarios.size());
  // EVE's scenarios, and NII's over its horizon (counted whether or not the caller runs it).
  const double runs = 2.0 * scenarios;
  ComputeCost cost;
  cost.operation = "IRRBB run";
  cost.engine = Engine::kAlmCashFlow;
  cost.steps = runs * payments;
  cost.formula = fmt::format("scenarios {} x payments {:.0f} of {} positions", runs, payments, in.book.size());
  // The balance sheet's columns, and a discount factor a day to the last payment per scenario.
  cost.memory_bytes = 160.0 * static_cast<double>(in.book.size()) + 8.0 * runs * (days + 800.0);
  cost.parameter = "balance_sheet (positions), scenarios";
  return cost;
}

AlmEveResult eve_result(const alm::AlmResult& r) {
  AlmEveResult j;
  j.as_of = r.as_of.to_string();
  j.currency = r.reporting_currency;
  j.positions = r.positions;
  j.base = r.eve_base.eve;
  j.base_assets = r.eve_base.assets;
  j.base_liabilities = r.eve_base.liabilities;
  j.base_standardised = r.eve_base.eve_standardised;
  j.scenarios = eve_scenarios(r.eve);
  j.worst = {r.eve_worst, r.eve_worst_delta};
  j.sot = outlier_of(r.sot);
  for (const auto& c : r.currencies) {
    j.currencies.push_back(
        {c.currency, c.positions, c.fx_rate, c.eve_base.eve, c.eve_base.eve_standardised, eve_scenarios(c.eve)});
  }
  return j;
}

AlmNiiResult nii_result(const alm::AlmResult& r) {
  AlmNiiResult j;
  j.as_of = r.as_of.to_string();
  j.currency = r.reporting_currency;
  j.positions = r.positions;
  j.horizon_months = static_cast<std::size_t>(r.nii_horizon_months);
  j.nii_buckets = r.nii_calendar_months ? "calendar" : "anniversary";
  j.base = r.nii_base.nii;
  j.base_income = r.nii_base.income;
  j.base_expense = r.nii_base.expense;
  j.scenarios = nii_scenarios(r.nii);
  j.worst = {r.nii_worst, r.nii_worst_delta};
  j.outlier_test = outlier_of(r.nii_test);
  j.monthly = monthly_of(r.nii_base, r.nii, r);
  for (const auto& c : r.currencies) {
    j.currencies.push_back({c.currency, c.positions, c.fx_rate, c.nii_base.nii, nii_scenarios(c.nii),
                            monthly_of(c.nii_base, c.nii, r)});
  }
  return j;
}

AlmGapResult gap_result(const alm::AlmResult& r) {
  AlmGapResult j;
  j.as_of = r.as_of.to_string();
  j.currency = r.reporting_currency;
  j.positions = r.positions;
  j.buckets = buckets_of(r.gap);
  for (const auto& c : r.currencies) j.currencies.push_back({c.currency, c.positions, c.fx_rate, buckets_of(c.gap)});
  return j;
}

AlmEveResult alm_eve(const Context& cx, const AlmRequest& request) {
  AlmInputs in;
  AlmEveResult out = eve_result(run(cx, request, false, &in));
  out.rate_driver = in.rate_driver;
  out.warnings = std::move(in.warnings);
  return out;
}

AlmNiiResult alm_nii(const Context& cx, const AlmRequest& request) {
  AlmInputs in;
  AlmNiiResult out = nii_result(run(cx, request, true, &in));
  out.rate_driver = in.rate_driver;
  out.warnings = std::move(in.warnings);
  return out;
}

AlmGapResult alm_gap(const Context& cx, const AlmRequest& request) {
  AlmInputs in;
  AlmGapResult out = gap_result(run(cx, request, false, &in));
  out.warnings = std::move(in.warnings);
  return out;
}

AlmStoredCurves alm_stored_curves(const Context& cx) {
  AlmStoredCurves out;
  for (const auto& c : require_store(cx, "stored curves").list_curves()) {
    AlmStoredCurve o;
    o.name = c.name;
    if (c.as_of) o.as_of.emplace(c.as_of->to_string());
    o.kind = c.kind == CurveKind::kPar ? "par" : "zero";
    o.currency = c.currency;
    o.points = c.points;
    out.items.push_back(std::move(o));
  }
  return out;
}

}  // namespace keel::service
