// Yahoo Finance chart API (v8): GET /v8/finance/chart/{symbol}?period1&period2&interval=1d&events=div|split
// &includeAdjustedClose=true. No key. The JSON holds chart.result[0] with "timestamp" (seconds,
// the session open), "meta" (currency, gmtoffset), "indicators.quote[0]" (open, high, low, close,
// volume; null on incomplete days), "indicators.adjclose[0].adjclose" and "events" (dividends
// {amount}, splits {numerator, denominator}). Yahoo's close is adjusted for later splits (not
// for dividends); its dividend amounts are on the same split-adjusted basis.
// The security master: GET /v10/finance/quoteSummary/{symbol}?modules=assetProfile,price,
// summaryDetail,quoteType. quoteSummary.result[0] holds assetProfile {sector, industry, country},
// price {symbol, longName, shortName, exchange, currency, quoteType, marketCap {raw}},
// summaryDetail {currency, marketCap {raw}} and quoteType {symbol, quoteType, exchange, longName};
// quoteSummary.error {code: "Not Found"} for an unknown symbol.
#include <cmath>
#include <optional>
#include <tuple>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "keel/core/error.h"
#include "keel/marketdata/validate.h"
#include "providers.h"

namespace keel::marketdata {
namespace {

using nlohmann::json;

class Yahoo final : public Provider {
 public:
  explicit Yahoo(ProviderOptions o) : Provider("yahoo", std::move(o), 2.0, 5.0) {}
  std::string name() const override { return "yahoo"; }
  Capabilities capabilities() const override { return {.prices = true, .actions = true, .profile = true}; }

  PriceSeries prices(const std::string& symbol, Date from, Date to) override {
    std::vector<PriceSeries> parts;
    for (const auto& body : fetch(symbol, from, to)) parts.push_back(parse(symbol, body));
    PriceSeries s = merge_series(std::move(parts));
    clip(s, from, to);
    return s;
  }

  std::vector<CorporateAction> actions(const std::string& symbol, Date from, Date to) override {
    return prices(symbol, from, to).actions;
  }

  SymbolInfo profile(const std::string& symbol) override {
    const std::string url =
        fmt::format("{}/v10/finance/quoteSummary/{}?modules=assetProfile%2Cprice%2CsummaryDetail%2CquoteType",
                    base(default_base_url("yahoo")), url_encode(symbol));
    const auto got = bodies(symbol + ".profile", "profile", url);
    return parse_profile(symbol, got.back());  // offline: the newest cached answer
  }

 private:
  std::vector<std::string> fetch(const std::string& symbol, Date from, Date to) {
    const std::string url = fmt::format(
        "{}/v8/finance/chart/{}?period1={}&period2={}"
        "&interval=1d&events=div%7Csplit&includeAdjustedClose=true",
        base(default_base_url("yahoo")), url_encode(symbol), epoch_seconds(from), epoch_seconds(to) + 86400);
    return bodies(symbol, from.to_string() + "_" + to.to_string(), url);
  }

  static double num(const json& a, std::size_t i) {
    if (!a.is_array() || i >= a.size() || !a[i].is_number()) return kMissing;
    return a[i].get<double>();
  }

  static const json& need(const json& parent, const char* key, const std::string& path, const std::string& symbol) {
    if (!parent.is_object() || !parent.contains(key)) {
      throw Error::invalid_input("yahoo: malformed chart response for " + symbol, {path + "." + key + ": missing"});
    }
    return parent.at(key);
  }

