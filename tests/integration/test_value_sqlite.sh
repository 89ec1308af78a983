#!/usr/bin/env bash
# test_value_sqlite.sh - klantreis value (pareto, rfm, pyramid) on the demo data against SQL
# run by SQLite over the store: persons are the connected components of the id graph (a
# recursive CTE, as in test_demo_roundtrip.sh), accounts the account of a person's latest
# event that has one, and the figures come from window functions (ROW_NUMBER, RANK) over the
# purchases. The rules being checked are in docs/value.md.
# Usage: test_value_sqlite.sh KLANTREIS DATA_DIR WORK_DIR
set -euo pipefail
kr=$1 work=$3
rm -rf "$work"; mkdir -p "$work"
"$kr" demo --persons 600 --seed 11 --out "$work/demo" >/dev/null
python3 - "$kr" "$work/demo/klantreis.db" <<'PY'
import json, sqlite3, subprocess, sys
kr, db_path = sys.argv[1], sys.argv[2]
db = sqlite3.connect(db_path)
DAY = 86400000
# person(id, person): every id mapped to its component (named by its smallest id);
# ev(ts, seq, person, event, value_cents, type, account_id): every event with its person.
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
SELECT e.ts, e.seq, p.person, e.event, e.value_cents, e.type, e.account_id
FROM events e JOIN person p ON p.id = coalesce(e.user_id, e.anonymous_id, e.previous_id);
CREATE TEMP TABLE acct AS
SELECT person, account_id FROM (SELECT person, account_id,
  ROW_NUMBER() OVER (PARTITION BY person ORDER BY ts DESC, seq DESC) AS rn
  FROM ev WHERE account_id IS NOT NULL) WHERE rn = 1;
