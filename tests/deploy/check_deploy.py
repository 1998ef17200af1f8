#!/usr/bin/env python3
"""Checks of deploy/: what can be verified without Docker or a Kubernetes cluster.

  check_deploy.py KEEL REPO_ROOT

- compose.yaml: the services and their order (postgres healthy -> migrate completed -> keel serve
  and keel worker -> nginx), two keel serve replicas, health checks, the read replica (a hot
  standby of postgres made by its entrypoint with pg_basebackup, its health check asking that it is
  in recovery, keel serve's --store-read-replica naming it, the replication role allowed by the
  primary's pg_hba), only nginx publishing a port,
  the trusted proxy address equal to nginx's, every ${VAR} defined in keel.env.example, no secret
  value in that template, every mounted file present;
- Dockerfile: Debian stages, a non-root runtime user, a health check, every COPY source present,
  and every shared library the keel binary links provided by a package the runtime stage installs
  (ldd + dpkg -S on this Debian machine);
- kubernetes/: every document has apiVersion, kind and a name; Deployments' selectors match their
  pod labels; the Service selects keel serve's pods on a named container port; probes on /readyz and
  /healthz; pods run as non-root; the Secret example holds no value;
- every keel command line in these files: each option exists in `keel <command> --help` of this
  build (a command this build lacks is reported, not failed);
- systemd/: the backup timer starts the backup service, which runs the installed keel-backup as a
  user other than root with the variables backup.env.example defines; the CronJob's schedule is
  five valid cron fields, it never overlaps itself, and its volume's claim is defined;
- nginx -t on keel.conf and compose.conf (with a throwaway certificate and 127.0.0.1 for the compose
  host name) when Debian's nginx is installed.
Exit 1 with one line per problem.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

problems = []
notes = []


def problem(text):
    problems.append(text)


def load_yaml_docs(path):
    with open(path, encoding="utf-8") as fh:
        return [d for d in yaml.safe_load_all(fh) if d is not None]


def keel_help(keel, words):
    proc = subprocess.run([keel, *words, "--help"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return proc.returncode, proc.stdout


def check_command_line(keel, args, where):
    """args: the words after `keel` (global options first)."""
    words = list(args)
    # Global options of keel (value-taking ones consume the next word).
    while words and words[0].startswith("--"):
        opt = words.pop(0)
        if "=" not in opt and opt in ("--db", "--format") and words:
            words.pop(0)
    path = []
    while words and not words[0].startswith("-"):
        path.append(words.pop(0))
    if not path:
        problem(f"{where}: no keel command in {args}")
        return
    code, text = keel_help(keel, path)
    usage = next((line for line in text.splitlines() if line.startswith("Usage:")), "")
    if code != 0 or " ".join(path) not in usage:  # CLI11 answers an unknown command with the main help
        problem(f"{where}: `keel {' '.join(path)}` is not a command of this keel")
        return
    for w in words:
        if w.startswith("--"):
            name = w.split("=", 1)[0]
            if not re.search(r"(^|[\s,])" + re.escape(name) + r"\b", text):
                problem(f"{where}: keel {' '.join(path)} has no option {name}")


def check_compose(keel, deploy):
    path = os.path.join(deploy, "compose.yaml")
    doc = load_yaml_docs(path)[0]
    services = doc.get("services", {})
    for name in ("postgres", "postgres-replica", "migrate", "keel-serve", "keel-worker", "nginx"):
        if name not in services:
            problem(f"compose.yaml: no service {name}")
    if problems:
        return
    serve, worker, migrate, nginx, pg = (services[n] for n in ("keel-serve", "keel-worker", "migrate", "nginx", "postgres"))
    if serve.get("deploy", {}).get("replicas") != 2:
        problem("compose.yaml: keel-serve should run 2 replicas")
    if int(worker.get("deploy", {}).get("replicas", 1)) < 1:
        problem("compose.yaml: keel-worker needs at least one replica")
    if "worker" not in worker.get("command", []):
        problem("compose.yaml: keel-worker does not run `keel worker`")
    serve_args = serve.get("command", [])
    if "--job-workers" not in serve_args or serve_args[serve_args.index("--job-workers") + 1] != "0":
        problem("compose.yaml: keel-serve should run with --job-workers 0 (the keel-worker replicas run the jobs)")
    for name, svc in (("keel-serve", serve), ("keel-worker", worker)):
        if svc.get("depends_on", {}).get("migrate", {}).get("condition") != "service_completed_successfully":
            problem(f"compose.yaml: {name} must start after migrate completed successfully")
    if migrate.get("depends_on", {}).get("postgres", {}).get("condition") != "service_healthy":
        problem("compose.yaml: migrate must wait for a healthy postgres")
    if nginx.get("depends_on", {}).get("keel-serve", {}).get("condition") != "service_healthy":
        problem("compose.yaml: nginx must wait for a healthy keel-serve")
    # The read replica: a standby of postgres, started after it, that keel serve reads from.
    replica = services["postgres-replica"]
    if replica.get("depends_on", {}).get("postgres", {}).get("condition") != "service_healthy":
        problem("compose.yaml: postgres-replica must wait for a healthy postgres (it copies it)")
    if "pg_is_in_recovery()" not in " ".join(replica.get("healthcheck", {}).get("test", [])):
        problem("compose.yaml: postgres-replica's health check should ask that it is a standby (pg_is_in_recovery)")
    entry = next((v.split(":")[0] for v in replica.get("volumes", []) if "entrypoint" in v), None)
    entry_text = open(os.path.join(deploy, entry), encoding="utf-8").read() if entry and os.path.exists(
        os.path.join(deploy, entry)) else ""
    for needed in ("pg_basebackup", "--write-recovery-conf", "hot_standby=on", "keel_replicator"):
        if needed not in entry_text:
            problem(f"compose.yaml: postgres-replica's entrypoint ({entry}) lacks {needed}")
    serve_cmd = serve.get("command", [])
    if "--store-read-replica" not in serve_cmd or "@postgres-replica:" not in serve_cmd[serve_cmd.index("--store-read-replica") + 1]:
        problem("compose.yaml: keel-serve should read from postgres-replica (--store-read-replica)")
    roles = open(os.path.join(deploy, "postgres", "10-keel-roles.sh"), encoding="utf-8").read()
    if "REPLICATION" not in roles or "host replication keel_replicator" not in roles:
        problem("postgres/10-keel-roles.sh: no replication role keel_replicator allowed by pg_hba.conf")
    for name in ("postgres", "postgres-replica", "keel-serve", "nginx"):
        test = services[name].get("healthcheck", {}).get("test")
        if not test or services[name].get("healthcheck", {}).get("disable"):
            problem(f"compose.yaml: {name} has no health check")
    if "/readyz" not in " ".join(serve["healthcheck"]["test"]):
        problem("compose.yaml: keel-serve's health check should ask /readyz")
    for name, svc in services.items():
        if svc.get("ports") and name != "nginx":
            problem(f"compose.yaml: {name} publishes a port; only nginx should")
    # TLS: nginx publishes 443 with the certificate of deploy/tls, which its script makes, and
    # every site limits request rates with zones it declares.
    if not any(str(p).endswith(":443") for p in nginx.get("ports", [])):
        problem("compose.yaml: nginx does not publish 443")
    if not any(str(v).startswith("./tls:/etc/nginx/tls") for v in nginx.get("volumes", [])):
        problem("compose.yaml: nginx does not mount ./tls at /etc/nginx/tls")
    if not os.access(os.path.join(deploy, "tls", "make-self-signed"), os.X_OK):
        problem("tls/make-self-signed: missing or not executable")
    proxy_text = open(os.path.join(deploy, "nginx", "keel-proxy.conf"), encoding="utf-8").read()
    used_zones = set(re.findall(r"limit_req zone=(\w+)", proxy_text))
    if not used_zones:
        problem("nginx/keel-proxy.conf: no limit_req")
    for site in ("keel.conf", "compose.conf"):
        declared = set(re.findall(r"zone=(\w+):", open(os.path.join(deploy, "nginx", site), encoding="utf-8").read()))
        for zone in sorted(used_zones - declared):
            problem(f"nginx/{site}: zone {zone} used by keel-proxy.conf is not declared")
    # The trusted proxy is nginx's fixed address, inside the network's subnet.
    args = serve["command"]
    trusted = args[args.index("--trust-proxy") + 1] if "--trust-proxy" in args else None
    address = nginx.get("networks", {}).get("keel", {}).get("ipv4_address")
    if trusted is None or trusted != address:
        problem(f"compose.yaml: keel serve trusts {trusted} but nginx's address is {address}")
    subnet = doc.get("networks", {}).get("keel", {}).get("ipam", {}).get("config", [{}])[0].get("subnet", "")
    if address and not address.startswith(subnet.rsplit(".", 1)[0] + "."):
        problem(f"compose.yaml: nginx's address {address} is outside the network {subnet}")
    # Variables: all defined by the env template; secrets left empty there.
    with open(path, encoding="utf-8") as fh:
        used = set(re.findall(r"\$\{([A-Z0-9_]+)", fh.read()))
    env = {}
    with open(os.path.join(deploy, "keel.env.example"), encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                k, v = line.split("=", 1)
                env[k] = v
    for var in sorted(used - set(env)):
        problem(f"compose.yaml: ${{{var}}} is not in keel.env.example")
    for k, v in env.items():
        if re.search(r"PASSWORD|SECRET|KEY", k) and v:
            problem(f"keel.env.example: {k} holds a value; the template must hold no secret")
    # Mounted files and the build.
    for name, svc in services.items():
        for vol in svc.get("volumes", []):
            src = vol.split(":", 1)[0]
            if src.startswith("./") and not os.path.exists(os.path.join(deploy, src)):
                problem(f"compose.yaml: {name} mounts {src}, which does not exist")
        build = svc.get("build")
        if build:
            dockerfile = os.path.join(deploy, build.get("context", "."), build.get("dockerfile", "Dockerfile"))
            if not os.path.isfile(dockerfile):
                problem(f"compose.yaml: {name} builds from {dockerfile}, which does not exist")
            target = build.get("target")
            if target and not re.search(rf"^FROM \S+ AS {target}$", open(dockerfile).read(), re.M):
                problem(f"compose.yaml: {name} builds target {target}, which the Dockerfile lacks")
    for name in ("migrate", "keel-serve", "keel-worker"):
        cmd = [re.sub(r"\$\{[^}]*\}", "x", w) for w in services[name]["command"]]
        check_command_line(keel, cmd, f"compose.yaml {name}")


def runtime_packages(dockerfile_text):
    stages = re.split(r"^FROM ", dockerfile_text, flags=re.M)[1:]
    for s in stages:
        if re.match(r"\S+ AS runtime\b", s):
            install = re.search(r"apt-get install([^&]*)&&", s)
            words = re.sub(r"\\\n", " ", install.group(1)).split() if install else []
            return s, {w for w in words if re.match(r"^[a-z0-9][a-z0-9.+-]+$", w)}
    return "", set()


def check_dockerfile(keel, root, deploy):
    text = open(os.path.join(deploy, "Dockerfile"), encoding="utf-8").read()
    froms = re.findall(r"^FROM (\S+)", text, re.M)
    if len(froms) < 3:
        problem("Dockerfile: expected a multi-stage build (build, web, runtime)")
    for f in froms:
        if not re.match(r"^debian:(bookworm|trixie)", f):
            problem(f"Dockerfile: stage FROM {f} is not Debian")
    runtime, packages = runtime_packages(text)
    if not runtime:
        problem("Dockerfile: no runtime stage")
        return
    if not text.rstrip().split("\nFROM ")[-1].startswith("debian:bookworm-slim AS runtime"):
        problem("Dockerfile: the runtime stage must be the last (the default target)")
    user = re.findall(r"^USER (\S+)", runtime, re.M)
    if not user or user[-1] in ("root", "0"):
        problem("Dockerfile: the runtime stage must run as a non-root user")
    if "HEALTHCHECK" not in runtime or "/readyz" not in runtime:
        problem("Dockerfile: the runtime stage needs a HEALTHCHECK on /readyz")
    for src in re.findall(r"^COPY (?!--from)(\S+)", text, re.M):
        if not os.path.exists(os.path.join(root, src)):
            problem(f"Dockerfile: COPY {src}: no such path in the repository")
    # Every library keel links, provided by a runtime package (this machine is Debian 12 too).
    if shutil.which("ldd") and shutil.which("dpkg") and shutil.which("apt-cache"):
        # What the runtime packages bring with them: their dependency closure.
        closure = subprocess.run(["apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests",
                                  "--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances",
                                  *sorted(packages)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                 text=True).stdout
        brought = set(packages) | {m.split(":")[0] for m in re.findall(r"^\s*(?:\|?Depends|PreDepends): <?([^\s>]+)",
                                                                       closure, re.M)}
        brought |= {line.strip().split(":")[0] for line in closure.splitlines() if line and not line[0].isspace()}
        # One call each (a call per library takes minutes on a busy machine).
        shown = subprocess.run(["apt-cache", "show", "--no-all-versions", *sorted(packages)],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
        for pkg in sorted(packages - set(re.findall(r"^Package: (\S+)", shown, re.M))):
            problem(f"Dockerfile: the runtime stage installs {pkg}, which Debian 12 does not have")
        out = subprocess.run(["ldd", keel], stdout=subprocess.PIPE, text=True).stdout
        libs = re.findall(r"=> (/\S+)", out)
        paths = sorted({p for lib in libs for p in (lib, os.path.realpath(lib))})
        owners = {}
        listing = subprocess.run(["dpkg", "-S", *paths], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                 text=True).stdout
        for line in listing.splitlines():
            pkg, _, path = line.partition(": ")
            owners[path.strip()] = pkg.split(":")[0]
        for lib in libs:
            pkg = owners.get(os.path.realpath(lib)) or owners.get(lib)
            if pkg is None:
                notes.append(f"Dockerfile: no package owns {lib}")
            elif pkg not in brought:
                problem(f"Dockerfile: keel links {os.path.basename(lib)} ({pkg}), which no runtime package brings")
    else:
        notes.append("Dockerfile: ldd or dpkg missing; runtime libraries not checked")


def check_kubernetes(keel, deploy):
    kdir = os.path.join(deploy, "kubernetes")
    docs = {}
    for f in sorted(os.listdir(kdir)):
        if f.endswith(".yaml"):
            for d in load_yaml_docs(os.path.join(kdir, f)):
                for key in ("apiVersion", "kind"):
                    if key not in d:
                        problem(f"kubernetes/{f}: no {key}")
                if d.get("kind") != "Kustomization" and not d.get("metadata", {}).get("name"):
                    problem(f"kubernetes/{f}: no metadata.name")
                docs.setdefault(d.get("kind"), []).append((f, d))
    kust = docs.get("Kustomization", [(None, {})])[0][1]
    for r in kust.get("resources", []):
        if not os.path.isfile(os.path.join(kdir, r)):
            problem(f"kubernetes/kustomization.yaml: resource {r} does not exist")
    deployments = {d["metadata"]["name"]: (f, d) for f, d in docs.get("Deployment", [])}
    for name in ("keel-serve", "keel-worker"):
        if name not in deployments:
            problem(f"kubernetes: no Deployment {name}")
    pods = [(f, d["metadata"]["name"], d["spec"]["template"]) for f, d in docs.get("Deployment", [])]
    pods += [(f, d["metadata"]["name"], d["spec"]["template"]) for f, d in docs.get("Job", [])]
    for f, d in docs.get("Deployment", []):
        want = d["spec"]["selector"]["matchLabels"]
        have = d["spec"]["template"]["metadata"]["labels"]
        if any(have.get(k) != v for k, v in want.items()):
            problem(f"kubernetes/{f}: the selector does not match the pod labels")
    for f, d in docs.get("CronJob", []):
        pods.append((f, d["metadata"]["name"], d["spec"]["jobTemplate"]["spec"]["template"]))
        check_cron_schedule(d["spec"].get("schedule", ""), f"kubernetes/{f}")
        if d["spec"].get("concurrencyPolicy") != "Forbid":
            problem(f"kubernetes/{f}: a backup must not overlap the previous one (concurrencyPolicy: Forbid)")
        claims = {c["metadata"]["name"] for _, c in docs.get("PersistentVolumeClaim", [])}
        for v in d["spec"]["jobTemplate"]["spec"]["template"]["spec"].get("volumes", []):
            claim = v.get("persistentVolumeClaim", {}).get("claimName")
            if claim and claim not in claims:
                problem(f"kubernetes/{f}: volume {v.get('name')} claims {claim}, which no document defines")
    jobs = [(f, d["spec"]["template"]) for f, d in docs.get("Job", [])]
    jobs += [(f, d["spec"]["jobTemplate"]["spec"]["template"]) for f, d in docs.get("CronJob", [])]
    for f, tpl in jobs:
        if tpl["spec"].get("restartPolicy") not in ("Never", "OnFailure"):
            problem(f"kubernetes/{f}: a Job's pods need restartPolicy Never or OnFailure")
    secret_keys = set()
    for f, d in docs.get("Secret", []):
        for k, v in d.get("stringData", {}).items():
            secret_keys.add(k)
            if v:
                problem(f"kubernetes/{f}: {k} holds a value; the example must hold no secret")
    for f, name, tpl in pods:
        spec = tpl["spec"]
        if not spec.get("securityContext", {}).get("runAsNonRoot"):
            problem(f"kubernetes/{f}: {name}'s pods must run as non-root")
        for c in spec["containers"]:
            if not c.get("image"):
                problem(f"kubernetes/{f}: container {c.get('name')} has no image")
            for e in c.get("env", []):
                ref = e.get("valueFrom", {}).get("secretKeyRef")
                if ref and ref.get("key") not in secret_keys:
                    problem(f"kubernetes/{f}: {e['name']} reads key {ref.get('key')}, not in secret.example.yaml")
            if c.get("args") or not c.get("command"):  # a command of its own (the backup script) is not keel's
                check_command_line(keel, c.get("args", []), f"kubernetes/{f} {c.get('name')}")
    if "keel-serve" in deployments:
        f, d = deployments["keel-serve"]
        c = d["spec"]["template"]["spec"]["containers"][0]
        ports = {p.get("name") for p in c.get("ports", [])}
        if c.get("readinessProbe", {}).get("httpGet", {}).get("path") != "/readyz":
            problem(f"kubernetes/{f}: keel serve's readiness probe should ask /readyz")
        if c.get("livenessProbe", {}).get("httpGet", {}).get("path") != "/healthz":
            problem(f"kubernetes/{f}: keel serve's liveness probe should ask /healthz")
        for probe in ("readinessProbe", "livenessProbe"):
            if c.get(probe, {}).get("httpGet", {}).get("port") not in ports:
                problem(f"kubernetes/{f}: the {probe} names a port the container does not declare")
        labels = d["spec"]["template"]["metadata"]["labels"]
        for sf, s in docs.get("Service", []):
            sel = s["spec"]["selector"]
            if any(labels.get(k) != v for k, v in sel.items()):
                problem(f"kubernetes/{sf}: the Service does not select keel serve's pods")
            for p in s["spec"]["ports"]:
                if p.get("targetPort") not in ports:
                    problem(f"kubernetes/{sf}: targetPort {p.get('targetPort')} is not a port of keel serve")


def check_cron_schedule(schedule, where):
    """Five cron fields, each a number in range, a list, a range, a step or *."""
    fields = schedule.split()
    ranges = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]
    if len(fields) != 5:
        problem(f"{where}: schedule {schedule!r} is not five cron fields")
        return
    for field, (lo, hi) in zip(fields, ranges):
        for part in field.split(","):
            base, _, step = part.partition("/")
            if step and not step.isdigit():
                problem(f"{where}: schedule field {field!r} has a bad step")
            if base == "*":
                continue
            for n in base.split("-"):
                if not n.isdigit() or not lo <= int(n) <= hi:
                    problem(f"{where}: schedule field {field!r} is out of {lo}-{hi}")


def check_systemd(root, deploy):
    """The backup units: the timer starts the service; the service runs the installed script with
    the variables it needs from its EnvironmentFile, whose example defines them."""
    import configparser

    sdir = os.path.join(deploy, "systemd")
    units = {}
    for f in ("keel-backup.service", "keel-backup.timer"):
        parser = configparser.ConfigParser(strict=True, interpolation=None)
        parser.optionxform = str
        try:
            with open(os.path.join(sdir, f), encoding="utf-8") as fh:
                parser.read_file(fh)
        except (OSError, configparser.Error) as e:
            problem(f"systemd/{f}: {e}")
            continue
        units[f] = parser
    timer, service = units.get("keel-backup.timer"), units.get("keel-backup.service")
    if timer is not None:
        if timer.get("Timer", "Unit", fallback="keel-backup.service") != "keel-backup.service":
            problem("systemd/keel-backup.timer: does not start keel-backup.service")
        if not timer.get("Timer", "OnCalendar", fallback=""):
            problem("systemd/keel-backup.timer: no OnCalendar")
        if timer.get("Install", "WantedBy", fallback="") != "timers.target":
            problem("systemd/keel-backup.timer: not WantedBy timers.target")
    if service is not None:
        if service.get("Service", "Type", fallback="") != "oneshot":
            problem("systemd/keel-backup.service: a backup is Type=oneshot")
        if service.get("Service", "ExecStart", fallback="") != "/usr/local/lib/keel/keel-backup":
            problem("systemd/keel-backup.service: ExecStart is not the installed keel-backup")
        if service.get("Service", "User", fallback="root") == "root":
            problem("systemd/keel-backup.service: runs as root")
    example = os.path.join(sdir, "backup.env.example")
    with open(example, encoding="utf-8") as fh:
        defined = {line.split("=", 1)[0] for line in fh if re.match(r"^[A-Z_]+=", line)}
    for var in ("KEEL_DB", "KEEL_BACKUP_DIR", "KEEL_BACKUP_KEEP"):
        if var not in defined:
            problem(f"systemd/backup.env.example: {var} is not defined")
    with open(os.path.join(deploy, "backup", "keel-backup"), encoding="utf-8") as fh:
        script = fh.read()
    if not os.access(os.path.join(deploy, "backup", "keel-backup"), os.X_OK):
        problem("backup/keel-backup: not executable")
    for word in ("db backup", "pg_dump"):
        if word not in script:
            problem(f"backup/keel-backup: does not run {word}")


def check_nginx(deploy):
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if not nginx:
        notes.append("nginx -t not run: Debian's nginx is not installed (scripts/setup installs nginx-light)")
        return
    proxy = os.path.join(deploy, "nginx", "keel-proxy.conf")
    with tempfile.TemporaryDirectory(prefix="keel-nginx-") as tmp:
        cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                        "/CN=keel.example.com", "-keyout", key, "-out", cert],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        for site in ("keel.conf", "compose.conf"):
            text = open(os.path.join(deploy, "nginx", site), encoding="utf-8").read()
            text = text.replace("/etc/nginx/keel-proxy.conf", proxy)
            text = re.sub(r"/etc/(letsencrypt|nginx/tls)/\S*fullchain\.pem", cert, text)
            text = re.sub(r"/etc/(letsencrypt|nginx/tls)/\S*privkey\.pem", key, text)
            text = text.replace("keel-serve:8080", "127.0.0.1:8080")
            conf = os.path.join(tmp, "nginx.conf")
            with open(conf, "w", encoding="utf-8") as fh:
                fh.write(f"pid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\nevents {{}}\n"
                         f"http {{\naccess_log off;\nclient_body_temp_path {tmp};\nproxy_temp_path {tmp};\n"
                         f"{text}\n}}\n")
            proc = subprocess.run([nginx, "-t", "-q", "-p", tmp, "-e", os.path.join(tmp, "error.log"), "-c", conf],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            if proc.returncode != 0:
                problem(f"nginx -t refuses deploy/nginx/{site}: {proc.stdout.strip()}")


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    keel, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    deploy = os.path.join(root, "deploy")
    check_compose(keel, deploy)
    check_dockerfile(keel, root, deploy)
    check_kubernetes(keel, deploy)
    check_systemd(root, deploy)
    check_nginx(deploy)
    for n in notes:
        print("note:", n)
    for p in problems:
        print("PROBLEM:", p)
    if problems:
        return 1
    print(f"deploy/: compose, Dockerfile, kubernetes, systemd and nginx checked ({len(notes)} notes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
