// The key vault (keel/service/key_vault.h) on each store backend: values round-trip and stay
// sealed at rest, tenants are kept apart, a row moved to another name or tenant is refused, a wrong
// master key is refused with a clear error, and a master-key rotation leaves every key readable
// whatever step it stops at — stopped by an exception on both backends, and by a real crash (the
// process ends in _exit, no destructor or rollback runs) on SQLite. Runs on SQLite in
// keel_service_tests and on a throwaway PostgreSQL server in keel_vault_pg_tests.
#include "keel/service/key_vault.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../support/process.h"
#include "backends.h"
#include "keel/core/error.h"
#include "keel/service/keys.h"
#include "keel/store/secret_repository.h"
#include "keel/store/store.h"
#include "keel/vault/master_key_chain.h"
#include "keel/vault/sealed_value.h"

#ifdef KEEL_TEST_POSTGRESQL
#include "pg_cluster.h"
#endif

namespace keel::service {
namespace {

namespace fs = std::filesystem;

class KeyVaultContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    // No Secret Service can answer here: a vault that may use the keyring finds it unavailable.
    ::setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/keel-test-bus", 1);
    dir_ = fs::temp_directory_path() /
           ("keel_key_vault_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
#ifdef KEEL_TEST_POSTGRESQL
    if (GetParam() == "postgresql") {
      KEEL_PG_REQUIRE_OR_SKIP(keel::testing::PgCluster::shared());
      auto* cluster = keel::testing::PgCluster::shared();
      database_ = cluster->fresh_database();
      url_ = cluster->url(database_, "keel_app");
      return;
    }
#endif
    url_ = (dir_ / "keel.db").string();
    open_store(url_);  // created and migrated
  }
  void TearDown() override {
    fs::remove_all(dir_);
  }

  std::string key_file(const std::string& name = "master.key") const {
    return (dir_ / name).string();
  }

  // A vault as a face builds one: a store opened per call (like a lease), its master key in a key
  // file (KEEL_MASTER_KEY_SOURCE=file unless another choice is given).
  std::unique_ptr<KeyVault> vault(const std::string& file,
                                  std::optional<vault::SourceKind> chosen = vault::SourceKind::kFile) const {
    vault::MasterKeyOptions o;
    o.source = chosen;
    o.key_file = file;
    const std::string url = url_;
    return std::make_unique<KeyVault>(
        [url](const std::function<void(Store*)>& fn) {
          auto store = open_store(url);
          fn(store.get());
        },
        master_key_chain_of(o));
  }
  std::unique_ptr<KeyVault> vault() const {
    return vault(key_file());
  }

  // Runs SQL on the store as its owner would (a hand edit of the rows, bypassing keel).
  void edit_rows(const std::string& sql) const {
#ifdef KEEL_TEST_POSTGRESQL
    if (GetParam() == "postgresql") {
      keel::testing::PgCluster::shared()->admin_exec(database_, sql);
      return;
    }
#endif
    const auto r = keel::testing::run_command("sqlite3 " + url_ + " \"" + sql + "\"");
    ASSERT_EQ(r.code, 0) << r.err;
  }

  std::vector<store::SecretRow> rows(const std::string& tenant) const {
    return open_store(url_)->secrets().list(tenant);
  }

  template <class F>
  static std::string error_of(F&& fn) {
    try {
      fn();
    } catch (const Error& e) {
      return e.what();
    }
    ADD_FAILURE() << "no error";
    return "";
  }

  // Sets three keys in two tenants.
  void seed(const KeyVault& v) const {
    v.put("acme", "polygon", "pk_acme_polygon_1", "ann");
    v.put("acme", "openai", "sk-acme-openai-2", "ann");
    v.put("globex", "polygon", "pk_globex_polygon_3", "bob");
  }
  void expect_seeded_readable(const KeyVault& v) const {
    EXPECT_EQ(v.get("acme", "polygon"), "pk_acme_polygon_1");
    EXPECT_EQ(v.get("acme", "openai"), "sk-acme-openai-2");
    EXPECT_EQ(v.get("globex", "polygon"), "pk_globex_polygon_3");
  }

