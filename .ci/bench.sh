#!/usr/bin/env bash
# Shoal's benchmark: builds the release site, starts the release server on loopback with a
# fresh SQLite database and Postfix's smtp-sink as its SMTP server, creates an academy through
# the CLI, and measures each row: HTTP rows with wrk (a short warm-up, then a bounded run), email
# rows with a small Python driver (invitations through the JSON API, the sink's message counter
# polled every 5 ms, Postfix's smtp-source as the yardstick). Prints one Markdown table.
#
# Knobs (environment): BENCH_DURATION (10s, the cap per measured wrk run), BENCH_WARMUP (2s),
# BENCH_THREADS (1), BENCH_CONNECTIONS (16), BENCH_SKIP_BUILD=1 to use the existing build;
# email rows: BENCH_INVITES (10000), BENCH_LATENCY_SAMPLES (50), BENCH_MAIL_TIMEOUT (300, the
# cap in seconds of each email phase), BENCH_SMTP_SOURCE_ARGS (-s 16 -m $BENCH_INVITES -f a@x
# -t b@y), BENCH_SKIP_MAIL=1 to leave the email rows out; BENCH_SKIP_TEAMS=1 to leave the teams
# rows out; CSV import rows: BENCH_IMPORT_ROWS (100000, at most the server's 100,000 cap),
# BENCH_IMPORT_SMALL (10000), BENCH_IMPORT_TIMEOUT (300, the cap in seconds of each import phase),
# BENCH_SKIP_IMPORT=1 to leave them out, BENCH_SKIP_PG=1 to leave out their PostgreSQL part (a
# throw-away cluster and a second release server on it); the CSV preview in Chromium beside
# PapaParse (.ci/bench-csv-browser.sh, its own server): BENCH_SKIP_BROWSER=1 to leave it out.
# The first load of the entry pages in Chromium (.ci/bench-first-load.sh): BENCH_SKIP_FIRST_LOAD=1.
# API rows (issue 6, .ci/bench_api.py with the open-loop load generator server/examples/api_load.rs):
# BENCH_API_RATE (500 requests/s), BENCH_API_SECONDS (10, ≤ 60), BENCH_API_CAPACITY_SECONDS (5, ≤ 30;
# 0 leaves the closed-loop capacity rows out), BENCH_API_LOAD_BIN (a built api_load; otherwise it is
# built, or taken as built when BENCH_SKIP_BUILD=1), BENCH_SKIP_API=1 to leave them out,
# BENCH_API_TRACE_DIR (a folder: every request's due time and latency per run, and the server's log).
# Statistics (issue 7, server/examples/statistics_bench.rs, SQLite and PostgreSQL): BENCH_STATS_ARGS
# (its options), BENCH_SKIP_STATS=1 to leave it out.
# Memory after a sign-in burst (issue 17, .ci/bench_memory.py, a fresh server of its own):
# BENCH_MEMORY_SIGNINS (30), BENCH_MEMORY_SETTLE (30 seconds), BENCH_SKIP_MEMORY=1 to leave it out.
# Export CSV (issue 20, .ci/bench_export.py, a fresh server of its own): BENCH_EXPORT_ROWS (100000),
# BENCH_SKIP_EXPORT=1 to leave it out.
# Bulk actions (issue 20, .ci/bench_bulk.py, a fresh server of its own): BENCH_BULK_LEARNERS (10000),
# BENCH_SKIP_BULK=1 to leave it out.
# To add a row: one more `bench_row NAME PATH` line at the bottom (or `bench_row NAME PATH
# SCRIPT.lua` for a request that needs a method, body or cookie).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BENCH_DURATION="${BENCH_DURATION:-10s}"
BENCH_WARMUP="${BENCH_WARMUP:-2s}"
BENCH_THREADS="${BENCH_THREADS:-1}"
BENCH_CONNECTIONS="${BENCH_CONNECTIONS:-16}"
BENCH_INVITES="${BENCH_INVITES:-10000}"
BENCH_LATENCY_SAMPLES="${BENCH_LATENCY_SAMPLES:-50}"
BENCH_MAIL_TIMEOUT="${BENCH_MAIL_TIMEOUT:-300}"
BENCH_SMTP_SOURCE_ARGS="${BENCH_SMTP_SOURCE_ARGS:--s 16 -m $BENCH_INVITES -f a@x -t b@y}"
BENCH_IMPORT_ROWS="${BENCH_IMPORT_ROWS:-100000}"
BENCH_IMPORT_SMALL="${BENCH_IMPORT_SMALL:-10000}"
BENCH_IMPORT_TIMEOUT="${BENCH_IMPORT_TIMEOUT:-300}"
BENCH_API_RATE="${BENCH_API_RATE:-500}"
BENCH_API_SECONDS="${BENCH_API_SECONDS:-10}"
BENCH_API_CAPACITY_SECONDS="${BENCH_API_CAPACITY_SECONDS:-5}"

# wrk runs are capped at 10 s each.
case "$BENCH_DURATION" in
  [1-9]s | 10s) ;;
  *) die "BENCH_DURATION must be 1s..10s (got $BENCH_DURATION)" ;;
