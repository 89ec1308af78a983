#!/usr/bin/env bash
# demo.sh - sets up, builds (release) and runs 'klantreis demo' on the built-in demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)" >/dev/null
build/release/klantreis demo "$@"
