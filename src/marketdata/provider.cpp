// Provider base: options, HTTP client, cache, offline reads; the provider factory.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <numeric>

#include "keel/core/error.h"
#include "keel/core/strings.h"
#include "keel/marketdata/provider.h"
#include "providers.h"

namespace keel::marketdata {

Provider::Provider(std::string name, ProviderOptions options, double default_rate, double burst,
                   std::vector<std::string> secrets)
    : options_(std::move(options)),
      cache_(options_.cache_dir, options_.clock ? *options_.clock : system_clock_source()),
      name_(std::move(name)) {
  if (!options_.http.clock) options_.http.clock = options_.clock;
  const double rate = options_.requests_per_second > 0 ? options_.requests_per_second : default_rate;
  http_ = std::make_unique<HttpClient>(name_, options_.http, std::make_shared<TokenBucket>(rate, burst),
                                       std::move(secrets));
}

std::string Provider::base(const std::string& default_url) const {
  std::string b = options_.base_url.empty() ? default_url : options_.base_url;
  while (!b.empty() && b.back() == '/') b.pop_back();
  return b;
}

std::vector<std::string> Provider::bodies(const std::string& scope, const std::string& name, const std::string& url) {
  if (options_.offline) {
    std::vector<std::string> out;
    for (auto& r : cache_.list(name_, scope)) out.push_back(std::move(r.body));
    cache_reads_ += out.size();
    if (out.empty()) {
      throw Error::not_found(name_ + ": nothing cached for " + scope +
                             (cache_.enabled() ? " under " + cache_.root() : std::string(" (no cache folder)")) +
                             "; fetch it once without --offline");
    }
    return out;
  }
  HttpResponse r = http_->get(url);
  cache_.put(name_, scope, name, http_->redact(url), r.body);
  return {std::move(r.body)};
}

PriceSeries Provider::prices(const std::string&, Date, Date) {
  throw Error::usage(name_ + " does not serve prices (providers with prices: yahoo, stooq, polygon)");
}
std::vector<CorporateAction> Provider::actions(const std::string&, Date, Date) {
  throw Error::usage(name_ + " does not serve corporate actions (providers with actions: yahoo, polygon)");
}
std::vector<CurveData> Provider::curves(Date, Date) {
  throw Error::usage(name_ + " does not serve yield curves (providers with curves: treasury, fred)");
}
FactorTable Provider::factors(const std::string&, Date, Date) {
  throw Error::usage(name_ + " does not serve factors (provider with factors: french)");
}
FxRows Provider::fx_rates(const std::vector<std::string>&, Date, Date) {
  throw Error::usage(name_ + " does not serve FX rates (providers with FX rates: ecb, fred)");
}

SymbolInfo Provider::profile(const std::string&) {
  throw Error::usage(name_ + " does not serve the security master (providers with it: yahoo, polygon)");
}

MacroSeries Provider::macro_series(const std::string&, Date, Date) {
  throw Error::usage(name_ + " does not serve macro series (provider with macro series: fred)");
}

std::vector<std::string> provider_names() { return {"yahoo", "stooq", "polygon", "fred", "treasury", "french", "ecb"}; }

std::string default_base_url(const std::string& provider) {
  if (provider == "yahoo") return "https://query1.finance.yahoo.com";
  if (provider == "stooq") return "https://stooq.com";
  if (provider == "polygon") return "https://api.polygon.io";
  if (provider == "fred") return "https://api.stlouisfed.org";
  if (provider == "treasury") return "https://home.treasury.gov";
  if (provider == "french") return "https://mba.tuck.dartmouth.edu";
  if (provider == "ecb") return "https://data-api.ecb.europa.eu";
  return "";
}

std::string api_key_variable(const std::string& provider) {
  if (provider == "fred") return "KEEL_FRED_API_KEY";
  if (provider == "polygon") return "KEEL_POLYGON_API_KEY";
  return "";
}

std::string api_key_name(const std::string& provider) {
  return api_key_variable(provider).empty() ? "" : provider;
}

std::unique_ptr<Provider> make_provider(const std::string& name, ProviderOptions options) {
  const std::string var = api_key_variable(name);
  if (!var.empty() && options.api_key.empty()) {
    if (const char* v = std::getenv(var.c_str()); v && *v) options.api_key = v;
    if (options.api_key.empty() && !options.offline) {
      throw Error(ErrorCode::kUnauthorized,
                  name + " needs an API key: store it in the key vault (keel keys set " + api_key_name(name) +
                      ") or set " + var);
    }
  }
  if (name == "yahoo") return make_yahoo(std::move(options));
  if (name == "stooq") return make_stooq(std::move(options));
  if (name == "polygon") return make_polygon(std::move(options));
  if (name == "fred") return make_fred(std::move(options));
  if (name == "treasury") return make_treasury(std::move(options));
  if (name == "french") return make_french(std::move(options));
  if (name == "ecb") return make_ecb(std::move(options));
  std::string list;
  for (const auto& n : provider_names()) list += (list.empty() ? "" : ", ") + n;
  throw Error::usage("unknown provider \"" + name + "\" (expected one of " + list + ")");
}

namespace {
template <class T>
void permute(std::vector<T>& v, const std::vector<std::size_t>& order) {
  if (v.empty()) return;
  std::vector<T> out;
  out.reserve(order.size());
  for (auto i : order) out.push_back(v[i]);
  v = std::move(out);
}
void apply_order(PriceSeries& s, const std::vector<std::size_t>& order) {
  permute(s.date, order);
  permute(s.open, order);
  permute(s.high, order);
  permute(s.low, order);
  permute(s.close, order);
  permute(s.adj_close, order);
  permute(s.volume, order);
}
}  // namespace

void sort_and_merge(PriceSeries& s) {
  std::vector<std::size_t> order(s.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return s.date[a] < s.date[b]; });
  std::vector<std::size_t> keep;
  for (std::size_t k = 0; k < order.size(); ++k) {
    if (k + 1 < order.size() && s.date[order[k + 1]] == s.date[order[k]]) continue;  // a later one wins
    keep.push_back(order[k]);
  }
  apply_order(s, keep);
  std::stable_sort(s.actions.begin(), s.actions.end(), [](const auto& a, const auto& b) { return a.ex_date < b.ex_date; });
  std::vector<CorporateAction> acts;
  for (const auto& a : s.actions) {
    if (!acts.empty() && acts.back().ex_date == a.ex_date && acts.back().kind == a.kind) {
      acts.back() = a;
    } else {
      acts.push_back(a);
    }
  }
  s.actions = std::move(acts);
}

