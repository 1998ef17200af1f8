// `keel ask QUESTION` and `keel assistant provider|policy|conversations|show|confirm|tools`: the
// assistant (keel/service/assistant_*.h, docs/assistant.md) from the command line, on the same
// store, vault, providers and transcripts as keel serve. The command's user is cli:$USER in the
// tenant the command acts in (the operator's default one, or --as USER's) unless --user / --tenant
// name another; providers are the tenant's, and the command
// manages them as an admin (it owns the store); the command line may run every tool.
#include <fmt/format.h>

#include <cstdlib>
#include <iostream>
#include <memory>

#include "context.h"
#include "keel/core/error.h"
#include "keel/service/assistant_ask.h"
#include "keel/service/assistant_conversations.h"
#include "keel/service/assistant_providers.h"
#include "keel/service/assistant_tools.h"
#include "keel/service/assistant_user.h"
#include "spec_cli.h"
#include "text_table.h"

namespace keel::cli {
namespace {

using nlohmann::json;

std::string default_user() {
  const char* who = std::getenv("USER");
  return std::string("cli:") + (who ? who : "unknown");
}

struct Who {
  std::string user = default_user();
  std::string tenant;  // empty: the tenant the command acts in
};

// `tenant`, or the tenant the command acts in (the operator's default one, or --as USER's).
std::string tenant_or_actor(Context& ctx, const std::string& tenant) {
  return tenant.empty() ? ctx.service().actor.tenant : tenant;
}

void add_who(CLI::App* cmd, Who& who) {
  cmd->add_option("--user", who.user, "Whose providers and conversations (default: cli:$USER)");
  cmd->add_option("--tenant", who.tenant, "The user's tenant (default: the command's own)");
}

// The command's operator owns the store and its key vault (as for keel keys set): it manages the
// tenants' providers as an admin does.
constexpr const char* kOperatorRole = "admin";

// The command's Context acting as `who` in its tenant, with the operator's (an admin's) role.
service::Context acting_as(Context& ctx, const Who& who) {
  service::Context cx = ctx.service();
  cx.actor.user = who.user;
  cx.actor.tenant = tenant_or_actor(ctx, who.tenant);
  cx.actor.role = Role::kAdmin;
  return cx;
}

service::AssistantUser cli_user(Context& ctx, const Who& who) {
  service::AssistantUser u;
  u.tenant = tenant_or_actor(ctx, who.tenant);
  u.username = who.user;
  u.role = "command line";
  return u;
}

std::string money(double usd) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "$%.4f", usd);
  return buf;
}

TextTable provider_table(const std::vector<service::ProviderResult>& items) {
  TextTable t;
  t.column("name", TextTable::Align::kLeft)
      .column("format", TextTable::Align::kLeft)
      .column("host", TextTable::Align::kLeft)
      .column("model", TextTable::Align::kLeft)
      .column("key", TextTable::Align::kLeft)
      .column("$/M in")
      .column("$/M out")
      .column("", TextTable::Align::kLeft);
  for (const auto& p : items) {
    std::string key = p.key ? *p.key + (p.key_set ? "" : " (not in the vault)") : "-";
    std::string note = p.is_default ? "default" : "";
    if (!p.allowed)
      note += (note.empty() ? "" : "; ") + std::string("refused: ") + p.refused_because.value_or("");
    t.row({p.name, p.format, p.host + (p.local ? " (local)" : ""), p.model, key, fmt_number(p.input_cost, 2),
           fmt_number(p.output_cost, 2), note});
  }
  return t;
}

// The sources of an answer: each tool call, and which figures came from it.
TextTable sources_table(const service::AskResult& r) {
  TextTable t("Sources");
  t.column("call", TextTable::Align::kLeft)
      .column("tool", TextTable::Align::kLeft)
      .column("arguments", TextTable::Align::kLeft)
      .column("status", TextTable::Align::kLeft)
      .column("figures", TextTable::Align::kLeft);
  for (const auto& c : r.tool_calls) {
    std::string figures;
    for (const auto& f : r.citations) {
      if (f.call == c.call) figures += (figures.empty() ? "" : ", ") + f.figure + " (" + f.path + ")";
    }
    std::string args = c.arguments.dump();
    if (args.size() > 60) args = args.substr(0, 57) + "...";
    t.row({c.call, c.tool, args, c.status + (c.error && c.status != "ok" ? ": " + *c.error : ""), figures});
  }
  for (const auto& u : r.unverified) t.footer("unverified: " + u.figure + " (" + u.reason + ")");
  for (const auto& c : r.tool_calls) {
    if (c.status == "pending") {
      t.footer(fmt::format("{} {} waits for your confirmation: keel assistant confirm {} {}", c.call, c.tool,
                           r.conversation, c.call));
    }
  }
  t.footer(fmt::format("conversation {} with {} ({} at {}{}): {} tokens in, {} out{}, {}", r.conversation,
                       r.provider, r.model, r.host, r.redacted ? ", redacted" : "", r.usage.input_tokens,
                       r.usage.output_tokens, r.usage.estimated ? " (estimated)" : "",
                       money(r.usage.cost_usd)));
  return t;
}

}  // namespace

