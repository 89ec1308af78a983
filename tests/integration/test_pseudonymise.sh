#!/usr/bin/env bash
# test_pseudonymise.sh - `import --pseudonymise`: a demo data set imported raw and with a
# secret gives the same stats and phases (stitching works on pseudonyms); no raw id is in the
# pseudonymised store (SQL and a search of the raw file); every id is "p:" + 22 base64url
# characters and equals an independent computation with Python's hashlib.blake2b; the same
# secret gives the same store, another secret other pseudonyms; re-import adds nothing;
# `person` and `forget` work by pseudonym; short and unreadable secrets fail with exit 2.
# Usage: test_pseudonymise.sh KLANTREIS DATA_DIR WORK_DIR
set -euo pipefail
kr=$1 data=$2 work=$3
rm -rf "$work"; mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
"$kr" demo --persons 120 --seed 11 --out "$work/demo" >/dev/null
csv=$work/demo/events.csv
printf 'correct horse battery staple\n' > "$work/secret"
printf 'another secret, 16+ bytes' > "$work/other"
printf '0123456789abcde' > "$work/short"   # 15 bytes

"$kr" import -q --db "$work/raw.db" "$csv"
"$kr" import -q --db "$work/p1.db" --pseudonymise "$work/secret" "$csv"
"$kr" import -q --db "$work/p2.db" --pseudonymise "$work/secret" "$csv"
"$kr" import -q --db "$work/o.db" --pseudonymise "$work/other" "$csv"
"$kr" import -q --db "$work/p1.db" --pseudonymise "$work/secret" "$data/segment_sample.jsonl"
"$kr" import -q --db "$work/raw.db" "$data/segment_sample.jsonl"

# Same analyses.
for cmd in "stats" "phases --template five-phases"; do
    # shellcheck disable=SC2086
    a=$("$kr" $cmd --db "$work/raw.db" --format json)
    # shellcheck disable=SC2086
    b=$("$kr" $cmd --db "$work/p1.db" --format json)
    [ "$a" = "$b" ] || fail "$cmd differs between the raw and the pseudonymised store"
done

# No raw id: every id column is a pseudonym, and no raw id is in the file's bytes.
sq() { sqlite3 "$1" "$2"; }
[ "$(sq "$work/p1.db" "SELECT count(*) FROM events WHERE
      (anonymous_id IS NOT NULL AND anonymous_id NOT GLOB 'p:[A-Za-z0-9_-]*') OR
      (user_id IS NOT NULL AND user_id NOT GLOB 'p:[A-Za-z0-9_-]*') OR
      (previous_id IS NOT NULL AND previous_id NOT GLOB 'p:[A-Za-z0-9_-]*') OR
      (account_id IS NOT NULL AND account_id NOT GLOB 'p:[A-Za-z0-9_-]*')")" = 0 ] ||
    fail "a raw id in the pseudonymised store"
[ "$(sq "$work/p1.db" "SELECT count(*) FROM events WHERE length(anonymous_id) != 24
      OR length(user_id) != 24 OR length(account_id) != 24")" = 0 ] || fail "pseudonym length"
sq "$work/p1.db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
sq "$work/raw.db" "SELECT anonymous_id FROM events WHERE anonymous_id IS NOT NULL UNION
                   SELECT user_id FROM events WHERE user_id IS NOT NULL UNION
                   SELECT previous_id FROM events WHERE previous_id IS NOT NULL UNION
                   SELECT account_id FROM events WHERE account_id IS NOT NULL" > "$work/ids"
[ "$(wc -l < "$work/ids")" -gt 100 ] || fail "too few raw ids to search for"
if grep -a -F -f "$work/ids" "$work/p1.db" >/dev/null; then fail "a raw id in the file's bytes"; fi

# Independent computation of the pseudonyms (BLAKE2b, as documented in docs/privacy.md).
python3 - "$work" <<'PY'
import base64, hashlib, sqlite3, sys
work = sys.argv[1]
secret = open(f"{work}/secret", "rb").read()
key = hashlib.blake2b(secret, digest_size=32, key=b"klantreis pseudonym key v1").digest()
def pseudo(i):
    h = hashlib.blake2b(i.encode(), digest_size=16, key=key).digest()
    return "p:" + base64.urlsafe_b64encode(h).decode().rstrip("=")
