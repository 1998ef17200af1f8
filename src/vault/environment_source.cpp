// The environment source of the master key (KEEL_MASTER_KEY), the options every face reads from the
// environment, and the names of the sources (keel/vault/master_key_source.h).
#include <sodium.h>

#include <cstdlib>

#include "keel/core/error.h"
#include "keel/vault/master_key_source.h"

namespace keel::vault {
namespace {

constexpr const char* kVariable = "KEEL_MASTER_KEY";

class EnvironmentSource final : public MasterKeySource {
 public:
  explicit EnvironmentSource(std::string text) : text_(std::move(text)) {}
  ~EnvironmentSource() override {
    if (!text_.empty()) sodium_memzero(text_.data(), text_.size());
  }

  SourceKind kind() const override { return SourceKind::kEnvironment; }
  std::string where() const override { return std::string("environment variable ") + kVariable; }
  std::string unavailable_reason() override {
    return text_.empty() ? std::string(kVariable) + " is not set" : std::string();
  }
  bool writable() const override { return false; }

  std::optional<MasterKey> load() override {
    if (text_.empty()) return std::nullopt;
    return parse_master_key(text_, kVariable);
  }
  std::optional<MasterKey> load_pending() override { return std::nullopt; }

  MasterKey create(const MasterKey&) override {
    if (auto k = load()) return std::move(*k);
    throw read_only();
  }
  void save_pending(const MasterKey&) override { throw read_only(); }
  void promote_pending() override { throw read_only(); }
  void discard_pending() override {}
  void erase() override {}

 private:
  static Error read_only() {
    return Error::usage(
        std::string("keel cannot store a master key in the environment: set ") + kVariable +
        " (32 random bytes as base64: head -c 32 /dev/urandom | base64) or let keel keep the key "
        "in the keyring or a key file (KEEL_MASTER_KEY_SOURCE=keyring or file)");
  }
  std::string text_;
};

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

}  // namespace

std::string_view source_name(SourceKind kind) {
  switch (kind) {
    case SourceKind::kKeyring:
      return "keyring";
    case SourceKind::kFile:
      return "file";
    case SourceKind::kEnvironment:
      return "env";
  }
  return "";
}

std::optional<SourceKind> parse_source_kind(std::string_view text) {
  for (SourceKind k : {SourceKind::kKeyring, SourceKind::kFile, SourceKind::kEnvironment}) {
    if (text == source_name(k)) return k;
  }
  return std::nullopt;
}

std::string default_key_file() {
  const std::string xdg = env("XDG_CONFIG_HOME");
  // The XDG base directory specification ignores a relative XDG_CONFIG_HOME.
  if (!xdg.empty() && xdg.front() == '/') return xdg + "/keel/master.key";
  const std::string home = env("HOME");
  if (!home.empty()) return home + "/.config/keel/master.key";
  return "keel-master.key";
}

MasterKeyOptions master_key_options_from_environment() {
  MasterKeyOptions o;
  const std::string source = env("KEEL_MASTER_KEY_SOURCE");
  if (!source.empty()) {
    o.source = parse_source_kind(source);
    if (!o.source) {
      throw Error::usage("KEEL_MASTER_KEY_SOURCE: expected keyring, file or env, found \"" + source + "\"");
    }
  }
  o.key_file = env("KEEL_MASTER_KEY_FILE");
  o.env_key = env(kVariable);
  return o;
}

std::unique_ptr<MasterKeySource> make_environment_source(std::string text) {
  return std::make_unique<EnvironmentSource>(std::move(text));
}

}  // namespace keel::vault
