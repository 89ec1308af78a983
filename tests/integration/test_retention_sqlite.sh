#!/usr/bin/env bash
# test_retention_sqlite.sh - retention against SQL run by SQLite over the store: random data
# sets are imported with `klantreis import`; the cohort table (first start event per person,
# its UTC day / Monday week / month by strftime, persons with a return event strictly after
# it k periods later), the repeat-purchase rate and the median gap between consecutive
# purchases (LAG window) are computed in SQL and compared with `klantreis retention --format
# json` on the store and on the CSV file. Then `klantreis devices` against SQL: device sets
# (group_concat of distinct devices by name), paths (devices by their first time), conversion,
# single-device persons and the mobile-then-desktop case.
# Usage: test_retention_sqlite.sh KLANTREIS DATA_DIR WORK_DIR
set -euo pipefail
kr=$1 work=$3
rm -rf "$work"; mkdir -p "$work"
python3 - "$kr" "$work" <<'PY'
import csv, datetime, json, random, sqlite3, subprocess, sys
kr, work = sys.argv[1], sys.argv[2]
names = ["signup", "visit", "purchase", "other"]
devices = ["mobile", "desktop", "tablet", ""]
T0 = int(datetime.datetime(2023, 11, 20, tzinfo=datetime.timezone.utc).timestamp() * 1000)
DAY = 86400000

def iso(ms):
    d = datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"

# SQL for the period of a time column x (UTC ms): a label (its first day) and an integer index.
def label(period, x):
    a = f"{x} / 1000, 'unixepoch'"
    return {"day": f"date({a})", "week": f"date({a}, 'weekday 0', '-6 days')",
            "month": f"strftime('%Y-%m-01', {a})"}[period]

def index(period, x):
    a = f"{x} / 1000, 'unixepoch'"
    return {"day": f"CAST(julianday(date({a})) AS INTEGER)",
            "week": f"CAST(julianday(date({a}, 'weekday 0', '-6 days')) AS INTEGER) / 7",
            "month": f"(CAST(strftime('%Y', {a}) AS INTEGER) * 12 + CAST(strftime('%m', {a}) AS INTEGER))"}[period]

def sql_expected(db, period, n, start, ret, purchase, lo, hi):
    ev = f"SELECT user_id u, ts, event FROM events WHERE ts >= {lo} AND ts < {hi}"
    cohorts = db.execute(f"""
        WITH ev AS ({ev}), first AS (SELECT u, min(ts) s FROM ev WHERE event = ? GROUP BY u)
        SELECT {label(period, 's')} c, count(*) FROM first GROUP BY c ORDER BY c""",
        (start,)).fetchall()
    rows = db.execute(f"""
        WITH ev AS ({ev}), first AS (SELECT u, min(ts) s FROM ev WHERE event = ? GROUP BY u),
        r AS (SELECT DISTINCT f.u, {label(period, 'f.s')} c,
                     {index(period, 'e.ts')} - {index(period, 'f.s')} k
              FROM first f JOIN ev e ON e.u = f.u AND e.event = ? AND e.ts > f.s)
        SELECT c, k, count(*) FROM r WHERE k <= ? GROUP BY c, k""", (start, ret, n)).fetchall()
    returned = {c: [0] * (n + 1) for c, _ in cohorts}
    for c, k, cnt in rows:
        returned[c][k] = cnt
    buyers = db.execute(f"""WITH ev AS ({ev}) SELECT count(*), coalesce(sum(n >= 2), 0) FROM
        (SELECT u, count(*) n FROM ev WHERE event = ? GROUP BY u)""", (purchase,)).fetchone()
    median = db.execute(f"""
        WITH ev AS ({ev}),
        g AS (SELECT ts - lag(ts) OVER (PARTITION BY u ORDER BY ts) gap FROM ev WHERE event = ?),
        o AS (SELECT gap FROM g WHERE gap IS NOT NULL ORDER BY gap)
        SELECT avg(gap) / 86400000.0 FROM (SELECT gap FROM o
            LIMIT 2 - (SELECT count(*) FROM o) % 2 OFFSET ((SELECT count(*) FROM o) - 1) / 2)""",
        (purchase,)).fetchone()[0]
    return ([{"start": c, "size": s, "returned": returned[c]} for c, s in cohorts],
            buyers[0], buyers[1], median)

