// The descriptions of the requests and results of keel/service/assistant_conversations.h (keel/service/spec.h),
// instantiated for every visitor (spec_define.h).
#include "keel/service/assistant_conversations.h"

#include "spec_define.h"

namespace keel::service {

template <class V, class S>
void ConversationSummary::fields(V& v, S& s) {
  v.field({.name = "id"}, s.id);
  v.field({.name = "title", .help = "The first question, cut"}, s.title);
  v.field({.name = "input_tokens"}, s.input_tokens);
  v.field({.name = "output_tokens"}, s.output_tokens);
  v.field({.name = "cost_usd", .unit = "USD"}, s.cost_usd);
  v.field({.name = "created_at", .help = "ISO-8601 UTC"}, s.created_at);
  v.field({.name = "updated_at", .help = "ISO-8601 UTC"}, s.updated_at);
}
KEEL_SPEC_FIELDS(ConversationSummary)

template <class V, class S>
void TranscriptMessage::fields(V& v, S& s) {
  v.field({.name = "ordinal"}, s.ordinal);
  v.field({.name = "role", .help = "user, assistant or tool"}, s.role);
  v.field(
      {.name = "content", .help = "In clear: the question, the answer, or the tool's output (JSON text)"},
      s.content);
  v.field({.name = "sent",
           .help = "What the provider received for it (redacted, cut to size); null: never sent"},
          s.sent);
  v.field(
      {.name = "tool_calls", .help = "The calls the model asked for (free-form: [{id, name, arguments}])"},
      s.tool_calls);
  v.field({.name = "call", .help = "Tool messages: T1, T2, ..."}, s.call);
  v.field({.name = "tool"}, s.tool);
  v.field({.name = "status", .help = "ok, error, denied, pending, confirmed or declined"}, s.status);
  v.field({.name = "extra", .help = "Free-form: a tool's arguments as run; an answer's citations"},
          s.extra);
  v.field({.name = "created_at", .help = "ISO-8601 UTC"}, s.created_at);
}
KEEL_SPEC_FIELDS(TranscriptMessage)

template <class V, class S>
void TranscriptExchange::fields(V& v, S& s) {
  v.field({.name = "ordinal"}, s.ordinal);
  v.field({.name = "provider"}, s.provider);
  v.field({.name = "format"}, s.format);
  v.field({.name = "host", .help = "Where the data went"}, s.host);
  v.field({.name = "model"}, s.model);
  v.field(
      {.name = "messages_sent", .help = "Messages 1..N of the transcript were sent (their \"sent\" text)"},
      s.messages_sent);
  v.field({.name = "bytes_sent", .unit = "bytes"}, s.bytes_sent);
  v.field({.name = "bytes_received", .unit = "bytes"}, s.bytes_received);
  v.field({.name = "input_tokens"}, s.input_tokens);
  v.field({.name = "output_tokens"}, s.output_tokens);
  v.field({.name = "estimated", .help = "The provider did not count tokens"}, s.estimated);
  v.field({.name = "cost_usd", .unit = "USD"}, s.cost_usd);
  v.field({.name = "attempts"}, s.attempts);
  v.field({.name = "status", .help = "ok or error"}, s.status);
  v.field({.name = "error"}, s.error);
  v.field({.name = "redacted"}, s.redacted);
  v.field({.name = "at", .help = "ISO-8601 UTC"}, s.at);
}
KEEL_SPEC_FIELDS(TranscriptExchange)

template <class V, class S>
void ConversationResult::fields(V& v, S& s) {
  v.field({.name = "conversation"}, s.conversation);
  v.field({.name = "messages", .help = "Every message in order, in clear and as sent"}, s.messages);
  v.field({.name = "exchanges", .help = "Every request to a provider: what left the machine, to where"},
          s.exchanges);
}
KEEL_SPEC_FIELDS(ConversationResult)

template <class V, class S>
void ConversationListResult::fields(V& v, S& s) {
  v.field({.name = "items"}, s.items);
  v.field({.name = "next_cursor", .help = "Opaque; null on the last page"}, s.next_cursor);
}
KEEL_SPEC_FIELDS(ConversationListResult)

}  // namespace keel::service
