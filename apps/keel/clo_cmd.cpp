// `keel clo run|tests|grid|montecarlo --deal FILE.json`: CLO projection, tests, scenario grid and
// Monte Carlo of correlated defaults (the logic lives in keel/service/clo.h); `keel clo deal
// create|list|show|delete`: deals stored in the store (keel/service/clo_deals.h), the same ones
// keel serve's /api/v1/clo/deals and the web app show.
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <memory>
#include <optional>

#include "context.h"
#include "keel/core/error.h"
#include "keel/io/input.h"
#include "keel/io/json_input.h"
#include "keel/service/clo.h"
#include "keel/service/clo_deals.h"
#include "keel/service/clo_determinations.h"
#include "keel/service/clo_trades.h"
#include "spec_cli.h"

namespace keel::cli {
namespace {

// A figure undefined for this input is NaN (null in JSON): "-".
std::string pct_or_dash(double v) { return std::isfinite(v) ? fmt_percent(v) : "-"; }
std::string num_or_dash(double v, int d) { return std::isfinite(v) ? fmt_number(v, d) : "-"; }

// A test's figure as it reads (the web app's cloTestValue): WARF, diversity and WAL as numbers;
// OC, IC and interest diversion ratios in percent as trustee reports print them (1.3357 ->
// 133.57%), like shares and spreads. The JSON keeps the ratio.
std::string test_figure(const std::string& name, double v) {
  if (!std::isfinite(v)) return "-";
  if (name == "WARF" || name == "Diversity" || name == "WAL") return fmt_number(v, 2);
  return fmt_percent(v, 2);
}

// A test's name with the obligor or industry a rank test measures: "Obligor rank 2 (Beta)".
std::string test_label(const std::string& name, const std::optional<std::string>& subject) {
  return subject ? name + " (" + *subject + ")" : name;
}

void warn_all(Context& ctx, const std::vector<std::string>& warnings) {
  for (const auto& w : warnings) ctx.warn(w);
}

// The request to store the deal document at `path`: its JSON checked (file:line:column on a
// syntax error); a collateral given as the path of a CSV file (relative to the document) read
// into collateral_csv, as keel serve takes it; `collateral` (a CSV path) replaces it.
// A pool's CSV file as the text a request carries.
std::string collateral_csv(const std::string& path) {
  return io::read_text_file(local_files(), path, "collateral", "CLO collateral file", io::kMaxJsonInputBytes);
}

service::CloDealCreateRequest deal_create_request(const std::string& path, const std::string& collateral) {
  const std::string text = io::read_text_file(local_files(), path, "deal", "CLO deal file", io::kMaxJsonInputBytes);
  if (const auto problem = io::check_json_text(text, path)) {
    throw Error::invalid_input("invalid CLO deal " + path, {problem->to_string()});
  }
  service::CloDealCreateRequest req;
  req.deal = nlohmann::json::parse(text);
  std::string pool = collateral;
  if (pool.empty() && req.deal->is_object()) {
    if (auto c = req.deal->find("collateral"); c != req.deal->end() && c->is_string()) {
      std::filesystem::path p(c->get<std::string>());
      if (p.is_relative()) p = std::filesystem::path(path).parent_path() / p;
      pool = p.string();
    }
  }
  if (!pool.empty()) {
    req.collateral_csv = collateral_csv(pool);
    if (req.deal->is_object()) req.deal->erase("collateral");
  }
  return req;
}

TextTable deal_table(const std::vector<service::CloDealInfo>& deals, const std::string& title) {
  TextTable t(title);
  t.column("id")
      .column("name", TextTable::Align::kLeft)
      .column("currency", TextTable::Align::kLeft)
      .column("version")
      .column("loans")
      .column("collateral par")
      .column("tranches", TextTable::Align::kLeft)
      .column("updated", TextTable::Align::kLeft);
  for (const auto& d : deals) {
    std::string tranches;
    for (const auto& n : d.tranches) tranches += (tranches.empty() ? "" : ", ") + n;
    t.row({std::to_string(d.id), d.name, d.currency, std::to_string(d.version), std::to_string(d.latest.loans),
           fmt_amount(d.latest.collateral_par), tranches, d.updated_at});
  }
  return t;
}

// The tables of `keel clo run` (a file or a stored deal).
void emit_run(Context& ctx, const service::CloRunResult& doc) {
  warn_all(ctx, doc.warnings);
  TextTable periods("Periods: " + doc.deal);
  periods.column("date", TextTable::Align::kLeft)
      .column("interest")
      .column("principal")
      .column("defaults")
      .column("reinvested")
      .column("diverted")
      .column("equity")
      .column("par")
      .column("failing tests", TextTable::Align::kLeft);
  for (const auto& p : doc.periods) {
    std::string failing;
    for (const auto& t : p.tests) {
      if (!t.pass) failing += (failing.empty() ? "" : ", ") + t.name;
    }
    const double equity = p.tranches.empty() ? 0.0 : p.tranches.back().interest_paid + p.tranches.back().principal_paid;
    periods.row({p.date, fmt_amount(p.interest_collections), fmt_amount(p.principal_collections),
                 fmt_amount(p.defaults), fmt_amount(p.reinvested), fmt_amount(p.interest_diverted),
                 fmt_amount(equity), fmt_amount(p.ending_par), failing});
  }
  TextTable tr("Tranches");
  tr.column("class", TextTable::Align::kLeft)
      .column("balance")
      .column("irr")
      .column("wal")
      .column("principal loss")
      .column("loss %")
      .column("unpaid interest")
      .column("PV loss %")
      .column("first loss", TextTable::Align::kLeft);
  for (const auto& t : doc.tranches) {
    // The equity (the last tranche) has no principal to lose or interest due: its IRR says it.
    if (&t == &doc.tranches.back()) {
      tr.row({t.name, fmt_amount(t.original_balance.value_or(0.0), 0), pct_or_dash(t.irr), num_or_dash(t.wal, 2), "-",
              "-", "-", "-", "-"});
      continue;
    }
    const std::string first_loss = t.first_loss_date && *t.first_loss_date ? **t.first_loss_date : "-";
    tr.row({t.name, fmt_amount(t.original_balance.value_or(0.0), 0), pct_or_dash(t.irr), num_or_dash(t.wal, 2),
            fmt_amount(t.principal_loss), fmt_percent(t.loss_pct), fmt_amount(t.unpaid_interest),
            pct_or_dash(t.pv_loss_pct), first_loss});
  }
  tr.footer(
      "loss % = principal not repaid / original balance; unpaid interest = capitalised (PIK) and "
      "unpaid interest left; PV loss at each note's own rate");
  if (doc.defaulted_at_closing > 0.0) {
    tr.footer("defaulted at closing (outside the performing par, OC at min(recovery, price)): " +
              fmt_amount(doc.defaulted_at_closing));
  }
  const auto& s = doc.scenario;
  tr.footer(fmt::format("CDR {}, CPR {}, recovery {} after {} months", fmt_percent(s.cdr),
                        fmt_percent(s.cpr), fmt_percent(s.recovery), s.recovery_lag_months));
  ctx.emit(spec::to_json(doc), {periods, tr});
}

// The tables of `keel clo tests` (a file or a stored deal).
TextTable determination_table(const service::CloDetermination& d) {
  TextTable t("Determination of " + d.deal + " on " + d.as_of + " (version " + std::to_string(d.version) + ")");
  t.column("test", TextTable::Align::kLeft)
      .column("kind", TextTable::Align::kLeft)
      .column("value")
      .column("threshold")
      .column("cushion")
      .column("result", TextTable::Align::kLeft);
  for (const auto& x : d.tests) {
    t.row({test_label(x.name, x.subject), x.kind, x.value ? test_figure(x.name, *x.value) : "-", test_figure(x.name, x.threshold),
           x.cushion ? test_figure(x.name, *x.cushion) : "-", x.pass ? "pass" : "FAIL"});
  }
  for (const auto& e : d.events) t.footer(e);
  t.footer(fmt::format("{} breaches, {} alerts", d.breaches, d.alerts));
  return t;
}

// The tables of `keel clo trade`: the ticket with its cash, then every test before and after.
std::vector<TextTable> trade_tables(const service::CloTradeResult& r) {
  TextTable lines(fmt::format("Trades of {} on {} (version {})", r.deal, r.trade_date, r.version));
  lines.column("action", TextTable::Align::kLeft)
      .column("asset", TextTable::Align::kLeft)
      .column("obligor", TextTable::Align::kLeft)
      .column("par")
      .column("price")
      .column("cash");
  for (const auto& l : r.lines) {
    lines.row({l.action, l.asset_id.empty() ? "-" : l.asset_id, l.obligor, fmt_amount(l.par), fmt_number(l.price, 4),
               fmt_amount(l.cash)});
  }
  lines.footer(fmt::format("par {} -> {}; net cash {}; principal cash {} -> {}", fmt_amount(r.par_before),
                           fmt_amount(r.par_after), fmt_amount(r.net_cash), fmt_amount(r.principal_cash_before),
                           fmt_amount(r.principal_cash_after)));
  TextTable tests("Tests before and after");
  tests.column("test", TextTable::Align::kLeft)
      .column("before")
      .column("after")
      .column("limit")
      .column("effect", TextTable::Align::kLeft);
  for (const auto& t : r.tests) {
    tests.row({test_label(t.name, t.subject_after ? t.subject_after : t.subject_before), t.before ? test_figure(t.name, *t.before) : "-", t.after ? test_figure(t.name, *t.after) : "-",
               (t.bound == "max" ? "<= " : ">= ") + test_figure(t.name, t.threshold),
               t.effect + (t.pass_after ? "" : " (FAIL)")});
  }
  tests.footer(r.complies ? "complies: no test breaks and no failing test worsens (maintain or improve)"
                          : "does not comply with maintain or improve");
  for (const auto& b : r.breaks) tests.footer("breaks: " + b);
  for (const auto& w : r.worsens) tests.footer("worsens a failing test: " + w);
  tests.footer(r.applied ? fmt::format("applied: version {}", r.new_version.value_or(0))
                         : "a preview: nothing kept (--apply keeps it)");
  return {lines, tests};
}

// The kept dates of `keel clo determinations` and `keel clo backfill`.
TextTable determinations_table(const service::CloDeterminations& h) {
  TextTable t("Determinations of " + h.deal);
  t.column("as_of", TextTable::Align::kLeft).column("version").column("breaches").column("alerts");
  for (const auto& d : h.items) {
    t.row({d.as_of, std::to_string(d.version), std::to_string(d.breaches), std::to_string(d.alerts)});
  }
  if (h.items.empty()) t.footer("none kept yet: keel clo determine --deal " + h.deal + " --as-of DATE");
  return t;
}

void emit_tests(Context& ctx, const service::CloTestsResult& doc) {
  warn_all(ctx, doc.warnings);
  TextTable q("Collateral quality as of " + doc.as_of);
  q.column("test", TextTable::Align::kLeft).column("value").column("limit").column("result", TextTable::Align::kLeft);
  for (const auto& t : doc.quality) {
    q.row({test_label(t.name, t.subject), test_figure(t.name, t.value), test_figure(t.name, t.threshold),
           t.pass ? "pass" : "FAIL"});
  }
  q.footer("largest obligor " + doc.metrics.max_obligor + ", largest industry " + doc.metrics.max_industry);
  TextTable c("Coverage tests: OC on " + doc.coverage.date.value_or("-") + ", IC on " +
              doc.coverage.ic_date.value_or("-"));
  c.column("test", TextTable::Align::kLeft).column("ratio").column("trigger").column("result", TextTable::Align::kLeft);
  for (const auto& t : doc.coverage.tests) {
    c.row({t.name, test_figure(t.name, t.value), test_figure(t.name, t.threshold), t.pass ? "pass" : "FAIL"});
  }
  ctx.emit(spec::to_json(doc), {q, c});
}

void add_deal_commands(CLI::App* group, Context& ctx) {
  auto* deal = group->add_subcommand("deal", "CLO deals kept in the store (versions, assumptions; keel serve shows them)");
  deal->require_subcommand(1);

  // The assumptions (--scenario, --cdr, --cpr, --recovery, --recovery-lag) are the request's, as
  // POST /api/v1/clo/deals, PUT .../{id} and POST .../{id}/assumptions take them.
  struct CreateFlags {
    std::string file, collateral, name, comment, deal;
    service::CloScenarioRequest assumptions;
  };
  auto cf = std::make_shared<CreateFlags>();
  auto* create = deal->add_subcommand("create", "Store a deal document (its collateral inline or a CSV file)");
  create->add_option("file", cf->file, "The deal document (JSON, docs/clo.md)")->required();
  create->add_option("--name", cf->name, "Name in the store (default: the document's name)");
  create->add_option("--collateral", cf->collateral, "The pool as a CSV file (replaces the document's collateral)");
  create->add_option("--comment", cf->comment, "A note kept with the version");
  spec_options(create, cf->assumptions);
  create->callback([&ctx, cf] {
    auto req = deal_create_request(cf->file, cf->collateral);
    if (!cf->name.empty()) req.name = cf->name;
    req.comment = cf->comment;
    req.assumptions = cf->assumptions;
    const auto out = service::clo_deal_create(ctx.service(), req);
    warn_all(ctx, out.warnings);
    ctx.emit(spec::to_json(out), {deal_table({out.deal}, "Stored CLO deal")});
  });

  auto uf = std::make_shared<CreateFlags>();
  auto* update = deal->add_subcommand(
      "update", "A new version of a stored deal: another document and/or pool (PUT /api/v1/clo/deals/{id})");
  update->add_option("deal", uf->deal, "The deal's id or name")->required();
  update->add_option("file", uf->file, "A new deal document (default: the latest version's structure)");
  update->add_option("--collateral", uf->collateral, "A new pool as a CSV file");
  update->add_option("--comment", uf->comment, "A note kept with the version");
  spec_options(update, uf->assumptions);
  update->callback([&ctx, uf] {
    const auto cx = ctx.service();
    service::CloDealUpdateRequest req;
    if (!uf->file.empty()) {
      auto doc = deal_create_request(uf->file, uf->collateral);
      req.deal = std::move(doc.deal);
      req.collateral_csv = std::move(doc.collateral_csv);
    } else if (!uf->collateral.empty()) {
      req.collateral_csv = collateral_csv(uf->collateral);
    }
    req.assumptions = uf->assumptions;
    req.comment = uf->comment;
    req.id = service::clo_deal_id(cx, uf->deal);
    const auto out = service::clo_deal_update(cx, req);
    ctx.emit(spec::to_json(out), {deal_table({out.deal}, "Updated CLO deal")});
  });

  auto af = std::make_shared<CreateFlags>();
  auto* assume = deal->add_subcommand(
      "assumptions", "A new version of a stored deal with other assumptions (POST .../{id}/assumptions)");
  assume->add_option("deal", af->deal, "The deal's id or name")->required();
  assume->add_option("--comment", af->comment, "A note kept with the version");
  spec_options(assume, af->assumptions);
  assume->callback([&ctx, af] {
    const auto cx = ctx.service();
    service::CloDealAssumptionsRequest req;
    req.assumptions = af->assumptions;
    req.comment = af->comment;
    req.id = service::clo_deal_id(cx, af->deal);
    const auto out = service::clo_deal_set_assumptions(cx, req);
    TextTable t(fmt::format("Version {} of {}: {}", out.version, af->deal, out.change));
    t.column("cdr").column("cpr").column("recovery").column("recovery_lag");
    t.row({fmt_percent(out.assumptions.cdr), fmt_percent(out.assumptions.cpr), fmt_percent(out.assumptions.recovery),
           std::to_string(out.assumptions.recovery_lag_months)});
    ctx.emit(spec::to_json(out), {t});
  });

  auto* list = deal->add_subcommand("list", "Deals of the store");
  list->callback([&ctx] {
    const auto cx = ctx.service();
    const spec::ItemsOf<service::CloDealInfo> out{service::clo_deal_list(cx)};
    ctx.emit(spec::to_json(out), {deal_table(out.items, "CLO deals")});
  });

  auto ref = std::make_shared<std::string>();
  auto* show = deal->add_subcommand("show", "A stored deal and its versions");
  show->add_option("deal", *ref, "The deal's id or name")->required();
  show->callback([&ctx, ref] {
    const auto cx = ctx.service();
    const std::int64_t id = service::clo_deal_id(cx, *ref);
    const auto out = service::clo_deal_versions(cx, id);
    const auto shown = service::clo_deal_show(cx, id, std::nullopt);
    TextTable t("Versions of " + shown.deal.name);
    t.column("version")
        .column("change", TextTable::Align::kLeft)
        .column("loans")
        .column("cdr")
        .column("cpr")
        .column("recovery")
        .column("by", TextTable::Align::kLeft)
        .column("at", TextTable::Align::kLeft)
        .column("comment", TextTable::Align::kLeft);
    for (const auto& v : out.items) {
      t.row({std::to_string(v.version), v.change, std::to_string(v.loans), fmt_percent(v.assumptions.cdr),
             fmt_percent(v.assumptions.cpr), fmt_percent(v.assumptions.recovery), v.created_by, v.created_at,
             v.comment});
    }
    ctx.emit(spec::to_json(shown), {deal_table({shown.deal}, "CLO deal"), t});
  });

  // Runs of a stored version: its assumptions unless flags override them, its stored ratings and
  // marks applied (the latest of each obligor on or before --marks-as-of).
  struct RunFlags {
    std::string deal;
    service::CloDealRunRequest req;
  };
  auto rf = std::make_shared<RunFlags>();
  auto* drun = deal->add_subcommand("run", "Project a stored deal (as keel clo run), its stored ratings and marks applied");
  drun->add_option("deal", rf->deal, "The deal's id or name")->required();
  spec_options(drun, rf->req);
  drun->callback([&ctx, rf] {
    const auto cx = ctx.service();
    emit_run(ctx, *service::run_clo_deal(cx, service::clo_deal_id(cx, rf->deal), rf->req).result);
  });
  struct TestsFlags {
    std::string deal;
    service::CloDealTestsRequest req;
  };
  auto tf = std::make_shared<TestsFlags>();
  auto* dtests = deal->add_subcommand("tests", "Quality and coverage tests of a stored deal (as keel clo tests)");
  dtests->add_option("deal", tf->deal, "The deal's id or name")->required();
  spec_options(dtests, tf->req);
  dtests->callback([&ctx, tf] {
    const auto cx = ctx.service();
    emit_tests(ctx, service::clo_deal_tests(cx, service::clo_deal_id(cx, tf->deal), tf->req));
  });
  // `keel clo determine --deal D --as-of DATE` and `keel clo determinations --deal D`
  // (keel/service/clo_determinations.h).
  auto dreq = std::make_shared<service::CloDetermineRequest>();
  auto* determine = group->add_subcommand(
      "determine", "Run a stored deal's tests for a determination date and keep them (breaches and alerts audited)");
  spec_options(determine, *dreq);
  determine->callback([&ctx, dreq] {
    const auto d = service::clo_determine(ctx.service(), *dreq);
    ctx.emit(spec::to_json(d), {determination_table(d)});
  });
  // `keel clo trade --deal D --date DATE --trades FILE.csv [--apply]` (keel/service/clo_trades.h).
  auto treq = std::make_shared<service::CloTradeRequest>();
  auto apply = std::make_shared<bool>(false);
  auto* trade = group->add_subcommand(
      "trade", "Test a trade ticket on a stored deal's pool: every test before and after (--apply keeps it)");
  spec_options(trade, *treq);
  trade->add_flag("--apply", *apply, "Keep the pool after the trades as a new version (audited)");
  trade->callback([&ctx, treq, apply] {
    treq->trades_csv =
        io::read_text_file(local_files(), *treq->trades_file, "trades", "CLO trade ticket", io::kMaxJsonInputBytes);
    const auto r = *apply ? service::clo_trade(ctx.service(), *treq) : service::clo_trade_preview(ctx.service(), *treq);
    warn_all(ctx, r.warnings);
    ctx.emit(spec::to_json(r), trade_tables(r));
  });
  auto breq = std::make_shared<service::CloBackfillRequest>();
  auto* backfill = group->add_subcommand(
      "backfill", "Keep a stored deal's determinations on every month-end of a range (as keel clo determine)");
  spec_options(backfill, *breq);
  backfill->callback([&ctx, breq] {
    const auto h = service::clo_backfill(ctx.service(), *breq);
    ctx.emit(spec::to_json(h), {determinations_table(h)});
  });
  auto hreq = std::make_shared<service::CloDeterminationsRequest>();
  auto* history = group->add_subcommand("determinations", "The tests a stored deal kept per determination date");
  spec_options(history, *hreq);
  history->callback([&ctx, hreq] {
    const auto h = service::clo_determinations(ctx.service(), *hreq);
    ctx.emit(spec::to_json(h), {determinations_table(h)});
  });
  for (const bool ratings : {true, false}) {
    auto* list_marks = deal->add_subcommand(ratings ? "ratings" : "marks",
                                            ratings ? "A stored deal's dated ratings" : "A stored deal's dated prices");
    list_marks->add_option("deal", *ref, "The deal's id or name")->required();
    list_marks->callback([&ctx, ref, ratings] {
      const auto cx = ctx.service();
      const std::int64_t id = service::clo_deal_id(cx, *ref);
      const auto out = ratings ? service::clo_deal_ratings(cx, id) : service::clo_deal_marks(cx, id);
      TextTable t(ratings ? "Ratings" : "Marks");
      t.column("as of", TextTable::Align::kLeft)
          .column("obligor", TextTable::Align::kLeft)
          .column(ratings ? "rating" : "price", ratings ? TextTable::Align::kLeft : TextTable::Align::kRight)
          .column("by", TextTable::Align::kLeft)
          .column("at", TextTable::Align::kLeft);
      for (const auto& m : out.items) {
        t.row({m.as_of, m.obligor, ratings ? m.rating.value_or("") : fmt_number(m.price.value_or(0.0), 2),
               m.imported_by, m.imported_at});
      }
      ctx.emit(spec::to_json(out), {t});
    });
  }

  auto* del = deal->add_subcommand("delete", "Delete a stored deal and every version");
  del->add_option("deal", *ref, "The deal's id or name")->required();
  del->callback([&ctx, ref] {
    const auto cx = ctx.service();
    const auto out = service::clo_deal_delete(cx, service::clo_deal_id(cx, *ref));
    TextTable t;
    t.column("deleted", TextTable::Align::kLeft).column("versions").row({out.deleted, std::to_string(out.versions)});
    ctx.emit(spec::to_json(out), {t});
  });
}

// `keel clo import ratings|marks --deal D FILE`: the files of --ratings and --marks stored with a
// deal, which its runs then apply.
void add_import_commands(CLI::App* group, Context& ctx) {
  auto* imp = group->add_subcommand("import", "Store dated ratings or prices of a stored deal's obligors");
  imp->require_subcommand(1);
  for (const bool ratings : {true, false}) {
    struct ImportFlags {
      std::string deal;
      service::CloDealMarksImportRequest req;
    };
    auto f = std::make_shared<ImportFlags>();
    auto* cmd = imp->add_subcommand(
        ratings ? "ratings" : "marks",
        ratings ? "Ratings: as_of,obligor,rating (Moody's or S&P); all rows validated, nothing stored on error"
                : "Prices: as_of,obligor,price (percent of par); all rows validated, nothing stored on error");
    cmd->add_option("file", f->req.input.name, "CSV file")->required();
    cmd->add_option("--deal", f->deal, "The stored deal's id or name")->required();
    cmd->callback([&ctx, f, ratings] {
      const auto cx = ctx.service();
      f->req.id = service::clo_deal_id(cx, f->deal);
      const auto out =
          ratings ? service::clo_deal_import_ratings(cx, f->req) : service::clo_deal_import_marks(cx, f->req);
      TextTable t("Imported " + out.kind + " of " + out.deal + " from " + out.file);
      t.column("field", TextTable::Align::kLeft).column("value", TextTable::Align::kLeft);
      t.row({"rows", std::to_string(out.rows)})
          .row({"added", std::to_string(out.added)})
          .row({"replaced", std::to_string(out.replaced)})
          .row({"dates", out.first_date + " .. " + out.last_date});
      warn_all(ctx, out.warnings);
      if (!out.unknown_obligors.empty()) {
        ctx.warn(fmt::format("{} obligor(s) of the file are not in the deal's pool: {}", out.unknown_obligors.size(),
                             out.unknown_obligors.front()));
      }
      ctx.emit(spec::to_json(out), {t});
    });
  }
}

}  // namespace

void add_clo_commands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("clo", "CLO analytics: projection, waterfalls, tests, grid, Monte Carlo");
  group->require_subcommand(1);
  add_deal_commands(group, ctx);
  add_import_commands(group, ctx);
  auto run_req = std::make_shared<service::CloRunRequest>();
  auto* run = group->add_subcommand("run", "Project the deal: collateral, both waterfalls, OC/IC tests, tranche metrics");
  spec_options(run, *run_req);
  run->callback([&ctx, run_req] { emit_run(ctx, service::clo_run(ctx.service_if(false), *run_req)); });

