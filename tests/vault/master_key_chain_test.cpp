// The master key's sources and the order keel looks in (keel/vault/master_key_source.h,
// master_key_chain.h): the key file's modes, the rotation primitives, and the fallback from the
// keyring to the file to the environment. The keyring here is the real libsecret source with no
// session bus to reach (DBUS_SESSION_BUS_ADDRESS points nowhere), so it is unavailable as on a
// server; tests/cli/keys_keyring_test.cpp runs a real Secret Service (gnome-keyring) instead.
#include "keel/vault/master_key_chain.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "keel/core/error.h"

namespace keel::vault {
namespace {

namespace fs = std::filesystem;

unsigned mode_of(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 07777;
}

void write_file(const fs::path& p, const std::string& text, unsigned mode) {
  std::ofstream(p) << text;
  ::chmod(p.c_str(), mode);
}

template <class F>
std::string error_of(F&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

class KeySources : public ::testing::Test {
 protected:
  void SetUp() override {
    // No Secret Service can answer: the keyring source must say so, never reach a real keyring.
    ::setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/keel-test-bus", 1);
    dir_ = fs::temp_directory_path() / ("keel_vault_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    key_file_ = dir_ / "config" / "keel" / "master.key";
  }
  void TearDown() override { fs::remove_all(dir_); }

  // The real order: keyring, key file, KEEL_MASTER_KEY (given as `env_text`).
  MasterKeyChain chain(const std::string& env_text = "", std::optional<SourceKind> chosen = std::nullopt) {
    std::vector<std::unique_ptr<MasterKeySource>> s;
    s.push_back(make_keyring_source());
    s.push_back(make_file_source(key_file_.string()));
    s.push_back(make_environment_source(env_text));
    return MasterKeyChain(std::move(s), chosen);
  }

  fs::path dir_;
  fs::path key_file_;
};

TEST_F(KeySources, TheKeyFileIsCreated0600InA0700FolderAndReadBack) {
  auto file = make_file_source(key_file_.string());
  EXPECT_FALSE(file->load());
  const MasterKey k = file->create(MasterKey::generate());
  EXPECT_EQ(mode_of(key_file_), 0600u);
  EXPECT_EQ(mode_of(key_file_.parent_path()), 0700u);
  EXPECT_EQ(file->load()->id(), k.id());
  // A second create keeps the key in place (another process made it first).
  EXPECT_EQ(file->create(MasterKey::generate()).id(), k.id());
  std::ifstream in(key_file_);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, k.to_text());
}

TEST_F(KeySources, AKeyFileOthersMayReadIsRefused) {
  fs::create_directories(key_file_.parent_path());
  const std::string text = MasterKey::generate().to_text() + "\n";
  auto file = make_file_source(key_file_.string());
  for (unsigned mode : {0644u, 0640u, 0604u, 0700u, 0660u}) {
    write_file(key_file_, text, mode);
    const std::string m = error_of([&] { file->load(); });
    char expected[8];
    std::snprintf(expected, sizeof expected, "%04o", mode);
    EXPECT_EQ(m,
              "master key file " + key_file_.string() + " has mode " + expected +
                  ", wider than 0600: others could read the key. Run chmod 600 " + key_file_.string() +
                  " if no one else could have read it, else rotate the master key (keel keys rotate-master) "
                  "after fixing the mode");
    EXPECT_EQ(m.find(text.substr(0, 10)), std::string::npos);
  }
  for (unsigned mode : {0600u, 0400u}) {
    write_file(key_file_, text, mode);
    EXPECT_TRUE(file->load()) << std::oct << mode;
  }
  // A symbolic link is not followed.
  const fs::path link = dir_ / "link.key";
  fs::create_symlink(key_file_, link);
  EXPECT_NE(error_of([&] { make_file_source(link.string())->load(); }).find("is a symbolic link"),
            std::string::npos);
  // Text that is not a key names the file and the place.
  write_file(key_file_, "notakey\n", 0600);
  EXPECT_EQ(error_of([&] { file->load(); }),
            key_file_.string() +
                ":1:1: expected a 32-byte key as 44 base64 characters or 64 hex digits, found 7 "
                "characters");
}

TEST_F(KeySources, ThePendingKeyReplacesTheKeyInPlaceInOneRename) {
  auto file = make_file_source(key_file_.string());
  const MasterKey old_key = file->create(MasterKey::generate());
  const MasterKey next = MasterKey::generate();
  file->save_pending(next);
  EXPECT_EQ(mode_of(key_file_.string() + ".new"), 0600u);
  EXPECT_EQ(file->load()->id(), old_key.id());
  EXPECT_EQ(file->load_pending()->id(), next.id());
  file->promote_pending();
  EXPECT_EQ(file->load()->id(), next.id());
  EXPECT_FALSE(file->load_pending());
  EXPECT_FALSE(fs::exists(key_file_.string() + ".new"));
}

TEST_F(KeySources, TheKeyringIsUnavailableWithoutASecretService) {
  auto keyring = make_keyring_source();
  if (!keyring_built()) GTEST_SKIP() << keyring->unavailable_reason();
  EXPECT_NE(keyring->unavailable_reason().find("no Secret Service answered on the session bus"),
            std::string::npos)
      << keyring->unavailable_reason();
}

TEST_F(KeySources, FallbackOrderKeyringThenFileThenEnvironment) {
  const MasterKey env_key = MasterKey::generate();
  // Nothing anywhere but the environment: the environment's key.
  {
    auto c = chain(env_key.to_text());
    EXPECT_EQ(c.current()->key.id(), env_key.id());
    EXPECT_EQ(c.current()->source->kind(), SourceKind::kEnvironment);
    EXPECT_FALSE(fs::exists(key_file_));  // current() creates nothing
  }
  // A key file comes before the environment.
  const MasterKey file_key = make_file_source(key_file_.string())->create(MasterKey::generate());
  {
    auto c = chain(env_key.to_text());
    EXPECT_EQ(c.current()->source->kind(), SourceKind::kFile);
    EXPECT_EQ(c.current_or_create().key.id(), file_key.id());
    // Rows name their key: the environment's is found by its id even though the file comes first.
    EXPECT_EQ(c.find(env_key.id()).source->kind(), SourceKind::kEnvironment);
    EXPECT_EQ(c.find(file_key.id()).source->kind(), SourceKind::kFile);
  }
  // KEEL_MASTER_KEY_SOURCE=env: only the environment.
  {
    auto c = chain(env_key.to_text(), SourceKind::kEnvironment);
    EXPECT_EQ(c.current()->key.id(), env_key.id());
    EXPECT_NE(error_of([&] { c.find(file_key.id()); }).find("which no master key source holds"),
              std::string::npos);
  }
  // KEEL_MASTER_KEY_SOURCE=keyring with no Secret Service: an error, not a silent fallback.
  if (keyring_built()) {
    auto c = chain(env_key.to_text(), SourceKind::kKeyring);
    EXPECT_NE(
        error_of([&] { c.current(); })
            .find(
                "the master key source chosen by KEEL_MASTER_KEY_SOURCE (keyring) cannot be used: no Secret "
                "Service answered"),
        std::string::npos);
  }
}

TEST_F(KeySources, WithNoKeyAnywhereTheFirstWritableSourceGetsANewOne) {
  auto c = chain();
  EXPECT_FALSE(c.current());
  const ResolvedKey k = c.current_or_create();
  EXPECT_EQ(k.source->kind(), SourceKind::kFile);  // the keyring cannot be reached
  EXPECT_EQ(mode_of(key_file_), 0600u);
  EXPECT_EQ(chain().current()->key.id(), k.key.id());
  // With only the environment chosen and nothing set, nothing can hold a key.
  EXPECT_NE(error_of([&] {
              chain("", SourceKind::kEnvironment).current_or_create();
            }).find("KEEL_MASTER_KEY is not set"),
            std::string::npos);
}

TEST_F(KeySources, AnUnknownIdListsWhatEachSourceHolds) {
  const MasterKey file_key = make_file_source(key_file_.string())->create(MasterKey::generate());
  auto c = chain();
  const std::string m = error_of([&] { c.find("0123456789abcdef"); });
  EXPECT_NE(
      m.find("the key vault's keys are sealed under master key 0123456789abcdef, which no master key source "
             "holds"),
      std::string::npos)
      << m;
  EXPECT_NE(m.find("key file " + key_file_.string() + ": holds master key " + file_key.id()),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("environment variable KEEL_MASTER_KEY: not used (KEEL_MASTER_KEY is not set)"),
            std::string::npos)
      << m;
}

TEST_F(KeySources, APendingKeyNamedByTheRowsCompletesAStoppedRotation) {
  auto file = make_file_source(key_file_.string());
  file->create(MasterKey::generate());
  const MasterKey next = MasterKey::generate();
  file->save_pending(next);
  auto c = chain();
  const ResolvedKey k = c.find(next.id());  // the rows were re-sealed, the rename did not happen
  EXPECT_EQ(k.key.id(), next.id());
  EXPECT_EQ(make_file_source(key_file_.string())->load()->id(), next.id());
  EXPECT_FALSE(fs::exists(key_file_.string() + ".new"));
}

}  // namespace
}  // namespace keel::vault
