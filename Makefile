# Shoal: developer and CI entry points. `make help` lists the targets.
# Every step is idempotent and quick once done; the heavy lifting lives in .ci/*.sh.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# Shared build cache outside the clone, so a fresh CI clone reuses compiled dependencies:
# /var/cache/shoal/target when writable, else ~/.cache/shoal/target. Set CARGO_TARGET_DIR to
# choose another (e.g. `CARGO_TARGET_DIR=$PWD/target make test`).
ifeq ($(origin CARGO_TARGET_DIR),undefined)
CARGO_TARGET_DIR := $(shell bash -c 'source "$(CURDIR)/.ci/lib.sh" && default_target_dir')
endif
export CARGO_TARGET_DIR

# Cargo decides what to rebuild from the contents of the sources, not their file times
# (`-Zchecksum-freshness`): a fresh clone sharing the cache above rebuilds only the crates whose
# sources differ from what the cache was built from (with file times, a clone's checkout is newer
# than every artifact and the whole workspace, the WASM included, was rebuilt each time), and two
# clones sharing the cache can never take each other's artifacts for their own. Not stabilised:
# `RUSTC_BOOTSTRAP=1` lets the stable toolchain accept it (same compiler; the release WASM needs it
# for build-std anyway). Every build `make` starts sees both, so none of them invalidates another's
# artifacts; a plain `cargo` with this CARGO_TARGET_DIR exported rebuilds them (proc-macro2 probes
# for RUSTC_BOOTSTRAP).
export RUSTC_BOOTSTRAP := 1
export CARGO_UNSTABLE_CHECKSUM_FRESHNESS := true

# npm's wasm-opt (binaryen 132) must win over any other on PATH; cargo-installed tools next.
export PATH := $(CURDIR)/end2end/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

# The commands `make lint` and `make test` run; override on the command line, e.g.
#   make test CARGO_TEST='cargo test --release -p server'
# leptosfmt formats the `view!` markup (settings in leptosfmt.toml), rustfmt everything else.
FMT_CHECK     ?= leptosfmt --check -q app/src app/site/src && cargo fmt --all -- --check
CLIPPY_SERVER ?= cargo clippy -p app -p domain -p site -p server --all-targets --features app/ssr -- -D warnings \
  && cargo clippy -p build-site --all-targets --target-dir "$(CARGO_TARGET_DIR)/build-site" -- -D warnings
CLIPPY_WASM   ?= cargo clippy -p frontend -p learner -p visitor --target wasm32-unknown-unknown -- -D warnings
# --release reuses what the release build compiled (and the other way round). build-site, the
# release site's builder, has a target directory of its own (see build_site_tool in .ci/lib.sh).
CARGO_TEST    ?= cargo test --release --no-fail-fast -p app -p domain -p server --tests \
  && cargo test --release -p build-site --target-dir "$(CARGO_TARGET_DIR)/build-site"
# On PostgreSQL: the integration tests only (nothing else opens a database).
CARGO_TEST_PG ?= cargo test --release --no-fail-fast -p server --test it
export FMT_CHECK CLIPPY_SERVER CLIPPY_WASM CARGO_TEST CARGO_TEST_PG

# When make started: the test summary gives the whole run's wall time, tools and packages included.
RUN_STARTED := $(shell date +%s)
export RUN_STARTED

# Debian packages `make test` needs: the browser, PostgreSQL, Postfix (for smtp-sink), curl.
TEST_PACKAGES := chromium postgresql postfix curl

.PHONY: help run test bench tools build-tools install system-deps fmt lint clean-data

help:
	@echo 'make run          build (debug) and serve Shoal at http://127.0.0.1:3000 (SQLite in ./data), rebuilt on every change'
	@echo 'make test         everything CI runs: fmt, clippy, Rust tests on SQLite and PostgreSQL,'
	@echo '                  release build, Playwright in Chromium; ends with a summary'
	@echo 'make bench        release server under wrk on loopback; prints a table'
	@echo 'make tools        install what make run needs: the wasm32 target, leptosfmt, npm packages,'
	@echo '                  cargo-leptos and wasm-bindgen-cli (make test and make bench need only the first three)'
	@echo 'make system-deps  install the Debian packages the tests need ($(TEST_PACKAGES))'
	@echo 'make fmt          format the code: leptosfmt for the view! markup, then rustfmt'
	@echo 'make lint         leptosfmt --check, cargo fmt --check and clippy (server and wasm), warnings are errors'
	@echo 'make clean-data   delete ./data (the local SQLite database, dev mailbox, secret)'

tools:
	@.ci/tools.sh

# The release build (.ci/build-site) needs no cargo-installed tool: make test on a new machine
# does not wait ~25 minutes for cargo-leptos and wasm-bindgen-cli to compile.
build-tools:
	@.ci/tools.sh rust leptosfmt npm

install: tools

system-deps:
	@.ci/apt-ensure.sh $(TEST_PACKAGES)

# Dev mode (the mailbox page, a local mail folder) is said here: a binary started without
# SHOAL_MODE runs in production. `watch` rebuilds and restarts on every saved change; `--split`
# because the admin areas are lazy routes, which the browser cannot load from an unsplit build.
run: tools
	SHOAL_MODE=dev cargo leptos watch --split

test: build-tools system-deps
	@.ci/test.sh

bench: build-tools
	@.ci/bench.sh

fmt:
	@.ci/tools.sh rust leptosfmt
	# Twice: a first pass can leave a line that the second joins (leptosfmt 0.1.33).
	leptosfmt -q app/src app/site/src && leptosfmt -q app/src app/site/src && cargo fmt --all

lint:
	@.ci/tools.sh rust leptosfmt
	$(FMT_CHECK)
	$(CLIPPY_SERVER)
	$(CLIPPY_WASM)

clean-data:
	rm -rf ./data