esac
[[ "$BENCH_INVITES" =~ ^[1-9][0-9]*$ && "$BENCH_LATENCY_SAMPLES" =~ ^[1-9][0-9]*$ ]] ||
  die "BENCH_INVITES and BENCH_LATENCY_SAMPLES must be positive whole numbers"
if ! [[ "$BENCH_MAIL_TIMEOUT" =~ ^[1-9][0-9]*$ ]] || ((BENCH_MAIL_TIMEOUT > 600)); then
  die "BENCH_MAIL_TIMEOUT must be 1..600 seconds (got $BENCH_MAIL_TIMEOUT)"
fi

if ! [[ "$BENCH_IMPORT_ROWS" =~ ^[1-9][0-9]*$ && "$BENCH_IMPORT_SMALL" =~ ^[1-9][0-9]*$ ]] ||
  ((BENCH_IMPORT_ROWS > 100000 || BENCH_IMPORT_SMALL > 100000)); then
  die "BENCH_IMPORT_ROWS and BENCH_IMPORT_SMALL must be 1..100000 (the server's cap per upload)"
fi
if ! [[ "$BENCH_IMPORT_TIMEOUT" =~ ^[1-9][0-9]*$ ]] || ((BENCH_IMPORT_TIMEOUT > 600)); then
  die "BENCH_IMPORT_TIMEOUT must be 1..600 seconds (got $BENCH_IMPORT_TIMEOUT)"
fi
if ! [[ "$BENCH_API_RATE" =~ ^[1-9][0-9]*$ && "$BENCH_API_SECONDS" =~ ^[1-9][0-9]*$ &&
  "$BENCH_API_CAPACITY_SECONDS" =~ ^[0-9]+$ ]] ||
  ((BENCH_API_RATE > 20000 || BENCH_API_SECONDS > 60 || BENCH_API_CAPACITY_SECONDS > 30)); then
  die "BENCH_API_RATE must be 1..20000, BENCH_API_SECONDS 1..60, BENCH_API_CAPACITY_SECONDS 0..30"
fi

while IFS= read -r var; do unset "$var"; done < <(compgen -v SHOAL_ || true)
setup_env
cd "$REPO_ROOT"
# The Python drivers share .ci/bench_common.py.
export PYTHONPATH="$REPO_ROOT/.ci${PYTHONPATH:+:$PYTHONPATH}"

# postfix brings smtp-sink and smtp-source; sqlite3 and postgresql the import rows' yardsticks.
packages=(wrk curl postfix)
if [[ "${BENCH_SKIP_IMPORT:-}" != 1 ]]; then
  packages+=(sqlite3)
  if [[ "${BENCH_SKIP_PG:-}" != 1 ]]; then packages+=(postgresql); fi
fi
apt_ensure "${packages[@]}"

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  server_cleanup
  smtp_sink_stop
  pg_stop
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ "${BENCH_SKIP_BUILD:-}" != 1 ]]; then
  log "Release build"
  build_release
fi

# The API rows' load generator, built before anything is measured (a first build compiles the
# server's crates once more with its dev-dependencies: minutes).
API_LOAD_BIN=''
if [[ "${BENCH_SKIP_API:-}" != 1 ]]; then
  API_LOAD_BIN="${BENCH_API_LOAD_BIN:-$(_cargo_paths | cut -f1)/release/examples/api_load}"
  if [[ -z "${BENCH_API_LOAD_BIN:-}" && ("${BENCH_SKIP_BUILD:-}" != 1 || ! -x "$API_LOAD_BIN") ]]; then
    log "Building the API rows' load generator (cargo build --release -p server --example api_load)"
    cargo build --release -p server --example api_load
  fi
  [[ -x "$API_LOAD_BIN" ]] || die "no load generator at $API_LOAD_BIN"
fi

# The Statistics page's service at 100,000 learners and invitations (issue 7): its own program
# (server/examples/statistics_bench.rs), built here, run after the HTTP rows; its tables follow the
# main one.
STATS_BIN=''
if [[ "${BENCH_SKIP_STATS:-}" != 1 ]]; then
  STATS_BIN="$(_cargo_paths | cut -f1)/release/examples/statistics_bench"
  if [[ "${BENCH_SKIP_BUILD:-}" != 1 || ! -x "$STATS_BIN" ]]; then
    log "Building the Statistics benchmark (cargo build --release -p server --example statistics_bench)"
    cargo build --release -p server --example statistics_bench
  fi
  [[ -x "$STATS_BIN" ]] || die "no Statistics benchmark at $STATS_BIN"
fi

# A real SMTP server on loopback, so the email rows measure real delivery. It keeps no
# messages (writing 10,000 files would make the sink the bottleneck); its -c counter in
# $SMTP_SINK_DIR/sink.log says how many it accepted.
smtp_sink_start --no-keep
SHOAL_MODE=production server_prepare
# The API rows call far faster than an API client may (the token bucket: 20/s, burst 100): the
# bucket is made ten times what the longest run sends (bench_api.py checks X-RateLimit-Limit).
if [[ "${BENCH_SKIP_API:-}" != 1 ]]; then
  API_BURST=$((10 * BENCH_API_RATE * (BENCH_API_SECONDS + 1)))
  ((API_BURST >= 100000)) || API_BURST=100000
  SERVER_ENV+=(SHOAL_API_RATE=100000 "SHOAL_API_BURST=$API_BURST")
