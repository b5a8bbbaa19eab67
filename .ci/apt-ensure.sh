#!/usr/bin/env bash
# Installs the given Debian packages if any is missing (apt-get update only then).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
apt_ensure "$@"
