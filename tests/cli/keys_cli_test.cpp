// `keel keys ...` end to end: the real binary with its master key in a key file of a temporary
// $XDG_CONFIG_HOME (or in KEEL_MASTER_KEY), no value ever on the command line or in what keel
// prints or logs, an independent decryption of what it stored (PyNaCl, Debian's python3-nacl), the
// key reaching a provider through `keel fetch`, and — when Debian's gnome-keyring and dbus can be
// started — the OS keyring for real: a private D-Bus session (dbus-run-session) with a Secret
// Service (gnome-keyring-daemon) in a temporary home, read back with secret-tool.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "../marketdata/loopback_server.h"
#include "../support/cli_runner.h"

namespace keel::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kSecret = "pk_cli_secret_0099";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class KeysCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("keel_keys_cli_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string db() const { return (dir_ / "keel.db").string(); }
  fs::path key_file() const { return dir_ / "config" / "keel" / "master.key"; }

  // keel with a private configuration folder and store, no session bus (the keyring is then
  // unavailable, as on a server), no controlling terminal (setsid), and the NAME=VALUE words of
  // `env` added.
  CliResult keel(const std::string& args, const std::string& input = "", const std::string& env = "") {
    const std::string cmd =
        "env -u KEEL_MASTER_KEY -u KEEL_MASTER_KEY_SOURCE -u KEEL_MASTER_KEY_FILE "
        "-u KEEL_POLYGON_API_KEY "
        "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/keel-test-bus XDG_CONFIG_HOME=" +
        (dir_ / "config").string() + " " + env + " setsid -w " + KEEL_BIN + " --db " + db() + " " + args;
    CliResult r = run_command(cmd, input);
    everything_printed_ += r.out + r.err;
    return r;
  }

  fs::path dir_;
  std::string everything_printed_;
};