fi
SLUG=bench
OWNER_EMAIL=owner@bench.example
OWNER_PASSWORD='bench-password-0123'
log "Creating academy '$SLUG' with the CLI"
shoal_cli academy create --slug "$SLUG" --name "Bench Academy" --owner-name "Bench Owner" \
  --owner-email "$OWNER_EMAIL" --owner-password "$OWNER_PASSWORD"
server_start

ROWS=() BROKEN=0
# bench_row NAME PATH [LUA_SCRIPT]
bench_row() {
  local name=$1 path=$2 script=${3:-} url out code args=()
  url="$SERVER_URL$path"
  code="$(curl -s -o /dev/null -w '%{http_code}' "$url")"
  if [[ -z "$script" && "$code" != 2* ]]; then
    warn "$name: GET $path answered $code, not 2xx; row skipped"
    ROWS+=("| $name | \`$path\` | HTTP $code | – | – | – |")
    BROKEN=$((BROKEN + 1))
    return 0
  fi
  if [[ -n "$script" ]]; then args+=(-s "$script"); fi
  log "$name: $path (warm-up $BENCH_WARMUP, then $BENCH_DURATION, $BENCH_CONNECTIONS connections)"
  wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"$BENCH_WARMUP" "${args[@]}" "$url" >/dev/null
  out="$(wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"$BENCH_DURATION" --latency "${args[@]}" "$url")"
  printf '%s\n' "$out" | sed 's/^/    /'
  local rps p50 p99 errors
  rps="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")"
  p50="$(awk '$1 == "50%" { print $2 }' <<<"$out")"
  p99="$(awk '$1 == "99%" { print $2 }' <<<"$out")"
  errors="$(awk '/Non-2xx or 3xx responses:/ { n += $NF }
    /Socket errors:/ { for (i = 3; i <= NF; i++) { v = $i; gsub(/,/, "", v); if (v ~ /^[0-9]+$/) n += v } }
    END { print n + 0 }' <<<"$out")"
  ROWS+=("| $name | \`$path\` | $rps req/s | $p50 | – | $p99 | $errors |")
}

