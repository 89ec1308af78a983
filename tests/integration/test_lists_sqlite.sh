#!/usr/bin/env bash
# test_lists_sqlite.sh - klantreis lists abandoned-carts and ambassadors on the demo data
# against SQL run by SQLite over the store: persons are the connected components of the id
# graph (a recursive CTE, as in test_value_sqlite.sh); the rules checked are in docs/lists.md.
# Several as-of dates and windows; each list is compared person by person (the set of
# persons, and per person the last cart time and value, the NPS score, its time, the
# purchases and the revenue).
# Usage: test_lists_sqlite.sh KLANTREIS DATA_DIR WORK_DIR
set -euo pipefail
kr=$1 work=$3
rm -rf "$work"; mkdir -p "$work"
"$kr" demo --persons 800 --seed 5 --out "$work/demo" >/dev/null
python3 - "$kr" "$work/demo/klantreis.db" <<'PY'
import datetime, json, sqlite3, subprocess, sys
kr, db_path = sys.argv[1], sys.argv[2]
db = sqlite3.connect(db_path)
HOUR = 3600000
db.executescript("""
CREATE TEMP TABLE person AS
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
SELECT start AS id, min(id) AS person FROM reach GROUP BY start;
CREATE TEMP TABLE ev AS
SELECT e.ts, e.seq, p.person, e.event, e.value_cents, e.score, e.score_scale
FROM events e JOIN person p ON p.id = coalesce(e.user_id, e.anonymous_id, e.previous_id);
""")
component = dict(db.execute("SELECT id, person FROM person"))
fails = cases = 0

def ms(text):
    return int(datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000 + 0.5)

def iso(t):
    return datetime.datetime.fromtimestamp(t / 1000, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

def run(*args):
    out = subprocess.run([kr, "lists", *args, "--db", db_path, "--format", "json"],
                         capture_output=True, text=True, check=True).stdout
    rows = {}
    for r in json.loads(out)["rows"]:
        comps = {component[i] for i in r["ids"]}
        assert len(comps) == 1, r
        rows[comps.pop()] = r
    return rows

def check(what, got, want):
    global fails, cases
    cases += 1
    if got != want:
        fails += 1
        print(f"FAIL {what}: klantreis {got}, SQL {want}")

last = db.execute("SELECT max(ts) FROM events").fetchone()[0]
first = db.execute("SELECT min(ts) FROM events").fetchone()[0]
for as_of in (last, first + (last - first) // 2, first + (last - first) * 3 // 4):
    for hours in (24, 1, 72):
        got = run("abandoned-carts", "--as-of", iso(as_of), "--hours", str(hours))
        want = {}
        for person, ts, cents, purchases in db.execute("""
            WITH c AS (SELECT person, ts, value_cents, ROW_NUMBER() OVER (PARTITION BY person
                       ORDER BY ts DESC, seq DESC) AS rn FROM ev
                       WHERE event = 'add_to_cart' AND ts <= :asof)
            SELECT c.person, c.ts, c.value_cents,
                   (SELECT count(*) FROM ev p WHERE p.person = c.person AND p.event = 'purchase'
                    AND p.ts <= :asof)
            FROM c WHERE rn = 1 AND c.ts <= :asof - :win AND NOT EXISTS (
              SELECT 1 FROM ev p WHERE p.person = c.person AND p.event = 'purchase'
              AND p.ts >= c.ts AND p.ts <= c.ts + :win)""", {"asof": as_of, "win": hours * HOUR}):
            want[person] = (ts, cents, purchases)
        tag = f"abandoned-carts as-of {as_of} hours {hours}"
        if as_of == last:
            check(f"{tag} not empty", len(want) > 0, True)
        check(f"{tag} persons", sorted(got), sorted(want))
        for p in set(got) & set(want):
            r = got[p]
            check(f"{tag} {p}", (ms(r["last_cart_at"]), r["cart_value_cents"], r["purchases"]),
                  want[p])
    got = run("ambassadors", "--as-of", iso(as_of))
    want = {}
    for person, ts, score, purchases, revenue in db.execute("""
        WITH s AS (SELECT person, ts, score, ROW_NUMBER() OVER (PARTITION BY person
                   ORDER BY ts DESC, seq DESC) AS rn FROM ev
                   WHERE score IS NOT NULL AND score_scale = 'nps' AND ts <= :asof),
             b AS (SELECT person, count(*) AS n, sum(coalesce(value_cents, 0)) AS cents FROM ev
                   WHERE event = 'purchase' AND ts <= :asof GROUP BY person)
        SELECT s.person, s.ts, s.score, b.n, b.cents FROM s JOIN b ON b.person = s.person
        WHERE s.rn = 1 AND s.score >= 9 AND b.n >= 2""", {"asof": as_of}):
        want[person] = (ts, score, purchases, revenue)
    tag = f"ambassadors as-of {as_of}"
    check(f"{tag} persons", sorted(got), sorted(want))
    if as_of == last:
        check(f"{tag} not empty", len(want) > 0, True)
    for p in set(got) & set(want):
        r = got[p]
        check(f"{tag} {p}", (ms(r["scored_at"]), r["nps"], r["purchases"], r["revenue_cents"]),
              want[p])
print(f"lists vs SQLite: {cases - fails} passed, {fails} failed")
sys.exit(1 if fails else 0)
PY