TEST_F(KeysCli, SetListDeleteWithTheKeyNeverInClear) {
  const auto set = keel("--format json keys set polygon --stdin", std::string(kSecret) + "\n");
  ASSERT_EQ(set.code, 0) << set.err;
  const json s = json::parse(set.out);
  EXPECT_EQ(s.at("name"), "polygon");
  EXPECT_EQ(s.at("replaced"), false);
  EXPECT_EQ(s.at("fingerprint").get<std::string>().size(), 16u);
  // The master key file was made on first use, 0600, in a 0700 folder.
  struct stat st {};
  ASSERT_EQ(::stat(key_file().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(key_file().parent_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);

  const auto list = keel("--format json keys list");
  ASSERT_EQ(list.code, 0) << list.err;
  const json l = json::parse(list.out);
  ASSERT_EQ(l.at("items").size(), 1u);
  EXPECT_EQ(l.at("items")[0].at("fingerprint"), s.at("fingerprint"));
  EXPECT_EQ(l.at("master_key").at("source"), "file");
  EXPECT_EQ(l.at("master_key").at("where"), "key file " + key_file().string());
  const auto table = keel("--format table keys list");
  EXPECT_NE(table.out.find("polygon"), std::string::npos) << table.out;
  const auto status = keel("--format json keys status");
  ASSERT_EQ(status.code, 0) << status.err;
  const json sj = json::parse(status.out);
  ASSERT_EQ(sj.at("sources").size(), 3u);
  EXPECT_EQ(sj.at("sources")[0].at("source"), "keyring");
  EXPECT_EQ(sj.at("sources")[0].at("usable"), false);
  EXPECT_EQ(sj.at("sources")[1].at("key_id"), l.at("master_key").at("key_id"));

  // No value from the command line: without --stdin keel prompts on the terminal, and there is none.
  const auto no_tty = keel("keys set fred");
  EXPECT_EQ(no_tty.code, 2) << no_tty.err;
  EXPECT_NE(no_tty.err.find("no terminal to prompt on"), std::string::npos) << no_tty.err;
  const auto bad_name = keel("keys set 'a b' --stdin", "x\n");
  EXPECT_EQ(bad_name.code, 1);
  EXPECT_NE(bad_name.err.find("name: expected letters"), std::string::npos) << bad_name.err;
  const auto bad_value = keel("keys set fred --stdin", "\n");
  EXPECT_EQ(bad_value.code, 1);

  // Replacing, then deleting; the audit log names the key only.
  const auto again = keel("--format json keys set polygon --stdin", std::string(kSecret) + "-2\n");
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(json::parse(again.out).at("replaced"), true);
  const std::string audit =
      sqlite_query(db(), "SELECT action || ' ' || resource || ' ' || details FROM audit_log");
  EXPECT_NE(audit.find("key.set key/polygon"), std::string::npos) << audit;
  const auto del = keel("keys delete polygon");
  EXPECT_EQ(del.code, 0) << del.err;
  EXPECT_EQ(keel("keys delete polygon").code, 3);
  const std::string audit2 = sqlite_query(db(), "SELECT action || ' ' || details FROM audit_log");
  EXPECT_NE(audit2.find("key.delete"), std::string::npos);

  // Not one byte of the value anywhere: what keel printed, the audit log, the store and its log.
  EXPECT_EQ(everything_printed_.find("pk_cli_secret"), std::string::npos);
  EXPECT_EQ(audit2.find("pk_cli_secret"), std::string::npos);
  for (const char* suffix : {"", "-wal"})
    EXPECT_EQ(slurp(db() + suffix).find("pk_cli_secret"), std::string::npos);
}

// The stored row decrypts with an independent implementation of the documented format
// (docs/security.md, "Keys"): hashlib's BLAKE2b and PyNaCl's XSalsa20-Poly1305.
TEST_F(KeysCli, AnIndependentImplementationOpensTheStoredRow) {
  if (run_command("/usr/bin/python3 -c 'import nacl.bindings'").code != 0) {
    GTEST_SKIP() << "python3-nacl is not installed (scripts/setup installs it)";
  }
  ASSERT_EQ(keel("keys set polygon --stdin --tenant acme", std::string(kSecret) + "\n").code, 0);
  const fs::path script = dir_ / "open_row.py";
  std::ofstream(script) << R"py(
import base64, hashlib, sqlite3, sys
import nacl.bindings as nb
db, key_file = sys.argv[1], sys.argv[2]
master = base64.b64decode(open(key_file).read().strip())
def kdf(i):
    return hashlib.blake2b(b"", digest_size=32, key=master, salt=i.to_bytes(8, "little") + bytes(8),
                           person=b"keelvlt1" + bytes(8)).digest()
def lp(s):
    return len(s).to_bytes(8, "little") + s
tenant, name, key_id, nonce, box = sqlite3.connect(db).execute(
    "SELECT tenant, name, master_key_id, nonce, ciphertext FROM vault_keys").fetchone()
assert key_id == hashlib.blake2b(b"keel vault master key id v1", key=master, digest_size=8).hexdigest()
k_row = hashlib.blake2b(b"keel sealed value v1" + lp(tenant.encode()) + lp(name.encode()), key=kdf(1),
                        digest_size=32).digest()
print(nb.crypto_secretbox_open(base64.b64decode(box), base64.b64decode(nonce), k_row).decode())
)py";
  const auto r = run_command("/usr/bin/python3 " + script.string() + " " + db() + " " + key_file().string());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, std::string(kSecret) + "\n");
}

TEST_F(KeysCli, AKeyFileOthersCanReadIsRefused) {
  ASSERT_EQ(keel("keys set polygon --stdin", "pk_1\n").code, 0);
  ::chmod(key_file().c_str(), 0644);
  const auto r = keel("keys list");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("has mode 0644, wider than 0600"), std::string::npos) << r.err;
  EXPECT_EQ(keel("keys list", "", "KEEL_MASTER_KEY_SOURCE=bogus").code, 2);
}

