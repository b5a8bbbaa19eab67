#!/usr/bin/env bash
# Runs a command with a throw-away PostgreSQL cluster up and SHOAL_TEST_PG_URL pointing at it;
# the cluster is removed afterwards. Example:
#   .ci/with-postgres.sh cargo test --release -p server -- invites
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
(($# > 0)) || die "usage: $0 COMMAND [ARGS...]"
setup_env
trap pg_stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
pg_start
set +e
"$@"
rc=$?
set -e
exit "$rc"
