// keel/portfolio/symbol_info.h: the security master, one record per symbol.
//
// Plain data: read from a security-master CSV by io (read_symbol_info), persisted by the store
// (upsert_symbol_info), grouped by sector and industry in exposures. It lives here, below io and
// store, so that neither layer has to include the other to share it. Thread-safe to read.
#pragma once

#include <string>

namespace keel {

struct SymbolInfo {
  std::string symbol;
  std::string name;
  std::string sector;    // e.g. GICS sector "Information Technology"
  std::string industry;  // e.g. GICS sub-industry; empty when the file has none
};

}  // namespace keel