# ---------------------------------------------------------------------------------------------
# Email rows. One Python run (stdlib only), each phase capped at BENCH_MAIL_TIMEOUT seconds:
#  1. invitations: BENCH_INVITES invitations through POST /api/invite_learners (50 people per
#     call, the most one call takes), signed in as the owner; the outbox worker sends meanwhile.
#     Measured from the first call until the sink has accepted them all.
#  2. outbox drain: the same messages queued again at once (the delivered rows of email_outbox
#     set back to 'queued' in the SQLite file, which the running worker picks up within its idle
#     poll), from the first message the sink accepts to the last: the worker alone.
#  3. smtp-source: Postfix's own client sending as many messages to the same sink, the yardstick;
#     the ratio row divides 2 by 3.
#  4. latency: with an idle queue, BENCH_LATENCY_SAMPLES single invitations one after the other,
#     each timed from sending the HTTP request ("Invite" clicked) until the sink's counter moves
#     (the sink has answered 250 to the message's final "."). p50, p95 and the maximum.
# "Accepted by the sink" is its message counter (-c), bumped when it acknowledges the data.
# ---------------------------------------------------------------------------------------------
mail_rows() {
  local out rc
  set +e
  out="$(SERVER_URL="$SERVER_URL" SINK_LOG="$SMTP_SINK_DIR/sink.log" SINK_ADDR="127.0.0.1:$SMTP_SINK_PORT" \
    DB_PATH="$SERVER_DIR/shoal.db" SLUG="$SLUG" OWNER_EMAIL="$OWNER_EMAIL" OWNER_PASSWORD="$OWNER_PASSWORD" \
    BENCH_INVITES="$BENCH_INVITES" BENCH_LATENCY_SAMPLES="$BENCH_LATENCY_SAMPLES" \
    BENCH_MAIL_TIMEOUT="$BENCH_MAIL_TIMEOUT" SMTP_SOURCE="$(command -v smtp-source || echo /usr/sbin/smtp-source)" \
    SMTP_SOURCE_ARGS="$BENCH_SMTP_SOURCE_ARGS" \
    timeout $((4 * BENCH_MAIL_TIMEOUT + 60)) python3 - <<'PY'
import json, math, os, re, sqlite3, subprocess, time

from bench_common import owner_client, row, say

env = os.environ
n = int(env["BENCH_INVITES"])
samples = int(env["BENCH_LATENCY_SAMPLES"])
cap = float(env["BENCH_MAIL_TIMEOUT"])
source_args = env["SMTP_SOURCE_ARGS"].split()
now = time.perf_counter

def sink_count():
    with open(env["SINK_LOG"], "rb") as f:
        f.seek(0, 2)
        f.seek(max(0, f.tell() - 512))
        found = re.findall(rb"mesg=(\d+)", f.read())
    return int(found[-1]) if found else 0

def wait_count(target, deadline, what):
    """Polls the sink every 5 ms until it has accepted `target` messages in all. Returns the time
    it got there and the time the count first moved."""
    start = sink_count()
    first = None
    while True:
        c = sink_count()
        t = now()
        if first is None and c > start:
            first = t
        if c >= target:
            return t, first if first is not None else t
        if t > deadline:
            raise SystemExit(f"{what}: the sink accepted {c - start} of {target - start} within the cap "
                             f"({cap:.0f} s, BENCH_MAIL_TIMEOUT)")
        time.sleep(0.005)

client = owner_client(env)

def invite(people):
    answer = client.call("/api/invite_learners",
                         {"people": people, "role": "learner", "team_ids": [], "send_email": True})
    return sum(1 for r in answer if r["outcome"]["status"] != "invited")

def person(tag, i):
    return {"email": f"{tag}{i}@bench.example", "first_name": "Bench", "last_name": f"Learner {i}"}

# 1. invitations, the outbox sending meanwhile
say(f"1/4 inviting {n} people, 50 per call, while the outbox sends")
c0 = sink_count()
t0 = now()
deadline = t0 + cap
refused = 0
for b in range(0, n, 50):
    refused += invite([person("bulk", i) for i in range(b, min(n, b + 50))])
    if now() > deadline:
        raise SystemExit(f"creating {n} invitations took longer than the cap ({cap:.0f} s)")
t_api = now() - t0
at_api_end = sink_count() - c0
t_done, _ = wait_count(c0 + n - refused, deadline, "invitations")
pipeline = (n - refused) / (t_done - t0)
say(f"    API {t_api:.2f} s ({n / t_api:.0f} invitations/s, {at_api_end} sent by then); all delivered after {t_done - t0:.2f} s")

# 2. the outbox alone: everything queued at once
say(f"2/4 queueing the {n - refused} delivered invitations again and timing the drain")
time.sleep(0.5)
c1 = sink_count()
db = sqlite3.connect(env["DB_PATH"], timeout=30)
try:
    with db:
        queued = db.execute(
            "UPDATE email_outbox SET status = 'queued', attempts = 0, next_attempt_at = 0, lease_owner = NULL, "
            "lease_until = NULL, last_error = NULL, sent_at = NULL WHERE kind = 'invite' AND status = 'sent'").rowcount
        db.execute("UPDATE invites SET email_status = 'queued', email_error = NULL WHERE email_status = 'sent'")
except sqlite3.Error as e:
    raise SystemExit(f"could not queue the messages again (has the email_outbox schema changed?): {e}")
finally:
    db.close()
t_queued = now()
t_last, t_first = wait_count(c1 + queued, t_queued + cap, "outbox drain")
drain = (queued - 1) / (t_last - t_first) if t_last > t_first else float("nan")
say(f"    {queued} messages: first after {t_first - t_queued:.2f} s (worker wake-up), all {t_last - t_first:.2f} s later")

# 3. the yardstick
m = int(source_args[source_args.index("-m") + 1]) if "-m" in source_args else 1
say(f"3/4 smtp-source {' '.join(source_args)} {env['SINK_ADDR']}")
c2 = sink_count()
t = now()
done = subprocess.run([env["SMTP_SOURCE"], *source_args, env["SINK_ADDR"]], capture_output=True, text=True, timeout=cap)
if done.returncode != 0:
    raise SystemExit(f"smtp-source failed ({done.returncode}): {done.stderr.strip()[:300]}")
t_src, _ = wait_count(c2 + m, t + cap, "smtp-source")
source_rate = m / (t_src - t)
say(f"    {m} messages in {t_src - t:.2f} s")

# 4. latency with an idle queue
say(f"4/4 {samples} single invitations, one at a time")
lat, http_ms = [], []
for k in range(samples):
    time.sleep(0.1)
    c = sink_count()
    t = now()
    refused += invite([person("latency", k)])
    t_http = now()
    t_in, _ = wait_count(c + 1, t + min(cap, 30), "latency")
    lat.append((t_in - t) * 1000)
    http_ms.append((t_http - t) * 1000)

def pct(values, p):
    v = sorted(values)
    return v[max(0, math.ceil(p / 100 * len(v)) - 1)]

def ms(x):
    return f"{x:.1f} ms"

row(f"invitations → sink: {n:,} through the API, 50 per call", "`POST /api/invite_learners` + outbox",
    f"{pipeline:.0f} msg/s", "–", "–", "–", refused)
row(f"outbox drain: {queued:,} queued → sink", "email worker (lettre, 16 at once)", f"{drain:.0f} msg/s", "–", "–", "–", 0)
row(f"smtp-source → the same sink", f"`smtp-source {' '.join(source_args)}`", f"{source_rate:.0f} msg/s", "–", "–", "–", 0)
row("outbox drain ÷ smtp-source", "ratio, same run", f"{drain / source_rate:.2f}×", "–", "–", "–", "–")
row(f"Invite → accepted by the sink, idle queue ({samples} in a row)", "`POST /api/invite_learners`, 1 person",
    "–", ms(pct(lat, 50)), ms(pct(lat, 95)), f"max {ms(max(lat))}", 0)
print(f"NOTE: the HTTP call alone of those {samples} took p50 {ms(pct(http_ms, 50))}, p95 {ms(pct(http_ms, 95))}; "
      f"creating {n:,} invitations took {t_api:.1f} s ({n / t_api:.0f}/s, {at_api_end:,} already sent by then).")
PY
)"
  rc=$?
  set -e
  take_rows "email rows" "$rc" "$out"
}

