// Security master reader: symbol, name, sector, industry (keel layout or S&P constituents layout).
#include <string>

#include "keel/io/readers.h"
#include "keel/io/input.h"
#include "keel/portfolio/symbol_info.h"

namespace keel::io {

std::vector<SymbolInfo> read_symbol_info(CsvReader& csv, Diagnostics& diags) {
  std::vector<SymbolInfo> out;
  CsvColumns cols(csv, {"symbol"},
                  {"sector", "name", "industry", "gics sector", "security", "gics sub-industry"}, diags,
                  /*warn_unknown=*/false);
  if (diags.has_errors()) return out;
  auto pick = [&](const char* a, const char* b) { return cols.has(a) ? cols.index(a) : cols.index(b); };
  const int c_sym = cols.index("symbol"), c_sector = pick("sector", "gics sector"),
            c_name = pick("name", "security"), c_ind = pick("industry", "gics sub-industry");
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
    out.push_back({sym, std::string(cells.text(r, c_name)), std::string(cells.text(r, c_sector)),
                   std::string(cells.text(r, c_ind))});
  }
  return out;
}

}  // namespace keel::io
