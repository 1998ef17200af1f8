// Secrets' shared parts (keel/service/secrets.h): the destination check, key origins, and the
// management defaults of a read-only Secrets.
#include "keel/service/secrets.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "keel/core/error.h"
#include "keel/marketdata/provider.h"
#include "keel/net/outbound.h"
#include "keel/service/context.h"
#include "keel/store/audit_repository.h"
#include "keel/store/store.h"

namespace keel::service {
namespace {

Error read_only() {
  return Error::usage("these API keys are read-only here: keys are managed through the key vault");
}

constexpr std::size_t kMaxOrigins = 16;

}  // namespace

std::vector<std::string> default_key_origins(std::string_view name) {
  const std::string n(name);
  if (marketdata::api_key_name(n) == n && !n.empty()) {
    if (auto o = net::normalize_origin(marketdata::default_base_url(n))) return {*o};
  }
  return {};
}

std::vector<std::string> effective_key_origins(std::string_view name, const std::vector<std::string>& origins) {
  return origins.empty() ? default_key_origins(name) : origins;
}

std::vector<std::string> check_key_origins(const std::vector<std::string>& origins) {
  std::vector<std::string> problems;
  std::vector<std::string> out;
  if (origins.size() > kMaxOrigins) problems.push_back(fmt::format("origins: at most {}, got {}", kMaxOrigins, origins.size()));
  // Read as libcurl reads it (net::Url, through normalize_origin): an origin with user-info, a
  // backslash or anything else two parsers could read as different hosts is refused here, so a key
  // is never bound to a host other than the one libcurl would connect to.
  for (std::size_t i = 0; i < origins.size(); ++i) {
    std::string why;
    if (auto o = net::normalize_origin(origins[i], &why)) {
      out.push_back(*o);
    } else {
      problems.push_back(fmt::format("origins[{}]: {} (expected scheme://host[:port], http or https)", i, why));
    }
  }
  if (!problems.empty()) throw Error::invalid_input("invalid key origins", problems);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool audit_outbound_refusal(const Context& cx, const std::string& tenant, const std::string& resource,
                            const std::exception& e, const std::string& actor) noexcept {
  const std::string_view message = e.what();
  const bool destination = message.find(net::kOutboundRefused) != std::string_view::npos;
  const bool key = message.find(net::kKeyNotBound) != std::string_view::npos;
  if (!destination && !key) return false;
  if (cx.store == nullptr) return true;
  try {
    store::AuditEntry entry;
    entry.username = !actor.empty() ? actor : audit_user(cx.actor);
    entry.tenant = tenant.empty() ? "default" : tenant;
    entry.action = "outbound.refused";
    entry.resource = resource;
    entry.outcome = "denied";
    entry.details = nlohmann::json{{"reason", destination ? "destination" : "key_origin"},
                                   {"message", std::string(message.substr(0, 1000))}}
                        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    cx.store->audit().append(entry);
  } catch (...) {
    // The refusal stands; the caller reports it.
  }
  return true;
}

std::optional<std::string> Secrets::get(std::string_view tenant, std::string_view name) const {
  auto s = open(tenant, name);
  if (!s) return std::nullopt;
  return std::move(s->value);
}

std::optional<BoundSecret> Secrets::get_for(std::string_view tenant, std::string_view name,
                                            std::string_view url) const {
  auto s = open(tenant, name);
  if (!s) return std::nullopt;
  s->origins = effective_key_origins(name, s->origins);
  if (!net::origin_allowed(s->origins, url)) {
    std::fill(s->value.begin(), s->value.end(), '\0');
    throw net::key_not_bound(name, url, s->origins);
  }
  return s;
}

SecretInfo Secrets::put(std::string_view, std::string_view, std::string_view, std::string_view,
                        const std::vector<std::string>&) const {
  throw read_only();
}

std::optional<SecretInfo> Secrets::bind(std::string_view, std::string_view, const std::vector<std::string>&,
                                        std::string_view) const {
  throw read_only();
}

std::vector<SecretInfo> Secrets::list(std::string_view) const {
  throw read_only();
}

bool Secrets::remove(std::string_view, std::string_view) const {
  throw read_only();
}

}  // namespace keel::service
