// Polygon.io: aggregates GET /v2/aggs/ticker/{T}/range/1/day/{from}/{to}?adjusted=false&sort=asc
// &limit=50000&apiKey=KEY ({"results":[{"t" ms UTC, "o","h","l","c","v"}], "next_url"}), splits
// GET /v3/reference/splits?ticker=T&execution_date.gte&.lte ({"results":[{"execution_date",
// "split_from","split_to"}]}) and dividends GET /v3/reference/dividends?ticker=T&ex_dividend_date.gte
// &.lte ({"results":[{"ex_dividend_date","cash_amount","currency"}]}). Pages are followed through
// "next_url". Bars are raw (adjusted=false), so keel computes adjusted closes from stored actions.
// The security master: GET /v3/reference/tickers/{T}?apiKey=KEY ({"status":"OK","results":{"ticker",
// "name", "primary_exchange", "currency_name" (lower case), "locale", "type", "market_cap",
// "sic_description"}}); a 404 {"status":"NOT_FOUND"} for an unknown ticker. Polygon gives no GICS
// sector: industry is the SIC description, sector stays empty, country is the locale upper-cased.
// The free plan allows 5 requests a minute, the default rate here.
#include <cctype>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "keel/core/error.h"
#include "keel/marketdata/validate.h"
#include "providers.h"

namespace keel::marketdata {
namespace {

using nlohmann::json;

class Polygon final : public Provider {
 public:
  explicit Polygon(ProviderOptions o)
      : Provider("polygon", o, 5.0 / 60.0, 5.0, {o.api_key}), key_(o.api_key) {}
  std::string name() const override { return "polygon"; }
  Capabilities capabilities() const override { return {.prices = true, .actions = true, .profile = true}; }

  SymbolInfo profile(const std::string& symbol) override {
    const std::string url = base(default_base_url("polygon")) + "/v3/reference/tickers/" + url_encode(symbol);
    std::vector<json> docs;
    try {
      docs = pages(symbol + ".profile", "profile", url, symbol);
    } catch (const Error& e) {
      if (e.code() == ErrorCode::kNotFound && !offline()) {
        throw Error::not_found("polygon: no security master for " + symbol + " (unknown ticker)");
      }
      throw;
    }
    const json& doc = docs.back();  // offline: the newest cached answer
    if (!doc.contains("results") || !doc.at("results").is_object()) throw bad(symbol, "results: expected an object");
    const json& r = doc.at("results");
    auto text = [&](const char* key) -> std::string {
      if (!r.contains(key) || r.at(key).is_null()) return "";
      if (!r.at(key).is_string()) throw bad(symbol, std::string("results.") + key + ": expected a string");
      return r.at(key).get<std::string>();
    };
    SymbolInfo out;
    out.symbol = text("ticker");
    out.name = text("name");
    out.exchange = text("primary_exchange");
    out.currency = text("currency_name");
    for (auto& ch : out.currency) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    out.country = text("locale");
    for (auto& ch : out.country) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    out.industry = text("sic_description");
    out.asset_type = normalise_asset_type(text("type"));
    if (r.contains("market_cap") && !r.at("market_cap").is_null()) {
      if (!r.at("market_cap").is_number()) throw bad(symbol, "results.market_cap: expected a number");
      out.market_cap = r.at("market_cap").get<double>();
    }
    return out;
  }

  PriceSeries prices(const std::string& symbol, Date from, Date to) override {
    const std::string url = base(default_base_url("polygon")) + "/v2/aggs/ticker/" + url_encode(symbol) + "/range/1/day/" +
                            from.to_string() + "/" + to.to_string() + "?adjusted=false&sort=asc&limit=50000";
    std::vector<PriceSeries> parts;
    for (const json& doc : pages(symbol, from.to_string() + "_" + to.to_string(), url, symbol)) {
      PriceSeries s;
      s.symbol = symbol;
      if (!doc.contains("results")) {
        parts.push_back(std::move(s));
        continue;  // resultsCount 0: no bar in the range
      }
      const json& rs = doc.at("results");
      if (!rs.is_array()) throw bad(symbol, "results: expected an array");
      for (std::size_t i = 0; i < rs.size(); ++i) {
        const json& r = rs[i];
        const std::string at = fmt::format("results[{}]", i);
        for (const char* k : {"t", "o", "h", "l", "c"}) {
          if (!r.is_object() || !r.contains(k) || !r.at(k).is_number()) throw bad(symbol, at + "." + k + ": expected a number");
        }
        const long long ms = r.at("t").get<long long>();
        // "t" is the start of the day in New York, 04:00 or 05:00 UTC: the UTC date is the session's.
        s.date.push_back(Date::from_serial(static_cast<std::int32_t>(ms / 86'400'000)));
        s.open.push_back(r.at("o").get<double>());
        s.high.push_back(r.at("h").get<double>());
        s.low.push_back(r.at("l").get<double>());
        s.close.push_back(r.at("c").get<double>());
        s.adj_close.push_back(kMissing);
        s.volume.push_back(r.contains("v") && r.at("v").is_number() ? r.at("v").get<double>() : kMissing);
      }
      parts.push_back(std::move(s));
    }
    PriceSeries s = merge_series(std::move(parts));
    s.symbol = symbol;
    clip(s, from, to);
    return s;
  }

