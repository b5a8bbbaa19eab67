#!/usr/bin/env bash
# Shoal's whole test run: formatting, clippy (server and wasm), the Rust tests on SQLite and
# then on a throw-away PostgreSQL, the release build, and Playwright against the release server
# in Chromium. Every stage runs even when an earlier one failed (unless it depends on it); a
# summary with each stage's result and duration ends the run. Exits non-zero if any failed.
#
# Run through `make test` (which installs the tools and packages first). Commands can be
# overridden from the environment: FMT_CHECK, CLIPPY_SERVER, CLIPPY_WASM, CARGO_TEST, E2E_CMD.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

FMT_CHECK="${FMT_CHECK:-cargo fmt --all -- --check}"
CLIPPY_SERVER="${CLIPPY_SERVER:-cargo clippy -p app -p server --all-targets --features app/ssr -- -D warnings}"
CLIPPY_WASM="${CLIPPY_WASM:-cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings}"
CARGO_TEST="${CARGO_TEST:-cargo test --release -p app -p server}"
E2E_CMD="${E2E_CMD:-npx playwright test}"

# Settings from the caller's shell (or a .env) must not leak into the tests.
while IFS= read -r var; do unset "$var"; done < <(compgen -v SHOAL_ || true)

setup_env
cd "$REPO_ROOT"

# ---------------------------------------------------------------------------------------------
# Clean-up of everything this script started, on success, failure and Ctrl-C alike.
# ---------------------------------------------------------------------------------------------
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  server_cleanup
  pg_stop
  smtp_sink_stop
  exit "$rc"
}
trap cleanup EXIT
trap 'echo; warn "interrupted"; exit 130' INT
trap 'warn "terminated"; exit 143' TERM

# ---------------------------------------------------------------------------------------------
# Stages
# ---------------------------------------------------------------------------------------------
STAGE_NAMES=() STAGE_RESULTS=() STAGE_TIMES=()
declare -A STAGE_OK=()

record() { # record NAME pass|FAIL|skip SECONDS
  STAGE_NAMES+=("$1") STAGE_RESULTS+=("$2") STAGE_TIMES+=("$3")
  [[ "$2" == pass ]] && STAGE_OK[$1]=1
  return 0
}

# stage NAME [--needs OTHER]... -- COMMAND...: runs COMMAND in a subshell with errexit on and
# records pass/fail; skipped when a stage it needs did not pass.
stage() {
  local name=$1 need start rc
  shift
  while [[ "${1:-}" == --needs ]]; do
    need=$2
    shift 2
    if [[ -z "${STAGE_OK[$need]:-}" ]]; then
      log "$name: skipped ($need did not pass)"
      record "$name" skip 0
      return 0
    fi
  done
  [[ "${1:-}" == -- ]] && shift
  log "$name"
  start=$SECONDS
  set +e
  (
    set -euo pipefail
    "$@"
  )
  rc=$?
  set -e
  if ((rc == 0)); then
    record "$name" pass $((SECONDS - start))
  else
    printf '%s%s failed (exit %d)%s\n' "$_red" "$name" "$rc" "$_reset"
    record "$name" FAIL $((SECONDS - start))
  fi
}

# Runs a command line held in a variable (so it can be overridden as one string).
sh_c() { eval "$1"; }

run_e2e() {
  cd "$REPO_ROOT/end2end"
  BASE_URL="$SERVER_URL" sh_c "$E2E_CMD"
}

log "Toolchain"
{
  rustc --version
  echo "cargo-leptos $(cargo leptos --version 2>/dev/null | awk '{print $NF}')," \
    "wasm-bindgen $(wasm-bindgen --version 2>/dev/null | awk '{print $2}')," \
    "wasm-opt $(wasm-opt --version 2>/dev/null | awk '{print $3}') ($(command -v wasm-opt))"
  echo "node $(node --version), Playwright $(cd end2end && npx --no-install playwright --version 2>/dev/null | awk '{print $2}'), $(chromium --version 2>/dev/null)"
  echo "CARGO_TARGET_DIR=$CARGO_TARGET_DIR"
} | sed 's/^/  /'

stage fmt -- sh_c "$FMT_CHECK"
stage "clippy (server)" -- sh_c "$CLIPPY_SERVER"
stage "clippy (wasm)" -- sh_c "$CLIPPY_WASM"
stage "rust tests (SQLite)" -- sh_c "$CARGO_TEST"

# PostgreSQL runs in this shell (not a stage subshell) so that it lives until clean-up.
log "postgres (throw-away cluster)"
t=$SECONDS
if pg_start; then record "postgres start" pass $((SECONDS - t)); else record "postgres start" FAIL $((SECONDS - t)); fi
stage "rust tests (PostgreSQL)" --needs "postgres start" -- sh_c "$CARGO_TEST"
pg_stop

stage "release build" -- build_release

WASM_LINE=''
if [[ -n "${STAGE_OK[release build]:-}" ]]; then
  site="$(site_root)"
  wasm="$(find "$site/pkg" -maxdepth 1 -name '*.wasm' 2>/dev/null | head -n1)"
  if [[ -n "$wasm" ]]; then
    raw=$(stat -c %s "$wasm")
    gz=$(gzip -9 -c "$wasm" | wc -c)
    WASM_LINE="WASM ${wasm#"$REPO_ROOT"/}: $(fmt_bytes "$raw") raw, $(fmt_bytes "$gz") gzip -9"
  else
    WASM_LINE="WASM: no .wasm found under $site/pkg"
    warn "$WASM_LINE"
    STAGE_OK["release build"]='' STAGE_RESULTS[${#STAGE_RESULTS[@]} - 1]=FAIL
  fi
fi

# The e2e server runs in this shell too; Playwright runs as a stage against it.
if [[ -n "${STAGE_OK[release build]:-}" ]]; then
  log "e2e server (release binary, fresh SQLite)"
  t=$SECONDS
  if server_start; then
    record "e2e server start" pass $((SECONDS - t))
  else
    record "e2e server start" FAIL $((SECONDS - t))
  fi
else
  record "e2e server start" skip 0
fi
stage "end-to-end (Playwright, Chromium)" --needs "e2e server start" -- run_e2e
if [[ -n "$SERVER_PID" && -z "${STAGE_OK[end-to-end (Playwright, Chromium)]:-}" ]]; then
  warn "end-to-end failed; last lines of the server log:"
  tail -n 60 "$SERVER_LOG" >&2 || true
fi
server_cleanup

# ---------------------------------------------------------------------------------------------
# Summary
# ---------------------------------------------------------------------------------------------
passed=0 failed=0 skipped=0
echo
log "Summary"
for i in "${!STAGE_NAMES[@]}"; do
  case "${STAGE_RESULTS[$i]}" in
    pass) color=$_green passed=$((passed + 1)) ;;
    FAIL) color=$_red failed=$((failed + 1)) ;;
    *) color=$_yellow skipped=$((skipped + 1)) ;;
  esac
  printf '  %s%-4s%s  %-36s %8s\n' "$color" "${STAGE_RESULTS[$i]}" "$_reset" "${STAGE_NAMES[$i]}" \
    "$(fmt_duration "${STAGE_TIMES[$i]}")"
done
echo
[[ -n "$WASM_LINE" ]] && echo "$WASM_LINE"
if [[ -d "$REPO_ROOT/end2end/test-results" ]]; then
  echo "Playwright screenshots and traces: end2end/test-results/"
fi
((skipped == 0)) || echo "$skipped skipped (a stage they need failed)"
echo "$passed passed, $failed failed"
((failed == 0 && skipped == 0))