  auto tests_req = std::make_shared<service::CloTestsRequest>();
  auto* tests = group->add_subcommand("tests", "Collateral quality tests and the first period's OC/IC tests");
  spec_options(tests, *tests_req);
  tests->callback([&ctx, tests_req] { emit_tests(ctx, service::clo_tests(ctx.service_if(false), *tests_req)); });

  auto grid_req = std::make_shared<service::CloGridRequest>();
  auto* grid = group->add_subcommand("grid", "Scenario grid CDR x CPR x recovery: IRR, WAL and loss per tranche");
  spec_options(grid, *grid_req);
  grid->callback([&ctx, grid_req] {
    const auto doc = service::clo_grid(ctx.service_if(false), *grid_req);
    warn_all(ctx, doc.warnings);
    TextTable t("Scenario grid: " + doc.deal + " (principal loss % / IRR)");
    t.column("cdr").column("cpr").column("recovery");
    if (!doc.scenarios.empty()) {
      for (const auto& tr : doc.scenarios.front().tranches) t.column(tr.name);
    }
    for (const auto& p : doc.scenarios) {
      std::vector<std::string> row{fmt_percent(p.cdr), fmt_percent(p.cpr), fmt_percent(p.recovery)};
      for (const auto& tr : p.tranches) row.push_back(fmt_percent(tr.loss_pct) + " / " + pct_or_dash(tr.irr));
      t.row(row);
    }
    ctx.emit(spec::to_json(doc), {t});
  });

