// Yield curves: the US Treasury daily par yield curve CSV and FRED's constant-maturity series.
//
// Treasury: GET /resource-center/data-chart-center/interest-rates/daily-treasury-rates.csv/{YEAR}/all
// ?type=daily_treasury_yield_curve&field_tdr_date_value={YEAR}&page&_format=csv, one file per year,
// header Date,"1 Mo","2 Mo",...,"30 Yr" (columns come and go over the years), dates MM/DD/YYYY,
// newest first, yields in percent; empty = not published.
// FRED: GET /fred/series/observations?series_id=DGS10&api_key=KEY&file_type=json&observation_start
// &observation_end, {"observations":[{"date","value"}]} with "." for a missing value, percent.
// Both are par (bond-equivalent) yields; keel stores them as CurveKind::kPar in decimal.
// FRED also serves FX: the daily noon buying rates in New York (H.10), one series per currency
// against USD, quoted either way (DEXUSEU is USD per EUR, DEXJPUS JPY per USD); "." is a day
// without a rate.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <tuple>
#include <nlohmann/json.hpp>

#include "keel/core/error.h"
#include "keel/core/tenor.h"
#include "providers.h"

namespace keel::marketdata {
namespace {

using nlohmann::json;

// "1 Mo" -> 1M, "1.5 Mo" -> 6W (45 days ~ 1.5 months), "6 Wk" -> 6W, "10 Yr" -> 10Y; nullopt otherwise
// (a count above 1200 too).
std::optional<Tenor> treasury_tenor(const std::string& h) {
  const auto space = h.find(' ');
  if (space == std::string::npos) return std::nullopt;
  const auto n = parse_number(h.substr(0, space));
  const std::string unit = h.substr(space + 1);
  if (!n || *n <= 0 || *n > 1200) return std::nullopt;  // no tenor is longer than 100 years
  if (unit.rfind("Mo", 0) == 0) {
    if (*n == static_cast<int>(*n)) return Tenor{static_cast<int>(*n), Tenor::Unit::kMonth};
    return Tenor{static_cast<int>(*n * 30.4375 / 7 + 0.5), Tenor::Unit::kWeek};
  }
  if (unit.rfind("Wk", 0) == 0) return Tenor{static_cast<int>(*n), Tenor::Unit::kWeek};
  if (unit.rfind("Yr", 0) == 0) return Tenor{static_cast<int>(*n), Tenor::Unit::kYear};
  return std::nullopt;
}

void sort_points(CurveData& c) {
  std::sort(c.points.begin(), c.points.end(), [](const auto& a, const auto& b) { return a.years < b.years; });
}

class Treasury final : public Provider {
 public:
  explicit Treasury(ProviderOptions o) : Provider("treasury", std::move(o), 1.0, 3.0) {}
  std::string name() const override { return "treasury"; }
  Capabilities capabilities() const override { return {.curve = true}; }

  std::vector<CurveData> curves(Date from, Date to) override {
    std::map<Date, CurveData> by_date;
    for (int year = from.year(); year <= to.year(); ++year) {
      const std::string y = std::to_string(year);
      const std::string url = base(default_base_url("treasury")) +
                              "/resource-center/data-chart-center/interest-rates/daily-treasury-rates.csv/" + y +
                              "/all?type=daily_treasury_yield_curve&field_tdr_date_value=" + y + "&page&_format=csv";
      std::vector<std::string> got;
      try {
        got = bodies("daily_treasury_yield_curve_" + y, y, url);
      } catch (const Error& e) {
        if (offline() && e.code() == ErrorCode::kNotFound && (year != from.year() || year != to.year())) continue;
        throw;
      }
      for (const auto& body : got) {
        for (auto& c : parse(body, y)) by_date[*c.as_of] = std::move(c);  // later responses win a date
      }
    }
    std::vector<CurveData> out;
    for (auto& [d, c] : by_date) {
      if (d >= from && d <= to) out.push_back(std::move(c));
    }
    return out;
  }

