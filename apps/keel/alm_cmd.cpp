// `keel alm eve|nii|gap|shocks` and `keel alm session create|list|show|delete|cleanup` (issue #8).
#include <ctime>
#include <memory>

#include "context.h"
#include "keel/core/error.h"
#include "keel/core/parse.h"
#include "keel/service/alm.h"
#include "keel/store/store.h"

namespace keel::cli {
namespace {

using nlohmann::json;

// Command-line form of a service::AlmRequest.
struct AlmFlags {
  std::string balance_sheet;
  std::string session;
  std::vector<std::string> curves;         // [CCY=]FILE
  std::vector<std::string> stored_curves;  // [CCY=]NAME
  std::string curve_type = "zero";
  std::string rate_units = "decimal";
  std::string curve_date;
  std::string currency;
  std::string as_of;
  double tier1 = 0.0;
  std::string shock_table;
  std::string scenarios;
  std::vector<std::string> fx;             // CCY=RATE
  int horizon_months = 12;
  bool no_floor = false;
  double gain_weight = 0.5;
};

std::pair<std::string, std::string> split_prefix(const std::string& s) {
  const auto eq = s.find('=');
  if (eq == 3) return {s.substr(0, 3), s.substr(4)};
  return {"", s};
}

void add_input_flags(CLI::App* cmd, AlmFlags& f, bool with_session) {
  cmd->add_option("--balance-sheet", f.balance_sheet, "Balance-sheet CSV (INTERFACES.md columns)");
  if (with_session) cmd->add_option("--session", f.session, "Use a stored ALM session instead of files");
  cmd->add_option("--curve", f.curves, "Curve file, [CCY=]FILE (repeat per currency): tenor,rate or the dated Treasury file");
  cmd->add_option("--stored-curve", f.stored_curves, "Curve stored by `keel import curve`, [CCY=]NAME");
  cmd->add_option("--curve-type", f.curve_type, "How tenor,rate files are quoted: zero or par")
      ->check(CLI::IsMember({"zero", "par"}));
  cmd->add_option("--rate-units", f.rate_units, "Curve rate units: decimal or percent")
      ->check(CLI::IsMember({"decimal", "percent"}));
  cmd->add_option("--date", f.curve_date, "Row of a dated curve file (YYYY-MM-DD); also the default as-of date");
  cmd->add_option("--currency", f.currency, "Reporting currency and default position/curve currency (USD)");
  cmd->add_option("--as-of", f.as_of, "Valuation date (default: the curve's date)");
  cmd->add_option("--tier1", f.tier1, "Tier 1 capital in the reporting currency (outlier tests)");
  cmd->add_option("--shock-table", f.shock_table, "Shock sizes CSV currency,parallel_bp,short_bp,long_bp (default: built-in EU table)");
  cmd->add_option("--fx", f.fx, "FX to the reporting currency, CCY=RATE (repeat)");
  cmd->add_flag("--no-floor", f.no_floor, "Do not apply the post-shock floor");
  cmd->add_option("--gain-weight", f.gain_weight, "Weight of gains when aggregating currencies (EU 0.5, BCBS 0)");
}

service::AlmRequest to_request(const AlmFlags& f) {
  service::AlmRequest r;
  if (!f.balance_sheet.empty()) r.balance_sheet = service::InputFile{f.balance_sheet, std::nullopt};
  if (!f.session.empty()) r.session = f.session;
  if (r.balance_sheet && r.session) throw Error::usage("give --balance-sheet or --session, not both");
  std::optional<Date> date;
  if (!f.curve_date.empty()) date = Date::parse_or_throw(f.curve_date, "--date");
  for (const auto& c : f.curves) {
    auto [ccy, file] = split_prefix(c);
    service::AlmCurveInput in;
    in.currency = ccy;
    in.file = service::InputFile{file, std::nullopt};
    in.kind = f.curve_type == "par" ? CurveKind::kPar : CurveKind::kZero;
    in.units = f.rate_units == "percent" ? io::RateUnits::kPercent : io::RateUnits::kDecimal;
    in.date = date;
    r.curves.push_back(in);
  }
  for (const auto& c : f.stored_curves) {
    auto [ccy, name] = split_prefix(c);
    service::AlmCurveInput in;
    in.currency = ccy;
    in.stored = name;
    in.date = date;
    r.curves.push_back(in);
  }
  if (!f.currency.empty()) r.currency = f.currency;
  if (!f.as_of.empty()) r.as_of = Date::parse_or_throw(f.as_of, "--as-of");
  if (f.tier1 != 0.0) r.tier1 = f.tier1;
  if (!f.shock_table.empty()) r.shock_table = service::InputFile{f.shock_table, std::nullopt};
  if (!f.scenarios.empty()) r.scenarios = service::InputFile{f.scenarios, std::nullopt};
  for (const auto& x : f.fx) {
    auto [ccy, rate] = split_prefix(x);
    auto v = parse_double(rate);
    if (ccy.empty() || !v || !(*v > 0.0)) throw Error::usage("--fx expects CCY=RATE with a positive rate, got \"" + x + "\"");
    r.fx[ccy] = *v;
  }
  if (f.horizon_months != 12) r.nii_horizon_months = f.horizon_months;
  if (f.no_floor) r.floor = false;
  if (f.gain_weight != 0.5) r.gain_weight = f.gain_weight;
  return r;
}

std::string num(const json& v, int decimals = 2) { return v.is_number() ? fmt_amount(v.get<double>(), decimals) : "-"; }

std::vector<TextTable> eve_tables(const json& j) {
  TextTable t("EVE " + j["currency"].get<std::string>() + " as of " + j["as_of"].get<std::string>());
  t.column("scenario", TextTable::Align::kLeft).column("eve").column("delta").column("eve_standardised");
  t.row({"base", num(j["base"]), "", num(j["base_standardised"])});
  for (const auto& s : j["scenarios"]) t.row({s["name"], num(s["eve"]), num(s["delta"]), num(s["eve_standardised"])});
  t.footer("worst: " + j["worst"]["name"].get<std::string>() + " " + num(j["worst"]["delta"]));
  const auto& sot = j["sot"];
  if (sot["ratio"].is_number()) {
    t.footer("SOT: decline / Tier 1 = " + fmt_percent(sot["ratio"].get<double>()) + " (limit 15%): " +
             (sot["outlier"].get<bool>() ? "OUTLIER" : "pass"));
  } else {
    t.footer("SOT: give --tier1 for the supervisory outlier test");
  }
  return {t};
}

std::vector<TextTable> nii_tables(const json& j) {
  TextTable t("NII over " + std::to_string(j["horizon_months"].get<int>()) + " months, " +
              j["currency"].get<std::string>() + " as of " + j["as_of"].get<std::string>());
  t.column("scenario", TextTable::Align::kLeft).column("nii").column("delta").column("income").column("expense");
  t.row({"base", num(j["base"]), "", num(j["base_income"]), num(j["base_expense"])});
  for (const auto& s : j["scenarios"]) t.row({s["name"], num(s["nii"]), num(s["delta"]), num(s["income"]), num(s["expense"])});
  const auto& o = j["outlier_test"];
  if (o["ratio"].is_number()) {
    t.footer("NII test: decline / Tier 1 = " + fmt_percent(o["ratio"].get<double>()) + " (limit 5%): " +
             (o["outlier"].get<bool>() ? "OUTLIER" : "pass"));
  }
  TextTable m("Monthly NII");
  m.column("month").column("start", TextTable::Align::kLeft).column("base").column("parallel_up").column("parallel_down");
  for (const auto& r : j["monthly"]) {
    m.row({std::to_string(r["month"].get<int>()), r["start"], num(r["base"]), num(r.value("parallel_up", json())),
           num(r.value("parallel_down", json()))});
  }
  return {t, m};
}

std::vector<TextTable> gap_tables(const json& j) {
  TextTable t("Repricing gap " + j["currency"].get<std::string>() + " as of " + j["as_of"].get<std::string>());
  t.column("bucket", TextTable::Align::kLeft).column("assets").column("liabilities").column("gap").column("cumulative");
  for (const auto& b : j["buckets"]) t.row({b["name"], num(b["assets"]), num(b["liabilities"]), num(b["gap"]), num(b["cumulative_gap"])});
  return {t};
}

std::vector<TextTable> shocks_tables(const json& j) {
  TextTable t("Supervisory shocks (bp), " + j["currency"].get<std::string>());
  t.column("bucket", TextTable::Align::kLeft).column("midpoint_years");
  const char* names[] = {"parallel_up", "parallel_down", "steepener", "flattener", "short_up", "short_down"};
  for (const char* n : names) t.column(n);
  for (const auto& b : j["buckets"]) {
    std::vector<std::string> row{b["name"], fmt_number(b["midpoint_years"].get<double>(), 4)};
    for (const char* n : names) row.push_back(fmt_number(b["shift_bp"][n].get<double>(), 1));
    t.row(row);
  }
  return {t};
}

std::vector<TextTable> session_list_table(const json& j) {
  TextTable t("ALM sessions");
  t.column("name", TextTable::Align::kLeft).column("positions").column("as_of", TextTable::Align::kLeft)
      .column("currency", TextTable::Align::kLeft).column("size_bytes").column("expires_at");
  for (const auto& s : j["items"]) {
    t.row({s["name"], std::to_string(s["positions"].get<std::size_t>()), s["as_of"].is_string() ? s["as_of"].get<std::string>() : "-",
           s["currency"], std::to_string(s["size_bytes"].get<std::int64_t>()), std::to_string(s["expires_at"].get<std::int64_t>())});
  }
  if (j["items"].empty()) t.footer("no sessions: keel alm session create NAME --balance-sheet FILE --curve FILE");
  return {t};
}

std::int64_t now() { return static_cast<std::int64_t>(std::time(nullptr)); }

std::int64_t parse_ttl(const std::string& s) {
  if (s.empty()) throw Error::usage("--ttl is empty");
  const char unit = s.back();
  std::int64_t mult = 1;
  std::string digits = s;
  if (unit == 'd' || unit == 'h' || unit == 'm' || unit == 's') {
    mult = unit == 'd' ? 86400 : unit == 'h' ? 3600 : unit == 'm' ? 60 : 1;
    digits.pop_back();
  }
  auto v = parse_int(digits);
  if (!v || *v <= 0) throw Error::usage("--ttl expects a duration such as 7d, 12h, 90m or 3600s");
  return *v * mult;
}

}  // namespace

void add_alm_commands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("alm", "Bank interest-rate risk (IRRBB): EVE, NII, repricing gap, shocks, sessions");
  group->require_subcommand(1);