raw = sqlite3.connect(f"{work}/raw.db")
p1 = sqlite3.connect(f"{work}/p1.db")
q = "SELECT event_key, anonymous_id, user_id, previous_id, account_id FROM events WHERE event_key NOT LIKE 'h:%' ORDER BY event_key"
a, b = raw.execute(q).fetchall(), p1.execute(q).fetchall()
assert len(a) == len(b) and len(a) > 0, (len(a), len(b))
for x, y in zip(a, b):
    assert x[0] == y[0], "messageId keys must stay"
    for r, p in zip(x[1:], y[1:]):
        assert (r is None and p is None) or pseudo(r) == p, (r, p)
print(f"pseudonyms match hashlib.blake2b for {len(a)} events")
PY

# Same secret, same store; another secret, other pseudonyms.
q='SELECT group_concat(coalesce(anonymous_id,"") || coalesce(user_id,""), ",") FROM (SELECT * FROM events ORDER BY seq)'
[ "$(sq "$work/p2.db" "$q")" = "$(sq "$work/p1.db" "SELECT group_concat(coalesce(anonymous_id,'') || coalesce(user_id,''), ',') FROM (SELECT * FROM events WHERE seq <= (SELECT count(*) FROM events) - 30 ORDER BY seq)")" ] ||
    fail "the same secret gave other pseudonyms"
[ "$(sq "$work/o.db" "ATTACH '$work/p2.db' AS p; SELECT count(*) FROM events WHERE user_id IN (SELECT user_id FROM p.events)")" = 0 ] ||
    fail "another secret gave the same pseudonyms"

# Re-import with the same secret adds nothing (keys stay stable).
out=$("$kr" import --db "$work/p2.db" --pseudonymise "$work/secret" "$csv")
printf '%s\n' "$out" | grep -q ' 0 imported, ' || fail "re-import: $out"

# person and forget by pseudonym.
uid=$(sq "$work/p2.db" "SELECT user_id FROM events WHERE user_id IS NOT NULL ORDER BY seq LIMIT 1")
"$kr" person --db "$work/p2.db" "$uid" --format json >/dev/null || fail "person by pseudonym"
"$kr" forget -q --db "$work/p2.db" "$uid" || fail "forget by pseudonym"
[ "$(grep -a -c -F -- "$uid" "$work/p2.db" || true)" = 0 ] || fail "pseudonym left after forget"

# person and forget by the raw id with --pseudonymise: the same person as in the raw store.
raw_uid=$(sq "$work/raw.db" "SELECT user_id FROM events WHERE user_id IS NOT NULL ORDER BY seq DESC LIMIT 1")
n_raw=$("$kr" person --db "$work/raw.db" "$raw_uid" --export json | python3 -c 'import json,sys; print(json.load(sys.stdin)["event_count"])')
n_p=$("$kr" person --db "$work/p1.db" --pseudonymise "$work/secret" "$raw_uid" --export json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert all(i.startswith("p:") for i in d["ids"]); print(d["event_count"])')
[ "$n_raw" = "$n_p" ] && [ "$n_raw" -gt 0 ] || fail "person --pseudonymise: $n_raw raw events, $n_p pseudonymised"
"$kr" forget -q --db "$work/p1.db" --pseudonymise "$work/secret" "$raw_uid" || fail "forget --pseudonymise"
set +e
"$kr" person --db "$work/p1.db" --pseudonymise "$work/secret" "$raw_uid" >/dev/null 2>&1; rc=$?
set -e
[ "$rc" = 3 ] || fail "person after forget --pseudonymise exited $rc"

# Bad secrets.
set +e
err=$("$kr" import --db "$work/x.db" --pseudonymise "$work/short" "$csv" 2>&1); rc=$?
[ "$rc" = 2 ] && printf '%s\n' "$err" | grep -q "16 to 4096 bytes (this one: 15)" || fail "short secret: $rc $err"
err=$("$kr" import --db "$work/x.db" --pseudonymise "$work/missing" "$csv" 2>&1); rc=$?
[ "$rc" = 2 ] && printf '%s\n' "$err" | grep -q "missing: cannot read the secret" || fail "missing secret: $rc $err"
set -e
[ ! -e "$work/x.db" ] || fail "a failed --pseudonymise created a store"
echo "pseudonymise: ok"
