// Security master reader: symbol, name, sector, industry, country (keel layout or S&P constituents layout).
#include <string>
#include <string_view>
#include <utility>

#include "keel/io/readers.h"
#include "keel/io/input.h"
#include "keel/portfolio/country.h"
#include "keel/portfolio/symbol_info.h"

namespace keel::io {

std::vector<SymbolInfo> read_symbol_info(CsvReader& csv, Diagnostics& diags) {
  std::vector<SymbolInfo> out;
  CsvColumns cols(csv, {"symbol"},
                  {"sector", "name", "industry", "gics sector", "security", "gics sub-industry", "country",
                   "headquarters location"},
                  diags,
                  /*warn_unknown=*/false);
  if (diags.has_errors()) return out;
  auto pick = [&](const char* a, const char* b) { return cols.has(a) ? cols.index(a) : cols.index(b); };
  const int c_sym = cols.index("symbol"), c_sector = pick("sector", "gics sector"),
            c_name = pick("name", "security"), c_ind = pick("industry", "gics sub-industry"),
            c_country = cols.index("country"), c_hq = cols.index("headquarters location");
  if (c_sector < 0) {
    diags.error({csv.name(), csv.header_line(), 0, "", "missing column \"sector\" (or \"GICS Sector\")"});
    return out;
  }
  CsvCells cells(csv, diags);
  CsvRecord r;
  while (csv.next(r)) {
    std::string sym(cells.text(r, c_sym));
    // Some sources write class shares with a dot or a dash; keel keeps them as given.
    if (!is_valid_ticker(sym)) {
      cells.error(r, c_sym, shown(sym) + " is not a ticker symbol");
      continue;
    }
    SymbolInfo info{sym, std::string(cells.text(r, c_name)), std::string(cells.text(r, c_sector)),
                    std::string(cells.text(r, c_ind))};
    // The issuer's country as an ISO code: a `country` column (a code or a name, kept as given
    // when keel does not know it), else the S&P file's headquarters ("Saint Paul, Minnesota": US).
    if (c_country >= 0) {
      const std::string_view given = cells.text(r, c_country);
      info.country = country_code(given);
      if (info.country.empty()) info.country = std::string(given);
    } else if (c_hq >= 0) {
      info.country = headquarters_country(cells.text(r, c_hq));
    }
    out.push_back(std::move(info));
  }
  return out;
}

}  // namespace keel::io