  std::vector<CorporateAction> actions(const std::string& symbol, Date from, Date to) override {
    std::vector<CorporateAction> out;
    const std::string b = base(default_base_url("polygon"));
    const std::string range = from.to_string() + "_" + to.to_string();
    const std::string splits_url = b + "/v3/reference/splits?ticker=" + url_encode(symbol) + "&execution_date.gte=" +
                                   from.to_string() + "&execution_date.lte=" + to.to_string() + "&limit=1000";
    for (const json& doc : pages(symbol + ".splits", range, splits_url, symbol)) {
      const json rs = doc.value("results", json::array());
      for (std::size_t i = 0; i < rs.size(); ++i) {
        const json& r = rs[i];
        const auto d = r.is_object() && r.contains("execution_date") && r.at("execution_date").is_string()
                           ? Date::parse(r.at("execution_date").get<std::string>())
                           : std::nullopt;
        if (!d || !r.contains("split_from") || !r.contains("split_to") || !r.at("split_from").is_number() ||
            !r.at("split_to").is_number() || r.at("split_from").get<double>() <= 0 || r.at("split_to").get<double>() <= 0) {
          throw bad(symbol,
                    fmt::format("results[{}]: expected execution_date and positive split_from, split_to", i));
        }
        out.push_back({symbol, *d, ActionKind::kSplit, r.at("split_to").get<double>() / r.at("split_from").get<double>(), 0.0, "USD"});
      }
    }
    const std::string div_url = b + "/v3/reference/dividends?ticker=" + url_encode(symbol) + "&ex_dividend_date.gte=" +
                                from.to_string() + "&ex_dividend_date.lte=" + to.to_string() + "&limit=1000";
    for (const json& doc : pages(symbol + ".dividends", range, div_url, symbol)) {
      const json rs = doc.value("results", json::array());
      for (std::size_t i = 0; i < rs.size(); ++i) {
        const json& r = rs[i];
        const auto d = r.is_object() && r.contains("ex_dividend_date") && r.at("ex_dividend_date").is_string()
                           ? Date::parse(r.at("ex_dividend_date").get<std::string>())
                           : std::nullopt;
        if (!d || !r.contains("cash_amount") || !r.at("cash_amount").is_number() || r.at("cash_amount").get<double>() < 0) {
          throw bad(symbol, fmt::format("results[{}]: expected ex_dividend_date and cash_amount >= 0", i));
        }
        out.push_back({symbol, *d, ActionKind::kDividend, 1.0, r.at("cash_amount").get<double>(),
                       r.value("currency", std::string("USD"))});
      }
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.ex_date < b.ex_date; });
    return out;
  }

 private:
  Error bad(const std::string& symbol, const std::string& detail) const {
    return Error::invalid_input("polygon: malformed response for " + symbol, {detail});
  }

  // Every page of a listing: online follows next_url (adding the key), offline reads the cache.
  std::vector<json> pages(const std::string& scope, const std::string& name, std::string url, const std::string& symbol) {
    std::vector<json> out;
    for (int page = 0; page < 1000; ++page) {
      const std::string keyed = url + (url.find('?') == std::string::npos ? "?" : "&") + "apiKey=" + url_encode(key_);
      const auto got = bodies(scope, page ? fmt::format("{}_p{}", name, page) : name, keyed);
      for (const auto& body : got) {
        json doc = json::parse(body, nullptr, false);
        if (doc.is_discarded() || !doc.is_object()) {
          throw Error::invalid_input("polygon: malformed JSON for " + symbol, {"body: \"" + excerpt(redact(body)) + "\""});
        }
        const std::string status = doc.value("status", "");
        if (status == "ERROR" || status == "NOT_AUTHORIZED") {
          throw Error::invalid_input("polygon: " + status + " for " + symbol + ": " + redact(doc.value("error", doc.value("message", ""))));
        }
        out.push_back(std::move(doc));
      }
      if (offline()) break;
      const json& last = out.back();
      if (!last.contains("next_url") || !last.at("next_url").is_string()) break;
      url = last.at("next_url").get<std::string>();
      if (!options_.base_url.empty()) {
        // A test server stands in for api.polygon.io: keep its host for the next page too.
        const auto path = url.find("/v");
        if (path != std::string::npos) url = base("") + url.substr(path);
      }
    }
    return out;
  }

  std::string key_;
};

}  // namespace

std::unique_ptr<Provider> make_polygon(ProviderOptions options) { return std::make_unique<Polygon>(std::move(options)); }

}  // namespace keel::marketdata
