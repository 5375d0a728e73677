#!/usr/bin/env bash
# Fuzz the live API against its OpenAPI description with schemathesis, as anonymous, a talent,
# an organiser and an admin. Usage: DATABASE_URL=… scripts/fuzz_api.sh [max-examples]
# The database must be upgraded and loaded with seed-demo. Fails on any 5xx or schema mismatch.
# FUZZ_CHECKS overrides the schemathesis checks (comma-separated).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
EXAMPLES="${1:-25}"
PORT="$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
LOG="$(mktemp)"
# No limit on the request line: a generated query string of several kilobytes must reach the app,
# whose answer is what is checked (gunicorn's own limit would answer 414 before it).
RATELIMIT_ENABLED=0 SECRET_KEY="${SECRET_KEY:-fuzz}" "$VENV/bin/gunicorn" -w 2 -b "127.0.0.1:$PORT" \
  --limit-request-line 0 wsgi:app >"$LOG" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -f "$LOG"' EXIT
for _ in $(seq 50); do curl -fs "$BASE/api/v1/homes" >/dev/null 2>&1 && break; sleep 0.2; done

token() {
  curl -fs -X POST "$BASE/api/v1/auth/token" -H 'content-type: application/json' \
    -d "{\"email\": \"$1\", \"password\": \"$2\"}" | "$VENV/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}

status=0
for who in anonymous talent.nanhai@example.com:Talent12345 organiser.liwan@example.com:Organiser123 admin@example.com:Admin12345; do
  headers=()
  if [ "$who" != anonymous ]; then headers=(-H "Authorization: Bearer $(token "${who%%:*}" "${who##*:}")"); fi
  echo "-- schemathesis as ${who%%:*}"
  # DELETE /me would erase the account whose token drives the rest of the run, and
  # POST /auth/logout would revoke that token.
  "$VENV/bin/schemathesis" run "$BASE/api/v1/openapi.json" --url "$BASE" "${headers[@]}" \
    --checks "${FUZZ_CHECKS:-not_a_server_error,response_schema_conformance,status_code_conformance}" \
    --max-examples "$EXAMPLES" --exclude-method DELETE --exclude-path /api/v1/auth/logout --no-color 2>&1 | tail -n 25 || status=1
done
if grep -q Traceback "$LOG"; then
  echo "the server logged errors:"; grep -A 20 Traceback "$LOG" | head -n 60; status=1
fi
exit $status
