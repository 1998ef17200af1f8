// The migrations embedded at build time (cmake/embed_migrations.cmake) against their files,
// src/store/migrations/*.sql.
#include "keel/store/migrations.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace keel::store {
namespace {

namespace fs = std::filesystem;

// The numbers shipped before migrations became files, gaps included (numbers never used). Every
// migration after the last of them takes the next number.
constexpr int kShipped[] = {1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 22, 26, 28, 30, 31, 40, 50, 60, 61, 70, 71, 75, 76};

TEST(Migrations, VersionsAscendWithoutNewGaps) {
  std::vector<int> versions;
  for (const Migration& m : migrations()) versions.push_back(m.version);
  const std::size_t shipped = std::size(kShipped);
  ASSERT_GE(versions.size(), shipped);
  for (std::size_t i = 0; i < shipped; ++i) EXPECT_EQ(versions[i], kShipped[i]) << "entry " << i;
  for (std::size_t i = shipped; i < versions.size(); ++i) {
    EXPECT_EQ(versions[i], versions[i - 1] + 1) << "migration " << versions[i] << " leaves a gap after "
                                                << versions[i - 1];
  }
}

TEST(Migrations, EveryVersionHasADescriptionAndTheTextOfBothBackends) {
  for (const Migration& m : migrations()) {
    ASSERT_NE(m.description, nullptr) << m.version;
    EXPECT_GT(std::strlen(m.description), 0u) << "migration " << m.version;
    EXPECT_EQ(std::strchr(m.description, '\n'), nullptr) << "migration " << m.version;
    ASSERT_NE(m.sql, nullptr) << "migration " << m.version;
    ASSERT_NE(m.postgresql, nullptr) << "migration " << m.version;
    EXPECT_GT(std::strlen(m.sql), 0u) << "migration " << m.version;
    EXPECT_GT(std::strlen(m.postgresql), 0u) << "migration " << m.version;
  }
}

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The program's table is the directory as it is now: one entry per version, each text the file's
// lines after its description line, byte for byte (a stale generated source would fail here).
TEST(Migrations, TheEmbeddedTableIsTheDirectory) {
  const fs::path dir = fs::path(KEEL_SOURCE_DIR) / "src" / "store" / "migrations";
  const std::regex name(R"((\d{4})_[a-z0-9_]+(\.sqlite|\.postgresql)?\.sql)");
  struct Texts {
    std::string description, sqlite, postgresql;
  };
  std::map<int, Texts> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string file = entry.path().filename().string();
    if (file.front() == '.') continue;  // an editor's hidden file, left out of the build too
    std::smatch match;
    ASSERT_TRUE(std::regex_match(file, match, name)) << file;
    const std::string content = read(entry.path());
    const auto eol = content.find('\n');
    ASSERT_NE(eol, std::string::npos) << file;
    const std::string prefix = "-- keel migration: ";
    ASSERT_EQ(content.compare(0, prefix.size(), prefix), 0) << file;
    Texts& t = files[std::stoi(match[1].str())];
    t.description = content.substr(prefix.size(), eol - prefix.size());
    // The description is recorded without the spaces around it.
    t.description.erase(0, t.description.find_first_not_of(" \t"));
    t.description.erase(t.description.find_last_not_of(" \t") + 1);
    const std::string body = content.substr(eol + 1);
    if (match[2] != ".postgresql") t.sqlite = body;
    if (match[2] != ".sqlite") t.postgresql = body;
  }
  ASSERT_EQ(files.size(), migrations().size());
  for (const Migration& m : migrations()) {
    const auto it = files.find(m.version);
    ASSERT_NE(it, files.end()) << "migration " << m.version << " has no file";
    EXPECT_EQ(m.description, it->second.description) << "migration " << m.version;
    EXPECT_EQ(m.sql, it->second.sqlite) << "migration " << m.version;
    EXPECT_EQ(m.postgresql, it->second.postgresql) << "migration " << m.version;
  }
}

}  // namespace
}  // namespace keel::store