# take_rows WHAT RC OUTPUT: a driver's "| … |" lines become table rows and its "NOTE: …" lines
# notes; a failed driver (RC ≠ 0) a failed row.
take_rows() {
  local what=$1 rc=$2 out=$3 line
  while IFS= read -r line; do
    case "$line" in
      "| "*) ROWS+=("$line") ;;
      NOTE:*) NOTES+=("${line#NOTE: }") ;;
    esac
  done <<<"$out"
  if ((rc != 0)); then
    warn "$what: the driver failed (exit $rc; its error is above)"
    ROWS+=("| $what | see the warning above | failed | – | – | – | – |")
    BROKEN=$((BROKEN + 1))
  fi
}

# ---------------------------------------------------------------------------------------------
# Teams rows: 1,000 teams made through the API (POST /api/create_team), then 20,000 learners with
# 40,000 memberships and 5,000 pending invitations with 10,000 team places written straight into
# the SQLite file (what years of use leave behind); the Teams section's list is then measured as
# the browser asks for it: POST /api/list_team_summaries, the first page and a search.
# ---------------------------------------------------------------------------------------------
teams_seed() {
  SERVER_URL="$SERVER_URL" DB_PATH="$SERVER_DIR/shoal.db" SLUG="$SLUG" OWNER_EMAIL="$OWNER_EMAIL" \
    OWNER_PASSWORD="$OWNER_PASSWORD" timeout 300 python3 - <<'PY'
import os, sqlite3, sys, time

from bench_common import FORM, owner_client

env = os.environ
client = owner_client(env)
colors = ["Blue", "Teal", "Green", "Ochre", "Orange", "Red", "Pink", "Purple", "Indigo", "Slate"]
started = time.perf_counter()
for i in range(1000):
    client.call("/api/create_team", {"name": f"Team {i:04d}", "color": colors[i % 10]}, FORM)
made = time.perf_counter() - started
print(f"    1,000 teams created through the API in {made:.1f} s ({1000 / made:.0f}/s)", file=sys.stderr)

db = sqlite3.connect(env["DB_PATH"], timeout=30)
(academy,) = db.execute("SELECT id FROM academies WHERE slug = ?", (env["SLUG"],)).fetchone()
teams = [r[0] for r in db.execute("SELECT id FROM teams WHERE academy_id = ? ORDER BY id", (academy,))]
now = int(time.time() * 1000)
with db:
    db.executemany(
        "INSERT INTO users (academy_id, email, first_name, last_name, role, status, created_at) "
        "VALUES (?, ?, 'Team', ?, 'learner', 'active', ?)",
        ((academy, f"member{i}@bench.example", f"Member {i}", now) for i in range(20000)))
    users = [r[0] for r in db.execute(
        "SELECT id FROM users WHERE academy_id = ? AND email LIKE 'member%'", (academy,))]
    db.executemany(
        "INSERT INTO team_members (team_id, user_id, academy_id, added_at) VALUES (?, ?, ?, ?)",
        ((teams[(n * 7 + k * 13) % len(teams)], u, academy, now) for n, u in enumerate(users) for k in range(2)))
    db.executemany(
        "INSERT INTO invites (academy_id, email, first_name, last_name, role, send_email, status, "
        "email_status, source, created_at, updated_at, expires_at) "
        "VALUES (?, ?, 'Pending', ?, 'learner', 0, 'pending', 'not_requested', 'team', ?, ?, ?)",
        ((academy, f"pending{i}@bench.example", f"Invitee {i}", now, now, now + 14 * 86400000) for i in range(5000)))
    invites = [r[0] for r in db.execute(
        "SELECT id FROM invites WHERE academy_id = ? AND email LIKE 'pending%'", (academy,))]
    db.executemany(
        "INSERT INTO invite_teams (invite_id, team_id) VALUES (?, ?)",
        ((inv, teams[(n * 11 + k * 17) % len(teams)]) for n, inv in enumerate(invites) for k in range(2)))
print(client.cookie)
PY
}

# A wrk script for a JSON server function call as the signed-in owner.
json_call_script() {
  local file=$1 body=$2 cookie=$3
  cat >"$file" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.headers["Origin"] = "$SERVER_URL"
wrk.headers["Cookie"] = "$cookie"
LUA
}

# ---------------------------------------------------------------------------------------------
# API rows (issue 6), by .ci/bench_api.py (see its docstring): an OAuth application registered as
# the owner, a token, then server/examples/api_load.rs at BENCH_API_RATE requests/s (open loop)
# for BENCH_API_SECONDS: GET /healthz, inviteLearners with a new learner per call
# (send_email=false), the same body repeated (idempotent replay); then both closed-loop for
# BENCH_API_CAPACITY_SECONDS (capacity).
# ---------------------------------------------------------------------------------------------
api_rows() {
  local out rc
  set +e
  out="$(SERVER_URL="$SERVER_URL" SLUG="$SLUG" OWNER_EMAIL="$OWNER_EMAIL" OWNER_PASSWORD="$OWNER_PASSWORD" \
    LOAD_BIN="$API_LOAD_BIN" API_RATE="$BENCH_API_RATE" API_SECONDS="$BENCH_API_SECONDS" \
    API_CAPACITY_SECONDS="$BENCH_API_CAPACITY_SECONDS" API_CAPACITY_CONNECTIONS="$BENCH_CONNECTIONS" \
    DB_PATH="$SERVER_DIR/shoal.db" SERVER_PID="$SERVER_PID" API_TRACE_DIR="${BENCH_API_TRACE_DIR:-}" \
    timeout $((3 * BENCH_API_SECONDS + 2 * BENCH_API_CAPACITY_SECONDS + 300)) python3 "$REPO_ROOT/.ci/bench_api.py")"
  rc=$?
  set -e
  # The server's log beside the traces, to line slow answers up with what it did meanwhile.
  if [[ -n "${BENCH_API_TRACE_DIR:-}" ]]; then cp "$SERVER_LOG" "$BENCH_API_TRACE_DIR/server.log"; fi
  take_rows "API rows" "$rc" "$out"
}