 private:
  static std::vector<CurveData> parse(const std::string& body, const std::string& year) {
    const std::string what = "treasury: malformed par yield CSV for " + year;
    const auto lines = body_lines(body);
    if (lines.empty()) throw Error::invalid_input(what, {"line 1: expected a header, got an empty body"});
    const auto header = split_csv_line(lines[0]);
    if (header.empty() || header[0] != "Date") {
      throw Error::invalid_input(what, {"line 1: expected a header starting with Date, got \"" + excerpt(lines[0]) + "\""});
    }
    std::vector<std::optional<Tenor>> tenors;
    for (std::size_t k = 1; k < header.size(); ++k) {
      tenors.push_back(treasury_tenor(header[k]));
      if (!tenors.back()) {
        throw Error::invalid_input(
            what, {fmt::format("line 1, column {}: expected a tenor like \"3 Mo\" or \"10 Yr\", got \"{}\"",
                               k + 1, excerpt(header[k]))});
      }
    }
    std::vector<CurveData> out;
    std::vector<std::string> problems;
    for (std::size_t i = 1; i < lines.size(); ++i) {
      if (lines[i].empty()) continue;
      const auto f = split_csv_line(lines[i]);
      const std::string where = fmt::format("line {}", i + 1);
      // MM/DD/YYYY
      std::optional<Date> d;
      if (f.size() >= 1 && f[0].size() == 10 && f[0][2] == '/' && f[0][5] == '/') {
        d = Date::parse(f[0].substr(6, 4) + "-" + f[0].substr(0, 2) + "-" + f[0].substr(3, 2));
      }
      if (!d) {
        problems.push_back(where + ", column 1: expected a date MM/DD/YYYY, got \"" + (f.empty() ? "" : excerpt(f[0])) + "\"");
        continue;
      }
      if (f.size() > header.size()) {
        problems.push_back(fmt::format("{}: {} fields for a header of {}", where, f.size(), header.size()));
        continue;
      }
      CurveData c;
      c.name = "UST";
      c.as_of = d;
      c.kind = CurveKind::kPar;
      for (std::size_t k = 1; k < f.size(); ++k) {
        if (f[k].empty() || f[k] == "N/A") continue;
        const auto v = parse_number(f[k]);
        if (!v) {
          problems.push_back(
              fmt::format("{}, column {}: expected a yield in percent, got \"{}\"", where, k + 1, excerpt(f[k])));
          continue;
        }
        const Tenor& t = *tenors[k - 1];
        c.points.push_back({t.to_string(), t.years(), *v / 100.0});
      }
      sort_points(c);
      if (!c.points.empty()) out.push_back(std::move(c));
    }
    if (!problems.empty()) throw Error::invalid_input(what, problems);
    return out;
  }
};

// FRED's Treasury constant-maturity series and their tenors.
constexpr std::pair<const char*, const char*> kFredSeries[] = {
    {"DGS1MO", "1M"}, {"DGS3MO", "3M"}, {"DGS6MO", "6M"}, {"DGS1", "1Y"},  {"DGS2", "2Y"},  {"DGS3", "3Y"},
    {"DGS5", "5Y"},   {"DGS7", "7Y"},   {"DGS10", "10Y"}, {"DGS20", "20Y"}, {"DGS30", "30Y"}};

// FRED's exchange-rate series: the currency, the series, and its pair (base, quote).
struct FredFxSeries {
  const char* currency;
  const char* series;
  const char* base;
  const char* quote;
};
constexpr FredFxSeries kFredFx[] = {
    {"EUR", "DEXUSEU", "EUR", "USD"}, {"GBP", "DEXUSUK", "GBP", "USD"}, {"JPY", "DEXJPUS", "USD", "JPY"},
    {"CHF", "DEXSZUS", "USD", "CHF"}, {"CAD", "DEXCAUS", "USD", "CAD"}, {"AUD", "DEXUSAL", "AUD", "USD"},
    {"CNY", "DEXCHUS", "USD", "CNY"}, {"SEK", "DEXSDUS", "USD", "SEK"}};

class Fred final : public Provider {
 public:
  explicit Fred(ProviderOptions o) : Provider("fred", o, 2.0, 5.0, {o.api_key}), key_(o.api_key) {}
  std::string name() const override { return "fred"; }
  Capabilities capabilities() const override { return {.macro = true, .curve = true, .fx = true}; }
  std::vector<std::string> default_fx_currencies() const override { return {"EUR", "GBP", "JPY"}; }

