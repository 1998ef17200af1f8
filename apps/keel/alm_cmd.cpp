// `keel alm eve|nii|gap|shocks` and `keel alm session create|list|show|share|delete|cleanup`.
#include <fmt/format.h>

#include <cmath>
#include <memory>

#include "context.h"
#include "keel/core/error.h"
#include "keel/core/parse.h"
#include "spec_cli.h"
#include "keel/service/alm_runs.h"
#include "keel/service/alm_sessions.h"
#include "keel/service/alm_shocks.h"

namespace keel::cli {
namespace {

using nlohmann::json;

// An amount, or "-" for a figure undefined for this input (NaN is written as null).
std::string num(double v, int decimals = 2) { return std::isfinite(v) ? fmt_amount(v, decimals) : "-"; }
std::string num(const std::optional<double>& v) { return v ? num(*v) : "-"; }

std::vector<TextTable> eve_tables(const service::AlmEveResult& j) {
  TextTable t("EVE " + j.currency + " as of " + j.as_of);
  t.column("scenario", TextTable::Align::kLeft).column("eve").column("delta").column("eve_standardised");
  t.row({"base", num(j.base), "", num(j.base_standardised)});
  for (const auto& s : j.scenarios) t.row({s.name, num(s.eve), num(s.delta), num(s.eve_standardised)});
  t.footer("worst: " + j.worst.name + " " + num(j.worst.delta));
  if (j.sot.ratio && std::isfinite(*j.sot.ratio)) {
    t.footer("SOT: decline / Tier 1 = " + fmt_percent(*j.sot.ratio) + " (limit 15%): " +
             (j.sot.outlier.value_or(false) ? "OUTLIER" : "pass"));
  } else {
    t.footer("SOT: give --tier1 for the supervisory outlier test");
  }
  return {t};
}

std::vector<TextTable> nii_tables(const service::AlmNiiResult& j) {
  TextTable t(fmt::format("NII over {} months, {} as of {}", j.horizon_months, j.currency, j.as_of));
  t.column("scenario", TextTable::Align::kLeft).column("nii").column("delta").column("income").column("expense");
  t.row({"base", num(j.base), "", num(j.base_income), num(j.base_expense)});
  for (const auto& s : j.scenarios) t.row({s.name, num(s.nii), num(s.delta), num(s.income), num(s.expense)});
  const auto& o = j.outlier_test;
  if (o.ratio && std::isfinite(*o.ratio)) {
    t.footer("NII test: decline / Tier 1 = " + fmt_percent(*o.ratio) + " (limit 5%): " +
             (o.outlier.value_or(false) ? "OUTLIER" : "pass"));
  }
  TextTable m("Monthly NII");
  m.column("month").column("start", TextTable::Align::kLeft).column("base").column("parallel_up").column("parallel_down");
  for (const auto& r : j.monthly) {
    m.row({std::to_string(r.month), r.start, num(r.base), num(r.parallel_up), num(r.parallel_down)});
  }
  return {t, m};
}

std::vector<TextTable> gap_tables(const service::AlmGapResult& j) {
  TextTable t("Repricing gap " + j.currency + " as of " + j.as_of);
  t.column("bucket", TextTable::Align::kLeft).column("assets").column("liabilities").column("gap").column("cumulative");
  for (const auto& b : j.buckets) t.row({b.name, num(b.assets), num(b.liabilities), num(b.gap), num(b.cumulative_gap)});
  return {t};
}

std::vector<TextTable> shocks_tables(const service::AlmShocksResult& j) {
  TextTable t("Supervisory shocks (bp), " + j.currency);
  t.column("bucket", TextTable::Align::kLeft).column("midpoint_years");
  const char* names[] = {"parallel_up", "parallel_down", "steepener", "flattener", "short_up", "short_down"};
  for (const char* n : names) t.column(n);
  for (const auto& b : j.buckets) {
    std::vector<std::string> row{b.name, fmt_number(b.midpoint_years, 4)};
    for (const char* n : names) {
      const auto it = b.shift_bp.find(n);
      row.push_back(it == b.shift_bp.end() ? "-" : fmt_number(it->second, 1));
    }
    t.row(row);
  }
  return {t};
}

std::vector<TextTable> session_list_table(const service::AlmSessionList& j) {
  TextTable t("ALM sessions");
  t.column("name", TextTable::Align::kLeft).column("positions").column("as_of", TextTable::Align::kLeft)
      .column("currency", TextTable::Align::kLeft).column("size_bytes").column("expires_at");
  t.column("owner", TextTable::Align::kLeft).column("shared", TextTable::Align::kLeft);
  for (const auto& s : j.items) {
    t.row({s.name, std::to_string(s.positions), s.as_of.value_or("-"), s.currency, std::to_string(s.size_bytes),
           s.expires_at, s.owner.empty() ? "-" : s.owner, s.shared ? "yes" : "no"});
  }
  if (j.items.empty()) t.footer("no sessions: keel alm session create NAME --balance-sheet FILE --curve FILE");
  return {t};
}

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

  // Files-only runs never open (or create) the store.
  auto service_for = [&ctx](const service::AlmRequest& r) -> service::Context {
    if (r.session || !r.stored_curves.empty()) return ctx.service();
    return {nullptr, system_env()};
  };

  auto eve_req = std::make_shared<service::AlmRequest>();
  auto* eve = group->add_subcommand("eve", "Economic value of equity under the six supervisory shocks");
  spec_options(eve, *eve_req);
  eve->callback([&ctx, eve_req, service_for] {
    const auto out = service::alm_eve(service_for(*eve_req), *eve_req);
    for (const auto& w : out.warnings) ctx.warn(w);
    ctx.emit(spec::to_json(out), eve_tables(out));
  });