  auto mc_req = std::make_shared<service::CloMonteCarloRequest>();
  auto* mc = group->add_subcommand("montecarlo", "Monte Carlo of correlated defaults: tranche loss distribution");
  spec_options(mc, *mc_req);
  mc->callback([&ctx, mc_req] {
    const auto doc = service::clo_montecarlo(ctx.service_if(false), *mc_req);
    warn_all(ctx, doc.warnings);
    TextTable t(fmt::format("Monte Carlo: {} scenarios, seed {}", doc.scenarios, doc.seed));
    t.column("class", TextTable::Align::kLeft)
        .column("EL")
        .column("EL %")
        .column("PD")
        .column("VaR %")
        .column("ES %")
        .column("p90 %")
        .column("unpaid int %")
        .column("PV loss %");
    for (const auto& tr : doc.tranches) {
      t.row({tr.name, fmt_amount(tr.expected_loss), fmt_percent(tr.expected_loss_pct, 3), fmt_percent(tr.pd),
             fmt_percent(tr.var_pct), fmt_percent(tr.es_pct), fmt_percent(tr.p90_pct),
             fmt_percent(tr.expected_unpaid_interest_pct, 3), fmt_percent(tr.expected_pv_loss_pct, 3)});
    }
    t.footer(
        "losses are principal losses (share of the original balance); unpaid int % = mean capitalised "
        "and unpaid interest left; PV loss at each note's own rate");
    const auto& e = doc.equity_irr;
    t.footer("equity IRR mean " + pct_or_dash(e.mean) + ", p5 " + pct_or_dash(e.p5) + ", p50 " + pct_or_dash(e.p50) +
             ", p95 " + pct_or_dash(e.p95));
    t.footer("mean cumulative defaults " + fmt_percent(doc.mean_default_pct) + " of initial par; VaR/ES at " +
             fmt_percent(doc.confidence, 1));
    ctx.emit(spec::to_json(doc), {t});
  });
}

}  // namespace keel::cli