cases = 0
for seed in range(12):
    rnd = random.Random(seed)
    rows = []
    for p in range(rnd.randint(5, 80)):
        t = T0 + rnd.randint(0, 120) * DAY + rnd.randint(0, DAY - 1)
        for _ in range(rnd.randint(1, 15)):
            t += rnd.choice([0, 1, 60000, 3600000, DAY // 3, DAY, 3 * DAY, 9 * DAY, 33 * DAY])
            rows.append([iso(t), f"u{p}", rnd.choice(names), rnd.choice(devices)])
    rnd.shuffle(rows)  # input order must not matter
    path = f"{work}/f{seed}.csv"
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["event_id", "timestamp", "user_id", "event", "device"])
        w.writerows([[i] + r for i, r in enumerate(rows)])
    store = f"{work}/s{seed}.db"
    subprocess.run([kr, "import", "--db", store, path], check=True, capture_output=True)
    db = sqlite3.connect(store)
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] == len(rows)
    for _ in range(6):
        period = rnd.choice(["day", "week", "month"])
        n = rnd.randint(0, 10)
        start, ret = rnd.choice([("signup", "visit"), ("signup", "purchase"),
                                 ("purchase", "purchase"), ("visit", "visit")])
        purchase = rnd.choice(["purchase", "visit"])
        args = ["--start", start, "--return", ret, "--period", period, "--periods", str(n),
                "--purchase", purchase, "--format", "json"]
        lo, hi = -2**62, 2**62
        if rnd.random() < 0.4:
            lo = T0 + rnd.randint(0, 60) * DAY
            args += ["--from", iso(lo)]
        if rnd.random() < 0.4:
            hi = T0 + rnd.randint(60, 200) * DAY
            args += ["--to", iso(hi)]
        cohorts, buyers, repeat, median = sql_expected(db, period, n, start, ret, purchase, lo, hi)
        for source in (["--db", store], [path]):
            got = json.loads(subprocess.run([kr, "retention", *source, *args], check=True,
                                            capture_output=True, text=True).stdout)
            mine = [{"start": c["start"], "size": c["size"], "returned": c["returned"]}
                    for c in got["cohorts"]]
            ok = (mine == cohorts and got["purchasers"] == buyers and
                  got["repeat_purchasers"] == repeat and
                  ((median is None and got["median_days_between_purchases"] is None) or
                   (median is not None and got["median_days_between_purchases"] is not None and
                    abs(median - got["median_days_between_purchases"]) < 1e-9)))
            for c in got["cohorts"]:
                ok = ok and all(abs(r - x / c["size"]) < 1e-12 for r, x in zip(c["rate"], c["returned"]))
            if not ok:
                print(f"FAIL seed {seed} {' '.join(source + args)}")
                print(f"  klantreis: {mine} buyers {got['purchasers']} repeat "
                      f"{got['repeat_purchasers']} median {got['median_days_between_purchases']}")
                print(f"  SQL:       {cohorts} buyers {buyers} repeat {repeat} median {median}")
                sys.exit(1)
            cases += 1
print(f"retention vs SQLite: {cases} passed, 0 failed")

