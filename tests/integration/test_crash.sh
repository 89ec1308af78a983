#!/usr/bin/env bash
# test_crash.sh - crash safety of the importer: `klantreis import --verbose` of a generated
# file (100,000 events without event ids, so keys are content hashes, identical rows
# included) is killed with SIGKILL after a random delay, 20 times, alternately into a fresh
# store and into the store of the previous run (a crash during a re-import). After each kill:
# PRAGMA integrity_check is ok, and the store holds exactly the events acknowledged before the
# kill (the last "N committed" line, written after each COMMIT returned) or that plus the one
# batch whose COMMIT was under way (durable in the WAL, not yet acknowledged: the kill hit the
# fsync or the automatic checkpoint inside COMMIT, or the moment before the line). Finally a full re-import gives
# exactly the file's events, each once (counts and sums per event name against the file).
# Then `forget` is killed the same way 6 times (see below). Bounded: delays below 0.9 s. The seed is printed; KR_CRASH_SEED repeats a run.
# Usage: test_crash.sh KLANTREIS DATA_DIR WORK_DIR
set -euo pipefail
kr=$1 work=$3
rm -rf "$work"; mkdir -p "$work"
python3 - "$kr" "$work" <<'PY'
import os, random, signal, sqlite3, subprocess, sys, time
kr, work = sys.argv[1], sys.argv[2]
seed = int(os.environ.get("KR_CRASH_SEED", time.time_ns() % 1000000))
print(f"seed {seed}")
rnd = random.Random(seed)
src = f"{work}/events.csv"
N = 100000
expected = {}
with open(src, "w") as f:
    f.write("timestamp,anonymous_id,user_id,event,channel,value\n")
    t = 1700000000000
    for i in range(N):
        t += rnd.choice([0, 0, 1, 1000, 5000])
        ev = rnd.choice(["view", "cart", "buy"])
        cents = rnd.randint(0, 10000) if ev == "buy" else None
        row = f"{t},a{rnd.randint(0, 5000)},{'u%d' % rnd.randint(0, 3000) if rnd.random() < 0.3 else ''},{ev},web,{'' if cents is None else '%d.%02d' % divmod(cents, 100)}\n"
        if i % 997 == 0:
            # an identical row right after: two events, not a duplicate
            f.write(row)
            n, s = expected.get(ev, (0, 0))
            expected[ev] = (n + 1, s + (cents or 0))
        f.write(row)
        n, s = expected.get(ev, (0, 0))
        expected[ev] = (n + 1, s + (cents or 0))
total = sum(n for n, _ in expected.values())

def count(db):
    c = sqlite3.connect(db)
    ok = c.execute("PRAGMA integrity_check").fetchone()[0]
    # killed before the schema's first migration committed: an empty store
    has = c.execute("SELECT count(*) FROM sqlite_master WHERE name = 'events'").fetchone()[0]
    n = c.execute("SELECT count(*) FROM events").fetchone()[0] if has else 0
    c.close()
    return ok, n

db = None
deadline = time.monotonic() + 50
runs = torn = killed = 0
for run in range(20):
    if time.monotonic() > deadline:
        break
    if run % 2 == 0 or db is None:
        db = f"{work}/store{run}.db"
    before = count(db)[1] if os.path.exists(db) else 0
    batch = rnd.choice([1000, 5000, 5000, 50000])
    with open(f"{work}/run{run}.err", "w") as err:
        p = subprocess.Popen([kr, "import", "-q", "-v", "--batch", str(batch), "--db", db, src],
                             stdout=subprocess.DEVNULL, stderr=err)
        time.sleep(rnd.uniform(0.02, 0.9))
        p.send_signal(signal.SIGKILL)
        p.wait()
    acked = 0
    for line in open(f"{work}/run{run}.err"):
        if line.endswith(" committed\n"):
            acked = int(line.split()[-2])
    ok, after = count(db)
    got = after - before
    if ok != "ok":
        sys.exit(f"FAIL run {run} (seed {seed}): integrity_check: {ok}")
    if not (acked <= got <= acked + batch):
        sys.exit(f"FAIL run {run} (seed {seed}): {acked} acknowledged, {got} in the store")
    torn += got != acked
    killed += p.returncode == -signal.SIGKILL
    runs += 1
    print(f"run {run:2d}: batch {batch:5d}, rc {p.returncode}, acknowledged {acked:6d}, stored {got:6d}")

