// keel/vault/master_key_chain.h: which master key opens the vault, among the sources of
// master_key_source.h.
//
// Every sealed row carries the id of the master key that sealed it, so the chain never guesses:
//   - find(id): the first usable source (keyring, file, env, or only the one chosen) whose key in
//     place has that id; else whose pending key has it — a rotation that re-sealed every row but
//     stopped before putting its new key in place — which is then put in place, completing the
//     rotation. No source holding it: Error::internal naming the id sought and what each source
//     holds (ids only).
//   - current_or_create(): for a vault with no rows yet, the first source's key in place; when no
//     source holds one, a new random key stored in the first writable usable source (the keyring
//     when a Secret Service answers, else the key file).
//
// Thread-safety: one thread at a time (the key vault locks around it). Ownership: owns its sources.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keel/vault/master_key.h"
#include "keel/vault/master_key_source.h"

namespace keel::vault {

struct ResolvedKey {
  MasterKey key;
  MasterKeySource* source = nullptr;  // owned by the chain
};

// What a source holds, for `keel keys status`-like reports (ids, never keys).
struct SourceStatus {
  SourceKind kind = SourceKind::kFile;
  std::string where;
  std::string unavailable;            // why it cannot be used; "" when usable
  std::optional<std::string> key_id;  // the key in place
  std::optional<std::string> pending_id;
  std::string error;  // a key that is there but refused (e.g. a key file's mode)
};

class MasterKeyChain {
 public:
  // The keyring, file and environment sources of `options`, in that order.
  explicit MasterKeyChain(const MasterKeyOptions& options);
  // Any sources (tests), tried in the order given; `chosen` limits the chain to that kind.
  MasterKeyChain(std::vector<std::unique_ptr<MasterKeySource>> sources, std::optional<SourceKind> chosen);

  ResolvedKey find(std::string_view id);
  ResolvedKey current_or_create();
  // The first source's key in place (no key is created), or nullopt.
  std::optional<ResolvedKey> current();
  // The source of that kind. Throws Error::usage when the chain was limited to another kind.
  MasterKeySource& source(SourceKind kind);
  std::optional<SourceKind> chosen() const { return chosen_; }
  std::vector<SourceStatus> status();

 private:
  // The sources this chain may use (all, or the chosen one), usable ones only when `usable`.
  std::vector<MasterKeySource*> candidates();
  std::vector<std::unique_ptr<MasterKeySource>> sources_;
  std::optional<SourceKind> chosen_;
};

}  // namespace keel::vault
