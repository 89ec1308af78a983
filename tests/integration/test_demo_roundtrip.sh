#!/usr/bin/env bash
# test_demo_roundtrip.sh - demo -> import -> stats: the counts the generator knows (its truth),
# the counts the table computes (identity stitching), and SQL over the store must all agree;
# importing the file again must add nothing.
# Usage: test_demo_roundtrip.sh KLANTREIS DATA_DIR WORK_DIR
set -euo pipefail
kr=$1 work=$3
rm -rf "$work"; mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

out=$("$kr" demo --persons 400 --seed 7 --out "$work/demo")
line=$(printf '%s\n' "$out" | grep '^wrote ')
# wrote DIR/events.csv: E events of P persons (A accounts)
read -r events persons accounts < <(printf '%s\n' "$line" |
    sed -E 's/.*: ([0-9]+) events of ([0-9]+) persons \(([0-9]+) accounts\)/\1 \2 \3/')
[ "$events" -gt 1000 ] || fail "demo wrote only $events events"
printf '%s\n' "$out" | grep -q "events.csv: $events read, $events imported, 0 duplicates, 0 rejected" ||
    fail "import summary: $out"

db=$work/demo/klantreis.db
json=$("$kr" stats --db "$db" --format json)
field() { printf '%s\n' "$json" | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
[ "$(field events)" = "$events" ] || fail "stats events $(field events) != generator $events"
[ "$(field persons)" = "$persons" ] || fail "stats persons $(field persons) != generator $persons"
[ "$(field accounts)" = "$accounts" ] || fail "stats accounts $(field accounts) != generator $accounts"

# SQL over the store, independently of the C code.
sql() { sqlite3 "$db" "$1"; }
[ "$(sql 'SELECT count(*) FROM events')" = "$events" ] || fail "SQL count"
[ "$(sql 'SELECT count(DISTINCT account_id) FROM events')" = "$accounts" ] || fail "SQL accounts"
[ "$(sql "SELECT count(*) FROM events WHERE event = 'purchase'")" = \
  "$(printf '%s\n' "$json" | python3 -c "import json,sys; d=json.load(sys.stdin); print(sum(x['events'] for x in d['by_event'] if x['value']=='purchase'))")" ] ||
    fail "purchases per SQL and per stats differ"
[ "$(sql 'SELECT coalesce(sum(value_cents),0) FROM events')" = "$(field revenue_cents)" ] ||
    fail "revenue per SQL and per stats differ"

# Persons per SQL: connected components of the id graph, computed with a recursive CTE.
sql_persons=$(sql "
WITH RECURSIVE
  edge(a, b) AS (
    SELECT anonymous_id, user_id FROM events WHERE anonymous_id IS NOT NULL AND user_id IS NOT NULL
    UNION SELECT user_id, anonymous_id FROM events WHERE anonymous_id IS NOT NULL AND user_id IS NOT NULL
    UNION SELECT previous_id, user_id FROM events WHERE type = 4 AND previous_id IS NOT NULL
    UNION SELECT user_id, previous_id FROM events WHERE type = 4 AND previous_id IS NOT NULL),
  node(id) AS (SELECT anonymous_id FROM events WHERE anonymous_id IS NOT NULL
               UNION SELECT user_id FROM events WHERE user_id IS NOT NULL
               UNION SELECT previous_id FROM events WHERE previous_id IS NOT NULL),
  reach(start, id) AS (SELECT id, id FROM node UNION SELECT r.start, e.b FROM reach r JOIN edge e ON e.a = r.id)
SELECT count(*) FROM (SELECT start FROM reach GROUP BY start HAVING start = min(id));")
[ "$sql_persons" = "$persons" ] || fail "SQL components $sql_persons != generator $persons"

# Import again: nothing new.
again=$("$kr" import --db "$db" "$work/demo/events.csv")
[ "$again" = "$work/demo/events.csv: $events read, 0 imported, $events duplicates, 0 rejected" ] ||
    fail "re-import: $again"
[ "$(sql 'SELECT count(*) FROM events')" = "$events" ] || fail "re-import changed the count"

# The same numbers straight from the file, without a store.
direct=$("$kr" stats "$work/demo/events.csv" --format json)
[ "$direct" = "$json" ] || fail "stats from the file differ from stats from the store"
echo "demo roundtrip: $events events, $persons persons, $accounts accounts: 1 passed, 0 failed"
