#!/usr/bin/env bash
# test_forget.sh - erasure: import persons (one linked over a phone, a laptop, a login and an
# alias from an old user id), `klantreis forget` one of them by any of their ids, then search
# the raw database files (db, -wal, -shm) for every id of that person and for a property
# value only they had: nothing may remain. Other persons keep every event; the erasure log
# holds counts only; forgetting again or an unknown id exits 3 and changes nothing.
# Usage: test_forget.sh KLANTREIS DATA_DIR WORK_DIR
set -euo pipefail
kr=$1 work=$3
rm -rf "$work"; mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
db=$work/store.db
csv=$work/events.csv

python3 - "$csv" <<'PY'
import csv, sys
rows = []
t = 1700000000000
def add(anon, user, event, typ="track", prev="", email=""):
    global t
    t += 60000
    rows.append([f"{t}", typ, anon, user, prev, event, "web", email])
# the person to forget: a phone, a laptop, a login that links them, an alias from an old id
add("zz-target-phone-7f3a", "", "page_view")
add("zz-target-phone-7f3a", "", "product_view")
add("zz-target-laptop-91c2", "", "page_view")
add("zz-target-phone-7f3a", "zz-target-user-4411", "login", "identify", email="target@example.org")
add("zz-target-laptop-91c2", "zz-target-user-4411", "login", "identify")
add("", "zz-target-user-4411", "", "alias", prev="zz-target-old-5500")
add("", "zz-target-old-5500", "purchase")
# 30 other persons, two of them aliased too
for p in range(30):
    add(f"other-anon-{p}", "", "page_view")
    add(f"other-anon-{p}", f"other-user-{p}", "login", "identify", email=f"o{p}@example.org")
    add("", f"other-user-{p}", "purchase")
    if p < 2:
        add("", f"other-user-{p}", "", "alias", prev=f"other-old-{p}")
with open(sys.argv[1], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["timestamp", "type", "anonymous_id", "user_id", "previous_id", "event", "channel", "email"])
    w.writerows(rows)
PY
total=$(($(wc -l < "$csv") - 1))
"$kr" import -q --db "$db" "$csv"
sql() { sqlite3 "$db" "$1"; }
[ "$(sql 'SELECT count(*) FROM events')" = "$total" ] || fail "import count"
secrets=(zz-target-phone-7f3a zz-target-laptop-91c2 zz-target-user-4411 zz-target-old-5500
         target@example.org)
# The test can see them before the erasure (the checkpoint moves everything into the db file).
sql 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
for s in "${secrets[@]}"; do
    [ "$(grep -a -c -- "$s" "$db")" -gt 0 ] || fail "$s not found before forget: the test is blind"
