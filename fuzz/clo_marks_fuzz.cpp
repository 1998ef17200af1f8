// Fuzz target: the dated files that move a CLO pool (keel/io/clo_marks_reader.h): rating marks,
// price marks, the rating migration matrix (with its eigenvalue check and period power) and
// obligor pair correlations; and the loan tape and a trade ticket (keel/io/clo_deal_reader.h), the
// ticket applied to the tape when both read.
#include "fuzz_common.h"
#include "keel/clo/trade.h"
#include "keel/io/clo_deal_reader.h"
#include "keel/io/clo_marks_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace keel;
  const std::string text = fuzz::text(data, size);
  fuzz::run([&] { io::parse_clo_rating_marks(text, "ratings.csv"); });
  fuzz::run([&] { io::parse_clo_price_marks(text, "marks.csv"); });
  fuzz::run([&] {
    const clo::MigrationMatrix m = io::parse_clo_migration_matrix(text, "migration.csv");
    (void)clo::migration_power(m, 0.25);
  });
  fuzz::run([&] { io::parse_clo_pair_correlations(text, "pairs.csv"); });
  fuzz::run([&] {
    const auto pool = io::parse_clo_collateral_csv(text, "pool.csv");
    const auto ticket = io::parse_clo_trades_csv(text, "trades.csv");
    (void)clo::apply_trades(pool, ticket);
  });
  fuzz::run([&] { io::parse_clo_trades_csv(text, "trades.csv"); });
  return 0;
}
