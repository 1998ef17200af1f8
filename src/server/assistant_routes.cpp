// The assistant over HTTP (keel/service/assistant_providers.h, assistant_ask.h and
// assistant_conversations.h; docs/assistant.md):
//   POST   /api/v1/assistant/messages                  a question; the answer as server-sent events
//                                                      ({"stream": false}: one JSON document)
//   GET    /api/v1/assistant/conversations[/{id}]       the caller's transcripts
//   DELETE /api/v1/assistant/conversations/{id}
//   POST   /api/v1/assistant/conversations/{id}/calls/{call}/confirm   run or decline a pending write
//   GET    /api/v1/assistant/providers, POST /{name}/test   the tenant's providers (read)
//   GET    /api/v1/assistant/providers/{name}/models        the models a provider offers (read)
//   POST   /api/v1/assistant/providers, DELETE /{name}     add, change, remove them (admins: manage_keys)
//   GET    /api/v1/assistant/policy, PUT (admins)       the tenant's privacy policy
//   GET    /api/v1/assistant/tools                      the tools, their schemas, which the caller may run
// Providers are the tenant's: a provider decides where requests and the tenant's keys go, so only
// manage_keys changes them (the use case checks the role again); every user of the tenant uses
// them. Every other route needs only `read`: conversations are the user's own; the tools a
// conversation runs are limited to what the caller's role holds (a viewer's assistant reads,
// never computes), and a pending write needs manage_portfolios when confirmed. At most
// --assistant-streams conversations run at once (503 beyond).
#include <sodium.h>

#include <fmt/format.h>

#include "app.h"
#include "event_hub.h"
#include "http_intake.h"
#include "keel/server/http_status.h"
#include "keel/service/assistant_ask.h"
#include "keel/service/assistant_conversations.h"
#include "keel/service/assistant_providers.h"
#include "keel/service/assistant_tools.h"
#include "keel/service/assistant_user.h"
#include "resources.h"

