#!/usr/bin/env bash
# banned_check.sh - no strcpy, sprintf, vsprintf, gets, strtok, atoi in the sources (as curl
# does): each has a bounded or checked replacement (memcpy/snprintf/strtol).
# Usage: banned_check.sh SOURCE_DIR
set -u
cd "$1" || exit 1
hits=$(grep -rnE '\b(strcpy|strcat|sprintf|vsprintf|gets|strtok|atoi|atol)[[:space:]]*\(' \
           src include tests bench --include='*.c' --include='*.h' || true)
if [ -n "$hits" ]; then
    echo "banned functions used:"; echo "$hits"
    echo "banned: 0 passed, 1 failed"; exit 1
fi
echo "banned: 1 passed, 0 failed"
