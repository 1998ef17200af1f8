// Private: constructors of the concrete providers and parsing helpers they share.
#pragma once

#include <memory>
#include <optional>
#include <vector>
#include <string>
#include <string_view>

#include "keel/marketdata/provider.h"

namespace keel::marketdata {

std::unique_ptr<Provider> make_yahoo(ProviderOptions options);
std::unique_ptr<Provider> make_stooq(ProviderOptions options);
std::unique_ptr<Provider> make_polygon(ProviderOptions options);
std::unique_ptr<Provider> make_fred(ProviderOptions options);
std::unique_ptr<Provider> make_treasury(ProviderOptions options);
std::unique_ptr<Provider> make_french(ProviderOptions options);
std::unique_ptr<Provider> make_ecb(ProviderOptions options);

// Seconds since the Unix epoch of 00:00 UTC on `d`.
inline long long epoch_seconds(Date d) { return static_cast<long long>(d.serial()) * 86400; }
// Percent-encodes a path segment or query value (RFC 3986 unreserved characters kept).
std::string url_encode(std::string_view text);
// Concatenates several parsed series (offline: every cached response) into one: sorted by date,
// later responses winning a date. A single series is only sorted, so duplicate dates within one
// response survive for validation to report.
PriceSeries merge_series(std::vector<PriceSeries> parts);
// A short excerpt of a body for error messages (control characters replaced, bytes that are not UTF-8 as \xNN).
std::string excerpt(std::string_view body, std::size_t max = 120);

}  // namespace keel::marketdata

namespace keel::marketdata {
// Splits one CSV line on commas, honouring double quotes ("" inside quotes is a quote); fields trimmed.
std::vector<std::string> split_csv_line(std::string_view line);
// The whole field as a finite number, else nullopt.
std::optional<double> parse_number(std::string_view text);
// Lines of a text body (\n or \r\n).
std::vector<std::string_view> body_lines(std::string_view body);
}  // namespace keel::marketdata
