// keel/vault/master_key_source.h: where the key vault's master key is kept, and the order keel looks.
//
// Three sources, tried in this order unless one is chosen (KEEL_MASTER_KEY_SOURCE):
//   keyring  the operating system's keyring through libsecret (the freedesktop Secret Service over
//            D-Bus: GNOME Keyring, KeePassXC, KWallet's bridge); an item labelled "keel master key"
//            with the attribute slot=current (slot=pending during a rotation). Usable when a
//            Secret Service answers on the session bus.
//   file     a key file outside the store, KEEL_MASTER_KEY_FILE, else
//            $XDG_CONFIG_HOME/keel/master.key, else ~/.config/keel/master.key: one line of base64,
//            mode 0600, owned by the user running keel. Created (with its folder, mode 0700) when
//            the first key is stored and no source holds a key; refused when its mode is wider than
//            0600 or another user owns it. A rotation writes the next key to "<file>.new" first.
//   env      the environment variable KEEL_MASTER_KEY (base64 or hex of 32 bytes); read-only.
// docs/security.md ("Keys") says which is used when and how to choose one.
//
// A source only stores and loads keys; which key opens the vault (the one whose id the stored rows
// carry) is decided by MasterKeyChain (master_key_chain.h).
//
// Thread-safety: a source is used by one thread at a time (MasterKeyChain locks). Ownership: the
// chain owns its sources.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keel/vault/master_key.h"

namespace keel::vault {

enum class SourceKind { kKeyring, kFile, kEnvironment };

// "keyring", "file", "env".
std::string_view source_name(SourceKind kind);
// The kind named by `text` (as source_name writes it), or nullopt.
std::optional<SourceKind> parse_source_kind(std::string_view text);

class MasterKeySource {
 public:
  virtual ~MasterKeySource() = default;
  virtual SourceKind kind() const = 0;
  // Where the key is, for messages ("key file /home/ann/.config/keel/master.key").
  virtual std::string where() const = 0;
  // Why the source cannot be used now ("no Secret Service on the session bus: ...", "KEEL_MASTER_KEY
  // is not set"), or "" when it can.
  virtual std::string unavailable_reason() = 0;
  // The key in place, or nullopt when the source holds none. Throws keel::Error when it holds one
  // that must not or cannot be used (a key file wider than 0600, text that is not a key).
  virtual std::optional<MasterKey> load() = 0;
  // The next key of a rotation that stopped before it was put in place, or nullopt.
  virtual std::optional<MasterKey> load_pending() = 0;
  // False for the environment, which keel cannot change.
  virtual bool writable() const = 0;
  // Puts `key` in place unless a key is there already, and returns the key in place (the one
  // written, or the one another process wrote first). Throws Error::usage for a read-only source.
  virtual MasterKey create(const MasterKey& key) = 0;
  // The rotation's steps (master_key_chain.h): keep `key` durably as the pending key; make the
  // pending key the key in place, in one atomic step; forget a pending key; remove the key in
  // place (after a rotation moved the vault to another source).
  virtual void save_pending(const MasterKey& key) = 0;
  virtual void promote_pending() = 0;
  virtual void discard_pending() = 0;
  virtual void erase() = 0;
};

struct MasterKeyOptions {
  // KEEL_MASTER_KEY_SOURCE: only this source; nullopt: keyring, file, env in that order.
  std::optional<SourceKind> source;
  std::string key_file;  // KEEL_MASTER_KEY_FILE; empty: default_key_file()
  std::string env_key;   // the text of KEEL_MASTER_KEY ("" when unset)
};

// The options above as the process environment gives them now. Throws keel::Error(usage) for a
// KEEL_MASTER_KEY_SOURCE that names no source. Reads the environment (std::getenv): call it while
// no thread changes it.
MasterKeyOptions master_key_options_from_environment();

// $XDG_CONFIG_HOME/keel/master.key, else $HOME/.config/keel/master.key (else ./keel-master.key
// when neither variable is set).
std::string default_key_file();

std::unique_ptr<MasterKeySource> make_keyring_source();
std::unique_ptr<MasterKeySource> make_file_source(std::string path);
std::unique_ptr<MasterKeySource> make_environment_source(std::string text);

// True when this keel was built with libsecret (the keyring source); false: that source always
// says so in unavailable_reason().
bool keyring_built();

}  // namespace keel::vault