  static inline int counter_ = 0;
  fs::path dir_;
  std::string url_;
  std::string database_;
};

INSTANTIATE_TEST_SUITE_P(Backends, KeyVaultContract, ::testing::ValuesIn(keel::testing::store_backends()),
                         [](const auto& info) { return info.param; });

TEST_P(KeyVaultContract, RoundTripAndNothingInClearAtRest) {
  auto v = vault();
  EXPECT_EQ(v->get("acme", "polygon"), std::nullopt);
  EXPECT_FALSE(fs::exists(key_file()));  // looking up creates no master key
  const SecretInfo set = v->put("acme", "polygon", "pk_live_secret_0042", "ann");
  EXPECT_FALSE(set.replaced);
  EXPECT_EQ(set.fingerprint.size(), 16u);
  EXPECT_EQ(set.updated_by, "ann");
  EXPECT_TRUE(fs::exists(key_file()));
  EXPECT_EQ(v->get("acme", "polygon"), "pk_live_secret_0042");
  EXPECT_EQ(vault()->get("acme", "polygon"), "pk_live_secret_0042");  // another vault object, same key file
  const SecretInfo again = v->put("acme", "polygon", "pk_live_secret_0043", "bob");
  EXPECT_TRUE(again.replaced);
  EXPECT_NE(again.fingerprint, set.fingerprint);
  EXPECT_EQ(again.created_at, set.created_at);
  EXPECT_EQ(v->get("acme", "polygon"), "pk_live_secret_0043");
  const auto r = rows("acme");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].updated_by, "bob");
  EXPECT_EQ(r[0].format, 1);
  for (const std::string& column : {r[0].nonce, r[0].ciphertext, r[0].master_key_id}) {
    EXPECT_EQ(column.find("pk_live"), std::string::npos);
  }
  // The SQLite file and its write-ahead log hold no byte of the value.
  if (GetParam() == "sqlite") {
    for (const char* suffix : {"", "-wal"}) {
      std::ifstream in(url_ + suffix, std::ios::binary);
      std::stringstream bytes;
      bytes << in.rdbuf();
      EXPECT_EQ(bytes.str().find("pk_live_secret"), std::string::npos) << suffix;
    }
  }
  EXPECT_TRUE(v->remove("acme", "polygon"));
  EXPECT_FALSE(v->remove("acme", "polygon"));
  EXPECT_EQ(v->get("acme", "polygon"), std::nullopt);
}

TEST_P(KeyVaultContract, OriginsAreStoredNormalizedKeptByARotationAndChangedByABind) {
  auto v = vault();
  v->put("acme", "openai", "sk-origin-test-0001", "ann", {"HTTPS://API.OpenAI.com:443/v1", "http://127.0.0.1:1234/v1"});
  const auto opened = v->open("acme", "openai");
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->origins, (std::vector<std::string>{"http://127.0.0.1:1234", "https://api.openai.com"}));
  // Sent only there: another origin is refused before the value leaves the vault.
  EXPECT_EQ(v->get_for("acme", "openai", "https://api.openai.com/v1/chat/completions")->value, "sk-origin-test-0001");
  try {
    v->get_for("acme", "openai", "https://api.openai.com.evil.example/v1");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kForbidden);
    EXPECT_EQ(std::string(e.what()).find("sk-origin-test"), std::string::npos);
  }
  EXPECT_THROW(v->put("acme", "openai", "x", "ann", {"ftp://example.com"}), Error);
  v->rotate_master({});
  EXPECT_EQ(vault()->open("acme", "openai")->origins,
            (std::vector<std::string>{"http://127.0.0.1:1234", "https://api.openai.com"}));
  const auto bound = v->bind("acme", "openai", {"https://openrouter.ai/api/v1"}, "root");
  ASSERT_TRUE(bound);
  EXPECT_EQ(bound->origins, std::vector<std::string>{"https://openrouter.ai"});
  EXPECT_EQ(vault()->get("acme", "openai"), "sk-origin-test-0001");  // the value stays
  EXPECT_EQ(v->bind("acme", "nothing", {"https://x.example"}, "root"), std::nullopt);
  // A vendor key without origins goes to its vendor only; another key without origins nowhere.
  v->put("acme", "polygon", "pk-origin-test", "ann");
  EXPECT_TRUE(v->get_for("acme", "polygon", "https://api.polygon.io/v2/aggs"));
  EXPECT_THROW(v->get_for("acme", "polygon", "http://127.0.0.1:9/v2/aggs"), Error);
  v->put("acme", "anthropic", "sk-ant-origin-test", "ann");
  EXPECT_THROW(v->get_for("acme", "anthropic", "https://api.anthropic.com/v1/messages"), Error);
}

