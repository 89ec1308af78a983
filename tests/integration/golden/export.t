# klantreis export: the stitched events as canonical CSV. c1 and c2 are ann's cookies (linked by
# the rows that carry both); c9 never logs in, so its id goes in anonymous_id. Money is exact
# (12,50 Dutch -> 12.50; -0.5 -> -0.50); the account is the person's.

$ printf 'timestamp,anonymous_id,user_id,event,value,score,score_scale,account_id\n2024-05-01T10:00:00Z,c1,,view,,,,\n2024-05-01T10:05:00Z,c1,ann,login,,,,acme\n2024-05-01T10:06:00Z,c2,ann,buy,"12,50",,,\n2024-05-02T10:00:00Z,c9,,survey,,9,nps,\n2024-05-02T11:00:00Z,c9,,refund,-0.5,,,\n' > x.csv; klantreis export x.csv
timestamp,anonymous_id,user_id,account_id,event,channel,device,value,score,score_scale
2024-05-01T10:00:00Z,,ann,acme,view,,,,,
2024-05-01T10:05:00Z,,ann,acme,login,,,,,
2024-05-01T10:06:00Z,,ann,acme,buy,,,12.50,,
2024-05-02T10:00:00Z,c9,,,survey,,,,9,nps
2024-05-02T11:00:00Z,c9,,,refund,,,-0.50,,

$ klantreis export x.csv --time ms | cut -d, -f1-3 | head -2
timestamp,anonymous_id,user_id
1714557600000,,ann

# Re-importing the export gives the same persons (Segment messages with anonymous ids, user ids,
# an alias and a group): the overview's figures agree (the export has no message types).
$ klantreis export $DATA/segment_sample.jsonl > s.csv && for f in s.csv $DATA/segment_sample.jsonl; do klantreis stats $f --format json | head -13 | tail -12 | md5sum; done | uniq | wc -l
1

$ klantreis export x.csv --time unix 2>&1; echo "exit $?"
klantreis export: --time takes iso or ms
(see 'klantreis export --help')
exit 1
