// Asking the assistant and confirming its proposed writes (keel/service/assistant_ask.h): the
// model's rounds of tool calls, redaction, the figures check and the transcript they leave.
#include "keel/service/assistant_ask.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>

#include <fmt/format.h>

#include "assistant_internal.h"
#include "assistant_text.h"
#include "keel/core/error.h"
#include "keel/llm/chat.h"
#include "keel/service/assistant_providers.h"
#include "keel/service/assistant_tools.h"
#include "keel/service/storage.h"
#include "keel/store/assistant_repository.h"
#include "keel/store/store.h"

namespace keel::service {
namespace {

using nlohmann::json;
using detail::parse_or;

constexpr std::size_t kMaxQuestionBytes = 32 * 1024;
constexpr std::size_t kMaxSentToolBytes = 24 * 1024;

json cut_arrays(const json& v, std::size_t keep) {
  if (v.is_object()) {
    json out = json::object();
    for (const auto& [k, e] : v.items()) out[k] = cut_arrays(e, keep);
    return out;
  }
  if (v.is_array()) {
    json out = json::array();
    for (std::size_t i = 0; i < v.size() && i < keep; ++i) out.push_back(cut_arrays(v[i], keep));
    if (v.size() > keep) out.push_back(fmt::format("... {} more not shown", v.size() - keep));
    return out;
  }
  return v;
}

// A tool's result as the model sees it: the call's id first, arrays cut so that it fits.
std::string tool_message(const std::string& call, const std::string& tool, const json& result) {
  json wrapped = {{"call", call}, {"tool", tool}, {"result", cut_arrays(result, 25)}};
  std::string text = wrapped.dump();
  if (text.size() > kMaxSentToolBytes) {
    wrapped["result"] = cut_arrays(result, 5);
    text = wrapped.dump();
  }
  if (text.size() > kMaxSentToolBytes) {
    text = json({{"call", call}, {"tool", tool}, {"result_cut", llm::clean_text(text, kMaxSentToolBytes)}})
               .dump();
  }
  return text;
}

std::string system_prompt(const Context& cx, const AskRequest& req, bool redacted) {
  const auto now = std::chrono::system_clock::to_time_t(cx.env.clock.now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char today[16];
  std::strftime(today, sizeof today, "%Y-%m-%d", &tm);
  std::string s =
      "You are keel's assistant. keel is a portfolio risk platform; you answer the user's questions about "
      "their "
      "portfolios, ledger, retirement plan, bank balance sheet or CLO deals with keel's own figures.\n"
      "Rules:\n"
      "- Never invent, estimate or compute a figure yourself. Every number you state must come from a tool "
      "result "
      "of this conversation, copied as it appears there.\n"
      "- Tool calls are numbered T1, T2, ... in the order you make them; each tool result starts with its "
      "\"call\" "
      "id. Follow every figure with the id of the call that produced it in square brackets, for example "
      "\"the 1-day 99% VaR is 12,345.67 [T1]\".\n"
      "- If no tool gives what is asked, or a tool fails, say so plainly.\n"
      "- Tools that change data (save_what_if) wait for the user's confirmation: never say such a change was "
      "made.\n"
      "- Be brief.\n"
      "Today is ";
  s += today;
  s += ".";
  if (req.portfolio) s += " The question is about the portfolio named \"" + *req.portfolio + "\".";
  if (redacted) {
    s += "\nPrivacy: symbols appear as SYM_n and amounts as AMT_n. Use these placeholders exactly as given, "
         "also in "
         "tool arguments; do not guess what they stand for.";
  }
  return s;
}

std::vector<llm::ToolCall> calls_of(const std::string& text) {
  std::vector<llm::ToolCall> out;
  const auto j = json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& c : j) {
    if (!c.is_object()) continue;
    llm::ToolCall t;
    t.id = c.value("id", "");
    t.name = c.value("name", "");
    if (c.contains("arguments") && c["arguments"].is_object()) t.arguments = c["arguments"];
    out.push_back(std::move(t));
  }
  return out;
}

json calls_json(const std::vector<llm::ToolCall>& calls) {
  json a = json::array();
  for (const auto& c : calls) a.push_back({{"id", c.id}, {"name", c.name}, {"arguments", c.arguments}});
  return a;
}

std::string error_text(const Error& e) {
  std::string s = e.what();
  for (std::size_t i = 0; i < e.details().size() && i < 20; ++i) s += "\n  " + e.details()[i];
  return s;
}

ToolCallResult call_result(const store::MessageRow& m) {
  ToolCallResult r;
  const json extra = parse_or(m.extra, json::object());
  r.call = extra.value("call", "");
  r.tool = m.tool_name;
  r.arguments = extra.value("arguments", json::object());
  r.status = m.status;
  if (m.status == "ok" || m.status == "confirmed") {
    r.output = parse_or(m.content, json(nullptr));
  } else {
    r.error.emplace(m.content);
  }
  return r;
}

// The question's checks (assistant_preflight), returning the provider to use.
store::AssistantProviderRow checked_provider(const Context& cx, const AssistantUser& user,
                                             const AskRequest& request) {
  Store& store = require_store(cx, "the assistant");
  if (request.question.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw Error::invalid_input("invalid question", {"question: required: the question in words"});
  }
  if (request.question.size() > kMaxQuestionBytes) {
    throw Error::invalid_input("invalid question", {"question: at most 32768 bytes"});
  }
  auto row = detail::usable_provider(cx, user, request.provider, request.redact);
  if (request.portfolio && !store.find_portfolio(user.tenant, *request.portfolio)) {
    throw Error::not_found("no portfolio " + *request.portfolio);
  }
  if (request.conversation &&
      !store.assistant().find_conversation(user.tenant, user.username, *request.conversation)) {
    throw Error::not_found(fmt::format("no conversation {}", *request.conversation));
  }
  return row;
}

AskResult ask_unaudited(const Context& cx, const AssistantUser& user, const AskRequest& request,
                        const AskObserver& on_event_in, const std::function<bool()>& cancelled) {
  const AskObserver on_event = on_event_in ? on_event_in : [](std::string_view, const json&) {};
  Store& store = require_store(cx, "the assistant");
  auto& repo = store.assistant();
  const auto row = checked_provider(cx, user, request);
  const auto policy = assistant_policy(cx, user.tenant);
  const bool redact =
      policy.redaction == Redaction::kRequired || request.redact.value_or(policy.redaction == Redaction::kOn);

  // The portfolio named must be the user's.
  std::vector<Position> positions;
  if (request.portfolio) positions = store.positions(user.tenant, *request.portfolio);

  detail::WipedString key;
  auto provider = detail::open_provider(cx, row, detail::outbound_policy(cx, policy, user.tenant, user.username), user.username, key);

  store::ConversationRow conv;
  if (request.conversation) {
    auto found = repo.find_conversation(user.tenant, user.username, *request.conversation);
    if (!found) throw Error::not_found(fmt::format("no conversation {}", *request.conversation));
    conv = *found;
  } else {
    conv = repo.create_conversation(user.tenant, user.username, llm::clean_text(request.question, 80));
  }

  detail::Redactor red(redact);
  red.load(parse_or(conv.redaction_map, json::object()));
  for (const auto& p : positions) {
    red.learn_symbol(p.symbol);
    if (!p.underlying.empty()) red.learn_symbol(p.underlying);
    red.learn_amount(p.quantity);
    red.learn_amount(std::fabs(p.quantity));
  }
  red.set_symbol_test([&store](const std::string& word) {
    if (word.size() < 1 || word.size() > 21) return false;
    try {
      return store.latest_price(word, std::nullopt).has_value();
    } catch (const Error&) {
      return false;
    }
  });

  // The conversation so far, as it was sent.
  std::vector<llm::Message> messages;
  std::vector<detail::CallRecord> records;
  int next_call = 1;
  int transcript_size = 0;
  for (const auto& m : repo.messages(user.tenant, conv.id)) {
    ++transcript_size;
    llm::Message lm;
    if (m.role == "user") {
      lm.role = llm::Role::kUser;
      lm.text = m.sent;
    } else if (m.role == "assistant") {
      lm.role = llm::Role::kAssistant;
      lm.text = m.sent;
      lm.tool_calls = calls_of(m.tool_calls);
    } else {
      lm.role = llm::Role::kTool;
      lm.text = m.sent;
      lm.tool_call_id = m.tool_call_id;
      lm.tool_name = m.tool_name;
      lm.tool_error = m.status != "ok";
      ++next_call;
      const auto r = call_result(m);
      if (r.output.is_object() || r.output.is_array())
        records.push_back({r.call, r.tool, r.arguments, r.output});
    }
    messages.push_back(std::move(lm));
  }

  const std::string question_sent = red.redact_text(request.question);
  {
    store::MessageRow um;
    um.conversation_id = conv.id;
    um.role = "user";
    um.content = request.question;
    um.sent = question_sent;
    repo.append_message(user.tenant, um);
    ++transcript_size;
  }
  messages.push_back({llm::Role::kUser, question_sent, {}, "", "", false});

  AskResult result;
  result.conversation = conv.id;
  result.provider = row.name;
  result.model = row.model;
  result.host = llm::url_host(row.base_url);
  result.redacted = redact;
  on_event("start", {{"conversation", conv.id},
                     {"provider", row.name},
                     {"model", row.model},
                     {"host", result.host},
                     {"redacted", redact}});

  std::vector<llm::ToolSpec> offered;
  for (const auto& t : assistant_tools()) {
    if (user.may(t.access)) offered.push_back({t.name, t.description, t.schema()});
  }
  auto is_offered = [&](const std::string& name) {
    return std::any_of(offered.begin(), offered.end(),
                       [&](const llm::ToolSpec& s) { return s.name == name; });
  };

  llm::ChatRequest chat;
  chat.system = system_prompt(cx, request, redact);
  auto save_totals = [&] {
    conv.redaction_map = red.map().dump();
    repo.update_conversation(conv);
  };

  std::string final_text;
  for (int round = 1;; ++round) {
    const bool with_tools = round <= request.max_rounds;
    chat.messages = messages;
    chat.tools = with_tools ? offered : std::vector<llm::ToolSpec>{};
    detail::StreamRestorer restorer(red);
    store::ExchangeRow ex;
    ex.conversation_id = conv.id;
    ex.provider = row.name;
    ex.format = row.format;
    ex.host = result.host;
    ex.model = row.model;
    ex.messages_sent = transcript_size;
    ex.redacted = redact;
    llm::ChatResponse resp;
    try {
      resp = provider->chat(
          chat,
          [&](std::string_view delta) {
            const std::string shown = restorer.push(delta);
            if (!shown.empty()) on_event("text", {{"delta", shown}});
          },
          cancelled);
    } catch (const Error& e) {
      ex.status = "error";
      ex.error = llm::clean_text(e.what(), 1000);
      repo.append_exchange(user.tenant, ex);
      save_totals();
      throw;
    }
    if (const std::string rest = restorer.flush(); !rest.empty()) on_event("text", {{"delta", rest}});
    ex.model = resp.model;
    ex.bytes_sent = static_cast<std::int64_t>(resp.bytes_sent);
    ex.bytes_received = static_cast<std::int64_t>(resp.bytes_received);
    ex.input_tokens = resp.usage.input_tokens;
    ex.output_tokens = resp.usage.output_tokens;
    ex.estimated = resp.usage.estimated;
    ex.cost_usd = resp.cost_usd;
    ex.attempts = resp.attempts;
    repo.append_exchange(user.tenant, ex);
    result.model = resp.model;
    result.usage.input_tokens += resp.usage.input_tokens;
    result.usage.output_tokens += resp.usage.output_tokens;
    result.usage.estimated = result.usage.estimated || resp.usage.estimated;
    result.usage.cost_usd += resp.cost_usd;
    ++result.usage.exchanges;
    conv.input_tokens += resp.usage.input_tokens;
    conv.output_tokens += resp.usage.output_tokens;
    conv.cost_usd += resp.cost_usd;
    on_event("round", {{"round", round},
                       {"input_tokens", resp.usage.input_tokens},
                       {"output_tokens", resp.usage.output_tokens},
                       {"cost_usd", resp.cost_usd},
                       {"tool_calls", resp.tool_calls.size()}});

    store::MessageRow am;
    am.conversation_id = conv.id;
    am.role = "assistant";
    am.content = red.restore_text(resp.text);
    am.sent = resp.text;
    if (resp.tool_calls.empty() || !with_tools) {
      final_text = am.content;
      auto check = detail::check_figures(final_text, records);
      result.citations = std::move(check.citations);
      result.unverified = std::move(check.unverified);
      am.extra = json({{"citations", spec::to_json(result.citations)},
                       {"unverified", spec::to_json(result.unverified)}})
                     .dump();
      repo.append_message(user.tenant, am);
      ++transcript_size;
      break;
    }
    am.tool_calls = calls_json(resp.tool_calls).dump();
    repo.append_message(user.tenant, am);
    ++transcript_size;
    messages.push_back({llm::Role::kAssistant, resp.text, resp.tool_calls, "", "", false});

    for (const auto& tc : resp.tool_calls) {
      ToolCallResult rec;
      rec.call = fmt::format("T{}", next_call++);
      rec.tool = tc.name;
      rec.arguments = red.restore_arguments(tc.arguments);
      on_event("tool_call", {{"call", rec.call}, {"tool", rec.tool}, {"arguments", rec.arguments}});
      const AssistantTool* tool = find_assistant_tool(tc.name);
      std::string sent;
      std::string content;
      if (!tool) {
        rec.status = "error";
        rec.error.emplace("no tool named " + llm::clean_text(tc.name, 80));
      } else if (!user.may(tool->access) || !is_offered(tool->name)) {
        rec.status = "denied";
        rec.error.emplace("forbidden: the user's role (" +
                          (user.role.empty() ? std::string("this role") : user.role) + ") may not " +
                          std::string(tool_access_name(tool->access)) + " (" + tool->name + ")");
      } else if (tool->access == ToolAccess::kWrite) {
        rec.status = "pending";
        rec.error.emplace("waiting for the user's confirmation");
        on_event("confirm", {{"call", rec.call}, {"tool", rec.tool}, {"arguments", rec.arguments}});
      } else {
        try {
          ToolOutput out = tool->run(cx, user.tenant, rec.arguments);
          rec.status = "ok";
          red.learn_symbols_in(out.json);
          sent = tool_message(rec.call, rec.tool, red.redact_output(out.json, out.units));
          content = out.json.dump();
          rec.output = std::move(out.json);
          records.push_back({rec.call, rec.tool, rec.arguments, rec.output});
        } catch (const Error& e) {
          rec.status = "error";
          rec.error.emplace(error_text(e));
        }
      }
      if (rec.status != "ok") {
        content = *rec.error;
        const std::string note =
            rec.status == "pending"
                ? "This change waits for the user's confirmation; it has not been made. Tell the "
                  "user it needs their confirmation."
                : red.redact_text(*rec.error);
        sent =
            json({{"call", rec.call}, {"tool", rec.tool}, {"status", rec.status}, {"message", note}}).dump();
      }
      store::MessageRow tm;
      tm.conversation_id = conv.id;
      tm.role = "tool";
      tm.content = content;
      tm.sent = sent;
      tm.tool_call_id = tc.id;
      tm.tool_name = tc.name;
      tm.status = rec.status;
      tm.extra = json({{"call", rec.call}, {"arguments", rec.arguments}}).dump();
      repo.append_message(user.tenant, tm);
      ++transcript_size;
      messages.push_back({llm::Role::kTool, sent, {}, tc.id, tc.name, rec.status != "ok"});
      json done = {{"call", rec.call}, {"tool", rec.tool}, {"status", rec.status}};
      if (rec.error) done["error"] = *rec.error;
      on_event("tool_result", done);
      result.tool_calls.push_back(std::move(rec));
    }
  }
  result.answer = final_text;
  save_totals();
  return result;
}

}  // namespace

AskResult assistant_ask(const Context& cx, const AssistantUser& user, const AskRequest& request,
                        const AskObserver& on_event, const std::function<bool()>& cancelled) {
  const Context acting = detail::in_tenant(cx, user.tenant);
  AskResult out;
  try {
    out = ask_unaudited(cx, user, request, on_event, cancelled);
  } catch (const Error& e) {
    try {
      audit(acting, kAssistantAsk, "assistant", {{"error", std::string(error_code_name(e.code()))}},
            "failed");
    } catch (...) {
      // The question's own failure is what the caller hears about.
    }
    throw;
  }
  audit(acting, kAssistantAsk, fmt::format("assistant_conversation/{}", out.conversation),
        {{"conversation", out.conversation},
         {"provider", out.provider},
         {"host", out.host},
         {"model", out.model},
         {"redacted", out.redacted},
         {"exchanges", out.usage.exchanges},
         {"tool_calls", out.tool_calls.size()},
         {"cost_usd", out.usage.cost_usd}});
  try {
    hold_assistant_budget(acting);  // the user's older conversations past their budget (storage.h)
  } catch (const Error&) {
    // Kept for the server's next storage sweep, which holds the budget again: the answer stands.
  }
  return out;
}

void assistant_preflight(const Context& cx, const AssistantUser& user, const AskRequest& request) {
  (void)checked_provider(cx, user, request);
}

ConfirmResult assistant_confirm(const Context& cx, const AssistantUser& user, const ConfirmRequest& request) {
  Store& store = require_store(cx, "the assistant");
  auto& repo = store.assistant();
  if (!repo.find_conversation(user.tenant, user.username, request.conversation)) {
    throw Error::not_found(fmt::format("no conversation {}", request.conversation));
  }
  for (auto m : repo.messages(user.tenant, request.conversation)) {
    if (m.role != "tool") continue;
    json extra = parse_or(m.extra, json::object());
    if (extra.value("call", "") != request.call) continue;
    if (m.status != "pending") {
      throw Error::conflict("call " + request.call + " is " + m.status + ", not waiting for a confirmation");
    }
    const AssistantTool* tool = find_assistant_tool(m.tool_name);
    if (!tool) throw Error::not_found("no tool named " + m.tool_name);
    if (!user.may(tool->access)) {
      throw Error::forbidden("the user's role (" + user.role + ") may not " +
                             std::string(tool_access_name(tool->access)));
    }
    if (request.approve) {
      ToolOutput out = tool->run(cx, user.tenant, extra.value("arguments", json::object()));
      m.status = "confirmed";
      m.content = out.json.dump();
    } else {
      m.status = "declined";
      m.content = "declined by the user";
    }
    repo.update_message(user.tenant, m);
    ConfirmResult r;
    r.conversation = request.conversation;
    r.call = call_result(m);
    audit(detail::in_tenant(cx, user.tenant), kAssistantConfirm,
          fmt::format("assistant_conversation/{}", request.conversation),
          {{"call", request.call}, {"tool", r.call.tool}, {"status", r.call.status}});
    return r;
  }
  throw Error::not_found(fmt::format("no call {} in conversation {}", request.call, request.conversation));
}

}  // namespace keel::service
