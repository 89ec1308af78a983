#!/usr/bin/env bash
# test_map_render.sh - the journey-map poster (docs/map.md): for each template in both
# languages, without and with data (the demo data set), the SVG is valid XML that holds every
# phase name and every touchpoint name as text (cairo draws glyphs as paths; the poster carries
# a transparent text layer), and with data the figures per phase; PDF and PNG smoke tests
# (file magic, A3 landscape size: 1191 x 842 pt, 2482 x 1755 px at 150 dpi).
# Usage: test_map_render.sh KLANTREIS DATA_DIR WORK_DIR
set -euo pipefail
kr=$1 work=$3
rm -rf "$work"; mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$kr" demo --persons 300 --seed 3 --out "$work/demo" >/dev/null
events=$work/demo/events.csv
[ -s "$events" ] || fail "demo wrote no events.csv"

# check_svg FILE MMD [figures]: MMD is the Mermaid diagram of the same model and language, the
# source of the expected phase (section) and touchpoint (task) names.
check_svg() {
    python3 - "$@" <<'PY'
import re, sys, xml.etree.ElementTree as ET
svg, mmd = sys.argv[1], sys.argv[2]
figures = len(sys.argv) > 3
root = ET.parse(svg).getroot()          # raises on invalid XML
ns = "{http://www.w3.org/2000/svg}"
assert root.tag == ns + "svg", root.tag
assert root.get("width") == "1191pt" and root.get("height") == "842pt", (root.get("width"), root.get("height"))
lines = [t.text or "" for t in root.iter(ns + "text")]
text = "\n".join(lines)
# Names may wrap over lines: compare without whitespace.
flat = re.sub(r"\s+", "", text)
sections = tasks = 0
for l in open(mmd, encoding="utf-8"):
    m = re.match(r"    section (.*)$", l.rstrip("\n"))
    if m:
        sections += 1
        assert re.sub(r"\s+", "", m.group(1)) in flat, "phase %r not in %s" % (m.group(1), svg)
    m = re.match(r"        (.*?): \d: ", l)
    if m:
        tasks += 1
        assert re.sub(r"\s+", "", m.group(1)) in flat, "touchpoint %r not in %s" % (m.group(1), svg)
assert sections >= 4 and tasks >= 10, (sections, tasks)
if figures:
    assert re.search(r"\d+ (personen|persons)", text), "no persons per phase"
    assert re.search(r"\d+[.,]\d%", text), "no conversion percentage"
    assert re.search(r"(Afgehaakt|Dropped off)", text), "no drop-off lane"
PY
}

for t in five-phases touch-tell-sell-care b2b; do
    for l in nl en; do
        "$kr" map --template "$t" --lang "$l" --out "$work/$t.$l.mmd"
        "$kr" map --template "$t" --lang "$l" --out "$work/$t.$l.svg" 2>/dev/null
        check_svg "$work/$t.$l.svg" "$work/$t.$l.mmd" || fail "$t.$l.svg"
        "$kr" map --template "$t" --lang "$l" "$events" --out "$work/$t.$l.data.svg" 2>/dev/null
        check_svg "$work/$t.$l.data.svg" "$work/$t.$l.mmd" figures || fail "$t.$l.data.svg"
    done
done

"$kr" map --template five-phases "$events" --out "$work/map.pdf" 2>/dev/null
[ "$(head -c 5 "$work/map.pdf")" = "%PDF-" ] || fail "map.pdf is not a PDF"
grep -aq "MediaBox \[ *0 0 1191 842 *\]" "$work/map.pdf" || fail "map.pdf is not A3 landscape"

"$kr" map --template b2b --lang en --out "$work/map.png" 2>/dev/null
python3 - "$work/map.png" <<'PY' || fail "map.png"
import struct, sys
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "no PNG signature"
w, h = struct.unpack(">II", data[16:24])
assert (w, h) == (2482, 1755), (w, h)
PY

# An unwritable output is an I/O error.
set +e
"$kr" map --template b2b --out "$work/no/such/dir/map.pdf" 2>/dev/null; rc=$?
set -e
[ "$rc" -eq 2 ] || fail "unwritable --out gave exit $rc, expected 2"
echo "map render: ok"
