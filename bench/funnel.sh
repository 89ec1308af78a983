#!/usr/bin/env bash
# funnel.sh - a 3-step funnel, timed in one run on the same events by klantreis and its peers,
# who must all give the same persons per step.
#
#   bench/funnel.sh [N]            N events: 1M (default), 10M, 100M, 250k or a number
#
# Generates bench/out/events-N.csv with kr_gen_events (reused afterwards), then:
#   klantreis funnel FILE            file -> columnar table -> funnel, the whole command; and the
#                                    funnel alone on the loaded table (its --timing figure)
#   klantreis export FILE --time ms  the events after identity stitching, as (ts, person, event)
#                                    TSV, so that every peer sees the persons klantreis sees
#   SQLite   (sqlite3 CLI)           SQL over a table indexed on (person, event, ts)
#   DuckDB   (@duckdb/node-api)      SQL with ASOF joins over an in-memory table
#   ClickHouse (clickhouse-server)   windowFunnel over a MergeTree table ordered by (person, ts)
# and prints, per tool, the load time, the query time, ns per event and the ratio to klantreis's
# funnel alone. A peer that is not installed is skipped with a message; counts that differ
# make the script fail. Steps: product_view, add_to_cart, purchase; window 1 day.
#
# Environment: KLANTREIS, KR_GEN_EVENTS, KR_BENCH_OUT as in import.sh; KR_BENCH_PEERS (default
# "sqlite duckdb clickhouse") to choose peers.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
n=${1:-1M}
kr=${KLANTREIS:-$root/build/release/klantreis}
gen=${KR_GEN_EVENTS:-$root/build/release/bench/kr_gen_events}
out=${KR_BENCH_OUT:-$here/out}
peers=${KR_BENCH_PEERS:-sqlite duckdb clickhouse}
steps=product_view,add_to_cart,purchase
window_s=86400

die() {
    echo "funnel.sh: $*" >&2
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

mkdir -p "$out"
csv=$out/events-$n.csv
tsv=$out/funnel-$n.tsv
if [ ! -s "$csv" ]; then
    echo "generating $csv ..."
    "$gen" "$n" --out "$csv.tmp" || die "kr_gen_events failed"
    mv "$csv.tmp" "$csv"
fi
events=$(($(wc -l <"$csv") - 1))
echo "file: $csv, $events events; steps $steps, window ${window_s}s"

now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }

# klantreis: the whole command, and the funnel alone (--timing prints its ms on stderr).
t0=$(now)
"$kr" funnel "$csv" --steps "$steps" --window ${window_s}s --format csv --timing \
    >"$out/kr-funnel-$n.csv" 2>"$out/kr-funnel-$n.err" || die "klantreis funnel failed"
t1=$(now)
kr_total=$(secs "$t0" "$t1")
kr_ms=$(sed -n 's/.* in \([0-9.]*\) ms.*/\1/p' "$out/kr-funnel-$n.err")
[ -n "$kr_ms" ] || die "no --timing figure in $out/kr-funnel-$n.err"
kr_query=$(awk -v ms="$kr_ms" 'BEGIN { printf "%.3f", ms / 1000 }')
# persons per step: "3:... 2:... 1:..." -> cumulative list "s1 s2 s3"
kr_counts=$(tail -n +2 "$out/kr-funnel-$n.csv" | cut -d, -f2 | paste -sd' ')

# The peers' input: the stitched events as (seconds, person, event). Ids and the generator's
# event names hold no commas, quotes or tabs, so a split on ',' is exact here.
if [ ! -s "$tsv" ] || [ "$tsv" -ot "$csv" ]; then
    "$kr" export "$csv" --time ms |
        awk -F, 'NR > 1 { printf "%d\t%s\t%s\n", $1 / 1000, ($3 != "" ? $3 : $2), $5 }' \
            >"$tsv.tmp" || die "klantreis export failed"
    mv "$tsv.tmp" "$tsv"
fi

