#!/usr/bin/env python3
"""The OpenAPI document of `keel serve`, checked with an independent validator (python3-jsonschema).

Starts a real `keel serve` on a temporary store seeded from examples/ (prices and the hnw
portfolio), then:
  1. the document is OpenAPI 3.1.0: every operation has responses, every $ref resolves, every
     schema under components/schemas and in the paths is a valid JSON Schema 2020-12 schema
     (Draft202012Validator.check_schema, the dialect OpenAPI 3.1 uses);
  2. real responses of typed routes validate against the schemas their routes declare
     (jsonschema's own validator, with $refs resolved against the document);
  3. a body with a misspelt field is refused with the field named;
  4. docs/api-reference.md is what api_reference.py writes from this document (`--update`
     rewrites it).

    check_openapi.py KEEL REPO_ROOT [--update]
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from jsonschema import Draft202012Validator

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import api_reference  # noqa: E402
from jsonschema.validators import RefResolver

PASSWORD = "openapi-check-password"


def run(keel, db, *args, stdin=None):
    proc = subprocess.run([keel, "--db", db, "--quiet", *args], input=stdin, capture_output=True, text=True,
                          timeout=120)
    if proc.returncode != 0:
        raise SystemExit(f"keel {' '.join(args)} failed ({proc.returncode}): {proc.stderr}")
    return proc.stdout


def request(base, method, path, body=None, token=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def refs(node, extensions=True):
    """Every $ref under node; with extensions=False, none under an x- key (which tools skip)."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref":
                yield v
            elif extensions or not k.startswith("x-"):
                yield from refs(v, extensions)
    elif isinstance(node, list):
        for v in node:
            yield from refs(v, extensions)


def check_document(doc):
    problems = []
    if doc.get("openapi") != "3.1.0":
        problems.append(f"openapi is {doc.get('openapi')!r}, not 3.1.0")
    for ref in set(refs(doc)):
        m = re.fullmatch(r"#/components/(schemas|responses)/(.+)", ref)
        if not m or m.group(2) not in doc.get("components", {}).get(m.group(1), {}):
            problems.append(f"unresolved $ref {ref}")
    # What a linter of OpenAPI (Redocly's recommended rules) asks of the document as a whole: a
    # server to resolve the paths against, a license, and no component no route reaches (followed
    # from the paths through every $ref, the way a client generator walks them).
    if not doc.get("servers"):
        problems.append("no servers: a client cannot resolve the paths")
    if not doc.get("info", {}).get("license", {}).get("name"):
        problems.append("info has no license")
    ids = [op.get("operationId", "") for item in doc["paths"].values() for op in item.values()]
    for bad in sorted({i for i in ids if not re.fullmatch(r"[A-Za-z0-9_.~-]+", i)}):
        problems.append(f"operationId {bad!r} is not URL-safe")
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(f"operationId {dup!r} names more than one operation")
    reached, todo = set(), list(refs(doc["paths"], extensions=False))
    while todo:
        m = re.fullmatch(r"#/components/(schemas|responses)/(.+)", todo.pop())
        if m and (m.group(1), m.group(2)) not in reached:
            reached.add((m.group(1), m.group(2)))
            todo.extend(refs(doc.get("components", {}).get(m.group(1), {}).get(m.group(2), {}), extensions=False))
    for kind in ("schemas", "responses"):
        for name in doc.get("components", {}).get(kind, {}):
            if (kind, name) not in reached:
                problems.append(f"components/{kind}/{name}: no route refers to it")
    schemas = dict(doc["components"]["schemas"])
    typed = 0
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if "responses" not in op or not op["responses"]:
                problems.append(f"{method} {path}: no responses")
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            if body is not None:
                schemas[f"{method} {path} request"] = body
            ok = None
            for code, r in op.get("responses", {}).items():
                s = r.get("content", {}).get("application/json", {}).get("schema")
                if code.startswith("2") and s is not None:
                    schemas[f"{method} {path} {code} response"] = s
                    ok = ok or s
            typed += ok is not None
    for name, schema in schemas.items():
        try:
            Draft202012Validator.check_schema(schema)
        except Exception as e:  # jsonschema.SchemaError
            problems.append(f"{name}: not a valid JSON Schema 2020-12: {str(e).splitlines()[0]}")
    return problems, typed


