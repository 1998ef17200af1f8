// The OS keyring source of the master key (keel/vault/master_key_source.h): libsecret's password
// API against the freedesktop Secret Service on the session bus. Built without libsecret, the
// source exists and says so.
#include <sodium.h>

#include <cstring>
#include <string>

#include "keel/core/error.h"
#include "keel/vault/master_key_source.h"

#ifdef KEEL_WITH_LIBSECRET
#include <libsecret/secret.h>
#endif

namespace keel::vault {

#ifdef KEEL_WITH_LIBSECRET

bool keyring_built() {
  return true;
}

namespace {

constexpr const char* kLabel = "keel master key";

// The item's schema: one attribute, slot = current | pending. The schema name keeps keel's items
// apart from every other application's.
const SecretSchema* schema() {
  static const SecretSchema s = [] {
    SecretSchema x{};
    x.name = "org.keel.vault.MasterKey";
    x.flags = SECRET_SCHEMA_NONE;
    x.attributes[0].name = "slot";
    x.attributes[0].type = SECRET_SCHEMA_ATTRIBUTE_STRING;
    return x;
  }();
  return &s;
}

std::string message_of(GError* error) {
  std::string m = error && error->message ? error->message : "unknown error";
  if (error) g_error_free(error);
  return m;
}

class KeyringSource final : public MasterKeySource {
 public:
  SourceKind kind() const override { return SourceKind::kKeyring; }
  std::string where() const override { return "OS keyring (Secret Service item \"keel master key\")"; }
  bool writable() const override { return true; }

  std::string unavailable_reason() override {
    if (!probed_) {
      // A lookup is the cheapest question that needs a running Secret Service.
      GError* error = nullptr;
      gchar* found = secret_password_lookup_sync(schema(), nullptr, &error, "slot", "current",
                                                 static_cast<char*>(nullptr));
      if (found) secret_password_free(found);
      if (error) reason_ = "no Secret Service answered on the session bus: " + message_of(error);
      probed_ = true;
    }
    return reason_;
  }

  std::optional<MasterKey> load() override { return lookup("current"); }
  std::optional<MasterKey> load_pending() override { return lookup("pending"); }

  MasterKey create(const MasterKey& key) override {
    if (auto in_place = load()) return std::move(*in_place);
    store("current", key);
    auto in_place = load();
    if (!in_place) throw Error::internal("the OS keyring did not keep the new master key");
    return std::move(*in_place);
  }
  void save_pending(const MasterKey& key) override { store("pending", key); }
  void promote_pending() override {
    auto next = load_pending();
    if (!next) throw Error::internal("the OS keyring holds no pending master key to put in place");
    // Storing with the same attributes replaces the item: the current key changes in one step.
    store("current", *next);
    clear("pending");
  }
  void discard_pending() override { clear("pending"); }
  void erase() override { clear("current"); }

 private:
  void require() {
    if (const std::string why = unavailable_reason(); !why.empty()) throw Error::internal(why);
  }

  std::optional<MasterKey> lookup(const char* slot) {
    require();
    GError* error = nullptr;
    gchar* text =
        secret_password_lookup_sync(schema(), nullptr, &error, "slot", slot, static_cast<char*>(nullptr));
    if (error) {
      if (text) secret_password_free(text);
      throw Error::internal("cannot read the master key from the OS keyring: " + message_of(error));
    }
    if (!text) return std::nullopt;
    struct Free {
      gchar* p;
      ~Free() { secret_password_free(p); }  // wipes the text
    } free_text{text};
    return parse_master_key(text, std::string("OS keyring item \"") + kLabel + "\" (" + slot + ")");
  }

  void store(const char* slot, const MasterKey& key) {
    require();
    std::string text = key.to_text();
    GError* error = nullptr;
    const std::string label = std::string(kLabel) + (std::strcmp(slot, "current") == 0 ? "" : " (rotation)");
    const gboolean ok =
        secret_password_store_sync(schema(), SECRET_COLLECTION_DEFAULT, label.c_str(), text.c_str(), nullptr,
                                   &error, "slot", slot, static_cast<char*>(nullptr));
    sodium_memzero(text.data(), text.size());
    if (!ok || error)
      throw Error::internal("cannot store the master key in the OS keyring: " + message_of(error));
  }

  void clear(const char* slot) {
    require();
    GError* error = nullptr;
    secret_password_clear_sync(schema(), nullptr, &error, "slot", slot, static_cast<char*>(nullptr));
    if (error) throw Error::internal("cannot remove a master key from the OS keyring: " + message_of(error));
  }

  bool probed_ = false;
  std::string reason_;
};

}  // namespace

std::unique_ptr<MasterKeySource> make_keyring_source() {
  return std::make_unique<KeyringSource>();
}

#else  // built without libsecret

bool keyring_built() {
  return false;
}

namespace {

class NoKeyringSource final : public MasterKeySource {
 public:
  SourceKind kind() const override { return SourceKind::kKeyring; }
  std::string where() const override { return "OS keyring"; }
  std::string unavailable_reason() override {
    return "this keel was built without libsecret (install libsecret-1-dev and configure again)";
  }
  bool writable() const override { return false; }
  std::optional<MasterKey> load() override { return std::nullopt; }
  std::optional<MasterKey> load_pending() override { return std::nullopt; }
  MasterKey create(const MasterKey&) override { throw Error::usage(unavailable_reason()); }
  void save_pending(const MasterKey&) override { throw Error::usage(unavailable_reason()); }
  void promote_pending() override { throw Error::usage(unavailable_reason()); }
  void discard_pending() override {}
  void erase() override {}
};

}  // namespace

std::unique_ptr<MasterKeySource> make_keyring_source() {
  return std::make_unique<NoKeyringSource>();
}

#endif

}  // namespace keel::vault
