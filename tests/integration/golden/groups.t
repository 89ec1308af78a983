# --per account and --by persona for analyses without a breakdown of their own (attribution,
# emotion). b2b.csv: ann (account acme) clicks an ad; her colleague bob buys for 1.00 an hour
# later and answers an NPS survey; cees (no account) buys without any touch.

$ printf 'timestamp,user_id,account_id,event,channel,value,score,score_scale\n2024-05-01T10:00:00Z,ann,acme,ad_click,ad,,,\n2024-05-01T11:00:00Z,bob,acme,purchase,,100,,\n2024-05-02T11:00:00Z,bob,,survey,,,9,nps\n2024-05-01T09:00:00Z,cees,,purchase,,50,,\n' > b2b.csv; klantreis attribution b2b.csv --conversion purchase --method last_touch --format csv
channel,touches,removal_effect,last_touch_conversions,last_touch_revenue
ad,0,0.000000,0.000000,0.00
(no touch),0,,2.000000,150.00

# Per account, ann's ad click and bob's purchase belong to one customer: the ad gets the sale.
$ klantreis attribution b2b.csv --conversion purchase --method last_touch --per account --format csv
channel,touches,removal_effect,last_touch_conversions,last_touch_revenue
ad,1,1.000000,1.000000,100.00
(no touch),0,,1.000000,50.00

$ klantreis attribution b2b.csv --conversion purchase --per team 2>&1; echo "exit $?"
klantreis attribution: --per takes person or account
(see 'klantreis attribution --help')
exit 1

# --by persona (journey_small.yaml: mob = first device mobile: p1, p4, p5; rest: p2, p3, p6):
# one result per persona, in file order; CSV gets a first column and one header. Conversion y:
# p1 and p4 (mob) did it, with no channel before it; nobody in rest did.
$ klantreis attribution $DATA/journey_small.csv --model $DATA/journey_small.yaml --conversion y --method first_touch --by persona --format csv 2>/dev/null
persona,channel,touches,removal_effect,first_touch_conversions,first_touch_revenue
mob,(no touch),0,,2.000000,0.00
rest,email,0,0.000000,0.000000,0.00
rest,web,0,0.000000,0.000000,0.00

$ klantreis emotion $DATA/journey_small.csv --model $DATA/journey_small.yaml --by persona --format json 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["by"], [(g["key"], g["persons"]) for g in d["groups"]])'
persona [('mob', 3), ('rest', 3)]

$ klantreis emotion $DATA/journey_small.csv --model $DATA/journey_small.yaml --by persona --format table 2>/dev/null | grep '^=='
== persona: mob (3 persons)
== persona: rest (3 persons)

# value --by persona: mob (first device mobile) has p1 (purchase 100.00) and p3 (50.00); rest
# has p2 (300.00). Per persona: the top 1 customer of mob brings 2/3; 80% needs both.
$ printf 'timestamp,user_id,event,device,value\n2024-05-01T10:00:00Z,p1,purchase,mobile,100\n2024-05-01T10:00:00Z,p2,purchase,desktop,300\n2024-05-01T10:00:00Z,p3,purchase,mobile,50\n' > v.csv; klantreis value pareto v.csv --model $DATA/journey_small.yaml --by persona --period all --format csv
persona,key,value
mob,customers,2
mob,revenue_cents,15000
mob,share_top_1,0.666667
mob,share_top_5,0.666667
mob,share_top_10,0.666667
mob,share_top_20,0.666667
mob,share_top_50,0.666667
mob,customers_for_80,1.000000
mob,customers_for_80_count,2
rest,customers,1
rest,revenue_cents,30000
rest,share_top_1,1.000000
rest,share_top_5,1.000000
rest,share_top_10,1.000000
rest,share_top_20,1.000000
rest,share_top_50,1.000000
rest,customers_for_80,1.000000
rest,customers_for_80_count,1

# emotion --as-of: bob's survey (2024-05-02) is after 2024-05-01 (a plain date: the whole day).
$ klantreis emotion b2b.csv --format csv | tail -1 | cut -d, -f1-5
all,(all),,1,1

$ klantreis emotion b2b.csv --as-of 2024-05-01 --format csv 2>/dev/null | tail -1 | cut -d, -f1-5
all,(all),,0,0

$ klantreis emotion b2b.csv --as-of 2024-05-02 --format csv 2>/dev/null | tail -1 | cut -d, -f1-5
all,(all),,1,1

# lists --format table: the CSV's columns aligned (quoted fields unquoted), no trailing blanks.
$ printf 'timestamp,user_id,event,value\n2024-05-01T10:00:00Z,ann,add_to_cart,25\n2024-05-01T10:00:00Z,"bob, jr",add_to_cart,5\n2024-05-03T10:00:00Z,cees,view,\n' > carts.csv; klantreis lists abandoned-carts carts.csv --format table | sed 's/$/|/'
person   ids      reason                             last_cart_at          cart_value_cents  purchases|
ann      ann      cart not bought within the window  2024-05-01T10:00:00Z  2500              0|
bob, jr  bob, jr  cart not bought within the window  2024-05-01T10:00:00Z  500               0|
