// `keel fetch prices|actions|curve|factors`: market data from providers (keel/service/market_data.h,
// docs/marketdata.md).
#include <memory>

#include "context.h"
#include "keel/core/error.h"
#include "keel/service/market_data.h"
#include "keel/store/store.h"

namespace keel::cli {
namespace {

using nlohmann::json;

// How to reach the provider: shared by every fetch command.
struct SourceFlags {
  std::string provider;
  std::string base_url;
  std::string cache_dir;
  bool no_cache = false;
  bool offline = false;
  double rate = 0;
  double timeout_s = 60;
  double connect_timeout_s = 10;
  int attempts = 5;
};

void add_source_flags(CLI::App* cmd, SourceFlags& f, const std::string& default_provider, const std::string& providers) {
  f.provider = default_provider;
  auto* p = cmd->add_option("--provider", f.provider, "Provider: " + providers);
  if (default_provider.empty()) p->required();
  cmd->add_option("--base-url", f.base_url, "Provider base URL (default: the vendor's public host)");
  cmd->add_option("--cache", f.cache_dir, "Response cache folder (default: $KEEL_CACHE_DIR or ~/.cache/keel/marketdata)");
  cmd->add_flag("--no-cache", f.no_cache, "Do not keep responses on disk");
  cmd->add_flag("--offline", f.offline, "Make no request: use the cached responses only");
  cmd->add_option("--rate", f.rate, "Requests per second (default: the provider's limit)")->check(CLI::NonNegativeNumber);
  cmd->add_option("--timeout", f.timeout_s, "Seconds for one whole request")->check(CLI::PositiveNumber);
  cmd->add_option("--connect-timeout", f.connect_timeout_s, "Seconds to connect")->check(CLI::PositiveNumber);
  cmd->add_option("--attempts", f.attempts, "Attempts per request (retries on 429 and 5xx)")->check(CLI::Range(1, 20));
}

service::MarketDataSource source_of(const SourceFlags& f) {
  service::MarketDataSource s;
  s.provider = f.provider;
  s.options.base_url = f.base_url;
  if (f.no_cache && f.offline) throw Error::usage("--offline reads the cache: it cannot go with --no-cache");
  s.options.cache_dir = f.no_cache ? "" : (f.cache_dir.empty() ? marketdata::default_cache_root() : f.cache_dir);
  s.options.offline = f.offline;
  s.options.requests_per_second = f.rate;
  s.options.http.total_timeout_ms = static_cast<long>(f.timeout_s * 1000);
  s.options.http.connect_timeout_ms = static_cast<long>(f.connect_timeout_s * 1000);
  s.options.http.max_attempts = f.attempts;
  return s;
}

std::optional<Date> date_flag(const std::string& text, const char* name) {
  if (text.empty()) return std::nullopt;
  return Date::parse_or_throw(text, name);
}

std::string count(const json& j, const char* key) {
  return j.contains(key) && j.at(key).is_number() ? std::to_string(j.at(key).get<long long>()) : "-";
}

std::string requests_line(const json& r) {
  return count(r, "requests") + " requests (" + count(r, "retries") + " retries), " + count(r, "cache_reads") +
         " cached responses read, " + count(r, "bytes") + " bytes";
}

std::vector<TextTable> prices_tables(const json& r) {
  TextTable t("Prices from " + r.value("provider", std::string()) + " up to " + r.value("to", std::string()));
  t.column("symbol", TextTable::Align::kLeft)
      .column("status", TextTable::Align::kLeft)
      .column("requested", TextTable::Align::kLeft)
      .column("bars")
      .column("new")
      .column("actions")
      .column("skipped")
      .column("flags");
  for (const auto& s : r.at("symbols")) {
    std::string req;
    for (const auto& q : s.value("requested", json::array())) {
      req += (req.empty() ? "" : ", ") + q.at("from").get<std::string>() + ".." + q.at("to").get<std::string>();
    }
    t.row({s.at("symbol"), s.at("status"), req.empty() ? "-" : req, count(s, "bars"), count(s, "new_bars"),
           count(s, "actions"), std::to_string(s.value("skipped", json::array()).size()), count(s, "flags")});
  }
  t.footer(count(r, "fetched_bars") + " bars fetched, " + count(r, "skipped") + " skipped, " + count(r, "flagged") +
           " flagged; " + requests_line(r));
  std::vector<TextTable> out{t};
  if (!r.at("flags").empty()) {
    TextTable f("Flagged (stored, check them)");
    f.column("symbol", TextTable::Align::kLeft).column("date", TextTable::Align::kLeft).column("kind", TextTable::Align::kLeft).column("message", TextTable::Align::kLeft);
    for (const auto& x : r.at("flags")) f.row({x.at("symbol"), x.at("date"), x.at("kind"), x.at("message")});
    out.push_back(f);
  }
  return out;
}

}  // namespace

void add_fetch_commands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("fetch", "Market data from providers (Yahoo, Stooq, Polygon, FRED, Treasury, French)");
  group->require_subcommand(1);