done
others_before=$(sql "SELECT count(*) FROM events WHERE coalesce(anonymous_id,'') NOT LIKE 'zz-%'
                     AND coalesce(user_id,'') NOT LIKE 'zz-%'")
persons_before=$("$kr" stats --db "$db" --format json |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["persons"])')

# Access request first: everything stored about the person, by any of their ids.
"$kr" person --db "$db" zz-target-old-5500 --export json > "$work/export.json"
python3 - "$work/export.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["person"] == "zz-target-user-4411", d["person"]
assert sorted(d["ids"]) == sorted(["zz-target-phone-7f3a", "zz-target-laptop-91c2",
                                   "zz-target-user-4411", "zz-target-old-5500"]), d["ids"]
assert d["event_count"] == len(d["events"]) == 7, d["event_count"]
assert [e["timestamp"] for e in d["events"]] == sorted(e["timestamp"] for e in d["events"])
emails = [e["properties"].get("email") for e in d["events"] if e["properties"]]
assert emails == ["target@example.org"], emails
alias = [e for e in d["events"] if e["type"] == "alias"]
assert len(alias) == 1 and alias[0]["previous_id"] == "zz-target-old-5500", alias
for e in d["events"]:
    assert set(e) >= {"anonymous_id", "user_id", "previous_id", "account_id", "event",
                      "channel", "device", "value_cents", "score", "event_key", "properties"}
PY
set +e
"$kr" person --db "$db" zz-target-old-5500 --export csv >/dev/null 2>&1; rc=$?
set -e
[ "$rc" = 1 ] || fail "--export csv exited $rc"

# Forget by the laptop id: the whole stitched person goes.
out=$("$kr" forget --db "$db" zz-target-laptop-91c2)
[ "$out" = "forgot 1 person: 4 ids, 7 events" ] || fail "forget said: $out"
for f in "$db" "$db-wal" "$db-shm"; do
    [ -e "$f" ] || continue
    for s in "${secrets[@]}" zz-target; do
        n=$(grep -a -c -- "$s" "$f" || true)
        [ "$n" = 0 ] || fail "$s still in $(basename "$f") ($n lines)"
    done
done
[ "$(sql 'SELECT count(*) FROM events')" = "$((total - 7))" ] || fail "count after forget"
[ "$(sql "SELECT count(*) FROM events WHERE coalesce(anonymous_id,'') NOT LIKE 'zz-%'
          AND coalesce(user_id,'') NOT LIKE 'zz-%'")" = "$others_before" ] || fail "others lost events"
persons_after=$("$kr" stats --db "$db" --format json |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["persons"])')
[ "$persons_after" = "$((persons_before - 1))" ] || fail "persons $persons_before -> $persons_after"
[ "$(sql 'SELECT ids || "," || events || "," || completed FROM erasures')" = "4,7,1" ] ||
    fail "erasure log"
[ "$(sql "SELECT count(*) FROM pragma_table_info('erasures')")" = 5 ] || fail "erasure log columns"

# An erasure interrupted after its delete commit (simulated by marking it not complete):
# forget of the gone person finishes it (VACUUM, checkpoint) and still exits 3.
sql "UPDATE erasures SET completed = 0"
set +e
out=$("$kr" forget --db "$db" zz-target-phone-7f3a 2>/dev/null); rc=$?
set -e
[ "$rc" = 3 ] && [ "$out" = "finished an interrupted erasure (VACUUM and WAL checkpoint)" ] ||
    fail "finishing an interrupted erasure: $rc $out"
[ "$(sql 'SELECT completed FROM erasures')" = 1 ] || fail "interrupted erasure not marked"
[ "$(sql 'PRAGMA integrity_check')" = ok ] || fail "integrity after forget"
[ "$("$kr" person --db "$db" other-old-1 --format json |
     python3 -c 'import json,sys; print(len(json.load(sys.stdin)["events"]))')" = 4 ] ||
    fail "an aliased other person lost events"

# Again, by another of the ids: exits 3, says so, changes nothing.
set +e
err=$("$kr" forget --db "$db" zz-target-user-4411 2>&1 >/dev/null); rc=$?
set -e
[ "$rc" = 3 ] || fail "forgetting again exited $rc"
printf '%s\n' "$err" | grep -q "no person with id 'zz-target-user-4411'" || fail "message: $err"
set +e
err=$("$kr" forget --db "$db" nobody-at-all 2>&1); rc=$?
set -e
[ "$rc" = 3 ] || fail "unknown id exited $rc"
printf '%s\n' "$err" | grep -q "no person with id 'nobody-at-all'.*nothing erased" || fail "message: $err"
[ "$(sql 'SELECT count(*) FROM events')" = "$((total - 7))" ] || fail "count after no-op forgets"
[ "$(sql 'SELECT count(*) FROM erasures')" = 1 ] || fail "a no-op forget was logged"
set +e
"$kr" forget --db "$db" >/dev/null 2>&1; rc=$?
set -e
[ "$rc" = 1 ] || fail "forget without an id exited $rc"
set +e
err=$("$kr" forget --db "$work/none.db" x 2>&1); rc=$?
set -e
[ "$rc" = 2 ] && [ ! -e "$work/none.db" ] || fail "forget on a missing store: $rc $err"
set +e
"$kr" person --db "$db" zz-target-phone-7f3a --export json >/dev/null 2>&1; rc=$?
set -e
[ "$rc" = 3 ] || fail "export of a forgotten person exited $rc"

# Importing the same file again brings the person back (documented): forgetting is not a
# block list. Forget once more by the old id, and all is gone again.
"$kr" import -q --db "$db" "$csv"
"$kr" forget -q --db "$db" zz-target-old-5500
for s in "${secrets[@]}"; do
    [ "$(grep -a -c -- "$s" "$db" || true)" = 0 ] || fail "$s back after the second forget"
done
[ "$(sql 'SELECT count(*) FROM events')" = "$((total - 7))" ] || fail "count after second forget"
echo "forget: ok"