""")
fails = 0
cases = 0

def run(*args):
    out = subprocess.run([kr, "value", *args, "--db", db_path, "--format", "json"],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)

def check(what, got, want):
    global fails, cases
    cases += 1
    ok = abs(got - want) < 1e-9 if isinstance(want, float) else got == want
    if not ok:
        fails += 1
        print(f"FAIL {what}: klantreis {got}, SQL {want}")

last = db.execute("SELECT max(ts) FROM events").fetchone()[0]

def unit_sql(per):
    """(unit, ts, cents) of every purchase, per person or per account."""
    if per == "person":
        return "SELECT person AS unit, ts, coalesce(value_cents, 0) AS cents, event FROM ev"
    return ("SELECT a.account_id AS unit, ts, coalesce(value_cents, 0) AS cents, event "
            "FROM ev JOIN acct a USING (person)")

# ---- pareto -----------------------------------------------------------------------------
for as_of, period, per in [(last, 365 * DAY, "person"), (last - 30 * DAY, 90 * DAY, "person"),
                           (last, 365 * DAY, "account"), (last - 60 * DAY, 0, "person")]:
    args = ["pareto", "--as-of", f"{as_of}", "--per", per,
            "--period", "all" if period == 0 else f"{period}ms"]
    j = run(*args)
    lo = -2**62 if period == 0 else as_of - period
    rev = f"""WITH u AS ({unit_sql(per)}),
      r AS (SELECT unit, sum(cents) AS rev FROM u
            WHERE event = 'purchase' AND ts > {lo} AND ts <= {as_of} GROUP BY unit HAVING rev > 0),
      k AS (SELECT rev, ROW_NUMBER() OVER (ORDER BY rev DESC) AS rn, count(*) OVER () AS n,
                   sum(rev) OVER () AS total,
                   sum(rev) OVER (ORDER BY rev DESC ROWS UNBOUNDED PRECEDING) AS cum FROM r)"""
    n, total = db.execute(rev + " SELECT count(*), coalesce(sum(rev), 0) FROM k").fetchone()
    check(f"pareto {args} customers", j["customers"], n)
    check(f"pareto {args} revenue", j["revenue_cents"], total)
    for pt in j["curve"]:
        top = db.execute(rev + f" SELECT coalesce(sum(rev), 0) FROM k WHERE rn <= (n * {pt['percent']} + 99) / 100").fetchone()[0]
        check(f"pareto {args} top {pt['percent']}%", pt["revenue_cents"], top)
        check(f"pareto {args} share {pt['percent']}%", pt["share"], round(top / total, 12) if total else 0.0)
    k80 = db.execute(rev + " SELECT min(rn) FROM k WHERE 5 * cum >= 4 * total").fetchone()[0] or 0
    check(f"pareto {args} customers_for_80_count", j["customers_for_80_count"], k80)
    check(f"pareto {args} customers_for_80", j["customers_for_80"], round(k80 / n, 12) if n else 0.0)
    check(f"pareto {args} share_top_20", j["share_top_20"], j["curve"][3]["share"])
    if per == "person" and n < 20:
        print(f"FAIL pareto {args}: only {n} customers, the check says little")
        fails += 1

# ---- rfm ---------------------------------------------------------------------------------
# The segment grid of docs/value.md, rows R = 1..5, columns FM = 1..5, written out again here.
GRID = [["Lost", "Lost", "At risk", "Cannot lose them", "Cannot lose them"],
        ["Hibernating", "Hibernating", "At risk", "At risk", "At risk"],
        ["Promising", "About to sleep", "Need attention", "Loyal", "Loyal"],
        ["Promising", "Potential loyalist", "Loyal", "Champions", "Champions"],
        ["New", "Potential loyalist", "Potential loyalist", "Champions", "Champions"]]
for as_of, per in [(last, "person"), (last - 45 * DAY, "person"), (last, "account")]:
    args = ["rfm", "--as-of", f"{as_of}", "--per", per]
    j = run(*args, "--list")
    rows = db.execute(f"""WITH u AS ({unit_sql(per)}),
      c AS (SELECT unit, ({as_of} - max(ts)) / {DAY} AS days, count(*) AS freq, sum(cents) AS mon
            FROM u WHERE event = 'purchase' AND ts <= {as_of} GROUP BY unit),
      s AS (SELECT *, count(*) OVER () AS n,
                   RANK() OVER (ORDER BY days DESC) AS rr, RANK() OVER (ORDER BY freq) AS fr,
                   RANK() OVER (ORDER BY mon) AS mr FROM c)
      SELECT days, freq, mon, 1 + 5 * (rr - 1) / n, 1 + 5 * (fr - 1) / n, 1 + 5 * (mr - 1) / n
      FROM s""").fetchall()
    want = sorted((d, f, m, r, fs, ms, GRID[r - 1][(fs + ms + 1) // 2 - 1])
                  for d, f, m, r, fs, ms in rows)
    got = sorted((c["recency_days"], c["frequency"], c["monetary_cents"], c["r"], c["f"], c["m"],
                  c["segment"]) for c in j["list"])
    check(f"rfm {args} customers", j["customers"], len(rows))
    check(f"rfm {args} per customer (days, F, M, scores, segment)", got, want)
    for seg in j["segments"]:
        check(f"rfm {args} {seg['segment']}", seg["customers"],
              sum(1 for w in want if w[6] == seg["segment"]))
    if per == "person" and len(rows) < 30:
        print(f"FAIL rfm {args}: only {len(rows)} customers, the check says little")
        fails += 1

# ---- pyramid -----------------------------------------------------------------------------
TIERS = ["top", "large", "medium", "small", "inactive", "prospect", "suspect", "none"]

def pyramid_sql(per, as_of, period, tiers):
    """{unit: tier} at as_of: ranks by RANK() over the period's revenue, limits ceil(n*c/100)."""
    lo = -2**62 if period == 0 else as_of - period
    units = "person" if per == "person" else "a.account_id"
    join = "" if per == "person" else "JOIN acct a USING (person)"
    c1, c2, c3 = tiers[0], tiers[0] + tiers[1], tiers[0] + tiers[1] + tiers[2]
    rows = db.execute(f"""WITH e AS (SELECT {units} AS unit, ts, event, type,
                                            coalesce(value_cents, 0) AS cents FROM ev {join}
                                     WHERE ts <= {as_of}),
      u AS (SELECT unit,
                   sum(event = 'purchase' AND ts > {lo}) AS pp,
                   sum(CASE WHEN event = 'purchase' AND ts > {lo} THEN cents ELSE 0 END) AS rev,
                   sum(event = 'purchase') AS p, sum(type IN (0, 2, 3)) AS engaged
            FROM e GROUP BY unit),
      a AS (SELECT unit, rev, RANK() OVER (ORDER BY rev DESC) AS rk, count(*) OVER () AS n
            FROM u WHERE pp > 0),
      l AS (SELECT DISTINCT n, (n * {c1} + 99) / 100 AS l1, (n * {c2} + 99) / 100 AS l2,
                   (n * {c3} + 99) / 100 AS l3 FROM a)
      SELECT u.unit, u.rev, CASE
               WHEN u.pp > 0 THEN CASE WHEN a.rk <= l.l1 THEN 'top' WHEN a.rk <= l.l2 THEN 'large'
                                       WHEN a.rk <= l.l3 THEN 'medium' ELSE 'small' END
               WHEN u.p > 0 THEN 'inactive' WHEN u.engaged > 0 THEN 'prospect' ELSE 'suspect' END
      FROM u LEFT JOIN a USING (unit) LEFT JOIN l ON 1""").fetchall()
    return {unit: (tier, rev) for unit, rev, tier in rows}

