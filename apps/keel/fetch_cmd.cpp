// `keel fetch prices|actions|curve|factors|fx|symbols`: market data from providers (keel/service/market_data.h,
// docs/marketdata.md). Each command's flags are its request's description (spec_cli.h).
#include <fmt/format.h>

#include <memory>

#include "context.h"
#include "keel/marketdata/cache.h"
#include "keel/service/fx_fetch.h"
#include "keel/service/macro.h"
#include "keel/service/market_data.h"
#include "keel/service/security_master.h"
#include "spec_cli.h"

namespace keel::cli {
namespace {

// The face's default response cache ($KEEL_CACHE_DIR, ...) unless --cache or --no-cache says otherwise.
void default_cache(service::MarketDataSource& source) {
  if (!source.no_cache && source.options.cache_dir.empty())
    source.options.cache_dir = marketdata::default_cache_root();
}

std::string requests_line(const service::ProviderStats& s) {
  return fmt::format("{} requests ({} retries), {} cached responses read, {} bytes", s.requests, s.retries,
                     s.cache_reads, s.bytes);
}

std::string count(const std::optional<std::size_t>& n) {
  return n ? std::to_string(*n) : "-";
}

std::vector<TextTable> prices_tables(const service::FetchPricesResult& r) {
  TextTable t("Prices from " + r.provider + " up to " + r.to.to_string());
  t.column("symbol", TextTable::Align::kLeft)
      .column("status", TextTable::Align::kLeft)
      .column("requested", TextTable::Align::kLeft)
      .column("bars")
      .column("new")
      .column("actions")
      .column("skipped")
      .column("flags");
  for (const auto& s : r.symbols) {
    std::string req;
    for (const auto& q : s.requested)
      req += (req.empty() ? "" : ", ") + q.from.to_string() + ".." + q.to.to_string();
    t.row({s.symbol, s.status, req.empty() ? "-" : req, count(s.bars), count(s.new_bars), count(s.actions),
           std::to_string(s.skipped ? s.skipped->size() : 0), count(s.flags)});
  }
  t.footer(fmt::format("{} bars fetched, {} skipped, {} flagged; {}", r.fetched_bars, r.skipped, r.flagged,
                       requests_line(r.stats)));
  std::vector<TextTable> out{t};
  if (!r.flags.empty()) {
    TextTable f("Flagged (stored, check them)");
    f.column("symbol", TextTable::Align::kLeft).column("date", TextTable::Align::kLeft).column("kind", TextTable::Align::kLeft).column("message", TextTable::Align::kLeft);
    for (const auto& x : r.flags) f.row({x.symbol, x.date, x.kind, x.message});
    out.push_back(f);
  }
  return out;
}

}  // namespace

namespace {

TextTable symbols_table(const service::FetchSymbolsResult& r) {
  std::vector<service::SymbolRecord> records;
  std::vector<std::string> status;
  for (const auto& s : r.symbols) {
    service::SymbolRecord rec = s.record.value_or(service::SymbolRecord{});
    rec.symbol = s.symbol;
    records.push_back(rec);
    status.push_back(s.status);
  }
  TextTable t = symbol_records_table("Security master from " + r.provider, records, status);
  t.footer(fmt::format("{} fetched, {} up to date; {}", r.fetched, r.up_to_date, requests_line(r.stats)));
  return t;
}

}  // namespace

void add_fetch_commands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("fetch", "Market data from providers (Yahoo, Stooq, Polygon, FRED, Treasury, French)");
  group->require_subcommand(1);

