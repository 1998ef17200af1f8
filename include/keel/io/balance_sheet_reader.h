// keel/io/balance_sheet_reader.h: the ALM balance-sheet CSV and the IRRBB shock-size table.
//
// Balance sheet (docs/formats.md): required `id,side,type,notional,start_date,maturity_date,
// rate_type,rate`; optional `currency,spread,index,reset_frequency,payment_frequency,amortization,
// day_count,first_reset_date,floor,cap,behavioural_maturity,calendar`. Rates, spreads, floors and
// caps are decimals (0.035 = 3.5%); frequencies are tenors 1M 3M 6M 12M (1Y), and a payment
// frequency of `0` (or `maturity`) pays once at maturity; behavioural_maturity is a tenor (`5Y`,
// `18M`) or a number of years, and lets maturity_date be empty (non-maturity deposits).
// Defaults: currency = the reader option, spread 0, payment 12M, reset 3M (floating; the payment
// frequency when that is given), amortization bullet, day_count act/365, calendar = currency.
// Every bad cell is reported as file:line:column: column: message; nothing is returned when any
// row is bad (the caller calls diags.throw_if_errors).
//
// Shock table: `currency,parallel_bp,short_bp,long_bp` (positive basis points).
//
// Thread-safety: stateless functions.
#pragma once

#include <string>
#include <vector>

#include "keel/alm/balance_sheet.h"
#include "keel/alm/shocks.h"
#include "keel/core/diagnostics.h"
#include "keel/io/csv.h"

namespace keel::io {

struct BalanceSheetReadOptions {
  std::string default_currency = "USD";  // for rows without a currency
};

alm::BalanceSheet read_balance_sheet(CsvReader& csv, const BalanceSheetReadOptions& options,
                                     Diagnostics& diags);

alm::ShockTable read_shock_table(CsvReader& csv, Diagnostics& diags);

// User-defined scenarios: `name,tenor,shift_bp` rows (tenor 1M..50Y; shifts in basis points,
// linear between tenors, flat outside), one group of rows per scenario name.
std::vector<alm::Scenario> read_scenarios(CsvReader& csv, Diagnostics& diags);

// The table built into keel (data/alm/shock_sizes.csv: Delegated Regulation (EU) 2024/856 Annex
// Part A). Throws keel::Error(internal) if the built-in text does not parse (a build defect).
alm::ShockTable default_shock_table();

}  // namespace keel::io
