# klantreis funnel on a small file worked out by hand (window 1h):
#   ann:  view 10:00, cart 10:20, buy 10:50           -> level 3 (view->cart 20m, cart->buy 30m)
#   bob:  view 10:00, cart 11:30                      -> level 1 (cart outside the window)
#   cees: view 09:00, other 09:10, cart 09:40         -> level 2 (view->cart 40m; strict: level 1,
#                                                        'other' stops it)
#   dirk: cart 08:00                                  -> level 0

$ printf 'timestamp,user_id,event\n2024-05-01T10:00:00Z,ann,view\n2024-05-01T10:20:00Z,ann,cart\n2024-05-01T10:50:00Z,ann,buy\n2024-05-01T10:00:00Z,bob,view\n2024-05-01T11:30:00Z,bob,cart\n2024-05-01T09:00:00Z,cees,view\n2024-05-01T09:10:00Z,cees,other\n2024-05-01T09:40:00Z,cees,cart\n2024-05-01T08:00:00Z,dirk,cart\n' > f.csv; klantreis funnel f.csv --steps view,cart,buy --window 1h --format csv
step,persons,conversion_from_previous,conversion_from_first,dropped,median_ms_from_previous,mean_ms_from_previous,p90_ms_from_previous
view,3,1.000000,1.000000,1,0,0.0,0
cart,2,0.666667,0.666667,1,1200000,1800000.0,2400000
buy,1,0.500000,0.333333,1,1800000,1800000.0,1800000

$ klantreis funnel f.csv --steps view,cart,buy --window 1h --order strict --format csv | cut -d, -f1,2
step,persons
view,3
cart,1
buy,1

$ klantreis funnel f.csv --steps view,cart --window 1h --people-at 1 --dropped
person,level
bob,1

$ klantreis funnel f.csv --steps view,cart,buy --window 1h --format table
step                            persons   of prev  of first    dropped    median       p90
view                                  3    100.0%    100.0%          1         -         -
cart                                  2     66.7%     66.7%          1     20.0m     40.0m
buy                                   1     50.0%     33.3%          1     30.0m     30.0m

$ klantreis funnel f.csv --steps view,colour=red 2>&1; echo "exit $?"
klantreis funnel: step 'colour=red': unknown key 'colour' (event, channel, device, type)
exit 3

$ klantreis funnel f.csv 2>&1 | head -1
klantreis funnel: name the steps with --steps A,B,C

# With a journey model, steps may be phases or touchpoints (journey_small: the hand-worked set
# of test_phases.c). Phases A,B,C: p1 x,y,Z Event -> 3; p3 x then y2 by email (b2, phase B)
# -> 2; p2, p4 (y before x), p6 (y2 by web matches nothing) -> 1; p5 -> 0. Touchpoints a,b,c:
# only p1 has b after a.
$ klantreis funnel $DATA/journey_small.csv --model $DATA/journey_small.yaml --steps A,B,C --format csv | cut -d, -f1,2,5
step,persons,dropped
A,5,3
B,2,1
C,1,1

$ klantreis funnel $DATA/journey_small.csv --model $DATA/journey_small.yaml --steps a,b,c --format csv | cut -d, -f1,2
step,persons
a,5
b,1
c,1

$ klantreis funnel $DATA/journey_small.csv --model $DATA/journey_small.yaml --steps 'A,phase=B&device=desktop,event=z_event' --format csv | cut -d, -f1,2
step,persons
A,5
phase=B&device=desktop,1
event=z_event,0

# Personas: mob (first device mobile) holds p1, p4 (and p5, not in the funnel); rest p2, p3, p6.
$ klantreis funnel $DATA/journey_small.csv --model $DATA/journey_small.yaml --steps A,B,C --by persona --format csv | cut -d, -f1-3
persona,step,persons
rest,A,3
rest,B,1
rest,C,0
mob,A,2
mob,B,1
mob,C,1

# step:2 attribution: the device of the step-2 event; (none) for who did not reach step 2.
$ klantreis funnel $DATA/journey_small.csv --model $DATA/journey_small.yaml --steps A,B --by device --by-attribution step:2 --format csv | cut -d, -f1-3
device,step,persons
,A,3
,B,0
desktop,A,1
desktop,B,1
mobile,A,1
mobile,B,1

$ klantreis funnel $DATA/journey_small.csv --model $DATA/journey_small.yaml --steps A,phase=Q 2>&1; echo "exit $?"
klantreis funnel: step 'phase=Q': the model has no phase 'Q'
exit 3

# --by a free property (a CSV column that is not a known field): the value on the first view.
$ printf 'timestamp,user_id,event,utm_source\n2024-05-01T10:00:00Z,ann,view,google\n2024-05-01T10:05:00Z,ann,view,bing\n2024-05-01T10:20:00Z,ann,cart,\n2024-05-01T10:00:00Z,bob,view,bing\n2024-05-01T10:00:00Z,cees,view,\n2024-05-01T10:10:00Z,cees,cart,mail\n' > u.csv; klantreis funnel u.csv --steps view,cart --by utm_source --format csv | cut -d, -f1-3
utm_source,step,persons
,view,1
,cart,1
bing,view,1
bing,cart,0
google,view,1
google,cart,1

$ klantreis import u.csv --db u.db >/dev/null 2>&1; klantreis funnel --db u.db --steps view,cart --by property:utm_source --format json | grep -E '"(by|property|value)"'
    "by": "property",
    "property": "utm_source",
        "value": "",
        "value": "bing",
        "value": "google",

$ klantreis funnel u.csv --steps view,cart --by-attribution step:x 2>&1; echo "exit $?"
klantreis funnel: --by-attribution takes first, last or step:N
(see 'klantreis funnel --help')
exit 1
