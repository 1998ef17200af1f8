// The OpenAPI 3.1 document, generated from the route table (so it cannot list a route the router
// lacks, or miss one it has), with the request and response schemas of every typed route made from
// the described structs of keel/service/spec.h (JSON Schema 2020-12, as OpenAPI 3.1 uses).
#include <fmt/format.h>

#include <algorithm>

#include "app.h"
#include "keel/core/strings.h"

namespace keel::server {
namespace {

std::string status_description(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted: a background job (follow it at /api/v1/jobs/{id})";
    case 503: return "Not ready";
    default: return fmt::format("Status {}", status);
  }
}

// A route's operationId, URL-safe and unique per method and path: the method, then each segment
// of the path after /api/v1 in capitals, a parameter as "By" and its name ("GET
// /api/v1/accounts/{id}/export/gains" is getAccountsByIdExportGains).
std::string operation_id(const std::string& method, std::string_view path) {
  if (path.rfind("/api/v1/", 0) == 0) path.remove_prefix(7);
  std::string id = method;
  bool upper = true;
  for (const char c : path) {
    if (c == '{') {
      id += "By";
      upper = true;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      id += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
      upper = false;
    } else {
      upper = true;  // '/', '}', '.', '-', '_' start a new word
    }
  }
  return id;
}

// A route that starts a job answers 202 with the Job: typed here as the job whose `result` is the
// route's result type (a component "<Name>Job" for the result "<Name>Result": the Job's schema with
// that one property narrowed), so a typed client reads the finished job's result without a cast
// and every result schema is reachable from a route.
void type_job_response(nlohmann::json& responses, const nlohmann::json& result, nlohmann::json& schemas) {
  constexpr std::string_view kPrefix = "#/components/schemas/";
  auto* accepted = responses.contains("202") ? &responses["202"]["content"]["application/json"]["schema"] : nullptr;
  if (accepted == nullptr || accepted->value("$ref", "") != fmt::format("{}Job", kPrefix) || !schemas.contains("Job") ||
      !result.contains("$ref")) {
    return;
  }
  std::string name = result["$ref"].get<std::string>().substr(kPrefix.size());
  if (name.ends_with("Result")) name.resize(name.size() - 6);
  name += "Job";
  if (!schemas.contains(name)) {
    nlohmann::json job = schemas["Job"];
    job["description"] = fmt::format("A job whose result, once it has succeeded, is a {}",
                                     result["$ref"].get<std::string>().substr(kPrefix.size()));
    job["properties"]["result"] = {
        {"description", "The result when succeeded, else null"},
        {"anyOf", nlohmann::json::array({result, {{"type", "null"}}})}};
    schemas[name] = std::move(job);
  }
  *accepted = {{"$ref", fmt::format("{}{}", kPrefix, name)}};
}

}  // namespace

