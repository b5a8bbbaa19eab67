#!/usr/bin/env bash
# Shoal's whole test run: formatting, clippy (server and wasm), the Rust tests on SQLite and
# (beside them) on a throw-away PostgreSQL, the release build (beside all of those), and
# Playwright against the release server in Chromium. Every stage runs even when an earlier one
# failed (unless it depends on it); a summary with each stage's result and duration ends the
# run. Exits non-zero if any failed.
#
# Run through `make test` (which installs the tools and packages first). Commands can be
# overridden from the environment: FMT_CHECK, CLIPPY_SERVER, CLIPPY_WASM, CARGO_TEST, CARGO_TEST_PG,
# E2E_CMD.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

FMT_CHECK="${FMT_CHECK:-leptosfmt --check -q app/src app/site/src && cargo fmt --all -- --check}"
CLIPPY_SERVER="${CLIPPY_SERVER:-cargo clippy -p app -p domain -p site -p migrations -p server --all-targets --features app/ssr -- -D warnings \
  && cargo clippy -p build-site --all-targets --target-dir \"\$CARGO_TARGET_DIR/build-site\" -- -D warnings}"
CLIPPY_WASM="${CLIPPY_WASM:-cargo clippy -p frontend -p learner -p visitor --target wasm32-unknown-unknown -- -D warnings}"
CARGO_TEST="${CARGO_TEST:-cargo test --release --no-fail-fast -p app -p domain -p server --tests \
  && cargo test --release -p build-site --target-dir \"\$CARGO_TARGET_DIR/build-site\"}"
# On PostgreSQL only the integration tests (`tests/it`): the unit tests never open a database and
# `ssr_under_load` runs its server on SQLite whatever the URL says, so a second run of them would
# repeat the first to the letter (and load both cores for ~15 s beside the release build).
CARGO_TEST_PG="${CARGO_TEST_PG:-cargo test --release --no-fail-fast -p server --test it}"
E2E_CMD="${E2E_CMD:-npx playwright test}"
# Set by `make test` when make started (before the tools check); else now.
RUN_STARTED="${RUN_STARTED:-$(date +%s)}"

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
  beside_stop "${RELEASE_BUILD_PID:-}"
  beside_stop "${PG_TESTS_PID:-}"
  server_cleanup
  pg_stop
  smtp_sink_stop
  rm -rf "${SNAP_DIR:-}" "${BUILD_MARK:-}" "${STAGE_LOG_DIR:-}"
  exit "$rc"
}
trap cleanup EXIT
trap 'echo; warn "interrupted"; exit 130' INT
trap 'warn "terminated"; exit 143' TERM

# ---------------------------------------------------------------------------------------------
# Stages
# ---------------------------------------------------------------------------------------------
STAGE_NAMES=() STAGE_RESULTS=() STAGE_TIMES=() STAGE_COUNTS=()
# Each stage's output is also kept (STAGE_LOG_DIR/N.log) so the summary can repeat what failed:
# CI shows the end of the output only.
STAGE_LOG_DIR="$(mktemp -d /tmp/shoal-stages.XXXXXX)"
declare -A STAGE_OK=()

