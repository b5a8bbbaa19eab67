#!/usr/bin/env bash
# The browser half of the CSV import benchmark (issue 5): starts the release server on loopback
# with a fresh SQLite database, writes a large file with gen_large.py, and runs
# end2end/bench/csv-preview.bench.ts in Debian's Chromium: Shoal's preview (read, decode, parse,
# check every row, in slices) beside PapaParse parsing the same bytes in the same page. Prints one
# JSON object (the numbers) on stdout's last line. Used by .ci/bench.sh; runs on its own too.
#
# Knobs: BENCH_CSV_ROWS (100000), BENCH_CSV_BAD_EVERY (50), BENCH_CSV_RUNS (3).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BENCH_CSV_ROWS="${BENCH_CSV_ROWS:-100000}"
BENCH_CSV_BAD_EVERY="${BENCH_CSV_BAD_EVERY:-50}"
BENCH_CSV_RUNS="${BENCH_CSV_RUNS:-3}"
[[ "$BENCH_CSV_ROWS" =~ ^[1-9][0-9]*$ && "$BENCH_CSV_BAD_EVERY" =~ ^[1-9][0-9]*$ && "$BENCH_CSV_RUNS" =~ ^[1-9][0-9]?$ ]] ||
  die "BENCH_CSV_ROWS, BENCH_CSV_BAD_EVERY and BENCH_CSV_RUNS must be positive whole numbers"

while IFS= read -r var; do unset "$var"; done < <(compgen -v SHOAL_ || true)
setup_env
cd "$REPO_ROOT"

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  server_cleanup
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

server_prepare
server_start >&2
csv="$SERVER_DIR/large.csv"
out="$SERVER_DIR/csv-browser.json"
generator="$REPO_ROOT/../shared/testdata/csv/gen_large.py"
[[ -f "$generator" ]] || generator="$REPO_ROOT/app/testdata/csv/gen_large.py"
python3 "$generator" "$BENCH_CSV_ROWS" --bad-every "$BENCH_CSV_BAD_EVERY" >"$csv"
cli="$(server_cli_script)"
(
  cd end2end
  BASE_URL="$SERVER_URL" SHOAL_CLI="$cli" BENCH_CSV_FILE="$csv" BENCH_CSV_OUT="$out" \
    BENCH_CSV_RUNS="$BENCH_CSV_RUNS" timeout 900 npx --no-install playwright test \
    --config bench/playwright.config.ts >&2
)
[[ -s "$out" ]] || die "the browser benchmark wrote no numbers"
python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))))' "$out"
