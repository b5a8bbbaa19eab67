#!/usr/bin/env bash
# Installs the build tools Shoal needs, each only when missing or at the wrong version:
# the wasm32 target, rustfmt, clippy and rust-src, leptosfmt (the `view!` markup's formatter),
# end2end's npm packages (Playwright; binaryen 132's wasm-opt, esbuild and lightningcss, which the
# release build uses), and for `make run`
# (`cargo leptos watch`) cargo-leptos and wasm-bindgen-cli (matching Cargo.lock). `make test` and
# `make bench` ask for `rust leptosfmt npm` only: their release build is .ci/build-site.
# Quick (well under a second) when everything is in place.
#
# Usage: tools.sh [rust] [leptosfmt] [cargo-leptos] [wasm-bindgen] [npm]   (no argument: all)
#   rust = the wasm32 target and the rustfmt, clippy and rust-src components
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
setup_env
cd "$REPO_ROOT"

CARGO_LEPTOS_VERSION="${CARGO_LEPTOS_VERSION:-0.3.10}"
# Pinned: another version may format the same markup differently, and `make lint` would fail.
LEPTOSFMT_VERSION="${LEPTOSFMT_VERSION:-0.1.33}"
# The CLI must match the wasm-bindgen crate in Cargo.lock exactly.
lock_wbg="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock 2>/dev/null || true)"
WASM_BINDGEN_VERSION="${WASM_BINDGEN_VERSION:-${lock_wbg:-0.2.130}}"

WANTED="${*:-rust leptosfmt cargo-leptos wasm-bindgen npm}"
want_tool() { [[ " $WANTED " == *" $1 "* ]]; }

if want_tool rust; then
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "Adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  installed="$(rustup component list --installed)"
  # rust-src: the release WASM build compiles the standard library (build-site's cargo_build.rs).
  for c in rustfmt clippy rust-src; do
    if ! grep -q "^$c" <<<"$installed"; then
      log "Adding the $c component"
      rustup component add "$c"
    fi
  done
fi

if want_tool leptosfmt && [[ "$(leptosfmt --version 2>/dev/null || true)" != *" $LEPTOSFMT_VERSION" ]]; then
  # --debug: it formats the whole UI in under 2 s either way; the debug build compiles in about
  # 2 minutes on 2 cores, the release build in 4 1/2.
  log "Installing leptosfmt $LEPTOSFMT_VERSION (about 2 minutes on 2 cores)"
  cargo install leptosfmt --locked --version "$LEPTOSFMT_VERSION" --debug
fi

if want_tool cargo-leptos && [[ "$(cargo leptos --version 2>/dev/null || true)" != *" $CARGO_LEPTOS_VERSION" ]]; then
  # no_downloads: cargo-leptos would otherwise fetch wasm-bindgen/wasm-opt from GitHub, which
  # is unreachable here. --debug: the tool only orchestrates; this saves ~12 of 34 minutes.
  log "Installing cargo-leptos $CARGO_LEPTOS_VERSION (about 20 minutes on 2 cores)"
  cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION" --features no_downloads --debug
fi

if want_tool wasm-bindgen && [[ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION"* ]]; then
  # No --locked: its lockfile wants a webpki-roots version the registry lacks.
  log "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# npm packages: reinstall when node_modules is missing or package(-lock).json changed.
stamp=end2end/node_modules/.shoal-installed
want="$(cat end2end/package.json end2end/package-lock.json | sha256sum | cut -d' ' -f1)"
if want_tool npm && [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  log "Installing end2end npm packages"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  printf '%s\n' "$want" >"$stamp"
fi