  auto flags = std::make_shared<AlmFlags>();
  auto uses_store = [&ctx](const AlmFlags& f) -> Store* {
    // Files-only runs never open (or create) the store.
    return (!f.session.empty() || !f.stored_curves.empty()) ? &ctx.store() : nullptr;
  };

  auto* eve = group->add_subcommand("eve", "Economic value of equity under the six supervisory shocks");
  add_input_flags(eve, *flags, true);
  eve->add_option("--scenarios", flags->scenarios, "User-defined scenarios CSV: name,tenor,shift_bp");
  eve->callback([&ctx, flags, uses_store] {
    const json j = service::alm_eve(uses_store(*flags), to_request(*flags));
    ctx.emit(j, eve_tables(j));
  });

  auto* nii = group->add_subcommand("nii", "Net interest income over 12 months under parallel up/down");
  add_input_flags(nii, *flags, true);
  nii->add_option("--horizon-months", flags->horizon_months, "NII horizon in months")->check(CLI::Range(1, 60));
  nii->callback([&ctx, flags, uses_store] {
    const json j = service::alm_nii(uses_store(*flags), to_request(*flags));
    ctx.emit(j, nii_tables(j));
  });

  auto* gap = group->add_subcommand("gap", "Repricing gap over the 19 BCBS time buckets");
  add_input_flags(gap, *flags, true);
  gap->callback([&ctx, flags, uses_store] {
    const json j = service::alm_gap(uses_store(*flags), to_request(*flags));
    ctx.emit(j, gap_tables(j));
  });

