#!/usr/bin/env bash
# Starts `make run` on SQLite in a scratch var/ folder, waits for /healthz, fetches /, stops it.
set -euo pipefail
port=${SMOKE_PORT:-8765}
export GUICHET_VAR_DIR=$(mktemp -d)
log="$GUICHET_VAR_DIR/run.log"
unset DATABASE_URL
setsid make run PORT="$port" >"$log" 2>&1 &
pid=$!
stop() { kill -- -"$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
trap stop EXIT
for _ in $(seq 1 300); do
  if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "make run exited early:"; tail -50 "$log"; exit 1; fi
  sleep 1
done
curl -fsS "http://127.0.0.1:$port/healthz"; echo
# Into a file first: `grep -q` stops reading early, which would make curl fail under pipefail.
curl -fsS "http://127.0.0.1:$port/" -o "$GUICHET_VAR_DIR/home.html"
grep -q "Vos titres sécurisés" "$GUICHET_VAR_DIR/home.html" || { echo "home page did not render"; tail -50 "$log"; exit 1; }
grep -q "@" "$log" || { echo "make run printed no demo accounts"; tail -50 "$log"; exit 1; }
echo "smoke: make run serves / and /healthz"