TEST_P(KeyVaultContract, TenantsAreKeptApart) {
  auto v = vault();
  seed(*v);
  EXPECT_EQ(v->get("globex", "openai"), std::nullopt);
  EXPECT_EQ(v->get("initech", "polygon"), std::nullopt);
  const auto acme = v->list("acme");
  ASSERT_EQ(acme.size(), 2u);
  EXPECT_EQ(acme[0].name, "openai");
  EXPECT_EQ(acme[1].name, "polygon");
  const auto globex = v->list("globex");
  ASSERT_EQ(globex.size(), 1u);
  // The same name in two tenants: separate values, fingerprints that cannot be compared.
  EXPECT_NE(globex[0].fingerprint, acme[1].fingerprint);
  EXPECT_FALSE(v->remove("globex", "openai"));
  EXPECT_EQ(v->get("acme", "openai"), "sk-acme-openai-2");
  // The keel command's own keys ("") are the default tenant's.
  v->put("", "fred", "fred_key_4", "cli:ann");
  EXPECT_EQ(v->get("default", "fred"), "fred_key_4");
  EXPECT_EQ(v->get("acme", "fred"), std::nullopt);
  // The repository's cross-tenant questions answer names and ids only.
  auto s = open_store(url_);
  EXPECT_EQ(s->secrets().tenants(), (std::vector<std::string>{"acme", "default", "globex"}));
  EXPECT_EQ(s->secrets().master_key_ids().size(), 1u);
}

TEST_P(KeyVaultContract, ARowMovedToAnotherNameOrTenantIsRefused) {
  auto v = vault();
  seed(*v);
  edit_rows("UPDATE vault_keys SET tenant = 'initech' WHERE tenant = 'globex' AND name = 'polygon'");
  EXPECT_EQ(
      error_of([&] { v->get("initech", "polygon"); }),
      "key 'polygon' of tenant 'initech' cannot be opened: its ciphertext was altered, or the row was moved "
      "from another name or tenant (the MAC does not verify)");
  edit_rows("UPDATE vault_keys SET name = 'anthropic' WHERE tenant = 'acme' AND name = 'openai'");
  EXPECT_NE(error_of([&] { v->get("acme", "anthropic"); }).find("the MAC does not verify"),
            std::string::npos);
  // list() names the bad row and still lists the good one.
  const auto listed = v->list("acme");
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].name, "anthropic");
  EXPECT_EQ(listed[0].fingerprint, "");
  EXPECT_NE(listed[0].problem.find("the MAC does not verify"), std::string::npos);
  EXPECT_EQ(listed[1].problem, "");
  EXPECT_EQ(v->get("acme", "polygon"), "pk_acme_polygon_1");
}

TEST_P(KeyVaultContract, ATamperedCiphertextIsRefused) {
  auto v = vault();
  seed(*v);
  const auto before = rows("acme");
  // Another row's box under this row's name: a valid box, the wrong binding.
  edit_rows("UPDATE vault_keys SET ciphertext = '" + before[0].ciphertext + "', nonce = '" + before[0].nonce +
            "' WHERE tenant = 'acme' AND name = 'polygon'");
  EXPECT_NE(error_of([&] { v->get("acme", "polygon"); }).find("cannot be opened"), std::string::npos);
}

TEST_P(KeyVaultContract, AWrongMasterKeyIsRefusedWithAClearError) {
  seed(*vault());
  const std::string right_id = rows("acme")[0].master_key_id;
  // Another key file holding another key.
  const auto other = vault(key_file("other.key"));
  vault::make_file_source(key_file("other.key"))->create(vault::MasterKey::generate());
  const std::string m = error_of([&] { other->get("acme", "polygon"); });
  EXPECT_NE(
      m.find("the key vault's keys are sealed under master key " + right_id +
             ", which no master key source holds; key file " + key_file("other.key") + ": holds master key "),
      std::string::npos)
      << m;
  EXPECT_EQ(m.find("pk_acme"), std::string::npos);
  // Sealing a new value under the other key would split the vault: refused the same way.
  EXPECT_NE(
      error_of([&] { other->put("acme", "fred", "x", "ann"); }).find("which no master key source holds"),
      std::string::npos);
}