  {
    auto* cmd = group->add_subcommand("prices", "Daily bars of symbols or a portfolio's holdings (only missing dates)");
    auto src = std::make_shared<SourceFlags>();
    auto symbols = std::make_shared<std::vector<std::string>>();
    auto portfolio = std::make_shared<std::string>();
    auto from = std::make_shared<std::string>();
    auto to = std::make_shared<std::string>();
    auto full = std::make_shared<bool>(false);
    auto no_actions = std::make_shared<bool>(false);
    auto calendar = std::make_shared<std::string>("NYSE");
    add_source_flags(cmd, *src, "", "yahoo, stooq, polygon");
    cmd->add_option("--symbols", *symbols, "Symbols, comma-separated")->delimiter(',');
    cmd->add_option("--portfolio,-p", *portfolio, "Every priced symbol held by this stored portfolio");
    cmd->add_option("--from", *from, "First date (default: continue the stored history, else 5 years back)");
    cmd->add_option("--to", *to, "Last date (default: today)");
    cmd->add_flag("--full", *full, "Request the whole range again, ignoring what was synced");
    cmd->add_flag("--no-actions", *no_actions, "Do not request splits and dividends separately (polygon)");
    cmd->add_option("--calendar", *calendar, "Exchange calendar for gap checks: NYSE, NASDAQ or none")
        ->check(CLI::IsMember({"NYSE", "NASDAQ", "none"}));
    cmd->callback([&ctx, src, symbols, portfolio, from, to, full, no_actions, calendar] {
      service::FetchPricesRequest req;
      req.source = source_of(*src);
      req.symbols = *symbols;
      if (!portfolio->empty()) req.portfolio = *portfolio;
      req.from = date_flag(*from, "--from");
      req.to = date_flag(*to, "--to");
      req.full = *full;
      req.with_actions = !*no_actions;
      req.validation.calendar = *calendar;
      if (ctx.show_progress()) {
        req.progress = [&ctx](const std::string& s, std::size_t done, std::size_t total) {
          if (!s.empty()) ctx.note("[" + std::to_string(done + 1) + "/" + std::to_string(total) + "] " + s);
        };
      }
      const json r = service::fetch_prices(ctx.service(), req);
      ctx.emit(r, prices_tables(r));
    });
  }
  {
    auto* cmd = group->add_subcommand("actions", "Splits and cash dividends of symbols or a portfolio's holdings");
    auto src = std::make_shared<SourceFlags>();
    auto symbols = std::make_shared<std::vector<std::string>>();
    auto portfolio = std::make_shared<std::string>();
    auto from = std::make_shared<std::string>();
    auto to = std::make_shared<std::string>();
    add_source_flags(cmd, *src, "", "yahoo, polygon");
    cmd->add_option("--symbols", *symbols, "Symbols, comma-separated")->delimiter(',');
    cmd->add_option("--portfolio,-p", *portfolio, "Every priced symbol held by this stored portfolio");
    cmd->add_option("--from", *from, "First ex-date (default: 1970-01-01)");
    cmd->add_option("--to", *to, "Last ex-date (default: today)");
    cmd->callback([&ctx, src, symbols, portfolio, from, to] {
      service::FetchActionsRequest req;
      req.source = source_of(*src);
      req.symbols = *symbols;
      if (!portfolio->empty()) req.portfolio = *portfolio;
      req.from = date_flag(*from, "--from");
      req.to = date_flag(*to, "--to");
      const json r = service::fetch_actions(ctx.service(), req);
      TextTable t("Corporate actions from " + r.value("provider", std::string()));
      t.column("symbol", TextTable::Align::kLeft).column("ex_date", TextTable::Align::kLeft).column("kind", TextTable::Align::kLeft).column("value");
      for (const auto& a : r.at("actions")) {
        const bool split = a.at("kind") == "split";
        t.row({a.at("symbol"), a.at("ex_date"), a.at("kind"),
               split ? fmt_number(a.at("split_ratio").get<double>(), 4) + " : 1"
                     : fmt_number(a.at("cash_amount").get<double>(), 4) + " " + a.value("currency", std::string())});
      }
      t.footer(count(r, "stored") + " stored; adjusted closes recomputed for " + std::to_string(r.at("recomputed").size()) +
               " symbols; " + requests_line(r));
      ctx.emit(r, {t});
    });
  }
  {
    auto* cmd = group->add_subcommand("curve", "Daily par yield curves (US Treasury CSV or FRED constant maturities)");
    auto src = std::make_shared<SourceFlags>();
    auto name = std::make_shared<std::string>("UST");
    auto from = std::make_shared<std::string>();
    auto to = std::make_shared<std::string>();
    add_source_flags(cmd, *src, "treasury", "treasury, fred");
    cmd->add_option("--name", *name, "Curve name in the store");
    cmd->add_option("--from", *from, "First date (default: after the last stored curve, else 30 days back)");
    cmd->add_option("--to", *to, "Last date (default: today)");
    cmd->callback([&ctx, src, name, from, to] {
      service::FetchCurveRequest req;
      req.source = source_of(*src);
      req.name = *name;
      req.from = date_flag(*from, "--from");
      req.to = date_flag(*to, "--to");
      const json r = service::fetch_curve(ctx.service(), req);
      TextTable t("Curve " + r.value("name", std::string()) + " from " + r.value("provider", std::string()));
      t.column("as_of", TextTable::Align::kLeft);
      for (const auto& d : r.at("dates")) t.row({d.get<std::string>()});
      t.footer(count(r, "curves") + " curves stored (" + r.value("from", std::string()) + ".." + r.value("to", std::string()) +
               "); " + requests_line(r));
      ctx.emit(r, {t});
    });
  }
  {
    auto* cmd = group->add_subcommand("factors", "Fama-French factors from Kenneth French's data library");
    auto src = std::make_shared<SourceFlags>();
    auto dataset = std::make_shared<std::string>("ff5");
    auto set = std::make_shared<std::string>();
    auto from = std::make_shared<std::string>();
    auto to = std::make_shared<std::string>();
    add_source_flags(cmd, *src, "french", "french");
    cmd->add_option("--dataset", *dataset, "ff5 (5 factors 2x3, daily), ff3 (3 factors, daily) or mom (momentum, daily)")
        ->check(CLI::IsMember({"ff5", "ff3", "mom"}));
    cmd->add_option("--set", *set, "Factor set name in the store (default: the dataset's)");
    cmd->add_option("--from", *from, "First date (default: after the set's last stored date)");
    cmd->add_option("--to", *to, "Last date (default: today)");
    cmd->callback([&ctx, src, dataset, set, from, to] {
      service::FetchFactorsRequest req;
      req.source = source_of(*src);
      req.dataset = *dataset;
      req.set = *set;
      req.from = date_flag(*from, "--from");
      req.to = date_flag(*to, "--to");
      const json r = service::fetch_factors(ctx.service(), req);
      TextTable t("Factors " + r.value("set", std::string()) + " from " + r.value("provider", std::string()));
      t.column("rows").column("first", TextTable::Align::kLeft).column("last", TextTable::Align::kLeft).column("factors", TextTable::Align::kLeft);
      std::string names;
      for (const auto& n : r.at("factors")) names += (names.empty() ? "" : ",") + n.get<std::string>();
      t.row({count(r, "rows"), r.at("first").is_string() ? r.at("first").get<std::string>() : "-",
             r.at("last").is_string() ? r.at("last").get<std::string>() : "-", names.empty() ? "-" : names});
      t.footer(requests_line(r));
      ctx.emit(r, {t});
    });
  }
}

}  // namespace keel::cli
