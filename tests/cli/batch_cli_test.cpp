// End-to-end tests of `keel batch run`, `keel report` and `keel portfolio history` on the examples.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "../support/cli_runner.h"

namespace keel::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class BatchCli : public ::testing::Test {
 protected:
  // The examples imported once per test run (cached_keel_store); this suite's tests write
  // snapshots, so each process works on its own copy.
  static void SetUpTestSuite() {
    db_ = new StoreCopy(
        cached_keel_store(
            "batch_cli",
            {"import prices " + source_path("examples/market/prices.csv"),
             "import sectors " + source_path("examples/market/sectors.csv"),
             "import factors " + source_path("examples/market/ff5_daily_2012_2017.csv") + " --factor-units percent",
             "import positions " + source_path("examples/portfolios/balanced.csv") + " --portfolio balanced",
             "import positions " + source_path("examples/portfolios/hnw.csv") + " --portfolio hnw",
             "import positions " + source_path("examples/portfolios/longshort.csv") + " --portfolio longshort"}),
        "batch");
    out_ = new fs::path(fs::temp_directory_path() / ("keel_batch_cli_" + std::to_string(::getpid())));
    fs::remove_all(*out_);
  }
  static void TearDownTestSuite() {
    fs::remove_all(*out_);
    delete out_;
    delete db_;
  }
  static std::string keel(const std::string& args) { return "--db " + db_->path() + " --quiet " + args; }
  static StoreCopy* db_;
  static fs::path* out_;
};
StoreCopy* BatchCli::db_ = nullptr;
fs::path* BatchCli::out_ = nullptr;

TEST_F(BatchCli, RunAllWritesAFolderPerPortfolioAndHistoryListsTheSnapshots) {
  const CliResult r = run_keel(keel("--format json batch run --all --paths 2000 --as-of 2017-12-06 --out " + out_->string()));
  ASSERT_EQ(r.code, 0) << r.err;
  const json res = json::parse(r.out);
  ASSERT_EQ(res.at("portfolios").size(), 3u);
  EXPECT_EQ(res.at("ok"), 3) << r.out.substr(0, 2000);
  for (const char* p : {"balanced", "hnw", "longshort"}) {
    const fs::path dir = *out_ / (std::string(p) + "_2017-12-06");
    for (const char* f : {"report.md", "report.json", "positions.csv", "report.xlsx"}) {
      EXPECT_TRUE(fs::exists(dir / f)) << (dir / f);
    }
  }
  // Every step of every portfolio is recorded with its time.
  for (const auto& p : res.at("portfolios")) {
    std::vector<std::string> names;
    for (const auto& s : p.at("steps")) names.push_back(s.at("name"));
    EXPECT_EQ(names.size(), 11u) << p.dump();
    EXPECT_EQ(names.front(), "market-data");  // n/a: no provider configured
    EXPECT_EQ(names.back(), "reports");
  }
  const CliResult h = run_keel(keel("--format json portfolio history hnw"));
  ASSERT_EQ(h.code, 0) << h.err;
  const json hist = json::parse(h.out);
  ASSERT_EQ(hist.at("points").size(), 1u);
  EXPECT_EQ(hist.at("points")[0].at("as_of"), "2017-12-06");
  EXPECT_TRUE(hist.at("points")[0].at("var_amount").is_number());
  // The table form prints one row per snapshot.
  const CliResult t = run_keel(keel("--format table portfolio history hnw --from 2017-01-01 --to 2017-12-31"));
  EXPECT_EQ(t.code, 0);
  EXPECT_NE(t.out.find("2017-12-06"), std::string::npos);
}

TEST_F(BatchCli, ReportOnFilesWritesOneFilePerFormat) {
  const fs::path dir = *out_ / "files";
  const CliResult r = run_keel("--format json report --positions " + source_path("examples/portfolios/balanced.csv") +
                               " --prices " + source_path("examples/market/prices.csv") +
                               " --format json,csv --paths 1000 --out " + dir.string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir / "balanced_2017-12-06" / "report.json"));
  EXPECT_TRUE(fs::exists(dir / "balanced_2017-12-06" / "positions.csv"));
  EXPECT_FALSE(fs::exists(dir / "balanced_2017-12-06" / "report.md"));
}

TEST_F(BatchCli, ExitCodes) {
  // Unknown portfolio: not found (3), nothing runs.
  const CliResult unknown = run_keel(keel("batch run --portfolio nope --no-reports"));
  EXPECT_EQ(unknown.code, 3);
  EXPECT_NE(unknown.err.find("nope"), std::string::npos);
  EXPECT_EQ(run_keel(keel("report --portfolio nope --out " + out_->string())).code, 3);
  EXPECT_EQ(run_keel(keel("portfolio history nope")).code, 3);
  // --all and --portfolio together: usage (2).
  EXPECT_EQ(run_keel(keel("batch run --all --portfolio hnw --no-reports")).code, 2);
  // A batch with no reports and no snapshot still runs (exit 0).
  const CliResult quiet = run_keel(keel("--format json batch run --portfolio balanced --no-reports --no-snapshot --paths 500"));
  EXPECT_EQ(quiet.code, 0) << quiet.err;
  // Every portfolio failing (no prices at that date) is an error (1).
  const CliResult early = run_keel(keel("batch run --portfolio balanced --as-of 2000-01-03 --no-reports --no-snapshot"));
  EXPECT_EQ(early.code, 1) << early.err;
}

}  // namespace
}  // namespace keel::testing