TEST_F(KeysCli, RotateMasterKeepsEveryKeyAndReplacesTheKeyFile) {
  ASSERT_EQ(keel("keys set polygon --stdin", "pk_1\n").code, 0);
  ASSERT_EQ(keel("keys set openai --stdin --tenant acme", "sk_2\n").code, 0);
  const std::string before = slurp(key_file());
  const auto r = keel("--format json keys rotate-master");
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j.at("keys"), 2);
  EXPECT_EQ(j.at("tenants"), 2);
  EXPECT_NE(j.at("from").at("key_id"), j.at("to").at("key_id"));
  EXPECT_NE(slurp(key_file()), before);
  EXPECT_FALSE(fs::exists(key_file().string() + ".new"));
  const auto list = keel("--format json keys list --tenant acme");
  ASSERT_EQ(list.code, 0) << list.err;
  EXPECT_FALSE(json::parse(list.out).at("items")[0].contains("problem"));
  EXPECT_NE(sqlite_query(db(), "SELECT action FROM audit_log").find("key.rotate_master"), std::string::npos);
}

TEST_F(KeysCli, TheMasterKeyFromTheEnvironment) {
  const std::string k1 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
  const std::string k2 = "HxwdGhsYGRYXFBUSExAREA8ODA0KCwgJBgcEBQIDAAE=";
  const std::string env1 = "KEEL_MASTER_KEY_SOURCE=env KEEL_MASTER_KEY=" + k1;
  ASSERT_EQ(keel("keys set polygon --stdin", "pk_env\n", env1).code, 0);
  EXPECT_FALSE(fs::exists(key_file()));
  const auto no_new = keel("keys rotate-master", "", env1);
  EXPECT_EQ(no_new.code, 2) << no_new.err;
  EXPECT_NE(no_new.err.find("--new-key-stdin"), std::string::npos);
  const auto r = keel("--format json keys rotate-master --new-key-stdin", k2 + "\n", env1);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out).at("set_environment"), true);
  // The old key no longer opens the vault, with an error that says which key it needs.
  const auto old = keel("keys list", "", env1);
  EXPECT_EQ(old.code, 4);
  EXPECT_NE(old.err.find("sealed under master key"), std::string::npos) << old.err;
  EXPECT_EQ(keel("keys list", "", "KEEL_MASTER_KEY_SOURCE=env KEEL_MASTER_KEY=" + k2).code, 0);
  EXPECT_EQ(everything_printed_.find(k2.substr(0, 20)), std::string::npos);
  EXPECT_EQ(everything_printed_.find(k1.substr(0, 20)), std::string::npos);
}

// `keel fetch` hands the provider the vault's key (tenant "default", the command's own).
TEST_F(KeysCli, FetchUsesTheVaultsKey) {
  LoopbackServer s;
  std::vector<std::string> seen;
  std::mutex m;
  s.on("/v2/aggs/ticker/AAPL/range/1/day/.*", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(m);
    seen.push_back(req.get_param_value("apiKey"));
    res.set_content(fixture("polygon_aggs_aapl_2017-11.json"), "application/json");
  });
  s.serve("/v3/reference/.*", "polygon_empty.json");
  // Stored without an origin, polygon's key goes to https://api.polygon.io only: the loopback
  // stand-in is refused, and the message says how to bind it.
  ASSERT_EQ(keel("keys set polygon --stdin", std::string(kSecret) + "\n").code, 0);
  const std::string fetch =
      "--format json fetch prices --provider polygon --symbols AAPL --from 2017-11-08 --to 2017-11-14 "
      "--no-cache --base-url " +
      s.url();
  const auto refused = keel(fetch);
  EXPECT_NE(refused.code, 0);
  EXPECT_NE(refused.err.find("keel keys bind polygon --origin " + s.url()), std::string::npos) << refused.err;
  EXPECT_TRUE(seen.empty());
  const auto bound = keel("--format json keys bind polygon --origin " + s.url());
  ASSERT_EQ(bound.code, 0) << bound.err;
  EXPECT_EQ(json::parse(bound.out).at("origins"), json::array({s.url()}));
  const auto listed = json::parse(keel("--format json keys list").out);
  EXPECT_EQ(listed.at("items")[0].at("origins"), json::array({s.url()}));
  const auto r = keel(fetch);
  ASSERT_EQ(r.code, 0) << r.err;
  std::lock_guard lock(m);
  ASSERT_FALSE(seen.empty());
  for (const auto& k : seen) EXPECT_EQ(k, kSecret);
  EXPECT_EQ(everything_printed_.find(kSecret), std::string::npos);
}

