// The descriptions of the requests and results of keel/service/imports.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/imports.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void ImportResult::fields(V& v, S& s) {
  v.field({.name = "kind", .help = "prices, positions, factors, curve or sectors"}, s.kind);
  v.field({.name = "file", .help = "The file imported (body.csv / body.json for an upload)"}, s.file);
  v.field({.name = "rows", .help = "Rows read and stored"}, s.rows);
  v.field({.name = "warnings", .help = "Remarks on accepted rows (file:line:column: ...) and on the file (file:line: ..., e.g. a last line without a line ending)"}, s.warnings);
}
KEEL_SPEC_FIELDS(ImportResult)

template <class V, class S>
void ImportPricesRequest::fields(V&, S&) {}
KEEL_SPEC_REQUEST_FIELDS(ImportPricesRequest)

template <class V, class S>
void PricesImportResult::fields(V& v, S& s) {
  v.flatten(spec::as_base<ImportResult>(s));
  v.field({.name = "symbols", .help = "Distinct symbols in the file"}, s.symbols);
  v.field({.name = "inserted", .help = "New (symbol, date) closes"}, s.inserted);
  v.field({.name = "updated", .help = "Existing (symbol, date) closes overwritten"}, s.updated);
  v.field({.name = "first_date", .help = "First date in the file (YYYY-MM-DD; empty when none)"}, s.first_date);
  v.field({.name = "last_date", .help = "Last date in the file (YYYY-MM-DD; empty when none)"}, s.last_date);
}
KEEL_SPEC_FIELDS(PricesImportResult)

template <class V, class S>
void ImportPositionsRequest::fields(V& v, S& s) {
  v.field({.name = "portfolio", .help = "Portfolio name (its positions are replaced)", .faces = spec::kCli,
           .cli_short = "-p", .required = true},
          s.portfolio);
  v.field({.name = "currency",
           .help = "Reporting currency of the portfolio created (default USD; an existing one must match)",
           .faces = spec::kCli},
          s.currency);
  v.field({.name = "broker_account",
           .help = "Of a broker's file holding several accounts (a Fidelity, Schwab or Vanguard positions "
                   "download, an OFX or IBKR Flex statement), the one imported: its number, or Schwab's account "
                   "title or its ...234 part"},
          s.broker_account);
}
KEEL_SPEC_REQUEST_FIELDS(ImportPositionsRequest)

template <class V, class S>
void PositionsImportResult::fields(V& v, S& s) {
  v.flatten(spec::as_base<ImportResult>(s));
  v.field({.name = "portfolio"}, s.portfolio);
  v.field({.name = "positions", .help = "Positions the portfolio holds now"}, s.positions);
  v.field({.name = "options", .help = "Of which option contracts"}, s.options);
  v.field({.name = "id", .help = "The portfolio's id (HTTP)"}, s.id);
}
KEEL_SPEC_FIELDS(PositionsImportResult)

template <class V, class S>
void PortfolioFromLedgerRequest::fields(V& v, S& s) {
  v.field({.name = "account",
           .help = "The ledger account whose holdings become the positions (default: every account)",
           .cli_short = "-a"},
          s.account);
  v.field({.name = "as_of", .help = "The holdings on this date (default: the later of the last transaction and "
                                    "price), YYYY-MM-DD"},
          s.as_of);
  v.field({.name = "currency",
           .help = "Reporting currency of the portfolio created (default USD; an existing one must match)",
           .faces = spec::kCli},
          s.currency);
}
KEEL_SPEC_REQUEST_FIELDS(PortfolioFromLedgerRequest)

template <class V, class S>
void ImportFactorsRequest::fields(V& v, S& s) {
  v.field({.name = "set", .help = "Name of the factor set"}, s.set);
  v.choice({.name = "factor_units", .help = "How the file's returns are written"}, s.factor_units,
           kRateUnitsNames);
}
KEEL_SPEC_REQUEST_FIELDS(ImportFactorsRequest)

template <class V, class S>
void FactorsImportResult::fields(V& v, S& s) {
  v.flatten(spec::as_base<ImportResult>(s));
  v.field({.name = "set", .help = "The factor set written"}, s.set);
  v.field({.name = "factors", .help = "Factor columns, in file order"}, s.factors);
  v.field({.name = "first_date", .help = "YYYY-MM-DD"}, s.first_date);
  v.field({.name = "last_date", .help = "YYYY-MM-DD"}, s.last_date);
}
KEEL_SPEC_FIELDS(FactorsImportResult)

template <class V, class S>
void ImportCurveRequest::fields(V& v, S& s) {
  v.field({.name = "name", .help = "Curve name (default: the file name)"}, s.name);
  v.choice({.name = "curve_type", .help = "How tenor,rate files are quoted (the dated Treasury file is par)"},
           s.curve_type, kCurveKindNames);
  v.choice({.name = "rate_units", .help = "Rate units of a tenor,rate file"}, s.rate_units, kRateUnitsNames);
  v.field({.name = "date", .help = "Row to take from a dated file (YYYY-MM-DD)"}, s.date);
  v.field({.name = "currency", .help = "ISO currency of the curve"}, s.currency);
}
KEEL_SPEC_REQUEST_FIELDS(ImportCurveRequest)

template <class V, class S>
void CurveImportResult::fields(V& v, S& s) {
  v.flatten(spec::as_base<ImportResult>(s));
  v.field({.name = "name"}, s.name);
  v.field({.name = "as_of", .help = "The curve's date (YYYY-MM-DD; empty when undated)"}, s.as_of);
  v.field({.name = "curve_type", .help = "zero or par"}, s.curve_type);
  v.field({.name = "currency"}, s.currency);
}
KEEL_SPEC_FIELDS(CurveImportResult)

template <class V, class S>
void ImportSectorsRequest::fields(V&, S&) {}
KEEL_SPEC_REQUEST_FIELDS(ImportSectorsRequest)

template <class V, class S>
void SectorsImportResult::fields(V& v, S& s) {
  v.flatten(spec::as_base<ImportResult>(s));
}
KEEL_SPEC_FIELDS(SectorsImportResult)

}  // namespace keel::service