  auto nii_req = std::make_shared<service::AlmRequest>();
  auto* nii = group->add_subcommand("nii", "Net interest income over 12 months under parallel up/down");
  spec_options(nii, *nii_req);
  nii->callback([&ctx, nii_req, service_for] {
    const auto out = service::alm_nii(service_for(*nii_req), *nii_req);
    for (const auto& w : out.warnings) ctx.warn(w);
    ctx.emit(spec::to_json(out), nii_tables(out));
  });

  auto gap_req = std::make_shared<service::AlmRequest>();
  auto* gap = group->add_subcommand("gap", "Repricing gap over the 19 BCBS time buckets");
  spec_options(gap, *gap_req);
  gap->callback([&ctx, gap_req, service_for] {
    const auto out = service::alm_gap(service_for(*gap_req), *gap_req);
    for (const auto& w : out.warnings) ctx.warn(w);
    ctx.emit(spec::to_json(out), gap_tables(out));
  });

  auto shocks_req = std::make_shared<service::AlmShocksRequest>();
  auto* shocks = group->add_subcommand("shocks", "Shock sizes of a currency at the 19 bucket midpoints");
  spec_options(shocks, *shocks_req);
  shocks->callback([&ctx, shocks_req] {
    const auto out = service::alm_shocks({nullptr, system_env()}, *shocks_req);
    ctx.emit(spec::to_json(out), shocks_tables(out));
  });

  // Sessions.
  auto* session = group->add_subcommand("session", "Stored ALM sessions (inputs + results, expire after inactivity)");
  session->require_subcommand(1);
  auto name = std::make_shared<std::string>();
  auto ttl = std::make_shared<std::string>("7d");
  auto cleanup_req = std::make_shared<service::AlmSessionCleanupRequest>();
  spec_options(session, *cleanup_req);
  auto cleanup = [&ctx, cleanup_req] { service::alm_session_cleanup(ctx.service(), *cleanup_req); };

  auto create_req = std::make_shared<service::AlmSessionCreateRequest>();
  auto* create = session->add_subcommand("create", "Parse a balance sheet and curves, run EVE/NII/gap, keep all");
  create->add_option("name", create_req->name, "Session name")->required();
  spec_options(create, *create_req);
  create->add_option("--ttl", *ttl, "Expire after this inactivity: 7d, 12h, 90m")->capture_default_str();
  create->callback([&ctx, create_req, ttl, cleanup] {
    cleanup();
    create_req->ttl_seconds = parse_ttl(*ttl);
    const auto out = service::alm_session_create(ctx.service(), *create_req);
    for (const auto& w : out.warnings) ctx.warn(w);
    TextTable t("Session " + create_req->name);
    t.column("field", TextTable::Align::kLeft).column("value", TextTable::Align::kLeft);
    t.row({"positions", std::to_string(out.session.positions)});
    t.row({"as_of", out.session.as_of.value_or("-")});
    t.row({"eve base", num(out.eve.base)});
    t.row({"eve worst", out.eve.worst.name + " " + num(out.eve.worst.delta)});
    t.row({"nii base", num(out.nii.base)});
    ctx.emit(spec::to_json(out), {t});
  });

  auto* list = session->add_subcommand("list", "Sessions of this store");
  list->callback([&ctx, cleanup] {
    cleanup();
    const auto out = service::alm_session_list(ctx.service());
    ctx.emit(spec::to_json(out), session_list_table(out));
  });

  auto* show = session->add_subcommand("show", "A session's inputs summary and stored results");
  show->add_option("name", *name, "Session name")->required();
  show->callback([&ctx, name, cleanup] {
    cleanup();
    const auto out = service::alm_session_show(ctx.service(), *name);
    std::vector<TextTable> tables;
    if (out.results.eve) for (auto& t : eve_tables(*out.results.eve)) tables.push_back(t);
    if (out.results.nii) for (auto& t : nii_tables(*out.results.nii)) tables.push_back(t);
    if (out.results.gap) for (auto& t : gap_tables(*out.results.gap)) tables.push_back(t);
    ctx.emit(spec::to_json(out), tables);
  });

  auto* del = session->add_subcommand("delete", "Delete a session");
  del->add_option("name", *name, "Session name")->required();
  del->callback([&ctx, name, cleanup] {
    cleanup();
    const auto out = service::alm_session_delete(ctx.service(), *name);
    TextTable t;
    t.column("deleted", TextTable::Align::kLeft).row({*name});
    ctx.emit(spec::to_json(out), {t});
  });

  auto share_req = std::make_shared<service::AlmSessionShareRequest>();
  auto* share = session->add_subcommand("share", "Share a session with the tenant's users (--no-shared: make it private)");
  spec_options(share, *share_req);
  share->callback([&ctx, share_req, cleanup] {
    cleanup();
    const auto out = service::alm_session_share(ctx.service(), *share_req);
    TextTable t;
    t.column("session", TextTable::Align::kLeft).column("owner", TextTable::Align::kLeft);
    t.column("shared", TextTable::Align::kLeft).row({out.name, out.owner, out.shared ? "yes" : "no"});
    ctx.emit(spec::to_json(out), {t});
  });

  auto* clean = session->add_subcommand("cleanup", "Delete expired sessions and enforce the disk budget now");
  clean->callback([&ctx, cleanup_req] {
    const auto out = service::clean_up_alm_sessions(ctx.service(), *cleanup_req);
    TextTable t;
    t.column("expired").column("evicted").column("bytes_after");
    t.row({std::to_string(out.expired), std::to_string(out.evicted), std::to_string(out.bytes_after)});
    ctx.emit(spec::to_json(out), {t});
  });
}

}  // namespace keel::cli