def validate(doc, schema, value):
    resolver = RefResolver.from_schema(doc)
    v = Draft202012Validator(schema, resolver=resolver)
    return [f"{'/'.join(map(str, e.absolute_path)) or '$'}: {e.message}" for e in v.iter_errors(value)]


def main():
    args = [a for a in sys.argv[1:] if a != "--update"]
    update = "--update" in sys.argv[1:]
    if len(args) != 2:
        raise SystemExit(__doc__)
    keel, root = os.path.abspath(args[0]), os.path.abspath(args[1])
    problems = []
    with tempfile.TemporaryDirectory(prefix="keel-openapi-") as work:
        db = os.path.join(work, "keel.db")
        ex = os.path.join(root, "examples")
        run(keel, db, "import", "prices", os.path.join(ex, "market", "prices.csv"))
        run(keel, db, "import", "positions", os.path.join(ex, "portfolios", "hnw.csv"), "--portfolio", "hnw")
        run(keel, db, "user", "add", "ana", "--role", "analyst", "--password-stdin", stdin=PASSWORD + "\n")
        key = os.path.join(work, "jwt.key")
        with open(key, "w") as f:
            f.write("0123456789abcdef" * 4 + "\n")
        server = subprocess.Popen([keel, "--db", db, "serve", "--port", "0", "--token-key-file", key, "--no-web"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            base = None
            deadline = time.time() + 60
            while base is None and time.time() < deadline:
                line = server.stderr.readline()
                if not line:
                    break
                m = re.search(r"keel serve: (http://[0-9.]+:[0-9]+)", line)
                if m:
                    base = m.group(1)
            if base is None:
                raise SystemExit("keel serve did not start")
            status, doc = request(base, "GET", "/api/v1/openapi.json")
            assert status == 200, status
            doc_problems, typed = check_document(doc)
            problems += doc_problems
            reference = api_reference.render(doc)
            ref_path = os.path.join(root, "docs", "api-reference.md")
            if update:
                with open(ref_path, "w") as f:
                    f.write(reference)
                print(f"wrote {ref_path}")
            else:
                try:
                    with open(ref_path) as f:
                        current = f.read()
                except FileNotFoundError:
                    current = ""
                if current != reference:
                    problems.append("docs/api-reference.md is out of date: run tests/openapi/check_openapi.py "
                                    "build/apps/keel/keel . --update")
            print(f"document: {len(doc['paths'])} paths, {len(doc['components']['schemas'])} component schemas, "
                  f"{typed} operations with a result schema")

            status, login = request(base, "POST", "/api/v1/auth/login", {"username": "ana", "password": PASSWORD})
            assert status == 200, (status, login)
            token = login["token"]
            status, ports = request(base, "GET", "/api/v1/portfolios", token=token)
            pid = next(p["id"] for p in ports["items"] if p["name"] == "hnw")
            checked = 0
            for body in ({"method": "all", "paths": 2000}, {"method": "historical", "window": 250},
                         {"method": ["parametric", "montecarlo"], "cov": "ewma", "dist": "t", "paths": 1000}):
                path = f"/api/v1/portfolios/{pid}/risk/var"
                status, out = request(base, "POST", path, body, token)
                if status != 200:
                    problems.append(f"POST {path} {body}: {status} {out}")
                    continue
                schema = doc["paths"]["/api/v1/portfolios/{id}/risk/var"]["post"]["responses"]["200"]["content"][
                    "application/json"]["schema"]
                for p in validate(doc, schema, out):
                    problems.append(f"POST {path} {body}: response: {p}")
                checked += 1
            status, out = request(base, "POST", f"/api/v1/portfolios/{pid}/risk/var", {"windw": 250}, token)
            if status != 400 or not any(d.startswith('"windw": not a field') for d in out["error"]["details"]):
                problems.append(f"a misspelt field was not refused by name: {status} {out}")
            print(f"responses validated against their declared schemas: {checked}")
        finally:
            server.terminate()
            server.wait(timeout=30)
    for p in problems:
        print("PROBLEM:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
