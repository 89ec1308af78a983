#!/usr/bin/env bash
# import.sh - import and load benchmark, measured in one run beside sqlite3's own CSV import.
#
#   bench/import.sh [N]          N events (default 1M; also 10M, 100M or a number)
#
# Generates bench/out/events-N.csv once (kr_gen_events), then times:
#   klantreis import FILE --db DB          durable import into the SQLite store
#   klantreis stats FILE --format json     CSV -> columnar table (stitching, sorting), no store
#   sqlite3 DB2 '.import --csv FILE t'     SQLite's own CSV import of the same file
# and prints seconds, events/s, MB/s, peak memory and the ratios. Needs the release build
# (cmake --preset release && cmake --build --preset release) and sqlite3. Event counts must
# agree; the script fails if they do not.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1M}
kr=${KLANTREIS:-build/release/klantreis}
gen=${KR_GEN_EVENTS:-build/release/bench/kr_gen_events}
for tool in "$kr" "$gen"; do
    [ -x "$tool" ] || { echo "import.sh: $tool missing: cmake --preset release && cmake --build --preset release" >&2; exit 1; }
done
command -v sqlite3 >/dev/null || { echo "import.sh: sqlite3 missing (apt-get install sqlite3)" >&2; exit 1; }
mkdir -p bench/out
csv=bench/out/events-$n.csv
[ -s "$csv" ] || "$gen" "$n" --out "$csv"
bytes=$(stat -c %s "$csv")
events=$(($(wc -l <"$csv") - 1))
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
echo "file: $csv, $events events, $mb MB"

# measure CMD...: prints "seconds peak_kb" of the command.
measure() {
    /usr/bin/time -o bench/out/time.txt -f '%e %M' "$@" >/dev/null 2>&1
    tail -1 bench/out/time.txt
}
rm -f bench/out/kr.db* bench/out/sqlite.db*
read -r t_import rss_import < <(measure "$kr" import --db bench/out/kr.db --quiet "$csv")
read -r t_load rss_load < <(measure "$kr" stats "$csv" --format json)
read -r t_sqlite rss_sqlite < <(measure sqlite3 bench/out/sqlite.db '.import --csv '"$csv"' events')

got_kr=$(sqlite3 bench/out/kr.db 'SELECT count(*) FROM events')
got_sqlite=$(sqlite3 bench/out/sqlite.db 'SELECT count(*) FROM events')
got_load=$("$kr" stats "$csv" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["events"])')
if [ "$got_kr" != "$events" ] || [ "$got_sqlite" != "$events" ] || [ "$got_load" != "$events" ]; then
    echo "import.sh: counts differ: file $events, klantreis import $got_kr, table $got_load, sqlite3 $got_sqlite" >&2
    exit 1
fi
row() { # label seconds rss_kb
    awk -v l="$1" -v t="$2" -v r="$3" -v e="$events" -v b="$bytes" 'BEGIN {
        if (t < 0.01) t = 0.01
        printf "%-34s %8.2f s %12.0f ev/s %8.1f MB/s %8.0f MB peak %6.1f B/event\n",
               l, t, e / t, b / 1048576 / t, r / 1024, r * 1024 / e }'
}
echo
row "klantreis import (SQLite store)" "$t_import" "$rss_import"
row "klantreis CSV -> columnar table" "$t_load" "$rss_load"
row "sqlite3 .import (reference)" "$t_sqlite" "$rss_sqlite"
echo
awk -v a="$t_import" -v l="$t_load" -v s="$t_sqlite" 'BEGIN {
    printf "ratio sqlite3 .import time / klantreis import time: %.2f\n", s / a
    printf "ratio sqlite3 .import time / klantreis table load:  %.2f\n", s / l }'