// The OS keyring for real: gnome-keyring's Secret Service on a private session bus.
TEST_F(KeysCli, TheOsKeyringThroughARealSecretService) {
  for (const char* tool : {"dbus-run-session", "gnome-keyring-daemon", "secret-tool"}) {
    if (run_command(std::string("command -v ") + tool).code != 0) {
      GTEST_SKIP() << tool
                   << " is not installed (scripts/setup installs dbus, gnome-keyring and libsecret-tools)";
    }
  }
  const fs::path home = dir_ / "home";
  fs::create_directories(home);
  const fs::path script = dir_ / "session.sh";
  std::ofstream(script) << "set -e\n"
                           "export HOME="
                        << home.string() << " XDG_DATA_HOME=" << (home / "data").string()
                        << " XDG_CONFIG_HOME=" << (home / "config").string()
                        << " XDG_RUNTIME_DIR=" << (home / "run").string()
                        << "\n"
                           "mkdir -p -m 700 \"$XDG_RUNTIME_DIR\"\n"
                           "unset KEEL_MASTER_KEY KEEL_MASTER_KEY_SOURCE KEEL_MASTER_KEY_FILE\n"
                           "eval \"$(printf 'login-password' | gnome-keyring-daemon --daemonize --unlock "
                           "--components=secrets)\"\n"
                           "# the daemon ends with the session bus when dbus-run-session returns\n"
                           "K=\"" KEEL_BIN " --db "
                        << db()
                        << " --format json\"\n"
                           "printf 'sk-keyring-secret-7\\n' | $K keys set openai --stdin > "
                        << (dir_ / "set.json").string()
                        << "\n"
                           "$K keys status > "
                        << (dir_ / "status.json").string()
                        << "\n"
                           "secret-tool lookup slot current > "
                        << (dir_ / "item1.txt").string()
                        << "\n"
                           "$K keys rotate-master > "
                        << (dir_ / "rotate.json").string()
                        << "\n"
                           "secret-tool lookup slot current > "
                        << (dir_ / "item2.txt").string()
                        << "\n"
                           "$K keys list > "
                        << (dir_ / "list.json").string()
                        << "\n"
                           "test ! -e \"$XDG_CONFIG_HOME/keel/master.key\"\n";
  const auto r = run_command("timeout 60 dbus-run-session -- sh " + script.string());
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  const json status = json::parse(slurp(dir_ / "status.json"));
  EXPECT_EQ(status.at("master_key").at("source"), "keyring");
  EXPECT_EQ(status.at("sources")[0].at("usable"), true);
  const std::string item1 = slurp(dir_ / "item1.txt");
  const std::string item2 = slurp(dir_ / "item2.txt");
  EXPECT_EQ(item1.size(), 44u) << item1;  // base64 of 32 bytes, as libsecret-tools reads it back
  EXPECT_NE(item1, item2);
  // The id keel reports is the keyed hash of what the keyring holds (Python's hashlib as the peer).
  const auto id = run_command(
      "/usr/bin/python3 -c 'import base64,hashlib,sys; "
      "print(hashlib.blake2b(b\"keel vault master key id v1\", "
      "key=base64.b64decode(sys.stdin.read()), digest_size=8).hexdigest())'",
      item1);
  EXPECT_EQ(id.out, status.at("master_key").at("key_id").get<std::string>() + "\n");
  const json rotated = json::parse(slurp(dir_ / "rotate.json"));
  EXPECT_EQ(rotated.at("keys"), 1);
  EXPECT_EQ(rotated.at("to").at("source"), "keyring");
  const json list = json::parse(slurp(dir_ / "list.json"));
  ASSERT_EQ(list.at("items").size(), 1u);
  EXPECT_FALSE(list.at("items")[0].contains("problem"));
  EXPECT_EQ(list.at("master_key").at("key_id"), rotated.at("to").at("key_id"));
}

}  // namespace
}  // namespace keel::testing
