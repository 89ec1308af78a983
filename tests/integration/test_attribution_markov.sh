#!/usr/bin/env bash
# test_attribution_markov.sh - the data-driven (Markov) model against an independent exact
# implementation of ChannelAttribution's definition (order 1; start, conversion and null
# states; a path's transitions weighted by its total_conversions + total_null; removing a
# channel sends whoever reaches it to null; credit = conversions x removal effect / sum of
# removal effects), solved here in Python with exact fractions. The paths are ChannelAttribution's
# PathData: the 300-path excerpt in tests/data, and the whole set when the shared data folder
# has it. Each aggregated path becomes persons: total_conversions persons who make the path and
# buy, total_null persons who make the path only.
# Usage: test_attribution_markov.sh KLANTREIS DATA_DIR WORK_DIR
set -euo pipefail
kr=$1 data=$2 work=$3
rm -rf "$work"; mkdir -p "$work"
full=${KR_PATHDATA:-/work/shared/data/channelattribution_pathdata/PathData.csv}
sets=("$data/channelattribution_head300.csv")
[ -r "$full" ] && sets+=("$full")
python3 - "$kr" "$work" "${sets[@]}" <<'PY'
import csv, io, subprocess, sys
from fractions import Fraction
kr, work, sets = sys.argv[1], sys.argv[2], sys.argv[3:]

def solve(a, b):
    n = len(b)
    for k in range(n):
        piv = next(i for i in range(k, n) if a[i][k] != 0)
        a[k], a[piv], b[k], b[piv] = a[piv], a[k], b[piv], b[k]
        for i in range(k + 1, n):
            f = a[i][k] / a[k][k]
            if f:
                for j in range(k, n):
                    a[i][j] -= f * a[k][j]
                b[i] -= f * b[k]
    x = [Fraction(0)] * n
    for k in reversed(range(n)):
        x[k] = (b[k] - sum(a[k][j] * x[j] for j in range(k + 1, n))) / a[k][k]
    return x

def markov(paths):  # paths: (list of channels, conversions, nulls)
    chans = sorted({c for p, _, _ in paths for c in p})
    ix = {c: i for i, c in enumerate(chans)}
    n = len(chans)
    start = [0] * n
    tr = [[0] * (n + 2) for _ in range(n)]
    for p, conv, null in paths:
        w = conv + null
        if not p or not w:
            continue
        start[ix[p[0]]] += w
        for a, b in zip(p, p[1:]):
            tr[ix[a]][ix[b]] += w
        tr[ix[p[-1]]][n] += conv
        tr[ix[p[-1]]][n + 1] += null
    def pconv(removed):
        a = [[Fraction(int(i == j)) for j in range(n)] for i in range(n)]
        b = [Fraction(0)] * n
        for i in range(n):
            s = sum(tr[i])
            if i == removed or not s:
                continue
            for j in range(n):
                a[i][j] -= Fraction(tr[i][j], s)
            b[i] = Fraction(tr[i][n], s)
        x = solve(a, b)
        return sum(Fraction(start[j], sum(start)) * x[j] for j in range(n))
    p = pconv(None)
    re = {c: 1 - pconv(ix[c]) / p for c in chans}
    return p, re

cases = 0
for k, path in enumerate(sets):
    paths = []
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            chans = [c.strip() for c in r["path"].split(">")]
            paths.append((chans, int(r["total_conversions"]), int(r["total_null"])))
    events = f"{work}/events{k}.csv"
    with open(events, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["timestamp", "user_id", "event", "channel"])
        person = 0
        for chans, conv, null in paths:
            for i in range(conv + null):
                person += 1
                for s, c in enumerate(chans):
                    w.writerow([f"2024-01-01T{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}Z", f"p{person}", "visit", c])
                if i < conv:
                    s = len(chans)
                    w.writerow([f"2024-01-01T{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}Z", f"p{person}", "buy", ""])
    total = sum(conv for _, conv, _ in paths)
    p, re = markov(paths)
    out = subprocess.run([kr, "attribution", events, "--conversion", "buy", "--method", "markov",
                          "--lookback", "1d", "--format", "csv"], capture_output=True, text=True,
                         check=True).stdout
    got = {r["channel"]: r for r in csv.DictReader(io.StringIO(out))}
    s = sum(re.values())
    for c, e in re.items():
        want = float(total * e / s)
        g = float(got[c]["markov_conversions"])
        ge = float(got[c]["removal_effect"])
        if abs(g - want) > 1e-6 * max(1, total) or abs(ge - float(e)) > 1e-6:
            print(f"FAIL {path}: {c}: klantreis {g} (removal {ge}), reference {want} (removal {float(e)})")
            sys.exit(1)
        cases += 1
    print(f"{path}: {len(paths)} paths, {total} conversions, P(conversion) {float(p):.6f}")
print(f"markov vs exact reference: {cases} channels passed, 0 failed")
PY
