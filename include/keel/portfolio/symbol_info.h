// keel/portfolio/symbol_info.h: the security master, one record per symbol.
//
// Plain data: read from a security-master CSV by io (read_symbol_info: symbol, name, sector,
// industry), fetched from a provider's reference data by marketdata (Provider::profile: every
// field), persisted by the store (upsert_symbol_info for the CSV's fields, upsert_security_master
// for every field), grouped by sector and industry in exposures. It lives here, below io,
// marketdata and store, so that none of them has to include another to share it. Thread-safe to read.
#pragma once

#include <optional>
#include <string>

namespace keel {

struct SymbolInfo {
  std::string symbol;
  std::string name;
  std::string sector;    // e.g. GICS sector "Information Technology"
  std::string industry;  // e.g. GICS sub-industry; empty when the file has none
  // Fetched reference data (empty / absent when only a CSV filled the record; initialised so that
  // {symbol, name, sector, industry} still builds a record):
  std::string exchange{};               // the listing's exchange as the provider names it ("NMS", "XNAS")
  std::string currency{};               // ISO 4217 code the symbol trades in ("USD")
  std::string country{};                // the issuer's country as the provider names it
  std::optional<double> market_cap{};   // in `currency` units (not thousands)
  std::string asset_type{};             // equity, etf, fund, adr, index, crypto, currency, future, option, other
  std::string source{};                 // the provider that gave the record ("yahoo", "polygon"), or ""
  std::string fetched_at{};             // when it was fetched, ISO 8601 UTC; "" when never fetched
};

}  // namespace keel
