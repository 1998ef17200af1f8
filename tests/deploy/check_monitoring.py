#!/usr/bin/env python3
"""Checks of deploy/grafana and deploy/prometheus against the metrics this keel exports.

  check_monitoring.py KEEL REPO_ROOT

Starts `keel serve` on loopback with a fresh SQLite store, makes a few requests so that every
histogram has a series, and reads GET /metrics: the metric names and the label names of each.
Then, for every query of the Grafana dashboard and every rule of the Prometheus alerts:
- each metric it names is one keel exports (or Prometheus's own `up`);
- each label it matches or groups by is a label of one of its metrics (or a target label:
  instance, job; or `le` of a histogram's buckets);
and every metric keel exports (its histograms by their base name) is read by some query of the
dashboard, so a new metric is not left off it; and the files' structure: unique panel ids, every panel placed, every target with a refId and
the dashboard's Prometheus data source; every rule with an alert name, expression, duration,
severity and summary, and the alerts' job equal to the scrape job of prometheus.yml.
Exit 1 with one line per problem.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import yaml

problems = []

# PromQL words that are not metric names.
KEYWORDS = {"by", "without", "and", "or", "unless", "on", "ignoring", "group_left", "group_right", "bool",
            "offset", "inf", "nan"}
PROMETHEUS_OWN = {"up"}
TARGET_LABELS = {"instance", "job"}


def problem(text):
    problems.append(text)


def start_server(keel, tmp):
    db = os.path.join(tmp, "keel.db")
    log_path = os.path.join(tmp, "serve.log")
    env = dict(os.environ, KEEL_JWT_SECRET="monitoring-check-secret-0123456789abcdef")
    log = open(log_path, "wb")
    proc = subprocess.Popen([keel, "--db", db, "serve", "--host", "127.0.0.1", "--port", "0", "--no-web",
                             "--anonymous-rate-limit", "0", "--no-log"],
                            stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd=tmp, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with open(log_path, encoding="utf-8", errors="replace") as f:
            m = re.search(r"keel serve: (http://127\.0\.0\.1:[0-9]+)", f.read())
        if m:
            return proc, m.group(1)
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    with open(log_path, encoding="utf-8", errors="replace") as f:
        sys.exit(f"keel serve did not start:\n{f.read()}")


def get(base, path):
    try:
        with urllib.request.urlopen(base + path, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")


def exported_metrics(text):
    """name -> set of label names, from the Prometheus text format (histograms under their base name
    and under each of _bucket, _sum, _count)."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = re.match(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s", line)
        if not m:
            problem(f"/metrics: a line that is not a sample: {line!r}")
            continue
        name, labels = m.group(1), set(re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="', m.group(3) or ""))
        out.setdefault(name, set()).update(labels)
        for suffix in ("_bucket", "_sum", "_count"):
            if name.endswith(suffix):
                out.setdefault(name[: -len(suffix)], set()).update(labels - {"le"})
    return out


def names_in(expr):
    """(metric names, label names) an expression uses."""
    labels = set()
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    for block in re.findall(r"\{([^}]*)\}", text):
        labels.update(re.findall(r"([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)", block))
    text = re.sub(r"\{[^}]*\}", " ", text)
    text = re.sub(r"\[[^\]]*\]", " ", text)
    for words in re.findall(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)", text):
        labels.update(w.strip() for w in words.split(",") if w.strip())
    text = re.sub(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)
    metrics = set()
    for m in re.finditer(r"(?<![0-9.])\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(\s*\()?", text):
        word, call = m.group(1), m.group(2)
        if call or word.lower() in KEYWORDS:
            continue
        metrics.add(word)
    return metrics, labels


def check_expr(expr, where, exported):
    metrics, labels = names_in(expr)
    if not metrics:
        problem(f"{where}: names no metric: {expr}")
    known_labels = set(TARGET_LABELS)
    for name in metrics:
        if name in PROMETHEUS_OWN:
            continue
        if name not in exported:
            problem(f"{where}: {name} is not a metric keel exports")
            continue
        known_labels |= exported[name]
        if name.endswith("_bucket"):
            known_labels.add("le")
    for label in labels - known_labels:
        problem(f"{where}: label {label} is on none of {sorted(metrics)}")


def check_dashboard(path, exported):
    with open(path, encoding="utf-8") as fh:
        dash = json.load(fh)
    variables = {v.get("name") for v in dash.get("templating", {}).get("list", [])}
    if "datasource" not in variables:
        problem(f"{path}: no datasource variable: the dashboard would be bound to one Prometheus")
    ids = set()
    queries = 0
    shown = set()
    for panel in dash.get("panels", []):
        pid = panel.get("id")
        if pid in ids:
            problem(f"{path}: panel id {pid} twice")
        ids.add(pid)
        if not all(k in panel.get("gridPos", {}) for k in ("h", "w", "x", "y")):
            problem(f"{path}: panel {pid} has no complete gridPos")
        if panel.get("type") == "row":
            continue
        if panel.get("datasource", {}).get("uid") != "${datasource}":
            problem(f"{path}: panel {pid} ({panel.get('title')}) is not on the ${{datasource}} variable")
        refs = set()
        for target in panel.get("targets", []):
            ref = target.get("refId")
            if not ref or ref in refs:
                problem(f"{path}: panel {pid} has a target without a unique refId")
            refs.add(ref)
            expr = target.get("expr", "")
            queries += 1
            check_expr(expr.replace("$instance", ".*"), f"{path}: panel {pid} ({panel.get('title')})", exported)
            shown.update(names_in(expr.replace("$instance", ".*"))[0])
        if not panel.get("targets"):
            problem(f"{path}: panel {pid} ({panel.get('title')}) has no query")
    for v in dash.get("templating", {}).get("list", []):
        q = v.get("query")
        if isinstance(q, dict):
            m = re.match(r"label_values\(([a-zA-Z_:][a-zA-Z0-9_:]*)\s*,", q.get("query", ""))
            if m and m.group(1) not in exported:
                problem(f"{path}: variable {v.get('name')} reads {m.group(1)}, which keel does not export")
    for name in sorted(families(exported) - families(shown)):
        problem(f"{path}: no panel shows {name}, which keel exports")
    return queries


def families(names):
    """Metric names with a histogram's series (_bucket, _sum, _count) under its base name."""
    return {re.sub(r"_(bucket|sum|count)$", "", n) if n.endswith(("_bucket", "_sum", "_count")) else n for n in names}


def check_alerts(path, prometheus_yml, exported):
    with open(prometheus_yml, encoding="utf-8") as fh:
        config = yaml.safe_load(fh)
    jobs = {c.get("job_name") for c in config.get("scrape_configs", [])}
    if os.path.basename(path) not in config.get("rule_files", []):
        problem(f"{prometheus_yml}: rule_files does not load {os.path.basename(path)}")
    with open(path, encoding="utf-8") as fh:
        rules = yaml.safe_load(fh)
    count = 0
    names = set()
    for group in rules.get("groups", []):
        for rule in group.get("rules", []):
            name = rule.get("alert")
            where = f"{path}: {name}"
            if not name or name in names:
                problem(f"{path}: a rule without a unique alert name")
            names.add(name)
            count += 1
            expr = str(rule.get("expr", ""))
            check_expr(expr, where, exported)
            for job in re.findall(r'job="([^"]*)"', expr):
                if job not in jobs:
                    problem(f"{where}: job {job!r} is not a scrape job of {os.path.basename(prometheus_yml)}")
            if not re.fullmatch(r"[0-9]+[smh]", str(rule.get("for", ""))):
                problem(f"{where}: `for` is not a duration")
            if rule.get("labels", {}).get("severity") not in ("critical", "warning", "info"):
                problem(f"{where}: severity is not critical, warning or info")
            if not rule.get("annotations", {}).get("summary"):
                problem(f"{where}: no summary")
    return count


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: check_monitoring.py KEEL REPO_ROOT")
    keel, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    tmp = tempfile.mkdtemp(prefix="keel-monitoring-")
    proc, base = start_server(keel, tmp)
    try:
        for path in ("/readyz", "/api/v1/openapi.json", "/api/v1/portfolios", "/metrics"):
            get(base, path)
        status, text = get(base, "/metrics")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)
    if status != 200:
        sys.exit(f"GET /metrics answered {status}")
    exported = exported_metrics(text)
    # The test itself: a name keel does not export, and a label it does not carry, are caught.
    before = len(problems)
    check_expr('rate(keel_no_such_metric[5m])', "self-check", exported)
    check_expr('sum by (tenant) (keel_jobs)', "self-check", exported)
    if len(problems) - before != 2:
        sys.exit(f"the expression check misses unknown names: {problems[before:]}")
    del problems[before:]

    deploy = os.path.join(root, "deploy")
    queries = check_dashboard(os.path.join(deploy, "grafana", "keel-dashboard.json"), exported)
    rules = check_alerts(os.path.join(deploy, "prometheus", "keel-alerts.yml"),
                         os.path.join(deploy, "prometheus", "prometheus.yml"), exported)
    for p in problems:
        print(p)
    if problems:
        return 1
    print(f"{queries} dashboard queries and {rules} alert rules use only the {len(exported)} metric names keel exports")
    return 0


if __name__ == "__main__":
    sys.exit(main())
