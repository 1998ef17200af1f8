// The loan tape's reading, shared by the deal reader (src/io/clo_deal_reader.cpp) and the tape and
// trade-ticket readers (src/io/clo_tape_reader.cpp). Internal to keel_io.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "keel/clo/deal.h"
#include "keel/core/diagnostics.h"
#include "keel/io/csv.h"

namespace keel::io::clo_tape {

// An ISO 3166 alpha-2 code's shape: two capital letters.
bool valid_country(std::string_view c);
// "floating" (or "float") and "fixed"; nullopt for anything else.
std::optional<clo::CouponType> coupon_type(std::string_view s);
// The loans of a collateral CSV (a file, or an uploaded text), every bad cell reported.
void read_collateral_csv(Diagnostics& diags, CsvReader csv, std::vector<clo::Loan>& out);

}  // namespace keel::io::clo_tape
