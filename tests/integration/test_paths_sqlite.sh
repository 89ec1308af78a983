#!/usr/bin/env bash
# test_paths_sqlite.sh - paths and sessions against SQL run by SQLite (window functions LAG,
# ROW_NUMBER, SUM and group_concat), on random data sets: sessions (a new one where the gap to
# the previous event is > the gap), their durations, event counts and devices, and every path
# of persons and sessions (repeats collapsed, --from, --to, --depth) with its count and the
# Sankey links must equal klantreis's JSON; also --steps/--after-drop-off (the greedy ordered
# funnel as a chain of MIN(ts) over the collapsed steps).
# Usage: test_paths_sqlite.sh KLANTREIS DATA_DIR WORK_DIR
set -euo pipefail
kr=$1 work=$3
rm -rf "$work"; mkdir -p "$work"
python3 - "$kr" "$work" <<'PY'
import csv, json, random, sqlite3, subprocess, sys
kr, work = sys.argv[1], sys.argv[2]
GAP = 1800000
names = ["a", "b", "c", "d"]
devices = ["mobile", "desktop", ""]

def klantreis(*args):
    out = subprocess.run([kr, *args, "--format", "json"], capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out)

# Events with a session number: new = 1 where LAG(ts) is NULL or the gap is > GAP.
SESSIONS = """
WITH s AS (
  SELECT u, ts, name, device,
         CASE WHEN LAG(ts) OVER w IS NULL OR ts - LAG(ts) OVER w > :gap THEN 1 ELSE 0 END AS new
  FROM e WINDOW w AS (PARTITION BY u ORDER BY ts))
SELECT u, ts, name, device, SUM(new) OVER (PARTITION BY u ORDER BY ts ROWS UNBOUNDED PRECEDING)
       AS sid FROM s"""

def path_sql(per, frm, to, depth, drop=None):
    unit = "u" if per == "person" else "u || '#' || sid"
    start = "MIN(ts) FILTER (WHERE name = :frm)" if frm else "MIN(ts)"
    b_sql = drop_sql(drop) if drop else \
        f"CREATE TEMP TABLE b AS SELECT unit, {start} AS start FROM c GROUP BY unit;"
    sql = f"""
CREATE TEMP TABLE su AS {SESSIONS};
CREATE TEMP TABLE c AS
  SELECT unit, ts, name FROM (
    SELECT {unit} AS unit, ts, name, LAG(name) OVER (PARTITION BY {unit} ORDER BY ts) AS prev
    FROM su)
  WHERE prev IS NULL OR prev <> name;
{b_sql}
CREATE TEMP TABLE k AS
  SELECT c.unit, c.ts, c.name FROM c JOIN b ON b.unit = c.unit WHERE c.ts >= b.start;
"""
    if to:
        cond = "ts > b.start" if frm else "ts >= b.start"
        sql += f"""
CREATE TEMP TABLE y AS
  SELECT k.unit, MIN(k.ts) FILTER (WHERE k.name = :to AND k.{cond}) AS fin
  FROM k JOIN b ON b.unit = k.unit GROUP BY k.unit;
CREATE TEMP TABLE k2 AS
  SELECT k.unit, k.ts, k.name FROM k JOIN y ON y.unit = k.unit WHERE k.ts <= y.fin;
"""
    else:
        sql += "CREATE TEMP TABLE k2 AS SELECT * FROM k;\n"
    # without --from, --to keeps the last depth steps; otherwise the first depth
    desc = "DESC" if to and not frm else ""
    sql += f"""
CREATE TEMP TABLE st AS
  SELECT unit, ts, name, ROW_NUMBER() OVER (PARTITION BY unit ORDER BY ts {desc}) - 1 AS r
  FROM k2;
CREATE TEMP TABLE steps AS
  SELECT unit, name, ROW_NUMBER() OVER (PARTITION BY unit ORDER BY ts) - 1 AS step
  FROM st WHERE r < :depth;
"""
    return sql

# After drop-off at step n of steps: step k is reached at the first collapsed step with its
# value after the one that reached k - 1 (f1, f2, ...); the units that reached n and not n + 1
# start at f<n>.
def drop_sql(drop):
    steps, n = drop
    sql = f"CREATE TEMP TABLE f1 AS SELECT unit, MIN(ts) FILTER (WHERE name = '{steps[0]}') AS t " \
          "FROM c GROUP BY unit;\n"
    for k in range(2, n + 2):
        sql += (f"CREATE TEMP TABLE f{k} AS SELECT c.unit, MIN(c.ts) FILTER (WHERE c.name = "
                f"'{steps[k-1]}' AND c.ts > f{k-1}.t) AS t FROM c JOIN f{k-1} ON "
                f"f{k-1}.unit = c.unit GROUP BY c.unit;\n")
    sql += (f"CREATE TEMP TABLE b AS SELECT f{n}.unit, f{n}.t AS start FROM f{n} JOIN f{n+1} ON "
            f"f{n+1}.unit = f{n}.unit WHERE f{n}.t IS NOT NULL AND f{n+1}.t IS NULL;")
    return sql