# ---------------------------------------------------------------------------------------------
# CSV import rows (issue 5), by .ci/bench_import.py (see its docstring) once per backend: a
# 10,000-row and a 100,000-row upload through start_import / import_chunk (1,000 rows each) /
# finish_import with send_email=false, the server's memory around the big one, and the database's
# own bulk loader (sqlite3 `.import`, psql `\copy`) filling a table made from the migrations'
# `invites` statements with the same rows. They run last: the PostgreSQL part stops the SQLite
# server and starts a second release server on a throw-away cluster.
# ---------------------------------------------------------------------------------------------
# import_rows BACKEND [COPY_URL]: the rows against the running server (COPY_URL: an empty
# PostgreSQL database for the yardstick).
import_rows() {
  local backend=$1 copy_url=${2:-} work="$SERVER_DIR/import-bench" out rc
  mkdir -p "$work"
  set +e
  out="$(BACKEND="$backend" SERVER_URL="$SERVER_URL" SERVER_PID="$SERVER_PID" SLUG="$SLUG" \
    OWNER_EMAIL="$OWNER_EMAIL" OWNER_PASSWORD="$OWNER_PASSWORD" WORK_DIR="$work" \
    MIGRATIONS_DIR="$REPO_ROOT/migrations/$backend" IMPORT_ROWS="$BENCH_IMPORT_ROWS" \
    IMPORT_SMALL="$BENCH_IMPORT_SMALL" IMPORT_TIMEOUT="$BENCH_IMPORT_TIMEOUT" \
    SQLITE3="$(command -v sqlite3 || echo sqlite3)" PSQL="$(command -v psql || echo psql)" COPY_URL="$copy_url" \
    timeout $((3 * BENCH_IMPORT_TIMEOUT + 60)) python3 "$REPO_ROOT/.ci/bench_import.py")"
  rc=$?
  set -e
  rm -rf "$work"
  take_rows "CSV import rows, $backend" "$rc" "$out"
}

# import_rows_pg: a throw-away cluster (lib.sh's pg_start, as .ci/with-postgres.sh does), the
# SQLite server stopped, a second release server on the cluster with the same academy, the rows.
# Returns non-zero when the server could not be set up.
import_rows_pg() {
  local base cli i
  pg_start || return 1
  base="postgres://postgres@127.0.0.1:$PG_PORT"
  timeout 60 psql "$base/postgres" -v ON_ERROR_STOP=1 -q \
    -c 'CREATE DATABASE shoal_bench' -c 'CREATE DATABASE bench_copy' || return 1
  server_cleanup
  SHOAL_MODE=production server_prepare || return 1
  for i in "${!SERVER_ENV[@]}"; do
    if [[ "${SERVER_ENV[i]}" == SHOAL_DATABASE_URL=* ]]; then SERVER_ENV[i]="SHOAL_DATABASE_URL=$base/shoal_bench"; fi
  done
  log "Creating academy '$SLUG' on PostgreSQL with the CLI"
  cli="$(server_cli_script)" || return 1
  timeout 120 "$cli" academy create --slug "$SLUG" --name "Bench Academy" --owner-name "Bench Owner" \
    --owner-email "$OWNER_EMAIL" --owner-password "$OWNER_PASSWORD" || return 1
  server_start || return 1
  NOTES+=("PostgreSQL rows: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'), a throw-away cluster on loopback with fsync, synchronous_commit and full_page_writes off (the server and \\copy alike); its server processes are not in the server's memory row.")
  import_rows postgres "$base/bench_copy"
}

NOTES=()
bench_row "health check" /healthz
bench_row "login page (SSR)" "/a/$SLUG/login"
if [[ "${BENCH_SKIP_MAIL:-}" != 1 ]]; then
  log "Email: $BENCH_INVITES invitations, the outbox drain, smtp-source, $BENCH_LATENCY_SAMPLES single invitations (each phase ≤ ${BENCH_MAIL_TIMEOUT}s)"
  mail_rows
