// The descriptions of the requests and results of keel/service/assistant_ask.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/assistant_ask.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void AskRequest::fields(V& v, S& s) {
  v.field({.name = "question", .help = "The question, in words", .required = true, .cli_positional = true},
          s.question);
  v.field({.name = "portfolio", .help = "The portfolio the question is about", .cli_short = "-p"},
          s.portfolio);
  v.field({.name = "provider", .help = "One of your providers (default: your default provider)"},
          s.provider);
  v.field({.name = "conversation", .help = "Continue this conversation (its id)", .min = 1},
          s.conversation);
  v.field(
      {.name = "redact",
       .help = "Replace symbols and amounts by placeholders in what is sent (default: the tenant's policy; "
               "false sends them unless the policy requires redaction)"},
      s.redact);
  v.field({.name = "max_rounds",
           .help = "Most rounds of tool calls before the model must answer",
           .min = 1,
           .max = 20},
          s.max_rounds);
  v.field({.name = "stream",
           .help = "Answer as server-sent events (false: one JSON document at the end)",
           .faces = spec::kHttp},
          s.stream);
}
KEEL_SPEC_REQUEST_FIELDS(AskRequest)

template <class V, class S>
void Citation::fields(V& v, S& s) {
  v.field({.name = "figure", .help = "The number as the answer writes it"}, s.figure);
  v.field({.name = "value"}, s.value);
  v.field({.name = "call", .help = "The tool call whose output holds it (T1, T2, ...)"}, s.call);
  v.field({.name = "tool"}, s.tool);
  v.field({.name = "path", .help = "JSON pointer of the value in the call's output"}, s.path);
  v.field({.name = "cited", .help = "The answer named this call after the figure"}, s.cited);
}
KEEL_SPEC_FIELDS(Citation)

template <class V, class S>
void UnverifiedFigure::fields(V& v, S& s) {
  v.field({.name = "figure"}, s.figure);
  v.field({.name = "reason"}, s.reason);
}
KEEL_SPEC_FIELDS(UnverifiedFigure)

template <class V, class S>
void ToolCallResult::fields(V& v, S& s) {
  v.field({.name = "call", .help = "T1, T2, ... in the conversation"}, s.call);
  v.field({.name = "tool"}, s.tool);
  v.field({.name = "arguments", .help = "The arguments as run (free-form: the tool's request)"},
          s.arguments);
  v.field({.name = "status",
           .help = "ok, error, denied (the user lacks the permission), or pending (a write "
                   "awaiting the user's confirmation)"},
          s.status);
  v.field({.name = "error"}, s.error);
  v.field(
      {.name = "output", .help = "The tool's result (free-form: the use case's result; null unless ok)"},
      s.output);
}
KEEL_SPEC_FIELDS(ToolCallResult)

template <class V, class S>
void AskUsage::fields(V& v, S& s) {
  v.field({.name = "input_tokens"}, s.input_tokens);
  v.field({.name = "output_tokens"}, s.output_tokens);
  v.field({.name = "estimated", .help = "The provider did not count tokens: 4 bytes a token"}, s.estimated);
  v.field({.name = "cost_usd", .unit = "USD"}, s.cost_usd);
  v.field({.name = "exchanges", .help = "Requests to the provider"}, s.exchanges);
}
KEEL_SPEC_FIELDS(AskUsage)

template <class V, class S>
void AskResult::fields(V& v, S& s) {
  v.field({.name = "conversation", .help = "The conversation's id (continue it with \"conversation\")"},
          s.conversation);
  v.field({.name = "provider"}, s.provider);
  v.field({.name = "model"}, s.model);
  v.field({.name = "host", .help = "Where the conversation was sent"}, s.host);
  v.field(
      {.name = "redacted", .help = "Symbols and amounts were replaced by placeholders in what was sent"},
      s.redacted);
  v.field({.name = "answer", .help = "The answer, figures followed by [Tn], the call that produced them"},
          s.answer);
  v.field({.name = "citations", .help = "Each figure of the answer found in a tool call's output"},
          s.citations);
  v.field({.name = "unverified", .help = "Figures of the answer no tool output holds"}, s.unverified);
  v.field({.name = "tool_calls", .help = "The tool calls of this question, in order"}, s.tool_calls);
  v.field({.name = "usage", .help = "Tokens and cost of this question"}, s.usage);
}
KEEL_SPEC_FIELDS(AskResult)

template <class V, class S>
void ConfirmRequest::fields(V& v, S& s) {
  v.field({.name = "approve", .help = "true runs the pending call; false declines it"}, s.approve);
}
KEEL_SPEC_REQUEST_FIELDS(ConfirmRequest)

template <class V, class S>
void ConfirmResult::fields(V& v, S& s) {
  v.field({.name = "conversation"}, s.conversation);
  v.field({.name = "call", .help = "The call after the decision (status confirmed or declined)"}, s.call);
}
KEEL_SPEC_FIELDS(ConfirmResult)

}  // namespace keel::service
