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
