# shellcheck shell=bash
# Shared helpers for Shoal's CI scripts: sourced by test.sh, bench.sh, tools.sh and friends.
# Nothing here runs on its own; every function is safe to call more than once.

# ---------------------------------------------------------------------------------------------
# Paths and output
# ---------------------------------------------------------------------------------------------

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT

if [[ -t 1 ]]; then
  _bold=$'\033[1m' _red=$'\033[31m' _green=$'\033[32m' _yellow=$'\033[33m' _reset=$'\033[0m'
else
  _bold='' _red='' _green='' _yellow='' _reset=''
fi

log() { printf '%s==> %s%s\n' "$_bold" "$*" "$_reset"; }
warn() { printf '%swarning:%s %s\n' "$_yellow" "$_reset" "$*" >&2; }
die() {
  printf '%serror:%s %s\n' "$_red" "$_reset" "$*" >&2
  exit 1
}

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
  if [[ "$(id -u)" == 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root for: $* (no sudo found)"
  fi
}

# Human-readable duration from whole seconds: 75 -> "1m 15s".
fmt_duration() {
  local s=$1
  if ((s >= 60)); then printf '%dm %02ds' $((s / 60)) $((s % 60)); else printf '%ds' "$s"; fi
}

# Bytes -> "452.1 KB" (1 KB = 1000 bytes, as browsers' devtools show it).
fmt_bytes() {
  awk -v b="$1" 'BEGIN { if (b >= 1000000) printf "%.2f MB", b / 1000000; else printf "%.1f KB", b / 1000 }'
}

# ---------------------------------------------------------------------------------------------
# Cargo locations
# ---------------------------------------------------------------------------------------------

# The shared build cache used when the caller has not chosen one: outside the clone, so a fresh
# CI clone reuses compiled dependencies.
default_target_dir() {
  if [[ -n "${CARGO_TARGET_DIR:-}" ]]; then
    printf '%s\n' "$CARGO_TARGET_DIR"
  elif mkdir -p /var/cache/shoal/target 2>/dev/null && [[ -w /var/cache/shoal/target ]]; then
    printf '%s\n' /var/cache/shoal/target
  else
    printf '%s\n' "$HOME/.cache/shoal/target"
  fi
}

# Put the tools we depend on first on PATH: npm's wasm-opt (binaryen 132, never Debian's 108)
# and esbuild and lightningcss; then cargo-installed binaries (cargo-leptos, wasm-bindgen, for make run).
setup_env() {
  CARGO_TARGET_DIR="$(default_target_dir)"
  export CARGO_TARGET_DIR
  mkdir -p "$CARGO_TARGET_DIR"
  export PATH="$REPO_ROOT/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
  # Freshness by content, as the Makefile sets it (see there), for a script started without make.
  export RUSTC_BOOTSTRAP="${RUSTC_BOOTSTRAP:-1}"
  export CARGO_UNSTABLE_CHECKSUM_FRESHNESS="${CARGO_UNSTABLE_CHECKSUM_FRESHNESS:-true}"
}

# Prints "<target_directory>\t<site root>" as cargo and cargo-leptos 0.3.10 resolve them.
# cargo-leptos (src/config/project.rs) takes `site-root` from [[workspace.metadata.leptos]]
# (default "CARGO_TARGET_DIR/site"), lets LEPTOS_SITE_ROOT in the environment override it,
# replaces a leading CARGO_TARGET_DIR / CARGO_BUILD_TARGET_DIR component with cargo's target
# directory, and otherwise uses the path as given, relative to the workspace root (it chdirs
# there). So `site-root = "target/site"` means <repo>/target/site even when CARGO_TARGET_DIR
# points elsewhere.
_cargo_paths() {
  (cd "$REPO_ROOT" && cargo metadata --no-deps --format-version 1) | python3 -c '
import json, os, sys
m = json.load(sys.stdin)
ws, td = m["workspace_root"], m["target_directory"]
lep = (m.get("metadata") or {}).get("leptos") or [{}]
lep = lep[0] if isinstance(lep, list) else lep
site = os.environ.get("LEPTOS_SITE_ROOT") or lep.get("site-root") or "CARGO_TARGET_DIR/site"
parts = site.split("/")
if parts[0] in ("CARGO_TARGET_DIR", "CARGO_BUILD_TARGET_DIR"):
    site = os.path.join(td, *parts[1:])
elif not os.path.isabs(site):
    site = os.path.join(ws, site)
print(td + "\t" + os.path.normpath(site))
'
}

# Absolute path of the directory the site (pkg/*.wasm, *.js, *.css) is written to.
site_root() { _cargo_paths | cut -f2; }

# Absolute path of the release server binary (build_release).
server_bin() { printf '%s/release/shoal\n' "$(_cargo_paths | cut -f1)"; }

# The release build users get, by `build-site` (.ci/build-site, a crate of the workspace): the WASM
# compiled for size and split by area (admin pages in modules of their own), bound and optimised by
# binaryen 132's wasm-opt, every /pkg file named after its contents with brotli and gzip copies,
# hash.txt beside the server binary; then the release server. Neither cargo-leptos nor
# wasm-bindgen-cli is needed (20 and 5 minutes to install on 2 cores). The tool has a target
# directory of its own: built with the server or the tests, its dependencies would change the
# features (and so the hashes) of crates they share, and every build would recompile the server.
build_site_tool() {
  cargo build --release --quiet -p build-site --target-dir "$CARGO_TARGET_DIR/build-site"
}

build_release() {
  (cd "$REPO_ROOT" && build_site_tool && "$CARGO_TARGET_DIR/build-site/release/build-site")
}

# beside_start PREFIX COMMAND: runs the command line COMMAND (lib.sh's functions at hand) in the
# background, in a session of its own (so `beside_stop` ends it and everything it started),
# writing PREFIX.log, then PREFIX.rc (its exit status) and PREFIX.seconds (how long it took) when
# it ends. BESIDE_PID is the process to `wait` for.
BESIDE_PID=''
beside_start() {
  local prefix=$1 command=$2
  rm -f "$prefix.rc" "$prefix.seconds"
  # shellcheck disable=SC2016
  setsid -w bash -c 'source "$REPO_ROOT/.ci/lib.sh"; start=$SECONDS; eval "$2"; rc=$?
    echo $((SECONDS - start)) >"$1.seconds"; echo "$rc" >"$1.rc"; exit "$rc"' _ "$prefix" "$command" \
    >"$prefix.log" 2>&1 </dev/null &
  BESIDE_PID=$!
}

# beside_stop PID: ends a job `beside_start` began, if it is still running (the test run was
# interrupted or failed early).
beside_stop() {
  [[ -n "${1:-}" ]] || return 0
  kill -- "-$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# ---------------------------------------------------------------------------------------------
# System packages
# ---------------------------------------------------------------------------------------------

# apt_ensure PKG... installs the Debian packages that are missing (apt-get update only then).
apt_ensure() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  log "Installing Debian packages: ${missing[*]}"
  if [[ " ${missing[*]} " == *" postfix "* ]]; then
    # Only smtp-sink is wanted: no mail system configured, nothing listening on port 25.
    echo 'postfix postfix/main_mailer_type select No configuration' | as_root debconf-set-selections
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# ---------------------------------------------------------------------------------------------
# Ports and HTTP
# ---------------------------------------------------------------------------------------------

# A TCP port on 127.0.0.1 that was free a moment ago.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_http URL TIMEOUT_SECONDS [PID]: polls until URL answers 2xx. Fails early when PID dies.
wait_http() {
  local url=$1 timeout=$2 pid=${3:-} deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    if curl -fsS --max-time 2 -o /dev/null "$url" 2>/dev/null; then return 0; fi
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
      warn "process $pid exited while waiting for $url"
      return 1
    fi
    sleep 0.2
  done
  warn "no answer from $url within ${timeout}s"
  return 1
}

# stop_pid PID [NAME]: TERM, wait up to 10 s, then KILL.
stop_pid() {
  local pid=$1 name=${2:-process}
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    warn "$name ($pid) ignored SIGTERM; killing"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

# ---------------------------------------------------------------------------------------------
# Throw-away PostgreSQL cluster
# ---------------------------------------------------------------------------------------------

PG_DIR='' PG_PORT='' PG_BIN=''

_pg_bin() {
  local d
  d="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -type d 2>/dev/null | sort -V | tail -n1)"
  [[ -n "$d" && -x "$d/bin/initdb" ]] || return 1
  printf '%s/bin\n' "$d"
}

# Runs a command as the cluster owner: `postgres` when we are root (initdb refuses root).
_as_pg() {
  if [[ "$(id -u)" == 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# pg_start: initdb + pg_ctl into a temp dir, trust auth, 127.0.0.1 on a free port, no fsync.
# Exports SHOAL_TEST_PG_URL (a superuser URL) and sets PG_DIR/PG_PORT for pg_stop.
pg_start() {
  [[ -z "$PG_DIR" ]] || return 0
  PG_BIN="$(_pg_bin)" || {
    warn "PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)"
    return 1
  }
  PG_DIR="$(mktemp -d /tmp/shoal-pg.XXXXXX)" || return 1
  PG_PORT="$(free_port)" || return 1
  if [[ "$(id -u)" == 0 ]]; then chown postgres:postgres "$PG_DIR" || return 1; fi
  _as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C --no-sync \
    >"$PG_DIR/initdb.log" 2>&1 || {
    cat "$PG_DIR/initdb.log" >&2
    return 1
  }
  _as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || {
    cat "$PG_DIR/server.log" >&2
    return 1
  }
  export SHOAL_TEST_PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
  log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') up: $SHOAL_TEST_PG_URL (data in $PG_DIR)"
}

pg_stop() {
  [[ -n "$PG_DIR" ]] || return 0
  if [[ -f "$PG_DIR/data/postmaster.pid" ]]; then
    _as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_DIR"
  PG_DIR='' PG_PORT=''
  unset SHOAL_TEST_PG_URL
}

# ---------------------------------------------------------------------------------------------
# SMTP sink (Postfix's smtp-sink) on loopback
# ---------------------------------------------------------------------------------------------

SMTP_SINK_PID='' SMTP_SINK_PORT='' SMTP_SINK_DIR=''

# smtp_sink_start [--keep|--no-keep]: accepts every message on 127.0.0.1:<free port>; exports
# SHOAL_SMTP_URL. With --keep, each message is written to a file of its own in
# $(smtp_sink_mail_dir) (see smtp_sink_mail_dir for the format). The sink's -c counter in
# $SMTP_SINK_DIR/sink.log counts accepted messages either way (smtp_sink_count).
smtp_sink_start() {
  [[ -z "$SMTP_SINK_PID" ]] || return 0
  local sink=/usr/sbin/smtp-sink args=()
  [[ -x "$sink" ]] || sink="$(command -v smtp-sink)" || {
    warn "smtp-sink not found (apt-get install postfix)"
    return 1
  }
  SMTP_SINK_DIR="$(mktemp -d /tmp/shoal-smtp.XXXXXX)" || return 1
  SMTP_SINK_PORT="$(free_port)" || return 1
  if [[ "$(id -u)" == 0 ]]; then args+=(-u nobody); fi
  if [[ "${1:-}" == --keep ]]; then
    mkdir -p "$SMTP_SINK_DIR/mail"
    if [[ "$(id -u)" == 0 ]]; then
      # smtp-sink drops to `nobody`, which must reach and write the mail folder.
      chmod 755 "$SMTP_SINK_DIR" && chown nobody "$SMTP_SINK_DIR/mail" || return 1
    fi
    # One file per message: <date>-<time>.<random hex>. smtp-sink creates it at MAIL FROM and
    # fills it as the message arrives, so a reader must check that a message is complete.
    args+=(-d "$SMTP_SINK_DIR/mail/%Y%m%d-%H%M%S.")
  fi
  # -c: keep a message counter; backlog 256 for load tests.
  "$sink" "${args[@]}" -c -h shoal-sink "127.0.0.1:$SMTP_SINK_PORT" 256 \
    >"$SMTP_SINK_DIR/sink.log" 2>&1 &
  SMTP_SINK_PID=$!
  for _ in $(seq 1 50); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$SMTP_SINK_PORT") 2>/dev/null; then
      export SHOAL_SMTP_URL="smtp://127.0.0.1:$SMTP_SINK_PORT"
      log "smtp-sink up: $SHOAL_SMTP_URL"
      return 0
    fi
    kill -0 "$SMTP_SINK_PID" 2>/dev/null || break
    sleep 0.1
  done
  cat "$SMTP_SINK_DIR/sink.log" >&2
  smtp_sink_stop
  return 1
}

# The folder smtp_sink_start --keep writes messages to, one file each: smtp-sink's own headers
# (X-Client-Addr, X-Mail-Args, X-Rcpt-Args: <recipient>, a Received: header), then the message as
# received (LF line ends; bodies stay in their transfer encoding, e.g. quoted-printable), then
# an empty line.
smtp_sink_mail_dir() { printf '%s/mail\n' "$SMTP_SINK_DIR"; }

# Messages the sink has accepted so far (its -c counter, bumped when "." is answered with 250).
smtp_sink_count() {
  local n
  n="$(tail -c 400 "$SMTP_SINK_DIR/sink.log" 2>/dev/null | tr '\r' '\n' | grep -o 'mesg=[0-9]*' | tail -n1)"
  n="${n#mesg=}"
  printf '%s\n' "${n:-0}"
}

smtp_sink_stop() {
  if [[ -n "$SMTP_SINK_PID" ]]; then stop_pid "$SMTP_SINK_PID" smtp-sink; fi
  if [[ -n "$SMTP_SINK_DIR" ]]; then rm -rf "$SMTP_SINK_DIR"; fi
  SMTP_SINK_PID='' SMTP_SINK_PORT='' SMTP_SINK_DIR=''
  unset SHOAL_SMTP_URL
}

# ---------------------------------------------------------------------------------------------
# A release Shoal server on a free port with a fresh SQLite database
# ---------------------------------------------------------------------------------------------

SERVER_PID='' SERVER_DIR='' SERVER_URL='' SERVER_LOG='' SERVER_PORT='' SERVER_BIN=''
SERVER_SITE_ROOT='' SERVER_ENV=()

# server_prepare: picks a free port and a temp dir (fresh SQLite database and data dir), finds
# the release binary and the site. server_start then starts it and waits for /healthz.
# CI_SERVER_BIN and CI_SITE_ROOT choose another binary and site, e.g. copies taken right after a
# build: the shared target directory's release/shoal is replaced by any other build in it (a
# `cargo test --release` too), and a server from one build with the site of another fails to
# hydrate.
server_prepare() {
  SERVER_DIR="$(mktemp -d /tmp/shoal-server.XXXXXX)" || return 1
  mkdir -p "$SERVER_DIR/data"
  SERVER_PORT="$(free_port)" || return 1
  SERVER_URL="http://127.0.0.1:$SERVER_PORT"
  SERVER_LOG="$SERVER_DIR/server.log"
  SERVER_BIN="${CI_SERVER_BIN:-$(server_bin)}" || return 1
  SERVER_SITE_ROOT="${CI_SITE_ROOT:-$(site_root)}" || return 1
  [[ -x "$SERVER_BIN" ]] || {
    warn "server binary $SERVER_BIN not found; build it with 'source .ci/lib.sh; setup_env; build_release'"
    return 1
  }
  [[ -d "$SERVER_SITE_ROOT/pkg" ]] || {
    warn "no site at $SERVER_SITE_ROOT (build_release puts pkg/ there)"
    return 1
  }
  SERVER_ENV=(
    "SHOAL_DATABASE_URL=sqlite://$SERVER_DIR/shoal.db"
    "SHOAL_DATA_DIR=$SERVER_DIR/data"
    "SHOAL_LISTEN=127.0.0.1:$SERVER_PORT"
    "SHOAL_BASE_URL=$SERVER_URL"
    "SHOAL_MODE=${SHOAL_MODE:-dev}"
    "LEPTOS_SITE_ROOT=$SERVER_SITE_ROOT"
    "LEPTOS_SITE_ADDR=127.0.0.1:$SERVER_PORT"
    "RUST_LOG=${RUST_LOG:-info}"
  )
  if [[ -n "${SHOAL_SMTP_URL:-}" ]]; then SERVER_ENV+=("SHOAL_SMTP_URL=$SHOAL_SMTP_URL"); fi
}

# shoal_cli ARGS...: runs the release binary (e.g. `academy create ...`) against the same
# database and settings as the server. The temp dir is the working directory so that a
# developer's .env is never read.
shoal_cli() {
  (cd "$SERVER_DIR" && env "${SERVER_ENV[@]}" "$SERVER_BIN" "$@")
}

# server_cli_script: writes $SERVER_DIR/shoal-cli, an executable that runs shoal_cli's command
# (the release binary with the server's settings) for programs that cannot source this file,
# e.g. the Playwright tests creating an academy of their own. Prints its path.
server_cli_script() {
  [[ -n "$SERVER_DIR" ]] || server_prepare || return 1
  local f="$SERVER_DIR/shoal-cli"
  {
    echo '#!/usr/bin/env bash'
    printf 'cd %q || exit 1\n' "$SERVER_DIR"
    printf 'exec env'
    printf ' %q' "${SERVER_ENV[@]}" "$SERVER_BIN"
    printf ' "$@"\n'
  } >"$f" && chmod 755 "$f" && printf '%s\n' "$f"
}

server_start() {
  [[ -n "$SERVER_DIR" ]] || server_prepare || return 1
  (cd "$SERVER_DIR" && exec env "${SERVER_ENV[@]}" "$SERVER_BIN" serve >"$SERVER_LOG" 2>&1) &
  SERVER_PID=$!
  if ! wait_http "$SERVER_URL/healthz" "${SERVER_START_TIMEOUT:-60}" "$SERVER_PID"; then
    warn "server did not become healthy; last lines of its log ($SERVER_LOG):"
    tail -n 200 "$SERVER_LOG" >&2 || true
    return 1
  fi
  log "Shoal server up: $SERVER_URL (pid $SERVER_PID, log $SERVER_LOG)"
}

server_stop() {
  if [[ -n "$SERVER_PID" ]]; then stop_pid "$SERVER_PID" shoal; fi
  SERVER_PID=''
}

# Stops the server and removes its temp dir (database, data dir, log).
server_cleanup() {
  server_stop
  if [[ -n "$SERVER_DIR" ]]; then rm -rf "$SERVER_DIR"; fi
  SERVER_DIR=''
}
