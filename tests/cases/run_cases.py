#!/usr/bin/env python3
"""The golden cases of the keel command and of `keel serve`: tests/cases/**/*.test.

    run_cases.py KEEL SOURCE_DIR [FILE...] [--rewrite] [-j N] [--keep] [--db URL]

Runs every .test file under SOURCE_DIR/tests/cases (or the FILEs given), each in its own
temporary directory, and prints for every failing record its file and line, what was expected
and what came out. Exit 0 when every record passed, 1 when one failed, 2 on a usage or format
error. --rewrite writes what came out into the files instead of comparing (the exit code and the
expected sections of every record that has a `----`); check every rewritten expectation by hand
against an independent source before committing it. -j N runs N files at once (default: the
number of cores); --keep leaves the temporary directories in place and prints them. --db URL runs
the `store fresh` files on that store (an empty, migrated PostgreSQL database, one FILE) instead of
a new SQLite file.

The format (docs/development.md, "Golden cases"): records separated by blank lines, `#` lines
are comments.

    store fresh | store examples      the file's store (default fresh: an empty, new database)
    tolerance REL | off               numbers in JSON compare within REL (relative; absolute below 1)
    env NAME=VALUE                    an environment variable for the commands and the server after it
    require SCRIPT                    when SCRIPT fails, skips the rest of the file (a missing peer)
    file PATH [gzip] [noeol] [python] writes the lines below (or the value of a Python expression)

    command ok | error N [timeout S] [~REL]
    a bash script; `keel` runs the binary on the file's store
    stdin:
    what the script reads on standard input
    ----
    expected stdout (JSON: compared structurally; text: line by line, trailing spaces ignored)
    stderr:
    expected stderr

    http STATUS [as ROLE] [timeout S] [~REL]
    METHOD /path
    Header-Name: value
    body (JSON or CSV)
    ----
    expected body

Placeholders {tmp} {db} {examples} {cases} {source} {keel} are replaced in scripts, paths and
bodies, and the actual outputs are written back with them before comparing. In an expected
section, `<blank>` is an empty line, a line `<any>` alone matches any output, `<any>` inside a
text line or a JSON string matches any characters, the JSON strings "<any>", "<any number>"
and "<any string>" match any value, number or string, "<X ± D>" a number within D of X, an
object with the member "...": "<any>"
is partial (the members it does not list are not compared), and so is an array with the item
"..." (the items before it start the array, those after it end it).
"""
import concurrent.futures
import difflib
import fcntl
import gzip
import hashlib
import json
import math
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

ROLES = ("admin", "manager", "analyst", "viewer")
PASSWORD = "golden cases password"  # every seeded user's (keel asks for at least 8 characters)
JWT_SECRET = "keel-golden-cases-" + "0123456789abcdef" * 3
DEFAULT_TIMEOUT = 60.0
WIDTH = 100  # a JSON container shorter than this is written on one line

# `store examples`: the committed examples imported once per run of the keel binary (cached).
EXAMPLES_STORE = [
    ["import", "prices", "{examples}/market/prices.csv"],
    ["import", "sectors", "{examples}/market/sectors.csv"],
    ["import", "factors", "{examples}/market/ff5_daily_2012_2017.csv", "--factor-units", "percent"],
    ["import", "curve", "{examples}/market/ust_par_yields_2012_2017.csv", "--date", "2017-12-06"],
    ["import", "positions", "{examples}/portfolios/hnw.csv", "--portfolio", "hnw"],
    ["import", "positions", "{examples}/portfolios/balanced.csv", "--portfolio", "balanced"],
]

# Processes started and not yet reaped (process group ids), killed on Ctrl-C or SIGTERM.
LIVE = set()
LIVE_LOCK = threading.Lock()
ABORT = threading.Event()


class FormatError(Exception):
    pass