namespace keel::server {
namespace {

using nlohmann::json;

service::AssistantUser assistant_user(const Principal& p) {
  service::AssistantUser u;
  u.tenant = p.tenant;
  u.username = p.username;
  u.role = std::string(service::role_name(p.role));
  const Role role = p.role;
  u.may = [role](service::ToolAccess a) {
    switch (a) {
      case service::ToolAccess::kRead:
        return role_allows(role, Permission::kRead);
      case service::ToolAccess::kCompute:
        return role_allows(role, Permission::kCompute);
      case service::ToolAccess::kWrite:
        return role_allows(role, Permission::kManagePortfolios);
    }
    return false;
  };
  return u;
}

// Errors of the provider (its answers, the transport, its stream) are the user's to read; other
// internal errors name only the request id, their cause goes to the log.
bool from_provider(const Error& e) {
  const std::string m = e.what();
  return m.rfind("provider ", 0) == 0 || m.rfind("OpenAI stream", 0) == 0 ||
         m.rfind("Anthropic stream", 0) == 0 || m.rfind("event stream", 0) == 0;
}

json error_body(const Error& e, const std::string& request_id) {
  json details = json::array();
  for (const auto& d : e.details()) details.push_back(d);
  const bool hide = e.code() == ErrorCode::kInternal && !from_provider(e);
  return {{"error",
           {{"code", error_code_name(e.code())},
            {"message", hide ? "internal error (request " + request_id + ")" : std::string(e.what())},
            {"details", details},
            {"request_id", request_id}}}};
}

std::string sse(std::string_view event, const json& data) {
  return "event: " + std::string(event) + "\ndata: " + dump_json(data) + "\n\n";
}

// The Context of a streamed conversation, which outlives its request: the request's actor on a
// store of the stream's own.
service::Context stream_context(const App& app, Store& store, const service::Actor& actor) {
  service::Context cx = app.service_context(store);
  cx.actor = actor;
  return cx;
}

void ask(Call& c) {
  service::AskRequest req;
  spec::read_json(c.json_body(), req, "assistant question");
  // What can be refused before anything is sent is refused with its status, not inside a stream.
  service::assistant_preflight(c.service(), assistant_user(c.principal()), req);
  auto slot = c.app.streams->reserve();
  if (!slot) {
    c.res.set_header("Retry-After", "5");
    c.send(503,
           {{"error",
             {{"code", "unavailable"},
              {"message",
               "the assistant is answering as many questions as it may (--assistant-streams): try again"},
              {"details", json::array()},
              {"request_id", c.request_id()}}}});
    return;
  }
  const Principal who = c.principal();
  const std::string request_id = c.request_id();
  App& app = c.app;
  if (!req.stream) {
    auto cx = c.service();
    try {
      const auto out = service::assistant_ask(cx, assistant_user(who), req, {},
                                              [&app] { return app.streams->stopping(); });
      c.send(200, spec::to_json(out));
    } catch (const Error& e) {
      if (e.code() == ErrorCode::kInternal && from_provider(e)) {
        // Said to the client as the provider's failure: 502-like, within the statuses keel uses.
        c.res.status = 500;
        c.res.set_content(dump_json(error_body(e, request_id)), "application/json");
        return;
      }
      throw;
    }
    return;
  }
  c.res.status = 200;
  c.res.set_header("X-Accel-Buffering", "no");
  EventStreamSpec stream;
  const service::Actor actor = c.service().actor;
  stream.produce = [&app, who, actor, request_id, req, slot](const std::shared_ptr<EventSink>& sink) {
    auto push = [&](std::string_view event, const json& data, bool last = false) {
      return sink->push(sse(event, data), last);
    };
    bool open = true;
    try {
      auto lease = app.stores.acquire();
      const service::Context cx = stream_context(app, *lease, actor);
      const auto out = service::assistant_ask(
          cx, assistant_user(who), req,
          [&](std::string_view event, const json& data) {
            if (open) open = push(event, data);
          },
          [&] { return !open || app.streams->stopping(); });
      push("answer", spec::to_json(out), true);
    } catch (const Error& e) {
      if (e.code() == ErrorCode::kInternal && !from_provider(e)) {
        app.log_line(
            {{"level", "error"}, {"request_id", request_id}, {"event", "assistant"}, {"error", e.what()}});
      }
      push("error", error_body(e, request_id), true);
    } catch (const std::exception& e) {
      app.log_line(
          {{"level", "error"}, {"request_id", request_id}, {"event", "assistant"}, {"error", e.what()}});
      push("error", error_body(Error::internal(e.what()), request_id), true);
    }
  };
  c.res.stream = std::move(stream);
}

struct ConversationDeleted {
  bool deleted = true;
  std::int64_t id = 0;
  static constexpr const char* kSchemaName = "AssistantConversationDeleted";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field({.name = "deleted"}, s.deleted);
    v.field({.name = "id"}, s.id);
  }
};

void list_conversations(Call& c) {
  const auto q = c.query_as<PageQuery>("conversation list parameters");
  const Page page = decode_page(q.limit, q.cursor);
  std::optional<std::int64_t> before;
  if (page.cursor) before = cursor_number(page, "c:");
  auto items = service::assistant_conversations(c.service(), c.tenant(), c.principal().username, before,
                                                page.limit + 1);
  service::ConversationListResult out;
  for (std::size_t i = 0; i < items.size() && i < page.limit; ++i) out.items.push_back(items[i]);
  if (items.size() > page.limit)
    out.next_cursor.emplace(encode_cursor(fmt::format("c:{}", items[page.limit - 1].id)));
  c.send(200, spec::to_json(out));
}

void show_conversation(Call& c) {
  c.send(200, spec::to_json(service::assistant_conversation(c.service(), c.tenant(), c.principal().username,
                                                            c.int_param("id"))));
}

void delete_conversation(Call& c) {
  const auto id = c.int_param("id");
  service::assistant_delete_conversation(c.service(), c.tenant(), c.principal().username, id);
  c.send(200, spec::to_json(ConversationDeleted{true, id}));
}

void confirm(Call& c) {
  service::ConfirmRequest req;
  spec::read_json(c.json_body(), req, "confirmation");
  req.conversation = c.int_param("id");
  req.call = c.param("call");
  c.send(200, spec::to_json(service::assistant_confirm(c.service(), assistant_user(c.principal()), req)));
}

void list_providers(Call& c) {
  c.send(200, spec::to_json(service::assistant_provider_list(c.service(), assistant_user(c.principal()))));
}

void add_provider(Call& c) {
  service::ProviderAddRequest req;
  spec::read_json(c.json_body(), req, "assistant provider");
  c.send(201, spec::to_json(service::assistant_provider_add(c.service(), req)));
}

void remove_provider(Call& c) {
  c.send(200, spec::to_json(
                  service::assistant_provider_remove(c.service(), assistant_user(c.principal()), c.param("name"))));
}

void test_provider(Call& c) {
  c.send(200, spec::to_json(service::assistant_provider_test(c.service(), assistant_user(c.principal()),
                                                             c.param("name"))));
}

void provider_models(Call& c) {
  c.send(200, spec::to_json(service::assistant_provider_models(c.service(), assistant_user(c.principal()),
                                                               c.param("name"))));
}

void get_policy(Call& c) {
  c.send(200, spec::to_json(service::assistant_policy(c.service(), c.tenant())));
}

void set_policy(Call& c) {
  service::AssistantPolicyRequest req;
  spec::read_json(c.json_body(), req, "assistant policy");
  c.send(200, spec::to_json(service::set_assistant_policy(c.service(), req)));
}

void list_tools(Call& c) {
  c.send(200, spec::to_json(service::assistant_tool_list(assistant_user(c.principal()))));
}

}  // namespace