  auto* shocks = group->add_subcommand("shocks", "Shock sizes of a currency at the 19 bucket midpoints");
  auto shock_ccy = std::make_shared<std::string>("USD");
  shocks->add_option("--currency", *shock_ccy, "ISO currency")->capture_default_str();
  shocks->add_option("--shock-table", flags->shock_table, "Shock sizes CSV (default: built-in EU table)");
  shocks->add_option("--curve", flags->curves, "Curve file: adds base and shocked zero rates per bucket");
  shocks->add_option("--curve-type", flags->curve_type, "zero or par")->check(CLI::IsMember({"zero", "par"}));
  shocks->add_option("--rate-units", flags->rate_units, "decimal or percent")->check(CLI::IsMember({"decimal", "percent"}));
  shocks->add_option("--date", flags->curve_date, "Row of a dated curve file");
  shocks->add_flag("--no-floor", flags->no_floor, "Do not apply the post-shock floor");
  shocks->callback([&ctx, flags, shock_ccy] {
    service::AlmShocksRequest r;
    r.currency = *shock_ccy;
    r.floor = !flags->no_floor;
    if (!flags->shock_table.empty()) r.shock_table = service::InputFile{flags->shock_table, std::nullopt};
    if (!flags->curves.empty()) {
      AlmFlags f = *flags;
      f.currency = *shock_ccy;
      service::AlmRequest req = to_request(f);
      r.curve = req.curves.front();
    }
    const json j = service::alm_shocks(nullptr, r);
    ctx.emit(j, shocks_tables(j));
  });

