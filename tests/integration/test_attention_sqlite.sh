#!/usr/bin/env bash
# test_attention_sqlite.sh - klantreis attention on the demo data against SQL run by SQLite
# over the store. The company touches (email_click, service_contact) per customer, their last
# time and the sums per tier are computed in SQL; the tiers come from `klantreis value pyramid
# --list` (itself checked against SQL by test_value_sqlite.sh). Checked: touches and touched
# customers per tier, the ratios, and the full silent and busy lists (--top 0), per person and
# per account, at two as-of dates and two silent windows. Rules: docs/attention.md.
# Usage: test_attention_sqlite.sh KLANTREIS DATA_DIR WORK_DIR
set -euo pipefail
kr=$1 work=$3
rm -rf "$work"; mkdir -p "$work"
"$kr" demo --persons 800 --seed 5 --out "$work/demo" >/dev/null
python3 - "$kr" "$work/demo/klantreis.db" <<'PY'
import datetime, json, sqlite3, subprocess, sys
kr, db_path = sys.argv[1], sys.argv[2]
db = sqlite3.connect(db_path)
DAY = 86400000
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
SELECT e.ts, e.seq, p.person, e.event, e.account_id
FROM events e JOIN person p ON p.id = coalesce(e.user_id, e.anonymous_id, e.previous_id);
CREATE TEMP TABLE acct AS
SELECT person, account_id FROM (SELECT person, account_id,
  ROW_NUMBER() OVER (PARTITION BY person ORDER BY ts DESC, seq DESC) AS rn
  FROM ev WHERE account_id IS NOT NULL) WHERE rn = 1;
""")
component = dict(db.execute("SELECT id, person FROM person"))
fails = cases = 0

def check(what, got, want):
    global fails, cases
    cases += 1
    ok = abs(got - want) < 1e-9 if isinstance(want, float) else got == want
    if not ok:
        fails += 1
        print(f"FAIL {what}: klantreis {got}, SQL {want}")

def iso(t):
    return datetime.datetime.fromtimestamp(t / 1000, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

def ms(text):
    return int(datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000 + 0.5)

def kr_json(*args):
    return json.loads(subprocess.run([kr, *args, "--db", db_path, "--format", "json"],
                                     capture_output=True, text=True, check=True).stdout)

last = db.execute("SELECT max(ts) FROM events").fetchone()[0]
first = db.execute("SELECT min(ts) FROM events").fetchone()[0]
for per in ("person", "account"):
    unit_sql = "ev.person" if per == "person" else "acct.account_id"
    join = "" if per == "person" else "JOIN acct ON acct.person = ev.person"
    for as_of in (last, first + (last - first) * 2 // 3):
        frm = as_of - 365 * DAY
        pyr = kr_json("value", "pyramid", "--list", "--per", per, "--as-of", iso(as_of))
        name = (lambda c: component[c]) if per == "person" else (lambda c: c)
        tier = {name(c["customer"]): c["tier"] for c in pyr["list"]}
        rank = {name(c["customer"]): c["rank"] for c in pyr["list"]}
        share = {x["tier"]: x["revenue_share"] for x in pyr["tiers"]}
        rows = db.execute(f"""
            SELECT {unit_sql}, sum(ev.ts > :frm), max(ev.ts) FROM ev {join}
            WHERE ev.event IN ('email_click', 'service_contact') AND ev.ts <= :asof
            GROUP BY {unit_sql}""", {"asof": as_of, "frm": frm}).fetchall()
        touches = {u: n for u, n, _ in rows}
        lastt = {u: t for u, _, t in rows}
        total = sum(touches.get(u, 0) for u in tier)
        for silent_days in (90, 30):
            a = kr_json("attention", "--company-events", "email_click,service_contact", "--per",
                        per, "--as-of", iso(as_of), "--silent-days", str(silent_days), "--top",
                        "0")
            tag = f"{per} as-of {as_of} silent {silent_days}"
            check(f"{tag} touches", a["touches"], total)
            for x in a["tiers"]:
                us = [u for u in tier if tier[u] == x["tier"]]
                n = sum(touches.get(u, 0) for u in us)
                check(f"{tag} {x['tier']} touches", x["touches"], n)
                check(f"{tag} {x['tier']} touched", x["touched"],
                      sum(1 for u in us if touches.get(u, 0) > 0))
                if share[x["tier"]] > 0:
                    check(f"{tag} {x['tier']} ratio", x["ratio"],
                          (n / total if total else 0.0) / share[x["tier"]])
                else:
                    check(f"{tag} {x['tier']} ratio", x["ratio"], None)
            silent = {u for u in tier if tier[u] in ("top", "large") and
                      (u not in lastt or lastt[u] < as_of - silent_days * DAY)}
            got = {name(c["customer"]): c for c in a["silent"]}
            check(f"{tag} silent", sorted(got), sorted(silent))
            check(f"{tag} silent_total", a["silent_total"], len(silent))
            ranks = [c["rank"] for c in a["silent"]]
            check(f"{tag} silent by rank", ranks, sorted(ranks))
            for u, c in got.items():
                check(f"{tag} silent {u} last", None if c["last_touch"] is None else ms(c["last_touch"]),
                      lastt.get(u))
            busy = {u for u in tier if tier[u] == "small" and touches.get(u, 0) > 0}
            got = {name(c["customer"]): c for c in a["busy"]}
            check(f"{tag} busy", sorted(got), sorted(busy))
            for u, c in got.items():
                check(f"{tag} busy {u} touches", c["touches"], touches[u])
            order = [(-c["touches"], c["revenue_cents"]) for c in a["busy"]]
            check(f"{tag} busy order", order, sorted(order))
            if per == "person" and as_of == last:
                check(f"{tag} busy not empty", len(busy) > 0, True)
                check(f"{tag} silent not empty", len(silent) > 0, True)
print(f"attention vs SQLite: {cases - fails} passed, {fails} failed")
sys.exit(1 if fails else 0)
PY