void add_assistant_routes(App& app) {
  using namespace service;
  app.add_route(
      RouteSpec{"POST", "/api/v1/assistant/messages",
                "Ask the assistant {question, portfolio, provider, conversation, redact}: server-sent events "
                "(start, text, tool_call, tool_result, confirm, round, then answer or error); "
                "{\"stream\": false}: the answer as JSON",
                "assistant", Permission::kRead, ask, "json"}
          .takes<AskRequest>()
          .returns_media("text/event-stream")
          .returns<AskResult>());
  app.add_route(RouteSpec{"GET", "/api/v1/assistant/conversations",
                          "The caller's conversations, newest first", "assistant", Permission::kRead,
                          list_conversations}
                    .query<PageQuery>()
                    .returns<ConversationListResult>());
  app.add_route(
      RouteSpec{"GET", "/api/v1/assistant/conversations/{id}",
                "A conversation: every message in clear and as sent, every tool call's arguments and output, "
                "every exchange with a provider",
                "assistant", Permission::kRead, show_conversation}
          .returns<ConversationResult>());
  app.add_route(RouteSpec{"DELETE", "/api/v1/assistant/conversations/{id}", "Delete a conversation",
                          "assistant", Permission::kRead, delete_conversation}
                    .returns<ConversationDeleted>());
  app.add_compute_route(
      RouteSpec{"POST", "/api/v1/assistant/conversations/{id}/calls/{call}/confirm",
                "Run {approve: true} or decline a write the assistant proposed (needs the tool's "
                "permission: manage_portfolios to save a portfolio)",
                "assistant", Permission::kRead, confirm, "json"}
          .takes<ConfirmRequest>()
          .returns<ConfirmResult>());
  app.add_route(RouteSpec{"GET", "/api/v1/assistant/providers",
                          "The tenant's LLM providers (keys by name only)", "assistant", Permission::kRead,
                          list_providers}
                    .returns<ProviderListResult>());
  app.add_route(
      RouteSpec{"POST", "/api/v1/assistant/providers",
                "Add or replace a provider of the tenant {name, format, base_url, model, key, input_cost, "
                "output_cost, default}; the key is a vault key's name (admins)",
                "assistant", Permission::kManageKeys, add_provider, "json"}
          .takes<ProviderAddRequest>()
          .returns<ProviderResult>(201));
  app.add_route(RouteSpec{"DELETE", "/api/v1/assistant/providers/{name}", "Remove a provider of the tenant (admins)",
                          "assistant", Permission::kManageKeys, remove_provider}
                    .returns<ProviderDeleteResult>());
  app.add_route(RouteSpec{"POST", "/api/v1/assistant/providers/{name}/test",
                          "Send a one-word prompt: latency, tokens, cost, or the provider's error",
                          "assistant", Permission::kRead, test_provider}
                    .returns<ProviderTestResult>());
  app.add_route(RouteSpec{"GET", "/api/v1/assistant/providers/{name}/models",
                          "The models the provider offers (its /v1/models), the one it is set to use marked",
                          "assistant", Permission::kRead, provider_models}
                    .returns<ProviderModelsResult>());
  app.add_route(RouteSpec{"GET", "/api/v1/assistant/policy", "The tenant's assistant policy", "assistant",
                          Permission::kRead, get_policy}
                    .returns<AssistantPolicyResult>());
  app.add_route(RouteSpec{"PUT", "/api/v1/assistant/policy",
                          "Set the tenant's assistant policy {local_only, allowed_hosts, redaction} (admins)",
                          "assistant", kAssistantPolicySet.permission, set_policy, "json"}
                    .takes<AssistantPolicyRequest>()
                    .returns<AssistantPolicyResult>());
  app.add_route(
      RouteSpec{"GET", "/api/v1/assistant/tools",
                "The assistant's tools: JSON Schemas of their arguments (made from the same request "
                "descriptions as this document), access, and whether the caller may run them",
                "assistant", Permission::kRead, list_tools}
          .returns<ToolListResult>());
}

}  // namespace keel::server