  // Sessions.
  auto* session = group->add_subcommand("session", "Stored ALM sessions (inputs + results, expire after inactivity)");
  session->require_subcommand(1);
  auto name = std::make_shared<std::string>();
  auto ttl = std::make_shared<std::string>("7d");
  auto budget_mb = std::make_shared<std::int64_t>(1024);
  session->add_option("--disk-budget-mb", *budget_mb, "Disk budget for all sessions; least recently used are evicted")
      ->capture_default_str();
  auto cleanup = [&ctx, budget_mb] { service::alm_session_cleanup(ctx.store(), now(), *budget_mb * 1024 * 1024); };

  auto* create = session->add_subcommand("create", "Parse a balance sheet and curves, run EVE/NII/gap, keep all");
  create->add_option("name", *name, "Session name")->required();
  add_input_flags(create, *flags, false);
  create->add_option("--ttl", *ttl, "Expire after this inactivity: 7d, 12h, 90m")->capture_default_str();
  create->callback([&ctx, flags, name, ttl, cleanup] {
    cleanup();
    service::AlmSessionCreate r;
    r.name = *name;
    r.inputs = to_request(*flags);
    r.ttl_seconds = parse_ttl(*ttl);
    const json j = service::alm_session_create(ctx.store(), r, now());
    for (const auto& w : j["warnings"]) ctx.warn(w.get<std::string>());
    TextTable t("Session " + *name);
    t.column("field", TextTable::Align::kLeft).column("value", TextTable::Align::kLeft);
    t.row({"positions", std::to_string(j["session"]["positions"].get<std::size_t>())});
    t.row({"as_of", j["session"]["as_of"].is_string() ? j["session"]["as_of"].get<std::string>() : "-"});
    t.row({"eve base", num(j["eve"]["base"])});
    t.row({"eve worst", j["eve"]["worst"]["name"].get<std::string>() + " " + num(j["eve"]["worst"]["delta"])});
    t.row({"nii base", num(j["nii"]["base"])});
    ctx.emit(j, {t});
  });

  auto* list = session->add_subcommand("list", "Sessions of this store");
  list->callback([&ctx, cleanup] {
    cleanup();
    const json j = service::alm_session_list(ctx.store(), kDefaultTenant);
    ctx.emit(j, session_list_table(j));
  });

  auto* show = session->add_subcommand("show", "A session's inputs summary and stored results");
  show->add_option("name", *name, "Session name")->required();
  show->callback([&ctx, name, cleanup] {
    cleanup();
    const json j = service::alm_session_show(ctx.store(), kDefaultTenant, *name, now());
    std::vector<TextTable> tables;
    if (j["results"].contains("eve")) for (auto& t : eve_tables(j["results"]["eve"])) tables.push_back(t);
    if (j["results"].contains("nii")) for (auto& t : nii_tables(j["results"]["nii"])) tables.push_back(t);
    if (j["results"].contains("gap")) for (auto& t : gap_tables(j["results"]["gap"])) tables.push_back(t);
    ctx.emit(j, tables);
  });

  auto* del = session->add_subcommand("delete", "Delete a session");
  del->add_option("name", *name, "Session name")->required();
  del->callback([&ctx, name, cleanup] {
    cleanup();
    const json j = service::alm_session_delete(ctx.store(), kDefaultTenant, *name);
    TextTable t;
    t.column("deleted", TextTable::Align::kLeft).row({*name});
    ctx.emit(j, {t});
  });

  auto* clean = session->add_subcommand("cleanup", "Delete expired sessions and enforce the disk budget now");
  clean->callback([&ctx, budget_mb] {
    const json j = service::alm_session_cleanup(ctx.store(), now(), *budget_mb * 1024 * 1024);
    TextTable t;
    t.column("expired").column("evicted").column("bytes_after");
    t.row({std::to_string(j["expired"].get<std::size_t>()), std::to_string(j["evicted"].get<std::size_t>()),
           std::to_string(j["bytes_after"].get<std::int64_t>())});
    ctx.emit(j, {t});
  });
}

}  // namespace keel::cli
