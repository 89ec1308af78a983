#!/usr/bin/env bash
# test_journey_phases.sh - the demo data set with the five-phases template: the phase funnel
# of 'klantreis phases' (persons reached, dropped, median and p90 time to the next phase) must
# equal the same figures computed by SQL over the store, independently of the C code
# (identity stitching by a recursive CTE, the template's event names as a mapping table).
# Usage: test_journey_phases.sh KLANTREIS DATA_DIR WORK_DIR
set -euo pipefail
kr=$1 work=$3
rm -rf "$work"; mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$kr" demo --persons 400 --seed 7 --out "$work/demo" >/dev/null
db=$work/demo/klantreis.db
sql() { sqlite3 "$db" "$1"; }

# The demo's event names and the phase the five-phases template puts them in (1-based). Every
# track event name of the store must be here, so a new demo event cannot slip past this test.
map="('ad_click',1),('page_view',1),('product_view',2),('newsletter_signup',2),
     ('account_created',2),('email_click',2),('add_to_cart',3),('checkout_started',3),
     ('purchase',3),('service_contact',4),('survey',4),('review',5)"
unknown=$(sql "WITH m(name, phase) AS (VALUES $map)
               SELECT DISTINCT event FROM events WHERE type NOT IN (1, 4, 5)
               AND event NOT IN (SELECT name FROM m)")
[ -z "$unknown" ] || fail "demo event names the test does not map: $unknown"

expected=$(sql "
WITH RECURSIVE
  m(name, phase) AS (VALUES $map),
  k(k) AS (VALUES (1),(2),(3),(4),(5)),
  edge(a, b) AS (
    SELECT anonymous_id, user_id FROM events WHERE anonymous_id IS NOT NULL AND user_id IS NOT NULL
    UNION SELECT user_id, anonymous_id FROM events WHERE anonymous_id IS NOT NULL AND user_id IS NOT NULL
    UNION SELECT previous_id, user_id FROM events WHERE type = 4 AND previous_id IS NOT NULL
    UNION SELECT user_id, previous_id FROM events WHERE type = 4 AND previous_id IS NOT NULL),
  node(id) AS (SELECT anonymous_id FROM events WHERE anonymous_id IS NOT NULL
               UNION SELECT user_id FROM events WHERE user_id IS NOT NULL
               UNION SELECT previous_id FROM events WHERE previous_id IS NOT NULL),
  reach(start, id) AS (SELECT id, id FROM node UNION SELECT r.start, e.b FROM reach r JOIN edge e ON e.a = r.id),
  comp(id, root) AS (SELECT id, min(start) FROM reach GROUP BY id),
  ev(person, ts, phase) AS (
    SELECT c.root, e.ts, m.phase FROM events e
    JOIN comp c ON c.id = coalesce(e.user_id, e.anonymous_id)
    JOIN m ON m.name = e.event WHERE e.type NOT IN (1, 4, 5)),
  far(person, f) AS (SELECT person, max(phase) FROM ev GROUP BY person),
  firsts(person, phase, t) AS (SELECT person, phase, min(ts) FROM ev GROUP BY person, phase),
  entry(person, k, t) AS (
    SELECT far.person, k.k, (SELECT min(t) FROM firsts x WHERE x.person = far.person AND x.phase >= k.k)
    FROM far JOIN k ON k.k <= far.f),
  gap(k, d) AS (SELECT a.k, b.t - a.t FROM entry a JOIN entry b ON b.person = a.person AND b.k = a.k + 1),
  ranked(k, d, rn, n) AS (
    SELECT k, d, row_number() OVER (PARTITION BY k ORDER BY d), count(*) OVER (PARTITION BY k) FROM gap),
  stats(k, n, med, p90) AS (
    SELECT k, max(n),
           max(CASE WHEN rn = (n + 1) / 2 THEN d END),
           max(CASE WHEN rn = (9 * n + 9) / 10 THEN d END)
    FROM ranked GROUP BY k)
SELECT k.k, (SELECT count(*) FROM far WHERE f >= k.k), (SELECT count(*) FROM far WHERE f = k.k),
       coalesce(s.n, 0),
       CASE WHEN s.n IS NULL THEN '' ELSE printf('%.3f', s.med / 1000.0) END,
       CASE WHEN s.n IS NULL THEN '' ELSE printf('%.3f', s.p90 / 1000.0) END
FROM k LEFT JOIN stats s ON s.k = k.k ORDER BY k.k;" | tr '|' ',')

got=$("$kr" phases --db "$db" --template five-phases --format csv 2>/dev/null |
      awk -F, 'NR > 1 { print NR - 1 "," $4 "," $6 "," $10 "," $11 "," $12 }')
if [ "$got" != "$expected" ]; then
    printf 'phase,reached,dropped,to_next,median_s,p90_s\nklantreis:\n%s\nSQL:\n%s\n' "$got" "$expected" >&2
    fail "phase funnel differs from SQL"
fi
# The funnel must look like a journey: everyone starts, fewer go on, buyers reach phase 3.
reached1=$(printf '%s\n' "$got" | head -1 | cut -d, -f2)
reached3=$(printf '%s\n' "$got" | sed -n 3p | cut -d, -f2)
buyers=$(sql "SELECT count(DISTINCT coalesce(user_id, anonymous_id)) FROM events WHERE event = 'purchase'")
[ "$reached1" -gt 300 ] || fail "only $reached1 persons reached the first phase"
[ "$reached3" -ge "$buyers" ] || fail "phase 3 reached by $reached3 < $buyers buyers"

# The same numbers straight from the CSV file, without the store.
direct=$("$kr" phases "$work/demo/events.csv" --template five-phases --format csv 2>/dev/null)
[ "$direct" = "$("$kr" phases --db "$db" --template five-phases --format csv 2>/dev/null)" ] ||
    fail "phases from the file differ from phases from the store"
echo "journey phases: demo funnel equals SQL ($(printf '%s' "$got" | tr '\n' ' ')): 1 passed, 0 failed"
