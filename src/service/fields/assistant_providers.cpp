// The descriptions of the requests and results of keel/service/assistant_providers.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/assistant_providers.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void ProviderAddRequest::fields(V& v, S& s) {
  v.field({.name = "name",
           .help = "The provider's name in the tenant (letters, digits, . _ -)",
           .faces = spec::kHttp,
           .required = true,
           .nonblank = true},
          s.name);
  v.choice(
      {.name = "format",
       .help =
           "Wire format: openai (OpenAI, OpenRouter, LM Studio, Ollama, any chat-completions server) or "
           "anthropic (Messages API)",
       .cli_name = "api"},  // --format is the command's output format
      s.format, kProviderFormatNames);
  v.field(
      {.name = "base_url",
       .help =
           "https://api.openai.com/v1, https://openrouter.ai/api/v1, http://127.0.0.1:1234/v1 (LM Studio), "
           "http://127.0.0.1:11434/v1 (Ollama), https://api.anthropic.com",
       .required = true},
      s.base_url);
  v.field({.name = "model", .help = "The model as the provider names it", .required = true}, s.model);
  v.field({.name = "key",
           .help = "Name of the tenant's vault key sent with each request (keel keys set NAME); "
                   "absent for a server that needs none"},
          s.key);
  v.field({.name = "input_cost",
           .help = "Price of input tokens",
           .unit = "USD per million tokens",
           .min = 0,
           .max = 1e6},
          s.input_cost);
  v.field({.name = "output_cost",
           .help = "Price of output tokens",
           .unit = "USD per million tokens",
           .min = 0,
           .max = 1e6},
          s.output_cost);
  v.field({.name = "default", .help = "The tenant's provider when a question names none"}, s.make_default);
}
KEEL_SPEC_REQUEST_FIELDS(ProviderAddRequest)

template <class V, class S>
void ProviderResult::fields(V& v, S& s) {
  v.field({.name = "name"}, s.name);
  v.field({.name = "format", .help = "openai or anthropic"}, s.format);
  v.field({.name = "base_url"}, s.base_url);
  v.field({.name = "host", .help = "Where requests go"}, s.host);
  v.field({.name = "local", .help = "The host is this machine or a private network"}, s.local);
  v.field({.name = "model"}, s.model);
  v.field({.name = "key", .help = "The vault key sent (its name; null: none)"}, s.key);
  v.field({.name = "key_set", .help = "The tenant's vault holds that key"}, s.key_set);
  v.field({.name = "input_cost", .unit = "USD per million tokens"}, s.input_cost);
  v.field({.name = "output_cost", .unit = "USD per million tokens"}, s.output_cost);
  v.field({.name = "default"}, s.is_default);
  v.field({.name = "allowed", .help = "The tenant's assistant policy allows it"}, s.allowed);
  v.field({.name = "refused_because", .help = "Why the policy refuses it (null when allowed)"},
          s.refused_because);
  v.field({.name = "created_at", .help = "ISO-8601 UTC"}, s.created_at);
  v.field({.name = "updated_at", .help = "ISO-8601 UTC"}, s.updated_at);
}
KEEL_SPEC_FIELDS(ProviderResult)

template <class V, class S>
void ProviderListResult::fields(V& v, S& s) {
  v.field({.name = "items"}, s.items);
}
KEEL_SPEC_FIELDS(ProviderListResult)

template <class V, class S>
void ProviderDeleteResult::fields(V& v, S& s) {
  v.field({.name = "deleted"}, s.deleted);
  v.field({.name = "name"}, s.name);
}
KEEL_SPEC_FIELDS(ProviderDeleteResult)

template <class V, class S>
void ProviderTestResult::fields(V& v, S& s) {
  v.field({.name = "name"}, s.name);
  v.field({.name = "model", .help = "The model as the provider names it"}, s.model);
  v.field({.name = "ok"}, s.ok);
  v.field({.name = "latency_ms", .unit = "milliseconds"}, s.latency_ms);
  v.field({.name = "answer", .help = "The model's answer to a one-word prompt"}, s.answer);
  v.field({.name = "input_tokens"}, s.input_tokens);
  v.field({.name = "output_tokens"}, s.output_tokens);
  v.field({.name = "cost_usd", .unit = "USD"}, s.cost_usd);
  v.field({.name = "error", .help = "Why the test failed (null when ok)"}, s.error);
}
KEEL_SPEC_FIELDS(ProviderTestResult)

template <class V, class S>
void ProviderModel::fields(V& v, S& s) {
  v.field({.name = "id", .help = "The model as requests name it"}, s.id);
  v.field({.name = "display_name", .help = "The provider's display name (\"\": none given)"}, s.display_name);
  v.field({.name = "owned_by", .help = "The owner the provider names (OpenAI format; \"\": none)"}, s.owned_by);
  v.field({.name = "created_at", .help = "ISO-8601 UTC (\"\": not given)"}, s.created_at);
  v.field({.name = "current", .help = "The model the provider is set to use"}, s.current);
}
KEEL_SPEC_FIELDS(ProviderModel)

template <class V, class S>
void ProviderModelsResult::fields(V& v, S& s) {
  v.field({.name = "name"}, s.name);
  v.field({.name = "format", .help = "openai or anthropic"}, s.format);
  v.field({.name = "host", .help = "Where the request went"}, s.host);
  v.field({.name = "model", .help = "The model the provider is set to use"}, s.model);
  v.field({.name = "items", .help = "The models in the provider's order"}, s.items);
}
KEEL_SPEC_FIELDS(ProviderModelsResult)

template <class V, class S>
void AssistantPolicyResult::fields(V& v, S& s) {
  v.field({.name = "tenant"}, s.tenant);
  v.field({.name = "local_only", .help = "Only providers on this machine or a private network"},
          s.local_only);
  v.field({.name = "allowed_hosts", .help = "Hosts providers may be on (empty: any)"}, s.allowed_hosts);
  v.choice({.name = "redaction",
            .help = "off; on (questions are redacted unless they say otherwise); required (always)"},
           s.redaction, kRedactionNames);
  v.field({.name = "updated_at", .help = "ISO-8601 UTC (null: never set)"}, s.updated_at);
  v.field({.name = "updated_by"}, s.updated_by);
}
KEEL_SPEC_FIELDS(AssistantPolicyResult)

template <class V, class S>
void AssistantPolicyRequest::fields(V& v, S& s) {
  // The command line: --local-only / --any-location, --allow-host (repeat) / --any-host.
  v.field({.name = "local_only",
           .help = "Only providers on this machine or a private network (false: anywhere)",
           .cli_off = "any-location"},
          s.local_only);
  v.field({.name = "allowed_hosts",
           .help = "Hosts providers may be on, e.g. api.openai.com (empty: any); replaces the list",
           .cli_name = "allow-host",
           .cli_off = "any-host"},
          s.allowed_hosts);
  v.choice({.name = "redaction", .help = "Placeholders for symbols and amounts in what is sent (on: the default)"},
           s.redaction, kRedactionNames);
}
KEEL_SPEC_REQUEST_FIELDS(AssistantPolicyRequest)

}  // namespace keel::service