class Abort(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# Parsing


class Record:
    def __init__(self, kind, line, args):
        self.kind = kind          # store, tolerance, env, file, command, http
        self.line = line          # 0-based index of the header line
        self.args = args          # header words after the keyword
        self.body = []            # script / request lines / file lines
        self.stdin = None         # lines, or None
        self.sep = None           # index of the `----` line, or None
        self.end = line + 1       # index after the record's last line
        self.stdout = None        # expected stdout lines (after `----`), or None
        self.stderr = None        # expected stderr lines (after `stderr:`), or None


def header_words(line):
    head = line.split(" #", 1)[0]
    return head.split()


def parse(text, name):
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    records = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if not line.strip() or line.lstrip().startswith("#"):
            i += 1
            continue
        words = header_words(line)
        kind = words[0]
        r = Record(kind, i, words[1:])
        i += 1
        if kind in ("store", "tolerance", "env", "require"):
            pass
        elif kind == "file":
            while i < n and lines[i].strip():
                r.body.append(lines[i])
                i += 1
        elif kind in ("command", "http"):
            part = r.body
            while i < n and lines[i].strip() and lines[i] != "----":
                if lines[i] == "stdin:" and kind == "command" and r.stdin is None:
                    r.stdin = []
                    part = r.stdin
                else:
                    part.append(lines[i])
                i += 1
            if not r.body:
                raise FormatError(f"{name}:{r.line + 1}: {kind} without a {'script' if kind == 'command' else 'request line'}")
            if i < n and lines[i] == "----":
                r.sep = i
                i += 1
                r.stdout = []
                part = r.stdout
                while i < n and lines[i].strip():
                    if lines[i] == "stderr:" and kind == "command" and r.stderr is None:
                        r.stderr = []
                        part = r.stderr
                    else:
                        part.append(lines[i])
                    i += 1
        else:
            raise FormatError(f"{name}:{i}: unknown record {kind!r} (store, tolerance, env, require, file, command, "
                              "http)")
        r.end = i
        records.append(r)
    return lines, records


def parse_options(r, name):
    """The options after the expectation of a command or http header: timeout S, ~REL."""
    opts = {"timeout": DEFAULT_TIMEOUT, "tolerance": None}
    words = list(r.args)
    if r.kind == "command":
        if words[:1] == ["ok"]:
            opts["code"] = 0
            words = words[1:]
        elif words[:1] == ["error"] and len(words) > 1 and words[1].isdigit():
            opts["code"] = int(words[1])
            words = words[2:]
        else:
            raise FormatError(f"{name}:{r.line + 1}: expected `command ok` or `command error N`")
    else:
        if not words or not words[0].isdigit():
            raise FormatError(f"{name}:{r.line + 1}: expected `http STATUS [as ROLE]`")
        opts["code"] = int(words[0])
        words = words[1:]
        opts["role"] = None
        if words[:1] == ["as"] and len(words) > 1:
            if words[1] not in ROLES:
                raise FormatError(f"{name}:{r.line + 1}: role {words[1]!r} is not one of {', '.join(ROLES)}")
            opts["role"] = words[1]
            words = words[2:]
    while words:
        w = words.pop(0)
        try:
            if w == "timeout" and words:
                opts["timeout"] = float(words.pop(0))
            elif w.startswith("~"):
                opts["tolerance"] = float(w[1:])
            else:
                raise ValueError
        except ValueError:
            raise FormatError(f"{name}:{r.line + 1}: unknown option {w!r} (timeout S, ~REL)") from None
    return opts


# ---------------------------------------------------------------------------------------------
# Comparing


def unblank(lines):
    return ["" if l == "<blank>" else l for l in lines]


def normalise_text(text):
    lines = [l.rstrip() for l in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def wildcard(pattern):
    return re.compile(".*?".join(re.escape(p) for p in pattern.split("<any>")) + r"\Z", re.S)


def line_matches(expected, actual):
    if "<any>" in expected:
        return wildcard(expected).match(actual) is not None
    return expected == actual


def as_json(text):
    s = text.strip()
    if not s or s[0] not in "{[":
        return None, False
    try:
        return json.loads(s), True
    except ValueError:
        return None, False


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def close(a, b, tol):
    if a == b:
        return True
    if tol is None:
        return False
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


MORE = "..."  # the key of a partial object (its other members are not compared), or the item of a
# partial array (the items before it start the array, those after it end it)


BAND = re.compile(r"<\s*([-+0-9.eE]+)\s*±\s*([0-9.eE+-]+)\s*>\Z")


def marker_matches(e, a):
    if e == "<any>":
        return True
    if e == "<any number>":
        return is_number(a)
    if e == "<any string>":
        return isinstance(a, str)
    m = BAND.match(e)
    if m:  # "<X ± D>": a number within D of X
        try:
            x, d = float(m.group(1)), float(m.group(2))
        except ValueError:
            return None
        return is_number(a) and abs(a - x) <= d
    return None


def json_diff(e, a, tol, path="$", out=None):
    out = [] if out is None else out
    if isinstance(e, str):
        m = marker_matches(e, a)
        if m is not None:
            if not m:
                out.append(f"{path}: expected {e}, got {short(a)}")
            return out
        if "<any>" in e and isinstance(a, str):
            if not wildcard(e).match(a):
                out.append(f"{path}: expected {short(e)}, got {short(a)}")
            return out
    if is_number(e) and is_number(a):
        if not close(e, a, tol):
            out.append(f"{path}: expected {e!r}, got {a!r}")
    elif isinstance(e, dict) and isinstance(a, dict):
        partial = MORE in e  # "...": the members not listed are not compared
        for k in e:
            if k not in a and k != MORE:
                out.append(f"{path}.{k}: missing")
        for k in a:
            if k not in e and not partial:
                out.append(f"{path}.{k}: not expected ({short(a[k])})")
        for k in e:
            if k in a:
                json_diff(e[k], a[k], tol, f"{path}.{k}", out)
    elif isinstance(e, list) and isinstance(a, list) and MORE in e:
        # [first, ..., "...", ..., last]: the items before "..." start the array, those after end it.
        cut = e.index(MORE)
        head, tail = e[:cut], e[cut + 1:]
        if len(a) < len(head) + len(tail):
            out.append(f"{path}: expected at least {len(head) + len(tail)} items, got {len(a)}")
        else:
            for i, (x, y) in enumerate(zip(head, a)):
                json_diff(x, y, tol, f"{path}[{i}]", out)
            for i, (x, y) in enumerate(zip(tail, a[len(a) - len(tail):])):
                json_diff(x, y, tol, f"{path}[{len(a) - len(tail) + i}]", out)
    elif isinstance(e, list) and isinstance(a, list):
        if len(e) != len(a):
            out.append(f"{path}: expected {len(e)} items, got {len(a)}")
        for i, (x, y) in enumerate(zip(e, a)):
            json_diff(x, y, tol, f"{path}[{i}]", out)
    elif type(e) is not type(a) or e != a:
        out.append(f"{path}: expected {short(e)}, got {short(a)}")
    return out


def short(v):
    s = json.dumps(v, ensure_ascii=False)
    return s if len(s) <= 80 else s[:77] + "..."


def json_merge(e, a, tol, keep_close=False):
    """What --rewrite writes: the actual value, keeping the expected markers that still match and
    the partial objects partial (and, with keep_close, the expected numbers within the tolerance:
    the actual side of a failure's diff, so that it shows only what differs)."""
    if isinstance(e, str) and (marker_matches(e, a) or ("<any>" in e and isinstance(a, str) and wildcard(e).match(a))):
        return e
    if keep_close and is_number(e) and is_number(a) and close(e, a, tol):
        return e
    if isinstance(e, dict) and isinstance(a, dict):
        if MORE in e:  # a partial object stays partial: its listed members, with their new values
            return {k: (json_merge(x, a[k], tol, keep_close) if k in a else x) for k, x in e.items() if k in a or k == MORE}
        return {k: json_merge(e[k], v, tol, keep_close) if k in e else v for k, v in a.items()}
    if isinstance(e, list) and isinstance(a, list) and MORE in e:
        cut = e.index(MORE)
        head, tail = e[:cut], e[cut + 1:]
        if len(a) >= len(head) + len(tail):
            return ([json_merge(x, y, tol, keep_close) for x, y in zip(head, a)] + [MORE] +
                    [json_merge(x, y, tol, keep_close) for x, y in zip(tail, a[len(a) - len(tail):])])
    if isinstance(e, list) and isinstance(a, list) and len(e) == len(a):
        return [json_merge(x, y, tol, keep_close) for x, y in zip(e, a)]
    return a


NOW_ISH = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?\Z")


VOLATILE_KEYS = {"request_id", "token", "jti"}


def volatile(v):
    """What --rewrite writes for a value of an actual output: "<any>" for a date-time string
    within two days of now (a created_at, an expires_at: it changes from run to run) and for the
    values of VOLATILE_KEYS (random by design)."""
    if isinstance(v, dict):
        return {k: "<any>" if k in VOLATILE_KEYS else volatile(x) for k, x in v.items()}
    if isinstance(v, list):
        return [volatile(x) for x in v]
    if isinstance(v, str) and NOW_ISH.match(v):
        try:
            t = time.mktime(time.strptime(v[:19].replace(" ", "T"), "%Y-%m-%dT%H:%M:%S" if len(v) >= 19 else "%Y-%m-%dT%H:%M"))
        except ValueError:
            return v
        if abs(t - time.time()) < 2 * 86400:
            return "<any>"
    return v


def digits_for(tol):
    """Significant digits --rewrite writes a number with under tolerance `tol`: enough that the
    written number is within a tenth of the tolerance (17, every digit, without a tolerance)."""
    if not tol:
        return 17
    return max(1, min(17, int(math.ceil(-math.log10(tol))) + 1))


def scalar(v, digits=17):
    if isinstance(v, float) and math.isfinite(v) and v != 0 and digits < 17:
        return repr(round(v, digits - 1 - math.floor(math.log10(abs(v)))))
    return json.dumps(v, ensure_ascii=False)


def dump_json(v, level=0, digits=17):
    """JSON as --rewrite writes it: a container that fits in WIDTH columns on one line, else one
    member a line (an array of scalars: as many a line as fit), indented by two; numbers to
    `digits` significant digits."""
    if not isinstance(v, (dict, list)):
        return scalar(v, digits)
    if isinstance(v, dict):
        parts = [json.dumps(k, ensure_ascii=False) + ": " + dump_json(x, level + 1, digits) for k, x in v.items()]
        opening, closing = "{", "}"
    else:
        parts = [dump_json(x, level + 1, digits) for x in v]
        opening, closing = "[", "]"
    compact = opening + ", ".join(parts) + closing
    if "\n" not in compact and len(compact) + 2 * level <= WIDTH:
        return compact
    pad = "  " * (level + 1)
    if isinstance(v, list) and not any(isinstance(x, (dict, list)) for x in v):
        # An array of numbers or strings: as many items a line as fit.
        rows, row = [], ""
        for p in parts:
            if row and len(pad) + len(row) + len(p) + 2 > WIDTH:
                rows.append(row + ",")
                row = ""
            row = row + ", " + p if row else p
        rows.append(row)
        return opening + "\n" + "\n".join(pad + r for r in rows) + "\n" + "  " * level + closing
    return opening + "\n" + ",\n".join(pad + p for p in parts) + "\n" + "  " * level + closing


def compare(expected_lines, actual_text, tol):
    """Problems (a list of lines; empty when it matches) of `actual_text` against the expected
    section `expected_lines`."""
    expected_lines = unblank(expected_lines)
    if expected_lines == ["<any>"]:
        return []
    expected_text = "\n".join(expected_lines)
    e, e_is_json = as_json(expected_text)
    if e_is_json:
        a, a_is_json = as_json(actual_text)
        if not a_is_json:
            return ["expected JSON, got:"] + ["  " + l for l in normalise_text(actual_text)[:40]]
        problems = json_diff(e, a, tol)
        if problems:
            shown = problems[:20] + ([f"... and {len(problems) - 20} more"] if len(problems) > 20 else [])
            shown_actual = dump_json(json_merge(e, a, tol, keep_close=True))
            diff = list(difflib.unified_diff(dump_json(e).split("\n"), shown_actual.split("\n"), "expected", "actual",
                                             lineterm="", n=2))
            return shown + diff[:60]
        return []
    actual = normalise_text(actual_text)
    expected = normalise_text(expected_text)
    if len(expected) == len(actual) and all(line_matches(x, y) for x, y in zip(expected, actual)):
        return []
    return list(difflib.unified_diff(expected, actual, "expected", "actual", lineterm="", n=2))[:80]


def rewritten(expected_lines, actual_text, tol):
    """The expected section --rewrite writes for `actual_text` (lines)."""
    expected_lines = unblank(expected_lines or [])
    if expected_lines == ["<any>"]:
        return ["<any>"]
    a, a_is_json = as_json(actual_text)
    if a_is_json:
        e, e_is_json = as_json("\n".join(expected_lines))
        a = volatile(a)
        out = dump_json(json_merge(e, a, tol) if e_is_json else a, digits=digits_for(tol)).split("\n")
    else:
        out = normalise_text(actual_text)
        expected = normalise_text("\n".join(expected_lines))
        if len(expected) == len(out):
            out = [x if line_matches(x, y) else y for x, y in zip(expected, out)]
    return [l if l else "<blank>" for l in out]


# ---------------------------------------------------------------------------------------------
# Running one file


class Failure:
    def __init__(self, line, header, problems):
        self.line, self.header, self.problems = line, header, problems


def kill_group(pgid):
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def start(argv, **kw):
    """Popen in a new process group, registered so that Ctrl-C and SIGTERM kill it."""
    with LIVE_LOCK:
        if ABORT.is_set():
            raise Abort()
        p = subprocess.Popen(argv, start_new_session=True, **kw)
        LIVE.add(p.pid)
    return p


def finish(p):
    with LIVE_LOCK:
        LIVE.discard(p.pid)


def run_process(argv, stdin_bytes, timeout, **kw):
    p = start(argv, stdin=subprocess.PIPE if stdin_bytes is not None else subprocess.DEVNULL,
              stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
    try:
        out, err = p.communicate(stdin_bytes, timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        kill_group(p.pid)
        out, err = p.communicate()
        timed_out = True
    finally:
        kill_group(p.pid)  # whatever the script left running in the background
        finish(p)
    if ABORT.is_set():
        raise Abort()
    return p.returncode, out, err, timed_out


class CaseFile:
    def __init__(self, path, keel, source, rewrite, keep, db_url=None):
        self.path = path
        self.db_url = db_url
        self.name = os.path.relpath(path, source) if not os.path.relpath(path, source).startswith("..") else path
        self.keel = keel
        self.source = source
        self.rewrite = rewrite
        self.keep = keep
        self.failures = []
        self.records = 0
        self.server = None
        self.base = None
        self.tokens = {}
        self.tolerance = None
        self.skipped = None

    # -- placeholders

    def setup_dirs(self):
        self.root = tempfile.mkdtemp(prefix="keel-case-")
        self.tmp = os.path.join(self.root, "tmp")
        self.bin = os.path.join(self.root, "bin")
        self.db = self.db_url or os.path.join(self.root, "keel.db")
        for d in (self.tmp, self.bin, os.path.join(self.root, "home")):
            os.makedirs(d)
        self.values = {
            "{tmp}": self.tmp,
            "{db}": self.db,
            "{examples}": os.path.join(self.source, "examples"),
            "{cases}": os.path.join(self.source, "tests", "cases"),
            "{source}": self.source,
            "{keel}": self.keel,
        }
        # `keel` in a script: the binary on the file's store, unless the command names its own --db.
        with open(os.path.join(self.bin, "keel"), "w") as f:
            f.write("#!/bin/sh\n"
                    'for a in "$@"; do case "$a" in --db|--db=*) exec ' + shlex.quote(self.keel) + ' "$@";; esac; done\n'
                    "exec " + shlex.quote(self.keel) + " --db " + shlex.quote(self.db) + ' "$@"\n')
        os.chmod(os.path.join(self.bin, "keel"), 0o755)
        env = {k: v for k, v in os.environ.items() if not k.startswith("KEEL_")}
        env.update(PATH=self.bin + os.pathsep + env.get("PATH", "/usr/bin:/bin"), HOME=os.path.join(self.root, "home"),
                   TZ="UTC", LC_ALL="C", PYTHONDONTWRITEBYTECODE="1")
        for k in ("LANG", "LANGUAGE", "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
            env.pop(k, None)
        self.env = env

    def subst(self, text):
        for k, v in self.values.items():
            text = text.replace(k, v)
        return text

    def unsubst(self, text):
        for k, v in sorted(self.values.items(), key=lambda kv: -len(kv[1])):
            text = text.replace(v, k)
        return text

    def decode(self, data):
        return self.unsubst(data.decode("utf-8", "backslashreplace"))

    # -- the file

    def run(self):
        started = time.monotonic()
        with open(self.path, encoding="utf-8") as f:
            text = f.read()
        self.lines, records = parse(text, self.name)
        edits = []  # (record, new header, new expected lines or None)
        self.setup_dirs()
        try:
            store_given = False
            for r in records:
                if ABORT.is_set():
                    raise Abort()
                if r.kind == "store":
                    if store_given or self.records:
                        raise FormatError(f"{self.name}:{r.line + 1}: `store` comes once, before the first command")
                    store_given = True
                    self.setup_store(r)
                elif r.kind == "tolerance":
                    try:
                        self.tolerance = float(r.args[0]) if r.args[0] != "off" else None
                    except (IndexError, ValueError):
                        raise FormatError(f"{self.name}:{r.line + 1}: expected `tolerance REL` or `tolerance off`") from None
                elif r.kind == "env":
                    if not r.args or "=" not in r.args[0]:
                        raise FormatError(f"{self.name}:{r.line + 1}: expected `env NAME=VALUE`")
                    k, v = " ".join(r.args).split("=", 1)
                    self.env[k] = self.subst(v)
                elif r.kind == "file":
                    self.write_file(r)
                elif r.kind == "require":
                    script = self.subst(self.lines[r.line].split(" #", 1)[0].split(None, 1)[1])
                    code, _, _, _ = run_process(["bash", "-c", script], None, DEFAULT_TIMEOUT, cwd=self.tmp,
                                                env=self.env)
                    if code != 0:
                        self.skipped = f"line {r.line + 1}: `{script}` failed, the records after it are skipped"
                        break
                else:
                    self.records += 1
                    edit = self.run_record(r)
                    if edit:
                        edits.append(edit)
        finally:
            self.stop_server()
            if self.keep:
                print(f"{self.name}: kept {self.root}")
            else:
                shutil.rmtree(self.root, ignore_errors=True)
        if self.rewrite and edits:
            self.apply(edits)
        return time.monotonic() - started

    def setup_store(self, r):
        what = r.args[0] if r.args else ""
        if what == "fresh":
            return
        if what != "examples":
            raise FormatError(f"{self.name}:{r.line + 1}: expected `store fresh` or `store examples`")
        if self.db_url:
            raise FormatError(f"{self.name}:{r.line + 1}: `store examples` runs on SQLite only, not with --db")
        shutil.copyfile(examples_store(self.keel, self.source), self.db)

    def write_file(self, r):
        if not r.args:
            raise FormatError(f"{self.name}:{r.line + 1}: expected `file PATH [gzip] [noeol] [python]`")
        path = self.subst(r.args[0])
        opts = set(r.args[1:])
        if not opts <= {"gzip", "noeol", "python"}:
            raise FormatError(f"{self.name}:{r.line + 1}: unknown option of file: {' '.join(sorted(opts))}")
        if "python" in opts:
            try:
                data = eval(self.subst("\n".join(r.body)), {"__builtins__": __builtins__})  # noqa: S307 (the test's own text)
            except Exception as e:
                raise FormatError(f"{self.name}:{r.line + 2}: the Python expression fails: {e!r}") from None
            if isinstance(data, str):
                data = data.encode("utf-8")
        else:
            data = "\n".join(unblank([self.subst(l) for l in r.body]))
            data = (data if "noeol" in opts or not r.body else data + "\n").encode("utf-8")
        if "gzip" in opts:
            data = gzip.compress(data, mtime=0)
        if not os.path.isabs(path):
            path = os.path.join(self.tmp, path)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)

    def run_record(self, r):
        opts = parse_options(r, self.name)
        tol = opts["tolerance"] if opts["tolerance"] is not None else self.tolerance
        header = self.lines[r.line].split(" #", 1)[0].strip()
        problems = []
        if r.kind == "command":
            script = self.subst("\n".join(r.body))
            stdin = None if r.stdin is None else (self.subst("\n".join(unblank(r.stdin))) + "\n").encode("utf-8")
            code, out, err, timed_out = run_process(["bash", "-c", script], stdin, opts["timeout"], cwd=self.tmp,
                                                    env=self.env)
            out, err = self.decode(out), self.decode(err)
            if timed_out:
                problems.append(f"timed out after {opts['timeout']:g} s")
            actual = {"stdout": out, "stderr": err}
        else:
            code, body = self.http(r, opts)
            actual = {"stdout": body, "stderr": ""}
            err = ""
        if code != opts["code"] and not self.rewrite and not (r.kind == "command" and timed_out):
            what = "status" if r.kind == "http" else "exit code"
            problems.append(f"{what} {code}, expected {opts['code']}")
            if r.kind == "command" and err.strip() and r.stderr is None:
                problems += ["stderr:"] + ["  " + l for l in normalise_text(err)[:20]]
        if r.stdout is not None and not self.rewrite:
            p = compare(r.stdout, actual["stdout"], tol)
            if p:
                problems += [("body" if r.kind == "http" else "stdout") + " differs:"] + ["  " + l for l in p]
        if r.stderr is not None and not self.rewrite:
            p = compare(r.stderr, actual["stderr"], tol)
            if p:
                problems += ["stderr differs:"] + ["  " + l for l in p]
        if problems:
            self.failures.append(Failure(r.line + 1, header, problems))
        if not self.rewrite:
            return None
        # --rewrite: the header with the actual exit code or status, the expected sections.
        head = self.lines[r.line]
        comment = " #" + head.split(" #", 1)[1] if " #" in head else ""
        words = list(r.args)
        if r.kind == "command":
            words = words[2:] if words[:1] == ["error"] else words[1:]
            new_head = " ".join(["command", "ok" if code == 0 else f"error {code}"] + words)
        else:
            new_head = " ".join(["http", str(code)] + words[1:])
        new_head += comment
        expected = None
        if r.sep is not None:
            expected = rewritten(r.stdout, actual["stdout"], tol)
            if r.stderr is not None or actual["stderr"].strip():
                expected = expected + ["stderr:"] + rewritten(r.stderr, actual["stderr"], tol)
        return (r, new_head, expected)

    def apply(self, edits):
        lines = list(self.lines)
        for r, head, expected in sorted(edits, key=lambda e: -e[0].line):
            if expected is not None:
                lines[r.sep + 1:r.end] = expected
            lines[r.line] = head
        text = "\n".join(lines) + "\n"
        with open(self.path, encoding="utf-8") as f:
            if f.read() == text:
                return
        with open(self.path, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"{self.name}: rewritten")

    # -- keel serve

    def start_server(self):
        for role in ROLES:
            code, _, err, _ = run_process([self.keel, "--db", self.db, "--quiet", "user", "add", role, "--role", role,
                                           "--tenant", "default", "--password-stdin"], (PASSWORD + "\n").encode(),
                                          DEFAULT_TIMEOUT, cwd=self.tmp, env=self.env)
            if code != 0:
                raise Abort(f"keel user add {role} failed ({code}): {err.decode(errors='replace').strip()}")
        log_path = os.path.join(self.root, "serve.log")
        env = dict(self.env, KEEL_JWT_SECRET=JWT_SECRET)
        with open(log_path, "wb") as log:
            self.server = start([self.keel, "--db", self.db, "serve", "--host", "127.0.0.1", "--port", "0", "--no-web",
                                 "--rate-limit", "0", "--no-log"], stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                cwd=self.tmp, env=env)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not ABORT.is_set():
            with open(log_path, encoding="utf-8", errors="replace") as f:
                log = f.read()
            m = re.search(r"keel serve: (http://127\.0\.0\.1:[0-9]+)", log)
            if m and self.base is None:
                self.base = m.group(1)
            if self.base:
                try:
                    if self.request("GET", "/readyz", None, {}, None, 5)[0] == 200:
                        return
                except OSError:
                    pass
            if self.server.poll() is not None:
                raise Abort(f"keel serve exited with {self.server.returncode}: {log.strip()[-2000:]}")
            time.sleep(0.05)
        raise Abort("keel serve was not ready within 30 s")

    def stop_server(self):
        if self.server is None:
            return
        try:
            self.server.terminate()
            self.server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
        finally:
            kill_group(self.server.pid)
            self.server.wait()
            finish(self.server)
            self.server = None

    def request(self, method, path, body, headers, token, timeout):
        req = urllib.request.Request(self.base + path, data=body, method=method)
        for k, v in headers.items():
            req.add_header(k, v)
        if token:
            req.add_header("Authorization", "Bearer " + token)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(req, timeout=timeout) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def token(self, role):
        if role not in self.tokens:
            body = json.dumps({"username": role, "password": PASSWORD}).encode()
            status, data = self.request("POST", "/api/v1/auth/login", body, {"Content-Type": "application/json"}, None,
                                        DEFAULT_TIMEOUT)
            if status != 200:
                raise Abort(f"signing in as {role} answered {status}: {data[:500]!r}")
            self.tokens[role] = json.loads(data)["token"]
        return self.tokens[role]

    def http(self, r, opts):
        if self.server is None:
            self.start_server()
        first = self.subst(r.body[0]).split()
        if len(first) != 2:
            raise FormatError(f"{self.name}:{r.line + 2}: expected `METHOD /path`")
        method, path = first
        rest = r.body[1:]
        headers = {}
        while rest and re.match(r"^[A-Za-z][A-Za-z0-9-]*: ", rest[0]):
            k, v = rest.pop(0).split(": ", 1)
            headers[k] = self.subst(v)
        body = None
        if rest:
            text = "\n".join(unblank([self.subst(l) for l in rest])) + "\n"
            body = text.encode("utf-8")
            if not any(k.lower() == "content-type" for k in headers):
                headers["Content-Type"] = "application/json" if text.lstrip()[:1] in "{[" else "text/csv"
        token = self.token(opts["role"]) if opts["role"] else None
        status, data = self.request(method, path, body, headers, token, opts["timeout"])
        return status, self.decode(data)


def examples_store(keel, source):
    """The path of the cached `store examples` database for this keel binary and these examples,
    built at most once (under a file lock, so parallel runs of the runner share it)."""
    examples = os.path.join(source, "examples")
    commands = [[a.replace("{examples}", examples) for a in c] for c in EXAMPLES_STORE]
    fingerprint = hashlib.sha256()
    for p in [keel] + [a for c in commands for a in c if os.path.isfile(a)]:
        st = os.stat(p)
        fingerprint.update(f"{os.path.abspath(p)}:{st.st_size}:{st.st_mtime_ns};".encode())
    fingerprint.update(json.dumps(commands).encode())
    cache = os.path.join(tempfile.gettempdir(), f"keel_cases_cache_{os.getuid()}")
    os.makedirs(cache, exist_ok=True)
    stem = "examples-" + fingerprint.hexdigest()[:16]
    db = os.path.join(cache, stem + ".db")
    if os.path.exists(db):
        return db
    with open(os.path.join(cache, stem + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not os.path.exists(db):
            building = os.path.join(cache, f"{stem}.building.{os.getpid()}")
            for c in commands:
                code, _, err, _ = run_process([keel, "--db", building, "--quiet"] + c, None, 300)
                if code != 0:
                    for s in ("", "-wal", "-shm"):
                        if os.path.exists(building + s):
                            os.remove(building + s)
                    raise Abort(f"store examples: keel {' '.join(c)} failed ({code}): {err.decode(errors='replace')}")
            os.rename(building, db)
            hour_ago = time.time() - 3600
            for name in os.listdir(cache):
                p = os.path.join(cache, name)
                if name.startswith("examples-") and not name.startswith(stem) and os.path.getmtime(p) < hour_ago:
                    os.remove(p)
    return db


# ---------------------------------------------------------------------------------------------
# Main


def run_file(path, keel, source, rewrite, keep, db_url=None):
    case = CaseFile(path, keel, source, rewrite, keep, db_url)
    try:
        seconds = case.run()
    except FormatError as e:
        return case, [str(e)], 0.0
    except Abort as e:
        if ABORT.is_set():
            return case, [f"{case.name}: interrupted"], 0.0
        return case, [f"{case.name}: {e}"], 0.0
    report = []
    for f in case.failures:
        report.append(f"{case.name}:{f.line}: {f.header}")
        report += ["    " + l for l in f.problems]
    return case, report, seconds


def on_signal(signum, _frame):
    ABORT.set()
    with LIVE_LOCK:
        for pgid in list(LIVE):
            kill_group(pgid)
    raise KeyboardInterrupt


def main(argv):
    args, files, rewrite, keep, jobs, db_url = [], [], False, False, os.cpu_count() or 2, None
    it = iter(argv)
    for a in it:
        if a == "--rewrite":
            rewrite = True
        elif a == "--keep":
            keep = True
        elif a == "--db":
            db_url = next(it, None)
        elif a == "-j":
            jobs = int(next(it, "1"))
        elif a.startswith("-j") and a[2:].isdigit():
            jobs = int(a[2:])
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        else:
            args.append(a)
    if len(args) < 2:
        sys.stderr.write(__doc__)
        return 2
    keel, source = os.path.abspath(args[0]), os.path.abspath(args[1])
    if not os.access(keel, os.X_OK):
        sys.stderr.write(f"run_cases.py: {keel} is not an executable\n")
        return 2
    for f in args[2:]:
        if not os.path.exists(f) and os.path.exists(os.path.join(source, "tests", "cases", f)):
            f = os.path.join(source, "tests", "cases", f)
        files.append(os.path.abspath(f))
    if not files:
        for base, _, names in os.walk(os.path.join(source, "tests", "cases")):
            files += [os.path.join(base, n) for n in names if n.endswith(".test")]
        files.sort()
    if not files:
        sys.stderr.write("run_cases.py: no .test files\n")
        return 2
    if db_url and len(files) != 1:
        sys.stderr.write("run_cases.py: --db URL runs one FILE (its store is not emptied between files)\n")
        return 2
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    failed = records = 0
    started = time.monotonic()
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, min(jobs, len(files))))
    try:
        futures = [pool.submit(run_file, f, keel, source, rewrite, keep, db_url) for f in files]
        for fut in futures:
            case, report, seconds = fut.result()
            records += case.records
            if report:
                failed += 1
                print("\n".join(report), flush=True)
            print(f"{case.name}: {case.records} records, {len(case.failures)} failed ({seconds:.1f} s)"
                  if not report or case.records else f"{case.name}: not run", flush=True)
            if case.skipped:
                print(f"{case.name}: skipped from {case.skipped}", flush=True)
    except KeyboardInterrupt:
        ABORT.set()
        with LIVE_LOCK:
            for pgid in list(LIVE):
                kill_group(pgid)
        pool.shutdown(wait=True, cancel_futures=True)
        sys.stderr.write("run_cases.py: interrupted\n")
        return 130
    pool.shutdown(wait=True)
    verb = "rewritten" if rewrite else "passed"
    print(f"{len(files)} files, {records} records: {len(files) - failed} files {verb}, {failed} failed "
          f"({time.monotonic() - started:.1f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
