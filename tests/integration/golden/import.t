# klantreis import: rejected rows with file, line, field and reason; the good rows kept;
# re-import adds nothing; identical rows stay two; --rejects and --max-errors; exit codes.
# The file a.csv (written by the first case) has, by physical line:
#   1 header   2 good   3 bad timestamp   4-5 a quoted newline and 5 fields instead of 4
#   6 good (Dutch money)   7 the same row again (a real second purchase)

$ printf 'timestamp,user_id,event,value\n2024-01-01T10:00:00Z,u1,view,\n2024-13-01T10:00:00Z,u1,view,\n"2024-01-02 10:00:00",u2,"multi\nline",12,50\n2024-01-03,u2,purchase,"12,50"\n2024-01-03,u2,purchase,"12,50"\n' > a.csv; klantreis import --db s.db a.csv 2>&1; echo "exit $?"
a.csv:3: timestamp: bad timestamp '2024-13-01T10:00:00Z'
a.csv:4: expected 4 fields, found 5
a.csv: 5 read, 3 imported, 0 duplicates, 2 rejected
exit 0

$ klantreis import --db s.db a.csv 2>/dev/null; echo "exit $?"
a.csv: 5 read, 0 imported, 3 duplicates, 2 rejected
exit 0

$ klantreis stats --db s.db --format csv | head -4
list,value,events
total,events,3
total,persons,2
total,accounts,0

$ klantreis import --db s2.db --rejects bad.csv a.csv 2>/dev/null >/dev/null; cat bad.csv
line,file,field,reason,raw
3,a.csv,timestamp,bad timestamp '2024-13-01T10:00:00Z',"2024-13-01T10:00:00Z,u1,view,"
4,a.csv,,"expected 4 fields, found 5","""2024-01-02 10:00:00"",u2,""multi
line"",12,50"

$ klantreis import --db s3.db --max-errors 1 a.csv 2>&1; echo "exit $?"
a.csv:3: timestamp: bad timestamp '2024-13-01T10:00:00Z'
a.csv:4: expected 4 fields, found 5
klantreis import: a.csv: stopped at line 4: more than 1 rejected records
a.csv: 3 read, 1 imported, 0 duplicates, 2 rejected
exit 2

$ printf 'timestamp,user_id,event\nnope,u1,view\n' > allbad.csv; klantreis import --db s4.db allbad.csv 2>&1; echo "exit $?"
allbad.csv:2: timestamp: bad timestamp 'nope'
klantreis import: allbad.csv: no good rows
allbad.csv: 1 read, 0 imported, 0 duplicates, 1 rejected
exit 2

$ klantreis import --db s5.db missing.csv 2>&1; echo "exit $?"
klantreis import: missing.csv: cannot open: No such file or directory
missing.csv: 0 read, 0 imported, 0 duplicates, 0 rejected
exit 2

$ printf 'timestamp,user_id,event\n2024-01-01,u1,view\n' > ok.csv; klantreis import --db s6.db ok.csv a.csv --quiet 2>/dev/null; echo "exit $?"; klantreis stats --db s6.db --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["events"], d["persons"])'
exit 0
4 2

$ klantreis import --db seg.db $DATA/segment_sample.jsonl --quiet; klantreis stats --db seg.db --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["events"] > 0, d["persons"] < d["events"])'
True True
