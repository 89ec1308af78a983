#!/usr/bin/env bash
# import.sh - how fast klantreis takes in a CSV export, measured in one run beside sqlite3's
# own CSV import of the same file.
#
#   bench/import.sh [N]            N events: 1M (default), 10M, 100M, 250k or a number
#
# Generates bench/out/events-N.csv once with kr_gen_events (and reuses it afterwards), reads
# it once to warm the page cache, then times, one after the other on the same file:
#   klantreis import FILE --db DB                 durable import into the SQLite store
#   klantreis stats FILE --format json            CSV -> columnar table (stitch, sort), no store
#   sqlite3 DB2 '.mode csv' '.import FILE events' SQLite's own CSV import (reference)
# and prints seconds, events/s, MB/s (10^6 bytes of CSV), peak memory and bytes per event, and
# the ratios klantreis/sqlite3 in events/s. Every tool must report the file's event count, or
# the script fails. Single runs: rerun to see the spread.
#
# Environment: KLANTREIS (default build/release/klantreis), KR_GEN_EVENTS (default
# build/release/bench/kr_gen_events), KR_BENCH_OUT (default bench/out). Peak memory needs
# GNU time (/usr/bin/time, Debian package 'time'); without it the column shows '-'.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
n=${1:-1M}
kr=${KLANTREIS:-$root/build/release/klantreis}
gen=${KR_GEN_EVENTS:-$root/build/release/bench/kr_gen_events}
out=${KR_BENCH_OUT:-$here/out}

die() {
    echo "import.sh: $*" >&2
    exit 1
}
case $n in
-h | --help)
    sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
*[!0-9kKmMgG]* | '') die "bad event count '$n' (1M, 10M, 100M, 250k or a number)" ;;
esac

build_hint="build it with: cmake --preset release && cmake --build --preset release"
[ -x "$kr" ] || die "klantreis not found at $kr ($build_hint, or set KLANTREIS=path)"
[ -x "$gen" ] || die "kr_gen_events not found at $gen ($build_hint, or set KR_GEN_EVENTS=path)"
command -v sqlite3 >/dev/null || die "sqlite3 not found (Debian: apt-get install sqlite3)"
"$kr" import --help >/dev/null 2>&1 || die "$kr import does not work"
"$kr" stats --help >/dev/null 2>&1 || die "$kr stats does not work"
timebin=
if [ -x /usr/bin/time ] && /usr/bin/time -f '%M' -o /dev/null true 2>/dev/null; then
    timebin=/usr/bin/time
else
    echo "import.sh: GNU time not found (apt-get install time): no peak memory" >&2
fi

mkdir -p "$out"
csv=$out/events-$n.csv
if [ ! -s "$csv" ]; then
    echo "generating $csv ..."
    t0=$(date +%s%N)
    "$gen" "$n" --out "$csv.tmp" || die "kr_gen_events failed"
    mv "$csv.tmp" "$csv"
    t1=$(date +%s%N)
    awk -v ns=$((t1 - t0)) -v b="$(stat -c %s "$csv")" \
        'BEGIN { printf "generated in %.2f s (%.0f MB/s)\n", ns / 1e9, b / 1e6 / (ns / 1e9) }'
fi
bytes=$(stat -c %s "$csv")
events=$(($(wc -l <"$csv") - 1)) # also warms the page cache for every tool alike
echo "file: $csv, $events events, $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB"

# measure LABEL CMD...: runs CMD (stdout to $out/LABEL-N.out); sets secs and rss_kb.
measure() {
    local label=$1-$n t0 t1
    shift
    t0=$(date +%s%N)
    if [ -n "$timebin" ]; then
        "$timebin" -f '%M' -o "$out/$label.rss" "$@" >"$out/$label.out" 2>"$out/$label.err" ||
            die "$label failed: $(tail -3 "$out/$label.err")"
    else
        "$@" >"$out/$label.out" 2>"$out/$label.err" || die "$label failed: $(tail -3 "$out/$label.err")"
    fi
    t1=$(date +%s%N)
    secs=$(awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.3f", ns / 1e9 }')
    rss_kb=-
    [ -z "$timebin" ] || rss_kb=$(tail -1 "$out/$label.rss")
}

db=$out/klantreis-$n.db
sqlite_db=$out/sqlite-$n.db
rm -f "$db" "$db-wal" "$db-shm" "$sqlite_db"

measure import "$kr" import "$csv" --db "$db"
t_import=$secs rss_import=$rss_kb
measure load "$kr" stats "$csv" --format json
t_load=$secs rss_load=$rss_kb
measure sqlite sqlite3 "$sqlite_db" '.mode csv' ".import $csv events"
t_sqlite=$secs rss_sqlite=$rss_kb

# The counts must agree: the file's rows, the import summary, the store, the table, sqlite3.
summary=$(tail -1 "$out/import-$n.out")
imported=$(printf '%s\n' "$summary" | sed -n 's/.*: \([0-9]*\) read, \([0-9]*\) imported.*/\2/p')
in_store=$(sqlite3 "$db" 'SELECT count(*) FROM events')
in_table=$(sed -n 's/^ *"events": *\([0-9]*\).*/\1/p' "$out/load-$n.out" | head -1)
in_sqlite=$(sqlite3 "$sqlite_db" 'SELECT count(*) FROM events')
if [ "$imported" != "$events" ] || [ "$in_store" != "$events" ] || [ "$in_table" != "$events" ] ||
    [ "$in_sqlite" != "$events" ]; then
    die "event counts differ: file $events, import '$summary', store $in_store, table $in_table, sqlite3 $in_sqlite"
fi

echo
printf '%-36s %9s %12s %8s %10s %8s\n' "what" "seconds" "events/s" "MB/s" "peak MB" "B/event"
row() { # label seconds rss_kb
    awk -v l="$1" -v t="$2" -v r="$3" -v e="$events" -v b="$bytes" 'BEGIN {
        if (t < 0.001) t = 0.001
        pk = r == "-" ? "-" : sprintf("%.0f", r * 1024 / 1e6)
        pe = r == "-" ? "-" : sprintf("%.0f", r * 1024 / e)
        printf "%-36s %9.2f %12.0f %8.1f %10s %8s\n", l, t, e / t, b / 1e6 / t, pk, pe }'
}
row "klantreis import (SQLite store)" "$t_import" "$rss_import"
row "klantreis stats (CSV -> table)" "$t_load" "$rss_load"
row "sqlite3 .import (reference)" "$t_sqlite" "$rss_sqlite"
echo
awk -v i="$t_import" -v l="$t_load" -v s="$t_sqlite" 'BEGIN {
    printf "klantreis import / sqlite3 .import (events/s): %.2f\n", s / i
    printf "klantreis table load / sqlite3 .import (events/s): %.2f\n", s / l }'
awk -v k="$(du -k "$db" | cut -f1)" -v s="$(du -k "$sqlite_db" | cut -f1)" -v e="$events" 'BEGIN {
    printf "on disk: klantreis store %.0f MB (%.0f B/event), sqlite3 table %.0f MB (%.0f B/event)\n",
           k * 1024 / 1e6, k * 1024 / e, s * 1024 / 1e6, s * 1024 / e }'
echo "(peak memory is the whole process's maximum resident set; B/event = peak / events)"