# levels "L<TAB>persons" rows (persons whose furthest step is L) -> persons per step, cumulative
cumulative() {
    awk -v k=3 '{ c[$1] = $2 } END { s = 0; for (i = k; i >= 1; i--) { s += c[i]; r[i] = s }
                 printf "%d %d %d", r[1], r[2], r[3] }'
}

results=()
add_result() { # tool load_s query_s counts
    results+=("$1|$2|$3|$4")
}
add_result "klantreis (file -> table -> funnel)" "-" "$kr_total" "$kr_counts"
add_result "klantreis (funnel on the loaded table)" "-" "$kr_query" "$kr_counts"

IFS=, read -r s1 s2 s3 <<<"$steps"
sql_levels="WITH s1 AS (SELECT u, ts AS t1 FROM e WHERE name = '$s1'),
s2 AS (SELECT u, t1, (SELECT min(ts) FROM e WHERE e.u = s1.u AND e.name = '$s2'
                      AND e.ts >= s1.t1 AND e.ts <= s1.t1 + $window_s) AS t2 FROM s1),
s3 AS (SELECT u, t1, t2, CASE WHEN t2 IS NOT NULL THEN
         (SELECT min(ts) FROM e WHERE e.u = s2.u AND e.name = '$s3'
          AND e.ts >= s2.t2 AND e.ts <= s2.t1 + $window_s) END AS t3 FROM s2),
lv AS (SELECT u, max(CASE WHEN t3 IS NOT NULL THEN 3 WHEN t2 IS NOT NULL THEN 2 ELSE 1 END)
       AS level FROM s3 GROUP BY u)
SELECT level, count(*) FROM lv GROUP BY level ORDER BY level;"

for peer in $peers; do
    case $peer in
    sqlite)
        command -v sqlite3 >/dev/null || { echo "SKIPPED sqlite: sqlite3 not installed"; continue; }
        db=$out/funnel-$n.sqlite
        rm -f "$db"
        t0=$(now)
        sqlite3 "$db" "CREATE TABLE e (ts INTEGER, u TEXT, name TEXT);" '.mode tabs' \
            ".import $tsv e" "CREATE INDEX e_u_name_ts ON e(u, name, ts);" ||
            die "sqlite3 load failed"
        t1=$(now)
        sqlite3 -separator $'\t' "$db" "$sql_levels" >"$out/sqlite-levels-$n.tsv" ||
            die "sqlite3 query failed"
        t2=$(now)
        add_result "SQLite $(sqlite3 --version | cut -d' ' -f1) (SQL, indexed)" "$(secs "$t0" "$t1")" \
            "$(secs "$t1" "$t2")" "$(cumulative <"$out/sqlite-levels-$n.tsv")"
        ;;
    duckdb)
        if [ ! -d "$here/duckdb/node_modules/@duckdb/node-api" ]; then
            command -v npm >/dev/null || { echo "SKIPPED duckdb: npm not installed"; continue; }
            (cd "$here/duckdb" && npm install --no-audit --no-fund --silent) ||
                { echo "SKIPPED duckdb: npm install @duckdb/node-api failed"; continue; }
        fi
        node "$here/duckdb/run.mjs" "$tsv" "$window_s" "$steps" \
            >"$out/duckdb-levels-$n.tsv" 2>"$out/duckdb-$n.err" || die "duckdb failed: $(tail -3 "$out/duckdb-$n.err")"
        load=$(sed -n 's/.*load_s=\([0-9.]*\).*/\1/p' "$out/duckdb-$n.err")
        query=$(sed -n 's/.*query_s=\([0-9.]*\).*/\1/p' "$out/duckdb-$n.err")
        version=$(node -e "console.log(require('$here/duckdb/node_modules/@duckdb/node-api/package.json').version)")
        add_result "DuckDB $version (SQL, ASOF joins)" "$load" "$query" \
            "$(cumulative <"$out/duckdb-levels-$n.tsv")"
        ;;
    clickhouse)
        server=$(command -v clickhouse-server || true)
        [ -z "$server" ] && [ -x /usr/sbin/clickhouse-server ] && server=/usr/sbin/clickhouse-server
        if [ -z "$server" ]; then
            echo "SKIPPED clickhouse: clickhouse-server not installed (scripts/setup.sh --test)"
            continue
        fi
        chw=$(mktemp -d)
        read -r http tcp < <(python3 -c 'import socket
ports = []
for _ in range(2):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); ports.append(s.getsockname()[1]); s.close()
print(*ports)')
        cat >"$chw/config.xml" <<XML
