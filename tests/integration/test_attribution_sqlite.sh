#!/usr/bin/env bash
# test_attribution_sqlite.sh - first touch, last touch and linear attribution of the demo data
# against SQL run by SQLite over the store, independently of the C code: persons are the
# connected components of the id graph (recursive CTE), a purchase gets the person's channel
# touches since their previous purchase and within 30 days (docs/attribution.md), ranked with
# window functions. Conversions and revenue per channel must agree, the (no touch) row too.
# Usage: test_attribution_sqlite.sh KLANTREIS DATA_DIR WORK_DIR
set -euo pipefail
kr=$1 work=$3
rm -rf "$work"; mkdir -p "$work"
"$kr" demo --persons 400 --seed 11 --out "$work/demo" >/dev/null
db=$work/demo/klantreis.db
python3 - "$kr" "$db" "$work/demo/events.csv" <<'PY'
import csv, io, sqlite3, subprocess, sys
kr, dbpath, csvpath = sys.argv[1:4]
db = sqlite3.connect(dbpath)
LOOKBACK = 30 * 86400000
base = f"""
WITH RECURSIVE
  edge(a, b) AS (
    SELECT anonymous_id, user_id FROM events WHERE anonymous_id IS NOT NULL AND user_id IS NOT NULL
    UNION SELECT user_id, anonymous_id FROM events WHERE anonymous_id IS NOT NULL AND user_id IS NOT NULL
    UNION SELECT previous_id, user_id FROM events WHERE type = 4 AND previous_id IS NOT NULL
    UNION SELECT user_id, previous_id FROM events WHERE type = 4 AND previous_id IS NOT NULL),
  node(id) AS (SELECT anonymous_id FROM events WHERE anonymous_id IS NOT NULL
               UNION SELECT user_id FROM events WHERE user_id IS NOT NULL
               UNION SELECT previous_id FROM events WHERE previous_id IS NOT NULL),
  reach(start, id) AS (SELECT id, id FROM node UNION SELECT r.start, e.b FROM reach r JOIN edge e ON e.a = r.id),
  comp(id, rep) AS (SELECT id, min(start) FROM reach GROUP BY id),
  ev AS (SELECT e.seq, e.ts, e.event, e.channel, coalesce(e.value_cents, 0) AS v, c.rep AS p
         FROM events e JOIN comp c ON c.id = coalesce(e.user_id, e.anonymous_id, e.previous_id)),
  conv AS (SELECT seq, p, ts, v FROM ev WHERE event = 'purchase'),
  convw AS (SELECT c.*, (SELECT max(c2.ts) FROM conv c2 WHERE c2.p = c.p AND c2.ts < c.ts) AS prev
            FROM conv c),
  tw AS (SELECT c.seq AS cseq, c.v, t.channel, t.ts, t.seq FROM convw c JOIN ev t
         ON t.p = c.p AND t.event != 'purchase' AND coalesce(t.channel, '') != ''
            AND t.ts <= c.ts AND (c.prev IS NULL OR t.ts > c.prev) AND c.ts - t.ts <= {LOOKBACK}),
  ranked AS (SELECT *, row_number() OVER (PARTITION BY cseq ORDER BY ts, seq) AS rf,
                       row_number() OVER (PARTITION BY cseq ORDER BY ts DESC, seq DESC) AS rl,
                       count(*) OVER (PARTITION BY cseq) AS n FROM tw)
"""
# Two purchases of one person in the same millisecond would make 'previous purchase' ambiguous.
dup = db.execute(base + "SELECT count(*) FROM (SELECT p, ts FROM conv GROUP BY p, ts HAVING count(*) > 1)").fetchone()[0]
assert dup == 0, "demo data has simultaneous purchases of one person"
expected = {}
for ch, f, l, lin, fr, lr, linr in db.execute(base + """
    SELECT channel, sum(rf = 1), sum(rl = 1), sum(1.0 / n), sum(CASE WHEN rf = 1 THEN v ELSE 0 END),
           sum(CASE WHEN rl = 1 THEN v ELSE 0 END), sum(1.0 * v / n) FROM ranked GROUP BY channel"""):
    expected[ch] = (f, l, lin, fr / 100, lr / 100, linr / 100)
