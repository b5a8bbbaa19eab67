#!/usr/bin/env bash
# The first-load benchmark (issue 16): starts the release server on loopback with a fresh SQLite
# database and runs end2end/bench/first-load.bench.ts in Debian's Chromium, cold cache, on two
# network profiles (Slow 4G with a 4x slower CPU; 5 Mbps). Prints a Markdown table on stdout.
# Used by .ci/bench.sh; runs on its own too (after a release build).
#
# Knobs: BENCH_FIRST_LOAD_RUNS (3, loads per page and profile; medians are reported).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BENCH_FIRST_LOAD_RUNS="${BENCH_FIRST_LOAD_RUNS:-3}"
[[ "$BENCH_FIRST_LOAD_RUNS" =~ ^[1-9][0-9]?$ ]] || die "BENCH_FIRST_LOAD_RUNS must be a whole number from 1 to 99"

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
out="$SERVER_DIR/first-load.json"
cli="$(server_cli_script)"
(
  cd end2end
  BASE_URL="$SERVER_URL" SHOAL_CLI="$cli" BENCH_FIRST_LOAD_OUT="$out" BENCH_FIRST_LOAD_RUNS="$BENCH_FIRST_LOAD_RUNS" \
    timeout 1200 npx --no-install playwright test --config bench/playwright.config.ts first-load >&2
)
[[ -s "$out" ]] || die "the first-load benchmark wrote no numbers"
python3 - "$out" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
kb = lambda b: f"{b / 1000:,.1f} KB"
s = lambda ms: "–" if ms is None or ms != ms else f"{ms / 1000:.2f} s"
print(f"First load in Chromium, cold cache (median of {data['runs']} loads; floor = the page's HTML and CSS with scripts refused):")
print()
print("| profile | page | transferred | first paint | hydrated | list on screen | floor (HTML+CSS) | hydrated ÷ floor | 2nd visit: assets transferred |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
for r in data["results"]:
    ratio = "–" if not r["floor_ms"] or r["hydrated_ms"] != r["hydrated_ms"] else f"{r['hydrated_ms'] / r['floor_ms']:.1f}×"
    print(f"| {r['profile']} | {r['page']} | {kb(r['transferred_bytes'])} | {s(r['fcp_ms'])} | {s(r['hydrated_ms'])} | "
          f"{s(r['list_ms'])} | {kb(r['floor_bytes'])}, {s(r['floor_ms'])} | {ratio} | {kb(r['second_visit_asset_bytes'])} |")
PY
