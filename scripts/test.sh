#!/usr/bin/env bash
# test.sh - sets up and runs every test: the gcc build with warnings as errors, then the clang
# build with AddressSanitizer + UBSan, whose libFuzzer targets each run for KR_FUZZ_SECONDS
# (default 30). This is the README's test command and what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
jobs=$(nproc)
echo "== gcc, -Werror (dev preset)"
cmake --preset dev >/dev/null
cmake --build --preset dev -j"$jobs"
ctest --preset dev
echo "== clang, ASan + UBSan, fuzzers ${KR_FUZZ_SECONDS:-30}s each (asan preset)"
cmake --preset asan -DKR_FUZZ_SECONDS="${KR_FUZZ_SECONDS:-30}" >/dev/null
cmake --build --preset asan -j"$jobs"
ctest --preset asan
