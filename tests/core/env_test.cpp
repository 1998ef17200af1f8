// The environment (keel/core/env.h, keel/core/mem_files.h): Files opens what it vets — the local
// files refuse what is not a regular file, the server's refuse every path by the field that named
// it, the in-memory files hand out what was put — and the clocks.
#include "keel/core/env.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "keel/core/error.h"
#include "keel/core/mem_files.h"

namespace keel {
namespace {

std::string drain(ByteSource& src, std::size_t chunk) {
  std::string out, buf(chunk, '\0');
  for (std::size_t n; (n = src.read(buf.data(), buf.size())) > 0;) out.append(buf.data(), n);
  return out;
}

TEST(MemFiles, HandsOutWhatWasPutInChunks) {
  MemFiles files;
  files.put("data/prices.csv", "date,symbol,close\n2020-01-02,AAA,1\n");
  EXPECT_TRUE(files.allowed());
  EXPECT_TRUE(files.contains("data/prices.csv"));
  auto src = files.open("data/prices.csv", "prices");
  EXPECT_EQ(src->name(), "data/prices.csv");
  EXPECT_EQ(src->size(), std::optional<std::uint64_t>(35));
  EXPECT_EQ(drain(*src, 4), "date,symbol,close\n2020-01-02,AAA,1\n");
  EXPECT_EQ(src->read(nullptr, 0), 0u);
  EXPECT_EQ(files.read("data/prices.csv", "prices"), "date,symbol,close\n2020-01-02,AAA,1\n");
  // Each open reads from the start; a put replaces the bytes.
  files.put("data/prices.csv", "x");
  EXPECT_EQ(drain(*files.open("data/prices.csv", "prices"), 64), "x");
}

TEST(MemFiles, AMissingPathIsNotFoundAsOnDisk) {
  const MemFiles files;
  for (const Files* f : {static_cast<const Files*>(&files), &local_files()}) {
    try {
      f->open("/nonexistent/keel/positions.csv", "positions");
      FAIL();
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kNotFound);
      EXPECT_EQ(std::string(e.what()), "/nonexistent/keel/positions.csv: no such file");
    }
  }
}

TEST(LocalFiles, OpenReadsARegularFileAndRefusesTheRest) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("keel_env_" + std::to_string(::getpid()) + ".csv")).string();
  std::ofstream(path, std::ios::binary) << "a,b\n1,2\n";
  auto src = local_files().open(path, "file");
  EXPECT_EQ(src->name(), path);
  EXPECT_EQ(src->size(), std::optional<std::uint64_t>(8));
  EXPECT_EQ(drain(*src, 3), "a,b\n1,2\n");
  EXPECT_EQ(local_files().read(path, "file"), "a,b\n1,2\n");
  std::filesystem::remove(path);
  try {
    local_files().open(std::filesystem::temp_directory_path().string(), "file");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    EXPECT_NE(std::string(e.what()).find("is a directory, expected a file"), std::string::npos) << e.what();
  }
  try {
    local_files().open("/dev/null", "file");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("not a regular file"), std::string::npos) << e.what();
  }
}

TEST(NoFiles, RefusesEveryPathByTheFieldThatNamedIt) {
  const Env env = server_env();
  EXPECT_FALSE(env.files.allowed());
  for (const char* path : {"/etc/passwd", "prices.csv"}) {
    try {
      env.files.open(path, "prices");
      FAIL() << path;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kForbidden);
      EXPECT_EQ(std::string(e.what()), "prices: files cannot be named in this request (upload the content instead)");
    }
  }
  EXPECT_THROW(env.files.read("/etc/passwd", "deal"), Error);
}

TEST(MemorySource, NameSizeAndBytes) {
  auto src = memory_source("upload.csv", std::string("a\0b", 3));
  EXPECT_EQ(src->name(), "upload.csv");
  EXPECT_EQ(src->size(), std::optional<std::uint64_t>(3));
  EXPECT_EQ(drain(*src, 1), std::string("a\0b", 3));
}

TEST(FixedClock, PinsNowUnixSecondsAndIso8601) {
  const FixedClock clock(std::chrono::system_clock::time_point{std::chrono::seconds(1'512'569'039)});
  EXPECT_EQ(clock.unix_seconds(), 1'512'569'039);
  EXPECT_EQ(clock.iso8601(), "2017-12-06T14:03:59Z");
  const Env env{clock, no_files()};
  EXPECT_EQ(env.clock.iso8601(), "2017-12-06T14:03:59Z");
}

}  // namespace
}  // namespace keel
