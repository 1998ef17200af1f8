# The web app: builds web/ (npm ci from the lockfile, then vite) when node is installed, sets a demo
# user's password in the demo store, and prints the one command that serves both.
set -euo pipefail
k() { "$KEEL" --db "$KEEL_DB" --quiet "$@"; }
echo "== web app"
if [ ! -f web/package.json ]; then
  echo "no web/ here: skipping the web app"
elif ! command -v npm >/dev/null 2>&1; then
  echo "node and npm are not installed: skipping the web app build (keel serve still serves the API)"
else
  keel_abs=$(cd "$(dirname "$KEEL")" && pwd)/$(basename "$KEEL")
  (cd web && npm ci --no-audit --no-fund --loglevel=error >/dev/null && KEEL_BIN=$keel_abs npm run --silent build >/dev/null)
  echo "built web/dist"
fi
# A fresh password each run, so the demo never ships a known one.
password="demo-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
# A manager: the demo user may do everything the demo shows (create portfolios, edit positions,
# run the batch), short of administering users.
if k user list 2>/dev/null | grep -qw demo; then
  printf '%s\n' "$password" | k user passwd demo --password-stdin >/dev/null
  role="its role kept from an earlier demo"
else
  printf '%s\n' "$password" | k user add demo --role manager --tenant default --password-stdin >/dev/null
  role="manager"
fi
echo "demo user: demo ($role, tenant default), password: $password"
echo "serve it:  make serve   then open http://127.0.0.1:8080/"
