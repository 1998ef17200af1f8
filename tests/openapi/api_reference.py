#!/usr/bin/env python3
"""docs/api-reference.md, written from keel's OpenAPI document.

The document is generated from the request and result descriptions in the C++ code
(keel/service/spec.h), so this reference is too: every route with its permission, query
parameters, body and results, and every named schema with its fields, types, units, ranges and
defaults. tests/openapi/check_openapi.py regenerates it from a live `keel serve` and fails when the
committed file differs (`--update` rewrites it).

    api_reference.py OPENAPI_JSON > docs/api-reference.md
"""
import json
import re
import sys

HEADER = """# API reference

This file is generated from the OpenAPI document that `keel serve` publishes at
`GET /api/v1/openapi.json`, which is itself generated from the request and result descriptions in
the code; `tests/openapi/check_openapi.py --update` rewrites it and the test suite fails when it is
out of date. [api.md](api.md) explains the conventions (errors, pagination, jobs, units);
[server.md](server.md) covers running the server.

Types: `integer`, `number` (a JSON number; `null` where a figure is undefined for the input),
`string`, `date` (`YYYY-MM-DD`), `boolean`, `object`; "one of" lists the accepted names. A field
marked *required* must be present; others take the default shown. Units are in brackets.
"""


def anchor(name):
    return re.sub(r"[^a-z0-9-]", "", name.lower().replace(" ", "-"))


def type_text(s):
    """A short type description of schema `s` (links to named schemas)."""
    if s is True or s == {}:
        return "any JSON value"
    if "$ref" in s:
        name = s["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{anchor(name)})"
    if "anyOf" in s:
        parts = [type_text(x) for x in s["anyOf"]]
        return " or ".join(dict.fromkeys(parts))
    if "oneOf" in s:
        return " or ".join(type_text(x) for x in s["oneOf"])
    if "enum" in s:
        return "one of " + ", ".join(f"`{v}`" for v in s["enum"])
    t = s.get("type")
    if isinstance(t, list):
        return " or ".join(t)
    if t == "array":
        return "array of " + type_text(s.get("items", {}))
    if t == "object":
        props = s.get("properties", {})
        if "items" in props and "next_cursor" in props:
            return "a page (items, next_cursor" + (", total" if "total" in props else "") + ") of " + type_text(
                props["items"].get("items", {}))
        if props:
            return "object (" + ", ".join(s["properties"]) + ")"
        extra = s.get("additionalProperties")
        if isinstance(extra, dict):
            return "object of " + type_text(extra)
        return "object"
    if t == "string" and s.get("format") == "date":
        return "date"
    return t or "any JSON value"


def range_text(s):
    lo = s.get("minimum", s.get("exclusiveMinimum"))
    hi = s.get("maximum", s.get("exclusiveMaximum"))
    lo_x = "exclusiveMinimum" in s
    hi_x = "exclusiveMaximum" in s
    fmt = lambda x: str(int(x)) if float(x).is_integer() else repr(x)
    if lo is not None and hi is not None:
        return f"{'(' if lo_x else '['}{fmt(lo)}, {fmt(hi)}{')' if hi_x else ']'}"
    if lo is not None:
        return f"{'>' if lo_x else '≥'} {fmt(lo)}"
    if hi is not None:
        return f"{'<' if hi_x else '≤'} {fmt(hi)}"
    # Strings: a name's bounds (minLength 1 with a non-space pattern: not blank; maxLength).
    parts = []
    if s.get("minLength") == 1 and s.get("pattern") == "\\S":
        parts.append("not blank")
    if "maxLength" in s:
        parts.append(f"≤ {s['maxLength']} characters")
    return ", ".join(parts)


def cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def field_table(schema, request):
    props = schema.get("properties", {})
    if not props and not schema.get("patternProperties"):
        return "No fields.\n"
    required = set(schema.get("required", []))
    rows = ["| field | type | " + ("default" if request else "always") + " | range | description |",
            "|---|---|---|---|---|"]
    for name, s in props.items():
        if request:
            flag = "*required*" if name in required else (
                f"`{json.dumps(s['default'])}`" if "default" in s else "")
        else:
            flag = "yes" if name in required else "when set"
        rows.append(f"| `{name}` | {cell(type_text(s))} | {cell(flag)} | {cell(range_text(s))} | "
                    f"{cell(s.get('description', ''))} |")
    # Fields named by the data (patternProperties "^prefix"): one row `prefix*`.
    for pattern, s in schema.get("patternProperties", {}).items():
        name = pattern.lstrip("^").replace("\\", "") + "*"
        rows.append(f"| `{name}` | {cell(type_text(s))} | when set | {cell(range_text(s))} | "
                    f"{cell(s.get('description', ''))} |")
    return "\n".join(rows) + "\n"


def render(doc):
    out = [HEADER]
    by_tag = {}
    for path, item in doc["paths"].items():
        for method, op in item.items():
            by_tag.setdefault(op.get("tags", ["other"])[0], []).append((path, method, op))
    out.append("## Routes\n")
    for tag in sorted(by_tag):
        out.append(f"### {tag}\n")
        for path, method, op in sorted(by_tag[tag], key=lambda x: (x[0], x[1])):
            out.append(f"#### `{method.upper()} {path}`\n")
            who = f"permission `{op['x-permission']}`" if "x-permission" in op else "anonymous"
            out.append(f"{op.get('summary', '')} ({who}).\n")
            query = [p for p in op.get("parameters", []) if p["in"] == "query"]
            if query:
                out.append("Query parameters:\n")
                out.append(field_table({"properties": {p["name"]: {**p["schema"], **(
                    {"description": p["description"]} if "description" in p else {})} for p in query},
                    "required": [p["name"] for p in query if p.get("required")]}, True))
            body = op.get("requestBody", {}).get("content", {})
            kinds = []
            if "application/json" in body:
                kinds.append("JSON " + type_text(body["application/json"]["schema"]))
            if "text/csv" in body:
                kinds.append("CSV text")
            if kinds:
                out.append("Body: " + "; or ".join(kinds) + ".\n")
            results = []
            for code, r in sorted(op.get("responses", {}).items()):
                if not code.startswith("2"):
                    continue
                schema = r.get("content", {}).get("application/json", {}).get("schema")
                results.append(f"{code} " + (type_text(schema) if schema is not None else "(untyped)"))
            out.append("Answers: " + "; ".join(results) + ".\n")
            if "x-job-result" in op:
                out.append("The job's result: " + type_text(op["x-job-result"]) + ".\n")
    # A schema is a request's when a request body reaches it (defaults shown), else a result's.
    requests = set()
    todo = [op.get("requestBody", {}) for item in doc["paths"].values() for op in item.values()]
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[-1] not in requests:
                name = ref.rsplit("/", 1)[-1]
                requests.add(name)
                todo.append(doc["components"]["schemas"].get(name, {}))
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
    out.append("## Schemas\n")
    for name, schema in sorted(doc["components"]["schemas"].items()):
        if name == "Error":
            continue
        out.append(f"### {name}\n")
        if "oneOf" in schema:
            names = [" and ".join(f"`{f}`" for f in alt.get("required", [])) for alt in schema["oneOf"]]
            out.append("Exactly one of " + ", ".join(names[:-1]) + " or " + names[-1] + ".\n")
        out.append(field_table(schema, name in requests))
    return "\n".join(out)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    with open(sys.argv[1]) as f:
        sys.stdout.write(render(json.load(f)))