  static SymbolInfo parse_profile(const std::string& symbol, const std::string& body) {
    const json doc = json::parse(body, nullptr, false);
    auto bad = [&](const std::string& detail) {
      return Error::invalid_input("yahoo: malformed quoteSummary response for " + symbol, {detail});
    };
    if (doc.is_discarded()) throw bad("body: expected the v10 quoteSummary JSON, got \"" + excerpt(body) + "\"");
    if (!doc.is_object() || !doc.contains("quoteSummary") || !doc.at("quoteSummary").is_object()) {
      throw bad("$.quoteSummary: missing");
    }
    const json& qs = doc.at("quoteSummary");
    if (qs.contains("error") && !qs.at("error").is_null()) {
      const json& e = qs.at("error");
      const std::string code = e.is_object() ? e.value("code", "") : "";
      const std::string desc = e.is_object() ? e.value("description", "") : "";
      if (code == "Not Found") throw Error::not_found("yahoo: no security master for " + symbol + " (" + desc + ")");
      throw Error::invalid_input("yahoo: error for " + symbol + ": " + code + " " + desc);
    }
    if (!qs.contains("result") || !qs.at("result").is_array() || qs.at("result").empty() ||
        !qs.at("result")[0].is_object()) {
      throw bad("quoteSummary.result: expected a non-empty array");
    }
    const json& r = qs.at("result")[0];
    const std::string root = "quoteSummary.result[0]";
    // A module, or null when absent; present but not an object is malformed.
    auto module = [&](const char* name) -> const json* {
      if (!r.contains(name) || r.at(name).is_null()) return nullptr;
      if (!r.at(name).is_object()) throw bad(root + "." + name + ": expected an object");
      return &r.at(name);
    };
    // A string field of a module: "" when absent or null; anything else but a string is malformed.
    auto text = [&](const json* m, const char* mod, const char* key) -> std::string {
      if (!m || !m->contains(key) || m->at(key).is_null()) return "";
      if (!m->at(key).is_string()) throw bad(root + "." + mod + "." + key + ": expected a string");
      return m->at(key).get<std::string>();
    };
    // A {raw, fmt} number (or a bare number); {} and null are absent.
    auto raw = [&](const json* m, const char* mod, const char* key) -> std::optional<double> {
      if (!m || !m->contains(key) || m->at(key).is_null()) return std::nullopt;
      const json& v = m->at(key);
      if (v.is_number()) return v.get<double>();
      if (v.is_object() && v.empty()) return std::nullopt;
      if (v.is_object() && v.contains("raw") && v.at("raw").is_number()) return v.at("raw").get<double>();
      throw bad(root + "." + mod + "." + key + ": expected {raw: number}");
    };
    const json* profile = module("assetProfile");
    const json* price = module("price");
    const json* detail = module("summaryDetail");
    const json* type = module("quoteType");
    if (!price && !type) throw bad(root + ".price: missing (and no quoteType either)");
    SymbolInfo out;
    out.symbol = text(price, "price", "symbol");
    if (out.symbol.empty()) out.symbol = text(type, "quoteType", "symbol");
    for (auto [m, mod, key] : {std::tuple{price, "price", "longName"}, std::tuple{price, "price", "shortName"},
                               std::tuple{type, "quoteType", "longName"}, std::tuple{type, "quoteType", "shortName"}}) {
      if (out.name.empty()) out.name = text(m, mod, key);
    }
    out.exchange = text(price, "price", "exchange");
    if (out.exchange.empty()) out.exchange = text(type, "quoteType", "exchange");
    out.currency = text(price, "price", "currency");
    if (out.currency.empty()) out.currency = text(detail, "summaryDetail", "currency");
    // Kept as given: Yahoo's "GBp" (pence) must be refused, not read as pounds.
    out.sector = text(profile, "assetProfile", "sector");
    out.industry = text(profile, "assetProfile", "industry");
    out.country = text(profile, "assetProfile", "country");
    out.market_cap = raw(price, "price", "marketCap");
    if (!out.market_cap) out.market_cap = raw(detail, "summaryDetail", "marketCap");
    std::string kind = text(type, "quoteType", "quoteType");
    if (kind.empty()) kind = text(price, "price", "quoteType");
    out.asset_type = normalise_asset_type(kind);
    return out;
  }