void add_assistant_commands(CLI::App& app, Context& ctx) {
  // ---- keel ask ------------------------------------------------------------------------------
  {
    struct Flags {
      service::AskRequest req;
      Who who;
    };
    auto f = std::make_shared<Flags>();
    auto* ask = app.add_subcommand(
        "ask", "Ask the assistant; it answers from keel's own figures (docs/assistant.md)");
    spec_options(ask, f->req);
    add_who(ask, f->who);
    ask->callback([&ctx, f] {
      const bool stream = ctx.format() == Format::kTable;
      bool wrote = false;
      const auto out = service::assistant_ask(
          ctx.service(), cli_user(ctx, f->who), f->req, [&](std::string_view event, const json& data) {
            if (!stream) return;
            if (event == "text") {
              std::cout << data.value("delta", "") << std::flush;
              wrote = true;
            } else if (event == "tool_call" && !ctx.quiet) {
              std::cerr << "[" << data.value("call", "") << "] " << data.value("tool", "") << " "
                        << data.value("arguments", json::object()).dump() << "\n";
            }
          });
      if (stream) {
        if (wrote) std::cout << "\n\n";
        std::cout << sources_table(out).render() << std::flush;
      } else {
        ctx.emit(spec::to_json(out), {sources_table(out)});
      }
    });
  }

  auto* group = app.add_subcommand("assistant",
                                   "The assistant's providers, policy and conversations (docs/assistant.md)");
  group->require_subcommand(1);

  // ---- providers ------------------------------------------------------------------------------
  auto* providers =
      group->add_subcommand("provider", "The tenant's LLM providers: add, list, remove, test (every user uses them)");
  providers->require_subcommand(1);
  {
    struct Flags {
      service::ProviderAddRequest req;
      Who who;
    };
    auto f = std::make_shared<Flags>();
    auto* add =
        providers->add_subcommand("add", "Add or replace a provider (OpenAI-compatible or Anthropic)");
    add->add_option("name", f->req.name, "Its name in the tenant: openai, lmstudio, claude ...")->required();
    spec_options(add, f->req);
    add_who(add, f->who);
    add->callback([&ctx, f] {
      const auto out = service::assistant_provider_add(acting_as(ctx, f->who), f->req);
      auto t = provider_table({out});
      if (out.key && !out.key_set) t.footer("store the key with: keel keys set " + *out.key);
      ctx.emit(spec::to_json(out), {t});
    });
  }
  {
    auto who = std::make_shared<Who>();
    auto* list = providers->add_subcommand("list", "The tenant's providers (keys by name only)");
    add_who(list, *who);
    list->callback([&ctx, who] {
      const auto out = service::assistant_provider_list(ctx.service(), cli_user(ctx, *who));
      auto t = provider_table(out.items);
      if (out.items.empty())
        t.footer("no providers yet: keel assistant provider add NAME --base-url URL --model MODEL");
      ctx.emit(spec::to_json(out), {t});
    });
  }
  {
    struct Flags {
      std::string name;
      Who who;
    };
    auto f = std::make_shared<Flags>();
    auto* rm = providers->add_subcommand("remove", "Remove a provider");
    rm->add_option("name", f->name, "Its name")->required();
    add_who(rm, f->who);
    rm->callback([&ctx, f] {
      service::AssistantUser operator_user = cli_user(ctx, f->who);
      operator_user.role = kOperatorRole;
      const auto out = service::assistant_provider_remove(ctx.service(), operator_user, f->name);
      ctx.emit(spec::to_json(out), {TextTable("Removed provider " + out.name)});
    });
    auto g = std::make_shared<Flags>();
    auto* test = providers->add_subcommand("test", "Send a one-word prompt: latency, tokens, cost");
    test->add_option("name", g->name, "Its name")->required();
    add_who(test, g->who);
    test->callback([&ctx, g] {
      const auto out = service::assistant_provider_test(ctx.service(), cli_user(ctx, g->who), g->name);
      TextTable t(out.ok ? "Provider " + out.name + " answers" : "Provider " + out.name + " failed");
      t.column("field", TextTable::Align::kLeft).column("value", TextTable::Align::kLeft);
      t.row({"model", out.model}).row({"latency", fmt_number(out.latency_ms, 0) + " ms"});
      if (out.ok) {
        t.row({"answer", out.answer})
            .row({"tokens", fmt::format("{} in, {} out", out.input_tokens, out.output_tokens)})
            .row({"cost", money(out.cost_usd)});
      } else {
        t.row({"error", out.error.value_or("")});
      }
      ctx.emit(spec::to_json(out), {t});
      if (!out.ok)
        throw Error::internal("provider " + out.name + " failed its test: " + out.error.value_or(""));
    });
  }

  {
    struct Flags {
      std::string name;
      Who who;
    };
    auto f = std::make_shared<Flags>();
    auto* models = group->add_subcommand("models", "The models a provider offers (its /v1/models)");
    models->add_option("provider", f->name, "The provider's name")->required();
    add_who(models, f->who);
    models->callback([&ctx, f] {
      const auto out = service::assistant_provider_models(ctx.service(), cli_user(ctx, f->who), f->name);
      TextTable t(fmt::format("Models of {} ({})", out.name, out.host));
      t.column("id", TextTable::Align::kLeft).column("name", TextTable::Align::kLeft);
      t.column("owned_by", TextTable::Align::kLeft).column("created_at", TextTable::Align::kLeft);
      t.column("current", TextTable::Align::kLeft);
      for (const auto& m : out.items) {
        t.row({m.id, m.display_name, m.owned_by, m.created_at, m.current ? "yes" : ""});
      }
      if (out.items.empty()) t.footer("the provider lists no models");
      ctx.emit(spec::to_json(out), {t});
    });
  }

  // ---- policy ---------------------------------------------------------------------------------
  auto* policy = group->add_subcommand("policy", "The tenant's privacy policy: which providers, redaction");
  policy->require_subcommand(1);
  auto policy_table = [](const service::AssistantPolicyResult& p) {
    TextTable t("Assistant policy of tenant " + p.tenant);
    t.column("setting", TextTable::Align::kLeft).column("value", TextTable::Align::kLeft);
    std::string hosts;
    for (const auto& h : p.allowed_hosts) hosts += (hosts.empty() ? "" : ", ") + h;
    t.row({"local_only", p.local_only ? "yes" : "no"})
        .row({"allowed_hosts", hosts.empty() ? "any" : hosts})
        .row({"redaction", std::string(spec::choice_name(service::kRedactionNames, p.redaction))});
    return t;
  };
  {
    auto tenant = std::make_shared<std::string>();
    auto* show = policy->add_subcommand("show", "Show the policy");
    show->add_option("--tenant", *tenant, "Tenant (default: the command's own)");
    show->callback([&ctx, tenant, policy_table] {
      const auto out = service::assistant_policy(ctx.service(), tenant_or_actor(ctx, *tenant));
      ctx.emit(spec::to_json(out), {policy_table(out)});
    });
  }
  {
    auto f = std::make_shared<service::AssistantPolicyRequest>();
    auto* set = policy->add_subcommand("set", "Change the policy (only the settings given)");
    auto tenant = std::make_shared<std::string>();
    set->add_option("--tenant", *tenant, "Tenant (default: the command's own)");
    spec_options(set, *f);
    set->callback([&ctx, f, tenant, policy_table] {
      service::Context cx = ctx.service();
      cx.actor.tenant = tenant_or_actor(ctx, *tenant);
      const auto out = service::set_assistant_policy(cx, *f);
      ctx.emit(spec::to_json(out), {policy_table(out)});
    });
  }

  // ---- conversations --------------------------------------------------------------------------
  {
    struct Flags {
      Who who;
      std::size_t limit = 20;
    };
    auto f = std::make_shared<Flags>();
    auto* list = group->add_subcommand("conversations", "Your conversations, newest first");
    add_who(list, f->who);
    list->add_option("--limit", f->limit, "How many")->check(CLI::Range(1, 500));
    list->callback([&ctx, f] {
      const spec::ItemsOf<service::ConversationSummary> out{
          service::assistant_conversations(ctx.service(), tenant_or_actor(ctx, f->who.tenant), f->who.user,
                                           std::nullopt, f->limit)};
      TextTable t;
      t.column("id")
          .column("title", TextTable::Align::kLeft)
          .column("tokens")
          .column("cost")
          .column("updated_at", TextTable::Align::kLeft);
      for (const auto& c : out.items) {
        t.row({std::to_string(c.id), c.title, std::to_string(c.input_tokens + c.output_tokens),
               money(c.cost_usd), c.updated_at});
      }
      ctx.emit(spec::to_json(out), {t});
    });
  }
  {
    struct Flags {
      Who who;
      std::int64_t id = 0;
    };
    auto f = std::make_shared<Flags>();
    auto* show = group->add_subcommand(
        "show", "A conversation: every message, tool call and exchange with a provider");
    show->add_option("id", f->id, "The conversation's id")->required();
    add_who(show, f->who);
    show->callback([&ctx, f] {
      const auto out =
          service::assistant_conversation(ctx.service(), tenant_or_actor(ctx, f->who.tenant), f->who.user, f->id);
      TextTable m(fmt::format("Conversation {}: {}", out.conversation.id, out.conversation.title));
      m.column("#")
          .column("role", TextTable::Align::kLeft)
          .column("status", TextTable::Align::kLeft)
          .column("content", TextTable::Align::kLeft);
      for (const auto& x : out.messages) {
        std::string text = x.content;
        for (char& ch : text) {
          if (ch == '\n') ch = ' ';
        }
        if (text.size() > 100) text = text.substr(0, 97) + "...";
        m.row({std::to_string(x.ordinal), x.role + (x.call ? " " + *x.call : ""), x.status, text});
      }
      TextTable e("Exchanges (what left the machine)");
      e.column("#")
          .column("provider", TextTable::Align::kLeft)
          .column("host", TextTable::Align::kLeft)
          .column("messages")
          .column("bytes sent")
          .column("tokens in")
          .column("tokens out")
          .column("cost")
          .column("status", TextTable::Align::kLeft);
      for (const auto& x : out.exchanges) {
        e.row({std::to_string(x.ordinal), x.provider, x.host, fmt::format("1-{}", x.messages_sent),
               std::to_string(x.bytes_sent), std::to_string(x.input_tokens), std::to_string(x.output_tokens),
               money(x.cost_usd), x.status + (x.redacted ? ", redacted" : "")});
      }
      ctx.emit(spec::to_json(out), {m, e});
    });
  }
  {
    struct Flags {
      Who who;
      std::int64_t id = 0;
      std::string call;
      bool decline = false;
    };
    auto f = std::make_shared<Flags>();
    auto* confirm = group->add_subcommand("confirm", "Run a change the assistant proposed (or --decline it)");
    confirm->add_option("conversation", f->id, "The conversation's id")->required();
    confirm->add_option("call", f->call, "The pending call: T3")->required();
    confirm->add_flag("--decline", f->decline, "Decline it instead");
    add_who(confirm, f->who);
    confirm->callback([&ctx, f] {
      service::ConfirmRequest req;
      req.conversation = f->id;
      req.call = f->call;
      req.approve = !f->decline;
      const auto out = service::assistant_confirm(ctx.service(), cli_user(ctx, f->who), req);
      ctx.emit(spec::to_json(out), {TextTable(out.call.call + " " + out.call.tool + ": " + out.call.status)});
    });
  }
  {
    auto* tools =
        group->add_subcommand("tools", "The tools the assistant may call, with the permission each needs");
    tools->callback([&ctx] {
      const auto out = service::assistant_tool_list(service::AssistantUser{});
      TextTable t;
      t.column("tool", TextTable::Align::kLeft)
          .column("access", TextTable::Align::kLeft)
          .column("arguments from", TextTable::Align::kLeft)
          .column("description", TextTable::Align::kLeft);
      for (const auto& i : out.items)
        t.row({i.name, i.access, i.request_schema.value_or("-"), i.description});
      ctx.emit(spec::to_json(out), {t});
    });
  }
}

}  // namespace keel::cli
