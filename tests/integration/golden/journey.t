# The journey model: init, check (errors with positions, lints, --data), phases, person.
# journey_small.csv/.yaml are the hand-worked data set of tests/unit/engine/test_phases.c.
# props.csv/.yaml (written by a case below) test property rules (url prefix, utm_source equals
# without an event name, plan one_of) and --by PROPERTY (the value on the person's first event),
# from a file and from a store. p1: page_view with url /nieuwsbrief/a is nb (listed before ad),
# signup with plan plus is paid; p2 (bing, plan pro) matches nothing; p3: utm_source google is
# ad. So A is reached by p1 and p3, B by p1; p3 drops at A after ad.

$ klantreis init && klantreis check
wrote journey.yaml: template five-phases (nl), 5 phases, 17 touchpoints, 3 personas
next: klantreis check journey.yaml --data EVENTS.csv; klantreis phases EVENTS.csv --model journey.yaml
journey.yaml: valid: 5 phases, 17 touchpoints, 3 personas

$ klantreis init 2>&1; echo "exit $?"
klantreis init: journey.yaml exists; --force overwrites it
exit 2

$ klantreis init --template b2b --lang en - | grep -c '^  - id:'
10

$ klantreis init --template nope 2>&1 | head -1
klantreis init: unknown template 'nope' (five-phases, touch-tell-sell-care, b2b)

$ for t in five-phases touch-tell-sell-care b2b; do klantreis check --template $t --lang en; done
template five-phases: valid: 5 phases, 17 touchpoints, 3 personas
template touch-tell-sell-care: valid: 4 phases, 17 touchpoints, 2 personas
template b2b: valid: 5 phases, 17 touchpoints, 5 personas

$ printf 'phases:\n  - id: a\n    touchpoint: []\n' > bad.yaml; klantreis check bad.yaml 2>&1; echo "exit $?"
klantreis check: bad.yaml:3:5: unknown key 'touchpoint' in a phase (expected id, name, description, goal, touchpoints, kpis, micro_conversions, expected_conversion, expected_emotion)
exit 3

$ klantreis phases $DATA/journey_small.csv --model bad.yaml 2>&1; echo "exit $?"
klantreis phases: bad.yaml:3:5: unknown key 'touchpoint' in a phase (expected id, name, description, goal, touchpoints, kpis, micro_conversions, expected_conversion, expected_emotion)
exit 3

$ klantreis check missing.yaml 2>&1; echo "exit $?"
klantreis check: missing.yaml: cannot open: No such file or directory
exit 2

$ printf 'phases:\n  - id: email\n    touchpoints:\n      - {id: mail, match: {event: email_open}}\n' > lint.yaml; klantreis check lint.yaml
lint.yaml: valid: 1 phases, 1 touchpoints, 0 personas
lint.yaml:2:5: warning: phase 'email' has one touchpoint and is named after a channel or an action: is a touchpoint used as a chapter? a phase is a stage the customer goes through, holding several touchpoints

$ klantreis check $DATA/journey_small.yaml --data $DATA/journey_small.csv | sed "s|$DATA/||"
journey_small.yaml: valid: 3 phases, 4 touchpoints, 2 personas
data: 13 events of 6 persons, 11 (84.6%) match a touchpoint
events that match no touchpoint, most frequent first:
           1  y2
           1  foo

$ klantreis check --template five-phases --data $DATA/rees46_head500.csv --map timestamp=event_time,event=event_type | grep -v '^warning: touchpoint'
template five-phases: valid: 5 phases, 17 touchpoints, 3 personas
data: 500 events of 198 persons, 500 (100.0%) match a touchpoint
warning: persona 'zakelijk' matches nobody
warning: persona 'mobiel' matches nobody

$ klantreis phases $DATA/journey_small.csv --model $DATA/journey_small.yaml --format csv --by persona
group,phase,name,reached,entered,dropped,conversion_prev,conversion_first,expected_conversion,to_next,median_to_next_s,p90_to_next_s,last_touchpoints,micro_conversions
(all),A,A,5,5,1,1.0000,1.0000,,4,10.000,100.000,a:1,
(all),B,B,4,3,2,0.8000,0.8000,0.5,2,0.000,20.000,a:2,b2:1
(all),C,C,2,2,2,0.5000,0.4000,,0,,,c:2,
mob,A,A,2,2,0,1.0000,1.0000,,2,0.000,10.000,,
mob,B,B,2,2,1,1.0000,1.0000,0.5,1,20.000,20.000,a:1,b2:0
mob,C,C,1,1,1,0.5000,0.5000,,0,,,c:1,
rest,A,A,3,3,1,1.0000,1.0000,,2,50.000,100.000,a:1,
rest,B,B,2,1,1,0.6667,0.6667,0.5,1,0.000,0.000,a:1,b2:1
rest,C,C,1,1,1,0.5000,0.3333,,0,,,c:1,

