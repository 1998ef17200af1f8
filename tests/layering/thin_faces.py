#!/usr/bin/env python3
"""The faces are thin: no route file of keel serve reaches the store.

A route (src/server/*_routes.cpp) parses its request, calls a use case of src/service and writes
the result; the use case checks the permission, writes the audit row and owns persistence
(docs/development.md, "Layers"). Route files share their module with the file that composes the
server (which owns the store pool), so the include path cannot forbid keel/store there; this check
does, on the source: a route file that includes a keel/store header or calls store() fails it.

Usage: thin_faces.py SOURCE_DIR       check the tree
       thin_faces.py --self-test      show that a violating file is caught (the check can fail)
"""
import pathlib
import re
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]keel/store/[^">]+[">]', re.M)
STORE_CALL = re.compile(r'\bstore\(\)')
COMMENT = re.compile(r'//[^\n]*')


def problems(source_dir):
    out = []
    routes = sorted(pathlib.Path(source_dir, "src", "server").glob("*_routes.cpp"))
    if not routes:
        out.append(f"{source_dir}/src/server: no *_routes.cpp files (wrong directory?)")
    for path in routes:
        text = path.read_text(encoding="utf-8")
        for m in INCLUDE.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            out.append(f"{path}:{line}: a route includes a store header: {m.group(0).strip()}")
        code = COMMENT.sub("", text)
        for m in STORE_CALL.finditer(code):
            line = code.count("\n", 0, m.start()) + 1
            out.append(f"{path}:{line}: a route calls store(): go through a use case of src/service")
    return out


def self_test():
    with tempfile.TemporaryDirectory() as d:
        server = pathlib.Path(d, "src", "server")
        server.mkdir(parents=True)
        (server / "good_routes.cpp").write_text('#include "app.h"\n// store() in a comment is fine\n')
        (server / "bad_routes.cpp").write_text('#include "keel/store/store.h"\nvoid f(Call& c) { c.store(); }\n')
        found = problems(d)
        expected = [f"{server}/bad_routes.cpp:1: a route includes a store header",
                    f"{server}/bad_routes.cpp:2: a route calls store()"]
        ok = len(found) == 2 and all(f.startswith(e) for f, e in zip(found, expected))
        print("self-test", "passed" if ok else "FAILED", *found, sep="\n  ")
        return 0 if ok else 1


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--self-test":
        return self_test()
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    found = problems(sys.argv[1])
    for p in found:
        print(p)
    print(f"{len(found)} problem(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