n0, v0 = db.execute(base + "SELECT count(*), coalesce(sum(v), 0) FROM convw WHERE seq NOT IN (SELECT cseq FROM tw)").fetchone()
if n0:
    expected["(no touch)"] = (n0, n0, n0, v0 / 100, v0 / 100, v0 / 100)
total = db.execute("SELECT count(*) FROM events WHERE event = 'purchase'").fetchone()[0]
assert total > 50, f"only {total} purchases"
cases = 0
for source in (dbpath, csvpath):
    out = subprocess.run([kr, "attribution", source, "--conversion", "purchase", "--format", "csv"],
                         capture_output=True, text=True, check=True).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    got = {}
    for r in rows:
        got[r["channel"]] = tuple(float(r[k]) for k in (
            "first_touch_conversions", "last_touch_conversions", "linear_conversions",
            "first_touch_revenue", "last_touch_revenue", "linear_revenue"))
    # Every model credits all purchases (the (no touch) row included).
    for m in ("first_touch", "last_touch", "linear", "time_decay", "position_based", "markov"):
        s = sum(float(r[m + "_conversions"]) for r in rows)
        if abs(s - total) > 1e-4:
            print(f"FAIL {source}: {m} credits {s} conversions, SQL counts {total}"); sys.exit(1)
    keys = {k for k, v in expected.items() if any(v)} | {k for k, v in got.items() if any(v)}
    for k in sorted(keys):
        e, g = expected.get(k, (0,) * 6), got.get(k, (0,) * 6)
        for i, name in enumerate(("first", "last", "linear", "first revenue", "last revenue", "linear revenue")):
            tol = 1e-4 if i < 3 else 0.011
            if abs(e[i] - g[i]) > tol:
                print(f"FAIL {source}: {k} {name}: klantreis {g[i]}, SQL {e[i]}"); sys.exit(1)
            cases += 1
print(f"attribution vs SQLite: {total} purchases, {len(expected)} rows, {cases} figures passed, 0 failed")

# NPS, CSAT and the mean emotion per event name (klantreis emotion without a model).
emo = {}
for name, n_nps, nps, n_csat, csat, n, emotion in db.execute("""
    SELECT event,
           sum(score_scale = 'nps'),
           100.0 * (sum(score_scale = 'nps' AND score >= 9) - sum(score_scale = 'nps' AND score <= 6))
                 / nullif(sum(score_scale = 'nps'), 0),
           sum(score_scale = 'csat'),
           1.0 * sum(score_scale = 'csat' AND score >= 4) / nullif(sum(score_scale = 'csat'), 0),
           count(*),
           avg(CASE score_scale WHEN 'csat' THEN score - 3 WHEN 'nps' THEN (score - 5) * 0.4
                                WHEN 'ces' THEN (score - 4) * 2.0 / 3 ELSE score END)
    FROM events WHERE score IS NOT NULL AND coalesce(score_scale, '') != '' GROUP BY event"""):
    emo[name] = (n_nps, nps, n_csat, csat, n, emotion)
assert any(v[0] for v in emo.values()), "no NPS answers in the demo data"
ecases = 0
for source in (dbpath, csvpath):
    out = subprocess.run([kr, "emotion", source, "--format", "csv"], capture_output=True,
                         text=True, check=True).stdout
    rows = {r["key"]: r for r in csv.DictReader(io.StringIO(out)) if r["level"] == "event"}
    if set(rows) != set(emo):
        print(f"FAIL {source}: events {sorted(rows)}, SQL {sorted(emo)}"); sys.exit(1)
    for name, (n_nps, nps, n_csat, csat, n, emotion) in emo.items():
        r = rows[name]
        pairs = [("nps_count", n_nps), ("nps", nps), ("csat_count", n_csat), ("csat", csat),
                 ("scores", n), ("emotion", emotion)]
        for col, want in pairs:
            got = float(r[col]) if r[col] != "" else None
            if (want is None) != (got is None) or (want is not None and abs(got - want) > 1e-5):
                print(f"FAIL {source}: {name} {col}: klantreis {r[col]}, SQL {want}"); sys.exit(1)
            ecases += 1
print(f"emotion vs SQLite: {len(emo)} events, {ecases} figures passed, 0 failed")
PY