record() { # record NAME pass|FAIL|skip SECONDS
  STAGE_NAMES+=("$1") STAGE_RESULTS+=("$2") STAGE_TIMES+=("$3")
  STAGE_COUNTS+=("$(test_count "$STAGE_LOG_DIR/${#STAGE_COUNTS[@]}.log")")
  [[ "$2" == pass ]] && STAGE_OK[$1]=1
  return 0
}

# beside_wait NAME PID PREFIX: waits for the job `beside_start PREFIX` began (process PID) and
# records it as the stage NAME (its output shown now, its own duration in the summary).
beside_wait() {
  local name=$1 pid=$2 prefix=$3 rc=1 waited=$SECONDS
  log "$name (running beside the stages above; waiting for it)"
  wait "$pid" 2>/dev/null || true
  cp "$prefix.log" "$STAGE_LOG_DIR/${#STAGE_NAMES[@]}.log"
  cat "$prefix.log"
  [[ -f "$prefix.rc" ]] && rc=$(cat "$prefix.rc")
  echo "($name took $(fmt_duration "$(cat "$prefix.seconds" 2>/dev/null || echo 0)") beside the stages above; waited $(fmt_duration $((SECONDS - waited))) for it here)"
  if ((rc == 0)); then
    record "$name" pass "$(cat "$prefix.seconds")"
  else
    printf '%s%s failed (exit %d)%s\n' "$_red" "$name" "$rc" "$_reset"
    record "$name" FAIL "$(cat "$prefix.seconds" 2>/dev/null || echo 0)"
  fi
}

# stage NAME [--needs OTHER]... -- COMMAND...: runs COMMAND in a subshell with errexit on and
# records pass/fail; skipped when a stage it needs did not pass.
stage() {
  local name=$1 need start rc log
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
  log="$STAGE_LOG_DIR/${#STAGE_NAMES[@]}.log"
  set +e
  (
    set -euo pipefail
    "$@"
  ) 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  set -e
  if ((rc == 0)); then
    record "$name" pass $((SECONDS - start))
  else
    printf '%s%s failed (exit %d)%s\n' "$_red" "$name" "$rc" "$_reset"
    record "$name" FAIL $((SECONDS - start))
  fi
}

# How many tests a stage's log reports, as "N tests (P passed, F failed, I ignored)"; empty when
# the stage ran none. Reads cargo test's "test result:" lines (one per test binary) and
# Playwright's closing "N passed" / "N failed" / "N skipped" lines.
test_count() {
  [[ -f "$1" ]] || return 0
  sed 's/\x1b\[[0-9;]*m//g' "$1" | awk '
    /^test result: / {
      for (i = 1; i <= NF; i++) {
        if ($(i + 1) ~ /^passed/) p += $i
        if ($(i + 1) ~ /^failed/) f += $i
        if ($(i + 1) ~ /^ignored/) g += $i
      }
      seen = 1
    }
    /^ +[0-9]+ (passed|failed|flaky|skipped|did not run)/ {
      if ($2 == "passed") p += $1; else if ($2 == "failed") f += $1; else if ($2 == "flaky") f += $1; else g += $1
      seen = 1
    }
    END { if (seen) printf "%d tests (%d passed, %d failed, %d ignored)", p + f + g, p, f, g }'
}

# Runs a command line held in a variable (so it can be overridden as one string).
sh_c() { eval "$1"; }

# The Rust tests on SQLite (in a stage's subshell: SHOAL_TEST_PG_URL, which pg_start exports for
# the run beside them, would send them to PostgreSQL).
sqlite_tests() {
  unset SHOAL_TEST_PG_URL
  sh_c "$CARGO_TEST"
}

# Playwright gets the server's address, the folder the SMTP sink writes each message to (the
# invitation tests read the emailed links there) and a script running the server's CLI against
# its database (the invitation tests create their own academy with it: the setup form at `/`
# must stay untouched for foundation.spec.ts).
run_e2e() {
  cd "$REPO_ROOT/end2end"
  BASE_URL="$SERVER_URL" SMTP_SINK_DIR="$(smtp_sink_mail_dir)" SHOAL_CLI="$SHOAL_CLI_SCRIPT" \
    sh_c "$E2E_CMD"
}
SHOAL_CLI_SCRIPT=''

log "Toolchain"
{
  rustc --version
  echo "wasm-opt $(wasm-opt --version 2>/dev/null | awk '{print $3}') ($(command -v wasm-opt))," \
    "esbuild $(esbuild --version 2>/dev/null), $(lightningcss --version 2>/dev/null)"
  echo "node $(node --version), Playwright $(cd end2end && npx --no-install playwright --version 2>/dev/null | awk '{print $2}'), $(chromium --version 2>/dev/null)"
  echo "CARGO_TARGET_DIR=$CARGO_TARGET_DIR"
} | sed 's/^/  /'

# The release build starts now and runs beside fmt, clippy and the Rust tests: most of it leaves a
# core idle on 2 (the `app` crate's one codegen unit and fat LTO for the WASM, brotli), and the
# WASM has a target directory of its own, so it no longer waits its turn after them. Its stage
# below waits for it and shows what it printed. (The server half shares `release` artifacts
# with the Rust tests: whichever needs them first compiles them, the other reuses them.)
# Other builds in the same working tree or target directory must not change what the e2e stage
# runs: note when the build starts, then take copies of the server and the site as soon as it is
# done (CI_SERVER_BIN / CI_SITE_ROOT, see server_prepare).
BUILD_MARK="$(mktemp /tmp/shoal-build-mark.XXXXXX)"
SNAP_DIR=''
beside_start "$STAGE_LOG_DIR/release-build" build_release
RELEASE_BUILD_PID=$BESIDE_PID

stage fmt -- sh_c "$FMT_CHECK"
stage "clippy (server)" -- sh_c "$CLIPPY_SERVER"
stage "clippy (wasm)" -- sh_c "$CLIPPY_WASM"

# The Rust tests on PostgreSQL run beside those on SQLite: both mostly wait (servers starting,
# timeouts under test, a database's round trips), measured at about a third of the two cores
# each: 2 1/2 minutes one after the other in a warm run, 1 3/4 side by side. The PostgreSQL run's
# cargo waits for the SQLite run's to compile the tests (same artifacts), then runs the same `it`
# binary. PostgreSQL runs in this shell (not a stage subshell) so that it lives until clean-up.
log "postgres (throw-away cluster)"
t=$SECONDS
if pg_start; then record "postgres start" pass $((SECONDS - t)); else record "postgres start" FAIL $((SECONDS - t)); fi
PG_TESTS_PID=''
if [[ -n "${STAGE_OK[postgres start]:-}" ]]; then
  beside_start "$STAGE_LOG_DIR/pg-tests" "$CARGO_TEST_PG"
  PG_TESTS_PID=$BESIDE_PID
fi
stage "rust tests (SQLite)" -- sqlite_tests
if [[ -n "$PG_TESTS_PID" ]]; then
  beside_wait "rust tests (PostgreSQL)" "$PG_TESTS_PID" "$STAGE_LOG_DIR/pg-tests"
  PG_TESTS_PID=''
else
  log "rust tests (PostgreSQL): skipped (postgres start did not pass)"
  record "rust tests (PostgreSQL)" skip 0
fi
pg_stop

beside_wait "release build" "$RELEASE_BUILD_PID" "$STAGE_LOG_DIR/release-build"
RELEASE_BUILD_PID=''

WASM_LINE=''
if [[ -n "${STAGE_OK[release build]:-}" ]]; then
  site="$(site_root)"
  # The first module every page loads is shoal.<hash>.wasm; the split builds add one module per
  # lazily loaded area (split_*, chunk_*), fetched only when that area is opened.
  wasm="$(find "$site/pkg" -maxdepth 1 -name 'shoal*.wasm' 2>/dev/null | head -n1)"
  if [[ -n "$wasm" ]]; then
    raw=$(stat -c %s "$wasm")
    br=$(stat -c %s "$wasm.br" 2>/dev/null || echo 0)
    all=$(find "$site/pkg" -maxdepth 1 -name '*.wasm' -printf '%s\n' | awk '{s += $1} END {print s + 0}')
    WASM_LINE="WASM first module ${wasm##*/}: $(fmt_bytes "$raw") raw, $(fmt_bytes "$br") brotli; all modules $(fmt_bytes "$all") raw"
    # The learner pages load learner.<hash>.wasm instead (app::routes::LearnerApp alone), and a
    # visitor without a session visitor.<hash>.wasm (VisitorApp: sign-in, joining, the academy link).
    for bundle in visitor learner; do
      module="$(find "$site/pkg" -maxdepth 1 -name "$bundle.*.wasm" 2>/dev/null | head -n1)"
      if [[ -n "$module" ]]; then
        WASM_LINE+="; $bundle module ${module##*/}: $(fmt_bytes "$(stat -c %s "$module")") raw, $(fmt_bytes "$(stat -c %s "$module.br" 2>/dev/null || echo 0)") brotli"
      fi
    done
    if [[ -z "${CI_SERVER_BIN:-}${CI_SITE_ROOT:-}" ]]; then
      # hash.txt goes with the binary: the server (and Leptos) read the hashed file names from
      # beside the executable; without it every page asks for /pkg/shoal.js and gets a 404.
      SNAP_DIR="$(mktemp -d /tmp/shoal-build.XXXXXX)"
      cp "$(server_bin)" "$SNAP_DIR/shoal" && cp -r "$site" "$SNAP_DIR/site" &&
        { [[ ! -f "$(dirname "$(server_bin)")/hash.txt" ]] || cp "$(dirname "$(server_bin)")/hash.txt" "$SNAP_DIR/hash.txt"; } &&
        export CI_SERVER_BIN="$SNAP_DIR/shoal" CI_SITE_ROOT="$SNAP_DIR/site"
    fi
    changed="$(cd "$REPO_ROOT" && find app frontend server/src server/Cargo.toml style migrations Cargo.toml Cargo.lock \
      -type f -newer "$BUILD_MARK" 2>/dev/null | head -n 5)"
    if [[ -n "$changed" ]]; then
      warn "sources changed while the release build ran, so the server and the WASM may come from" \
        "different sources (hydration errors in the browser would follow): $(echo "$changed" | tr '\n' ' ')"
    fi
  else
    WASM_LINE="WASM: no .wasm found under $site/pkg"
    warn "$WASM_LINE"
    STAGE_OK["release build"]='' STAGE_RESULTS[${#STAGE_RESULTS[@]} - 1]=FAIL
  fi
fi

# The SMTP sink and the e2e server run in this shell too (they must outlive the stages);
# Playwright runs as a stage against them. The server sends its mail to the sink, which keeps
# every message in a file of its own.
if [[ -n "${STAGE_OK[release build]:-}" ]]; then
  log "e2e server (release binary, fresh SQLite, mail to smtp-sink)"
  t=$SECONDS
  # The whole suite signs in from 127.0.0.1 more often than the per-address limit allows in 10
  # minutes (30); the limit itself is tested in the Rust tests.
  if smtp_sink_start --keep && server_prepare && SERVER_ENV+=("SHOAL_SIGN_IN_PER_IP=1000") &&
    SHOAL_CLI_SCRIPT="$(server_cli_script)" && server_start; then
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
  if ! curl -fsS --max-time 5 -o /dev/null "$SERVER_URL/healthz" 2>/dev/null; then
    warn "the server no longer answers $SERVER_URL/healthz within 5 s: it hung during the run" \
      "(page.goto timeouts above are that, not slow pages)"
  fi
  if [[ -n "$SMTP_SINK_DIR" && -d "$(smtp_sink_mail_dir)" ]]; then
    # The sink's folder is removed at clean-up; keep its messages beside the screenshots.
    mkdir -p "$REPO_ROOT/end2end/test-results/smtp-sink"
    cp -r "$(smtp_sink_mail_dir)/." "$REPO_ROOT/end2end/test-results/smtp-sink/" 2>/dev/null || true
    warn "the $(smtp_sink_count) message(s) the SMTP sink received are in end2end/test-results/smtp-sink/"
  fi
fi
server_cleanup
smtp_sink_stop

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
  printf '  %s%-4s%s  %-36s %8s  %s\n' "$color" "${STAGE_RESULTS[$i]}" "$_reset" "${STAGE_NAMES[$i]}" \
    "$(fmt_duration "${STAGE_TIMES[$i]}")" "${STAGE_COUNTS[$i]}"
done
echo
rust_tests=0
for i in "${!STAGE_NAMES[@]}"; do
  [[ "${STAGE_NAMES[$i]}" == "rust tests"* && -n "${STAGE_COUNTS[$i]}" ]] || continue
  rust_tests=$((rust_tests + ${STAGE_COUNTS[$i]%% *}))
done
echo "Whole run: $(fmt_duration $(($(date +%s) - RUN_STARTED))) wall (tools and packages included); $rust_tests Rust test results over both databases"
[[ -n "$WASM_LINE" ]] && echo "$WASM_LINE"
if [[ -d "$REPO_ROOT/end2end/test-results" ]]; then
  echo "Playwright screenshots and traces: end2end/test-results/"
fi
((skipped == 0)) || echo "$skipped skipped (a stage they need failed)"
for i in "${!STAGE_NAMES[@]}"; do
  [[ "${STAGE_RESULTS[$i]}" == FAIL && -f "$STAGE_LOG_DIR/$i.log" ]] || continue
  echo
  echo "What failed in ${STAGE_NAMES[$i]}:"
  sed 's/\x1b\[[0-9;]*m//g' "$STAGE_LOG_DIR/$i.log" |
    grep -E '✘|^test .* FAILED$|panicked at|^error(\[E[0-9]+\])?:|^Diff in|^ +Error: |^ +[0-9]+\) \[chromium\]' |
    head -n 30 | sed 's/^ */  /' || true
done
echo "$passed passed, $failed failed"
((failed == 0 && skipped == 0))