# Devices: times strictly increase per person, so that the order of first appearance is
# unambiguous.
dcases = 0
for seed in range(12):
    rnd = random.Random(1000 + seed)
    rows = []
    for p in range(rnd.randint(5, 120)):
        t = T0 + rnd.randint(0, 1000) * 1000
        favourite = rnd.choice(devices)
        for _ in range(rnd.randint(1, 8)):
            t += rnd.randint(1, 3 * DAY)
            dev = favourite if rnd.random() < 0.7 else rnd.choice(devices)
            rows.append([iso(t), f"u{p}", rnd.choice(["view", "view", "purchase", "signup"]), dev])
    rnd.shuffle(rows)
    path = f"{work}/d{seed}.csv"
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["event_id", "timestamp", "user_id", "event", "device"])
        w.writerows([[i] + r for i, r in enumerate(rows)])
    store = f"{work}/d{seed}.db"
    subprocess.run([kr, "import", "--db", store, path], check=True, capture_output=True)
    db = sqlite3.connect(store)
    conversion = rnd.choice(["purchase", "signup"])
    base = """WITH ev AS (SELECT user_id u, ts, event, coalesce(device, '') device FROM events),
        persons AS (SELECT DISTINCT u FROM ev),
        conv AS (SELECT u, max(event = :c) converted FROM ev GROUP BY u),
        firsts AS (SELECT u, device, min(ts) f FROM ev WHERE device <> '' GROUP BY u, device),
        sets AS (SELECT u, group_concat(device, '+') label, count(*) n
                 FROM (SELECT * FROM firsts ORDER BY u, device) GROUP BY u),
        paths AS (SELECT u, group_concat(device, ' → ') label
                  FROM (SELECT * FROM firsts ORDER BY u, f) GROUP BY u),
        firstdev AS (SELECT u, device FROM firsts x WHERE f = (SELECT min(f) FROM firsts y
                     WHERE y.u = x.u)),
        convdev AS (SELECT u, device FROM ev x WHERE event = :c AND ts = (SELECT min(ts) FROM ev y
                    WHERE y.u = x.u AND y.event = :c)) """
    q = lambda sql: db.execute(base + sql, {"c": conversion}).fetchall()
    combos = {l: (n, c) for l, n, c in q("""SELECT label, count(*), sum(converted) FROM sets
        JOIN conv USING (u) GROUP BY label""")}
    paths = {(l + " only" if n == 1 else l): (cnt, c) for l, n, cnt, c in q("""
        SELECT paths.label, sets.n, count(*), sum(converted) FROM paths JOIN sets USING (u)
        JOIN conv USING (u) GROUP BY paths.label""")}
    none = q("""SELECT count(*), coalesce(sum(converted), 0) FROM conv
        WHERE u NOT IN (SELECT u FROM sets)""")[0]
    single = q("""SELECT count(*), coalesce(sum(converted), 0) FROM sets JOIN conv USING (u)
        WHERE n = 1""")[0]
    cross = q("""SELECT count(*), coalesce(sum(cd.device = 'desktop'), 0) FROM firstdev fd
        LEFT JOIN convdev cd USING (u) WHERE fd.device = 'mobile'
        AND u IN (SELECT u FROM firsts WHERE device = 'desktop')""")[0]
    for source in (["--db", store], [path]):
        got = json.loads(subprocess.run([kr, "devices", *source, "--conversion", conversion,
                                         "--format", "json"], check=True, capture_output=True,
                                        text=True).stdout)
        mine_c = {g["devices"]: (g["persons"], g["converted"]) for g in got["combinations"]}
        mine_p = {g["path"]: (g["persons"], g["converted"]) for g in got["paths"]}
        sd, cd = got["single_device"], got["cross_device"]
        lift = None
        if single[0] and single[1] and cross[0]:
            lift = (cross[1] / cross[0]) / (single[1] / single[0]) - 1
        ok = (mine_c == combos and mine_p == paths and
              (got["persons_without_device"], got["converted_without_device"]) == tuple(none) and
              (sd["persons"], sd["converted"]) == tuple(single) and
              (cd["persons"], cd["converted"]) == tuple(cross) and
              ((lift is None and got["lift"] is None) or
               (lift is not None and got["lift"] is not None and abs(lift - got["lift"]) < 1e-9)))
        if not ok:
            print(f"FAIL devices seed {seed} {source} --conversion {conversion}")
            print(f"  klantreis: {mine_c} {mine_p} none {got['persons_without_device']} "
                  f"single {sd} cross {cd} lift {got['lift']}")
            print(f"  SQL:       {combos} {paths} none {none} single {single} cross {cross} "
                  f"lift {lift}")
            sys.exit(1)
        dcases += 1
print(f"devices vs SQLite: {dcases} passed, 0 failed")
PY