  // GET /fred/series (the description: seriess[0].title, units, frequency) and
  // /fred/series/observations (date and value as text, "." for a day without one).
  MacroSeries macro_series(const std::string& id, Date from, Date to) override {
    MacroSeries out;
    out.id = id;
    const std::string what = "fred: malformed response for " + id;
    const std::string key = "&api_key=" + url_encode(key_) + "&file_type=json";
    const std::string info_url = base(default_base_url("fred")) + "/fred/series?series_id=" + url_encode(id) + key;
    // The latest description wins (offline: every cached one, oldest first).
    for (const auto& body : bodies(id + "_info", "series", info_url)) {
      const json doc = json::parse(body, nullptr, false);
      const json* s = nullptr;
      if (doc.is_object() && doc.contains("seriess") && doc.at("seriess").is_array() && !doc.at("seriess").empty() &&
          doc.at("seriess")[0].is_object()) {
        s = &doc.at("seriess")[0];
      }
      if (!s) throw Error::invalid_input(what, {"seriess: expected an array of one series, body \"" + excerpt(redact(body)) + "\""});
      auto text = [&](const char* k) { return s->contains(k) && s->at(k).is_string() ? s->at(k).get<std::string>() : ""; };
      out.title = text("title");
      out.units = text("units");
      out.frequency = text("frequency");
    }
    const std::string url = base(default_base_url("fred")) + "/fred/series/observations?series_id=" + url_encode(id) +
                            key + "&observation_start=" + from.to_string() + "&observation_end=" + to.to_string();
    const std::map<Date, double> values =
        observations(bodies(id, from.to_string() + "_" + to.to_string(), url), id, what, "a number",
                     [](double x) { return std::isfinite(x); });
    for (const auto& [d, v] : values) {
      if (d < from || d > to) continue;
      out.date.push_back(d);
      out.value.push_back(v);
    }
    return out;
  }

  FxRows fx_rates(const std::vector<std::string>& currencies, Date from, Date to) override {
    std::map<std::tuple<std::string, std::string, Date>, double> rates;
    for (const auto& c : currencies) {
      const auto it = std::find_if(std::begin(kFredFx), std::end(kFredFx),
                                   [&](const FredFxSeries& s) { return c == s.currency; });
      if (it == std::end(kFredFx)) {
        std::string known;
        for (const auto& s : kFredFx) known += (known.empty() ? "" : ", ") + std::string(s.currency);
        throw Error::usage(fmt::format("fred: no exchange-rate series for \"{}\" (known: {})", c, known));
      }
      for (const auto& [d, v] : observations(it->series, from, to)) rates[{it->base, it->quote, d}] = v;
    }
    FxRows out;
    for (const auto& [key, rate] : rates) {
      const auto& [base_ccy, quote, date] = key;
      if (date >= from && date <= to) out.add(date, base_ccy, quote, rate);
    }
    return out;
  }