<yandex>
  <logger><level>warning</level><log>$chw/log.txt</log><errorlog>$chw/err.txt</errorlog></logger>
  <http_port>$http</http_port><tcp_port>$tcp</tcp_port><listen_host>127.0.0.1</listen_host>
  <path>$chw/data/</path><tmp_path>$chw/tmp/</tmp_path><users_config>users.xml</users_config>
  <default_profile>default</default_profile><default_database>default</default_database>
  <mark_cache_size>5368709120</mark_cache_size>
</yandex>
XML
        cat >"$chw/users.xml" <<XML
<yandex><profiles><default></default></profiles><quotas><default></default></quotas>
<users><default><password></password><networks><ip>127.0.0.1</ip></networks>
<profile>default</profile><quota>default</quota></default></users></yandex>
XML
        "$server" --config-file="$chw/config.xml" >"$chw/server.out" 2>&1 &
        chpid=$!
        ch() { curl -sSf "http://127.0.0.1:$http/" --data-binary "$1"; }
        for _ in $(seq 100); do ch 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.2; done
        version=$(ch 'SELECT version()')
        ch "CREATE TABLE e (ts UInt32, u String, name String) ENGINE = MergeTree() ORDER BY (u, ts)"
        t0=$(now)
        curl -sSf "http://127.0.0.1:$http/?query=INSERT%20INTO%20e%20FORMAT%20TabSeparated" \
            --data-binary @"$tsv" || die "clickhouse insert failed"
        ch "OPTIMIZE TABLE e FINAL" # one part, as after a long-running load
        t1=$(now)
        ch "SELECT level, count() FROM (SELECT u, windowFunnel($window_s)(ts, name = '$s1',
            name = '$s2', name = '$s3') AS level FROM e GROUP BY u) WHERE level > 0
            GROUP BY level ORDER BY level" >"$out/clickhouse-levels-$n.tsv" ||
            die "clickhouse query failed"
        t2=$(now)
        kill "$chpid" 2>/dev/null
        wait "$chpid" 2>/dev/null || true
        rm -rf "$chw"
        add_result "ClickHouse $version (windowFunnel, MergeTree)" "$(secs "$t0" "$t1")" \
            "$(secs "$t1" "$t2")" "$(cumulative <"$out/clickhouse-levels-$n.tsv")"
        ;;
    *) die "unknown peer '$peer' (sqlite, duckdb, clickhouse)" ;;
    esac
done

echo
printf '%-46s %8s %9s %9s %9s  %s\n' "tool" "load s" "funnel s" "ns/event" "x slower" "persons per step"
fail=0
for r in "${results[@]}"; do
    IFS='|' read -r tool load query counts <<<"$r"
    awk -v t="$tool" -v l="$load" -v q="$query" -v e="$events" -v k="$kr_query" -v c="$counts" \
        'BEGIN { if (q < 0.0005) q = 0.0005; if (k < 0.0005) k = 0.0005
                 printf "%-46s %8s %9.3f %9.1f %9.1f  %s\n", t, l, q, q * 1e9 / e, q / k, c }'
    [ "$counts" = "$kr_counts" ] || fail=1
done
[ "$fail" = 0 ] || die "the tools disagree on the persons per step (last column)"
echo
echo "all tools agree: $kr_counts persons at steps $steps"