void clip(PriceSeries& s, Date from, Date to) {
  std::vector<std::size_t> keep;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.date[i] >= from && s.date[i] <= to) keep.push_back(i);
  }
  apply_order(s, keep);
  std::erase_if(s.actions, [&](const CorporateAction& a) { return a.ex_date < from || a.ex_date > to; });
}

}  // namespace keel::marketdata

namespace keel::marketdata {

std::string url_encode(std::string_view text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

PriceSeries merge_series(std::vector<PriceSeries> parts) {
  if (parts.empty()) return {};
  PriceSeries out = std::move(parts.front());
  const bool several = parts.size() > 1;
  for (std::size_t k = 1; k < parts.size(); ++k) {
    PriceSeries& p = parts[k];
    auto append = [](std::vector<double>& a, const std::vector<double>& b) { a.insert(a.end(), b.begin(), b.end()); };
    out.date.insert(out.date.end(), p.date.begin(), p.date.end());
    append(out.open, p.open);
    append(out.high, p.high);
    append(out.low, p.low);
    append(out.close, p.close);
    append(out.adj_close, p.adj_close);
    append(out.volume, p.volume);
    out.actions.insert(out.actions.end(), p.actions.begin(), p.actions.end());
    out.skipped.insert(out.skipped.end(), p.skipped.begin(), p.skipped.end());
  }
  if (several) {
    sort_and_merge(out);
  } else {
    std::vector<std::size_t> order(out.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return out.date[a] < out.date[b]; });
    apply_order(out, order);
  }
  return out;
}

std::string excerpt(std::string_view body, std::size_t max) {
  std::string s(body.substr(0, max));
  for (char& c : s) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  // Bytes that are not UTF-8 (a binary body, or one cut inside a character) as \xNN: a message
  // must stay printable text that JSON can carry.
  if (utf8_error_offset(s) != std::string::npos) s = shown_with(s, s.size(), '\0');
  return s + (body.size() > max ? "..." : "");
}

}  // namespace keel::marketdata

#include <charconv>
#include <cmath>

namespace keel::marketdata {

std::vector<std::string> split_csv_line(std::string_view line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cur += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cur += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  for (auto& f : out) {
    std::size_t a = 0, b = f.size();
    while (a < b && std::isspace(static_cast<unsigned char>(f[a]))) ++a;
    while (b > a && std::isspace(static_cast<unsigned char>(f[b - 1]))) --b;
    f = f.substr(a, b - a);
  }
  return out;
}

std::optional<double> parse_number(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  double v = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::vector<std::string_view> body_lines(std::string_view body) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start < body.size()) {
    std::size_t end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    start = end + 1;
  }
  return out;
}

}  // namespace keel::marketdata