$ klantreis phases $DATA/journey_small.csv --model $DATA/journey_small.yaml --format table | sed "s|$DATA/||"
model: journey_small.yaml
events 13, matching a touchpoint 11
persons 6, in the journey 5, customers 2, repeat 1

  phase                    reached  of prev of first expected   dropped    to next        p90
1 A                              5   100.0%   100.0%        -         1        10s     1m 40s
2 B                              4    80.0%    80.0%    50.0%         2         0s        20s
3 C                              2    50.0%    40.0%        -         2          -          -

drop-off: last touchpoint of those whose furthest phase it is
  A (1): a 1
  B (2): a 2
  C (2): c 2

micro-conversions (persons)
  B: b2 1

$ klantreis phases $DATA/rees46_head500.csv --map timestamp=event_time,event=event_type --template five-phases --lang en --format csv | cut -d, -f1-9
group,phase,name,reached,entered,dropped,conversion_prev,conversion_first,expected_conversion
(all),bewustwording,Awareness,198,0,0,1.0000,1.0000,
(all),overweging,Consideration,198,198,193,1.0000,1.0000,0.5
(all),aankoop,Purchase,5,5,5,0.0253,0.0253,0.3
(all),service,Service,0,0,0,0.0000,0.0000,0.6
(all),loyaliteit,Loyalty,0,0,0,,0.0000,0.3

$ klantreis phases $DATA/taobao_3users.csv --map event=behavior_type --template five-phases --format json | python3 -c "import json,sys; d=json.load(sys.stdin)['groups'][0]; print(d['persons'], d['converted'], [p['reached'] for p in d['phases']])"
3 1 [3, 3, 2, 0, 0]

$ klantreis phases --by property: $DATA/journey_small.csv 2>&1 | head -1; echo "exit ${PIPESTATUS[0]}"
klantreis phases: --by takes persona, channel, device or a property name
exit 1
$ printf 'timestamp,user_id,event,utm_source,url,plan\n2025-01-01T00:00:00Z,p1,page_view,google,/nieuwsbrief/a,\n2025-01-01T00:00:10Z,p1,signup,,,plus\n2025-01-01T00:00:00Z,p2,page_view,bing,/home,\n2025-01-01T00:00:20Z,p2,signup,,,pro\n2025-01-01T00:00:00Z,p3,page_view,google,/home,\n' > props.csv; printf 'phases:\n  - id: A\n    touchpoints:\n      - {id: nb, match: {event: page_view, properties: [{key: url, prefix: /nieuwsbrief}]}}\n      - {id: ad, match: {properties: [{key: utm_source, equals: google}]}}\n  - id: B\n    touchpoints:\n      - {id: paid, match: {event: signup, properties: [{key: plan, one_of: [basis, plus]}]}}\n' > props.yaml; klantreis check props.yaml --data props.csv
props.yaml: valid: 2 phases, 3 touchpoints, 0 personas
data: 5 events of 3 persons, 3 (60.0%) match a touchpoint
events that match no touchpoint, most frequent first:
           1  page_view
           1  signup

$ klantreis phases props.csv --model props.yaml --format csv --by utm_source
group,phase,name,reached,entered,dropped,conversion_prev,conversion_first,expected_conversion,to_next,median_to_next_s,p90_to_next_s,last_touchpoints,micro_conversions
(all),A,A,2,2,1,1.0000,1.0000,,1,10.000,10.000,ad:1,
(all),B,B,1,1,1,0.5000,0.5000,,0,,,paid:1,
google,A,A,2,2,1,1.0000,1.0000,,1,10.000,10.000,ad:1,
google,B,B,1,1,1,0.5000,0.5000,,0,,,paid:1,
bing,A,A,0,0,0,,,,0,,,,
bing,B,B,0,0,0,,,,0,,,,

$ klantreis person p1 props.csv --model props.yaml --format csv
timestamp,type,event,channel,device,value,score,score_scale,phase,touchpoint
2025-01-01T00:00:00Z,track,page_view,,,,,,A,nb
2025-01-01T00:00:10Z,track,signup,,,,,,B,paid

$ klantreis import props.csv --db s.db >/dev/null && klantreis phases --db s.db --model props.yaml --format json --by property:utm_source | python3 -c "import json,sys; d=json.load(sys.stdin); print(d['by'], d['property'], [(g['key'] or '(all)', [p['reached'] for p in g['phases']]) for g in d['groups']])"
property utm_source [('(all)', [2, 1]), ('google', [2, 1]), ('bing', [0, 0])]

$ klantreis person p3 $DATA/journey_small.csv --model $DATA/journey_small.yaml --format csv
timestamp,type,event,channel,device,value,score,score_scale,phase,touchpoint
2025-01-01T00:00:00Z,track,x,,desktop,,,,A,a
2025-01-01T00:00:50Z,track,y2,email,desktop,,,,B,b2
2025-01-01T00:01:00Z,track,x,,desktop,,,,A,a
