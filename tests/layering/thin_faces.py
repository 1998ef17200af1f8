#!/usr/bin/env python3
"""The faces are thin: keel serve reaches the store only where the server is composed.

A route (src/server/*_routes.cpp) parses its request, calls a use case of src/service and writes
the result; the use case checks the permission, writes the audit row and owns persistence
(docs/development.md, "Layers"). The files of src/server share their module with the file that
composes the server (which opens the store pool, the job queue and the shared rate-limit state),
so the include path cannot forbid keel/store there; this check does, on the source:

- no file of src/server but the composition root and the job runner (COMPOSITION) names a
  keel/store header, in an #include or anywhere else (a comment pointing at the store is how an
  include comes back), so `grep -rl keel/store src/server` lists those two alone; nor does any public header of
  the server (include/keel/server), through which the store would reach every file including it
  (the job runner's hands a job its own view of the row, RunningJob, not the store's);
- no route file calls store().

Usage: thin_faces.py SOURCE_DIR       check the tree
       thin_faces.py --self-test      show that violating files are caught (the check can fail)
"""
import pathlib
import re
import sys
import tempfile

# The files of src/server that include the store: where the server is composed, and the job
# runner's implementation, which claims, renews and writes the store's job rows.
COMPOSITION = {"server.cpp", "jobs.cpp"}

INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*[<"]keel/store/[^">]+[">]', re.M)
MENTION = re.compile(r'keel/store\b')
STORE_CALL = re.compile(r'\bstore\(\)')
COMMENT = re.compile(r'//[^\n]*')


def line_of(text, pos):
    return text.count("\n", 0, pos) + 1


def problems(source_dir):
    out = []
    server = pathlib.Path(source_dir, "src", "server")
    routes = sorted(server.glob("*_routes.cpp"))
    if not routes:
        out.append(f"{server}: no *_routes.cpp files (wrong directory?)")
    files = sorted(p for p in server.rglob("*") if p.is_file() and p.suffix in (".cpp", ".h"))
    public = pathlib.Path(source_dir, "include", "keel", "server")
    files += sorted(public.glob("*.h"))
    for path in files:
        if path.name in COMPOSITION and path.parent == server:
            continue
        text = path.read_text(encoding="utf-8")
        included = set()
        for m in INCLUDE.finditer(text):
            included.add(line_of(text, m.start()))
            out.append(f"{path}:{line_of(text, m.start())}: only the composition root "
                       f"({', '.join(sorted(COMPOSITION))}) includes a store header: {m.group(0).strip()}")
        for m in MENTION.finditer(text):
            line = line_of(text, m.start())
            if line not in included:
                out.append(f"{path}:{line}: names a store header outside the composition root: name the use case "
                           "of src/service instead")
    for path in routes:
        code = COMMENT.sub("", path.read_text(encoding="utf-8"))
        for m in STORE_CALL.finditer(code):
            out.append(f"{path}:{line_of(code, m.start())}: a route calls store(): "
                       "go through a use case of src/service")
    return out


def self_test():
    with tempfile.TemporaryDirectory() as d:
        server = pathlib.Path(d, "src", "server")
        server.mkdir(parents=True)
        (server / "good_routes.cpp").write_text('#include "app.h"\n// store() in a comment is fine\n')
        (server / "bad_routes.cpp").write_text('#include "keel/store/store.h"\nvoid f(Call& c) { c.store(); }\n')
        # A file that is not a route is held to the include rule too, comments included.
        (server / "event_hub.cpp").write_text('#include "app.h"\n#include "keel/store/job_repository.h"\n')
        (server / "app.h").write_text('#pragma once\n// the pool (keel/store/store.h)\n')
        # The composition root may include the store.
        (server / "server.cpp").write_text('#include "keel/store/store.h"\n#include "keel/store/shared_state.h"\n')
        # No public header of the server may, the job runner's included.
        public = pathlib.Path(d, "include", "keel", "server")
        public.mkdir(parents=True)
        (public / "auth.h").write_text('#pragma once\n#include "keel/store/user_repository.h"\n')
        (public / "jobs.h").write_text('#pragma once\n#include "keel/store/job_repository.h"\n')
        found = problems(d)
        expected = [f"{server}/app.h:2: names a store header outside the composition root",
                    f"{server}/bad_routes.cpp:1: only the composition root (jobs.cpp, server.cpp) includes a store header",
                    f"{server}/event_hub.cpp:2: only the composition root (jobs.cpp, server.cpp) includes a store header",
                    f"{public}/auth.h:2: only the composition root (jobs.cpp, server.cpp) includes a store header",
                    f"{public}/jobs.h:2: only the composition root (jobs.cpp, server.cpp) includes a store header",
                    f"{server}/bad_routes.cpp:2: a route calls store()"]
        ok = len(found) == len(expected) and all(f.startswith(e) for f, e in zip(found, expected))
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