fi
# After the email rows, so those keep measuring the database they always did.
if [[ "${BENCH_SKIP_TEAMS:-}" != 1 ]]; then
  log "Teams: 1,000 teams, 20,000 learners in them, 5,000 pending invitations"
  if TEAMS_COOKIE="$(teams_seed)"; then
    json_call_script "$SERVER_DIR/teams-page1.lua" '{"query":{"search":"","filter":"","page":1}}' "$TEAMS_COOKIE"
    json_call_script "$SERVER_DIR/teams-search.lua" '{"query":{"search":"team 09","filter":"","page":1}}' "$TEAMS_COOKIE"
    bench_row "Teams list, 1,000 teams: first page with counts" /api/list_team_summaries "$SERVER_DIR/teams-page1.lua"
    bench_row "Teams list, 1,000 teams: search \"team 09\"" /api/list_team_summaries "$SERVER_DIR/teams-search.lua"
  else
    warn "teams rows: seeding failed"
    ROWS+=("| teams rows | see the warning above | failed | – | – | – | – |")
    BROKEN=$((BROKEN + 1))
  fi
fi
# After the teams rows (which keep measuring the database they always did), before the import
# rows (whose PostgreSQL part stops this server).
if [[ "${BENCH_SKIP_API:-}" != 1 ]]; then
  log "API: inviteLearners at $BENCH_API_RATE requests/s for ${BENCH_API_SECONDS}s beside GET /healthz (open loop)"
  api_rows
fi
if [[ "${BENCH_SKIP_IMPORT:-}" != 1 ]]; then
  log "CSV import, SQLite: $BENCH_IMPORT_SMALL and $BENCH_IMPORT_ROWS rows, then sqlite3 .import (each phase ≤ ${BENCH_IMPORT_TIMEOUT}s)"
  import_rows sqlite
  if [[ "${BENCH_SKIP_PG:-}" != 1 ]]; then
    log "CSV import, PostgreSQL: a throw-away cluster and a second release server on it"
    if ! import_rows_pg; then
      warn "CSV import rows, postgres: could not start PostgreSQL or the server on it (see above)"
      ROWS+=("| CSV import rows, postgres | see the warning above | failed | – | – | – | – |")
      BROKEN=$((BROKEN + 1))
    fi
  fi
fi

# Memory after a sign-in burst: a fresh server (nothing else has signed in from this address, whose
# limit is 30 sign-ins in 10 minutes), its RSS at rest, peak and after. Dev mode needs no SMTP;
# passwords are hashed at full cost in every mode.
if [[ "${BENCH_SKIP_MEMORY:-}" != 1 ]]; then
  log "Memory: ${BENCH_MEMORY_SIGNINS:-30} concurrent sign-ins on a fresh server, RSS before, peak, ${BENCH_MEMORY_SETTLE:-30} s after"
  server_cleanup
  if server_prepare &&
    shoal_cli academy create --slug "$SLUG" --name "Bench Academy" --owner-name "Bench Owner" \
      --owner-email "$OWNER_EMAIL" --owner-password "$OWNER_PASSWORD" >/dev/null &&
    server_start; then
    set +e
    out="$(SERVER_URL="$SERVER_URL" SERVER_PID="$SERVER_PID" SLUG="$SLUG" OWNER_EMAIL="$OWNER_EMAIL" \
      OWNER_PASSWORD="$OWNER_PASSWORD" timeout 300 python3 "$REPO_ROOT/.ci/bench_memory.py")"
    rc=$?
    set -e
    take_rows "memory row" "$rc" "$out"
  else
    warn "memory row: could not start a fresh server (see above)"
    ROWS+=("| memory row | see the warning above | failed | – | – | – | – |")
    BROKEN=$((BROKEN + 1))
  fi
  server_cleanup
fi

# Export CSV of All Learners and Invites: a fresh server, BENCH_EXPORT_ROWS of each written into its
# SQLite file, each file downloaded as the owner; time, size and the server's peak memory.
if [[ "${BENCH_SKIP_EXPORT:-}" != 1 ]]; then
  log "Export CSV: ${BENCH_EXPORT_ROWS:-100000} learners and as many invitations, downloaded as the owner"
  server_cleanup
  if server_prepare &&
    shoal_cli academy create --slug "$SLUG" --name "Bench Academy" --owner-name "Bench Owner" \
      --owner-email "$OWNER_EMAIL" --owner-password "$OWNER_PASSWORD" >/dev/null &&
    server_start; then
    set +e
    out="$(SERVER_URL="$SERVER_URL" SERVER_PID="$SERVER_PID" DB_PATH="$SERVER_DIR/shoal.db" SLUG="$SLUG" \
      OWNER_EMAIL="$OWNER_EMAIL" OWNER_PASSWORD="$OWNER_PASSWORD" BENCH_EXPORT_ROWS="${BENCH_EXPORT_ROWS:-100000}" \
      timeout 600 python3 "$REPO_ROOT/.ci/bench_export.py")"
    rc=$?
    set -e
    take_rows "export rows" "$rc" "$out"
  else
    warn "export rows: could not start a fresh server (see above)"
    ROWS+=("| export rows | see the warning above | failed | – | – | – | – |")
    BROKEN=$((BROKEN + 1))
  fi
  server_cleanup
fi

