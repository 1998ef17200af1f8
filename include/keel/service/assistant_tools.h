// keel/service/assistant_tools.h: keel's use cases as the assistant's tools.
//
// Each tool is one use case with its typed request: the arguments' JSON Schema is the request's
// description as the HTTP face sees it (spec::schema_of, the generator of the OpenAPI document,
// written inline) plus the few arguments a route takes from its path ("portfolio", "account") or
// that the command line reads from a file ("trades"); the arguments are read with spec::read_json
// like an HTTP body (unknown fields refused, every problem named with its path), then the tenant
// of the asking user is set. A tool reads no file whatever its arguments say (the Env it runs with
// has no file access), and its result is the use case's described result (spec::to_json), with
// the unit of every figure (`units`: the same tree, each number's unit from the description) so
// that redaction knows which numbers are amounts.
//
// Thread-safety: the registry is built once and read-only; run() uses the Context's store.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "keel/service/assistant_user.h"
#include "keel/service/context.h"
#include "keel/service/spec.h"

namespace keel::service {

struct ToolOutput {
  nlohmann::json json;   // the use case's result
  nlohmann::json units;  // the same shape: each number's unit ("portfolio currency", "fraction"), else null
};

struct AssistantTool {
  std::string name;
  std::string description;
  ToolAccess access = ToolAccess::kRead;
  // The OpenAPI component the arguments come from ("RiskVarRequest"); "" when the tool's request
  // is its own (list_portfolios, show_portfolio).
  std::string request_schema;
  // The arguments' names added to the request's fields (portfolio, account, trades, save_as).
  std::vector<std::string> extra_arguments;
  std::function<nlohmann::json()> schema;
  std::function<ToolOutput(const Context& cx, const std::string& tenant, const nlohmann::json& arguments)>
      run;
};

// Every tool, in a stable order.
const std::vector<AssistantTool>& assistant_tools();
// The tool of that name, or nullptr.
const AssistantTool* find_assistant_tool(const std::string& name);

// What GET /api/v1/assistant/tools lists.
struct ToolInfo {
  std::string name;
  std::string description;
  std::string access;   // read, compute, write
  bool allowed = true;  // the caller may run it
  spec::Nullable<std::string> request_schema;
  nlohmann::json parameters;

  static constexpr const char* kSchemaName = "AssistantTool";
  template <class V, class S>
  static void fields(V& v, S& s);
};

struct ToolListResult {
  std::vector<ToolInfo> items;
  static constexpr const char* kSchemaName = "AssistantToolList";
  template <class V, class S>
  static void fields(V& v, S& s);
};

ToolListResult assistant_tool_list(const AssistantUser& user);

}  // namespace keel::service