nlohmann::json openapi_document(const App& app) {
  nlohmann::json paths = nlohmann::json::object();
  nlohmann::json schemas = nlohmann::json::object();
  for (const auto& r : app.routes) {
    const std::string method = to_lower(r->method);
    nlohmann::json op = {{"summary", r->summary},
                         {"tags", {r->tag}},
                         {"operationId", operation_id(method, r->path)}};
    nlohmann::json params = nlohmann::json::array();
    for (const auto& p : r->params) {
      params.push_back({{"name", p}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}});
    }
    if (r->query_schema) {
      // Each property of the query struct is one parameter; `required` comes from the schema.
      const nlohmann::json q = r->query_schema();
      const auto& required = q.contains("required") ? q["required"] : nlohmann::json::array();
      for (const auto& [name, schema] : q["properties"].items()) {
        nlohmann::json param = {{"name", name}, {"in", "query"}, {"schema", schema}};
        if (schema.contains("description")) param["description"] = schema["description"];
        if (std::find(required.begin(), required.end(), name) != required.end()) param["required"] = true;
        params.push_back(std::move(param));
      }
    }
    if (!params.empty()) op["parameters"] = params;
    if (!r->request_body.empty()) {
      nlohmann::json content = nlohmann::json::object();
      if (r->request_body.find("json") != std::string::npos) {
        content["application/json"] = {
            {"schema", r->request_schema ? r->request_schema(schemas) : nlohmann::json{{"type", "object"}}}};
      }
      if (r->request_body.find("csv") != std::string::npos) content["text/csv"] = {{"schema", {{"type", "string"}}}};
      if (r->request_body.find("form") != std::string::npos) {
        content["application/x-www-form-urlencoded"] = {
            {"schema", r->request_schema ? r->request_schema(schemas) : nlohmann::json{{"type", "object"}}}};
      }
      op["requestBody"] = {{"required", true}, {"content", content}};
    }
    nlohmann::json responses = {{"400", {{"$ref", "#/components/responses/Error"}}},
                                {"429", {{"$ref", "#/components/responses/Error"}}}};
    for (const auto& [status, schema] : r->results) {
      responses[fmt::format("{}", status)] = {
          {"description", status_description(status)},
          {"content", {{"application/json", {{"schema", schema(schemas)}}}}}};
    }
    for (const auto& m : r->media_results) {
      auto& response = responses[fmt::format("{}", m.status)];
      if (!response.contains("description")) response["description"] = status_description(m.status);
      nlohmann::json schema = {{"type", "string"}};
      if (m.binary) schema["format"] = "binary";
      if (m.media_type == "application/json") schema = {{"type", "object"}};  // free-form JSON
      response["content"][m.media_type] = {{"schema", schema}};
    }
    if (r->results.empty() && r->media_results.empty()) {
      // Not (yet) typed: a success of unspecified shape.
      responses["200"] = {{"description", "OK"}};
      if (r->method == "POST") {
        responses["201"] = {{"description", "Created"}};
        responses["202"] = {{"description", "Accepted: a background job"}};
      }
    }
    if (r->permission) {
      op["security"] = nlohmann::json::array({{{"bearerAuth", nlohmann::json::array()}}});
      op["x-permission"] = permission_name(*r->permission);
      responses["401"] = {{"$ref", "#/components/responses/Error"}};
      responses["403"] = {{"$ref", "#/components/responses/Error"}};
      responses["404"] = {{"$ref", "#/components/responses/Error"}};
      // A write can meet another's: a name already taken, a version moved on, a job already ended,
      // a unique row another request wrote first.
      if (r->method != "GET") responses["409"] = {{"$ref", "#/components/responses/Error"}};
    } else {
      op["security"] = nlohmann::json::array();
    }
    if (r->job_result) {
      nlohmann::json result = r->job_result(schemas);
      op["x-job-result"] = result;
      type_job_response(responses, result, schemas);
    }
    op["responses"] = responses;
    paths[r->path][method] = op;
  }
  nlohmann::json doc = {
      {"openapi", "3.1.0"},
      {"info",
       {{"title", "keel API"},
        {"version", "1.0.0"},
        {"description", "Portfolio risk, ALM and CLO analytics; see docs/server.md"},
        {"license", {{"name", "MIT"}, {"identifier", "MIT"}}}}},
      // The paths are absolute (/api/v1/...) on the server that serves this document.
      {"servers", nlohmann::json::array({{{"url", "/"}}})},
      {"paths", paths},
      {"components",
       {{"securitySchemes", {{"bearerAuth", {{"type", "http"}, {"scheme", "bearer"}, {"bearerFormat", "JWT"}}}}},
        {"schemas",
         {{"Error",
           {{"type", "object"},
            {"properties",
             {{"error",
               {{"type", "object"},
                {"properties",
                 {{"code", {{"type", "string"}}},
                  {"message", {{"type", "string"}}},
                  {"details", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                  {"request_id", {{"type", "string"}}}}}}}}}}}}},
        {"responses",
         {{"Error",
           {{"description", "An error"},
            {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}}}}}}}};
  for (auto& [name, schema] : schemas.items()) doc["components"]["schemas"][name] = std::move(schema);
  return doc;
}

}  // namespace keel::server