TEST_P(KeyVaultContract, RotationReSealsEveryKeyAndRetiresTheOldMasterKey) {
  auto v = vault();
  seed(*v);
  const auto old_key = vault::make_file_source(key_file())->load();
  ASSERT_TRUE(old_key);
  const auto fingerprints_before = v->list("acme");
  std::vector<RotationStage> stages;
  const RotateMasterResult out =
      v->rotate_master({.on_stage = [&](RotationStage s, std::size_t) { stages.push_back(s); }});
  EXPECT_EQ(out.keys, 3u);
  EXPECT_EQ(out.tenants, 2u);
  ASSERT_TRUE(out.from);
  EXPECT_EQ(out.from->key_id, old_key->id());
  EXPECT_NE(out.to.key_id, old_key->id());
  EXPECT_EQ(out.to.source, "file");
  EXPECT_FALSE(out.set_environment);
  EXPECT_EQ(stages, (std::vector<RotationStage>{RotationStage::kPendingSaved, RotationStage::kResealed,
                                                RotationStage::kCommitted, RotationStage::kPromoted}));
  // Every key readable, by this vault and by a fresh one that reads the key file again.
  expect_seeded_readable(*v);
  expect_seeded_readable(*vault());
  const auto new_key = vault::make_file_source(key_file())->load();
  EXPECT_EQ(new_key->id(), out.to.key_id);
  EXPECT_FALSE(fs::exists(key_file() + ".new"));
  // The old master key opens none of them any more.
  for (const auto& tenant : {"acme", "globex"}) {
    for (const auto& row : rows(tenant)) {
      EXPECT_EQ(row.master_key_id, new_key->id());
      const vault::SealedValue sealed{row.format, row.master_key_id, row.nonce, row.ciphertext};
      EXPECT_NE(error_of([&] {
                  vault::open(*old_key, tenant, row.name, sealed);
                }).find("was sealed under master key"),
                std::string::npos);
      vault::SealedValue forged = sealed;
      forged.key_id = old_key->id();
      EXPECT_NE(
          error_of([&] { vault::open(*old_key, tenant, row.name, forged); }).find("the MAC does not verify"),
          std::string::npos);
    }
  }
  // A rotation keeps who set a value and when; fingerprints follow the new master key.
  const auto after = v->list("acme");
  EXPECT_EQ(after[0].updated_at, fingerprints_before[0].updated_at);
  EXPECT_EQ(after[0].updated_by, "ann");
  EXPECT_NE(after[0].fingerprint, fingerprints_before[0].fingerprint);
}

// A rotation stopped at each step by an exception: every key stays readable by a new vault (a
// restarted process), and the next vault finishes or ignores what was left.
TEST_P(KeyVaultContract, ARotationStoppedAtAnyStepLosesNoKey) {
  for (RotationStage stop_at :
       {RotationStage::kPendingSaved, RotationStage::kResealed, RotationStage::kCommitted}) {
    SCOPED_TRACE(static_cast<int>(stop_at));
    auto v = vault();
    if (v->list("acme").empty()) seed(*v);
    const std::string before = vault::make_file_source(key_file())->load()->id();
    struct Crash {};
    EXPECT_THROW(v->rotate_master({.on_stage =
                                       [&](RotationStage s, std::size_t) {
                                         if (s == stop_at) throw Crash{};
                                       }}),
                 Crash);
    auto restarted = vault();
    expect_seeded_readable(*restarted);
    const std::string in_place = vault::make_file_source(key_file())->load()->id();
    const std::string named = rows("acme")[0].master_key_id;
    EXPECT_EQ(in_place, named);  // the key file now holds the key the rows name
    if (stop_at == RotationStage::kCommitted) {
      EXPECT_NE(named, before);  // re-sealed: the pending key was put in place by the restarted vault
      EXPECT_FALSE(fs::exists(key_file() + ".new"));
    } else {
      EXPECT_EQ(named, before);  // rolled back: the old key still rules
    }
    // And a rotation after the stopped one goes through.
    EXPECT_EQ(restarted->rotate_master({}).keys, 3u);
    expect_seeded_readable(*vault());
  }
}