# Recovery: a full import into the last store (and the first) gives exactly the file.
for db in {f"{work}/store0.db", db}:
    subprocess.run([kr, "import", "-q", "--db", db, src], check=True)
    c = sqlite3.connect(db)
    assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    got = {e: (n, s) for e, n, s in c.execute(
        "SELECT event, count(*), coalesce(sum(value_cents), 0) FROM events GROUP BY event")}
    if got != expected:
        sys.exit(f"FAIL (seed {seed}): after re-import {got}, file {expected}")
# Erasure under SIGKILL: a store of 24 persons with 1,500 events each; `forget` of one person
# is killed after a random delay (during the load, the delete, VACUUM or the checkpoint).
# After each kill the store is intact and the person has all or none of their events; running
# forget again then erases them or finishes the interrupted erasure, and no byte of their ids
# is left in the files.
fsrc, fdb = f"{work}/persons.csv", f"{work}/forget.db"
with open(fsrc, "w") as f:
    f.write("timestamp,anonymous_id,user_id,event,email\n")
    for p in range(24):
        for i in range(1500):
            user = f"zz-p{p:02d}-user" if i % 10 == 0 else ""
            f.write(f"{1700000000000 + i * 1000 + p},zz-p{p:02d}-anon,{user},view,"
                    f"{'zz-p%02d@example.org' % p if user else ''}\n")
subprocess.run([kr, "import", "-q", "--db", fdb, fsrc], check=True)
fkills = fmid = 0
for p in range(6):
    ids = [f"zz-p{p:02d}-anon", f"zz-p{p:02d}-user", f"zz-p{p:02d}@example.org"]
    proc = subprocess.Popen([kr, "forget", "-q", "--db", fdb, ids[0]],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(rnd.uniform(0.0, 0.4))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    fkills += proc.returncode == -signal.SIGKILL
    c = sqlite3.connect(fdb)
    ok = c.execute("PRAGMA integrity_check").fetchone()[0]
    left = c.execute("SELECT count(*) FROM events WHERE anonymous_id = ?", (ids[0],)).fetchone()[0]
    others = c.execute("SELECT count(*) FROM events WHERE anonymous_id NOT LIKE ?",
                       (f"zz-p{p:02d}-%",)).fetchone()[0]
    c.close()
    if ok != "ok" or left not in (0, 1500) or others != (23 - p) * 1500:
        sys.exit(f"FAIL forget {p} (seed {seed}): integrity {ok}, {left} of the person's events "
                 f"left, {others} of others")
    fmid += proc.returncode == -signal.SIGKILL and left == 0  # killed after the delete
    again = subprocess.run([kr, "forget", "-q", "--db", fdb, ids[1]], capture_output=True)
    if again.returncode != (0 if left else 3):
        sys.exit(f"FAIL forget {p} again: exit {again.returncode}: {again.stderr!r}")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(fdb + suffix):
            data = open(fdb + suffix, "rb").read()
            if any(i.encode() in data for i in ids):
                sys.exit(f"FAIL forget {p} (seed {seed}): an id left in forget.db{suffix}")
c = sqlite3.connect(fdb)
assert c.execute("SELECT count(*), sum(completed) FROM erasures").fetchone() == (6, 6)
c.close()

print(f"forget: 6 erasures, {fkills} killed ({fmid} after their delete); all-or-nothing, finished by the next run, no "
      f"byte of the ids left")
print(f"crash: {runs} runs, {killed} killed; every acknowledged event kept ({torn} killed after "
      f"a commit reached the WAL, before it returned); re-import gives exactly the file's "
      f"{total} events")
PY
