// Choosing the master key among its sources (keel/vault/master_key_chain.h).
#include "keel/vault/master_key_chain.h"

#include "keel/core/error.h"

namespace keel::vault {

MasterKeyChain::MasterKeyChain(const MasterKeyOptions& options) : chosen_(options.source) {
  sources_.push_back(make_keyring_source());
  sources_.push_back(make_file_source(options.key_file.empty() ? default_key_file() : options.key_file));
  sources_.push_back(make_environment_source(options.env_key));
}

MasterKeyChain::MasterKeyChain(std::vector<std::unique_ptr<MasterKeySource>> sources,
                               std::optional<SourceKind> chosen)
    : sources_(std::move(sources)), chosen_(chosen) {}

std::vector<MasterKeySource*> MasterKeyChain::candidates() {
  std::vector<MasterKeySource*> out;
  for (auto& s : sources_) {
    if (chosen_ && s->kind() != *chosen_) continue;
    out.push_back(s.get());
  }
  if (chosen_ && out.empty()) {
    throw Error::usage("KEEL_MASTER_KEY_SOURCE=" + std::string(source_name(*chosen_)) +
                       ": no such source here");
  }
  // A chosen source must be usable: say why it is not rather than falling back.
  if (chosen_) {
    if (const std::string why = out.front()->unavailable_reason(); !why.empty()) {
      throw Error::internal("the master key source chosen by KEEL_MASTER_KEY_SOURCE (" +
                            std::string(source_name(*chosen_)) + ") cannot be used: " + why);
    }
  }
  return out;
}

MasterKeySource& MasterKeyChain::source(SourceKind kind) {
  if (chosen_ && kind != *chosen_) {
    throw Error::usage("KEEL_MASTER_KEY_SOURCE limits keel to the " + std::string(source_name(*chosen_)) +
                       " source; unset it to use the " + std::string(source_name(kind)) + " source");
  }
  for (auto& s : sources_) {
    if (s->kind() == kind) return *s;
  }
  throw Error::usage("no master key source of kind " + std::string(source_name(kind)));
}

ResolvedKey MasterKeyChain::find(std::string_view id) {
  std::string held;
  for (MasterKeySource* s : candidates()) {
    const std::string why = s->unavailable_reason();
    if (!why.empty()) {
      held += "; " + s->where() + ": not used (" + why + ")";
      continue;
    }
    auto key = s->load();
    if (key && key->id() == id) return {std::move(*key), s};
    auto pending = s->load_pending();
    if (pending && pending->id() == id) {
      // The rows were re-sealed under this key and the rotation stopped before putting it in
      // place: finish it now, so the next run finds it as the key in place.
      s->promote_pending();
      return {std::move(*pending), s};
    }
    held += "; " + s->where() + ": " + (key ? "holds master key " + key->id() : std::string("holds no key"));
  }
  throw Error::internal(
      "the key vault's keys are sealed under master key " + std::string(id) +
      ", which no master key source holds" + held +
      ". Make that key available (KEEL_MASTER_KEY_SOURCE, KEEL_MASTER_KEY_FILE or KEEL_MASTER_KEY; "
      "docs/security.md, \"Keys\")");
}

std::optional<ResolvedKey> MasterKeyChain::current() {
  for (MasterKeySource* s : candidates()) {
    if (!s->unavailable_reason().empty()) continue;
    if (auto key = s->load()) return ResolvedKey{std::move(*key), s};
  }
  return std::nullopt;
}

ResolvedKey MasterKeyChain::current_or_create() {
  if (auto in_place = current()) return std::move(*in_place);
  std::string why_not;
  for (MasterKeySource* s : candidates()) {
    const std::string why = s->unavailable_reason();
    if (!why.empty() || !s->writable()) {
      why_not += "; " + s->where() + ": " + (why.empty() ? "read-only" : why);
      continue;
    }
    MasterKey key = s->create(MasterKey::generate());
    return {std::move(key), s};
  }
  throw Error::internal("no master key source can hold a new master key" + why_not);
}

std::vector<SourceStatus> MasterKeyChain::status() {
  std::vector<SourceStatus> out;
  for (auto& s : sources_) {
    if (chosen_ && s->kind() != *chosen_) continue;
    SourceStatus st;
    st.kind = s->kind();
    st.where = s->where();
    st.unavailable = s->unavailable_reason();
    if (st.unavailable.empty()) {
      try {
        if (auto k = s->load()) st.key_id = k->id();
        if (auto p = s->load_pending()) st.pending_id = p->id();
      } catch (const Error& e) {
        st.error = e.what();
      }
    }
    out.push_back(std::move(st));
  }
  return out;
}

}  // namespace keel::vault