// The same with a real crash: a child process rotates and dies in _exit at a step (no unwinding,
// no ROLLBACK, no rename); the parent then opens the store and the key file afresh.
TEST_P(KeyVaultContract, ARotationKilledAtAnyStepLosesNoKey) {
  if (GetParam() != "sqlite")
    GTEST_SKIP() << "the process-crash variant runs on SQLite (a forked child cannot share "
                    "the PostgreSQL connection pool)";
  seed(*vault());
  for (RotationStage stop_at : {RotationStage::kPendingSaved, RotationStage::kResealed,
                                RotationStage::kCommitted, RotationStage::kPromoted}) {
    SCOPED_TRACE(static_cast<int>(stop_at));
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      try {
        vault()->rotate_master({.on_stage = [&](RotationStage s, std::size_t) {
          if (s == stop_at) ::_exit(42);
        }});
      } catch (...) {
      }
      ::_exit(1);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 42);
    expect_seeded_readable(*vault());
    EXPECT_EQ(vault::make_file_source(key_file())->load()->id(), rows("acme")[0].master_key_id);
  }
}

TEST_P(KeyVaultContract, RotationToTheEnvironmentNeedsTheNewKeyAndSaysToSetIt) {
  // No source chosen (keyring unreachable, the key file, KEEL_MASTER_KEY unset), as a face builds it.
  auto v = vault(key_file(), std::nullopt);
  seed(*v);
  EXPECT_NE(
      error_of([&] { v->rotate_master({.to = vault::SourceKind::kEnvironment}); }).find("--new-key-stdin"),
      std::string::npos);
  const vault::MasterKey next = vault::MasterKey::generate();
  const RotateMasterResult out =
      v->rotate_master({.to = vault::SourceKind::kEnvironment, .new_key_text = next.to_text()});
  EXPECT_TRUE(out.set_environment);
  EXPECT_EQ(out.to.key_id, next.id());
  EXPECT_EQ(rows("acme")[0].master_key_id, next.id());
}

TEST_P(KeyVaultContract, NamesAndValuesAreChecked) {
  auto v = vault();
  auto detail = [](auto&& fn) {
    try {
      fn();
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
      return e.details().empty() ? std::string() : e.details()[0];
    }
    return std::string("no error");
  };
  EXPECT_EQ(detail([&] { v->put("acme", "", "x", "a"); }), "name: required");
  EXPECT_EQ(detail([&] { v->put("acme", "-x", "x", "a"); }),
            "name: expected letters, digits, '.', '_' and '-', starting with a letter or a digit");
  EXPECT_EQ(detail([&] { v->put("acme", "a/b", "x", "a"); }),
            "name: expected letters, digits, '.', '_' and '-', starting with a letter or a digit");
  EXPECT_EQ(detail([&] { v->put("acme", std::string(65, 'a'), "x", "a"); }), "name: at most 64 characters");
  EXPECT_EQ(detail([&] { v->put("acme", "openai", "", "a"); }), "value: required (an empty key)");
  EXPECT_EQ(detail([&] { v->put("acme", "openai", "sk-abc\nX-Evil: 1", "a"); }),
            "value: holds a control character (a line break or a tab?); API keys have none");
  EXPECT_EQ(detail([&] { v->put("acme", "openai", std::string(16385, 'k'), "a"); }),
            "value: at most 16384 bytes");
  EXPECT_TRUE(rows("acme").empty());
  EXPECT_FALSE(fs::exists(key_file()));
}

TEST_P(KeyVaultContract, TheKeysUseCasesGoThroughContextSecrets) {
  auto v = vault();
  Context cx{nullptr, system_env(), v.get()};
  cx.actor.user = "root";
  cx.actor.tenant = "acme";
  KeySetRequest req;
  req.name = "anthropic";
  req.value = "sk-ant-0001";
  const KeySetResult set = set_key(cx, req);
  EXPECT_EQ(set.name, "anthropic");
  EXPECT_EQ(set.updated_by, "root");
  EXPECT_FALSE(set.replaced);
  const KeyListResult listed = list_keys(cx);
  ASSERT_EQ(listed.items.size(), 1u);
  EXPECT_EQ(listed.items[0].fingerprint, set.fingerprint);
  EXPECT_EQ(spec::to_json(listed).dump().find("sk-ant"), std::string::npos);
  EXPECT_EQ(delete_key(cx, "anthropic").name, "anthropic");
  try {
    delete_key(cx, "anthropic");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  }
  // Without a vault in the Context: a usage error, not a crash.
  try {
    list_keys(Context{});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUsage);
  }
}

}  // namespace
}  // namespace keel::service
