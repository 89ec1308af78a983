#!/usr/bin/env bash
# test_funnel_sqlite.sh - the ordered funnel against SQL run by SQLite, on random data sets:
# for every step k, the persons with a chain e1 <= e2 <= ... <= ek of the steps' events whose
# times lie within the window from e1 (self-joins), must equal klantreis's count per step.
# Usage: test_funnel_sqlite.sh KLANTREIS DATA_DIR WORK_DIR
set -euo pipefail
kr=$1 work=$3
rm -rf "$work"; mkdir -p "$work"
python3 - "$kr" "$work" <<'PY'
import csv, random, sqlite3, subprocess, sys
kr, work = sys.argv[1], sys.argv[2]
names = ["a", "b", "c", "d"]
cases = 0
for seed in range(40):
    rnd = random.Random(seed)
    rows = []
    for p in range(rnd.randint(5, 60)):
        t = 1_700_000_000_000
        for _ in range(rnd.randint(1, 12)):
            t += rnd.choice([0, 1000, 5000, 60000, 3600000])  # equal times happen
            rows.append((t, f"u{p}", rnd.choice(names)))
    rnd.shuffle(rows)  # input order must not matter
    path = f"{work}/f{seed}.csv"
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["timestamp", "user_id", "event"])
        w.writerows(rows)
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE e (ts INTEGER, u TEXT, name TEXT)")
    db.executemany("INSERT INTO e VALUES (?, ?, ?)", rows)
    for _ in range(5):
        steps = rnd.sample(names, rnd.randint(1, 3))
        window = rnd.choice([1000, 5000, 60000, 3600000, 86400000])
        expected = []
        for k in range(1, len(steps) + 1):
            joins = " ".join(
                f"JOIN e e{i} ON e{i}.u = e1.u AND e{i}.name = '{steps[i-1]}' "
                f"AND e{i}.ts >= e{i-1}.ts AND e{i}.ts <= e1.ts + {window}"
                for i in range(2, k + 1))
            sql = f"SELECT count(DISTINCT e1.u) FROM e e1 {joins} WHERE e1.name = '{steps[0]}'"
            expected.append(db.execute(sql).fetchone()[0])
        out = subprocess.run([kr, "funnel", path, "--steps", ",".join(steps), "--window",
                              f"{window}ms", "--format", "csv"], capture_output=True, text=True,
                             check=True).stdout.splitlines()[1:]
        got = [int(line.split(",")[1]) for line in out]
        if got != expected:
            print(f"FAIL seed {seed} steps {steps} window {window}: klantreis {got}, SQL {expected}")
            sys.exit(1)
        cases += 1
print(f"funnel vs SQLite: {cases} passed, 0 failed")
PY