  std::vector<CurveData> curves(Date from, Date to) override {
    std::map<Date, CurveData> by_date;
    for (const auto& [series, tenor_text] : kFredSeries) {
      const Tenor tenor = *Tenor::parse(tenor_text);
      const std::string url = base(default_base_url("fred")) + "/fred/series/observations?series_id=" + series +
                              "&api_key=" + url_encode(key_) + "&file_type=json&observation_start=" + from.to_string() +
                              "&observation_end=" + to.to_string();
      for (const auto& body : bodies(series, from.to_string() + "_" + to.to_string(), url)) {
        const json doc = json::parse(body, nullptr, false);
        if (doc.is_discarded() || !doc.is_object() || !doc.contains("observations") || !doc.at("observations").is_array()) {
          throw Error::invalid_input("fred: malformed response for " + std::string(series),
                                     {"observations: expected an array, body \"" + excerpt(redact(body)) + "\""});
        }
        const json& obs = doc.at("observations");
        for (std::size_t i = 0; i < obs.size(); ++i) {
          const json& o = obs[i];
          const std::string at = fmt::format("{}.observations[{}]", series, i);
          const auto d = o.is_object() && o.contains("date") && o.at("date").is_string()
                             ? Date::parse(o.at("date").get<std::string>())
                             : std::nullopt;
          if (!d || !o.contains("value") || !o.at("value").is_string()) {
            throw Error::invalid_input("fred: malformed response for " + std::string(series), {at + ": expected {date, value}"});
          }
          const std::string v = o.at("value").get<std::string>();
          if (v == ".") continue;  // FRED's missing value (holidays)
          const auto rate = parse_number(v);
          if (!rate) {
            throw Error::invalid_input("fred: malformed response for " + std::string(series),
                                       {at + ".value: expected a number in percent or \".\", got \"" + v + "\""});
          }
          CurveData& c = by_date[*d];
          c.name = "UST";
          c.as_of = d;
          c.kind = CurveKind::kPar;
          std::erase_if(c.points, [&](const CurvePoint& p) { return p.tenor == tenor.to_string(); });
          c.points.push_back({tenor.to_string(), tenor.years(), *rate / 100.0});
        }
      }
    }
    std::vector<CurveData> out;
    for (auto& [d, c] : by_date) {
      if (d < from || d > to) continue;
      sort_points(c);
      out.push_back(std::move(c));
    }
    return out;
  }

 private:
  // The values of `series` in from..to (every cached response offline, later ones winning a date),
  // days without a value ("." ) left out.
  std::map<Date, double> observations(const std::string& series, Date from, Date to) {
    const std::string what = "fred: malformed response for " + series;
    const std::string url = base(default_base_url("fred")) + "/fred/series/observations?series_id=" + series +
                            "&api_key=" + url_encode(key_) + "&file_type=json&observation_start=" + from.to_string() +
                            "&observation_end=" + to.to_string();
    return observations(bodies(series, from.to_string() + "_" + to.to_string(), url), series, what,
                        "a positive rate", [](double x) { return x > 0.0; });
  }

  // The observations of FRED's JSON answers for series `id`, by date; "." (FRED's missing value, on
  // holidays) is skipped, and a value must be `expected` (`valid`). Throws invalid_input naming
  // "<id>.observations[i]" for anything else.
  template <class Bodies>
  std::map<Date, double> observations(const Bodies& answers, const std::string& id, const std::string& what,
                                      std::string_view expected, bool (*valid)(double)) const {
    std::map<Date, double> out;
    for (const auto& body : answers) {
      const json doc = json::parse(body, nullptr, false);
      if (doc.is_discarded() || !doc.is_object() || !doc.contains("observations") ||
          !doc.at("observations").is_array()) {
        throw Error::invalid_input(what, {"observations: expected an array, body \"" + excerpt(redact(body)) + "\""});
      }
      const json& obs = doc.at("observations");
      for (std::size_t i = 0; i < obs.size(); ++i) {
        const json& o = obs[i];
        const std::string at = fmt::format("{}.observations[{}]", id, i);
        const auto d = o.is_object() && o.contains("date") && o.at("date").is_string()
                           ? Date::parse(o.at("date").get<std::string>())
                           : std::nullopt;
        if (!d || !o.contains("value") || !o.at("value").is_string()) {
          throw Error::invalid_input(what, {at + ": expected {date, value}"});
        }
        const std::string v = o.at("value").get<std::string>();
        if (v == ".") continue;
        const auto x = parse_number(v);
        if (!x || !valid(*x)) {
          throw Error::invalid_input(what, {fmt::format("{}.value: expected {} or \".\", got \"{}\"", at, expected, excerpt(v))});
        }
        out[*d] = *x;
      }
    }
    return out;
  }

  std::string key_;
};

}  // namespace

std::unique_ptr<Provider> make_treasury(ProviderOptions options) { return std::make_unique<Treasury>(std::move(options)); }
std::unique_ptr<Provider> make_fred(ProviderOptions options) { return std::make_unique<Fred>(std::move(options)); }

}  // namespace keel::marketdata