  {
    auto* cmd = group->add_subcommand("prices", "Daily bars of symbols or a portfolio's holdings (only missing dates)");
    auto req = std::make_shared<service::FetchPricesRequest>();
    spec_options(cmd, *req);
    cmd->callback([&ctx, req] {
      service::FetchPricesRequest r = *req;
      default_cache(r.source);
      if (ctx.show_progress()) {
        r.progress = [&ctx](const std::string& s, std::size_t done, std::size_t total) {
          if (!s.empty()) ctx.note(fmt::format("[{}/{}] {}", done + 1, total, s));
        };
      }
      const service::FetchPricesResult out = service::fetch_prices(ctx.service(), r);
      for (const auto& w : out.warnings) ctx.warn(w);
      ctx.emit(spec::to_json(out), prices_tables(out));
    });
  }
  {
    auto* cmd = group->add_subcommand("actions", "Splits and cash dividends of symbols or a portfolio's holdings");
    auto req = std::make_shared<service::FetchActionsRequest>();
    spec_options(cmd, *req);
    cmd->callback([&ctx, req] {
      service::FetchActionsRequest r = *req;
      default_cache(r.source);
      const service::FetchActionsResult out = service::fetch_actions(ctx.service(), r);
      TextTable t("Corporate actions from " + out.provider);
      t.column("symbol", TextTable::Align::kLeft).column("ex_date", TextTable::Align::kLeft).column("kind", TextTable::Align::kLeft).column("value");
      for (const auto& a : out.actions) {
        t.row({a.symbol, a.ex_date.to_string(), a.kind,
               a.split_ratio ? fmt_number(*a.split_ratio, 4) + " : 1"
                             : fmt_number(a.cash_amount.value_or(0.0), 4) + " " + a.currency});
      }
      t.footer(fmt::format("{} stored; adjusted closes recomputed for {} symbols; {}", out.stored,
                           out.recomputed.size(), requests_line(out.stats)));
      ctx.emit(spec::to_json(out), {t});
    });
  }
  {
    auto* cmd = group->add_subcommand("curve", "Daily par yield curves (US Treasury CSV or FRED constant maturities)");
    auto req = std::make_shared<service::FetchCurveRequest>();
    spec_options(cmd, *req);
    cmd->callback([&ctx, req] {
      service::FetchCurveRequest r = *req;
      default_cache(r.source);
      const service::FetchCurveResult out = service::fetch_curve(ctx.service(), r);
      TextTable t("Curve " + out.name + " from " + out.provider);
      t.column("as_of", TextTable::Align::kLeft);
      for (const auto& d : out.dates) t.row({d.to_string()});
      t.footer(fmt::format("{} curves stored ({}..{}); {}", out.curves, out.from.to_string(),
                           out.to.to_string(), requests_line(out.stats)));
      ctx.emit(spec::to_json(out), {t});
    });
  }
  {
    auto* cmd = group->add_subcommand("factors", "Fama-French factors from Kenneth French's data library");
    auto req = std::make_shared<service::FetchFactorsRequest>();
    spec_options(cmd, *req);
    cmd->callback([&ctx, req] {
      service::FetchFactorsRequest r = *req;
      default_cache(r.source);
      const service::FetchFactorsResult out = service::fetch_factors(ctx.service(), r);
      TextTable t("Factors " + out.set + " from " + out.provider);
      t.column("rows").column("first", TextTable::Align::kLeft).column("last", TextTable::Align::kLeft).column("factors", TextTable::Align::kLeft);
      std::string names;
      for (const auto& n : out.factors) names += (names.empty() ? "" : ",") + n;
      t.row({std::to_string(out.rows), out.first ? out.first->to_string() : "-",
             out.last ? out.last->to_string() : "-", names.empty() ? "-" : names});
      t.footer(requests_line(out.stats));
      ctx.emit(spec::to_json(out), {t});
    });
  }
  {
    auto* cmd = group->add_subcommand(
        "symbols", "Security master (name, exchange, currency, sector, ...) of symbols or a portfolio's holdings");
    auto req = std::make_shared<service::FetchSymbolsRequest>();
    spec_options(cmd, *req);
    cmd->callback([&ctx, req] {
      service::FetchSymbolsRequest r = *req;
      default_cache(r.source);
      const service::FetchSymbolsResult out = service::fetch_symbols(ctx.service(), r);
      ctx.emit(spec::to_json(out), {symbols_table(out)});
    });
  }
  {
    auto* cmd = group->add_subcommand("macro", "Macro series by id from FRED (CPIAUCSL, UNRATE, DGS10), only new dates");
    auto req = std::make_shared<service::FetchMacroRequest>();
    spec_options(cmd, *req);
    cmd->callback([&ctx, req] {
      service::FetchMacroRequest r = *req;
      default_cache(r.source);
      const service::FetchMacroResult out = service::fetch_macro(ctx.service(), r);
      TextTable t("Macro series from " + out.provider + " to " + out.to.to_string());
      t.column("series", TextTable::Align::kLeft)
          .column("units", TextTable::Align::kLeft)
          .column("stored_until", TextTable::Align::kLeft)
          .column("received")
          .column("first", TextTable::Align::kLeft)
          .column("last", TextTable::Align::kLeft)
          .column("status", TextTable::Align::kLeft);
      auto day = [](const spec::Nullable<Date>& d) { return d ? d->to_string() : std::string("-"); };
      for (const auto& f : out.series) {
        t.row({f.series.id, f.series.units, day(f.stored_until), std::to_string(f.received), day(f.series.first),
               day(f.series.last), f.status});
      }
      t.footer(fmt::format("{} observations stored; {}", out.observations, requests_line(out.stats)));
      ctx.emit(spec::to_json(out), {t});
    });
  }
  {
    auto* cmd = group->add_subcommand("fx", "Daily FX rates (ECB euro reference rates or FRED), only missing dates");
    auto req = std::make_shared<service::FetchFxRequest>();
    spec_options(cmd, *req);
    cmd->callback([&ctx, req] {
      service::FetchFxRequest r = *req;
      default_cache(r.source);
      const service::FetchFxResult out = service::fetch_fx(ctx.service(), r);
      TextTable t("FX rates from " + out.provider + " " + out.from.to_string() + ".." + out.to.to_string());
      t.column("pair", TextTable::Align::kLeft)
          .column("stored_until", TextTable::Align::kLeft)
          .column("rates")
          .column("first", TextTable::Align::kLeft)
          .column("last", TextTable::Align::kLeft);
      auto day = [](const spec::Nullable<Date>& d) { return d ? d->to_string() : std::string("-"); };
      for (const auto& p : out.pairs) {
        t.row({p.pair, day(p.stored_until), std::to_string(p.rates), day(p.first), day(p.last)});
      }
      t.footer(fmt::format("{}: {} rates stored; {}", out.status, out.rates, requests_line(out.stats)));
      ctx.emit(spec::to_json(out), {t});
    });
  }
}

}  // namespace keel::cli