cases = 0
for seed in range(30):
    rnd = random.Random(seed)
    rows = []
    for p in range(rnd.randint(5, 50)):
        t = 1_700_000_000_000 + rnd.randint(0, 10**7)
        for _ in range(rnd.randint(1, 14)):
            t += rnd.choice([1000, 60000, GAP, GAP + 1, 3600000])  # the exact gap happens
            rows.append((t, f"u{p}", rnd.choice(names), rnd.choice(devices)))
    rnd.shuffle(rows)  # input order must not matter
    path = f"{work}/p{seed}.csv"
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["timestamp", "user_id", "event", "device"])
        w.writerows(rows)
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE e (ts INTEGER, u TEXT, name TEXT, device TEXT)")
    db.executemany("INSERT INTO e VALUES (?, ?, ?, ?)", rows)

    # sessions
    db.executescript("DROP TABLE IF EXISTS temp.su; DROP TABLE IF EXISTS temp.d;")
    db.execute(f"CREATE TEMP TABLE su AS {SESSIONS}", {"gap": GAP})
    db.execute("""CREATE TEMP TABLE d AS
        SELECT u, sid, MAX(ts) - MIN(ts) AS dur, COUNT(*) AS n,
               (SELECT device FROM su x WHERE x.u = su.u AND x.sid = su.sid ORDER BY ts LIMIT 1)
               AS dev FROM su GROUP BY u, sid""")
    n, persons, mean, evmean = db.execute(
        "SELECT COUNT(*), COUNT(DISTINCT u), AVG(dur), AVG(n) FROM d").fetchone()
    rank = lambda num, den: db.execute(
        f"SELECT dur FROM d ORDER BY dur LIMIT 1 OFFSET ({num} * COUNT(*) + {den} - 1) / {den} - 1"
        .replace("COUNT(*)", str(n))).fetchone()[0]
    med, p90 = rank(1, 2), rank(9, 10)
    ev_med = db.execute(f"SELECT n FROM d ORDER BY n LIMIT 1 OFFSET ({n} + 1) / 2 - 1").fetchone()[0]
    per_med = db.execute(f"""SELECT c FROM (SELECT COUNT(*) AS c FROM d GROUP BY u) ORDER BY c
                             LIMIT 1 OFFSET ({persons} + 1) / 2 - 1""").fetchone()[0]
    bydev = dict(db.execute("SELECT dev, COUNT(*) FROM d GROUP BY dev").fetchall())
    got = klantreis("sessions", path)
    want = {"sessions": n, "persons": persons, "median": med, "p90": p90, "mean": mean,
            "events_mean": evmean, "by_device": bydev, "events_median": ev_med,
            "per_person_median": per_med}
    have = {"sessions": got["sessions"], "persons": got["persons"],
            "median": got["duration_ms"]["median"], "p90": got["duration_ms"]["p90"],
            "mean": got["duration_ms"]["mean"],
            "events_mean": got["events_per_session"]["mean"],
            "by_device": {d["device"]: d["sessions"] for d in got["by_device"]},
            "events_median": got["events_per_session"]["median"],
            "per_person_median": got["sessions_per_person"]["median"]}
    for key in ("mean", "events_mean"):
        if abs(want[key] - have[key]) < 1e-6 * max(1.0, abs(want[key])):
            have[key] = want[key]
    if have != want:
        print(f"FAIL seed {seed} sessions: klantreis {have}, SQL {want}")
        sys.exit(1)
    cases += 1

    # paths
    for _ in range(6):
        per = rnd.choice(["person", "session"])
        frm = rnd.choice([None, None] + names)
        to = rnd.choice([None, None] + names)
        # depths 20 and 32 do not fit a path into one 64-bit key: the unpacked path set
        depth = rnd.choice([1, 2, 3, 4, 5, 6, 20, 32])
        drop = None
        if rnd.random() < 0.4:  # after drop-off: steps may repeat a value
            steps = [rnd.choice(names) for _ in range(rnd.randint(2, 4))]
            drop, frm, to = (steps, rnd.randint(1, len(steps) - 1)), None, None
        db.executescript("".join(f"DROP TABLE IF EXISTS temp.{x};"
                                 for x in ("su", "c", "b", "k", "y", "k2", "st", "steps",
                                           "f1", "f2", "f3", "f4")))
        params = {"gap": GAP, "frm": frm, "to": to, "depth": depth}
        for stmt in path_sql(per, frm, to, depth, drop).split(";"):
            if stmt.strip():
                db.execute(stmt, {k: v for k, v in params.items() if ":" + k in stmt})
        want_paths = dict(db.execute("""
            SELECT path, COUNT(*) FROM (
              SELECT step, group_concat(name, '>') OVER (PARTITION BY unit ORDER BY step
                     ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS path
              FROM steps) WHERE step = 0 GROUP BY path""").fetchall())
        want_links = {f"{s}:{a}>{s + 1}:{b}": v for s, a, b, v in db.execute("""
            SELECT x.step, x.name, y.name, COUNT(*) FROM steps x JOIN steps y
            ON y.unit = x.unit AND y.step = x.step + 1 GROUP BY 1, 2, 3""")}
        args = ["paths", path, "--per", per, "--depth", str(depth), "--top", "1000"]
        if frm:
            args += ["--from", frm]
        if to:
            args += ["--to", to]
        if drop:
            args += ["--steps", ",".join(drop[0]), "--after-drop-off", str(drop[1])]
        got = klantreis(*args)
        unit = "persons" if per == "person" else "sessions"
        have_paths = {">".join(p["path"]): p[unit] for p in got["paths"]}
        have_links = {f"{l['source']}>{l['target']}": l["value"] for l in got["sankey"]["links"]}
        counts = [p[unit] for p in got["paths"]]
        if (have_paths != want_paths or have_links != want_links or
                got[unit] != sum(want_paths.values()) or counts != sorted(counts, reverse=True)):
            print(f"FAIL seed {seed} {' '.join(args)}:\n  klantreis {have_paths} {have_links}\n"
                  f"  SQL       {want_paths} {want_links}")
            sys.exit(1)
        cases += 1
print(f"paths and sessions vs SQLite: {cases} passed, 0 failed")
PY