for as_of, period, per, tiers, cmp in [
        (last, 365 * DAY, "person", (1, 4, 15), None),
        (last, 60 * DAY, "person", (5, 10, 25), last - 60 * DAY),
        (last - 20 * DAY, 0, "person", (10, 20, 30), last - 100 * DAY),
        (last, 90 * DAY, "account", (20, 20, 20), last - 90 * DAY)]:
    args = ["pyramid", "--as-of", f"{as_of}", "--per", per, "--tiers", ",".join(map(str, tiers)),
            "--period", "all" if period == 0 else f"{period}ms"]
    if cmp is not None:
        args += ["--compare-to", f"{cmp}"]
    j = run(*args)
    now = pyramid_sql(per, as_of, period, tiers)
    total = sum(rev for tier, rev in now.values() if tier in TIERS[:4])
    for t in j["tiers"]:
        want = [rev for tier, rev in now.values() if tier == t["tier"]]
        check(f"pyramid {args} {t['tier']} customers", t["customers"], len(want))
        check(f"pyramid {args} {t['tier']} revenue", t["revenue_cents"], sum(want))
    check(f"pyramid {args} active", j["active"], sum(1 for tier, _ in now.values() if tier in TIERS[:4]))
    check(f"pyramid {args} revenue", j["revenue_cents"], total)
    if cmp is not None:
        then = pyramid_sql(per, cmp, period, tiers)
        moves = {}
        for unit, (tier, _) in now.items():
            key = (then.get(unit, ("none", 0))[0], tier)
            moves[key] = moves.get(key, 0) + 1
        got = {(m["from"], m["to"]): m["customers"] for m in j["compare"]["moves"]}
        check(f"pyramid {args} moves", got, moves)
        up = sum(v for (a, b), v in moves.items() if a != "none" and TIERS.index(b) < TIERS.index(a))
        down = sum(v for (a, b), v in moves.items() if a != "none" and TIERS.index(b) > TIERS.index(a))
        check(f"pyramid {args} up", j["compare"]["up"], up)
        check(f"pyramid {args} down", j["compare"]["down"], down)
        if per == "person" and up + down < 10:
            print(f"FAIL pyramid {args}: only {up + down} moves, the check says little")
            fails += 1

print(f"value vs SQLite: {cases - fails} passed, {fails} failed")
sys.exit(1 if fails else 0)
PY