  PriceSeries parse(const std::string& symbol, const std::string& body) const {
    const json doc = json::parse(body, nullptr, false);
    if (doc.is_discarded()) {
      throw Error::invalid_input("yahoo: malformed JSON in the chart response for " + symbol,
                                 {"body: expected the v8 chart JSON, got \"" + excerpt(body) + "\""});
    }
    const json& chart = need(doc, "chart", "$", symbol);
    if (chart.contains("error") && !chart.at("error").is_null()) {
      const json& e = chart.at("error");
      const std::string code = e.is_object() ? e.value("code", "") : "";
      const std::string desc = e.is_object() ? e.value("description", "") : "";
      if (code == "Not Found") throw Error::not_found("yahoo: no data for " + symbol + " (" + desc + ")");
      throw Error::invalid_input("yahoo: error for " + symbol + ": " + code + " " + desc);
    }
    const json& result = need(chart, "result", "chart", symbol);
    if (!result.is_array() || result.empty() || !result[0].is_object()) {
      throw Error::invalid_input("yahoo: malformed chart response for " + symbol, {"chart.result: expected a non-empty array"});
    }
    const json& r = result[0];
    PriceSeries s;
    s.symbol = symbol;
    s.close_split_adjusted = true;
    s.has_adj_close = true;
    long long offset = 0;
    if (r.contains("meta") && r.at("meta").is_object()) {
      const json& m = r.at("meta");
      if (m.contains("gmtoffset") && m.at("gmtoffset").is_number_integer()) offset = m.at("gmtoffset").get<long long>();
      if (m.contains("currency") && m.at("currency").is_string()) s.currency = m.at("currency").get<std::string>();
    }
    auto date_of = [&](long long ts) {
      const long long local = ts + offset;
      return Date::from_serial(static_cast<std::int32_t>((local >= 0 ? local : local - 86399) / 86400));
    };
    if (r.contains("events") && r.at("events").is_object()) {
      const json& ev = r.at("events");
      if (ev.contains("dividends") && ev.at("dividends").is_object()) {
        for (const auto& [k, d] : ev.at("dividends").items()) {
          if (!d.is_object() || !d.contains("amount") || !d.at("amount").is_number() || !d.contains("date") ||
              !d.at("date").is_number_integer()) {
            throw Error::invalid_input("yahoo: malformed chart response for " + symbol,
                                       {"chart.result[0].events.dividends." + k + ": expected {amount, date}"});
          }
          CorporateAction a{symbol, date_of(d.at("date").get<long long>()), ActionKind::kDividend, 1.0,
                            d.at("amount").get<double>(), s.currency};
          s.actions.push_back(a);
        }
      }
      if (ev.contains("splits") && ev.at("splits").is_object()) {
        for (const auto& [k, d] : ev.at("splits").items()) {
          if (!d.is_object() || !d.contains("numerator") || !d.contains("denominator") || !d.contains("date") ||
              !d.at("numerator").is_number() || !d.at("denominator").is_number() || !d.at("date").is_number_integer() ||
              d.at("numerator").get<double>() <= 0 || d.at("denominator").get<double>() <= 0) {
            throw Error::invalid_input("yahoo: malformed chart response for " + symbol,
                                       {"chart.result[0].events.splits." + k + ": expected positive {numerator, denominator, date}"});
          }
          CorporateAction a{symbol, date_of(d.at("date").get<long long>()), ActionKind::kSplit,
                            d.at("numerator").get<double>() / d.at("denominator").get<double>(), 0.0, s.currency};
          s.actions.push_back(a);
        }
      }
    }
    if (!r.contains("timestamp")) return s;  // no trading day in the range
    const json& ts = r.at("timestamp");
    const std::string ipath = "chart.result[0].indicators";
    const json& ind = need(r, "indicators", "chart.result[0]", symbol);
    const json& quotes = need(ind, "quote", ipath, symbol);
    if (!ts.is_array() || !quotes.is_array() || quotes.empty()) {
      throw Error::invalid_input("yahoo: malformed chart response for " + symbol,
                                 {"chart.result[0].timestamp / indicators.quote: expected arrays"});
    }
    const json& q = quotes[0];
    const json& open = need(q, "open", ipath + ".quote[0]", symbol);
    const json& high = need(q, "high", ipath + ".quote[0]", symbol);
    const json& low = need(q, "low", ipath + ".quote[0]", symbol);
    const json& close = need(q, "close", ipath + ".quote[0]", symbol);
    const json& volume = need(q, "volume", ipath + ".quote[0]", symbol);
    json adj = json::array();
    if (ind.contains("adjclose") && ind.at("adjclose").is_array() && !ind.at("adjclose").empty()) {
      adj = ind.at("adjclose")[0].value("adjclose", json::array());
    } else {
      s.has_adj_close = false;
    }
    for (const json* a : {&open, &high, &low, &close, &volume}) {
      if (!a->is_array() || a->size() != ts.size()) {
        throw Error::invalid_input(
            "yahoo: malformed chart response for " + symbol,
            {fmt::format("{}.quote[0]: every array must have {} entries, one per timestamp", ipath,
                         ts.size())});
      }
    }
    for (std::size_t i = 0; i < ts.size(); ++i) {
      if (!ts[i].is_number_integer()) {
        throw Error::invalid_input("yahoo: malformed chart response for " + symbol,
                                   {fmt::format("chart.result[0].timestamp[{}]: expected an integer", i)});
      }
      const Date d = date_of(ts[i].get<long long>());
      const double c = num(close, i);
      if (std::isnan(c)) {
        s.skipped.push_back(symbol + " " + d.to_string() + ": no close (null in the response)");
        continue;
      }
      s.date.push_back(d);
      s.open.push_back(num(open, i));
      s.high.push_back(num(high, i));
      s.low.push_back(num(low, i));
      s.close.push_back(c);
      s.adj_close.push_back(s.has_adj_close ? num(adj, i) : kMissing);
      s.volume.push_back(num(volume, i));
    }
    return s;
  }
};

}  // namespace

std::unique_ptr<Provider> make_yahoo(ProviderOptions options) { return std::make_unique<Yahoo>(std::move(options)); }

}  // namespace keel::marketdata
