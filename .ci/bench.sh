#!/usr/bin/env bash
# Shoal's benchmark: builds the release site, starts the release server on loopback with a
# fresh SQLite database, creates an academy through the CLI, and measures each row with wrk
# (a short warm-up, then a bounded run). Prints one Markdown table.
#
# Knobs (environment): BENCH_DURATION (10s, the cap per measured run), BENCH_WARMUP (2s),
# BENCH_THREADS (1), BENCH_CONNECTIONS (16), BENCH_SKIP_BUILD=1 to use the existing build.
# To add a row: one more `bench_row NAME PATH` line at the bottom (or `bench_row NAME PATH
# SCRIPT.lua` for a request that needs a method, body or cookie).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BENCH_DURATION="${BENCH_DURATION:-10s}"
BENCH_WARMUP="${BENCH_WARMUP:-2s}"
BENCH_THREADS="${BENCH_THREADS:-1}"
BENCH_CONNECTIONS="${BENCH_CONNECTIONS:-16}"

# wrk runs are capped at 10 s each.
case "$BENCH_DURATION" in
  [1-9]s | 10s) ;;
  *) die "BENCH_DURATION must be 1s..10s (got $BENCH_DURATION)" ;;
esac

while IFS= read -r var; do unset "$var"; done < <(compgen -v SHOAL_ || true)
setup_env
cd "$REPO_ROOT"

apt_ensure wrk curl

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  server_cleanup
  smtp_sink_stop
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ "${BENCH_SKIP_BUILD:-}" != 1 ]]; then
  log "Release build"
  build_release
fi

# A real SMTP server on loopback, so mail-sending rows added later measure real delivery.
smtp_sink_start --no-keep
SHOAL_MODE=production server_prepare
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
  ROWS+=("| $name | \`$path\` | $rps | $p50 | $p99 | $errors |")
}

bench_row "health check" /healthz
bench_row "login page (SSR)" "/a/$SLUG/login"

echo
log "Results ($(nproc) cores, wrk -t$BENCH_THREADS -c$BENCH_CONNECTIONS -d$BENCH_DURATION, server and wrk on one machine)"
echo
echo "| row | request | req/s | p50 | p99 | errors |"
echo "|---|---|---:|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
((BROKEN == 0)) || die "$BROKEN row(s) could not be measured (see the warnings above)"
