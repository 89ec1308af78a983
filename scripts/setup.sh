#!/usr/bin/env bash
# setup.sh - installs what klantreis needs to build and test on Debian 12, from Debian's
# packages only. Uses sudo when not run as root. Safe to run again.
#
#   scripts/setup.sh          what building and the demo need
#   scripts/setup.sh --test   also what the tests cross-check against (ClickHouse, GNU time)
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup.sh: run as root or install sudo" >&2; exit 1; }
    SUDO=sudo
fi
packages=(
    build-essential cmake pkg-config git      # toolchain
    clang libclang-rt-dev                     # sanitizer build and libFuzzer
    libsqlite3-dev sqlite3                    # the embedded store; sqlite3 for SQL cross-checks
    libjansson-dev                            # JSON
    libyaml-dev                               # journey model files
    libcairo2-dev libpango1.0-dev             # the journey-map poster (PDF/PNG/SVG)
    libsodium-dev                             # keyed hashing for --pseudonymise
    libcmocka-dev                             # unit tests
    python3                                   # test helpers
)
if [ "${1:-}" = --test ]; then
    packages+=(
        clickhouse-server clickhouse-client   # funnel differential test against windowFunnel
        time                                  # peak memory in bench/
    )
fi
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup.sh: installing ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