# Bulk actions over "every matching learner": a fresh server, BENCH_BULK_LEARNERS learners written
# into its SQLite file, three actions as the owner; time, peak memory, other requests meanwhile.
if [[ "${BENCH_SKIP_BULK:-}" != 1 ]]; then
  log "Bulk actions: ${BENCH_BULK_LEARNERS:-10000} learners, select all matching, as the owner"
  server_cleanup
  if server_prepare &&
    shoal_cli academy create --slug "$SLUG" --name "Bench Academy" --owner-name "Bench Owner" \
      --owner-email "$OWNER_EMAIL" --owner-password "$OWNER_PASSWORD" >/dev/null &&
    server_start; then
    set +e
    out="$(SERVER_URL="$SERVER_URL" SERVER_PID="$SERVER_PID" DB_PATH="$SERVER_DIR/shoal.db" SLUG="$SLUG" \
      OWNER_EMAIL="$OWNER_EMAIL" OWNER_PASSWORD="$OWNER_PASSWORD" BENCH_BULK_LEARNERS="${BENCH_BULK_LEARNERS:-10000}" \
      timeout 600 python3 "$REPO_ROOT/.ci/bench_bulk.py")"
    rc=$?
    set -e
    take_rows "bulk rows" "$rc" "$out"
  else
    warn "bulk rows: could not start a fresh server (see above)"
    ROWS+=("| bulk rows | see the warning above | failed | – | – | – | – |")
    BROKEN=$((BROKEN + 1))
  fi
  server_cleanup
fi

# Statistics: a fresh SQLite file, then (unless BENCH_SKIP_PG=1) a database on the throw-away
# cluster. BENCH_STATS_ARGS passes options (e.g. "--learners 20000 --calls 50").
STATS_TABLES=()
if [[ -n "$STATS_BIN" ]]; then
  read -r -a stats_args <<<"${BENCH_STATS_ARGS:-}"
  log "Statistics, SQLite: seeding and timing the service (server/examples/statistics_bench.rs)"
  if out="$("$STATS_BIN" "${stats_args[@]}")"; then
    STATS_TABLES+=("$out")
  else
    warn "Statistics, SQLite: the benchmark failed (see above)"
    BROKEN=$((BROKEN + 1))
  fi
  if [[ "${BENCH_SKIP_PG:-}" != 1 ]]; then
    log "Statistics, PostgreSQL: the same on the throw-away cluster"
    if pg_start &&
      timeout 60 psql "postgres://postgres@127.0.0.1:$PG_PORT/postgres" -v ON_ERROR_STOP=1 -q \
        -c 'CREATE DATABASE statistics_bench' &&
      out="$("$STATS_BIN" --database-url "postgres://postgres@127.0.0.1:$PG_PORT/statistics_bench" "${stats_args[@]}")"; then
      STATS_TABLES+=("$out")
    else
      warn "Statistics, PostgreSQL: the benchmark failed (see above)"
      BROKEN=$((BROKEN + 1))
    fi
  fi
fi

# The browser half of the CSV import: its own server and Chromium (.ci/bench-csv-browser.sh).
if [[ "${BENCH_SKIP_BROWSER:-}" != 1 ]]; then
  log "CSV preview in Chromium: a 100,000-row file (every 50th address broken), Shoal beside PapaParse"
  if csv_json="$(CI_SERVER_BIN="$SERVER_BIN" .ci/bench-csv-browser.sh | tail -n 1)" && [[ -n "$csv_json" ]]; then
    while IFS= read -r line; do ROWS+=("$line"); done < <(python3 "$REPO_ROOT/.ci/bench_csv_rows.py" "$csv_json")
  else
    warn "CSV preview in Chromium: the browser benchmark failed (see above)"
    ROWS+=("| CSV preview in Chromium | see the warning above | failed | – | – | – | – |")
    BROKEN=$((BROKEN + 1))
  fi
fi

# First load of the learner and admin pages in Chromium, cold cache, on two network profiles
# (.ci/bench-first-load.sh, its own server): BENCH_SKIP_FIRST_LOAD=1 to leave it out.
FIRST_LOAD_TABLE=''
if [[ "${BENCH_SKIP_FIRST_LOAD:-}" != 1 ]]; then
  log "First load in Chromium: Slow 4G + CPU x4 and 5 Mbps, cold cache, then a second visit"
  if ! FIRST_LOAD_TABLE="$(CI_SERVER_BIN="$SERVER_BIN" .ci/bench-first-load.sh)"; then
    warn "First load in Chromium: the benchmark failed (see above)"
    BROKEN=$((BROKEN + 1))
  fi
fi

echo
log "Results ($(nproc) cores, wrk -t$BENCH_THREADS -c$BENCH_CONNECTIONS -d$BENCH_DURATION, server, load and SMTP sink on one machine)"
echo
echo "| row | request | rate | p50 | p95 | p99 | errors |"
echo "|---|---|---:|---:|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
echo
for note in "${NOTES[@]}"; do echo "- $note"; done
echo "- Limits: sign-in is rate limited (30 attempts per IP address per 10 min, 10 failed ones per account"
echo "  per 15 min), so the email rows sign in once and reuse the session. Invitations from the app have"
echo "  no rate limit: those rows are one admin inviting as fast as the server answers. API calls have a"
echo "  token bucket per application (SHOAL_API_RATE/SHOAL_API_BURST), raised for the API rows."
if [[ -n "$FIRST_LOAD_TABLE" ]]; then
  echo
  echo "$FIRST_LOAD_TABLE"
fi
for table in "${STATS_TABLES[@]}"; do
  echo
  echo "$table"
done
((BROKEN == 0)) || die "$BROKEN row(s) could not be measured (see the warnings above)"
